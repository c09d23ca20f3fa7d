"""Chinese punctuation in article bodies: where lines may break, which marks are set half-width.

A markdown-it core rule, run after parsing, that touches only how text is set,
never what it says:

* Line breaks at curly quotes. Pango's UAX #14 puts `“ ” ‘ ’` in class QU and
  forbids a break on either side of them, so `说“质量”是` is one unbreakable
  block and the line around it is stretched or broken early. clreq allows a break
  before an opening quote and after a closing one (never after `“` or before
  `”`). We mark those places with U+200B ZERO WIDTH SPACE, which Pango honours
  as a break opportunity and WeasyPrint draws as an empty glyph with no
  character mapping: the PDF's extracted text does not contain it (tested in
  tests/test_typography.py), so copy and search give the editor's characters.
* Punctuation compression. Two full-width marks side by side (`。”`, `”，`,
  `）、`, `：“`) would leave a full em of blank between them; the shipped Noto CJK
  fonts have the OpenType `halt` feature (half-width alternates; they lack
  `chws`), applied by CSS (`.cjk-halt` in briefing.css) to the mark whose blank
  half faces its neighbour: the first of a pair if it is a closing mark, the
  second if it is an opening one.
* Han and Latin. A run of Latin letters or digits inside Chinese text is wrapped
  in `.cjk-latin`, whose margins come from the house setting
  `--han-latin-space` (0: official-document practice, or 0.25em).
* Long Latin strings and numbers with units (see `breaks`): URLs and e-mail
  addresses break only after / . ? & = _ -, a number stays with its unit.
"""

from __future__ import annotations

import re
from html import escape
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..cjk import (
    CLOSING,
    CLOSING_QUOTES,
    HAN_CHARACTER,
    NO_LINE_START,
    OPENING,
    OPENING_QUOTES,
    ZERO_WIDTH_SPACE,
)
from .breaks import special_spans, with_breaks

LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+\-/]*")


def quote_breaks(text: str) -> str:
    """`text` with a zero-width break opportunity before opening and after closing quotes."""
    out = []
    for index, character in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if (
            character in OPENING_QUOTES
            and before
            and not before.isspace()
            and before not in OPENING
            and (not out or out[-1] != ZERO_WIDTH_SPACE)
        ):
            out.append(ZERO_WIDTH_SPACE)
        out.append(character)
        if (
            character in CLOSING_QUOTES
            and after
            and not after.isspace()
            and after not in NO_LINE_START
            and after not in CLOSING_QUOTES
            and after != ZERO_WIDTH_SPACE
        ):
            out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


def halved_positions(text: str) -> set[int]:
    """Indices of full-width marks to set half-width because a neighbour is one too.

    Zero-width spaces between two marks do not separate them.
    """
    marks = [
        (index, character) for index, character in enumerate(text) if character != ZERO_WIDTH_SPACE
    ]
    halved = set()
    for (index, first), (next_index, second) in pairwise(marks):
        if first in OPENING + CLOSING and second in OPENING + CLOSING:
            if first in CLOSING:
                halved.add(index)
            if second in OPENING:
                halved.add(next_index)
    return halved


Piece = tuple[str, str | None, str | None]  # (content, CSS class or None, link or None)


def _han_sides(text: str, start: int, end: int) -> list[str]:
    sides = []
    if start and HAN_CHARACTER.match(text[start - 1]):
        sides.append("han-before")
    if end < len(text) and HAN_CHARACTER.match(text[end]):
        sides.append("han-after")
    return sides


def _pieces(text: str, in_link: bool = False) -> list[Piece]:
    """Split `text` into (content, CSS class or None, link or None) pieces.

    URLs and e-mail addresses get their break opportunities (`breaks.with_breaks`)
    and, outside an existing link, a link of their own; numbers with units and
    standard numbers are kept on one line (`nobr`).
    """
    halved = halved_positions(text)
    special: dict[int, tuple[int, str, str | None, str]] = {}
    for span in special_spans(text):
        sides = _han_sides(text, span.start, span.end)
        latin = ["cjk-latin", *sides] if sides else []
        content = text[span.start : span.end]
        if span.kind == "nobr":
            special[span.start] = (span.end, " ".join(["nobr", *latin]), None, content)
        else:
            href = None if in_link else span.href
            special[span.start] = (span.end, " ".join(["long", *latin]), href, with_breaks(content))
    for match in LATIN_RUN.finditer(text):
        start, end = match.span()
        if any(start < stop and end > begin for begin, (stop, *_rest) in special.items()):
            continue
        sides = _han_sides(text, start, end)
        if sides:  # a Latin run touching Han text
            special[start] = (end, " ".join(["cjk-latin", *sides]), None, text[start:end])
    pieces: list[Piece] = []
    plain: list[str] = []
    index = 0
    while index < len(text):
        if index in special:
            end, kind, href, content = special[index]
            pieces.append(("".join(plain), None, None))
            plain = []
            pieces.append((content, kind, href))
            index = end
        elif index in halved:
            pieces.append(("".join(plain), None, None))
            plain = []
            pieces.append((text[index], "cjk-halt", None))
            index += 1
        else:
            plain.append(text[index])
            index += 1
    pieces.append(("".join(plain), None, None))
    return [piece for piece in pieces if piece[0]]


def _piece_token(content: str, kind: str | None, href: str | None) -> Token:
    if kind is None:
        token = Token("text", "", 0)
        token.content = content
        return token
    token = Token("html_inline", "", 0)
    token.content = f'<span class="{kind}">{escape(content)}</span>'
    if href is not None:
        token.content = f'<a href="{escape(href)}">{token.content}</a>'
    return token


def _set_chinese_text(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = False
        for child in block.children:
            if child.type in ("link_open", "link_close"):
                in_link = child.type == "link_open"
            if child.type != "text":
                children.append(child)
                continue
            for content, kind, href in _pieces(quote_breaks(child.content), in_link):
                children.append(_piece_token(content, kind, href))
        block.children = children


def install(parser: MarkdownIt) -> None:
    """Add the rule to a parser (after its other core rules)."""
    parser.core.ruler.push("chinese_text", _set_chinese_text)
