"""Tables with merged cells: a small, sanitised subset of HTML inside the Markdown body.

A pipe table cannot merge cells or have two header rows, and the tables editors
receive (statistics, schedules, rosters by group) often do. So an article may
hold a `<table>` block written with `table caption thead tbody tr th td` and the
attributes `rowspan` and `colspan`, nothing else. All other raw HTML is still
shown as text (the parser runs with `html=False`).

The block is cleaned with nh3 (ammonia, a maintained allow-list sanitiser) before
anything reads it, then turned into the same markdown-it tokens a pipe table
makes, so the cells get the same Chinese punctuation treatment and the same
inline Markdown; each cell keeps the line it starts on, so an image or link
error inside a cell points at the right line. Anything outside the subset is an
editor error with its line (the build stops, as for any other mistake), so
nothing an editor wrote is silently dropped.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

_TAG_ORDER = ["table", "caption", "thead", "tbody", "tr", "th", "td"]
TAGS = set(_TAG_ORDER)
SPAN_ATTRIBUTES = {"rowspan", "colspan"}
_CELLS = {"th", "td"}
_TABLE_START = re.compile(r"<table[\s>]", re.IGNORECASE)
_TABLE_END = re.compile(r"</table\s*>", re.IGNORECASE)
MAX_SPAN = 100


def _keep_span(tag: str, attribute: str, value: str) -> str | None:
    if tag in _CELLS and attribute in SPAN_ATTRIBUTES and value.isdigit():
        return value if 1 <= int(value) <= MAX_SPAN else None
    return None


def sanitise(raw: str) -> str:
    """`raw` with every tag and attribute outside the subset removed (their text kept)."""
    return nh3.clean(
        raw,
        tags=TAGS,
        attributes={"th": SPAN_ATTRIBUTES, "td": SPAN_ATTRIBUTES},
        attribute_filter=_keep_span,
        clean_content_tags={"script", "style"},
        strip_comments=True,
        link_rel=None,
    )


_LINE_BREAK_IN_CJK = re.compile(r"(?<=[^\x00-\x7f])\s*\n\s*(?=[^\x00-\x7f])")


def cell_content(text: str) -> str:
    """A cell's text on one line: a line break between Chinese characters is no space."""
    return " ".join(_LINE_BREAK_IN_CJK.sub("", text).split())


class _Events(HTMLParser):
    """(kind, tag, attributes, text, line) for each tag and text of a table block."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple[str, str, dict[str, str], str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.events.append(("start", tag, values, "", self.getpos()[0]))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag, {}, "", self.getpos()[0]))

    def handle_data(self, data: str) -> None:
        self.events.append(("text", "", {}, data, self.getpos()[0]))


def _events(html: str) -> list[tuple[str, str, dict[str, str], str, int]]:
    parser = _Events()
    parser.feed(html)
    parser.close()
    return parser.events


def problems(raw: str) -> list[tuple[int, str]]:
    """(line within the block, message) for what the allowed subset does not include."""
    found: list[tuple[int, str]] = []
    for kind, tag, attributes, _, line in _events(raw):
        if kind != "start":
            continue
        if tag not in TAGS:
            allowed = "、".join(sorted(TAGS, key=_TAG_ORDER.index))
            found.append((line, f"表格中不能用 <{tag}>：只能用 {allowed}，请删去"))
            continue
        for name, value in attributes.items():
            if name not in SPAN_ATTRIBUTES or tag not in _CELLS:
                found.append((line, f"<{tag}> 不能带 {name} 属性：只能用 rowspan、colspan，请删去"))
            elif _keep_span(tag, name, value) is None:
                found.append((line, f"{name}=“{value}”应为 1 到 {MAX_SPAN} 的整数"))
    return found


def _push_tokens(state: StateBlock, html: str, first_line: int) -> None:
    """The sanitised table as markdown-it tokens; a cell's text becomes an inline token."""
    cell_text: list[str] | None = None
    cell_line = first_line
    for kind, tag, attributes, text, line in _events(html):
        where = first_line + line - 1
        if kind == "start":
            token = state.push(f"{tag}_open", tag, 1)
            token.map = [where, where + 1]
            token.attrs = {name: attributes[name] for name in sorted(attributes)}
            if tag in _CELLS or tag == "caption":
                cell_text, cell_line = [], where
        elif kind == "end":
            if tag in _CELLS or tag == "caption":
                inline = state.push("inline", "", 0)
                inline.content = cell_content("".join(cell_text or []))
                inline.map = [cell_line, cell_line + 1]
                inline.children = []
                cell_text = None
            state.push(f"{tag}_close", tag, -1)
        elif cell_text is not None:
            cell_text.append(text)


def html_table_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """A block that starts with `<table` at the margin and runs to the line with `</table>`."""
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    start = state.bMarks[start_line] + state.tShift[start_line]
    if not _TABLE_START.match(state.src, start):
        return False
    last = start_line
    while last < end_line and not _TABLE_END.search(state.src, state.bMarks[last], state.eMarks[last]):
        last += 1
    if last >= end_line:
        state.env.setdefault("table_problems", []).append(
            (start_line, "HTML 表格缺少结尾的 </table>")
        )
        return False
    if silent:
        return True
    raw = state.src[state.bMarks[start_line] : state.eMarks[last]]
    for line, message in problems(raw):
        state.env.setdefault("table_problems", []).append((start_line + line - 1, message))
    _push_tokens(state, sanitise(raw), start_line)
    state.line = last + 1
    return True


def install(parser: MarkdownIt) -> None:
    parser.block.ruler.before("table", "html_table", html_table_rule)
