"""Font files copied out of HarfBuzz only when the writer reads them (fontdata.py): the
same PDF, no whole-file copy while HarfBuzz subsets, WeasyPrint's Font left as it was."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint.pdf import fonts

from pipeline.build import Builder
from pipeline.house import FONTS_DIR
from pipeline.typeset import fontdata
from tests.support import MakeEdition


def _whole_file_copies(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Sizes of the font faces WeasyPrint copies whole from now on."""
    copies: list[int] = []
    read = fonts.get_hb_object_data

    def counting(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        data = read(hb_object, ot_color, glyph)
        if ot_color is None and glyph is None and data:
            copies.append(len(data))
        return data

    monkeypatch.setattr(fonts, "get_hb_object_data", counting)
    return copies


def test_the_pdf_is_the_same_and_no_font_file_is_copied_whole(
    make_edition: MakeEdition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_edition()
    builder = Builder.create()
    copies = _whole_file_copies(monkeypatch)
    on_demand = builder.build(root, tmp_path / "on-demand.pdf").output.read_bytes()
    # The subsets are read back out of HarfBuzz too (smaller than any shipped file).
    shipped_sizes = {path.stat().st_size for path in FONTS_DIR.iterdir()}
    assert copies and not shipped_sizes & set(copies), copies
    copies.clear()
    monkeypatch.setattr(fontdata, "_applies", lambda: False)  # WeasyPrint as it ships
    eager = builder.build(root, tmp_path / "eager.pdf").output.read_bytes()
    assert shipped_sizes & set(copies), "WeasyPrint copied no whole font: the test sees nothing"
    assert on_demand == eager


def test_a_font_read_inside_gets_its_whole_file_and_is_left_as_weasyprint_makes_it(
    make_edition: MakeEdition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read_before_subset: list[int] = []
    original_clean = fonts.Font.clean

    def clean(font: Any, to_unicode: Any, hinting: Any) -> None:
        read_before_subset.append(len(font.file_content))
        original_clean(font, to_unicode, hinting)

    monkeypatch.setattr(fonts.Font, "clean", clean)
    original_init = fonts.Font.__init__
    Builder.create().build(make_edition(), tmp_path / "out.pdf")
    shipped_sizes = {path.stat().st_size for path in FONTS_DIR.iterdir()}
    assert read_before_subset and set(read_before_subset) <= shipped_sizes
    assert fonts.Font.__init__ is original_init
    assert "file_content" not in fonts.Font.__dict__


def test_the_line_it_replaces_is_in_this_weasyprint() -> None:
    # When WeasyPrint changes, the patch steps aside; this says so instead of silently
    # losing the memory it saves.
    assert fontdata._applies()
