"""Inter-character justification for Chinese text, as an extension of WeasyPrint 70.0.

WeasyPrint's `text-align: justify` stretches only spaces (`layout/inline.py`,
`justify_line`; upstream #2269), so Chinese lines stay ragged and a line holding
one space gets one huge gap. `inter_character_justification()` replaces that one
function, for the duration of a render, with one that spreads a line's spare
width evenly over every gap between characters (clreq: the adjustment goes
between characters, not only at spaces).

How: the spare width of a line is divided by the number of gaps between its
characters. Each text box of the line gets a Pango letter-spacing attribute of
that size when it is drawn (Pango trims the half-spacing before the first and
after the last character, so a box of n characters grows by n - 1 gaps); the gap
between two neighbouring boxes (e.g. plain text and <strong>) is added to the
second box's position. The width each box really grows by is measured from
Pango, so rounding never accumulates into a ragged edge. The text itself is not
touched: copy and search give the characters the editor wrote.

The patch hooks into WeasyPrint internals, so `check_weasyprint()` refuses to
install it on any version or function shape other than the one it was written
and tested against.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

SUPPORTED_WEASYPRINT = "70.0"
ZERO_WIDTH_SPACE = "\u200b"


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the one the justification patch was written for."""


def check_weasyprint() -> None:
    """Fail loudly unless WeasyPrint's line justification looks exactly as expected."""
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    problems = []
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        problems.append(
            f"WeasyPrint {weasyprint.__version__} is installed, the justification "
            f"extension supports {SUPPORTED_WEASYPRINT} only"
        )
    justify = getattr(inline, "justify_line", None)
    if justify is None or list(inspect.signature(justify).parameters) != [
        "context", "line", "extra_width"
    ]:
        problems.append("weasyprint.layout.inline.justify_line(context, line, extra_width) changed")
    text_align = getattr(inline, "text_align", None)
    if text_align is None or "justify_line(context, line, offset)" not in inspect.getsource(
        text_align
    ):
        problems.append("weasyprint.layout.inline.text_align no longer calls justify_line")
    layout = getattr(line_break, "Layout", None)
    if layout is None or list(inspect.signature(layout.set_text).parameters) != [
        "self", "text", "justify"
    ]:
        problems.append("weasyprint.text.line_break.Layout.set_text(text, justify) changed")
    for name in ("create_layout", "line_size"):
        if not callable(getattr(line_break, name, None)):
            problems.append(f"weasyprint.text.line_break.{name} is missing")
    problems += _line_break_problems()
    if problems:
        raise UnsupportedWeasyPrint(
            "Chinese justification cannot be installed: "
            + "; ".join(problems)
            + ". Pin weasyprint==70.0 (pyproject.toml) or port pipeline/justify.py."
        )


def _line_break_problems() -> list[str]:
    """Probe Pango's line breaking around curly quotes, which cjk_text.py relies on.

    Pango 1.50 (UAX #14 before Unicode 15.1) never breaks next to “ ” ‘ ’, and
    breaks after a zero-width space: cjk_text.py adds the breaks clreq allows and
    nothing else is needed. Newer rules (LB19a) allow a break after “ between
    Han characters, which would put “ at a line end; refuse rather than print it.
    """
    from weasyprint.text.line_break import get_log_attrs

    probe = f"中“质量”{ZERO_WIDTH_SPACE}中"
    attrs = get_log_attrs(probe, "zh-CN")
    breaks = {index for index in range(len(probe) + 1) if attrs[index].is_line_break}
    problems = []
    if breaks & {2, 4}:  # after “ or before ”
        problems.append(f"Pango breaks lines next to curly quotes differently ({sorted(breaks)})")
    if 6 not in breaks:
        problems.append("Pango ignores zero-width spaces as break opportunities")
    return problems


# A Latin word or number (ISO, 9001, 12.5%) is not spread apart, as in clreq.
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,:/'’\-][A-Za-z0-9]+)*%?")


def spacing_weights(text: str, keep_latin_words: bool = True) -> list[float]:
    """How much of a justification spacing each character of `text` carries (0 or 1).

    Pango puts half of a character's letter spacing before it and half after, so
    the gap between two characters grows by the mean of their weights. Combining
    marks and zero-width characters carry none (they stick to their neighbour),
    and neither do the letters inside a Latin word when `keep_latin_words`.
    """
    weights = [
        0.0
        if unicodedata.combining(character)
        or unicodedata.category(character) in ("Cf", "Mn", "Me")
        else 1.0
        for character in text
    ]
    if keep_latin_words:
        for match in LATIN_WORD.finditer(text):
            if match.end() - match.start() > 1:
                weights[match.start() : match.end()] = [0.0] * (match.end() - match.start())
    return weights


