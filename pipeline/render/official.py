"""Blocks of an official document (公文, GB/T 9704-2012 §7.3) recognised by their text.

Editors write notices as plain paragraphs; the layout the standard asks for is
derived here, as CSS classes on the paragraphs (briefing.css sets the faces and
the spacing), never by changing the text:

* a paragraph that is only a numbered heading: `一、…` (`official-heading
  level-1`, 黑体), `（一）…` (`official-heading level-2`, 楷体); both are kept
  with the text that follows;
* a note (`注：…`, `注1：…`) is set smaller (`note`);
* a numbered heading run into its paragraph (`（一）指导思想。坚持…`): the heading
  words up to the first 。 are set in the heading's face (`run-in-1`, `run-in-2`);
  `1.` and `（1）` stay in the body face;
* a short line ending in `：` that introduces a table, list or figure (`label`),
  kept with what it introduces;
* the salutation (`各…：`, the body's first paragraph ending in `：`) starts at
  the left margin;
* 附件 lines (`附件：1.…`, then `2.…`) hang so a wrapped item name aligns with the
  first character of the name;
* the closing signature (落款): an issuing unit and a date as the last two
  paragraphs, set right (the date four characters from the right edge).
"""

from __future__ import annotations

import re

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

CHINESE_NUMERAL = "一二三四五六七八九十百零〇"
HEADING_1 = re.compile(rf"^[{CHINESE_NUMERAL}]+、")
HEADING_2 = re.compile(rf"^（[{CHINESE_NUMERAL}]+）")
DATE_LINE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")
ATTACHMENT_FIRST = re.compile(r"^(附\s*件)\s*[：:]\s*(\d+[.．])?")
ATTACHMENT_NEXT = re.compile(r"^(\d+[.．])")
NOTE = re.compile(r"^注[0-9一二三四五六七八九十]*[：:]")
MAX_HEADING = 40  # characters: a longer line is a paragraph, not a heading
MAX_RUN_IN = 20
MAX_LABEL = 40
SENTENCE_MARKS = "。；！？：:"  # inside a line, any of these means a sentence runs on


def _text(inline: Token) -> str:
    return inline.content.strip()


def _add_class(token: Token, name: str) -> None:
    existing = str(token.attrs.get("class", ""))
    token.attrSet("class", f"{existing} {name}".strip())


def _paragraphs(tokens: list[Token]) -> list[int]:
    """Indices of top-level paragraph_open tokens (not in lists, quotes or tables)."""
    return [
        index for index, token in enumerate(tokens)
        if token.type == "paragraph_open" and token.level == 0 and tokens[index + 1].type == "inline"
    ]


def _is_heading_line(text: str) -> str | None:
    if len(text) > MAX_HEADING or any(mark in text[:-1] for mark in SENTENCE_MARKS):
        return None
    if HEADING_1.match(text):
        return "official-heading level-1"
    if HEADING_2.match(text):
        return "official-heading level-2"
    return None


def _run_in(inline: Token, kind: str) -> None:
    """Wrap the heading words before the first 。 in a span of the heading's face."""
    children = inline.children or []
    if not children or children[0].type != "text":
        return
    first = children[0]
    stop = first.content.find("。")
    if stop < 0 or stop + 1 > MAX_RUN_IN:
        return
    opening = Token("html_inline", "", 0)
    opening.content = f'<span class="{kind}">'
    closing = Token("html_inline", "", 0)
    closing.content = "</span>"
    head = Token("text", "", 0)
    head.content = first.content[: stop + 1]
    first.content = first.content[stop + 1 :]
    inline.children = [opening, head, closing, *children]


def _prefix(inline: Token, length: int, html: str) -> None:
    """Replace the first `length` characters of the inline's text with `html`."""
    children = inline.children or []
    if not children or children[0].type != "text":
        return
    children[0].content = children[0].content.lstrip()[length:]
    span = Token("html_inline", "", 0)
    span.content = html
    inline.children = [span, *children]


