"""Is this PDF fit to distribute? Reads it back with pypdf and compares it with the edition."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

from .layout_metrics import check_typography
from .load import Edition

A4_POINTS = (595.276, 841.89)
SIZE_TOLERANCE = 1.0
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳㉑㉒㉓㉔㉕㉖㉗㉘㉙㉚㉛㉜㉝㉞㉟㊱㊲㊳㊴㊵㊶㊷㊸㊹㊺㊻㊼㊽㊾㊿"
SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    check: str
    message: str
    page: int | None = None
    article: str | None = None
    hint: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "page": self.page,
            "article": self.article,
            "hint": self.hint,
        }


@dataclass
class CheckReport:
    pdf: Path
    page_count: int = 0
    findings: list[Finding] = field(default_factory=list)

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

    def as_dict(self) -> dict[str, Any]:
        return {
            "pdf": str(self.pdf),
            "pages": self.page_count,
            "ok": self.ok(),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [finding.as_dict() for finding in self.findings],
        }

    def text(self) -> str:
        if not self.findings:
            return f"{self.pdf.name}：检查通过，共 {self.page_count} 页，可以分发。"
        verdict = "不宜分发" if self.errors else "可以分发，但请留意以下提示"
        lines = [
            f"{self.pdf.name}：{len(self.errors)} 个错误，{len(self.warnings)} 个提示，{verdict}。"
        ]
        groups: dict[str, list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault(finding.article or "全文", []).append(finding)
        for group, findings in groups.items():
            lines.append(f"【{group}】")
            for finding in findings:
                label = "错误" if finding.severity == "error" else "提示"
                where = f"第{finding.page}页 " if finding.page else ""
                lines.append(f"  {label}：{where}{finding.message}")
                if finding.hint:
                    lines.append(f"        → {finding.hint}")
        return "\n".join(lines)


def normalize(text: str) -> str:
    """Compare texts as a reader would: NFKC, no whitespace."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class OutlineItem:
    title: str
    page: int  # 1-based
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
            page = reader.get_destination_page_number(node) + 1
            items.append(OutlineItem(str(node.title), page, ()))
        return items

    return walk(reader.outline)


def _fonts_drawn(reader: PdfReader) -> dict[str, tuple[DictionaryObject, set[int]]]:
    """Fonts actually used by `Tf` in page content (and forms), by BaseFont, with pages."""
    drawn: dict[str, tuple[DictionaryObject, set[int]]] = {}

    def visit(content: Any, resources: DictionaryObject, page_number: int, seen: set[int]) -> None:
        fonts = resources.get("/Font", DictionaryObject()).get_object() if resources else {}
        xobjects = resources.get("/XObject", DictionaryObject()).get_object() if resources else {}
        for operands, operator in ContentStream(content, reader).operations:
            if operator == b"Tf" and operands:
                font = fonts.get(operands[0])
                if font is not None:
                    font = font.get_object()
                    name = str(font.get("/BaseFont", operands[0]))
                    drawn.setdefault(name, (font, set()))[1].add(page_number)
            elif operator == b"Do" and operands:
                reference = xobjects.get(operands[0])
                if isinstance(reference, IndirectObject) and reference.idnum in seen:
                    continue
                xobject = reference.get_object() if reference is not None else None
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    if isinstance(reference, IndirectObject):
                        seen.add(reference.idnum)
                    inner = xobject.get("/Resources")
                    visit(xobject, inner.get_object() if inner else resources, page_number, seen)

    for number, page in enumerate(reader.pages, start=1):
        contents = page.get_contents()
        if contents is None:
            continue
        resources = page.get("/Resources")
        visit(contents, resources.get_object() if resources else DictionaryObject(), number, set())
    return drawn


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


def check_fonts(reader: PdfReader, shipped_families: set[str], report: CheckReport) -> None:
    shipped = {family.replace(" ", "") for family in shipped_families}
    for name, (font, pages) in sorted(_fonts_drawn(reader).items()):
        base = name.lstrip("/")
        first_page = min(pages)
        if not _is_embedded(font):
            report.error("fonts", f"字体 {base} 没有嵌入 PDF", page=first_page,
                         hint="重新用 briefing build 生成；其他软件导出的 PDF 请勿直接分发")
            continue
        if not SUBSET_TAG.match(base):
            report.warn("fonts", f"字体 {base} 整体嵌入而非子集，文件偏大", page=first_page)
        # WeasyPrint names an embedded font after its @font-face family ("Briefing-Serif-Bold").
        family_name = SUBSET_TAG.sub("", base).replace("-", "")
        if shipped and not any(family_name.startswith(item) for item in shipped):
            report.error("fonts", f"使用了未随工具提供的字体 {base}（可能是系统字体替代）",
                         page=first_page, hint="检查是否有字库不含的字符，例如表情符号")


def check_pages(reader: PdfReader, report: CheckReport) -> None:
    for number, page in enumerate(reader.pages, start=1):
        box = page.trimbox if "/TrimBox" in page else page.mediabox
        size = (float(box.width), float(box.height))
        if any(abs(a - b) > SIZE_TOLERANCE for a, b in zip(size, A4_POINTS, strict=True)):
            report.error("pages", f"页面尺寸 {size[0]:.0f}×{size[1]:.0f} pt 不是 A4", page=number)


