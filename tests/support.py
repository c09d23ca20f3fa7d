"""Helpers the tests share: build an edition, check it, pick findings, rewrite a PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from pipeline.build import Builder, BuildResult
from pipeline.check.report import CheckReport, Finding
from pipeline.check.run import check_pdf
from pipeline.pdfread.outline import read_outline

TITLES = ["研究院召开质量发展形势分析会", "标准化试点项目通过验收", "学者谈计量基础设施建设"]
FILES = ["2025-11/articles/01-first.md", "2025-11/articles/02-second.md", "2025-11/articles/03-third.md"]
RARE = "\U0002a6a5"  # 𪚥, CJK Extension B: not in Noto CJK SC
EMOJI = "\U0001f600"  # 😀


def build(builder: Builder, edition: Path) -> BuildResult:
    return builder.build(edition, edition.parent / f"{edition.name}.pdf")


def check(builder: Builder, result: BuildResult, pdf: Path | None = None) -> CheckReport:
    return check_pdf(pdf or result.output, result.expected)


def only(findings: list[Finding], check_name: str) -> list[Finding]:
    return [finding for finding in findings if finding.check == check_name]


def article_pages(pdf: Path) -> dict[str, int]:
    """1-based first page of each article, from the PDF's own outline."""
    return {child.title: child.page for item in read_outline(PdfReader(pdf)) for child in item.children}


def rewrite(source: Path, target: Path, change: Callable[[PdfWriter], None]) -> Path:
    writer = PdfWriter(clone_from=source)
    change(writer)
    writer.write(target)
    return target


def _without_confirm(text: str) -> str:
    """YAML text without its `confirm:` block (the key and the lines indented under it)."""
    kept: list[str] = []
    inside = False
    for line in text.split("\n"):
        if line.startswith("confirm:"):
            inside = True
            continue
        if inside and (line.startswith((" ", "\t")) or not line.strip()) and line.strip() != "---":
            continue
        inside = False
        kept.append(line)
    return "\n".join(kept)


def fill_and_confirm(edition_dir: Path) -> None:
    """Do what the editor does to an imported edition: confirm every guess (delete the
    confirm entries), fill the 报尾, and replace the placeholders."""
    from pipeline.edition.placeholders import IMAGE_PENDING, SOURCE_PENDING

    manifest = edition_dir / "issue.yaml"
    text = _without_confirm(manifest.read_text("utf-8"))
    text = text.replace("  report_to: []", "  report_to: [学校办公室]")
    text = text.replace("  issue_to: []", "  issue_to: [研究院各部门]\n  copies: 40")
    text = text.replace("  send_to: []", "  send_to: [相关学院]")
    manifest.write_text(text, "utf-8")
    for article in sorted((edition_dir / "articles").glob("*.md")):
        text = _without_confirm(article.read_text("utf-8"))
        text = text.replace(SOURCE_PENDING, "研究院综合办公室")
        lines = [line for line in text.split("\n") if IMAGE_PENDING not in line]
        article.write_text("\n".join(lines), "utf-8")
