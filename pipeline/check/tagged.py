"""Tagged PDF: does the structure tree say what the page shows, in the order it is read?

An archive copy is read by people who cannot see the page (screen readers), by
reflowing viewers and by text extraction decades later; all of them follow the
structure tree, not the drawing. The checks compare that tree with the HTML the
edition was typeset from: every heading with its level and text, paragraphs, lists,
tables with header cells, each figure with its caption as alternate text, the
document language, and the reading order — the article titles, in the tree's order,
must be the contents' order.
"""

from __future__ import annotations

import html as html_lib
import re
from collections import Counter
from dataclasses import dataclass

import pikepdf

from ..pdfread.page_text import normalize
from ..pdfread.structure import StructElement
from ..render.html import RenderedEdition
from .report import Finding

CHECK = "tags"
HINT = "用 briefing build --variant archive 重新生成；若仍如此，请报告排版问题"
_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)
_IMG_ALT = re.compile(r"<img\b[^>]*\balt=\"([^\"]*)\"")
_TAG = re.compile(r"<[^>]+>")


def is_missing_alt_warning(message: str) -> bool:
    """WeasyPrint's own (English) note of an image without alt text, told here instead."""
    return "has no required alt description" in message


def _plain(fragment: str) -> str:
    return normalize(html_lib.unescape(_TAG.sub("", fragment)))


@dataclass(frozen=True)
class ExpectedTags:
    """What the tree must hold, read from the HTML handed to WeasyPrint."""

    headings: tuple[tuple[int, str], ...]  # (level, normalised text)
    captions: tuple[str, ...]  # alt text of each image, normalised, in order
    tables: int
    header_cells: int
    article_titles: tuple[str, ...]  # normalised, in contents order

    @classmethod
    def from_rendered(cls, rendered: RenderedEdition) -> ExpectedTags:
        titles = [entry.article.front.title for section in rendered.sections for entry in section.entries]
        return cls.from_html(rendered.html, titles)

    @classmethod
    def from_html(cls, html: str, article_titles: list[str]) -> ExpectedTags:
        body = html.split("<body", 1)[-1]
        return cls(
            tuple((int(level), _plain(text)) for level, text in _HEADING.findall(body)),
            tuple(_plain(alt) for alt in _IMG_ALT.findall(body)),
            len(re.findall(r"<table\b", body)),
            len(re.findall(r"<th\b", body)),
            tuple(normalize(title) for title in article_titles),
        )


def _error(message: str, page: int | None = None) -> Finding:
    return Finding("error", CHECK, message, page=page, hint=HINT)


def check_catalog(pdf: pikepdf.Pdf) -> list[Finding]:
    found = []
    mark_info = pdf.Root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or not bool(mark_info.get("/Marked", False)):
        found.append(_error("PDF 未标明为带标签文档（MarkInfo /Marked true）"))
    if str(pdf.Root.get("/Lang", "")) != "zh-CN":
        found.append(_error(f"文档语言应为 zh-CN，实为 {pdf.Root.get('/Lang') or '未设置'}，朗读软件会读错"))
    return found


def article_titles_in_reading_order(tree: StructElement) -> list[str]:
    """Article titles as the tree reads them: headings that open an article (Art) element."""
    return [
        normalize(element.text)
        for element in tree.walk()
        if element.kind.startswith("H") and element.parent is not None and element.parent.kind == "Art"
        and element.kind[1:].isdigit() and element is element.parent.children[0]
    ]  # fmt: skip


def check_tags(pdf: pikepdf.Pdf, tree: StructElement | None, expected: ExpectedTags | None) -> list[Finding]:
    """Catalog flags, tag kinds, headings, figures, tables and reading order."""
    found = check_catalog(pdf)
    if tree is None or not tree.children:
        return [*found, _error("PDF 没有结构标签（StructTreeRoot），无障碍阅读和文字重排都无从依据")]
    kinds = Counter(element.kind for element in tree.walk())
    for kind, label in (("H1", "报头标题"), ("P", "段落"), ("L", "列表"), ("LI", "列表项")):
        if not kinds[kind]:
            found.append(_error(f"结构标签中没有{label}（{kind}）"))
    for element in tree.walk():
        if element.kind == "Figure" and not (element.alt or "").strip():
            found.append(
                Finding(
                    "error",
                    CHECK,
                    "有一张图片没有替代文字（Alt），朗读时无从得知内容",
                    page=element.page,
                    hint="给这张图片写上图注：![图为……](图片文件)，图注即替代文字",
                )
            )
        if element.kind == "Table" and not any(cell.kind == "TH" for cell in element.walk()):
            found.append(_error("有一个表格没有表头单元格（TH）", element.page))
        if element.kind == "L" and not any(child.kind == "LI" for child in element.children):
            found.append(_error("有一个列表（L）没有列表项（LI）", element.page))
    if expected is not None:
        found += _compare(tree, kinds, expected)
    return found


def _compare(tree: StructElement, kinds: Counter[str], expected: ExpectedTags) -> list[Finding]:
    found = []
    tagged_headings = {
        (int(element.kind[1:]), normalize(element.text))
        for element in tree.walk()
        if re.fullmatch(r"H[1-6]", element.kind)
    }
    for level, text in expected.headings:
        if (level, text) not in tagged_headings:
            found.append(_error(f"标题“{text}”没有标为 {level} 级标题（H{level}）"))
    alts = tuple(normalize(element.alt or "") for element in tree.walk() if element.kind == "Figure")
    if alts != expected.captions:
        found.append(_error(f"图片的替代文字为 {list(alts)}，应为各图的图注 {list(expected.captions)}"))
    if kinds["Table"] < expected.tables or kinds["TH"] < expected.header_cells:
        found.append(
            _error(
                f"结构标签中有 {kinds['Table']} 个表格、{kinds['TH']} 个表头单元格，"
                f"稿件有 {expected.tables} 个表格、{expected.header_cells} 个表头单元格"
            )
        )
    order = article_titles_in_reading_order(tree)
    if order != list(expected.article_titles):
        found.append(
            _error(
                "结构标签的阅读顺序与目录不一致：按标签读到的稿件标题依次为 "
                f"{order}，目录为 {list(expected.article_titles)}"
            )
        )
    return found
