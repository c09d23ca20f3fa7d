"""Outline, printed contents, links and text present agree with the edition."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject

from pipeline.build import Builder, BuildResult
from pipeline.check.expected import Expected
from pipeline.check.run import check_pdf
from pipeline.check.structure import well_formed_uri
from pipeline.cli import run
from pipeline.edition.load import load_edition
from tests.support import TITLES, MakeEdition, article_pages, article_text, build, check, rewrite


def test_clean_edition_passes_even_strictly(builder: Builder, clean: BuildResult) -> None:
    report = check(builder, clean)
    assert report.findings == [], report.text()
    assert report.ok(strict=True)
    assert report.page_count == clean.page_count
    assert "检查通过" in report.text()


def test_contents_number_off_names_article_and_page(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    def print_wrong_number(writer: PdfWriter) -> None:
        page = writer.pages[0]
        data = page.get_contents().get_data()
        # The first entry's page number "2" (drawn alone, in its own column) becomes "4".
        changed, count = re.subn(rb"\[<0013>0\] TJ", b"[<0015>0] TJ", data, count=1)
        assert count == 1
        stream = DecodedStreamObject()
        stream.set_data(changed)
        page.replace_contents(stream)

    pdf = rewrite(clean.output, tmp_path / "contents.pdf", print_wrong_number)
    report = check(builder, clean, pdf)
    [finding] = report.errors
    assert finding.check == "contents"
    assert finding.article == TITLES[0] and finding.file == "2025-11/articles/01-first.md"
    assert finding.page == 1 and finding.line == 2  # the line of its title
    assert "目录印的页码是 4，稿件实际在第2页" in finding.message


def test_outline_missing_an_article_names_it_and_its_page(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    pages = article_pages(clean.output)
    outline = [
        ("新闻动态", pages[TITLES[0]] - 1, [(TITLES[0], pages[TITLES[0]] - 1)]),
        ("学者声音", pages[TITLES[2]] - 1, [(TITLES[2], pages[TITLES[2]] - 1)]),
    ]

    def drop_second_article(writer: PdfWriter) -> None:
        del writer._root_object["/Outlines"]
        for section, page, children in outline:
            parent = writer.add_outline_item(title=section, page_number=page)
            for title, child_page in children:
                writer.add_outline_item(title=title, page_number=child_page, parent=parent)

    pdf = rewrite(clean.output, tmp_path / "outline.pdf", drop_second_article)
    report = check(builder, clean, pdf)
    [finding] = report.errors
    assert finding.check == "outline" and "缺少" in finding.message
    assert finding.article == TITLES[1] and finding.page == pages[TITLES[1]]
    assert finding.file == "2025-11/articles/02-second.md" and finding.line == 2


def test_pdf_out_of_date_with_its_edition_fails_text_present(
    builder: Builder, make_edition: MakeEdition
) -> None:
    edition = make_edition()
    result = build(builder, edition)
    (edition / "articles" / "02-second.md").write_text(
        article_text(TITLES[1], "验收专家组一致同意通过。\n"), "utf-8"
    )
    pdf = result.output
    assert run(["check", str(pdf), "--edition", str(edition)]) == 1
    report = check_pdf(pdf, Expected.for_edition(load_edition(edition)))
    [finding] = report.errors
    assert finding.check == "text" and "验收专家组一致同意通过。" in finding.message
    assert finding.article == TITLES[1] and finding.page == article_pages(pdf)[TITLES[1]]
    assert finding.line == 8  # the new first sentence, below the front matter and a blank line


def test_titles_with_dashes_and_dots_match_the_contents(
    builder: Builder, make_edition: MakeEdition
) -> None:
    tricky = "质量强国——标准先行...2025年第3季度"
    edition = make_edition({"articles/02-second.md": article_text(tricky)})
    report = check(builder, build(builder, edition))
    assert report.findings == [], report.text()


def test_uri_well_formedness() -> None:
    assert well_formed_uri("https://www.samr.gov.cn/xw/art/2025/1.html") is None
    assert well_formed_uri("mailto:office@example.edu.cn") is None
    assert well_formed_uri("https://例子.中国/页面") is None
    assert well_formed_uri("htps//samr.gov.cn") is not None
    assert well_formed_uri("https://samr gov.cn") is not None
    assert well_formed_uri("https://:80") is not None
    assert well_formed_uri("javascript:alert(1)") is not None
