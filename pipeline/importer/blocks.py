"""The one structure every source becomes: paragraphs, headings, pictures, tables.

Cleaning never needs to know whether a block came from pasted text, a saved page
or a Word file.
"""

from __future__ import annotations

import base64
import mimetypes
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit


class SourceProblem(Exception):
    """A source file that cannot be read; the message is for the editor."""


@dataclass
class Paragraph:
    text: str
    line: int = 0  # 1-based line in the source file, 0 when unknown
    gap_before: int = 0  # blank lines before it in pasted text
    bullet: bool = False  # an item of a bulleted list (Word's List Bullet, a page's <ul>)


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
    """Rows of cell texts. A merged cell is one entry in `rows` with its extent in
    `spans` (row index, index in that row) → (rowspan, colspan); the cells it covers
    are absent from the rows below it and beside it, as in HTML."""

    rows: list[list[str]]
    header: bool = True  # the first `header_rows` rows are header rows
    header_rows: int = 1
    spans: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)

    @property
    def merged(self) -> bool:
        return bool(self.spans) or (self.header and self.header_rows > 1)


Block = Paragraph | Heading | Picture | Table


@dataclass
class SourceDocument:
    path: Path
    blocks: list[Block]
    encoding: str | None = None  # for text files: the encoding detected
    title: str | None = None  # metadata the format itself carries
    subtitle: str | None = None
    published: str | None = None
    source_url: str | None = None
    site: str | None = None
    source: str | None = None  # named by the page's metadata (ContentSource)
    author: str | None = None
    byline: list[str] = field(default_factory=list)  # “来源：… 发布时间：…” lines of the page
    site_owner: str | None = None  # “X 版权所有” in the page's footer
    notes: list[str] = field(default_factory=list)


def local_picture(src: str, alt: str, base: Path) -> Picture:
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
