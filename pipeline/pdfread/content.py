"""One pass over every page's content stream: which fonts draw, missing glyphs, placed
images, and where every character is drawn (for the typography checks).

Fonts are taken from the `Tf` operators actually executed, never from `/Resources`
(WeasyPrint shares one resource dictionary between pages). The transformation matrix
is followed through `q`/`Q`/`cm` and Form XObjects so an image's placed size is the
size it really has on paper.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from .content_stream import operations
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


def scan_content(reader: PdfReader) -> ContentScan:
    """One pass over every page's content: fonts, glyph 0, images and each glyph's place."""
    # A hot loop kept flat on purpose: every operator of every page passes through
    # `visit`, and a function call per operator would add to the check's time.
    scan = ContentScan()
    by_reference: dict[int, DrawnFont] = {}

    def font_for(reference: Any, name: str) -> DrawnFont:
        key = reference.idnum if isinstance(reference, IndirectObject) else id(reference)
        drawn = by_reference.get(key)
        if drawn is None:
            font = reference.get_object()
            base = str(font.get("/BaseFont", name)).lstrip("/")
            codes, identity = _codes_for_glyph_zero(font)
            try:
                metrics: FontMetrics | None = FontMetrics.of(font)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                metrics = None  # a font we cannot measure places no characters
            drawn = DrawnFont(base, font, notdef_codes=codes, identity_encoding=identity, metrics=metrics)
            by_reference[key] = drawn
            scan.fonts.setdefault(base, drawn)
        return drawn

    def visit(
        content: Any,
        resources: DictionaryObject,
        page_number: int,
        ctm: Matrix,
        forms_open: set[int],
        text: TextState,
    ) -> None:
        fonts = resources.get("/Font", DictionaryObject()).get_object() if resources else {}
        xobjects = resources.get("/XObject", DictionaryObject()).get_object() if resources else {}
        stack: list[tuple[Matrix, tuple[Any, ...], DrawnFont | None]] = []
        current: DrawnFont | None = None
        for operands, operator in operations(content, reader):
            if operator in _SHOW_OPERATORS:
                if current is None:
                    continue
                text.show(operator, operands, ctm)
                if not current.notdef_codes:
                    continue
                strings = operands[-1] if operator == b"TJ" else operands[-1:]
                if operator == b"TJ":
                    strings = [item for item in strings if not isinstance(item, int | float)]
                drawn = _codes_drawn(strings, current.notdef_codes)
                if drawn:
                    current.notdef_pages.setdefault(page_number, set()).update(drawn)
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
                reference = fonts.get(operands[0])
                current = None if reference is None else font_for(reference, str(operands[0]))
                if current is not None:
                    current.pages.add(page_number)
                text.font = current.metrics if current is not None else None
                if len(operands) > 1 and isinstance(operands[1], int | float):
                    text.size = float(operands[1])
            elif operator == b"Do" and operands:
                reference = xobjects.get(operands[0])
                if reference is None:
                    continue
                xobject = reference.get_object()
                subtype = xobject.get("/Subtype")
                if subtype == "/Image":
                    _place_image(scan, xobject, ctm, page_number, text.page_top)
                elif subtype == "/Form":
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
                    visit(
                        xobject,
                        inner.get_object() if inner else resources,
                        page_number,
                        form_ctm,
                        forms_open,
                        text,
                    )
                    text.restore(saved)
                    forms_open.discard(key)

    for number, page in enumerate(reader.pages, start=1):
        text = TextState(page_top=float(page.mediabox.top))
        scan.chars.append(text.chars)
        contents = page.get_contents()
        if contents is None:
            continue
        resources = page.get("/Resources")
        visit(
            contents,
            resources.get_object() if resources else DictionaryObject(),
            number,
            IDENTITY,
            set(),
            text,
        )
    return scan


def _place_image(
    scan: ContentScan, image: DictionaryObject, ctm: Matrix, page: int, page_top: float
) -> None:
    # The image occupies the unit square mapped by the CTM: its sides are the
    # lengths of the matrix's two row vectors.
    width = math.hypot(ctm[0], ctm[1])
    height = math.hypot(ctm[2], ctm[3])
    pixels = (int(image.get("/Width", 0)), int(image.get("/Height", 0)))
    corners_y = (ctm[5], ctm[5] + ctm[1], ctm[5] + ctm[3], ctm[5] + ctm[1] + ctm[3])
    scan.images.append(
        DrawnImage(page, pixels, (width, height), page_top - max(corners_y), page_top - min(corners_y))
    )
