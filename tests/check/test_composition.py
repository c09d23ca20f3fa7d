"""`briefing check` finds what a print editor refuses on the page, and says where.

The faults are real: the sample edition typeset without page composition (a chart
that left page 4 half empty, "…的通/知", paragraph runts, the 报尾 not at the
foot). Each finding names the page, the article and its file, and the source line
when the printed text is found in the article.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.check.composition import visible_characters
from pipeline.check.expected import Expected
from pipeline.check.report import CheckReport
from pipeline.check.run import check_pdf
from pipeline.edition.load import load_edition
from tests.support import SAMPLE_EDITION, typeset_to


@pytest.fixture(scope="module")
def plain_report(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> CheckReport:
    pdf = tmp_path_factory.mktemp("plain") / "2025-11.pdf"
    typeset_to(builder, SAMPLE_EDITION, pdf, compose=False)
    return check_pdf(pdf, Expected.for_edition(load_edition(SAMPLE_EDITION)))


def composition(report: CheckReport, words: str) -> list:  # type: ignore[type-arg]
    return [f for f in report.findings if f.check == "composition" and words in f.message]


def test_hole_left_by_a_figure_is_an_error_on_its_page(plain_report: CheckReport) -> None:
    [hole] = [f for f in composition(plain_report, "本页末尾空了") if f.page == 4]
    assert hole.severity == "error"
    assert hole.file == "2025-11/articles/02-testing-industry-report.md"


def test_title_runt_and_word_break_are_named(plain_report: CheckReport) -> None:
    [runt] = composition(plain_report, "末行只有一两个字")
    assert runt.page == 9 and "通知" in runt.message
    assert runt.file == "2025-11/articles/04-research-program-notice.md"
    assert composition(plain_report, "在词语中间回行")


def test_paragraph_runts_carry_their_source_line(plain_report: CheckReport) -> None:
    runts = composition(plain_report, "段落末行只有一个字")
    assert runts and all(f.line is not None and f.file for f in runts)
    source = Path(SAMPLE_EDITION.parent / runts[0].file).read_text("utf-8").splitlines()
    printed = runts[0].message.split("…")[-1].rstrip("”")
    assert printed[-3:] in source[runts[0].line - 1]


def test_distribution_block_off_the_foot_is_an_error(plain_report: CheckReport) -> None:
    assert composition(plain_report, "报尾没有排在末页底端")


def test_visible_characters_leave_out_punctuation() -> None:
    assert visible_characters("知。”") == 1
    assert visible_characters("成果。") == 2
