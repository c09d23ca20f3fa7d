"""How much justification spacing each character carries, and the spacings kept between renders.

clreq spreads a line's spare width between characters, but a Latin word or number
(ISO, 9001, 12.5%) stays whole; combining marks and zero-width characters stick to
their neighbour. `Spacing` is the plan for one text box, and `SpacingMemory` keeps
the plans of the last render so the watcher's next build reuses them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

# Spacing (em) above which a line's Latin words are spread too, rather than leave
# visible gaps between its few other characters.
MAX_KEPT_WORD_SPACING_EM = 0.1
# A Latin word or number (ISO, 9001, 12.5%) is not spread apart, as in clreq.
LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:[.,:/'’\-][A-Za-z0-9]+)*%?")


def spacing_weights(text: str, keep_latin_words: bool = True) -> list[float]:
    """How much of a justification spacing each character of `text` carries (0 or 1).

    Pango puts half of a character's letter spacing before it and half after, so
    the gap between two characters grows by the mean of their weights. Combining
    marks and zero-width characters carry none (they stick to their neighbour),
    nor does a space (already a gap of its own width), and neither do the letters
    inside a Latin word when `keep_latin_words`.
    """
    weights = [
        0.0
        if character == " "
        or unicodedata.combining(character)
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


@dataclass(frozen=True)
class Spacing:
    """How one text box is spread: a Pango letter spacing, then a few glyphs widened.

    Every spread character gets `units` of letter spacing (Pango units). WeasyPrint
    writes glyph advances to the PDF in whole thousandths of an em, truncating
    (`draw/text.py`), so that alone would draw the box up to 1/1000 em per glyph
    short. `widths` sets the width of some glyphs of the shaped line (glyph index,
    Pango units) so that each of them gains or gives back one such step, and the
    box is drawn to within half a step (under 0.01 pt) of its target.
    """

    units: int
    widths: tuple[tuple[int, int], ...] = ()
    glyph_count: int = 0


MemoryKey = tuple[Any, ...]


class SpacingMemory:
    """Spacings chosen in the last render, kept by the Typesetter between builds.

    The watcher rebuilds mostly unchanged text: a box with the same text, style
    and target width gets the spacing measured last time and its glyphs are not
    read back. Entries the last render did not use are dropped. Tied to one font
    configuration: clear it when the fonts change.
    """

    def __init__(self) -> None:
        self._previous: dict[MemoryKey, Spacing] = {}
        self._current: dict[MemoryKey, Spacing] = {}

    def start_render(self) -> None:
        if self._current:
            self._previous, self._current = self._current, {}

    def get(self, key: MemoryKey) -> Spacing | None:
        spacing = self._current.get(key)
        if spacing is None:
            spacing = self._previous.get(key)
            if spacing is not None:
                self._current[key] = spacing
        return spacing

    def put(self, key: MemoryKey, spacing: Spacing) -> None:
        self._current[key] = spacing

    def clear(self) -> None:
        self._previous.clear()
        self._current.clear()

    def __len__(self) -> int:
        return len(self._current)


@dataclass
class JustificationStats:
    """What one render's justification did (for tests and measurements)."""

    boxes: int = 0
    remembered: int = 0  # spacings taken from the SpacingMemory
    widened: int = 0  # glyphs whose width was set
    worst_error_pt: float = 0.0  # largest |drawn width - target| of a measured box
