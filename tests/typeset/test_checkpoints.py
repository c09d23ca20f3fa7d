"""Kept pages with page composition (pipeline/typeset/checkpoints.py), on the sample edition:
its composition moves a chart and tracks paragraphs, so a rebuild must make those decisions
again on the new box tree; every rebuild must give the bytes of a cold build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.house import REPO_ROOT

SAMPLE = REPO_ROOT / "issues" / "2025-11"
ADDED = "这是编辑新加的一段话，用来核对页面移动之后的重排与冷启动完全一致。" * 5


@pytest.fixture(scope="module")
def warm_session(tmp_path_factory: pytest.TempPathFactory) -> tuple[Builder, Path, Path]:
    work = tmp_path_factory.mktemp("checkpoints")
    edition = Path(shutil.copytree(SAMPLE, work / "2025-11"))
    builder = Builder.create()
    builder.typesetter.rebuilds = True
    first = builder.build(edition, work / "warm.pdf")
    assert first.rendered is not None
    return builder, edition, work


def middle_article(edition: Path) -> Path:
    articles = sorted((edition / "articles").glob("*.md"))
    return articles[len(articles) // 2]


def rebuild_and_compare(builder: Builder, edition: Path, work: Path) -> tuple[int, int]:
    """(pages kept, pages) of the warm rebuild, after checking its bytes against a cold build."""
    warm = builder.build(edition, work / "warm.pdf")
    Builder.create().build(edition, work / "cold.pdf")
    assert (work / "warm.pdf").read_bytes() == (work / "cold.pdf").read_bytes()
    return builder.typesetter.page_keeper.last_kept, warm.page_count


def test_a_sentence_in_a_middle_article_keeps_most_pages(warm_session: tuple[Builder, Path, Path]) -> None:
    builder, edition, work = warm_session
    assert builder.typesetter.compose, "the default typesetter composes the page"
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8").replace("。", "。补充一句。", 1), "utf-8")
    kept, pages = rebuild_and_compare(builder, edition, work)
    assert kept >= pages * 2 // 3, (kept, pages)


def test_the_composition_decisions_before_the_edit_are_made_again(
    warm_session: tuple[Builder, Path, Path],
) -> None:
    builder, edition, work = warm_session
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8").replace("。", "。再补一句。", 1), "utf-8")
    kept, _ = rebuild_and_compare(builder, edition, work)
    composer = builder.typesetter.composer()
    assert kept and composer.decisions, "the sample's composition moved or tracked nothing"
    assert composer.stats.rounds > 0


def test_a_paragraph_that_moves_the_later_pages(warm_session: tuple[Builder, Path, Path]) -> None:
    builder, edition, work = warm_session
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8") + f"\n{ADDED}\n", "utf-8")
    kept, _ = rebuild_and_compare(builder, edition, work)
    assert kept > 0  # at least the pages before the edit


def test_a_title_changes_the_contents_page(warm_session: tuple[Builder, Path, Path]) -> None:
    builder, edition, work = warm_session
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8").replace("title: ", "title: 新", 1), "utf-8")
    rebuild_and_compare(builder, edition, work)
    article.write_text(article.read_text("utf-8").replace("title: 新", "title: ", 1), "utf-8")
    rebuild_and_compare(builder, edition, work)


def test_kept_pages_point_at_this_renders_elements(warm_session: tuple[Builder, Path, Path]) -> None:
    """Review and WeasyPrint's one-bookmark-per-element rule read a kept page's elements:
    they must be this render's, as on a cold build, not the previous render's."""
    builder, edition, _ = warm_session
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8").replace("。", "。又补一句。", 1), "utf-8")
    rendered = builder.render(edition)
    laid_out = builder.typesetter.layout(rendered)
    assert builder.typesetter.page_keeper.last_kept > 0
    page_boxes = [page._page_box for page in laid_out.document.pages]
    root = page_boxes[0].children[0].element
    elements = {id(element) for element in root.iter()}
    stale = []
    for number, page in enumerate(page_boxes, start=1):
        for box in page.descendants():
            if box.element is not None and id(box.element) not in elements and box.element is not root:
                stale.append((number, box.element_tag))
    assert not stale, stale[:5]
    builder.typesetter.write(laid_out)


def test_a_failure_while_keeping_pages_gives_the_cold_pdf(
    warm_session: tuple[Builder, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A case the keeping of pages does not foresee must cost time, not the PDF."""
    from pipeline.typeset import checkpoints

    builder, edition, work = warm_session

    def unforeseen(*args: object, **kwargs: object) -> None:
        raise IndexError("a case nobody thought of")

    monkeypatch.setattr(checkpoints.CheckpointHooks, "_restore_prefix", unforeseen)
    article = middle_article(edition)
    article.write_text(article.read_text("utf-8").replace("。", "。最后补一句。", 1), "utf-8")
    before = builder.typesetter.page_keeper.fallbacks
    rebuild_and_compare(builder, edition, work)
    assert builder.typesetter.page_keeper.fallbacks == before + 1


@pytest.mark.slow
def test_random_edits_of_an_imported_briefing_give_the_bytes_of_a_cold_build(tmp_path: Path) -> None:
    """Material the sample does not have (the first seed, imported): sentences added,
    paragraphs added and cut, in random articles; every rebuild as a cold build."""
    import random

    from pipeline.cli import run as briefing
    from tests.support import SEEDS

    sources = sorted(SEEDS.glob("000_*.txt"))
    if not sources:
        pytest.skip(f"种子 000_*.txt 不在 {SEEDS}")
    edition = tmp_path / "2025-11"
    assert briefing(["import", str(sources[0]), "--into", str(edition)]) == 0
    builder = Builder.create()
    builder.typesetter.rebuilds = True
    builder.build(edition, tmp_path / "warm.pdf")
    rng = random.Random(15)
    articles = sorted((edition / "articles").glob("*.md"))
    kept = 0
    for _ in range(12):
        article = rng.choice(articles)
        text = article.read_text("utf-8")
        body = text.index("---\n", 4) + 4
        kind = rng.choice(["sentence", "sentence", "paragraph", "cut"])
        if kind == "sentence":
            at = text.find("。", body + rng.randrange(max(1, len(text) - body)))
            at = len(text) - 1 if at < 0 else at
            text = text[: at + 1] + "编辑补充了一句话。" + text[at + 1 :]
        elif kind == "paragraph":
            text += "\n\n" + "这是一段新加的文字，用来核对页面移动之后的重排。" * rng.randrange(2, 12) + "\n"
        else:
            paragraphs = text[body:].split("\n\n")
            if len(paragraphs) > 3:
                del paragraphs[rng.randrange(1, len(paragraphs))]
            text = text[:body] + "\n\n".join(paragraphs)
        article.write_text(text, "utf-8")
        kept += rebuild_and_compare(builder, edition, tmp_path)[0]
    assert kept > 0