def _next_block(tokens: list[Token], index: int) -> Token | None:
    """The block that follows the paragraph opened at `index`."""
    for token in tokens[index + 3 :]:
        return token
    return None


ITEM_START = re.compile(
    rf"^(?:[①-⑳]|\d+[.．、]|（\d+）|\(\d+\)|[{CHINESE_NUMERAL}]+、|（[{CHINESE_NUMERAL}]+）)"
)


def _introduces(tokens: list[Token], index: int) -> bool:
    """Whether the paragraph opened at `index` is followed by a table, list or numbered item."""
    following = _next_block(tokens, index)
    if following is None:
        return False
    if following.type in ("table_open", "bullet_list_open", "ordered_list_open", "blockquote_open"):
        return True
    if following.type == "paragraph_open" and index + 4 < len(tokens):
        return bool(ITEM_START.match(tokens[index + 4].content.strip()))
    return False


def _classify(state: StateCore) -> None:
    tokens = state.tokens
    paragraphs = _paragraphs(tokens)
    for position, index in enumerate(paragraphs):
        opening, inline = tokens[index], tokens[index + 1]
        text = _text(inline)
        heading = _is_heading_line(text)
        if heading:
            _add_class(opening, heading)
        elif NOTE.match(text):
            _add_class(opening, "note")
        elif HEADING_1.match(text):
            _run_in(inline, "run-in-1")
        elif HEADING_2.match(text):
            _run_in(inline, "run-in-2")
        if not heading and text.endswith(("：", ":")):
            introduces = _introduces(tokens, index)
            if position == 0 and index == 0 and not introduces and len(text) <= MAX_LABEL:
                _add_class(opening, "salutation")
            elif introduces or len(text) <= MAX_LABEL // 2:
                # Kept with what it introduces (a long paragraph gives its last lines).
                _add_class(opening, "label")
    _attachments(tokens, paragraphs)
    _signature(tokens, paragraphs)


def _attachments(tokens: list[Token], paragraphs: list[int]) -> None:
    in_list = False
    for index in paragraphs:
        inline = tokens[index + 1]
        text = _text(inline)
        first = ATTACHMENT_FIRST.match(text)
        following = ATTACHMENT_NEXT.match(text) if in_list and not first else None
        in_list = bool(first or following)
        if not in_list:
            continue
        _add_class(tokens[index], "attachment")
        if first:
            label, number, length = first.group(1) + "：", first.group(2) or "", first.end()
        else:
            assert following is not None
            label, number, length = "", following.group(1), following.end()
        _prefix(
            inline,
            length,
            f'<span class="attachment-label">{label}</span>'
            f'<span class="attachment-number">{number}</span>',
        )


def _signature(tokens: list[Token], paragraphs: list[int]) -> None:
    """An issuing unit and a date as the body's last two blocks: the 落款."""
    if len(paragraphs) < 2:
        return
    unit, date = paragraphs[-2], paragraphs[-1]
    if date + 3 != len(tokens) or unit + 3 != date:
        return
    unit_text, date_text = _text(tokens[unit + 1]), _text(tokens[date + 1])
    if not DATE_LINE.match(date_text) or len(unit_text) > MAX_HEADING:
        return
    if any(mark in unit_text for mark in "，。；：！？,.;:"):
        return
    _add_class(tokens[unit], "signature-unit")
    _add_class(tokens[date], "signature-date")
    opening = Token("html_block", "", 0)
    opening.content = '<div class="signature">\n'
    closing = Token("html_block", "", 0)
    closing.content = "</div>\n"
    tokens[unit:date + 3] = [opening, *tokens[unit:date + 3], closing]


def install(parser) -> None:  # type: ignore[no-untyped-def]
    """Add the rule to a parser (before the Chinese-text rule, which splits text tokens)."""
    parser.core.ruler.push("official_blocks", _classify)
