"""The HTML parsed once: a rebuild parses again only the articles whose HTML changed.

WeasyPrint parses the whole document on every render with tinyhtml5, a pure-Python HTML5
parser: 0.15 s at 177 pages, about a tenth of a watcher's rebuild after a sentence edit,
though one article changed. The tree is a function of the text, and the text the
renderer writes (styles/briefing.html.j2) has a fixed shape: the head, masthead and
contents; then `<main class="articles">`, whose children (the section headings and the
articles) each begin on a line of their own, two spaces in; then the 报尾. An HTML5 parser
that reaches one of main's children is in the same state whatever came before, as long
as everything before it is balanced, and it is: the template closes every element it
opens, and the Markdown renderer shows raw HTML as text (`render/markdown.py`).

So `parsing_html_once()` cuts the text into the part before main's first child, the children
(each with the whitespace after it, which the parser makes its tail) and the rest. When
the outer parts read as last time, only the children that differ from last time's (those
between the unchanged ones at either end) are parsed, as a fragment in `<main>`, and put
in place of the old ones in the tree kept from last time; WeasyPrint gets a deep copy
(composition and WeasyPrint change the tree they are given). The tree kept is never handed
out. The cut is trusted only when the parsed tree agrees with it: `<main>` has one child
per piece, each of the tag its piece begins with; otherwise the whole text is parsed,
every time, as before. Only a builder that builds again uses this.
"""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

MAIN_START = '<main class="articles">'
MAIN_END = "</main>"
# A child of main, as the template writes it: a line of its own, two spaces in.
CHILD_START = re.compile(r'\n  <(h2|article) class="')


@dataclass(frozen=True)
class _Cut:
    before: str  # up to main's first child
    children: tuple[str, ...]  # each child with the whitespace after it
    after: str  # from </main> on
    tags: tuple[str, ...]


def _cut(html: str) -> _Cut | None:
    start = html.find(MAIN_START)
    end = html.rfind(MAIN_END)
    if start < 0 or end < start:
        return None
    matches = list(CHILD_START.finditer(html, start, end))
    if not matches:
        return None
    bounds = [match.start() + 3 for match in matches] + [end]  # each child from its "<"
    children = tuple(html[left:right] for left, right in pairwise(bounds))
    tags = tuple(match.group(1) for match in matches)
    return _Cut(html[: bounds[0]], children, html[end:], tags)


def main_of(root: Any) -> Any:
    return root.find("./body/main")


def _agrees(main: Any, tags: tuple[str, ...]) -> bool:
    return main is not None and len(main) == len(tags) and all(
        child.tag == tag for child, tag in zip(main, tags, strict=True))


@dataclass
class ParsedMemory:
    """The last document's cut and tree (never handed out), kept by the typesetter."""

    cut: _Cut | None = None
    tree: Any = None
    reparsed: int = -1  # main's children parsed by the last render (-1: the whole text)
    # id → (main's child in the tree handed out last, its piece of the text)
    handed_out: dict[int, tuple[Any, str]] = field(default_factory=dict)

    def clear(self) -> None:
        self.cut, self.tree, self.reparsed, self.handed_out = None, None, -1, {}

    def text_of(self, element: Any) -> str | None:
        """The HTML a child of `<main>` in the last tree handed out was parsed from."""
        entry = self.handed_out.get(id(element))
        return entry[1] if entry is not None and entry[0] is element else None


def _parse_fragment(text: str, kwargs: dict[str, Any]) -> Any:
    from tinyhtml5.parser import HTMLParser

    return HTMLParser(**kwargs).parse_fragment(io.StringIO(text), container="main")


def _updated(memory: ParsedMemory, cut: _Cut, kwargs: dict[str, Any]) -> bool:
    """Put the children that changed since the last render in the kept tree; False when
    the last render's cut is not this one's outside main, or the fragment disagrees."""
    old = memory.cut
    if old is None or memory.tree is None or (old.before, old.after) != (cut.before, cut.after):
        return False
    same_start = 0
    limit = min(len(old.children), len(cut.children))
    while same_start < limit and old.children[same_start] == cut.children[same_start]:
        same_start += 1
    same_end = 0
    while (same_end < limit - same_start
           and old.children[-1 - same_end] == cut.children[-1 - same_end]):
        same_end += 1
    new_children = cut.children[same_start:len(cut.children) - same_end]
    fragment = _parse_fragment("".join(new_children), kwargs) if new_children else []
    if new_children and (fragment.text or not _agrees(
            fragment, cut.tags[same_start:len(cut.children) - same_end])):
        return False
    main = main_of(memory.tree)
    main[same_start:len(old.children) - same_end] = list(fragment)
    memory.reparsed = len(new_children)
    return True


@contextmanager
def parsing_html_once(memory: ParsedMemory) -> Iterator[None]:
    """Within this block, WeasyPrint's HTML parse reuses the last tree (see above)."""
    import tinyhtml5

    original = tinyhtml5.parse

    def parse(document: Any, **kwargs: Any) -> Any:
        cut = _cut(document.getvalue()) if isinstance(document, io.StringIO) else None
        if cut is None or set(kwargs) != {"namespace_html_elements"}:
            memory.clear()
            return original(document, **kwargs)
        if not _updated(memory, cut, kwargs):
            memory.tree = original(document, **kwargs)
            memory.reparsed = -1
            if not _agrees(main_of(memory.tree), cut.tags):
                tree = memory.tree
                memory.clear()
                return tree
        memory.cut = cut
        tree = copy.deepcopy(memory.tree)
        memory.handed_out = {
            id(child): (child, text) for child, text in zip(main_of(tree), cut.children, strict=True)}
        return tree

    tinyhtml5.parse = parse
    try:
        yield
    finally:
        tinyhtml5.parse = original