def gap_units(weights: list[float]) -> float:
    """Spacings a box of characters with these weights grows by (Pango trims both ends)."""
    return sum((left + right) / 2 for left, right in pairwise(weights))


def gap_count(text: str) -> int:
    """Gaps between the characters of `text`, Latin words included (for reports and tests)."""
    return round(gap_units(spacing_weights(text, keep_latin_words=False)))


def _text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


def _spaced_layout(
    box: Any, spacing: float, target_width: float, weights: list[float]
) -> tuple[Any, float]:
    """A Pango layout of `box` drawn `spacing` wider between characters, and its drawn width.

    WeasyPrint writes glyph advances to the PDF in whole thousandths of an em,
    truncating (`draw/text.py`), so a uniform spacing can lose up to 1/1000 em per
    character: a third of a point short at the end of a 14 pt line. The drawn
    width is a sawtooth of the spacing; within one period (1/1000 em) it passes
    the target once. Shape twice to learn how each glyph's advance and offset move
    with the spacing, predict the drawn width over one period of candidates, and
    keep the closest.
    """
    from weasyprint.text.ffi import TO_UNITS

    base = round(spacing * TO_UNITS)
    probe = 16
    first = _glyph_geometry(_layout_with_spacing(box, base, weights))
    second = _glyph_geometry(_layout_with_spacing(box, base + probe, weights))
    candidates: list[tuple[float, int]] = []
    if len(first) == len(second) and first:
        period = max(int(max(glyph[0] for glyph in first) * TO_UNITS / 1000) + 2, 4)
        for delta in range(-period // 2 - 2, period // 2 + 3):
            moved = [
                (size, logical, width + (width2 - width) * delta / probe,
                 offset + (offset2 - offset) * delta / probe)
                for (size, logical, width, offset), (_, _, width2, offset2)
                in zip(first, second, strict=True)
            ]
            candidates.append((abs(_drawn_width(moved) - target_width), base + delta))
        candidates.sort()
    tried = {base: _drawn_width(first), base + probe: _drawn_width(second)}
    if candidates:
        units = candidates[0][1]
        tried[units] = _drawn_width(_glyph_geometry(_layout_with_spacing(box, units, weights)))
    units = min(tried, key=lambda key: abs(tried[key] - target_width))
    layout = _layout_with_spacing(box, units, weights)
    layout.deactivate()
    return layout, tried[units]


def _layout_with_spacing(box: Any, units: int, weights: list[float]) -> Any:
    layout = _inter_character_layout_class()(box.style, 0, None)
    layout.letter_spacing_units = units
    layout.spacing_weights = weights
    layout.set_text(box.text, justify=True)
    return layout


@cache
def _inter_character_layout_class() -> type:
    from weasyprint.text import line_break

    class InterCharacterLayout(line_break.Layout):  # type: ignore[misc]
        """A WeasyPrint layout that adds letter spacing when it is drawn."""

        letter_spacing_units = 0
        spacing_weights: tuple[float, ...] = ()

        def set_text(self, text: str, justify: bool = False) -> None:
            super().set_text(text, justify)
            if justify and self.text and self.letter_spacing_units:
                _add_letter_spacing(self, self.letter_spacing_units, self.spacing_weights)

    return InterCharacterLayout


Glyph = tuple[float, float | None, float, float]  # font size, logical width, width, x offset


def _glyph_geometry(layout: Any) -> list[Glyph]:
    """The glyphs of the layout's first line, as `draw_first_line` reads them."""
    from weasyprint.text.ffi import FROM_UNITS, ffi, pango
    from weasyprint.text.fonts import get_pango_font_key

    line, _ = layout.get_first_line()
    logical = ffi.new("PangoRectangle *")
    ink = ffi.new("PangoRectangle *")
    glyphs: list[Glyph] = []
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        string = glyph_item.glyphs
        pango_font = glyph_item.item.analysis.font
        font_size = get_pango_font_key(pango_font)[2]
        for index in range(string.num_glyphs):
            info = string.glyphs[index]
            glyph = info.glyph
            logical_width: float | None = None
            if glyph & pango.PANGO_GLYPH_UNKNOWN_FLAG:
                logical_width = round(info.geometry.width * 1000 * FROM_UNITS / font_size)
            elif glyph != pango.PANGO_GLYPH_EMPTY:
                pango.pango_font_get_glyph_extents(pango_font, glyph, ink, logical)
                logical_width = round(logical.width * 1000 * FROM_UNITS / font_size)
            glyphs.append((font_size, logical_width, info.geometry.width, info.geometry.x_offset))
    layout.deactivate()
    return glyphs


def _drawn_width(glyphs: list[Glyph]) -> float:
    """Width of a line of glyphs as WeasyPrint's `draw_first_line` writes it to the PDF."""
    from weasyprint.text.ffi import FROM_UNITS

    total = 0.0
    for font_size, logical_width, width, x_offset in glyphs:
        if logical_width is None:
            # draw_first_line moves past an empty glyph by width / font_size thousandths.
            total += width / 1000
            continue
        offset = x_offset / font_size
        kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
        # Same arithmetic as draw_first_line: TJ adjustments in whole thousandths.
        total += (offset + logical_width - int(kerning)) * font_size / 1000
    return total


def _add_letter_spacing(layout: Any, units: int, weights: list[float]) -> None:
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    letter_spacing = layout.style["letter_spacing"]
    if letter_spacing == "normal":
        letter_spacing = 0
    own = round(letter_spacing * TO_UNITS)
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    # One attribute per run of characters with the same weight, in UTF-8 offsets.
    start = 0
    offset = 0
    text = layout.text
    for index, character in enumerate(text):
        end = offset + len(character.encode())
        last = index + 1 == len(text)
        if last or weights[index + 1] != weights[index]:
            attr = pango.pango_attr_letter_spacing_new(own + round(units * weights[index]))
            attr.start_index, attr.end_index = start, end
            pango.pango_attr_list_change(attr_list, attr)
            start = end
        offset = end
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread `extra_width` evenly over the gaps between the characters of `line`."""
    if extra_width <= 0:
        return
    texts = [box for box in _text_boxes(line) if box.text]
    # Keep Latin words whole unless the line has nothing else to spread.
    for keep_latin_words in (True, False):
        weights = {id(box): spacing_weights(box.text, keep_latin_words) for box in texts}
        units = sum(gap_units(weights[id(box)]) for box in texts) + sum(
            (weights[id(left)][-1] + weights[id(right)][0]) / 2
            for left, right in pairwise(texts)
        )
        if units > 0:
            _Walk(extra_width / units, weights).shift(line, 0.0)
            return


@dataclass
class _Walk:
    """One pass over a line's boxes, moving and widening them left to right."""

    spacing: float
    weights: dict[int, list[float]]
    previous_weight: float | None = None

    def shift(self, box: Any, x_advance: float) -> float:
        """Move and widen `box` and its children; return the advance for what follows."""
        from weasyprint.formatting_structure import boxes

        if isinstance(box, boxes.TextBox):
            weights = self.weights.get(id(box)) or []
            if weights:
                if self.previous_weight is not None:
                    # The gap between this box and the previous one.
                    x_advance += self.spacing * (self.previous_weight + weights[0]) / 2
                self.previous_weight = weights[-1]
            box.position_x += x_advance
            units = gap_units(weights)
            if units:
                # Aim at the width the line needs; the text is drawn to within a
                # few hundredths of a point of it (see _spaced_layout).
                target = box.width + units * self.spacing
                layout, _ = _spaced_layout(box, self.spacing, target, weights)
                x_advance += target - box.width
                box.width = target
                box.pango_layout = layout
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            children = box.children[::-1] if box.style["direction"] == "rtl" else box.children
            for child in children:
                if child.is_in_normal_flow():
                    x_advance = self.shift(child, x_advance)
            box.width += x_advance - before
        else:  # atomic inline-level box (image, inline-block)
            box.translate(x_advance, 0)
        return x_advance


@contextmanager
def inter_character_justification() -> Iterator[None]:
    """Within this block, WeasyPrint justifies Chinese lines between characters."""
    check_weasyprint()
    from weasyprint.layout import inline

    original = inline.justify_line
    inline.justify_line = justify_line
    try:
        yield
    finally:
        inline.justify_line = original
