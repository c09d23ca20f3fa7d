"""Placeholders and unconfirmed guesses are errors at their file and line, and on paper."""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.build import Builder, BuildResult
from pipeline.check.expected import Expected
from pipeline.check.run import check_pdf
from pipeline.cli import run
from pipeline.edition.placeholders import IMAGE_PENDING, SOURCE_PENDING
from pipeline.house import shipped_font_families
from tests.support import (
    FILES,
    MANIFEST,
    PARAGRAPH,
    SAMPLE_EDITION,
    TITLES,
    MakeEdition,
    article_text,
    build,
    check,
    only,
)


def source_line(edition: Path, file: str, line: int) -> str:
    return (edition.parent / file).read_text("utf-8").split("\n")[line - 1]


def test_confirm_entries_in_articles_and_manifest_are_errors_at_their_line(
    builder: Builder, make_edition: MakeEdition
) -> None:
    guessed = "confirm:\n  published: 发布日期取自正文开头的日期，请核对\n  source: 来源推定\n"
    manifest = MANIFEST + "confirm:\n  number: 由工具推定，请核对后删去这一项\n"
    edition = make_edition(
        {"articles/02-second.md": article_text(TITLES[1], extra_front=guessed)}, manifest=manifest
    )
    report = check(builder, build(builder, edition))
    found = only(report.errors, "placeholders")
    assert len(found) == 3, report.text()
    by_file = {(finding.file, finding.line): finding for finding in found}
    published = by_file[(FILES[1], 7)]
    assert source_line(edition, FILES[1], 7).startswith("  published:")
    assert published.article == TITLES[1] and "发布日期" in published.message
    assert "请核对" in published.message and "删去" in (published.hint or "")
    entry_line = MANIFEST.count("\n") + 2  # below "confirm:"
    number = by_file[("2025-11/issue.yaml", entry_line)]
    assert source_line(edition, "2025-11/issue.yaml", entry_line).startswith("  number:")
    assert "期号" in number.message
    # Nothing else is wrong with this edition.
    assert {finding.check for finding in report.errors} == {"placeholders"}


def test_importer_placeholders_in_sources_and_on_paper(
    builder: Builder, make_edition: MakeEdition
) -> None:
    body = f"{PARAGRAPH}\n\n*{IMAGE_PENDING}图为座谈会现场*\n\n{PARAGRAPH}\n"
    text = article_text(TITLES[0], body).replace("source: 市场监管总局", f"source: {SOURCE_PENDING}")
    edition = make_edition({"articles/01-first.md": text})
    result = build(builder, edition)
    report = check(builder, result)
    found = only(report.errors, "placeholders")
    assert [(f.file, f.line) for f in found] == [(FILES[0], 3), (FILES[0], 10)], report.text()
    assert SOURCE_PENDING in found[0].message and "来源" in found[0].message
    assert IMAGE_PENDING in found[1].message and "images/" in (found[1].hint or "")
    assert source_line(edition, FILES[0], 10).startswith(f"*{IMAGE_PENDING}")
    # Both are printed; with the edition at hand they are told once, at the line.
    assert "［待补图片］" in report.text() and report.text().count("图为座谈会") == 0

    # The PDF alone (no edition to read): the same two are found on paper, by page.
    alone = check_pdf(result.output, Expected.pdf_only(shipped_font_families(builder.styles_dir)))
    printed = only(alone.errors, "placeholders")
    assert sorted(f.message for f in printed) == sorted(
        [f"第2页印出了占位文字“{SOURCE_PENDING}”", f"第2页印出了占位文字“{IMAGE_PENDING}”"]
    ), alone.text()


def test_new_scaffold_is_not_fit_to_send_until_written(tmp_path: Path) -> None:
    issues = tmp_path / "issues"
    shutil.copytree(SAMPLE_EDITION, issues / "2025-11")
    assert run(["new", "2025-12", "--issues", str(issues)]) == 0
    edition = issues / "2025-12"
    result = Builder.create().build(edition, tmp_path / "december.pdf")
    report = check_pdf(result.output, result.expected)
    found = only(report.errors, "placeholders")
    lines = {(f.file, f.line) for f in found}
    for name in ("01-new.md", "02-new.md"):
        for line in (3, 4, 8):  # title, source, body of the scaffold
            assert (f"issues/2025-12/articles/{name}", line) in lines, report.text()
    assert {f.check for f in report.errors} == {"placeholders"}, report.text()
    # The contents page prints the example titles: explained by the source findings, not repeated.
    assert not any(f.message.startswith("第1页印出了") for f in found)

    for name in ("01-new.md", "02-new.md"):
        path = edition / "articles" / name
        path.write_text(article_text(f"{name[:2]}号稿件", f"{PARAGRAPH}\n"), "utf-8")
    result = Builder.create().build(edition, tmp_path / "december.pdf")
    assert check_pdf(result.output, result.expected).errors == []


def test_clean_edition_has_no_placeholder_finding(builder: Builder, clean: BuildResult) -> None:
    assert only(check(builder, clean).findings, "placeholders") == []


def test_placeholder_in_the_manifest_is_told_once_at_its_line(builder: Builder, make_edition: MakeEdition) -> None:
    manifest = MANIFEST.replace("editor: 研究院办公室", "editor: 请在此填写编辑单位")
    report = check(builder, build(builder, make_edition(manifest=manifest)))
    [finding] = only(report.errors, "placeholders")  # printed on page 1 too, but told once
    assert (finding.file, finding.line) == ("2025-11/issue.yaml", MANIFEST.split("\n").index("editor: 研究院办公室") + 1)
    assert "编辑单位" in finding.message
