"""The masthead and contents pages kept between renders when their text is the same.

On a cold build WeasyPrint makes the front pages (masthead, contents: the body's
children before `main`) twice: in the first pass, before any article is laid out, their
page numbers unknown; then, once every anchor's page is known, again in the next pass.
With the same front text both makings give what they gave in the previous render:

- First pass: the front pages, their starts and what making them recorded (the anchors
  on them, the contents' page-number lookups) come from the previous render's log, and
  each lookup of this render's box tree is registered for its page as `make_page` does
  (`register_lookups`), so that the articles' anchors, once cached, ask for the contents
  to be made again exactly as they do on a cold build. A lookup that depends on the
  page total or on the page's own counters is not covered: the front is made.
- Later pass: when every anchor's page numbers are those of the previous render, the
  contents made again would be the previous render's final front pages; those are kept
  (`keep_final_front`), and WeasyPrint is told they are up to date.
Kept front pages point at this render's elements and boxes, as kept article pages do.
"""

from __future__ import annotations

import copy
from typing import Any

from .positions import same_elements


def front_children(flow: Any, root_box: Any) -> list[Any]:
    """The body's children before main (masthead, contents)."""
    return list(root_box.children[flow.body_index].children[: flow.main_index])


def box_map(old_flow: Any, old_root: Any, flow: Any, root_box: Any) -> dict[int, Any] | None:
    """id(box of the old front) → the same box of this render's front; None when the
    two box trees differ in shape."""
    mapping: dict[int, Any] = {}
    olds, news = front_children(old_flow, old_root), front_children(flow, root_box)
    if len(olds) != len(news):
        return None
    stack = list(zip(olds, news, strict=True))
    while stack:
        old, new = stack.pop()
        if type(old) is not type(new) or old.element_tag != new.element_tag:
            return None
        mapping[id(old)] = new
        old_children = getattr(old, "children", None) or ()
        new_children = getattr(new, "children", None) or ()
        if len(old_children) != len(new_children):
            return None
        stack.extend(zip(old_children, new_children, strict=True))
    return mapping


def element_map(old_flow: Any, old_root: Any, flow: Any, root_box: Any) -> dict[int, Any]:
    """id(element of the old front) → this render's."""
    olds, news = front_children(old_flow, old_root), front_children(flow, root_box)
    return same_elements([box.element for box in olds], [box.element for box in news])


def lookups_covered(page: Any, boxes: dict[int, Any], collector: Any) -> bool:
    """Whether every page-number lookup on a kept front page is one `register_lookups`
    handles: this render has its box, and it does not ask for the page total."""
    for child in page.descendants(placeholders=True):
        link = getattr(child, "missing_link", None)
        if link is None:
            continue
        new_link = boxes.get(id(link))
        item = collector.counter_lookup_items.get((new_link, "content")) if new_link is not None else None
        if item is None or item.pending or "pages" in item.missing_counters:
            return False
        if any("pages" in counters for counters in item.missing_target_counters.values()):
            return False
    return True


def register_lookups(
    context: Any, index: int, page: Any, boxes: dict[int, Any], registered: list[int]
) -> None:
    """What WeasyPrint 70's `make_page` does, in a first pass, with the page-number lookups
    on front page `index` (kept from the previous render), done for this render's lookup
    items: each is registered for its page and, as it looks up the page's own counters
    too, evaluated with them. The page's boxes are pointed at this render's."""
    collector = context.target_collector
    state = context.page_maker[index][-1]
    counters = context.page_maker[index + 1][3][1]  # the page's counters, once made
    state["content_lookups"] = lookups = []
    for child in page.descendants(placeholders=True):
        link = getattr(child, "missing_link", None)
        if link is None:
            continue
        child.missing_link = boxes[id(link)]
        item = collector.counter_lookup_items[(child.missing_link, "content")]
        if id(item) in registered:
            continue
        lookups.append(id(item))
        registered.append(id(item))
        item.page_maker_index = index
        if item.missing_counters and counters != item.cached_page_counter_values:
            item.cached_page_counter_values = copy.deepcopy(counters)
            if any(counters.get(name) is not None for name in item.missing_counters):
                state["content_changed"] = True
                item.parse_again(counters)


def adopt_links(page: Any, boxes: dict[int, Any]) -> None:
    """Point a kept front page's lookups at this render's boxes."""
    for child in page.descendants(placeholders=True):
        link = getattr(child, "missing_link", None)
        if link is not None:
            child.missing_link = boxes.get(id(link), link)


def same_start(entry: tuple[Any, ...], other: tuple[Any, ...]) -> bool:
    """Two page_maker starts alike, the page total aside (known only after a pass)."""
    def without_total(item: tuple[Any, ...]) -> tuple[Any, ...]:
        quote_depth, counters, scopes, groups = item[3]
        counters = {name: value for name, value in counters.items() if name != "pages"}
        return (*item[:3], (quote_depth, counters, scopes, groups))

    return without_total(entry) == without_total(other)
