"""Text lines as placed on paper, from each glyph's box in the content scan.

Characters are grouped by baseline; each line knows its page, position, size,
font and the gaps between neighbouring visible characters (`page_lines`, one page
on its own). Running headers (a page's first line repeated at the same height on
other pages) and page numbers are then dropped across the document
(`without_running_headers`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from pypdf import PdfReader

from .content import scan_content
from .placed_text import PlacedChar

LEADER = re.compile(r"[.·…]{6,}")

PAGE_NUMBER = re.compile(r"^[—–-]\s*\d+\s*[—–-]$")


@dataclass(frozen=True)
class Line:
    page: int
    top: float
    x0: float
    x1: float
    size: float
    font: str
    text: str
    gaps: tuple[float, ...]  # between neighbouring visible characters, in pt

    @property
    def is_leader(self) -> bool:
        """A contents entry with dot leaders: not prose, not justified."""
        return bool(LEADER.search(self.text))


def page_lines(page_chars: list[PlacedChar], number: int) -> list[Line]:
    """The text lines of one page, top to bottom, as drawn (headers and numbers still in)."""
    rows: dict[int, list[PlacedChar]] = {}
    for char in page_chars:
        if not char.upright:
            continue
        # Group by baseline (the text matrix), not by glyph box: Latin and Han
        # glyphs of one line have boxes of different heights.
        key = round(char.baseline * 2)
        rows.setdefault(key, []).append(char)
    lines = []
    for key in sorted(rows, reverse=True):  # PDF y grows upwards
        # Text in drawing order (a half-width mark may be drawn shifted left of
        # its predecessor's box); positions from the boxes sorted left to right.
        chars = rows[key]
        visible = sorted((char for char in chars if char.text.strip()), key=lambda char: char.x0)
        if not visible:
            continue
        gaps = tuple(right.x0 - left.x1 for left, right in pairwise(visible))
        sizes = Counter(round(char.size, 1) for char in visible)
        fonts = Counter(char.font.split("+")[-1] for char in visible)
        lines.append(
            Line(
                page=number,
                top=min(char.top for char in visible),
                x0=visible[0].x0,
                x1=max(char.x1 for char in visible),
                size=sizes.most_common(1)[0][0],
                font=fonts.most_common(1)[0][0],
                text="".join(char.text for char in chars).strip(),
                gaps=gaps,
            )
        )
    return lines


def read_chars(pdf_path: Path) -> list[list[PlacedChar]]:
    """Every page's drawn characters, in drawing order."""
    return scan_content(PdfReader(pdf_path)).chars


def lines_of(pages_chars: list[list[PlacedChar]]) -> list[list[Line]]:
    """Every page's text lines, top to bottom, without running headers and page numbers."""
    return without_running_headers(
        [page_lines(chars, index) for index, chars in enumerate(pages_chars, start=1)]
    )


def without_running_headers(pages: list[list[Line]]) -> list[list[Line]]:
    """Each page's lines (from `page_lines`) less running headers and page numbers."""
    # Running header: the first line of a page, repeated at the same height on other pages.
    seen = Counter((round(lines[0].top), lines[0].text) for lines in pages if lines)
    return [
        [
            line
            for index, line in enumerate(lines)
            if not PAGE_NUMBER.match(line.text)
            and not (index == 0 and seen[(round(line.top), line.text)] > 1)
        ]
        for lines in pages
    ]


def read_lines(pdf_path: Path) -> list[list[Line]]:
    return lines_of(read_chars(pdf_path))
