"""Where a printed line came from: the line of the article's file that holds its text.

Every family of checks finds faults on paper (a line, a word, a page) while the
editor fixes them in a file. This maps printed text back: each article's title
fields and Markdown body are reduced to their letters, digits and Han characters
(what survives typesetting unchanged: no spaces, punctuation compression, Markdown
markup or table pipes), each remembering its source line, and the printed text,
reduced the same way, is looked up there. A printed line that starts mid-word
(the rest of a hyphenless break) still matches on its longest run of at least
`MIN_MATCH` characters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MIN_MATCH = 4

# Front-matter fields printed in the article's head, in print order.
PRINTED_FIELDS = ("title", "subtitle", "source", "author", "source_url")


def letters(text: str) -> str:
    """What is compared: NFKC, only letters, digits and Han characters."""
    return "".join(character for character in unicodedata.normalize("NFKC", text) if character.isalnum())


@dataclass(frozen=True)
class SourceText:
    """One article's printed fields and body, reduced, with each character's line."""

    text: str
    lines: tuple[int, ...]  # the source line of each character of `text`

    @classmethod
    def of(cls, fields: list[tuple[str, int]], body: str, body_first_line: int) -> SourceText:
        """`fields`: (value, line) of the front matter printed; `body` from `body_first_line`."""
        parts: list[str] = []
        lines: list[int] = []
        body_lines = [(text, body_first_line + index) for index, text in enumerate(body.split("\n"))]
        numbered = [*fields, *body_lines]
        for value, line in numbered:
            reduced = letters(value)
            parts.append(reduced)
            lines += [line] * len(reduced)
        return cls("".join(parts), tuple(lines))

    def line_of(self, printed: str) -> int | None:
        """The source line of `printed`, or None when it is not this article's text."""
        wanted = letters(printed)
        if len(wanted) < min(MIN_MATCH, len(self.text) or MIN_MATCH) or not wanted:
            return None
        at = self.text.find(wanted)
        if at >= 0:
            return self.lines[at]
        # Cut short: try the line's halves (a word broken across lines, a mark in between).
        for piece in (wanted[: len(wanted) // 2], wanted[len(wanted) // 2 :]):
            if len(piece) >= MIN_MATCH:
                at = self.text.find(piece)
                if at >= 0:
                    return self.lines[at]
        return None
