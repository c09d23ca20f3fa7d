"""A saved web page → blocks, with what the page says about itself.

trafilatura finds the main text; around it this module does what trafilatura
does not:

* Old pages lay themselves out with `<table>` (nav bar, breadcrumb, text and
  备案号 as cells of one table). A table that holds other tables, long text,
  `<br>`-separated paragraphs or mostly one cell per row is layout, not data: it
  is unwrapped into plain blocks before extraction, so trafilatura can drop the
  chrome; lines that `<br>` separates become paragraphs of their own.
* Data tables are read from the page itself, keeping `rowspan`/`colspan` and
  every header row (trafilatura flattens both).
* `<meta>` tags (PubDate, ContentSource, og:*, article:published_time, author)
  and the byline spans (“发布时间：… 来源：…”) that sit outside the main text.
  trafilatura's own date is not used: it guesses (2025-01-01 for an old page).
* A paragraph that is only bold text (`<strong>`/`<b>`) is a subhead.
* Full-width spaces and runs of `&nbsp;` line up columns (“王　磊&nbsp;&nbsp;副司长”);
  trafilatura collapses them, so they cross extraction as 〿 (U+303F, a mark no
  text uses) and come back as a full-width space, for the roster rule to find.
"""

from __future__ import annotations

import re
from pathlib import Path

import regex
from lxml.etree import _Element as Element  # page trees (lxml.html) and trafilatura's XML alike

from ..cjk import HAN_SCRIPT as HAN
from ..textfile import LEGACY_CHINESE, decode_any, unify_line_ends
from .blocks import Block, Heading, Paragraph, Picture, SourceDocument, SourceProblem, Table, local_picture
from .shape import close_up, reads_like_header

_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
_DATE_IN_TEXT = re.compile(r"\d{4}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}")
_BYLINE_LABEL = re.compile(r"(发布时间|发布日期|发文日期|信息来源|来源|稿源|作者|时间|日期)\s*[:：]")
_META_NAMES = {
    "published": ("pubdate", "publishdate", "article:published_time", "og:release_date", "dc.date", "date"),
    "source": ("contentsource", "source", "og:article:source", "article:source"),
    "author": ("author", "article:author", "contentauthor"),
    "site": ("og:site_name", "sitename", "site_name"),
    "title": ("og:title", "articletitle"),
    "url": ("og:url", "url"),
}
_HEADING_RENDS = {"h1": 2, "h2": 2, "h3": 3, "h4": 3}
_SHORT_SUBHEAD = 40  # characters: longer bold text is an emphasised paragraph
_COLUMN_SPACE = re.compile("\u3000+|\u00a0{2,}")
_GAP_MARK = "\u303f"  # 〿 IDEOGRAPHIC HALF FILL SPACE: printable, never in news text, kept by trafilatura
_COPYRIGHT = re.compile(r"(?:版权所有\s*[:：]?\s*([^\s©:：|]{4,30}))|(?:([^\s©:：|]{4,30})\s*版权所有)")


def page_text(data: bytes) -> tuple[str, str]:
    """The page decoded by its declared charset (GB2312 read as GB18030), else detected."""
    declared = _DECLARED_CHARSET.search(data[:4096])
    if declared:
        stated = declared.group(1).decode("ascii")
        name = "gb18030" if stated.lower() in LEGACY_CHINESE | {"x-gbk"} else stated.lower()
        try:
            text = data.decode(name)
        except (LookupError, UnicodeDecodeError):
            pass
        else:
            told = name.upper() if name == stated.lower() else f"{name.upper()}（网页声明为 {stated}）"
            return unify_line_ends(text), told
    return decode_any(data)


def _meta(tree: Element) -> dict[str, str]:
    found: dict[str, str] = {}
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = (element.get("name") or element.get("property") or "").strip().lower()
        content = " ".join((element.get("content") or "").split())
        if key and content and key not in values:
            values[key] = content
    for field_name, keys in _META_NAMES.items():
        value = next((values[key] for key in keys if key in values), None)
        if value:
            found[field_name] = value
    canonical = tree.find(".//link[@rel='canonical']")
    if "url" not in found and canonical is not None and canonical.get("href", "").startswith("http"):
        found["url"] = canonical.get("href")
    return found


