"""Placeholders and unconfirmed guesses: a briefing that prints one is not fit to send.

Two sides. The sources: every `confirm:` entry (an article's or issue.yaml's)
is a guess the editor has not confirmed, and every placeholder marker
(`edition.placeholders.MARKERS`) in a printed field or body line is text nobody
has written yet; each is an error at its file and line. The paper: a marker read
back on a page that no source finding explains (a PDF checked without its
edition, or made from other sources) is an error on that page.
"""

from __future__ import annotations

from ..edition.manifest import GUESS_REASON
from ..edition.placeholders import MARKERS, markers_in
from ..pdfread.page_text import PageText, normalize
from .expected import Expected, ExpectedArticle
from .placement import Placement
from .report import FRONT, CheckReport
from .source_lines import PRINTED_FIELDS

CHECK = "placeholders"

# Field names as the editor knows them.
FIELD_LABELS = {
    "title": "标题",
    "subtitle": "副标题",
    "source": "来源",
    "source_url": "来源网址",
    "published": "发布日期",
    "author": "作者",
    "issuer": "主办单位",
    "number": "期号",
    "cumulative_number": "总期号",
    "period": "报道时段",
    "issue_date": "印发日期",
    "editor": "编辑单位",
    "distribution": "报尾",
}

CONFIRM_HINT = "核对无误（或改正）后删去 confirm: 下的这一项；各项都删去后，confirm: 一行也可删去"


def _label(field: str) -> str:
    return FIELD_LABELS.get(field, field)


def _confirm_findings(
    confirm: dict[str, str], lines: dict[str, int], where: dict[str, object], report: CheckReport
) -> None:
    for field, reason in confirm.items():
        line = lines.get(f"confirm.{field}") or lines.get("confirm")
        said = f"：{reason}" if reason and reason != GUESS_REASON else ""
        report.error(
            CHECK,
            f"“{_label(field)}”是工具推定的，尚未核对{said}",
            hint=CONFIRM_HINT,
            **where,
            line=line,
        )


def _article_sources(
    article: ExpectedArticle, told: set[tuple[str | None, str]], report: CheckReport
) -> None:
    where = {"article": article.title, "file": article.file}
    _confirm_findings(dict(article.front.confirm), dict(article.field_lines), where, report)
    front = article.front
    for name in PRINTED_FIELDS:
        value = getattr(front, name, None)
        for marker in markers_in(str(value or "")):
            told.add((article.file, marker))
            report.error(
                CHECK,
                f"{_label(name)}还是占位文字“{marker}”",
                hint=MARKERS[marker],
                **where,
                line=article.field_lines.get(name),
            )
    for index, text in enumerate(article.body.split("\n")):
        for marker in markers_in(text):
            told.add((article.file, marker))
            report.error(
                CHECK,
                f"正文中还有占位文字“{marker}”",
                hint=MARKERS[marker],
                **where,
                line=article.first_line + index,
            )


def _manifest_sources(expected: Expected, told: set[tuple[str | None, str]], report: CheckReport) -> None:
    manifest = expected.manifest
    if manifest is None:
        return
    where = {"article": FRONT, "file": expected.manifest_file}
    _confirm_findings(dict(manifest.confirm), dict(expected.manifest_lines), where, report)
    for name, value in manifest.model_dump(exclude={"confirm", "sections"}).items():
        for marker in markers_in(str(value)):
            told.add((expected.manifest_file, marker))
            report.error(
                CHECK,
                f"issue.yaml 的“{_label(name)}”还是占位文字“{marker}”",
                hint=MARKERS[marker],
                **expected.manifest_where(name),
            )


def check_sources(expected: Expected, report: CheckReport) -> set[tuple[str | None, str]]:
    """Every confirm entry and placeholder in the edition's files, at its line; returns
    the (file, marker) of the placeholders told, for `check_printed`."""
    told: set[tuple[str | None, str]] = set()
    _manifest_sources(expected, told, report)
    for article in expected.articles:
        _article_sources(article, told, report)
    return told


def check_printed(
    pages: list[PageText], placement: Placement, told: set[tuple[str | None, str]], report: CheckReport
) -> None:
    """Placeholders read back on paper that no source finding already names.

    `told`: (file, marker) of the source findings (`check_sources`). A marker on a
    page of an article that holds it was told at its line; one on the masthead or
    contents pages, where no article's text holds it, was told in issue.yaml.
    """
    told_markers = {marker for _, marker in told}
    for number, page in enumerate(pages, start=1):
        for marker in MARKERS:
            if normalize(marker) not in page.body:
                continue
            where = placement.where(number, text=marker)
            file = where.get("file") if "line" in where else None
            if (file, marker) in told or (file is None and marker in told_markers):
                continue
            report.error(
                CHECK,
                f"第{number}页印出了占位文字“{marker}”",
                hint=MARKERS[marker],
                **where,
            )
