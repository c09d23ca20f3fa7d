"""The masthead prints what issue.yaml says; the 报尾 has recipients and a print run."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.build import Builder, BuildResult
from pipeline.check.expected import Expected
from pipeline.check.run import check_pdf
from pipeline.edition.load import load_edition
from tests.support import MANIFEST, MakeEdition, build, check, only

MANIFEST_FILE = "2025-11/issue.yaml"


def line_of(text: str, start: str) -> int:
    return next(number for number, line in enumerate(text.split("\n"), start=1) if line.startswith(start))


def edited_copy(clean: BuildResult, tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "2025-11"
    shutil.copytree(clean.rendered.edition.root, copy)
    manifest = copy / "issue.yaml"
    assert old in manifest.read_text("utf-8")
    manifest.write_text(manifest.read_text("utf-8").replace(old, new), "utf-8")
    return copy


def test_masthead_agrees_with_the_manifest(builder: Builder, clean: BuildResult) -> None:
    assert only(check(builder, clean).findings, "masthead") == []


def test_masthead_numbers_that_differ_from_the_manifest(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    edition = edited_copy(clean, tmp_path, "cumulative_number: 58", "cumulative_number: 59")
    report = check_pdf(clean.output, Expected.for_edition(load_edition(edition)))
    [finding] = only(report.errors, "masthead")
    assert "第11期（总第58期）" in finding.message and "第11期（总第59期）" in finding.message
    assert (finding.page, finding.file, finding.line) == (1, MANIFEST_FILE, line_of(MANIFEST, "number:"))


def test_masthead_period_and_date_that_differ_from_the_manifest(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    edition = edited_copy(
        clean, tmp_path, "  end: 2025-11-30\nissue_date: 2025-11-30", "  end: 2025-11-29\nissue_date: 2025-12-01"
    )
    report = check_pdf(clean.output, Expected.for_edition(load_edition(edition)))
    found = {finding.line: finding for finding in only(report.errors, "masthead")}
    period = found[line_of(MANIFEST, "period:")]
    assert "2025年11月1日—2025年11月30日" in period.message and "11月29日" in period.message
    date = found[line_of(MANIFEST, "issue_date:")]
    assert "2025年12月1日" in date.message
    assert len(found) == 2


def test_empty_distribution_and_no_print_run(builder: Builder, make_edition: MakeEdition) -> None:
    manifest = MANIFEST[: MANIFEST.index("distribution:")]
    result = build(builder, make_edition(manifest=manifest))
    report = check(builder, result)
    found = only(report.errors, "distribution")
    assert len(found) == 2, report.text()
    assert any("报、送、发都是空的" in f.message for f in found)
    assert any("印数" in f.message for f in found)
    assert all(f.file == MANIFEST_FILE and f.page == result.page_count for f in found)
    assert {f.check for f in report.errors} == {"distribution"}


def test_distribution_needs_only_one_line_and_a_print_run(
    builder: Builder, make_edition: MakeEdition
) -> None:
    manifest = MANIFEST.replace("  send_to: [相关学院]\n", "").replace("  issue_to: [研究院各部门]\n", "")
    report = check(builder, build(builder, make_edition(manifest=manifest)))
    assert report.errors == [], report.text()


def test_distribution_not_printed_on_the_last_page(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    edition = edited_copy(clean, tmp_path, "copies: 40", "copies: 45")
    report = check_pdf(clean.output, Expected.for_edition(load_edition(edition)))
    [finding] = only(report.errors, "distribution")
    assert "共印45份" in finding.message and finding.page == clean.page_count
