"""Is this PDF fit to distribute? Reads it back and compares it with the edition.

`check_pdf` is the entry point; each `check_*` function adds findings to one
`CheckReport`. Content streams are scanned once (`check_content`), page texts are read
once (`check_text`), and every finding is placed on a page and, where the page belongs
to an article, on that article's file.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from ..edition.load import Edition
from ..pdfread.content import ContentScan, scan_content
from ..pdfread.page_text import (
    PageText,
    clean_pages,
    contents_key,
    first_sentence,
    normalize,
    printed_contents,
    start_page_texts,
)
from ..render.html import RenderedEdition, article_anchor
from ..render.markdown import PlacedImage, new_parser
from ..typeset.glyphs import MISSING_GLYPH_HINT, MissingGlyph, describe, notdef_characters
from .typography import check_typography

A4_POINTS = (595.276, 841.89)
SIZE_TOLERANCE = 1.0
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
PRINT_DPI_ERROR = 150
PRINT_DPI_WARNING = 300
FRONT = "报头与目录"
WHOLE = "全文"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = re.compile(
    rf"^(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]+)$|^\d{{1,3}}(?:\.\d{{1,3}}){{3}}$"
)


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    check: str
    message: str
    page: int | None = None
    article: str | None = None  # the article's title
    hint: str | None = None
    file: str | None = None  # e.g. 2025-11/articles/01.md
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "page": self.page,
            "article": self.article,
            "file": self.file,
            "line": self.line,
            "hint": self.hint,
        }


@dataclass
class CheckReport:
    pdf: Path
    page_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    text_source: str | None = None  # which tool read the page texts

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def error(self, check: str, message: str, **where: Any) -> None:
        self.findings.append(Finding("error", check, message, **where))

    def warn(self, check: str, message: str, **where: Any) -> None:
        self.findings.append(Finding("warning", check, message, **where))

    def as_dict(self, strict: bool = False) -> dict[str, Any]:
        return {
            "pdf": str(self.pdf),
            "pages": self.page_count,
            "ok": self.ok(strict),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [finding.as_dict() for finding in self.findings],
        }

    def groups(self) -> dict[str, list[Finding]]:
        """Findings by article (whole-document ones first), in the order found."""
        groups: dict[str, list[Finding]] = {}

        def order(finding: Finding) -> tuple[int, int]:
            rank = 0 if finding.article is None else 1 if finding.article == FRONT else 2
            return rank, finding.page or 0

        for finding in sorted(self.findings, key=order):
            if finding.article is None:
                key = WHOLE
            elif finding.file is not None and finding.article != FRONT:
                key = f"《{finding.article}》 {finding.file}"
            else:
                key = finding.article
            groups.setdefault(key, []).append(finding)
        return groups

    def text(self, strict: bool = False) -> str:
        if not self.findings:
            return f"{self.pdf.name}：检查通过，共 {self.page_count} 页，可以分发。"
        if self.errors:
            verdict = "不宜分发，请先修正下列错误"
        elif strict:
            verdict = "严格模式下不通过：请处理下列提示"
        else:
            verdict = "可以分发，但请留意下列提示"
        lines = [
            f"{self.pdf.name}：共 {self.page_count} 页，{len(self.errors)} 个错误，"
            f"{len(self.warnings)} 个提示，{verdict}。"
        ]
        for group, findings in self.groups().items():
            lines.append(f"【{group}】")
            for finding in findings:
                label = "错误" if finding.severity == "error" else "提示"
                where = []
                if finding.page:
                    where.append(f"第{finding.page}页")
                if finding.line:
                    where.append(f"{finding.file}:{finding.line}")
                place = f"（{'，'.join(where)}）" if where else ""
                lines.append(f"  {label}{place}：{finding.message}")
                if finding.hint:
                    lines.append(f"        → {finding.hint}")
        return "\n".join(lines)


@dataclass(frozen=True)
class ArticlePlace:
    """Where one article of the edition landed in the PDF."""

    title: str
    file: str
    anchor: str | None
    page: int | None  # its first page, from its link target (else the outline)


@dataclass(frozen=True)
class Placement:
    """Which article each page belongs to."""

    articles: tuple[ArticlePlace, ...]

    @property
    def first_article_page(self) -> int | None:
        pages = [place.page for place in self.articles if place.page is not None]
        return min(pages) if pages else None

    def on_page(self, page: int) -> list[ArticlePlace]:
        """Articles with text on `page`: those starting there and the one running into it."""
        placed = sorted(
            (place for place in self.articles if place.page is not None),
            key=lambda place: place.page or 0,
        )
        before = [place for place in placed if (place.page or 0) < page]
        starting = [place for place in placed if place.page == page]
        return before[-1:] + starting

    def owner(self, page: int) -> ArticlePlace | None:
        """The last article to start on or before `page`."""
        found = self.on_page(page)
        return found[-1] if found else None

    def where(self, page: int | None, owner: ArticlePlace | None = None) -> dict[str, Any]:
        """Keyword arguments placing a finding on `page` and its article."""
        if page is None:
            return {}
        owner = owner or self.owner(page)
        first = self.first_article_page
        if owner is None:
            return {"page": page, "article": FRONT if first is not None else None}
        return {"page": page, "article": owner.title, "file": owner.file}

    def by_title(self, title: str) -> ArticlePlace | None:
        wanted = normalize(title)
        return next((place for place in self.articles if normalize(place.title) == wanted), None)


@dataclass(frozen=True)
class OutlineItem:
    title: str
    page: int | None  # 1-based; None when the bookmark points nowhere
    children: tuple[OutlineItem, ...]


def read_outline(reader: PdfReader) -> list[OutlineItem]:
    def walk(nodes: list[Any]) -> list[OutlineItem]:
        items: list[OutlineItem] = []
        for node in nodes:
            if isinstance(node, list):
                if items:
                    last = items[-1]
                    items[-1] = OutlineItem(last.title, last.page, tuple(walk(node)))
                continue
            try:
                page: int | None = reader.get_destination_page_number(node) + 1
            except Exception:  # a bookmark whose target is gone
                page = None
            if page == 0:
                page = None
            items.append(OutlineItem(str(node.title), page, ()))
        return items

    try:
        return walk(reader.outline)
    except Exception:
        return []


def _destination_page(reader: PdfReader, target: Any) -> int | None:
    """1-based page of a named or explicit destination, None when it leads nowhere."""
    try:
        target = target.get_object() if hasattr(target, "get_object") else target
        if isinstance(target, ArrayObject):
            page_ref = target[0]
            for index, page in enumerate(reader.pages, start=1):
                if page.indirect_reference == page_ref:
                    return index
            return None
        destination = reader.named_destinations.get(str(target))
        if destination is None:
            return None
        number = reader.get_destination_page_number(destination)
        return number + 1 if number >= 0 else None
    except Exception:
        return None


def place_articles(
    reader: PdfReader,
    rendered: RenderedEdition | None,
    edition: Edition | None,
    outline: list[OutlineItem],
) -> Placement:
    if edition is None:
        return Placement(())
    outline_pages = {normalize(child.title): child.page for item in outline for child in item.children}
    places = []
    if rendered is not None:
        for section in rendered.sections:
            for entry in section.entries:
                places.append((entry.article, entry.anchor))
    else:
        for section_number, section in enumerate(edition.manifest.sections, start=1):
            for article_number, article in enumerate(edition.articles_in(section.name), start=1):
                places.append((article, article_anchor(section_number, article_number)))
    placed = []
    for article, anchor in places:
        title = article.front.title
        # The article's own anchor is the truth; the outline is only a fallback.
        page = _destination_page(reader, anchor)
        if page is None:
            page = outline_pages.get(normalize(title))
        placed.append(ArticlePlace(title, article.display_path, anchor, page))
    return Placement(tuple(placed))


# —— Pages and metadata ——


def check_pages(reader: PdfReader, placement: Placement, report: CheckReport) -> None:
    for number, page in enumerate(reader.pages, start=1):
        box = page.trimbox if "/TrimBox" in page else page.mediabox
        size = (float(box.width), float(box.height))
        if any(abs(a - b) > SIZE_TOLERANCE for a, b in zip(size, A4_POINTS, strict=True)):
            report.error(
                "pages",
                f"页面尺寸 {size[0]:.0f}×{size[1]:.0f} pt（{size[0] / 72 * 25.4:.0f}×"
                f"{size[1] / 72 * 25.4:.0f} mm）不是 A4（210×297 mm）",
                hint="样式表的 @page size 应为 A4",
                **placement.where(number),
            )


def check_metadata(reader: PdfReader, expected_title: str | None, report: CheckReport) -> None:
    info = reader.metadata or {}
    title = str(info.get("/Title", "") or "")
    hint = "这些信息来自 issue.yaml 与模板；请用 briefing build 重新生成"
    if not title:
        report.error("metadata", "PDF 缺少标题（Title）", hint=hint)
    elif expected_title and title != expected_title:
        report.error("metadata", f"PDF 标题为“{title}”，应为“{expected_title}”", hint=hint)
    if not info.get("/Author"):
        report.error("metadata", "PDF 缺少作者（Author）", hint=hint)
    language = reader.trailer["/Root"].get("/Lang")
    if str(language or "") != "zh-CN":
        report.error("metadata", f"PDF 语言应为 zh-CN，实为 {language or '未设置'}", hint=hint)


# —— Fonts and missing glyphs ——


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


# —— Structure: outline, printed contents, links ——


def check_structure(
    reader: PdfReader,
    edition: Edition,
    outline: list[OutlineItem],
    placement: Placement,
    pages: list[PageText] | None,
    report: CheckReport,
) -> None:
    expected = [
        (section.name, [article.front.title for article in edition.articles_in(section.name)])
        for section in edition.manifest.sections
    ]
    got_sections = [item.title for item in outline]
    if got_sections != [name for name, _ in expected]:
        report.error(
            "outline",
            f"书签的栏目为 {got_sections}，应为 {[name for name, _ in expected]}",
            hint="用 briefing build 重新生成",
        )
    children = {normalize(child.title): (item.title, child) for item in outline for child in item.children}
    for section_name, titles in expected:
        for title in titles:
            place = placement.by_title(title)
            where = placement.where(place.page if place else None) or {"article": title}
            where["article"] = title
            if place is not None:
                where["file"] = place.file
            found = children.get(normalize(title))
            if found is None:
                report.error("outline", "PDF 书签中缺少这篇稿件", hint="用 briefing build 重新生成", **where)
                continue
            parent, child = found
            if parent != section_name:
                report.error("outline", f"书签中这篇稿件在“{parent}”栏目下，应在“{section_name}”下", **where)
            if child.page is None:
                report.error("outline", "书签没有指向任何页面", **where)
            elif place is not None and place.page is not None and child.page != place.page:
                report.error("outline", f"书签指向第{child.page}页，稿件实际从第{place.page}页开始", **where)
    order = [normalize(child.title) for item in outline for child in item.children]
    wanted = [normalize(title) for _, titles in expected for title in titles]
    if sorted(order) == sorted(wanted) and order != wanted:
        report.error("outline", "书签中稿件的顺序与 issue.yaml 不一致", hint="用 briefing build 重新生成")

    first = placement.first_article_page
    if first is None:
        return
    contents_pages = range(1, max(2, first))
    if pages is not None:
        section_names = [section.name for section in edition.manifest.sections]
        _check_printed_contents(pages, contents_pages, section_names, placement, report)
    _check_contents_links(reader, contents_pages, placement, report)


def _check_printed_contents(
    pages: list[PageText],
    contents_pages: range,
    section_names: list[str],
    placement: Placement,
    report: CheckReport,
) -> None:
    printed = printed_contents(pages, contents_pages, section_names)
    by_title = {entry.title: entry for entry in printed}
    for place in placement.articles:
        entry = by_title.get(contents_key(place.title))
        where = {"article": place.title, "file": place.file}
        if entry is None:
            report.error(
                "contents",
                f"目录页上找不到这篇稿件（稿件在第{place.page}页）",
                page=contents_pages.start,
                hint="用 briefing build 重新生成；若仍缺，请报告排版问题",
                **where,
            )
            continue
        if place.page is not None and entry.number != place.page:
            report.error(
                "contents",
                f"目录印的页码是 {entry.number}，稿件实际在第{place.page}页",
                page=entry.page,
                hint="用 briefing build 重新生成；若仍不符，请报告排版问题",
                **where,
            )
    known = {contents_key(place.title) for place in placement.articles}
    for entry in printed:
        if entry.title not in known:
            report.error(
                "contents",
                f"目录中的“{entry.title}”不是本期的稿件（第{entry.number}页）",
                page=entry.page,
            )


def _link_target(annotation: DictionaryObject) -> tuple[str, Any] | None:
    """("goto", destination) or ("uri", address) for a link annotation."""
    target = annotation.get("/Dest")
    if target is not None:
        return "goto", target
    action = annotation.get("/A")
    if action is None:
        return None
    action = action.get_object()
    kind = action.get("/S")
    if kind == "/URI":
        return "uri", str(action.get("/URI", ""))
    if kind == "/GoTo":
        return "goto", action.get("/D")
    return str(kind), None


def _check_contents_links(
    reader: PdfReader, contents_pages: range, placement: Placement, report: CheckReport
) -> None:
    targets: set[str] = set()
    for number in contents_pages:
        if number > len(reader.pages):
            break
        for annotation in reader.pages[number - 1].get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = _link_target(annotation)
            if target and target[0] == "goto" and target[1] is not None:
                targets.add(str(target[1].get_object() if hasattr(target[1], "get_object") else target[1]))
    for place in placement.articles:
        if place.anchor is None:
            continue
        if place.anchor not in targets:
            report.error(
                "links",
                "目录中这一条不能点击跳转到正文",
                page=contents_pages.start,
                article=place.title,
                file=place.file,
                hint="用 briefing build 重新生成",
            )
        elif place.page is None:
            report.error(
                "links",
                "目录链接指向的位置在 PDF 中不存在",
                page=contents_pages.start,
                article=place.title,
                file=place.file,
            )


def well_formed_uri(uri: str) -> str | None:
    """Why `uri` is not a usable external address, or None when it is fine."""
    if not uri or any(character.isspace() for character in uri):
        return "网址为空或含空格"
    try:
        parts = urlsplit(uri)
        port = parts.port  # raises ValueError on a bad port
    except ValueError:
        return "网址格式错误"
    del port
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return None if re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", parts.path) else "邮件地址格式错误"
    if scheme not in ("http", "https"):
        return f"网址应以 http:// 或 https:// 开头（实为 {scheme or '无'}）"
    host = parts.hostname or ""
    try:
        host.encode("idna")
    except UnicodeError:
        return "网址中的域名格式错误"
    ascii_host = host.encode("idna").decode("ascii") if host else ""
    if not _HOST.match(ascii_host) and ascii_host != "localhost":
        return "网址中的域名格式错误"
    return None


def check_links(reader: PdfReader, placement: Placement, report: CheckReport) -> None:
    """Every link on every page leads somewhere: an existing page, or a well-formed URI."""
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = _link_target(annotation)
            if target is None:
                report.error("links", "有一个链接没有目标", **placement.where(number))
                continue
            kind, value = target
            if kind == "goto":
                if value is None or _destination_page(reader, value) is None:
                    report.error(
                        "links",
                        f"页内链接 {value} 指向的位置不存在",
                        hint="用 briefing build 重新生成",
                        **placement.where(number),
                    )
            elif kind == "uri":
                problem = well_formed_uri(value)
                if problem:
                    report.error(
                        "links",
                        f"外部链接 {value}：{problem}",
                        hint="改正稿件信息块中的 source_url 或正文中的链接",
                        **placement.where(number),
                    )
            else:
                report.warn("links", f"不常见的链接类型 {kind}", **placement.where(number))


# —— Text present ——


def check_text_present(
    edition: Edition, placement: Placement, pages: list[PageText], report: CheckReport
) -> None:
    parser = new_parser()
    articles = {article.display_path: article for article in edition.articles}
    for place in placement.articles:
        if place.page is None or place.page > len(pages):
            continue
        haystack = pages[place.page - 1].body
        if place.page < len(pages):
            haystack += pages[place.page].body
        where = {"page": place.page, "article": place.title, "file": place.file}
        if normalize(place.title) not in haystack:
            report.error(
                "text",
                f"第{place.page}页及下一页上找不到标题“{place.title}”的文字",
                hint="可能是字体缺字或文字被转成了图形；用 briefing build 重新生成",
                **where,
            )
        article = articles.get(place.file)
        sentence = first_sentence(article, parser) if article else ""
        if sentence and normalize(sentence) not in haystack:
            report.error(
                "text",
                f"第{place.page}页及下一页上找不到正文第一句“{sentence}”",
                hint="可能是字体缺字或文字被转成了图形；用 briefing build 重新生成",
                line=article.body_first_line if article else None,
                **where,
            )


# —— Images ——


def _pixel_size(path: Path) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(path) as image:
            return image.size
    except Exception:  # SVG or unreadable: not a raster we can match
        return None


def check_images(
    scan: ContentScan,
    images: Sequence[PlacedImage],
    placement: Placement,
    report: CheckReport,
) -> None:
    sizes = {image: _pixel_size(image.path) for image in images}
    told: set[tuple[int, tuple[int, int]]] = set()
    for drawn in scan.images:
        # Rounded: an image placed at exactly 300 dpi measures 299.99 through the matrix.
        dpi = round(drawn.dpi)
        if dpi >= PRINT_DPI_WARNING:
            continue
        key = (drawn.page, drawn.pixels)
        if key in told:
            continue
        told.add(key)
        where = placement.where(drawn.page)
        # Name the file: an image of the same pixel size in the page's article first.
        candidates = [image for image in images if sizes[image] == drawn.pixels]
        own = [image for image in candidates if image.article == where.get("file")]
        source = (own or candidates or [None])[0]
        name = source.path.name if source else f"{drawn.pixels[0]}×{drawn.pixels[1]} 像素的图片"
        if source is not None:
            where = {**where, "file": source.article, "line": source.line}
        width_mm = drawn.size_points[0] / 72 * 25.4
        needed = round(width_mm / 25.4 * PRINT_DPI_WARNING)
        message = (
            f"图片 {name} 印刷分辨率只有 {dpi:.0f} dpi"
            f"（{drawn.pixels[0]}×{drawn.pixels[1]} 像素，印出宽 {width_mm:.0f} mm）"
        )
        hint = f"换用更清晰的原图（这个宽度需要约 {needed} 像素宽）"
        if dpi < PRINT_DPI_ERROR:
            report.error("images", message + "，印出来会模糊", hint=hint, **where)
        else:
            report.warn("images", message + f"，低于 {PRINT_DPI_WARNING} dpi", hint=hint, **where)


# —— Entry point ——


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    # pypdf logs repairs ("EOF marker not found") to stderr; the report says what matters.
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


def check_pdf(
    pdf_path: Path,
    edition: Edition | None = None,
    shipped_families: set[str] | None = None,
    *,
    rendered: RenderedEdition | None = None,
    missing_glyphs: Sequence[MissingGlyph] = (),
    typeset_warnings: Sequence[str] = (),
) -> CheckReport:
    """Check `pdf_path`; with `edition` (better: `rendered`) also against the edition."""
    with _quiet_pypdf():
        return _check_pdf(pdf_path, edition, shipped_families, rendered, missing_glyphs, typeset_warnings)


def _check_pdf(
    pdf_path: Path,
    edition: Edition | None,
    shipped_families: set[str] | None,
    rendered: RenderedEdition | None,
    missing_glyphs: Sequence[MissingGlyph],
    typeset_warnings: Sequence[str],
) -> CheckReport:
    if rendered is not None:
        edition = rendered.edition
    report = CheckReport(pdf_path)
    try:
        reader = PdfReader(pdf_path)
        report.page_count = len(reader.pages)
    except Exception as error:  # any unreadable file is a finding, not a crash
        report.error("pdf", f"无法读取 PDF（文件已损坏或不是 PDF）：{error}")
        return report
    if report.page_count == 0:
        report.error("pages", "PDF 没有页面")
        return report
    # pdftotext reads the page texts in its own process while Python scans the content.
    pending_texts = start_page_texts(pdf_path)
    try:
        outline = read_outline(reader)
        placement = place_articles(reader, rendered, edition, outline)
        scan = scan_content(reader)

        check_pages(reader, placement, report)
        expected_title = None
        if edition is not None:
            expected_title = edition.manifest.document_title
        check_metadata(reader, expected_title, report)
        check_fonts(scan, shipped_families or set(), placement, report)
        check_glyphs(scan, placement, missing_glyphs, typeset_warnings, report)
        # The masthead and contents pages are not prose: measure from the first article on.
        article_pages = [child.page for item in outline for child in item.children]
        body_from = min(article_pages) if article_pages else 1
        check_typography(pdf_path, report, scan.chars, first_page=body_from)

        texts, report.text_source = pending_texts.result(reader)
        pages: list[PageText] | None = clean_pages(
            texts, edition.manifest.running_header if edition is not None else None
        )
        if report.text_source == "pypdf" and any(not font.identity_encoding for font in scan.fonts.values()):
            # pypdf's text is unreliable once a glyph is missing: do not report what it misses.
            report.warn("text", "未安装 pdftotext，且 PDF 有缺字，无法核对目录和正文文字")
            pages = None
        if edition is not None:
            check_structure(reader, edition, outline, placement, pages, report)
            if pages is not None:
                check_text_present(edition, placement, pages, report)
        check_links(reader, placement, report)
        check_images(scan, rendered.images if rendered else (), placement, report)
        # PDF/A, tags and print boxes, when the file declares them (imported here: they import Finding).
        from .conformance import conformance_findings

        report.findings += conformance_findings(pdf_path, rendered)
    finally:
        pending_texts.close()
    return report


def shipped_font_families(styles_dir: Path) -> set[str]:
    """Names the shipped fonts appear under in a PDF.

    The @font-face family names (how the stylesheets load them), and each font file's
    own family name: text in a generic family such as `monospace` reaches the same
    files through fontconfig, which is limited to fonts/ and names them that way.
    """
    from fontTools.ttLib import TTFont

    from ..typeset.typesetter import required_font_files

    families = set()
    for stylesheet in styles_dir.glob("*.css"):
        families |= set(
            re.findall(
                r"@font-face\s*{[^}]*font-family:\s*['\"]([^'\"]+)['\"]",
                stylesheet.read_text("utf-8"),
            )
        )
    for path in required_font_files(styles_dir):
        if path.is_file():
            with TTFont(path, lazy=True) as font:
                families.add(font["name"].getDebugName(1) or "")
    return families - {""}
