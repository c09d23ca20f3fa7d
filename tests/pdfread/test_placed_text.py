"""Placed characters read from the content stream agree with poppler's word boxes."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from pipeline.pdfread.lines import read_chars


def test_placed_characters_agree_with_poppler(mixed_pdfs: dict[bool, Path]) -> None:
    """The content scan places glyphs where poppler does: every word poppler reads
    starts at one of our glyph boxes and ends at one, on its line, with the same text."""
    xhtml = subprocess.run(
        ["pdftotext", "-q", "-bbox", "-enc", "UTF-8", str(mixed_pdfs[True]), "-"],
        capture_output=True, check=True,
    ).stdout
    namespace = {"h": "http://www.w3.org/1999/xhtml"}
    pages = ElementTree.fromstring(xhtml).findall(".//h:page", namespace)
    placed = read_chars(mixed_pdfs[True])
    assert len(pages) == len(placed) > 1
    words = misplaced = 0
    for page, chars in zip(pages, placed, strict=True):
        page_words = page.findall("h:word", namespace)
        assert sorted("".join(word.text for word in page_words)) == sorted(
            "".join(char.text for char in chars if char.text.strip())
        )
        for word in page_words:
            words += 1
            top, bottom = float(word.get("yMin")), float(word.get("yMax"))
            on_line = [char for char in chars if top <= char.top + char.size / 2 <= bottom]
            starts = any(abs(char.x0 - float(word.get("xMin"))) < 0.01 for char in on_line)
            ends = any(abs(char.x1 - float(word.get("xMax"))) < 0.01 for char in on_line)
            misplaced += not (starts and ends)
    assert words > 50
    assert misplaced == 0
