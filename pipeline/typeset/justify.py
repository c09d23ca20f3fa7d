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
second box's position. Each box is shaped once; its drawn width is computed from
its glyphs exactly as WeasyPrint writes them to the PDF (advances truncated to
whole 1/1000 em), and a few glyphs spread evenly along the box are widened by
one such step each to make up the difference, so every box, and so every line,
ends within a hundredth of a point of where it should (see `Spacing`). The
shaped layout is kept for drawing, and a `SpacingMemory` lets the next build
reuse each box's spacing. The text itself is not touched: copy and search give
the characters the editor wrote.

The patch hooks into WeasyPrint internals, so `check_weasyprint()` refuses to
install it on any version or function shape other than the one it was written
and tested against.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise
from typing import Any

from .guard import check_weasyprint
from .spacing import (
    MAX_KEPT_WORD_SPACING_EM,
    JustificationStats,
    MemoryKey,
    Spacing,
    SpacingMemory,
    gap_units,
    spacing_weights,
)


def _text_boxes(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _text_boxes(child)


# What a box's shaping depends on besides its text (weasyprint.text.line_break.Layout).
SHAPING_STYLE = (
    "font_family", "font_size", "font_style", "font_weight", "font_stretch",
    "font_variant_caps", "font_variation_settings", "font_kerning", "font_variant_ligatures",
    "font_variant_position", "font_variant_numeric", "font_variant_alternates",
    "font_variant_east_asian", "font_feature_settings", "font_language_override", "lang",
    "direction", "letter_spacing", "word_spacing", "overflow_wrap", "tab_size",
)


# One glyph as draw_first_line reads it: font size, logical width in 1/1000 em
# (None for an empty glyph), width and x offset in Pango units.
Glyph = tuple[float, int | None, int, int]


def _advance(font_size: float, logical_width: int | None, width: int, x_offset: int) -> float:
    """A glyph's advance in points, with draw_first_line's arithmetic (TJ in whole 1/1000 em)."""
    from weasyprint.text.ffi import FROM_UNITS

    if logical_width is None:
        # draw_first_line moves past an empty glyph by width / font_size thousandths.
        return width / 1000
    offset = x_offset / font_size
    kerning = logical_width + offset - width * 1000 * FROM_UNITS / font_size
    return (offset + logical_width - int(kerning)) * font_size / 1000


def _width_for_step(glyph: Glyph, steps: int) -> int:
    """A glyph width that makes draw_first_line advance `steps` thousandths of an em more."""
    from weasyprint.text.ffi import FROM_UNITS

    font_size, logical_width, width, x_offset = glyph
    assert logical_width is not None
    offset = x_offset / font_size
    wanted = int(logical_width + offset - width * 1000 * FROM_UNITS / font_size) - steps
    return _width_truncating_to(glyph, wanted)


def _width_truncating_to(glyph: Glyph, wanted: int) -> int:
    """A glyph width for which draw_first_line's TJ adjustment is `wanted` thousandths."""
    from weasyprint.text.ffi import FROM_UNITS

    font_size, logical_width, _, x_offset = glyph
    assert logical_width is not None
    offset = x_offset / font_size
    # Aim at the middle of the interval that truncates to `wanted` (int() cuts towards 0).
    kerning = wanted - 0.5 if wanted < 0 else wanted + 0.5 if wanted > 0 else 0.0
    return round((logical_width + offset - kerning) * font_size / (1000 * FROM_UNITS))


def _step_widths(glyphs: list[Glyph], spread: list[int], shortfall: float
                 ) -> list[tuple[int, int]]:
    """New widths for some of the `spread` glyphs so the line grows by about `shortfall` pt.

    Each chosen glyph moves by whole thousandths of an em; the glyphs are taken
    evenly along the line so no stretch of it gathers the change.
    """
    if not spread:
        return []
    step = glyphs[spread[0]][0] / 1000
    total = round(shortfall / step)
    if not total:
        return []
    sign = 1 if total > 0 else -1
    widths = []
    for position, index in enumerate(spread):
        # Bresenham: glyph `position` takes its share of `total` steps.
        steps = (abs(total) * (position + 1)) // len(spread) - (abs(total) * position) // len(
            spread
        )
        if steps:
            widths.append((index, _width_for_step(glyphs[index], sign * steps)))
    return widths


