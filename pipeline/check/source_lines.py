"""Where a printed line came from: the line of the article's file that holds its text.

Every family of checks finds faults on paper (a line, a word, a page) while the
editor fixes them in a file. This maps printed text back: each article's title
fields and Markdown body are reduced to their letters, digits and Han characters
(what survives typesetting unchanged: no spaces, punctuation compression, Markdown
markup or table pipes), each remembering its source line, and the printed text,
reduced the same way, is looked up there. A printed line that starts mid-word
still matches on either half. Text with too few letters (a run of brackets)
is looked up with only white space removed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

MIN_MATCH = 4

# Front-matter fields printed in the article's head, in print order.
PRINTED_FIELDS = ("title", "subtitle", "source", "author", "source_url")


def letters(text: str) -> str:
    """What is compared: NFKC, only letters, digits and Han characters."""
    return "".join(character for character in unicodedata.normalize("NFKC", text) if character.isalnum())


def visible(text: str) -> str:
    """The fallback for text with too few letters (a run of marks): NFKC, no white space."""
    return "".join(character for character in unicodedata.normalize("NFKC", text) if not character.isspace())


@dataclass(frozen=True)
class _Reduced:
    text: str
    lines: tuple[int, ...]  # the source line of each character of `text`

    @classmethod
    def of(cls, numbered: list[tuple[str, int]], reduce: Callable[[str], str]) -> _Reduced:
        parts: list[str] = []
        lines: list[int] = []
        for value, line in numbered:
            reduced = reduce(value)
            parts.append(reduced)
            lines += [line] * len(reduced)
        return cls("".join(parts), tuple(lines))

    def find(self, wanted: str) -> int | None:
        at = self.text.find(wanted)
        if at >= 0:
            return self.lines[at]
        # Cut short: try the halves (a word broken across lines, a mark in between).
        for piece in (wanted[: len(wanted) // 2], wanted[len(wanted) // 2 :]):
            if len(piece) >= MIN_MATCH:
                at = self.text.find(piece)
                if at >= 0:
                    return self.lines[at]
        return None


@dataclass(frozen=True)
class SourceText:
    """One article's printed fields and body, reduced, with each character's line."""

    by_letters: _Reduced
    by_marks: _Reduced

    @classmethod
    def of(cls, fields: list[tuple[str, int]], body: str, body_first_line: int) -> SourceText:
        """`fields`: (value, line) of the front matter printed; `body` from `body_first_line`."""
        body_lines = [(text, body_first_line + index) for index, text in enumerate(body.split("\n"))]
        numbered = [*fields, *body_lines]
        return cls(_Reduced.of(numbered, letters), _Reduced.of(numbered, visible))

    def line_of(self, printed: str) -> int | None:
        """The source line of `printed`, or None when it is not this article's text."""
        wanted = letters(printed)
        if len(wanted) >= MIN_MATCH:
            return self.by_letters.find(wanted)
        marks = visible(printed)
        return self.by_marks.find(marks) if len(marks) >= MIN_MATCH else None
