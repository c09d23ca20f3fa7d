"""One pass over every page's content stream: which fonts draw, missing glyphs, placed
images, and where every character is drawn (for the typography checks).

Fonts are taken from the `Tf` operators actually executed, never from `/Resources`
(WeasyPrint shares one resource dictionary between pages). The transformation matrix
is followed through `q`/`Q`/`cm` and Form XObjects so an image's placed size is the
size it really has on paper.

Each page is scanned on its own (`scan_page`) into a `PageScan` that says only what
that page draws and with which fonts; `assemble` then joins the pages, in order, into
the document's `ContentScan` (one `DrawnFont` per font object, with the pages it draws
on). The watcher's check keeps the `PageScan` of a page that did not change and
assembles it with the new ones (`check.incremental`); `scan_content` is both steps.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from .content_stream import read_operations
from .placed_text import FontMetrics, Matrix, PlacedChar, TextState, multiply

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_CIDCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*(\d+)")
_CIDRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\d+)")
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")


@dataclass
class DrawnFont:
    """A font some page draws with, and what the scan learnt about it."""

    base_font: str
    font: DictionaryObject
    pages: set[int] = field(default_factory=set)
    # page → the codes drawn there that select glyph 0 (.notdef, a box on paper)
    notdef_pages: dict[int, set[bytes]] = field(default_factory=dict)
    notdef_codes: frozenset[bytes] = frozenset()
    identity_encoding: bool = True
    metrics: FontMetrics | None = None

    def characters_for(self, codes: set[bytes]) -> str:
        """What the ToUnicode map says the glyph-0 codes stand for ("" if it does not say)."""
        to_unicode = self.font.get("/ToUnicode")
        if to_unicode is None:
            return ""
        found = []
        for code, text in _BFCHAR.findall(to_unicode.get_object().get_data()):
            if bytes.fromhex(code.decode()) in codes and text:
                try:
                    found.append(bytes.fromhex(text.decode()).decode("utf-16-be"))
                except (ValueError, UnicodeDecodeError):
                    continue
        return "".join(dict.fromkeys(character for text in found for character in text))


@dataclass(frozen=True)
class DrawnImage:
    """One raster image as placed on a page."""

    page: int
    pixels: tuple[int, int]
    size_points: tuple[float, float]
    # Distance of its top and bottom edges from the page top, in points.
    top: float = 0.0
    bottom: float = 0.0

    @property
    def dpi(self) -> float:
        """Effective resolution: the lower of the two axes."""
        width, height = self.size_points
        if width <= 0 or height <= 0:
            return math.inf
        return min(self.pixels[0] / (width / 72), self.pixels[1] / (height / 72))


@dataclass
class ContentScan:
    fonts: dict[str, DrawnFont] = field(default_factory=dict)
    images: list[DrawnImage] = field(default_factory=list)
    chars: list[list[PlacedChar]] = field(default_factory=list)  # each page's, in drawing order


@dataclass(frozen=True)
class ReadFont:
    """What the scan reads of one font object, whichever page or name selects it."""

    font: DictionaryObject
    notdef_codes: frozenset[bytes]
    identity_encoding: bool
    metrics: FontMetrics | None


@dataclass
class FontUse:
    """A font a page selects with `Tf`: the resource name, the object it named there."""

    name: str
    reference: Any
    notdef: set[bytes] = field(default_factory=set)  # glyph-0 codes drawn with it on the page
    shown: list[Any] = field(default_factory=list)  # the strings shown with it, as read


@dataclass
class PageScan:
    """What one page draws: its characters and images, and its fonts in the order first
    selected. `forms`: it drew a Form XObject, whose names are the form's own;
    `read_by_pypdf`: a stream our reader could not read (an inline image)."""

    number: int
    chars: list[PlacedChar]
    images: list[DrawnImage] = field(default_factory=list)
    fonts: list[FontUse] = field(default_factory=list)
    forms: bool = False
    read_by_pypdf: bool = False


def reference_key(reference: Any) -> int:
    """The identity of a font or XObject within one reader."""
    return reference.idnum if isinstance(reference, IndirectObject) else id(reference)


def _codes_for_glyph_zero(font: DictionaryObject) -> tuple[frozenset[bytes], bool]:
    """(2-byte codes that select CID 0, whether the encoding is Identity-H)."""
    encoding = font.get("/Encoding")
    if encoding is None or font.get("/Subtype") != "/Type0":
        return frozenset(), True
    encoding = encoding.get_object()
    if not hasattr(encoding, "get_data"):
        return frozenset({b"\x00\x00"}), str(encoding) in ("/Identity-H", "/Identity-V")
    # WeasyPrint writes its own CMap when a glyph has no Unicode mapping of its own,
    # which in practice means `.notdef`: find the codes that map to CID 0.
    data = encoding.get_data()
    codes = {bytes.fromhex(code.decode()) for code, cid in _CIDCHAR.findall(data) if int(cid) == 0}
    for low, _high, cid in _CIDRANGE.findall(data):
        if int(cid) == 0:
            codes.add(bytes.fromhex(low.decode()))
    return frozenset(codes), False


class FontReader:
    """Each font object of one PDF read once: glyph-0 codes, encoding, metrics."""

    def __init__(self) -> None:
        self._read: dict[int, ReadFont] = {}

    def read(self, reference: Any) -> ReadFont:
        key = reference_key(reference)
        found = self._read.get(key)
        if found is None:
            font = reference.get_object()
            codes, identity = _codes_for_glyph_zero(font)
            try:
                metrics: FontMetrics | None = FontMetrics.of(font)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                metrics = None  # a font we cannot measure places no characters
            found = self._read[key] = ReadFont(font, codes, identity, metrics)
        return found


def _codes_drawn(strings: list[Any], codes: frozenset[bytes]) -> set[bytes]:
    """Which of `codes` (2-byte, Type0) occur at a character boundary in `strings`."""
    drawn = set()
    for value in strings:
        raw = value.original_bytes if hasattr(value, "original_bytes") else bytes(value)
        for code in codes:
            start = raw.find(code)
            while start != -1:
                if start % 2 == 0:
                    drawn.add(code)
                    break
                start = raw.find(code, start + 1)
    return drawn


_TEXT_OPERATORS = frozenset({b"BT", b"Tm", b"Td", b"TD", b"T*", b"Tc", b"Tw", b"Tz", b"TL", b"Ts"})
_SHOW_OPERATORS = frozenset({b"TJ", b"Tj", b"'", b'"'})


def scan_page(reader: PdfReader, page: PageObject, number: int, fonts: FontReader) -> PageScan:
    """One page's content: its characters, images, and the fonts it selects."""
    # A hot loop kept flat on purpose: every operator of the page passes through
    # `visit`, and a function call per operator would add to the check's time.
    text = TextState(page_top=float(page.mediabox.top))
    scanned = PageScan(number, text.chars)
    uses: dict[tuple[str, int], FontUse] = {}

    def use_of(reference: Any, name: str) -> tuple[ReadFont, FontUse]:
        key = (name, reference_key(reference))
        use = uses.get(key)
        if use is None:
            use = uses[key] = FontUse(name, reference)
            scanned.fonts.append(use)
        return fonts.read(reference), use

    def visit(content: Any, resources: DictionaryObject, ctm: Matrix, forms_open: set[int]) -> None:
        page_fonts = resources.get("/Font", DictionaryObject()).get_object() if resources else {}
        xobjects = resources.get("/XObject", DictionaryObject()).get_object() if resources else {}
        stack: list[tuple[Matrix, tuple[Any, ...], tuple[ReadFont, FontUse] | None]] = []
        current: tuple[ReadFont, FontUse] | None = None
        listed, by_pypdf = read_operations(content, reader)
        scanned.read_by_pypdf |= by_pypdf
        for operands, operator in listed:
            if operator in _SHOW_OPERATORS:
                if current is None:
                    continue
                text.show(operator, operands, ctm)
                read, use = current
                if operands:
                    use.shown.append(operands[-1])
                if not read.notdef_codes:
                    continue
                strings = operands[-1] if operator == b"TJ" else operands[-1:]
                if operator == b"TJ":
                    strings = [item for item in strings if not isinstance(item, int | float)]
                use.notdef |= _codes_drawn(strings, read.notdef_codes)
            elif operator in _TEXT_OPERATORS:
                text.operate(operator, operands)
            elif operator == b"q":
                stack.append((ctm, text.save(), current))
            elif operator == b"Q":
                if stack:
                    ctm, saved, current = stack.pop()
                    text.restore(saved)
            elif operator == b"cm" and len(operands) == 6:
                ctm = multiply(tuple(float(value) for value in operands), ctm)  # type: ignore[arg-type]
            elif operator == b"Tf" and operands:
                reference = page_fonts.get(operands[0])
                current = None if reference is None else use_of(reference, str(operands[0]))
                text.font = current[0].metrics if current is not None else None
                if len(operands) > 1 and isinstance(operands[1], int | float):
                    text.size = float(operands[1])
            elif operator == b"Do" and operands:
                reference = xobjects.get(operands[0])
                if reference is None:
                    continue
                xobject = reference.get_object()
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    scanned.images.append(_placed_image(xobject, ctm, number, text.page_top))
                elif subtype == "/Form":
                    scanned.forms = True
                    key = reference.idnum if isinstance(reference, IndirectObject) else id(xobject)
                    if key in forms_open:
                        continue  # a form drawing itself: malformed, do not loop
                    matrix = xobject.get("/Matrix")
                    form_ctm = ctm
                    if matrix is not None:
                        form_ctm = multiply(tuple(float(v) for v in matrix), ctm)  # type: ignore[arg-type]
                    inner = xobject.get("/Resources")
                    forms_open.add(key)
                    saved = text.save()
                    visit(xobject, inner.get_object() if inner else resources, form_ctm, forms_open)
                    text.restore(saved)
                    forms_open.discard(key)

    contents = page.get_contents()
    if contents is not None:
        resources = page.get("/Resources")
        visit(contents, resources.get_object() if resources else DictionaryObject(), IDENTITY, set())
    return scanned


