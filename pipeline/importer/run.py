"""`briefing import`: read → convert script → clean → write, with a report for the editor.

The report is a summary per source — where it went, the normalisation changes
counted by kind (each one with file:line under `-v`) — and, last and set apart,
what the editor must confirm: the guesses written under `confirm:`, which the
check refuses until they are verified and deleted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..edition.load import MANIFEST_NAME
from ..edition.manifest import (
    Masthead,
    NewManifest,
    add_to_manifest,
    first_section_name,
    listed_count,
    manifest_text,
)
from ..errors import display_path
from .blocks import Block, Heading, Paragraph, Picture, SourceDocument, SourceProblem, Table
from .briefing_split import looks_like_briefing, split_briefing
from .clean import Hints, clean_article
from .normalize import Change, is_traditional, normalize_line, normalize_text
from .sources import read_source
from .write import default_masthead, write_article

DEFAULT_SECTION = "新闻动态"
# What each guessed masthead field was filled with, for the report.
_MASTHEAD_GUESSES = {
    "number": "期号按月份暂填",
    "cumulative_number": "总期号暂与当年期号相同",
    "issuer": "主办单位暂填默认的研究院",
    "editor": "编辑单位按主办单位暂填",
    "period": "报道时间段暂按本月",
    "issue_date": "印发日期暂为时间段的最后一天",
}


@dataclass
class ImportReport:
    """What the import did, in lines an editor reads; details only under `-v`."""

    entries: list[tuple[str, bool]] = field(default_factory=list)  # (line, detail only)
    warnings: list[str] = field(default_factory=list)
    confirm: list[str] = field(default_factory=list)  # “file: field：why”, printed last
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def say(self, line: str, detail: bool = False) -> None:
        self.entries.append((line, detail))

    @property
    def lines(self) -> list[str]:
        return [line for line, detail in self.entries if not detail]

    def text(self, verbose: bool = False) -> list[str]:
        return [line for line, detail in self.entries if verbose or not detail]


def edition_month(edition_dir: Path) -> dt.date | None:
    """The month an edition folder (issues/2025-12) is named for."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", edition_dir.name)
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return dt.date(int(match.group(1)), int(match.group(2)), 1)


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _block_text_fields(block: Block) -> list[str]:
    if isinstance(block, Paragraph | Heading):
        return [block.text]
    if isinstance(block, Picture):
        return [block.alt]
    return [cell for row in block.rows for cell in row]


def convert_script(document: SourceDocument, keep_traditional: bool) -> list[Change]:
    """Traditional → simplified (when the text is traditional) and glued pinyin removed,
    before cleaning, so the debris patterns see simplified text."""
    whole = "\n".join(text for block in document.blocks for text in _block_text_fields(block))
    simplify = not keep_traditional and is_traditional(whole)
    changes: list[Change] = []

    def convert(text: str, where: int) -> str:
        fixed, found = normalize_line(text, where, simplify, script_only=True)
        changes.extend(found)
        return fixed

    for index, block in enumerate(document.blocks, start=1):
        where = block.line if isinstance(block, Paragraph) and block.line else index
        if isinstance(block, Paragraph | Heading):
            block.text = convert(block.text, where)
        elif isinstance(block, Picture):
            block.alt = convert(block.alt, where)
        elif isinstance(block, Table):
            block.rows = [[convert(cell, where) for cell in row] for row in block.rows]
    if document.title:
        document.title = convert(document.title, 0)
    return changes


def _describe(changes: list[Change], shown_as: str, unit: str, report: ImportReport) -> None:
    """One summary line of counts by kind, then each change (shown under -v)."""
    if not changes:
        return
    kinds = Counter(change.rule for change in changes)
    counted = "，".join(f"{rule} {count}" for rule, count in kinds.most_common())
    report.say(f"    规范化 {len(changes)} 处：{counted}（-v 逐条列出）")
    for change in changes:
        where = (
            f"{shown_as}:{change.line}:{change.column}"
            if unit == "行"
            else f"{shown_as} 第{change.line}{unit}"
        )
        report.say(f"      {where}: {change.describe()}", detail=True)


def _ensure_edition(
    edition_dir: Path, masthead: Masthead | None, today: dt.date, report: ImportReport
) -> None:
    manifest = edition_dir / MANIFEST_NAME
    if manifest.is_file():
        return
    edition_dir.mkdir(parents=True, exist_ok=True)
    masthead = masthead or default_masthead(edition_dir, today)
    heading = f"{masthead.title} {masthead.issue_date.year}年第{masthead.number}期（导入生成）"
    manifest.write_text(manifest_text(NewManifest(masthead, heading=heading)), "utf-8")
    shown = display_path(manifest, edition_dir)
    report.say(f"新建了这一期：{shown}")
    for name in masthead.guessed:
        why = _MASTHEAD_GUESSES.get(name, "由导入工具推定")
        report.confirm.append(f"{shown}：{name}：{why}，请核对后删去 confirm: 下的这一项")