@dataclass
class _Justifier:
    """One render's justification: installed as WeasyPrint's justify_line."""

    memory: SpacingMemory | None = None
    stats: JustificationStats = field(default_factory=JustificationStats)
    _font_sizes: dict[Any, float] = field(default_factory=dict)
    _logical_widths: dict[tuple[Any, int], int] = field(default_factory=dict)

    def justify_line(self, context: Any, line: Any, extra_width: float) -> None:
        """Spread `extra_width` evenly over the gaps between the characters of `line`."""
        if extra_width <= 0:
            return
        texts = [box for box in _text_boxes(line) if box.text]
        # A line ending in a zero-width break opportunity (cjk_text.quote_breaks)
        # has no gap after its last visible character: it ends at that glyph's ink.
        last = _last_leaf(line)
        invisible = _trailing_invisible(last.text) if last in texts else 0
        # Keep Latin words whole unless the line has nothing else to spread, or so
        # little that the gaps would show (a line mostly URL or e-mail address):
        # then every character takes its share, Latin letters too.
        size = texts[0].style["font_size"] if texts else 0.0
        for keep_latin_words in (True, False):
            weights = {id(box): spacing_weights(box.text, keep_latin_words) for box in texts}
            units = sum(gap_units(weights[id(box)]) for box in texts) + sum(
                (weights[id(left)][-1] + weights[id(right)][0]) / 2
                for left, right in pairwise(texts)
            )
            trim = weights[id(last)][-invisible - 1] / 2 if invisible else 0.0
            if keep_latin_words and units - trim > 0 and extra_width / (units - trim) > (
                MAX_KEPT_WORD_SPACING_EM * size
            ):
                continue
            if units - trim > 0:
                walk = _Walk(self, extra_width / (units - trim), weights)
                if trim:
                    walk.ink_end = (id(last), trim)
                walk.shift(line, 0.0)
                return

    def spaced_layout(self, box: Any, spacing: float, target: float, weights: list[float],
                      ink_end: bool = False) -> Any:
        """A Pango layout of `box` spread to be drawn `target` points wide (to about 0.01 pt).

        Shaped once, with letter spacing; the drawn width is computed from its glyphs
        as draw_first_line will write them, and a few glyphs are widened by whole
        thousandths of an em to make up what truncation loses. With `ink_end`, the
        last visible glyph advances by its ink only (no half gap after it), so the
        target is where that ink ends.
        """
        from weasyprint.text.ffi import TO_UNITS

        self.stats.boxes += 1
        key = (
            _memory_key(box, weights, spacing, target, ink_end)
            if self.memory is not None else None
        )
        if key is not None and self.memory is not None:
            remembered = self.memory.get(key)
            if remembered is not None:
                self.stats.remembered += 1
                return self._shape(box, remembered, weights)
        plain = Spacing(round(spacing * TO_UNITS))
        layout = self._shape(box, plain, weights)
        if box.style["font_size"] < 1e-6:  # not drawn (draw_first_line skips it)
            return layout
        glyphs, characters = self._glyphs(layout)
        drawn = sum(_advance(*glyph) for glyph in glyphs)
        # Glyphs that may change: those of spread characters (not of missing
        # characters, nor of unspread Latin words), up to the last visible one.
        adjustable = [
            index for index, glyph in enumerate(glyphs)
            if glyph[1] is not None and characters[index] >= 0 and weights[characters[index]]
        ]
        end = len(glyphs) - 1
        widths = []
        if ink_end and adjustable and adjustable[-1] == max(
            index for index, glyph in enumerate(glyphs) if glyph[1] is not None
        ):
            end = adjustable[-1]
            ink = _width_truncating_to(glyphs[end], 0)
            drawn += _advance(*glyphs[end][:2], ink, glyphs[end][3]) - _advance(*glyphs[end])
            widths.append((end, ink))
        # Not the last glyph either: its advance is its ink, the line's right edge.
        spread = [index for index in adjustable if index < end]
        steps = _step_widths(glyphs, spread, target - drawn)
        widths += steps
        chosen = plain
        if widths:
            for index, width in steps:
                drawn += _advance(*glyphs[index][:2], width, glyphs[index][3]) - _advance(
                    *glyphs[index]
                )
            chosen = Spacing(plain.units, tuple(widths), len(glyphs))
            layout.spacing = chosen
            _set_glyph_widths(layout, chosen)
            self.stats.widened += len(widths)
        self.stats.worst_error_pt = max(self.stats.worst_error_pt, abs(drawn - target))
        if key is not None and self.memory is not None:
            self.memory.put(key, chosen)
        return layout

    def _shape(self, box: Any, spacing: Spacing, weights: list[float]) -> Any:
        layout = _inter_character_layout_class()(box.style, 0, None)
        layout.spacing = spacing
        layout.spacing_weights = weights
        layout.set_text(box.text, justify=True)
        return layout

    def _glyphs(self, layout: Any) -> tuple[list[Glyph], list[int]]:
        """The glyphs of the layout's first line as `draw_first_line` reads them, and
        the index of the character each belongs to."""
        from weasyprint.text.ffi import FROM_UNITS, ffi, pango
        from weasyprint.text.fonts import get_pango_font_key

        line, _ = layout.get_first_line()
        offsets = _character_offsets(layout.text)
        glyphs: list[Glyph] = []
        characters: list[int] = []
        font_sizes = self._font_sizes
        logical_widths = self._logical_widths
        unknown_flag = pango.PANGO_GLYPH_UNKNOWN_FLAG
        empty = pango.PANGO_GLYPH_EMPTY
        run = line.runs
        while run != ffi.NULL:
            glyph_item = run.data
            run = run.next
            string = glyph_item.glyphs
            pango_font = glyph_item.item.analysis.font
            font_size = font_sizes.get(pango_font)
            if font_size is None:
                font_size = font_sizes[pango_font] = get_pango_font_key(pango_font)[2]
            item_offset = glyph_item.item.offset
            infos = string.glyphs
            clusters = string.log_clusters
            for index in range(string.num_glyphs):
                info = infos[index]
                glyph = info.glyph
                geometry = info.geometry
                logical_width: int | None = None
                if glyph & unknown_flag:
                    logical_width = round(geometry.width * 1000 * FROM_UNITS / font_size)
                elif glyph != empty:
                    logical_width = logical_widths.get((pango_font, glyph))
                    if logical_width is None:
                        logical_width = self._logical_width(pango_font, font_size, glyph)
                glyphs.append((font_size, logical_width, geometry.width, geometry.x_offset))
                # A missing character's width is not ours to set (draw_first_line
                # derives its .notdef width from it): mark it unspreadable.
                characters.append(
                    -1 if glyph & unknown_flag
                    else offsets.get(item_offset + clusters[index], -1)
                )
        return glyphs, characters

    def _logical_width(self, pango_font: Any, font_size: float, glyph: int) -> int:
        from weasyprint.text.ffi import FROM_UNITS, ffi, pango

        ink = ffi.new("PangoRectangle *")
        logical = ffi.new("PangoRectangle *")
        pango.pango_font_get_glyph_extents(pango_font, glyph, ink, logical)
        width = round(logical.width * 1000 * FROM_UNITS / font_size)
        self._logical_widths[pango_font, glyph] = width
        return width