def _bylines(tree: Element) -> list[str]:
    """Short texts that label the date or source (“发布时间：2025-11-21 来源：…”), in page order.

    Below the first paragraph of running text only a line with a date counts: a
    “来源：国家统计局” note under a table names the data's source, not the article's."""
    lines: list[str] = []
    in_text = False
    for element in tree.iter("div", "p", "span", "td", "li", "font"):
        text = " ".join(element.text_content().split())
        if element.tag == "p" and len(text) > 60 and "。" in text:
            in_text = True
        if not text or len(text) > 120 or not _BYLINE_LABEL.search(text):
            continue
        if in_text and not _DATE_IN_TEXT.search(text):
            continue
        # The innermost element that holds the whole byline: skip a parent whose
        # text is just one child's.
        if any(" ".join(child.text_content().split()) == text for child in element):
            continue
        if text not in lines:
            lines.append(text)
    return lines[:6]


def site_owner(tree: Element) -> str | None:
    """“南岭市计量测试所 版权所有” in the footer: who runs the site."""
    for match in _COPYRIGHT.finditer(" ".join(tree.text_content().split())):
        owner = match.group(1) or match.group(2)
        if regex.search(f"{HAN}{{4}}", owner) and not re.search(r"\d|备", owner):
            return owner.removeprefix("主办单位：")
    return None


def page_title(candidate: str, blocks: list[Block]) -> str | None:
    """The article's title: `<title>` and trafilatura append the column and the site
    (“标题_工作动态_江南省市场监督管理局”); the heading on the page is the title itself."""
    for block in blocks[:3]:
        text = block.text if isinstance(block, Heading | Paragraph) else ""
        if len(text) >= 4 and candidate.startswith(text) and len(text) < len(candidate):
            return text
    first = re.split(r"\s*[_|｜]\s*|\s+[-–—]\s+", candidate)[0].strip()
    return (first if len(first) >= 6 else candidate.strip()) or None


def _cells(row: Element) -> list[Element]:
    return [cell for cell in row if getattr(cell, "tag", None) in {"td", "th"}]


def _rows(table: Element) -> list[Element]:
    return table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr")


def is_layout_table(table: Element) -> bool:
    """A table used to lay out a page rather than to hold data."""
    if table.xpath(".//table"):
        return True
    rows = _rows(table)
    widths = [len(_cells(row)) for row in rows]
    if not widths or sum(1 for width in widths if width <= 1) * 2 > len(widths):
        return True
    for row in rows:
        for cell in _cells(row):
            text = cell.text_content()
            # Paragraphs in a cell make it a page's column; a short cell may break a line.
            if len(text) > 150 or (len(text) > 60 and cell.xpath(".//br|.//p|.//div|.//h1|.//h2")):
                return True
    return False


