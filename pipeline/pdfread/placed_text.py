"""Where each character is drawn: the PDF text state followed through a content stream.

`check_content.scan_content` feeds the text operators of its one pass over the
content streams to a `TextState`, which places every glyph as pdfplumber (pdfminer)
places it: same box, baseline, size and text (checked equal on every glyph of the
sample edition), at a fraction of the cost, and with no second parse of the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from pypdf.generic import DictionaryObject

Matrix = tuple[float, float, float, float, float, float]
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")
_SECTION = re.compile(rb"beginbf(char|range)(.*?)endbf\1", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


class PlacedChar(NamedTuple):
    """One drawn glyph, in pdfplumber's terms (y of `top` grows downwards from the page top)."""

    text: str
    x0: float
    x1: float
    top: float
    baseline: float  # y of the glyph origin in PDF space (grows upwards)
    size: float
    font: str  # BaseFont, subset tag included
    upright: bool


def _utf16(hex_text: bytes) -> str:
    try:
        return bytes.fromhex(hex_text.decode()).decode("utf-16-be")
    except (ValueError, UnicodeDecodeError):
        return ""


def _to_unicode(data: bytes) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for kind, body in _SECTION.findall(data):
        if kind == b"char":
            for code, text in _BFCHAR.findall(body):
                mapping[int(code, 16)] = _utf16(text)
            continue
        for low, high, target in _BFRANGE.findall(body):
            first, last = int(low, 16), int(high, 16)
            if target.startswith(b"["):
                for offset, text in enumerate(_HEX.findall(target)):
                    mapping[first + offset] = _utf16(text)
                continue
            raw = bytes.fromhex(target[1:-1].decode())
            if not raw:
                continue
            start = int.from_bytes(raw, "big")
            for offset in range(last - first + 1):
                value = (start + offset).to_bytes(len(raw), "big")
                try:
                    mapping[first + offset] = value.decode("utf-16-be")
                except UnicodeDecodeError:
                    continue
    return mapping


def cid_widths(entries: Any) -> dict[int, float]:
    """A CIDFont's /W array: `c [w1 w2 …]` and `c_first c_last w` runs."""
    widths: dict[int, float] = {}
    items = list(entries or [])
    index = 0
    while index < len(items):
        first = int(items[index])
        following = items[index + 1].get_object() if index + 1 < len(items) else None
        if isinstance(following, list):
            for offset, width in enumerate(following):
                widths[first + offset] = float(width)
            index += 2
        elif index + 2 < len(items):
            for code in range(first, int(following) + 1):
                widths[code] = float(items[index + 2])
            index += 3
        else:
            break
    return widths


@dataclass
class FontMetrics:
    """What placing a font's glyphs needs: code length, advance widths, text, descent."""

    name: str
    code_length: int
    widths: dict[int, float]
    default_width: float
    to_unicode: dict[int, str]
    descent: float  # in text-space units per unit of font size (negative below the baseline)

    @classmethod
    def of(cls, font: DictionaryObject) -> FontMetrics:
        to_unicode = font.get("/ToUnicode")
        mapping = _to_unicode(to_unicode.get_object().get_data()) if to_unicode is not None else {}
        if font.get("/Subtype") == "/Type0":
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            widths = cid_widths(descendant.get("/W"))
            default = float(descendant.get("/DW", 1000))
            name = str(descendant.get("/BaseFont", font.get("/BaseFont", "")))
            code_length = 2
        else:
            descriptor = font.get("/FontDescriptor")
            first = int(font.get("/FirstChar", 0))
            widths = {first + index: float(width) for index, width in enumerate(font.get("/Widths", []))}
            default = float(descriptor.get_object().get("/MissingWidth", 0)) if descriptor else 0.0
            name = str(font.get("/BaseFont", ""))
            code_length = 1
            if not mapping:
                mapping = {code: chr(code) for code in range(32, 256)}
        descent = float(descriptor.get_object().get("/Descent", 0)) if descriptor is not None else 0.0
        return cls(name.lstrip("/"), code_length, widths, default, mapping, descent / 1000)

    def codes(self, raw: bytes) -> Iterable[int]:
        if self.code_length == 1:
            return raw
        return (int.from_bytes(raw[index : index + 2], "big") for index in range(0, len(raw) - 1, 2))


