"""Stylesheets parsed once per process (pipeline/typeset/sheets.py): reused while their
bytes are the same, parsed again the moment one changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.build import Builder
from pipeline.house import REPO_ROOT

SAMPLE = REPO_ROOT / "issues" / "2025-11"


def builder_with(styles: Path, rebuilds: bool) -> Builder:
    builder = Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts")
    builder.typesetter.rebuilds = rebuilds
    return builder


def test_sheets_are_reused_until_one_changes(tmp_path: Path) -> None:
    styles = Path(shutil.copytree(REPO_ROOT / "styles", tmp_path / "styles"))
    (tmp_path / "fonts").symlink_to(REPO_ROOT / "fonts")  # styles load ../fonts/
    edition = Path(shutil.copytree(SAMPLE, tmp_path / "2025-11"))
    warm = builder_with(styles, rebuilds=True)
    warm.build(edition, tmp_path / "warm.pdf")
    warm.build(edition, tmp_path / "warm.pdf")
    assert warm.typesetter.sheet_memory.hits == 1
    house = styles / "house.css"
    house.write_text(house.read_text("utf-8").replace("--body-size: 14pt;", "--body-size: 13.5pt;"), "utf-8")
    warm.build(edition, tmp_path / "warm.pdf")
    assert warm.typesetter.sheet_memory.hits == 1, "a changed sheet was not parsed again"
    builder_with(styles, rebuilds=False).build(edition, tmp_path / "cold.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