def _span(cell: Element, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return max(1, min(int(value), 100)) if value.isdigit() else 1


def data_table(table: Element) -> Table | None:
    rows: list[list[str]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    header_rows = 0
    for row in _rows(table):
        cells = _cells(row)
        texts = [close_up(_text_of(cell.text_content())) for cell in cells]
        if not any(texts) and not rows:
            continue
        index = len(rows)
        for position, cell in enumerate(cells):
            extent = (_span(cell, "rowspan"), _span(cell, "colspan"))
            if extent != (1, 1):
                spans[(index, position)] = extent
        in_head = row.getparent().tag == "thead" or all(cell.tag == "th" for cell in cells)
        if in_head and header_rows == index:
            header_rows += 1
        rows.append(texts)
    if not rows:
        return None
    # Many pages mark no header cells: a first row that reads like one is the header.
    header = header_rows > 0 or (not spans and reads_like_header(rows))
    return Table(rows, header=header, header_rows=max(header_rows, 1), spans=spans)


_BLOCK_TAGS = {"div", "p", "table", "ul", "ol", "li", "blockquote", "center", "h1", "h2", "h3", "h4", "h5"}


def _split_at_breaks(element: Element) -> list[Element]:
    """The children of `element` regrouped: one <p> per run between <br>s, blocks as they are."""
    from lxml import etree

    pieces: list[Element] = []
    current = etree.Element("p")
    current.text = element.text
    for child in [*element, None]:
        if child is None or child.tag == "br" or child.tag in _BLOCK_TAGS:
            if (current.text or "").strip() or len(current):
                pieces.append(current)
            current = etree.Element("p")
            if child is None:
                break
            current.text = child.tail
            if child.tag != "br":
                child.tail = None
                pieces.append(child)
        else:
            current.append(child)
    return pieces


def _paragraphs_from_breaks(tree: Element) -> None:
    """Text separated by <br> inside one element (old pages, TRS editors) becomes one
    <p> per line, so no extractor fuses the lines, the nav bar and the byline together."""
    for element in list(tree.iter("div", "td", "p", "span", "font", "center")):
        if not any(child.tag == "br" for child in element):
            continue
        pieces = _split_at_breaks(element)
        element.text = None
        for child in list(element):
            element.remove(child)
        if element.tag in {"p", "span", "font"}:
            element.tag = "div"
        element.extend(pieces)


def _mark_column_spaces(tree: Element) -> None:
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag not in {"script", "style"}:
            if element.text:
                element.text = _COLUMN_SPACE.sub(_GAP_MARK, element.text)
            if element.tail:
                element.tail = _COLUMN_SPACE.sub(_GAP_MARK, element.tail)


def _text_of(pieces: str) -> str:
    """Whitespace folded; a column gap kept as one full-width space."""
    words = " ".join(pieces.split())
    return re.sub(f"\\s*{_GAP_MARK}+\\s*", "\u3000", words).strip("\u3000 ")


def _prepare(tree: Element) -> list[Table]:
    """Unwrap layout tables in place; the data tables, in page order."""
    tables: list[Table] = []
    # Innermost first, so a data table inside a layout table stays a table.
    for table in reversed(list(tree.iter("table"))):
        if is_layout_table(table):
            own = [
                element
                for element in table.iter("tbody", "thead", "tfoot", "tr", "td", "th")
                if next(element.iterancestors("table"), None) is table
            ]
            for element in [table, *own]:
                element.tag = "div"
    for table in tree.iter("table"):
        parsed = data_table(table)
        if parsed is not None:
            tables.append(parsed)
    return tables


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _matching_table(rows: list[list[str]], tables: list[Table]) -> Table | None:
    """The page's own table that trafilatura's flattened `rows` came from."""
    wanted = _squash("".join(rows[0])) if rows else ""
    for position, table in enumerate(tables):
        if _squash("".join(table.rows[0])) == wanted or (
            wanted and wanted[:8] == _squash("".join(table.rows[0]))[:8]
        ):
            return tables.pop(position)
    return None


def _paragraph_blocks(element: Element) -> list[Block]:
    """A <p>: a subhead when it is only bold text, else one paragraph per line break."""
    children = [child for child in element if child.tag != "lb"]
    own_text = (element.text or "").strip() + "".join((child.tail or "").strip() for child in element)
    if len(children) == 1 and children[0].tag == "hi" and not own_text:
        text = " ".join("".join(children[0].itertext()).split())
        if "#b" in (children[0].get("rend") or "") and 0 < len(text) <= _SHORT_SUBHEAD:
            return [Heading(text, 2)]
    pieces = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            pieces.append("")
        else:
            pieces[-1] += "".join(child.itertext())
        pieces[-1] += child.tail or ""
    return [Paragraph(_text_of(piece)) for piece in pieces if _text_of(piece)]


def _blocks(main: Element, tables: list[Table], base: Path) -> list[Block]:
    blocks: list[Block] = []
    for element in main.iter("head", "p", "graphic", "table", "item"):
        inside = {ancestor.tag for ancestor in element.iterancestors()}
        if element.tag == "head":
            text = " ".join("".join(element.itertext()).split())
            if text:
                blocks.append(Heading(text, _HEADING_RENDS.get(element.get("rend", ""), 2)))
        elif element.tag == "p" and not inside & {"table", "list"}:
            blocks += _paragraph_blocks(element)
        elif element.tag == "item" and "table" not in inside:
            text = _text_of("".join(element.itertext()))
            parent = element.getparent()
            if text and parent is not None and parent.get("rend") == "ol":
                number = [item for item in parent if item.tag == "item"].index(element) + 1
                blocks.append(Paragraph(f"{number}.{text}"))  # numbered as printed: “1.加强……”
            elif text:
                blocks.append(Paragraph(text, bullet=True))
        elif element.tag == "graphic":
            blocks.append(local_picture(element.get("src", ""), element.get("alt", ""), base))
        elif element.tag == "table" and "table" not in inside:
            rows = [
                [" ".join("".join(cell.itertext()).split()) for cell in row.iter("cell")]
                for row in element.iter("row")
            ]
            rows = [row for row in rows if any(row)]
            table = _matching_table(rows, tables)
            if table is not None:
                blocks.append(table)
            elif rows:
                header = any(cell.get("role") == "head" for cell in element.iter("cell"))
                blocks.append(Table(rows, header=header))
    return blocks


_DOM_BLOCKS = {"h1", "h2", "h3", "h4", "p", "li", "table", "img", "div", "section"}
_CONTAINERS = {"div", "section"}  # blocks only when they hold text and no other block


def _fused(blocks: list[Block], tree: Element) -> bool:
    """trafilatura's fallback on a bare page runs all of the body into one paragraph:
    a paragraph holding the text of two of the page's own <p>s is such a fusion."""
    blocks_of_page = tree.iter("p", "section", "li", "h1", "h2", "h3")
    own = [_squash(element.text_content()) for element in blocks_of_page]
    own = list({text for text in own if len(text) >= 8})
    for block in blocks:
        if isinstance(block, Paragraph):
            key = _squash(block.text)
            if sum(1 for text in own if text in key) >= 2:
                return True
    return False


def _picture(image: Element, base: Path) -> Picture:
    """An <img>; pages that load pictures late keep the address in data-src."""
    src = image.get("src") or image.get("data-src") or image.get("data-original") or ""
    return local_picture(src, image.get("alt", ""), base)


def _dom_blocks(tree: Element, base: Path) -> list[Block]:
    """The page's own blocks in order (headings, paragraphs, list items, data tables,
    pictures, and leaf <div>s with text); the cleaning rules drop the chrome."""
    blocks: list[Block] = []
    taken: set[Element] = set()
    for element in tree.iter(*_DOM_BLOCKS):
        if any(ancestor in taken for ancestor in element.iterancestors()):
            continue
        if element.tag in _CONTAINERS:
            nested = element.xpath(".//*[self::p or self::div or self::section or self::table or self::h2]")
            if nested or not (element.text_content().strip() or element.xpath(".//img")):
                continue
        taken.add(element)
        if element.tag == "img":
            blocks.append(_picture(element, base))
        elif element.tag == "table":
            table = data_table(element)
            if table is not None:
                blocks.append(table)
        else:
            text = _text_of(element.text_content())
            pictures = [_picture(image, base) for image in element.iter("img")]
            if not text:
                blocks += pictures
                continue
            strong = "".join(bold.text_content() for bold in element.xpath("./b|./strong"))
            bold = _squash(strong) == _squash(text)
            if element.tag in _HEADING_RENDS or (bold and len(text) <= _SHORT_SUBHEAD):
                blocks.append(Heading(text, _HEADING_RENDS.get(element.tag, 2)))
            else:
                blocks.append(Paragraph(text, bullet=element.tag == "li"))
            blocks += pictures
    return blocks


def read_html(path: Path) -> SourceDocument:
    import trafilatura
    from lxml import etree
    from lxml import html as lxml_html

    text, encoding = page_text(path.read_bytes())
    tree = lxml_html.document_fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    meta = _meta(tree)
    bylines = _bylines(tree)
    owner = site_owner(tree)
    tables = _prepare(tree)
    _paragraphs_from_breaks(tree)
    _mark_column_spaces(tree)
    xml = trafilatura.extract(
        lxml_html.tostring(tree, encoding="unicode"),
        output_format="xml",
        include_images=True,
        include_tables=True,
        include_comments=False,
        include_formatting=True,
        favor_recall=True,
        with_metadata=True,
    )
    if not xml:
        raise SourceProblem("没有在网页中找到正文")
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks = _blocks(main, tables, path.parent) if main is not None else []
    if _fused(blocks, tree):
        blocks = _dom_blocks(tree, path.parent)
    return SourceDocument(
        path,
        blocks,
        encoding=encoding,
        title=page_title(meta.get("title") or root.get("title") or "", blocks),
        published=meta.get("published"),
        source_url=meta.get("url") or root.get("url") or None,
        site=meta.get("site") or root.get("sitename") or None,
        source=meta.get("source"),
        author=meta.get("author"),
        byline=bylines,
        site_owner=owner,
    )
