"""The PDF writer's memos (streams.py, drawn.py) and the pagination patch (relayout.py)
are in place only while they work, and a warm rebuild hits the memos."""

from __future__ import annotations

from pathlib import Path

import pydyf
import pytest
from weasyprint import layout
from weasyprint.document import Page
from weasyprint.images import RasterImage
from weasyprint.layout import page as layout_page
from weasyprint.pdf.fonts import Font
from weasyprint.pdf.stream import Stream

from pipeline.build import Builder
from tests.support import MakeEdition, article_text, rebuilt_as_cold


def test_patched_functions_are_restored_and_a_rebuild_reuses_streams(
    make_edition: MakeEdition, tmp_path: Path
) -> None:
    originals = (
        RasterImage.get_x_object, Font._harfbuzz_subset, pydyf.Stream.__dict__["data"],
        layout.make_all_pages, layout.initialize_page_maker, layout.make_margin_boxes,
        Page.paint, Stream.add_font, Stream.add_image, Font.get_unused_glyph_id,
    )
    root = make_edition()
    builder = Builder.create()
    builder.typesetter.rebuilds = True
    builder.typesetter.compose = False  # pages are kept only without composition
    first = builder.build(root, tmp_path / "a.pdf")
    article = root / "articles" / "03-third.md"
    article.write_text(article_text("学者谈计量基础设施建设", "一句新的正文。\n"), "utf-8")
    builder.build(root, tmp_path / "a.pdf")
    assert (
        RasterImage.get_x_object, Font._harfbuzz_subset, pydyf.Stream.__dict__["data"],
        layout.make_all_pages, layout.initialize_page_maker, layout.make_margin_boxes,
        Page.paint, Stream.add_font, Stream.add_image, Font.get_unused_glyph_id,
    ) == originals
    assert layout.make_all_pages is layout_page.make_all_pages
    memory = builder.typesetter.stream_memory
    assert memory.hits > 0, "the rebuild reused no stream, subset or deflated data"
    assert builder.typesetter.page_keeper.last_kept >= 1, first.page_count


def test_an_undo_finds_the_font_subsets_of_two_saves_ago(
    make_edition: MakeEdition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Characters added (new glyphs: the fonts are subset again) and then taken out: the
    subsets of the text as it was are still remembered, none is made, and the PDF is a
    cold build's."""
    root = make_edition()
    builder = Builder.create()
    builder.typesetter.rebuilds = True
    builder.build(root, tmp_path / "warm.pdf")
    made: list[object] = []
    subset = Font._harfbuzz_subset

    def counted(font: Font, *args: object) -> None:
        made.append(font)
        subset(font, *args)

    monkeypatch.setattr(Font, "_harfbuzz_subset", counted)
    article = root / "articles" / "03-third.md"
    text = article.read_text("utf-8")
    article.write_text(text + "\n另起一段：鑫淼焱垚犇骉。\n", "utf-8")
    builder.build(root, tmp_path / "warm.pdf")
    assert made, "new characters, yet no font was subset again"
    made.clear()
    article.write_text(text, "utf-8")
    builder.build(root, tmp_path / "warm.pdf")
    assert not made, f"{len(made)} subsets made again for text as it was two saves ago"
    rebuilt_as_cold(builder, root, tmp_path)