def _last_leaf(box: Any) -> Any:
    """The last in-flow box at the end of `box`'s descendants (what ends a line)."""
    from weasyprint.formatting_structure import boxes

    while isinstance(box, (boxes.LineBox, boxes.InlineBox)) and box.children:
        # Logical order: the last child ends the line (Chinese text runs left to right).
        box = box.children[-1]
    return box


def _trailing_invisible(text: str) -> int:
    """How many zero-width format characters (such as U+200B) end `text` after a visible one."""
    stripped = len(text)
    while stripped and unicodedata.category(text[stripped - 1]) == "Cf":
        stripped -= 1
    return len(text) - stripped if stripped else 0


def _character_offsets(text: str) -> dict[int, int]:
    """UTF-8 offset of each character of `text` → its index."""
    if text.isascii():
        return dict(zip(range(len(text)), range(len(text)), strict=True))
    offsets = {}
    offset = 0
    for index, character in enumerate(text):
        offsets[offset] = index
        offset += len(character.encode())
    return offsets


def _own_letter_spacing(style: Any) -> int:
    from weasyprint.text.ffi import TO_UNITS

    letter_spacing = style["letter_spacing"]
    return 0 if letter_spacing == "normal" else round(letter_spacing * TO_UNITS)


def _memory_key(box: Any, weights: list[float], spacing: float, target: float, ink_end: bool
                ) -> MemoryKey | None:
    try:
        key = (box.text, tuple(weights), spacing, target, ink_end,
               tuple(box.style[name] for name in SHAPING_STYLE))
        hash(key)
    except (KeyError, TypeError):  # a style value that cannot be a key: do not remember
        return None
    return key


