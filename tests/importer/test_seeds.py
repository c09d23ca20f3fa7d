"""The real material in ../shared/seeds imports into editions that build.

The seeds are read at run time, never copied into the repository; without them
these tests are skipped.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest

from pipeline.build import Builder, BuildResult
from pipeline.check.run import check_pdf
from pipeline.cli import run
from pipeline.edition.load import Edition, load_edition
from pipeline.importer.normalize import is_traditional
from tests.support import SEEDS

pytestmark = pytest.mark.skipif(
    not SEEDS.is_dir(), reason=f"没有种子材料 {SEEDS}（共享目录不在本机），跳过导入种子的测试"
)
TODAY = dt.date(2025, 12, 1)
DEBRIS = re.compile(
    r"首页|请输入要查询|你的位置|发布时间|信息来源|京公网安备|State Administration|\]\(#\)|"
    r"cqn\.com\.cn|^-\s"
)


def seed(prefix: str) -> Path:
    matches = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not matches:
        pytest.skip(f"种子 {prefix}_*.txt 不在 {SEEDS}")
    return matches[0]


def contents_of_seed(path: Path) -> list[tuple[str, list[str]]]:
    """The seed's own contents list, read independently of the importer."""
    sections: list[tuple[str, list[str]]] = []
    for line in path.read_text("utf-8").splitlines():
        heading = re.match(r"^——\s*(\S+)$", line.strip())
        item = re.match(r"^-\s*[①-⑳]\s*(.+)$", line.strip())
        if heading:
            if sections and sections[-1][1] and len(sections) >= 2:
                break
            sections.append((heading.group(1), []))
        elif item and sections:
            sections[-1][1].append(item.group(1))
        elif line.strip() and sections and sections[-1][1] and not item:
            break
    return sections


def without_spaces(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def briefing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Edition, BuildResult]:
    edition_dir = tmp_path_factory.mktemp("seed000") / "2025-11"
    assert run(["import", str(seed("000")), "--into", str(edition_dir)]) == 0
    builder = Builder.create()
    result = builder.build(edition_dir, edition_dir.parent / "seed000.pdf")
    return load_edition(edition_dir), result


def test_whole_briefing_becomes_edition_in_contents_order(
    briefing: tuple[Edition, BuildResult],
) -> None:
    edition, _ = briefing
    expected = contents_of_seed(seed("000"))
    assert [len(items) for _, items in expected] == [7, 5]
    assert [section.name for section in edition.manifest.sections] == [n for n, _ in expected]
    for name, titles in expected:
        imported = [article.front.title for article in edition.articles_in(name)]
        # Titles are normalised (“514 件” → “514件”); compare without spaces.
        assert [without_spaces(t) for t in imported] == [without_spaces(t) for t in titles]
    assert edition.manifest.issuer == "上海交通大学中国质量发展研究院"
    assert (edition.manifest.period.start, edition.manifest.period.end) == (
        dt.date(2025, 11, 1),
        dt.date(2025, 11, 30),
    )


def test_no_debris_left_and_dates_sources_lifted(
    briefing: tuple[Edition, BuildResult],
) -> None:
    edition, _ = briefing
    for article in edition.articles:
        for line in article.body.splitlines():
            assert not DEBRIS.search(line), f"{article.display_path}: {line[:40]}"
        assert article.front.source != "来源待核", article.display_path
        # Lifted from the page or the lead (“10月31日，…”), never a made-up date.
        assert dt.date(2025, 10, 1) <= article.front.published.date <= dt.date(2025, 11, 30)
    first, fifth = edition.articles[0], edition.articles[4]
    assert (first.front.source, first.front.published.display()) == (
        "市场监管总局",
        "2025年11月5日 19:59",
    )
    assert fifth.front.published.display() == "2025年11月12日 11:00"
    assert edition.articles[1].front.source == "中国质量新闻网"
    # A sentence cut by a stray line break in the seed is whole again.
    assert "有助于提升食品安全全链条监管能力和水平。" in first.body


def test_briefing_builds_and_lints_clean(
    briefing: tuple[Edition, BuildResult],
) -> None:
    edition, result = briefing
    assert result.page_count > 10
    assert run(["lint", str(edition.root)]) == 0
    titles = [article.front.title for article in edition.articles]
    printed = subprocess.run(
        ["pdftotext", str(result.output), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert all(without_spaces(t)[:12] in without_spaces(printed) for t in titles)
    report = check_pdf(result.output, result.expected)
    assert report.errors == [], report.text()


def test_briefing_passes_check(briefing: tuple[Edition, BuildResult]) -> None:
    _, result = briefing
    report = check_pdf(result.output, result.expected)
    assert report.ok(), report.text()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> tuple[Edition, BuildResult]:
    edition_dir = tmp_path_factory.mktemp("seeds") / "2025-12"
    for prefix in ("001", "002", "003", "004"):
        assert run(["import", str(seed(prefix)), "--into", str(edition_dir)]) == 0
    result = Builder.create().build(edition_dir, edition_dir.parent / "seeds.pdf")
    return load_edition(edition_dir), result


def test_each_source_article_builds(articles: tuple[Edition, BuildResult]) -> None:
    edition, result = articles
    assert len(edition.articles) == 4
    assert result.page_count >= 4
    assert run(["lint", str(edition.root)]) == 0


def test_roster_is_a_table(articles: tuple[Edition, BuildResult]) -> None:
    edition, result = articles
    roster = edition.articles[0]
    assert "| 王志成 | 中央宣传部版权管理局局长 |" in roster.body
    assert "| 刘洁 | 湖北省黄冈市市长 |" in roster.body
    assert '<td class="short">刘洁</td>' in result.rendered.html
    assert roster.front.published.date == dt.date(2024, 11, 6)


def test_traditional_seed_is_simplified_without_pinyin(
    articles: tuple[Edition, BuildResult],
) -> None:
    edition, _ = articles
    article = edition.articles[1]
    assert article.front.title == "让质量强国建设成为全民共同行动"
    assert not is_traditional(article.body)
    assert not re.search(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+[)）]", article.body)
    # The list pasted twice appears once; related links and the footer are gone.
    assert article.body.count("十大质量新闻") == 2
    assert "京公网安备" not in article.body and "(2026-01-2" not in article.body


def test_official_document_keeps_numbering_and_signature(
    articles: tuple[Edition, BuildResult],
) -> None:
    edition, result = articles
    article = edition.articles[2]
    assert article.front.title == "市场监管总局关于新时代加强知识产权执法的意见"
    paragraphs = [p.strip() for p in article.body.split("\n\n") if p.strip()]
    for numbered in ("一、总体要求", "二、突出执法重点", "三、强化支撑保障", "四、组织实施"):
        assert numbered in paragraphs
    assert any(p.startswith("（一）指导思想。") for p in paragraphs)
    assert paragraphs[-2:] == ["市场监管总局", "2023年8月8日"]
    assert article.front.published.date == dt.date(2023, 8, 8)
    assert article.front.source_url and article.front.source_url.endswith(".html")
    # PDF line breaks are repaired: one paragraph, not one per printed line.
    assert any(
        p.startswith("加强知识产权保护") and p.endswith("现提出以下意见：") for p in paragraphs
    )
    assert "list-number" not in result.rendered.html
