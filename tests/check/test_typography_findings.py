"""Typography findings: no orphan where a paragraph is complete; each names its source line."""

from __future__ import annotations

from pipeline.build import Builder
from pipeline.check.typography import measure
from pipeline.pdfread.lines import Line
from tests.support import FILES, PARAGRAPH, TITLES, MakeEdition, article_text, build, check, only


def line(page: int, top: float, x0: float, text: str, font: str = "Serif", x1: float = 500.0) -> Line:
    return Line(page, top, x0, x1, 14.0, font, text, ())


def full_page(page: int) -> list[Line]:
    return [line(page, 100 + 25 * index, 80, "正文" * 10) for index in range(20)]


def test_one_line_paragraph_at_the_foot_before_a_new_section_is_not_an_orphan() -> None:
    complete = line(1, 700, 108, "一句话的段落。", x1=220)
    pages = [
        [*full_page(1), complete],
        [line(2, 100, 80, "—— 学者声音", font="Sans"), *full_page(2)[1:]],
    ]
    assert measure(pages).orphans == []
    # A full first line at the foot, followed by a section heading: not continued either.
    pages[0][-1] = line(1, 700, 108, "第一行" * 9)
    assert measure(pages).orphans == []


def test_first_line_left_at_the_foot_is_an_orphan() -> None:
    first = line(1, 700, 108, "第一行" * 9)
    pages = [[*full_page(1), first], full_page(2)]
    assert measure(pages).orphans == [first]


def test_typography_finding_names_article_file_and_line(builder: Builder, make_edition: MakeEdition) -> None:
    # "（" at a line end cannot be avoided in a run of them: a 避头尾 fault on purpose.
    fault = "（" * 120
    body = f"{PARAGRAPH}\n\n{fault}\n"
    report = check(builder, build(builder, make_edition({"articles/02-second.md": article_text(TITLES[1], body)})))
    found = only(report.errors, "typography")
    assert found, report.text()
    for finding in found:
        assert (finding.article, finding.file, finding.line) == (TITLES[1], FILES[1], 10), finding


def test_line_at_the_head_after_a_finished_paragraph_is_not_a_widow() -> None:
    finished = line(1, 700, 80, "上一段到此结束。", x1=200)
    heading = line(2, 100, 80, "一、总体要求", x1=170)  # official numbering in the body face
    pages = [[*full_page(1), finished], [heading, line(2, 125, 108, "第一段" * 9), *full_page(2)[2:]]]
    assert measure(pages).widows == []


def test_last_line_carried_to_the_head_is_a_widow() -> None:
    carried = line(2, 100, 80, "末行。", x1=130)
    pages = [full_page(1), [carried, line(2, 125, 108, "下一段" * 9), *full_page(2)[2:]]]
    assert measure(pages).widows == [carried]
