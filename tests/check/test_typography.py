"""The typography check (check.typography) measures what a reader sees: flush lines,
wide gaps, orphans, widows and stranded headings, on crafted lines and real PDFs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.check.report import CheckReport
from pipeline.check.typography import (
    MAX_GAP_EM,
    check_typography,
    measure,
    measure_pdf,
)
from pipeline.pdfread.lines import Line
from tests.support import (
    SEEDS,
    MakeEdition,
    build_pdf,
    edition_with,
    summary,
)


def line(page: int, top: float, x0: float, text: str, size: float = 14.0,
         font: str = "Serif", x1: float = 500.0) -> Line:
    return Line(page, top, x0, x1, size, font, text, ())


def test_check_reports_ragged_text_and_passes_justified(mixed_pdfs: dict[bool, Path]) -> None:
    ragged = CheckReport(mixed_pdfs[False])
    check_typography(mixed_pdfs[False], ragged)
    assert any(finding.check == "typography" and "右端齐平" in finding.message
               for finding in ragged.errors)
    justified = CheckReport(mixed_pdfs[True])
    check_typography(mixed_pdfs[True], justified)
    assert [finding.message for finding in justified.findings] == []


def test_flow_detectors_find_orphans_widows_and_stranded_headings() -> None:
    body = [line(1, 100 + 25 * index, 80, "正文" * 10) for index in range(20)]
    pages = [
        [*body, line(1, 700, 80, "小标题", font="Sans")],
        [
            line(2, 100, 108, "首行" * 10),
            *[line(2, 125 + 25 * index, 80, "续行" * 10) for index in range(5)],
            line(2, 300, 108, "孤行首行" * 5),
        ],
        [line(3, 100, 80, "孤行末行" * 2, x1=200), line(3, 125, 108, "下一段" * 5)],
    ]
    figures = measure(pages)
    assert [item.text for item in figures.headings_at_foot] == ["小标题"]
    assert [item.page for item in figures.orphans] == [2]
    assert [item.page for item in figures.widows] == [3]


def test_built_edition_has_no_stranded_lines(mixed_pdfs: dict[bool, Path]) -> None:
    figures = measure_pdf(mixed_pdfs[True])
    assert figures.orphans == figures.widows == figures.headings_at_foot == []


def test_seed_briefing_meets_the_figures(make_edition: MakeEdition, builder: Builder,
                                         tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("000_*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"seed briefing not found in {SEEDS}")
    paragraphs = [
        re.sub(r"https?://\S+|!?\[|\]\(", "", raw.strip())
        for raw in seeds[0].read_text("utf-8").splitlines()
        if len(raw.strip()) > 40 and not raw.strip().startswith(("http", "!", "[", "-", "#"))
    ]
    edition = edition_with(make_edition, paragraphs)
    figures = measure_pdf(build_pdf(builder, edition, tmp_path / "seed.pdf", inter_character=True))
    assert figures.justified_lines > 100
    assert figures.flush_ratio >= 0.99, summary(figures)
    assert figures.max_gap_em <= MAX_GAP_EM, summary(figures)
    assert figures.bad_starts == figures.bad_ends == []


def test_sample_edition_meets_the_figures(builder: Builder, tmp_path: Path) -> None:
    from tests.support import SAMPLE_EDITION

    if not (SAMPLE_EDITION / "issue.yaml").is_file():
        pytest.skip(f"sample edition not found at {SAMPLE_EDITION}")
    pdf = build_pdf(builder, SAMPLE_EDITION, tmp_path / "sample.pdf", inter_character=True)
    figures = measure_pdf(pdf)
    assert figures.justified_lines > 100
    assert figures.flush_ratio >= 0.99, summary(figures)
    assert figures.max_gap_em <= MAX_GAP_EM, summary(figures)
    assert figures.bad_starts == figures.bad_ends == []
    assert figures.orphans == figures.widows == figures.headings_at_foot == []
