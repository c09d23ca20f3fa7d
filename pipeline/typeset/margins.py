"""A page's margin boxes (running head, folio), made again only when what they show changed.

WeasyPrint makes a page's margin boxes from its page type (their styles, the page's
geometry), the page-based counters, and the named strings and running elements up to
that page; they sit in page coordinates. So a page kept from the previous render keeps
its boxes when what they were made from is the same, and a page laid out again (an edit
moved the pages) is given the boxes a page of the previous render made from the same.

What "the same" compares (`MarginKeys.key`):
- Narrow, when every margin box the page type generates shows only text, named strings
  (`string()`) and counters (`counter()`, `counters()`) and none sets, resets or
  increments a counter: the page type, the page number, the values of the counters they
  name, and, for each named string, what `string()` can read on that page: the page's own
  assignments, the names its first boxes set (`string(name, start)`) and the last value
  assigned before the page. The house folio shows `counter(page)` only, so a page keeps
  its folio when the page count changes, as an edit that moves the pages usually does.
- Whole, otherwise (an image, a quote, `attr()`, a target lookup, a counter changed in a
  margin box): every counter, the quote depth and every string assignment up to the page.
Margin boxes showing a running element (`element()`) are always made afresh.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from typing import Any

# The sixteen margin boxes of CSS Paged Media, as WeasyPrint names them.
MARGIN_BOXES = tuple(
    f"@{name}" for name in (
        "top-left-corner", "top-left", "top-center", "top-right", "top-right-corner",
        "bottom-left-corner", "bottom-left", "bottom-center", "bottom-right", "bottom-right-corner",
        "left-top", "left-middle", "left-bottom", "right-top", "right-middle", "right-bottom",
    )
)
NOT_GENERATED = ("normal", "inhibit", "none")
COUNTER_CHANGES = ("counter_set", "counter_reset", "counter_increment")
SHOWN_AS_IS = ("string", "string()")  # text, and a named string (read from `strings`)
COUNTERS = ("counter()", "counters()")


def counters_shown(styles: Iterable[Any]) -> tuple[str, ...] | None:
    """The counters the generated margin boxes with these styles show, or None when they
    show or do more than text, named strings and counters."""
    names: set[str] = set()
    for style in styles:
        if style is None or style["content"] in NOT_GENERATED:
            continue
        for change in COUNTER_CHANGES:
            value = style[change]
            # WeasyPrint drops `pages` from a margin box's counter changes.
            if value != "auto" and any(name != "pages" for name, _ in value):
                return None
        for kind, value in style["content"]:
            if kind in COUNTERS:
                names.add(value[0])
            elif kind not in SHOWN_AS_IS:
                return None
    return tuple(sorted(names))


def _first_boxes_set(page: Any) -> frozenset[str]:
    """The named strings the page's first boxes set, as `string(name, start)` looks."""
    names: set[str] = set()
    box = page
    while box is not None:
        if box.style["string_set"] != "none":
            names.update(name for name, _ in box.style["string_set"])
        box = box.children[0] if getattr(box, "children", None) else None
    return frozenset(names)


class MarginKeys:
    """The keys of one render's margin boxes (see the module docstring)."""

    def __init__(self, context: Any) -> None:
        self.context = context
        self._shown: dict[Any, tuple[str, ...] | None] = {}  # page type → counters shown
        self._strings: dict[str, tuple[list[int], list[tuple[str, ...]]]] | None = None

    def key(self, page: Any, state: Any) -> tuple[Any, ...]:
        context = self.context
        number = context.current_page
        if self._strings is None:  # complete once the margin boxes are being made
            self._strings = {}
            for name, pages in sorted(context.string_set.items()):
                numbers = sorted(pages)
                self._strings[name] = (numbers, [tuple(pages[at]) for at in numbers])
        page_type = page.page_type
        if page_type not in self._shown:
            self._shown[page_type] = counters_shown(context.style_for(page_type, box) for box in MARGIN_BOXES)
        shown = self._shown[page_type]
        quote_depth, counters, scopes, _ = state
        if shown is None:
            everything = (quote_depth, sorted(counters.items()), [sorted(scope) for scope in scopes])
            strings = tuple(
                (name, tuple(zip(numbers[: bisect.bisect_right(numbers, number)], values, strict=False)))
                for name, (numbers, values) in self._strings.items()
            )
            return (page_type, number, "whole", repr(everything), strings)
        first_set: frozenset[str] | None = None
        readable = []
        for name, (numbers, values) in self._strings.items():
            at = bisect.bisect_left(numbers, number)
            own = values[at] if at < len(numbers) and numbers[at] == number else None
            if own is not None and first_set is None:
                first_set = _first_boxes_set(page)
            before = values[at - 1][-1] if at > 0 else None
            readable.append((name, own, own is not None and name in (first_set or ()), before))
        values_shown = tuple((name, tuple(counters.get(name, ()))) for name in shown)
        return (page_type, number, "narrow", repr(values_shown), tuple(readable))


class PageMargins:
    """One render's margin boxes: made, or taken from the previous render by key."""

    def __init__(
        self, previous: dict[int, tuple[Any, list[Any]]] | None, make: Callable[..., Iterable[Any]]
    ) -> None:
        self.previous = previous or {}
        self.make = make  # WeasyPrint's make_margin_boxes
        self.by_key: dict[Any, list[Any]] = {}  # the previous render's boxes by what they show
        for key, boxes in self.previous.values():
            self.by_key.setdefault(key, boxes)
        self._handed_out: dict[int, int] = {}  # id of a previous list of boxes → id(page) given it
        self._keys: MarginKeys | None = None
        self.made: dict[int, tuple[Any, list[Any]]] = {}  # id(page box) → (key, boxes)
        self.moved = 0  # pages laid out again given the boxes a previous page had

    def boxes_for(self, context: Any, page: Any, state: Any) -> tuple[list[Any], bool]:
        """The page's margin boxes, and whether they are the ones it had last time."""
        running = context.running_elements.values()
        if any(boxes for pages in running for boxes in pages.values()):  # element(): not covered
            return list(self.make(context, page, state)), False
        if self._keys is None:
            self._keys = MarginKeys(context)
        key = self._keys.key(page, state)
        # By id: the previous render's pages stay alive with it, so no other page has theirs.
        own = self.previous.get(id(page))
        if own is not None and own[0] == key and self._take(own[1], page):
            boxes, same = own[1], True
        elif (shown_before := self.by_key.get(key)) is not None and self._take(shown_before, page):
            boxes, same = shown_before, False
            self.moved += 1
        else:
            boxes, same = list(self.make(context, page, state)), False
        self.made[id(page)] = (key, boxes)
        return list(boxes), same

    def _take(self, boxes: list[Any], page: Any) -> bool:
        """Each list of boxes goes to one page at most."""
        return self._handed_out.setdefault(id(boxes), id(page)) == id(page)