def check_metadata(reader: PdfReader, expected_title: str | None, report: CheckReport) -> None:
    info = reader.metadata or {}
    title = str(info.get("/Title", "") or "")
    if not title:
        report.error("metadata", "PDF 缺少标题（Title）")
    elif expected_title and title != expected_title:
        report.error("metadata", f"PDF 标题为“{title}”，应为“{expected_title}”")
    if not info.get("/Author"):
        report.error("metadata", "PDF 缺少作者（Author）")
    language = reader.trailer["/Root"].get("/Lang")
    if str(language or "") != "zh-CN":
        report.error("metadata", f"PDF 语言应为 zh-CN，实为 {language or '未设置'}")


def printed_contents(reader: PdfReader, last_page: int) -> list[tuple[str, int]]:
    """(title, printed page number) for every entry on the contents pages, in order."""
    text = "".join(reader.pages[index].extract_text() for index in range(last_page))
    entries = []
    # Split on the marks before normalising: NFKC turns ① into 1.
    for chunk in re.split(f"[{CIRCLED}]", text)[1:]:
        chunk = normalize(chunk.split("——")[0])
        match = re.match(r"^(.*?)[.·…]+(\d+)$", chunk)
        if match:
            entries.append((match.group(1), int(match.group(2))))
    return entries


def contents_links(reader: PdfReader, last_page: int) -> list[tuple[str, int | None]]:
    """(destination name, target page) of each internal link on the contents pages."""
    destinations = reader.named_destinations
    links: list[tuple[str, int | None]] = []
    for index in range(last_page):
        for annotation in reader.pages[index].get("/Annots", []) or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            target = annotation.get("/Dest")
            if target is None:
                action = annotation.get("/A")
                target = action.get_object().get("/D") if action is not None else None
            if target is None:
                continue
            name = str(target)
            if any(existing == name for existing, _ in links):
                continue
            destination = destinations.get(name)
            page = reader.get_destination_page_number(destination) + 1 if destination else None
            links.append((name, page))
    return links


def check_structure(reader: PdfReader, edition: Edition, report: CheckReport) -> None:
    outline = read_outline(reader)
    manifest = edition.manifest
    expected = [
        (section.name, [article.front.title for article in edition.articles_in(section.name)])
        for section in manifest.sections
    ]
    got = [(item.title, [child.title for child in item.children]) for item in outline]
    if [name for name, _ in got] != [name for name, _ in expected]:
        report.error(
            "outline",
            f"书签的栏目为 {[name for name, _ in got]}，应为 {[name for name, _ in expected]}",
        )
    articles = [child for item in outline for child in item.children]
    titles = [title for _, section_titles in expected for title in section_titles]
    for title in titles:
        if not any(normalize(child.title) == normalize(title) for child in articles):
            report.error("outline", f"书签中缺少稿件《{title}》", article=title)
    in_order = [normalize(child.title) for child in articles] == [normalize(title) for title in titles]
    if not in_order and len(articles) == len(titles):
        report.error("outline", "书签中稿件的顺序与 issue.yaml 不一致")
    if not articles:
        return
    contents_end = max(1, min(child.page for child in articles) - 1)
    printed = printed_contents(reader, contents_end)
    links = contents_links(reader, contents_end)
    if len(printed) != len(titles):
        report.error(
            "contents",
            f"目录页列出 {len(printed)} 篇稿件，issue.yaml 中有 {len(titles)} 篇",
            page=1,
        )
    for index, item in enumerate(articles):
        title = item.title
        if index < len(printed):
            printed_title, printed_page = printed[index]
            if printed_title != normalize(title):
                report.error("contents", f"目录第 {index + 1} 条为“{printed_title}”，与书签“{title}”不符",
                             page=1, article=title)
            elif printed_page != item.page:
                report.error(
                    "contents",
                    f"目录中页码为 {printed_page}，书签指向第 {item.page} 页",
                    page=1,
                    article=title,
                    hint="重新生成 PDF；若仍不符，请报告排版问题",
                )
        if index < len(links):
            name, page = links[index]
            if page is None:
                report.error("links", f"目录链接 {name} 没有指向任何页面", page=1, article=title)
            elif page != item.page:
                report.error("links", f"目录链接指向第 {page} 页，书签指向第 {item.page} 页",
                             page=1, article=title)
        else:
            report.error("links", "目录中这一条没有可点击的链接", page=1, article=title)


def check_pdf(
    pdf_path: Path,
    edition: Edition | None = None,
    shipped_families: set[str] | None = None,
) -> CheckReport:
    report = CheckReport(pdf_path)
    try:
        reader = PdfReader(pdf_path)
        report.page_count = len(reader.pages)
    except Exception as error:  # any unreadable file is a finding, not a crash
        report.error("pdf", f"无法读取 PDF：{error}")
        return report
    if report.page_count == 0:
        report.error("pages", "PDF 没有页面")
        return report
    check_pages(reader, report)
    expected_title = None
    if edition is not None:
        expected_title = f"{edition.manifest.title} {edition.manifest.edition_label}"
    check_metadata(reader, expected_title, report)
    check_fonts(reader, shipped_families or set(), report)
    check_typography(pdf_path, report)
    if edition is not None:
        check_structure(reader, edition, report)
    return report


def shipped_font_families(styles_dir: Path) -> set[str]:
    """Family names declared by @font-face in the house stylesheet."""
    families = set()
    for stylesheet in styles_dir.glob("*.css"):
        text = stylesheet.read_text("utf-8")
        families |= set(re.findall(r"@font-face\s*{[^}]*font-family:\s*['\"]([^'\"]+)['\"]", text))
    return families

