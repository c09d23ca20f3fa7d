"""Drawing once (pipeline/typeset/drawn.py): a kept page is replayed, and on a page laid
out again the text boxes carried from the last render are replayed at their new place;
either way the PDF is byte for byte a cold build's."""

from __future__ import annotations

from pathlib import Path

from pipeline.build import Builder
from tests.support import ADDED_PARAGRAPH, middle_article, rebuilt_as_cold


def test_moved_pages_replay_their_carried_text_boxes(warm_sample: tuple[Builder, Path], tmp_path: Path) -> None:
    """A paragraph added to a middle article moves every later page down: those pages are
    drawn again, their lines (carried) replayed at new positions, after other text than
    before at each page's top."""
    builder, edition = warm_sample
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8") + f"\n{ADDED_PARAGRAPH}\n", "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    memory = builder.typesetter.stream_memory
    assert memory.texts_replayed > 300 and memory.texts_replayed > memory.texts_drawn, (
        memory.texts_replayed, memory.texts_drawn)
    # Their running heads and folios are the ones those page numbers had (relayout.py).
    assert builder.typesetter.page_keeper.last_margins_moved >= 5
    # And back: the pages move up again, each text box after a different one than last time.
    article.write_text(article.read_text("utf-8").replace(f"\n{ADDED_PARAGRAPH}\n", ""), "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    assert memory.texts_replayed > 300, memory.texts_replayed


def test_a_page_kept_twice_still_replays_its_text_boxes_when_it_moves(
    warm_sample: tuple[Builder, Path], tmp_path: Path
) -> None:
    """Two sentence edits keep the later pages (drawn from the page memo, no text box
    drawn); the text boxes' records must outlive them for the edit that moves those pages."""
    builder, edition = warm_sample
    article = middle_article(edition)
    text = article.read_text("utf-8")
    for number in range(2):
        text = text.replace("。", f"。补{number}。", 1)
        article.write_text(text, "utf-8")
        rebuilt_as_cold(builder, edition, tmp_path)
        # The kept pages' links, anchors and bookmarks are taken as gathered (relayout.py).
        assert builder.typesetter.page_keeper.last_gathered_kept >= 10
    article.write_text(text + f"\n{ADDED_PARAGRAPH}\n", "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    assert builder.typesetter.stream_memory.texts_replayed > 300

