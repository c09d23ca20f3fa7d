"""`briefing import`: read → convert script → clean → write, with a report for the editor."""

from __future__ import annotations

import datetime as dt
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
from .briefing_split import looks_like_briefing, split_briefing
from .clean import Hints, clean_article
from .normalize import Change, is_traditional, normalize_line, normalize_text
from .sources import Block, Heading, Paragraph, Picture, SourceDocument, Table, read_source
from .write import default_masthead, write_article

DEFAULT_SECTION = "新闻动态"


@dataclass
class ImportReport:
    """What the import did, in lines an editor reads (warnings separate)."""

    lines: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


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


def _describe(changes: list[Change], shown_as: str, unit: str) -> list[str]:
    lines = []
    for change in changes:
        where = (
            f"{shown_as}:{change.line}:{change.column}"
            if unit == "行"
            else f"{shown_as} 第{change.line}{unit}"
        )
        lines.append(f"    {where}: {change.describe()}")
    return lines


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
    report.lines.append(f"新建了这一期：{display_path(manifest, edition_dir)}")
    if masthead.guessed:
        report.warnings.append(
            "issue.yaml 中 confirm: 下列出的字段是推定的（期号、主办单位等），请核对后删去"
        )


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
    report.lines.append(
        f"{source_name} → {shown}：《{draft.title}》（{draft.published}，{draft.source}）"
    )
    if written.renamed_from:
        report.lines.append(
            f"    已有同名文件 {written.renamed_from}，未覆盖，另存为 {written.path.name}"
        )
    report.lines += _describe(changes, shown, "行")
    report.warnings += [f"{shown}：{warning}" for warning in (*draft.warnings, *written.warnings)]
    return written.relative


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
        except Exception as error:
            from .sources import SourceProblem

            reason = (
                str(error)
                if isinstance(error, SourceProblem)
                else f"无法读取（{type(error).__name__}）"
            )
            report.failed.append(f"{source}：{reason}")
            continue
        if document.encoding:
            report.lines.append(f"{source.name}：编码 {document.encoding}")
        script_changes = convert_script(document, keep_traditional)
        unit = "行" if source.suffix.lower() == ".txt" else "段"
        if script_changes:
            report.lines.append(f"{source.name}：繁简与拼音处理 {len(script_changes)} 处")
            report.lines += _describe(script_changes, source.name, unit)
        joins_lines = source.suffix.lower() == ".txt"

        if joins_lines and looks_like_briefing(document.blocks):
            split = split_briefing(document.blocks, today)
            _ensure_edition(edition_dir, split.masthead, today, report)
            report.warnings += list(split.warnings)
            number = listed_count(edition_dir)
            by_section: dict[str, list[str]] = {}
            for entry, blocks in split.articles:
                number += 1
                hints = Hints(
                    title=entry.title,
                    year=split.masthead.period_end.year,
                    fallback_date=split.masthead.period_end,
                    today=today,
                )
                relative = _write_one(blocks, hints, True, edition_dir, number, source.name, report)
                by_section.setdefault(entry.section, []).append(relative)
            for name, paths in by_section.items():
                add_to_manifest(edition_dir, name, paths)
            report.lines.append(
                f"整期导入：{len(by_section)} 个栏目，共 {sum(map(len, by_section.values()))} 篇"
            )
            continue

        _ensure_edition(edition_dir, None, today, report)
        hints = Hints(
            title=document.title,
            published=document.published,
            source_url=document.source_url,
            site=document.site,
            today=today,
        )
        number = listed_count(edition_dir) + 1
        relative = _write_one(
            document.blocks, hints, joins_lines, edition_dir, number, source.name, report
        )
        target = section or first_section_name(edition_dir) or DEFAULT_SECTION
        add_to_manifest(edition_dir, target, [relative])
    return report
