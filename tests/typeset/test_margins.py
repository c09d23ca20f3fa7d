"""Margin boxes kept by what they show (pipeline/typeset/margins.py): a page laid out
again takes the running head and folio a page of the same number had last time when they
show the same, and the bytes are a cold build's either way."""

from __future__ import annotations

import shutil
from pathlib import Path

from pypdf import PdfReader

from pipeline.build import Builder
from pipeline.house import REPO_ROOT
from tests.support import SAMPLE_EDITION, middle_article, rebuilt_as_cold

# Enough text to push the later pages on by a page or two: the page count changes.
PAGES_MORE = "\n\n" + "编辑在文中补写了一大段说明，整篇稿件因此变长，后面各页依次后移，总页数随之改变。" * 30 + "\n"


def test_moved_pages_keep_their_folios_when_the_page_count_changes(
    warm_sample: tuple[Builder, Path], tmp_path: Path
) -> None:
    """The house folio shows the page number only, so a moved page takes the margin boxes
    its number had last time even though the count of pages changed (margins.py)."""
    builder, edition = warm_sample
    article = middle_article(edition)
    text = article.read_text("utf-8")
    before = len(PdfReader(tmp_path / "warm.pdf").pages)
    article.write_text(text + PAGES_MORE, "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    assert len(PdfReader(tmp_path / "warm.pdf").pages) > before
    assert builder.typesetter.page_keeper.last_margins_moved >= 5
    article.write_text(text, "utf-8")
    rebuilt_as_cold(builder, edition, tmp_path)
    assert len(PdfReader(tmp_path / "warm.pdf").pages) == before
    assert builder.typesetter.page_keeper.last_margins_moved >= 5


def test_a_folio_showing_the_page_total_is_made_again_when_the_count_changes(tmp_path: Path) -> None:
    """`counter(pages)` in the folio: no moved page may take an old folio once the count
    changed, and the bytes are still a cold build's."""
    styles = Path(shutil.copytree(REPO_ROOT / "styles", tmp_path / "styles"))
    (tmp_path / "fonts").symlink_to(REPO_ROOT / "fonts")  # the styles find fonts beside them
    house = styles / "house.css"
    css = house.read_text("utf-8")
    folio = '"— " counter(page) " —"'
    assert css.count(folio) == 2
    house.write_text(css.replace(folio, '"第 " counter(page) " 页，共 " counter(pages) " 页"'), "utf-8")
    edition = Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))
    builder = Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts")
    builder.typesetter.rebuilds = True
    builder.build(edition, tmp_path / "warm.pdf")
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8") + PAGES_MORE, "utf-8")
    builder.build(edition, tmp_path / "warm.pdf")
    # The masthead page, laid out again for the contents' new page numbers, shows no folio:
    # its (empty) margin boxes are the only ones taken.
    assert builder.typesetter.page_keeper.last_margins_moved <= 1
    Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts").build(edition, tmp_path / "cold.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    # A sentence: the count stays, and the pages after the edit keep their folios.
    article.write_text(article.read_text("utf-8").replace("。", "。补一句。", 1), "utf-8")
    builder.build(edition, tmp_path / "warm.pdf")
    assert builder.typesetter.page_keeper.last_kept >= 10
    Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts").build(edition, tmp_path / "cold.pdf")
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert "共 " in PdfReader(tmp_path / "warm.pdf").pages[3].extract_text()


def test_running_heads_that_follow_the_articles_are_kept_only_where_they_read_the_same(tmp_path: Path) -> None:
    """Each article's title as the running head: after an edit that moves the pages, a
    page's head is the title of the article it starts in or the last one before it,
    which the key compares (the string's value entering the page, and the page's own)."""
    styles = Path(shutil.copytree(REPO_ROOT / "styles", tmp_path / "styles"))
    (tmp_path / "fonts").symlink_to(REPO_ROOT / "fonts")
    with (styles / "house.css").open("a", encoding="utf-8") as css:
        css.write("\n.article-title { string-set: running-title content(); }\n")
    edition = Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))
    builder = Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts")
    builder.typesetter.rebuilds = True
    builder.build(edition, tmp_path / "warm.pdf")
    article = middle_article(edition)
    text = article.read_text("utf-8")
    for edited in (text + PAGES_MORE, text):
        article.write_text(edited, "utf-8")
        builder.build(edition, tmp_path / "warm.pdf")
        Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts").build(edition, tmp_path / "cold.pdf")
        assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
        # Pages whose head and folio read as some page's did last time took its boxes.
        assert builder.typesetter.page_keeper.last_margins_moved >= 1
