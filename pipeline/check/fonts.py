"""Fonts and missing glyphs: every font embedded, subset and ours; no box on paper.

Missing glyphs are found in three layers, merged here so one box on paper gives
one finding with its page and source line: the pre-typesetting scan of the
sources (`typeset.glyphs`), WeasyPrint's `.notdef` warnings, and the content
scan of the PDF (glyph 0 drawn, a non-Identity encoding, a font we do not ship).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pypdf.generic import DictionaryObject

from ..pdfread.content import ContentScan
from ..typeset.glyphs import MISSING_GLYPH_HINT, MissingGlyph, describe, notdef_characters
from .placement import Placement
from .report import FRONT, CheckReport

SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


def _is_embedded(font: DictionaryObject) -> bool:
    candidates = [font]
    for descendant in font.get("/DescendantFonts", []):
        candidates.append(descendant.get_object())
    for candidate in candidates:
        descriptor = candidate.get("/FontDescriptor")
        if descriptor is None:
            continue
        descriptor = descriptor.get_object()
        if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            return True
    return False


def _pages_text(pages: set[int]) -> str:
    ordered = sorted(pages)
    shown = "、".join(str(page) for page in ordered[:8])
    return f"第{shown}{'等' if len(ordered) > 8 else ''}页"


def _articles_text(pages: set[int], placement: Placement) -> str:
    titles: list[str] = []
    front = False
    for page in sorted(pages):
        on_page = placement.on_page(page)
        front = front or (not on_page and bool(placement.articles))
        titles += [place.title for place in on_page if place.title not in titles]
    shown = [f"《{title}》" for title in titles[:5]] + ([FRONT] if front else [])
    if not shown:
        return ""
    return f"，涉及{'、'.join(shown)}{'等' if len(titles) > 5 else ''}"


def check_fonts(
    scan: ContentScan, shipped_families: set[str], placement: Placement, report: CheckReport
) -> None:
    shipped = {family.replace(" ", "").replace("-", "") for family in shipped_families}
    for name, drawn in sorted(scan.fonts.items()):
        where = placement.where(min(drawn.pages)) if drawn.pages else {}
        used = f"（用于{_pages_text(drawn.pages)}{_articles_text(drawn.pages, placement)}）"
        if not _is_embedded(drawn.font):
            report.error(
                "fonts",
                f"字体 {name} 没有嵌入 PDF{used}，印厂可能换成别的字体",
                hint="用 briefing build 重新生成；其他软件导出或改过的 PDF 请勿直接分发",
                **where,
            )
            continue
        if not SUBSET_TAG.match(name):
            report.warn("fonts", f"字体 {name} 整体嵌入而非子集，文件偏大{used}", **where)
        # WeasyPrint names an embedded font after its @font-face family ("Briefing-Serif-Bold").
        family_name = SUBSET_TAG.sub("", name).replace("-", "")
        if shipped and not any(family_name.startswith(item) for item in shipped):
            report.error(
                "fonts",
                f"使用了未随工具提供的字体 {name}{used}（系统字体替代了缺字）",
                hint="检查这些页面上是否有字库不含的字符，例如表情符号或生僻字",
                **where,
            )


def check_glyphs(
    scan: ContentScan,
    placement: Placement,
    missing: Sequence[MissingGlyph],
    typeset_warnings: Sequence[str],
    report: CheckReport,
) -> None:
    """All three layers, merged so one box on paper gives one finding with page and line."""
    by_file: dict[tuple[str, str], list[MissingGlyph]] = {}
    for glyph in missing:
        by_file.setdefault((glyph.file, glyph.character), []).append(glyph)
    reported: set[tuple[str | None, str | None, str]] = set()  # (article, file, character)
    seen_on_paper: set[str] = set()
    for name, drawn in sorted(scan.fonts.items()):
        if not drawn.identity_encoding and not drawn.notdef_pages:
            report.error(
                "glyphs",
                f"字体 {name} 的编码不是 Identity-H（缺字的迹象）",
                hint=MISSING_GLYPH_HINT,
                **placement.where(min(drawn.pages) if drawn.pages else None),
            )
        for page, codes in sorted(drawn.notdef_pages.items()):
            characters = drawn.characters_for(codes) or "?"
            for character in characters:
                seen_on_paper.add(character)
                # Of the articles on this page, the one whose file holds the character.
                holders = [place for place in placement.on_page(page) if (place.file, character) in by_file]
                where = placement.where(page, holders[0] if holders else None)
                if "file" not in where:  # masthead or contents: issue.yaml or a title
                    source = next((g for g in missing if g.character == character), None)
                    if source is not None:
                        where["file"] = source.file
                key = (where.get("article"), where.get("file"), character)
                if key in reported:
                    continue
                reported.add(key)
                glyphs = by_file.get((where.get("file", ""), character), [])
                lines = sorted({glyph.line for glyph in glyphs})
                described = describe(character) if character != "?" else "（无法识别的字符）"
                in_lines = f"（源文件第{'、'.join(map(str, lines))}行）" if len(lines) > 1 else ""
                report.error(
                    "glyphs",
                    f"字库中没有字符 {described}，印出来是空白方框{in_lines}",
                    hint=MISSING_GLYPH_HINT,
                    **where,
                    **({"line": lines[0]} if lines else {}),
                )
    told_files = {(file, character) for _, file, character in reported if file}
    for glyph in missing:
        if (glyph.file, glyph.character) in told_files:
            continue
        told_files.add((glyph.file, glyph.character))
        report.error(
            "glyphs",
            f"字库中没有字符 {describe(glyph.character)}（第{glyph.column}列），印出来会是空白方框",
            hint=MISSING_GLYPH_HINT,
            article=glyph.article or FRONT,
            file=glyph.file,
            line=glyph.line,
        )
        seen_on_paper.add(glyph.character)
    for character in notdef_characters(list(typeset_warnings)):
        if character not in seen_on_paper:
            report.error(
                "glyphs",
                f"排版时字库缺少字符 {describe(character)}，印出来是空白方框",
                hint=MISSING_GLYPH_HINT,
            )
