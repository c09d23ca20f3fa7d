"""What a kept page or an unchanged article gives the next render as it was, not computed again.

Builders that build again (the watcher, the preview) keep pages of the last render
(relayout.py, checkpoints.py). Two facts about them were computed afresh every render
although they cannot have changed:

* a kept page's anchors, links and bookmarks (`Page.__init__` walks every box of every
  page): what it gathers is a function of the page's boxes, their places and styles, all of
  which a page kept whole keeps (the same page box with the same children, the condition
  drawn.py replays a drawing under); a page with form fields, gathered by element, is
  gathered every time;
* the digest of each element of the flow, by which a render tells which articles changed:
  an element parsed from the same HTML as last time (parsed.py knows which) and prepared
  alike (page composition on or off) serializes alike, so its digest is last time's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree


def digest_of(element: Any) -> str:
    return hashlib.blake2b(ElementTree.tostring(element), digest_size=16).hexdigest()


@dataclass(frozen=True)
class Gathered:
    """A page's anchors, links and bookmarks (`Page.__init__`), under its box and children."""

    page_box: Any
    children: tuple[int, ...]
    anchors: dict[str, Any]
    links: tuple[Any, ...]
    bookmarks: tuple[Any, ...]
    kept: bool = False


def gathering_once(gather: Any, last: dict[int, Gathered], now: dict[int, Gathered]) -> Any:
    """WeasyPrint's `gather_anchors` for a page, taken from the last render for a page kept
    whole (the same page box with the same children: what drawn.py replays a drawing for).

    What it gathers is a function of the page's boxes, their places and styles, all of
    which a kept page keeps; a page with form fields (gathered by element) is gathered
    every time.
    """

    def gather_anchors(page_box: Any, anchors: Any, links: Any, bookmarks: Any, forms: Any,
                       *rest: Any) -> None:
        children = tuple(map(id, page_box.children))
        known = last.get(id(page_box))
        if not rest and known is not None and known.page_box is page_box and known.children == children:
            anchors.update(known.anchors)
            links.extend(known.links)
            bookmarks.extend(known.bookmarks)
            now[id(page_box)] = Gathered(
                page_box, children, known.anchors, known.links, known.bookmarks, kept=True)
            return
        gather(page_box, anchors, links, bookmarks, forms, *rest)
        if not rest and forms == {None: []}:
            now[id(page_box)] = Gathered(page_box, children, dict(anchors), tuple(links), tuple(bookmarks))

    return gather_anchors


def digesting_once(
    text_of: Callable[[Any], str | None] | None, prepared: bool,
    last: dict[tuple[str, bool], str], now: dict[tuple[str, bool], str],
) -> Callable[[Any], str]:
    """`digest_of`, taken from `last` (then kept in `now`) for an element parsed from known HTML."""

    def digest(element: Any) -> str:
        text = text_of(element) if text_of is not None else None
        if text is None:
            return digest_of(element)
        key = (text, prepared)
        now[key] = last.get(key) or now.get(key) or digest_of(element)
        return now[key]

    return digest
