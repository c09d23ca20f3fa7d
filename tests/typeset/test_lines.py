"""Lines laid out once (pipeline/typeset/lines.py): a remembered line is the line
WeasyPrint lays out, in the same render (composition makes pages again) and in a
watcher's next render (unchanged paragraphs after an edit that moves the pages)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from pipeline.build import Builder
from pipeline.house import REPO_ROOT
from tests.support import ADDED_PARAGRAPH, SAMPLE_EDITION, middle_article, rebuilt_as_cold


def page_images(pdf: Path, folder: Path) -> list[bytes]:
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(folder / "p")], check=True)
    return [path.read_bytes() for path in sorted(folder.glob("p-*.pgm"))]


def test_lines_laid_out_again_in_a_render_are_the_lines_weasyprint_lays_out(tmp_path: Path) -> None:
    """The sample's composition moves a chart and tracks paragraphs (new styles for
    their boxes): its pages are made again, and the lines remembered must be right."""
    remembering = Builder.create()
    remembering.typesetter.rebuilds = True  # only a builder that builds again remembers lines
    remembering.build(SAMPLE_EDITION, tmp_path / "remembering.pdf")
    stats = remembering.typesetter.line_memory.stats
    assert stats.reused > 50, stats  # composition made pages again
    plain = Builder.create()
    plain.typesetter.remember_lines = False
    plain.build(SAMPLE_EDITION, tmp_path / "plain.pdf")
    assert plain.typesetter.line_memory.stats.laid_out == 0
    assert page_images(tmp_path / "remembering.pdf", tmp_path / "a") == page_images(
        tmp_path / "plain.pdf", tmp_path / "b"
    )


def test_a_rebuild_carries_the_lines_of_unchanged_paragraphs(
    warm_sample: tuple[Builder, Path], tmp_path: Path
) -> None:
    builder, edition = warm_sample
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8") + f"\n{ADDED_PARAGRAPH}\n", "utf-8")  # later pages move
    rebuilt_as_cold(builder, edition, tmp_path)
    stats = builder.typesetter.line_memory.stats
    assert stats.carried > 100 and stats.laid_out < stats.carried // 4, stats


def test_a_one_shot_build_keeps_no_lines_after_it(tmp_path: Path) -> None:
    builder = Builder.create()
    builder.build(SAMPLE_EDITION, tmp_path / "once.pdf")
    stats = builder.typesetter.line_memory.stats
    assert stats.laid_out > 500 and stats.reused == stats.carried == 0, stats  # placed, not kept
    assert len(builder.typesetter.line_memory) == 0
    assert not builder.typesetter.line_memory.earlier


def test_restyled_paragraphs_are_laid_out_again(tmp_path: Path) -> None:
    """Another body size: every paragraph's styles differ in value, so no old line of
    theirs may be carried, though their text is the same."""
    styles = Path(shutil.copytree(REPO_ROOT / "styles", tmp_path / "styles"))
    (tmp_path / "fonts").symlink_to(REPO_ROOT / "fonts")
    edition = Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))
    builder = Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts")
    builder.typesetter.rebuilds = True
    builder.build(edition, tmp_path / "warm.pdf")
    house = styles / "house.css"
    css = house.read_text("utf-8")
    assert "--body-size: 14pt;" in css
    house.write_text(css.replace("--body-size: 14pt;", "--body-size: 14.5pt;"), "utf-8")
    builder.build(edition, tmp_path / "warm.pdf")
    carried = builder.typesetter.line_memory.stats.carried
    Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts").build(edition, tmp_path / "cold.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert carried < 60, carried  # the masthead's and headers' lines, not the body's