def multiply(first: Matrix, second: Matrix) -> Matrix:
    """first × second, PDF row-vector convention (first applied first)."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class TextState:
    """The text parameters and matrices of one page, and the glyphs placed so far."""

    page_top: float
    chars: list[PlacedChar] = field(default_factory=list)
    font: FontMetrics | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scaling: float = 1.0
    leading: float = 0.0
    rise: float = 0.0
    matrix: Matrix = _IDENTITY
    line_matrix: Matrix = _IDENTITY

    def save(self) -> tuple[Any, ...]:
        """The parameters `q` saves with the graphics state."""
        return (self.font, self.size, self.char_space, self.word_space, self.scaling, self.leading, self.rise)

    def restore(self, saved: tuple[Any, ...]) -> None:
        (self.font, self.size, self.char_space, self.word_space, self.scaling, self.leading,
         self.rise) = saved

    def operate(self, operator: bytes, operands: list[Any]) -> None:
        """Apply one text operator other than a show (Tf is `set_font`)."""
        try:
            if operator == b"BT":
                self.matrix = self.line_matrix = _IDENTITY
            elif operator == b"Tm":
                self.matrix = self.line_matrix = tuple(float(value) for value in operands[:6])  # type: ignore[assignment]
            elif operator in (b"Td", b"TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if operator == b"TD":
                    self.leading = -ty
                self._move(tx, ty)
            elif operator == b"T*":
                self._move(0.0, -self.leading)
            elif operator == b"Tc":
                self.char_space = float(operands[0])
            elif operator == b"Tw":
                self.word_space = float(operands[0])
            elif operator == b"Tz":
                self.scaling = float(operands[0]) / 100
            elif operator == b"TL":
                self.leading = float(operands[0])
            elif operator == b"Ts":
                self.rise = float(operands[0])
        except (IndexError, TypeError, ValueError):
            return  # a malformed operator moves nothing; the other checks carry on

    def _move(self, tx: float, ty: float) -> None:
        a, b, c, d, e, f = self.line_matrix
        self.matrix = self.line_matrix = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)

    def show(self, operator: bytes, operands: list[Any], ctm: Matrix) -> None:
        """Place the glyphs of Tj, TJ, ' or "."""
        if operator == b"'":
            self._move(0.0, -self.leading)
        elif operator == b'"' and len(operands) == 3:
            self.word_space, self.char_space = float(operands[0]), float(operands[1])
            self._move(0.0, -self.leading)
        if not operands:
            return
        sequence = operands[-1] if operator == b"TJ" else operands[-1:]
        font = self.font
        if font is None or not isinstance(sequence, list):
            return
        size, scaling = self.size, self.scaling
        a, b, c, d, e, f = multiply(self.matrix, ctm)
        upright = a * d * scaling > 0 and b * c <= 0
        low = font.descent * size + self.rise
        high = low + size
        widths, default, to_unicode = font.widths, font.default_width, font.to_unicode
        word_space = self.word_space if font.code_length == 1 else 0.0
        char_space = self.char_space * scaling
        page_top, name = self.page_top, font.name
        x = 0.0
        chars = self.chars
        for item in sequence:
            if isinstance(item, int | float):
                x -= float(item) * 0.001 * size * scaling
                continue
            raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
            for code in font.codes(raw):
                advance = widths.get(code, default) * 0.001 * size * scaling
                # The glyph box: (x, low)–(x + advance, high) in text space.
                left_x = a * x + c * low + e
                right_x = a * (x + advance) + c * high + e
                bottom_y = b * x + d * low + f
                top_y = b * (x + advance) + d * high + f
                text = to_unicode.get(code)
                chars.append(
                    PlacedChar(  # text, x0, x1, top, baseline, size, font, upright
                        f"(cid:{code})" if text is None else text,
                        min(left_x, right_x),
                        max(left_x, right_x),
                        page_top - max(bottom_y, top_y),
                        b * x + f,
                        abs(top_y - bottom_y),
                        name,
                        upright,
                    )
                )
                x += advance + char_space
                if code == 32:
                    x += word_space * scaling
        # Advance the text matrix by the distance shown.
        ma, mb, mc, md, me, mf = self.matrix
        self.matrix = (ma, mb, mc, md, x * ma + me, x * mb + mf)