def assemble(pages: Iterable[PageScan], fonts: FontReader) -> ContentScan:
    """The document's scan from its pages' scans, in page order: one `DrawnFont` per
    font object, named after the first page to select it (as one pass would)."""
    scan = ContentScan()
    drawn_by_reference: dict[int, DrawnFont] = {}
    for page in pages:
        scan.chars.append(page.chars)
        scan.images += page.images
        for use in page.fonts:
            key = reference_key(use.reference)
            drawn = drawn_by_reference.get(key)
            if drawn is None:
                read = fonts.read(use.reference)
                base = str(read.font.get("/BaseFont", use.name)).lstrip("/")
                drawn = drawn_by_reference[key] = DrawnFont(
                    base, read.font, notdef_codes=read.notdef_codes,
                    identity_encoding=read.identity_encoding, metrics=read.metrics,
                )
                scan.fonts.setdefault(base, drawn)
            drawn.pages.add(page.number)
            if use.notdef:
                drawn.notdef_pages.setdefault(page.number, set()).update(use.notdef)
    return scan


def scan_content(reader: PdfReader) -> ContentScan:
    """One pass over every page's content: fonts, glyph 0, images and each glyph's place."""
    fonts = FontReader()
    pages = [scan_page(reader, page, number, fonts) for number, page in enumerate(reader.pages, start=1)]
    return assemble(pages, fonts)


def _placed_image(image: DictionaryObject, ctm: Matrix, page: int, page_top: float) -> DrawnImage:
    # The image occupies the unit square mapped by the CTM: its sides are the
    # lengths of the matrix's two row vectors.
    width = math.hypot(ctm[0], ctm[1])
    height = math.hypot(ctm[2], ctm[3])
    pixels = (int(image.get("/Width", 0)), int(image.get("/Height", 0)))
    corners_y = (ctm[5], ctm[5] + ctm[1], ctm[5] + ctm[3], ctm[5] + ctm[1] + ctm[3])
    return DrawnImage(page, pixels, (width, height), page_top - max(corners_y), page_top - min(corners_y))