def _write_one(
    document_blocks: list[Block],
    hints: Hints,
    joins_lines: bool,
    edition_dir: Path,
    number: int,
    source_name: str,
    report: ImportReport,
) -> str:
    draft = clean_article(document_blocks, hints, joins_lines=joins_lines)
    written = write_article(draft, edition_dir / "articles", number)
    # The normalisation rules (shared with `briefing lint`) on the file as written,
    # reported by the file's own line numbers.
    text = written.path.read_text("utf-8")
    fixed, changes = normalize_text(text, simplify=False)
    if fixed != text:
        written.path.write_text(fixed, "utf-8")
    shown = display_path(written.path, edition_dir)
    report.written.append(written.path)
    title = normalize_text(draft.title, simplify=False)[0]
    report.say(f"{source_name} → {shown}：《{title}》（{draft.published}，{draft.source}）")
    if written.renamed_from:
        report.say(f"    已有同名文件 {written.renamed_from}，未覆盖，另存为 {written.path.name}")
    _describe(changes, shown, "行", report)
    report.warnings += [f"{shown}：{warning}" for warning in (*draft.warnings, *written.warnings)]
    if draft.confirm:
        fields = "、".join(draft.confirm)
        report.say(f"    请核对 {len(draft.confirm)} 项（稿件信息块的 confirm: 下）：{fields}")
    report.confirm += [f"{shown}：{key}：{why}" for key, why in draft.confirm.items()]
    return written.relative


def _import_briefing(
    document: SourceDocument, edition_dir: Path, today: dt.date, report: ImportReport
) -> None:
    """A whole briefing: its masthead makes the edition, its contents the sections."""
    split = split_briefing(document.blocks, today)
    _ensure_edition(edition_dir, split.masthead, today, report)
    report.warnings += list(split.warnings)
    number = listed_count(edition_dir)
    by_section: dict[str, list[str]] = {}
    for entry, blocks in split.articles:
        number += 1
        hints = Hints(
            title=entry.title,
            edition=split.masthead.period_end.replace(day=1),
            fallback_date=split.masthead.period_end,
            today=today,
        )
        relative = _write_one(blocks, hints, True, edition_dir, number, document.path.name, report)
        by_section.setdefault(entry.section, []).append(relative)
    for name, paths in by_section.items():
        add_to_manifest(edition_dir, name, paths)
    report.say(f"整期导入：{len(by_section)} 个栏目，共 {sum(map(len, by_section.values()))} 篇")


def _hints(document: SourceDocument, edition_dir: Path, today: dt.date) -> Hints:
    """What the source says about itself, and the edition's month for dates without a year."""
    month = edition_month(edition_dir)
    return Hints(
        title=document.title,
        subtitle=document.subtitle,
        edition=month,
        fallback_date=_month_end(month) if month else None,
        published=document.published,
        source_url=document.source_url,
        site=document.site,
        source=document.source,
        author=document.author,
        byline=tuple(document.byline),
        site_owner=document.site_owner,
        today=today,
    )


def import_sources(
    sources: list[Path],
    edition_dir: Path,
    section: str | None = None,
    keep_traditional: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    today = today or dt.date.today()
    report = ImportReport()
    for source in sources:
        try:
            document = read_source(source)
        except Exception as error:  # an unreadable file is reported, the others still imported
            reason = (
                str(error)
                if isinstance(error, SourceProblem)
                else f"无法读取（{type(error).__name__}）"
            )
            report.failed.append(f"{source}：{reason}")
            continue
        if document.encoding:
            report.say(f"{source.name}：编码 {document.encoding}")
        script_changes = convert_script(document, keep_traditional)
        unit = "行" if source.suffix.lower() == ".txt" else "段"
        if script_changes:
            report.say(f"{source.name}：繁简与拼音处理 {len(script_changes)} 处")
            _describe(script_changes, source.name, unit, report)
        joins_lines = source.suffix.lower() == ".txt"
        if joins_lines and looks_like_briefing(document.blocks):
            _import_briefing(document, edition_dir, today, report)
            continue
        _ensure_edition(edition_dir, None, today, report)
        hints = _hints(document, edition_dir, today)
        number = listed_count(edition_dir) + 1
        relative = _write_one(
            document.blocks, hints, joins_lines, edition_dir, number, source.name, report
        )
        target = section or first_section_name(edition_dir) or DEFAULT_SECTION
        add_to_manifest(edition_dir, target, [relative])
    return report
