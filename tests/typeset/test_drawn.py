"""Drawing once (pipeline/typeset/drawn.py): a kept page is replayed, and on a page laid
out again the text boxes carried from the last render are replayed at their new place;
either way the PDF is byte for byte a cold build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import Builder
from tests.support import SAMPLE_EDITION
from tests.typeset.test_lines import ADDED, middle_article


@pytest.fixture()
def warm(tmp_path: Path) -> tuple[Builder, Path]:
    edition = Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))
    builder = Builder.create()
    builder.typesetter.rebuilds = True
    builder.build(edition, tmp_path / "warm.pdf")
    return builder, edition


def rebuilt_as_cold(builder: Builder, edition: Path, work: Path) -> None:
    builder.build(edition, work / "warm.pdf")
    Builder.create().build(edition, work / "cold.pdf")
    assert (work / "warm.pdf").read_bytes() == (work / "cold.pdf").read_bytes()


def test_moved_pages_replay_their_carried_text_boxes(warm: tuple[Builder, Path], tmp_path: Path) -> None:
    """A paragraph added to a middle article moves every later page down: those pages are
    drawn again, their lines (carried) replayed at new positions, after other text than
    before at each page's top."""
    builder, edition = warm
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8") + f"\n{ADDED}\n", "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    memory = builder.typesetter.stream_memory
    assert memory.texts_replayed > 300 and memory.texts_replayed > memory.texts_drawn, (
        memory.texts_replayed, memory.texts_drawn)
    # And back: the pages move up again, each text box after a different one than last time.
    article.write_text(article.read_text("utf-8").replace(f"\n{ADDED}\n", ""), "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    assert memory.texts_replayed > 300, memory.texts_replayed


def test_a_page_kept_twice_still_replays_its_text_boxes_when_it_moves(
    warm: tuple[Builder, Path], tmp_path: Path
) -> None:
    """Two sentence edits keep the later pages (drawn from the page memo, no text box
    drawn); the text boxes' records must outlive them for the edit that moves those pages."""
    builder, edition = warm
    article = middle_article(edition)
    text = article.read_text("utf-8")
    for number in range(2):
        text = text.replace("。", f"。补{number}。", 1)
        article.write_text(text, "utf-8")
        rebuilt_as_cold(builder, edition, tmp_path)
    article.write_text(text + f"\n{ADDED}\n", "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    assert builder.typesetter.stream_memory.texts_replayed > 300
