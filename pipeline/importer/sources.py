"""Read what editors receive (.txt, .html, .docx) into one list of blocks.

Every source becomes the same plain structure — paragraphs, headings, pictures,
tables — so cleaning never needs to know where the text came from.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..textfile import decode_any


class SourceProblem(Exception):
    """A source file that cannot be read; the message is for the editor."""


@dataclass
class Paragraph:
    text: str
    line: int = 0  # 1-based line in the source file, 0 when unknown
    gap_before: int = 0  # blank lines before it in pasted text


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Picture:
    """An image: `data` when its bytes are at hand, else `src` says where it lives."""

    src: str
    alt: str = ""
    data: bytes | None = None
    suffix: str = ".png"


@dataclass
class Table:
    rows: list[list[str]]
    header: bool = True  # first row is a header row


Block = Paragraph | Heading | Picture | Table


@dataclass
class SourceDocument:
    path: Path
    blocks: list[Block]
    encoding: str | None = None  # for text files: the encoding detected
    title: str | None = None  # metadata the format itself carries
    published: str | None = None
    source_url: str | None = None
    site: str | None = None
    notes: list[str] = field(default_factory=list)


def read_txt(path: Path) -> SourceDocument:
    text, encoding = decode_any(path.read_bytes())
    blocks: list[Block] = []
    gap = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip().lstrip(" \u3000\ufeff")
        if not line:
            gap += 1
            continue
        blocks.append(Paragraph(line, number, gap))
        gap = 0
    return SourceDocument(path, blocks, encoding=encoding)


def _element_text(element: object) -> str:
    return " ".join("".join(element.itertext()).split())  # type: ignore[attr-defined]


def _local_picture(src: str, alt: str, base: Path) -> Picture:
    """A picture of a saved page: read it when it was saved beside the page."""
    if src.startswith("data:"):
        header, _, payload = src.partition(",")
        mime = header[5:].split(";")[0]
        data = base64.b64decode(payload) if ";base64" in header else unquote(payload).encode()
        return Picture("", alt, data, mimetypes.guess_extension(mime) or ".png")
    parts = urlsplit(src)
    if parts.scheme in {"http", "https"} or parts.netloc:
        return Picture(src, alt)
    candidate = (base / unquote(parts.path)).resolve()
    if candidate.is_file():
        return Picture(src, alt, candidate.read_bytes(), candidate.suffix.lower() or ".png")
    return Picture(src, alt)


def read_html(path: Path) -> SourceDocument:
    import trafilatura
    from lxml import etree

    html, encoding = decode_any(path.read_bytes())
    xml = trafilatura.extract(
        html,
        output_format="xml",
        include_images=True,
        include_tables=True,
        include_comments=False,
        include_formatting=False,
        favor_recall=True,
        with_metadata=True,
    )
    if not xml:
        raise SourceProblem("没有在网页中找到正文")
    root = etree.fromstring(xml.encode("utf-8"))
    blocks: list[Block] = []
    main = root.find("main")
    for element in main.iter("head", "p", "graphic", "table", "item") if main is not None else []:
        if element.tag == "head":
            blocks.append(Heading(_element_text(element), 1))
        elif element.tag in {"p", "item"}:
            if any(ancestor.tag in {"table", "list"} for ancestor in element.iterancestors()) and (
                element.tag == "p"
            ):
                continue
            text = _element_text(element)
            if text:
                blocks.append(Paragraph(text))
        elif element.tag == "graphic":
            blocks.append(
                _local_picture(element.get("src", ""), element.get("alt", ""), path.parent)
            )
        elif element.tag == "table":
            rows = [
                [_element_text(cell) for cell in row.iter("cell")] for row in element.iter("row")
            ]
            rows = [row for row in rows if any(row)]
            if rows:
                header = any(cell.get("role") == "head" for cell in element.iter("cell"))
                blocks.append(Table(rows, header=header))
    return SourceDocument(
        path,
        blocks,
        encoding=encoding,
        title=root.get("title") or None,
        published=root.get("date") or None,
        source_url=root.get("url") or None,
        site=root.get("sitename") or None,
    )


def read_docx(path: Path) -> SourceDocument:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a damaged file
        raise SourceProblem(
            f"无法打开 Word 文件（{type(error).__name__}）：请确认是 .docx 格式"
        ) from None
    blocks: list[Block] = []
    title: str | None = None
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            rows = [[" ".join(cell.text.split()) for cell in row.cells] for row in item.rows]
            rows = [row for row in rows if any(row)]
            if rows:
                blocks.append(Table(rows, header=True))
            continue
        assert isinstance(item, DocxParagraph)
        for blip in item._p.iter(qn("a:blip")):
            part = document.part.related_parts.get(blip.get(qn("r:embed")))
            if part is None:
                continue
            doc_pr = next(item._p.iter(qn("wp:docPr")), None)
            alt = (doc_pr.get("descr") or "") if doc_pr is not None else ""
            suffix = Path(str(part.partname)).suffix.lower() or ".png"
            blocks.append(Picture(str(part.partname), alt, part.blob, suffix))
        text = " ".join(item.text.split())
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        if style == "Title" and title is None:
            title = text
        elif style.startswith(("Heading", "标题")):
            digits = "".join(ch for ch in style if ch.isdigit())
            blocks.append(Heading(text, int(digits) if digits else 1))
        else:
            blocks.append(Paragraph(text))
    # The file's own creation date is the template's, not the article's: not used.
    return SourceDocument(path, blocks, title=title or None)


def read_source(path: Path) -> SourceDocument:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SourceProblem("找不到这个文件")
    if suffix == ".txt":
        return read_txt(path)
    if suffix in {".html", ".htm"}:
        return read_html(path)
    if suffix == ".docx":
        return read_docx(path)
    raise SourceProblem("只能导入 .txt、.html/.htm、.docx 文件（.doc 请先用 Word 另存为 .docx）")