def _set_glyph_widths(layout: Any, spacing: Spacing) -> None:
    """Write the spacing's glyph widths into the layout's shaped first line."""
    from weasyprint.text.ffi import ffi

    line, _ = layout.get_first_line()
    wanted = dict(spacing.widths)
    runs = []
    run = line.runs
    while run != ffi.NULL:
        runs.append(run.data.glyphs)
        run = run.next
    if sum(string.num_glyphs for string in runs) != spacing.glyph_count:
        return  # shaped differently from when measured: keep Pango's spacing
    first = 0
    for string in runs:
        for index in range(string.num_glyphs):
            width = wanted.get(first + index)
            if width is not None:
                string.glyphs[index].geometry.width = width
        first += string.num_glyphs


@cache
def _inter_character_layout_class() -> type:
    from weasyprint.text import line_break
    from weasyprint.text.ffi import pango

    class InterCharacterLayout(line_break.Layout):  # type: ignore[misc]
        """A WeasyPrint layout spread by a Spacing, which stays shaped until drawn."""

        spacing: Spacing | None = None
        spacing_weights: tuple[float, ...] = ()

        def set_text(self, text: str, justify: bool = False) -> None:
            super().set_text(text, justify)
            # draw_first_line sets single-paragraph mode; setting it first makes the
            # line measured here the line drawn, and draw's setting a no-op.
            pango.pango_layout_set_single_paragraph_mode(self.layout, True)
            if justify and self.text and self.spacing:
                _add_letter_spacing(self, self.spacing.units, self.spacing_weights)
                if self.spacing.widths:
                    _set_glyph_widths(self, self.spacing)

        def reactivate(self, style: Any) -> None:
            # Still shaped since justification: drawing needs no second shaping (and
            # a second one, when drawn again, sets the same glyph widths).
            if not hasattr(self, "layout") or style is not self.style:
                super().reactivate(style)

    return InterCharacterLayout


def _add_letter_spacing(layout: Any, units: int, weights: list[float]) -> None:
    from weasyprint.text.ffi import ffi, pango

    own = _own_letter_spacing(layout.style)
    attr_list = pango.pango_layout_get_attributes(layout.layout)
    if attr_list == ffi.NULL:
        attr_list = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    # One attribute per run of characters with the same weight, in UTF-8 offsets.
    start = 0
    offset = 0
    text = layout.text
    for index, character in enumerate(text):
        end = offset + len(character.encode())
        if index + 1 == len(text) or weights[index + 1] != weights[index]:
            attr = pango.pango_attr_letter_spacing_new(own + round(units * weights[index]))
            attr.start_index, attr.end_index = start, end
            pango.pango_attr_list_change(attr_list, attr)
            start = end
        offset = end
    pango.pango_layout_set_attributes(layout.layout, attr_list)


def justify_line(context: Any, line: Any, extra_width: float) -> None:
    """Spread `extra_width` evenly over the gaps between the characters of `line`."""
    _Justifier().justify_line(context, line, extra_width)


@dataclass
class _Walk:
    """One pass over a line's boxes, moving and widening them left to right."""

    justifier: _Justifier
    spacing: float
    weights: dict[int, list[float]]
    previous_weight: float | None = None
    ink_end: tuple[int, float] | None = None  # (box id, half gap not drawn after its ink)

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
            ink_end = self.ink_end is not None and self.ink_end[0] == id(box)
            if ink_end and self.ink_end is not None:
                units -= self.ink_end[1]
            if units:
                # Aim at the width the line needs; the text is drawn to within a
                # hundredth of a point of it (see spaced_layout).
                target = box.width + units * self.spacing
                box.pango_layout = self.justifier.spaced_layout(
                    box, self.spacing, target, weights, ink_end
                )
                x_advance += target - box.width
                box.width = target
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
def inter_character_justification(
    memory: SpacingMemory | None = None,
) -> Iterator[JustificationStats]:
    """Within this block, WeasyPrint justifies Chinese lines between characters.

    `memory` keeps spacing plans between renders (see SpacingMemory); the block
    yields what this render's justification did.
    """
    check_weasyprint()
    from weasyprint.layout import inline

    if memory is not None:
        memory.start_render()
    justifier = _Justifier(memory)
    original = inline.justify_line
    inline.justify_line = justifier.justify_line
    try:
        yield justifier.stats
    finally:
        inline.justify_line = original
