"""Structure: the outline, the printed contents and every link agree with the edition."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pypdf import PdfReader

from ..pdfread.outline import OutlineItem, destination_page, link_target
from ..pdfread.page_text import PageText, contents_key, normalize, printed_contents
from .expected import Expected
from .placement import Placement
from .report import CheckReport

_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"

_HOST = re.compile(
    rf"^(?:{_LABEL}\.)+(?:[A-Za-z]{{2,63}}|xn--[A-Za-z0-9-]+)$|^\d{{1,3}}(?:\.\d{{1,3}}){{3}}$"
)


def check_structure(
    reader: PdfReader,
    wanted: Expected,
    outline: list[OutlineItem],
    placement: Placement,
    pages: list[PageText] | None,
    report: CheckReport,
) -> None:
    expected = [
        (name, [article.title for article in articles]) for name, articles in wanted.sections()
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
        section_names = [name for name, _ in expected]
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
            target = link_target(annotation)
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
            target = link_target(annotation)
            if target is None:
                report.error("links", "有一个链接没有目标", **placement.where(number))
                continue
            kind, value = target
            if kind == "goto":
                if value is None or destination_page(reader, value) is None:
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


def check_text_present(
    wanted: Expected, placement: Placement, pages: list[PageText], report: CheckReport
) -> None:
    """Each article's title and first sentence are printed on its first page or the next."""
    for place, article in zip(placement.articles, wanted.articles, strict=True):
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
        sentence = article.first_sentence
        if sentence and normalize(sentence) not in haystack:
            report.error(
                "text",
                f"第{place.page}页及下一页上找不到正文第一句“{sentence}”",
                hint="可能是字体缺字或文字被转成了图形；用 briefing build 重新生成",
                line=article.first_line,
                **where,
            )
