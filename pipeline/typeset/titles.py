"""Where a title (or a contents entry) breaks: GB/T 9704-2012 §7.3.3.

"标题回行时，要做到词意完整，排列对称，长短适宜，间距恰当": a title that fits on one
line stays on one; a longer one breaks between phrases or words, never inside a
word, into lines of similar length, and its last line never holds only one or two
characters. Break points, best first (typography reference): a space the editor
typed between two phrases, before ——, after ：, around a quoted or 《》 group,
then between words (jieba, `words.word_boundaries`).

Widths come from the fonts' own advances (`TextMeasure`, HarfBuzz), at the width
the title is set in, so no layout is needed: the decision does not depend on
pagination. Each chosen line is then set unbreakable (briefing.css `.title-line`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations, pairwise
from pathlib import Path
from typing import Any

from ..cjk import CLOSING, NO_LINE_START, OPENING
from .glyphs import harfbuzz
from .words import words

MIN_LAST_LINE = 3  # characters (punctuation not counted): a last line of 1–2 is a runt
MAX_LINES = 4
# Penalty of a break at each kind of place (lower is better).
SPACE, DASH, COLON, QUOTE, WORD, LONE = 0.0, 1.0, 1.0, 2.0, 3.0, 2.0
# One-character words that stand alone (与, 的, 在…): a break beside them is a normal one.
FUNCTION_WORDS = frozenset("与和及的在对为将把被从向于以等并或暨共之")
QUOTED_OPEN = "“《「『（"
QUOTED_CLOSE = "”》」』）"


class TextMeasure:
    """Advance widths of characters in one font file, from HarfBuzz (no layout)."""

    def __init__(self, font_file: Path) -> None:
        ffi, library = harfbuzz()
        blob = library.hb_blob_create_from_file(str(font_file).encode())
        face = library.hb_face_create(blob, 0)
        self._upem = library.hb_face_get_upem(face)
        self._font: Any = ffi.gc(library.hb_font_create(face), library.hb_font_destroy)
        library.hb_face_destroy(face)
        library.hb_blob_destroy(blob)
        self._library = library
        self._glyph = ffi.new("uint32_t *")
        self._advances: dict[str, float] = {}

    def em_width(self, text: str) -> float:
        """Width of `text` in ems (characters the font lacks count one em)."""
        total = 0.0
        for character in text:
            advance = self._advances.get(character)
            if advance is None:
                if character == "\u200b":
                    advance = 0.0
                elif self._library.hb_font_get_nominal_glyph(self._font, ord(character), self._glyph):
                    glyph = self._glyph[0]
                    advance = self._library.hb_font_get_glyph_h_advance(self._font, glyph) / self._upem
                else:
                    advance = 1.0
                self._advances[character] = advance
            total += advance
        return total


@dataclass(frozen=True)
class Candidate:
    offset: int  # break before text[offset]
    penalty: float
    drop_space: bool = False  # the editor's space at the break is not printed


def break_candidates(text: str) -> list[Candidate]:
    """Every place `text` may break, with its penalty; never inside a word."""
    found: dict[int, Candidate] = {}

    def add(offset: int, penalty: float, drop_space: bool = False) -> None:
        if not 0 < offset < len(text):
            return
        if text[offset] in NO_LINE_START or text[offset - 1] in OPENING:
            return
        known = found.get(offset)
        if known is None or penalty < known.penalty:
            found[offset] = Candidate(offset, penalty, drop_space)

    for index, character in enumerate(text):
        if character in (" ", "\u3000"):
            add(index + 1, SPACE, drop_space=True)
        elif text.startswith("——", index) and (index == 0 or text[index - 1] != "—"):
            add(index, DASH)
        elif character in "：:":
            add(index + 1, COLON)
        elif character in QUOTED_OPEN:
            add(index, QUOTE)
        elif character in QUOTED_CLOSE and index + 1 < len(text) and text[index + 1] not in CLOSING:
            add(index + 1, QUOTE)
    cut = words(text)
    position = 0
    for before, after in pairwise(cut):
        position += len(before)
        if " " in (before, after):
            continue
        # A one-character "word" beside the break is often part of a name the
        # dictionary does not know (中赞, 沪苏): break there only as a last resort.
        lone = any(len(word) == 1 and word not in FUNCTION_WORDS for word in (before, after))
        add(position, WORD + (LONE if lone else 0.0))
    return sorted(found.values(), key=lambda candidate: candidate.offset)


def _visible_length(text: str) -> int:
    return sum(1 for character in text if character not in CLOSING + OPENING + " \u3000—")


def _lines(text: str, chosen: tuple[Candidate, ...]) -> list[str]:
    lines = []
    start = 0
    for candidate in chosen:
        line = text[start : candidate.offset]
        lines.append(line[:-1] if candidate.drop_space else line)
        start = candidate.offset
    lines.append(text[start:])
    return [line.strip() for line in lines]


def break_title(text: str, measure: TextMeasure, size: float, width: float,
                last_line_room: float = 0.0) -> list[str]:
    """`text` as the lines it should be set in, at `size` points within `width` points.

    `last_line_room`: points the last line must leave free (a contents entry's leader).
    A title that cannot be broken well (no candidate gives lines that fit) is
    returned whole, for the browser to wrap.
    """
    text = text.strip()
    if measure.em_width(text) * size <= width - last_line_room:
        return [text]
    candidates = break_candidates(text)
    best: tuple[float, list[str]] | None = None
    for count in range(2, MAX_LINES + 1):
        for chosen in combinations(candidates, count - 1):
            lines = _lines(text, chosen)
            widths = [measure.em_width(line) * size for line in lines]
            if any(line_width > width for line_width in widths):
                continue
            if widths[-1] > width - last_line_room or _visible_length(lines[-1]) < MIN_LAST_LINE:
                continue
            # Whole phrases first (词意完整), then balanced lines (排列对称): the
            # break points' penalties, plus the lines' spread relative to the longest.
            spread = (max(widths) - min(widths)) / max(widths)
            cost = spread * 2 + sum(candidate.penalty for candidate in chosen) * 0.5
            if best is None or cost < best[0]:
                best = (cost, lines)
        if best is not None:
            return best[1]
    return [text]
