"""Positions in the flow, for keeping pages between renders (relayout.py, checkpoints.py).

The flow is `main`'s children (section headings, articles), then the body's children
after `main` (the 报尾); the masthead and contents before `main` are the front. A page
starts where WeasyPrint's skip stack `resume_at` says; these helpers tell which flow
element that is, shift it (or a composition decision's path) by the elements added or
removed before it, and find what two renders' flows have in common.
"""

from __future__ import annotations

import math
from typing import Any

from .compose import Decision


def same_elements(olds: list[Any], news: list[Any]) -> dict[int, Any]:
    """id(element) → the same element of another parse, for subtrees that serialize alike."""
    mapping: dict[int, Any] = {}
    for before, now in zip(olds, news, strict=True):
        for element, same in zip(before.iter(), now.iter(), strict=True):
            mapping[id(element)] = same
    return mapping


def point_at(page: Any, children: tuple[Any, ...], mapping: dict[int, Any]) -> None:
    """Point the boxes of a kept page (of its `children` as made) at the elements `mapping` gives."""
    for box in page_boxes(page, children):
        element = getattr(box, "element", None)
        if element is not None:
            box.element = mapping.get(id(element), element)


def page_boxes(page: Any, children: tuple[Any, ...]) -> Any:
    yield page
    stack = list(children)
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", None) or ())


def ancestors(flow: Any, root_box: Any) -> tuple[Any, Any, Any]:
    """The html, body and main elements."""
    body = root_box.children[flow.body_index]
    return root_box.element, body.element, body.children[flow.main_index].element


def flow_elements(flow: Any, root_box: Any) -> list[Any]:
    """The elements of the flow (main's children, then the body's after main), by flow index."""
    return [box.element for box in flow_boxes(flow, root_box)]


def changed_span(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[int, int, int]:
    """(first changed index, end of the change in `old`, end in `new`): common prefix and suffix."""
    limit = min(len(old), len(new))
    common = 0
    while common < limit and old[common] == new[common]:
        common += 1
    suffix = 0
    while suffix < limit - common and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return common, len(old) - suffix, len(new) - suffix



def flow_index(flow: Any, resume_at: Any) -> float:
    """The flow index a page starting at `resume_at` starts in: -1 in the masthead and
    contents, inf when it cannot be told (or at the end)."""
    if resume_at is None:
        return math.inf
    if len(resume_at) != 1:
        return math.inf
    ((body, inside),) = resume_at.items()
    if body != flow.body_index or not inside or len(inside) != 1:
        return -1 if body < flow.body_index else math.inf
    ((child, inside_child),) = inside.items()
    if child < flow.main_index:
        return -1
    if child > flow.main_index:
        return flow.main_length + child - flow.main_index - 1
    if not inside_child:
        return 0
    return min(inside_child) if len(inside_child) == 1 else math.inf


def start_index(flow: Any, resume_at: Any) -> float:
    """`flow_index` of where a page starts (None: the document's start)."""
    return -1 if resume_at is None else flow_index(flow, resume_at)


def sight(flow: Any, resume_at: Any, flow_boxes: list[Any]) -> float:
    """The last flow element the making of a page read, when the next page starts at
    `resume_at`: the first box that did not fit lies in the element the next page starts
    in, or in a later one only across breaks the style avoids (a heading kept with the
    article after it, the 报尾 kept with the last lines), which WeasyPrint moves back over.
    """
    from weasyprint.layout.block import block_level_page_break

    position = flow_index(flow, resume_at)
    if position == math.inf:
        return position
    position = max(position, 0)
    while position + 1 < len(flow_boxes) and (
        block_level_page_break(flow_boxes[position], flow_boxes[position + 1]) == "avoid"
    ):
        position += 1
    return position


def flow_boxes(flow: Any, root_box: Any) -> list[Any]:
    """The boxes of the flow, by flow index."""
    body = root_box.children[flow.body_index]
    main = body.children[flow.main_index]
    return [*main.children, *body.children[flow.main_index + 1 :]]


def decision_flow(flow: Any, decision: Decision) -> float:
    path = decision.path
    if len(path) < 2 or path[0] != flow.body_index or path[1] < flow.main_index:
        return -1
    if path[1] > flow.main_index:
        return flow.main_length + path[1] - flow.main_index - 1
    return path[2] if len(path) > 2 else -1


def shift_decision(flow: Any, decision: Decision, shift: int) -> Decision:
    """`decision` with its flow index in `main` moved by `shift` (elements added or removed)."""
    path = decision.path
    if not shift or len(path) < 3 or path[0] != flow.body_index or path[1] != flow.main_index:
        return decision
    return Decision(decision.kind, (path[0], path[1], path[2] + shift, *path[3:]), decision.numbers)


def shifted_entry(flow: Any, entry: tuple[Any, ...], shift: int) -> tuple[Any, ...]:
    resume_at = entry[0]
    if not shift or resume_at is None or flow_index(flow, resume_at) < 0:
        return entry
    return (flow.shifted(resume_at, shift), *entry[1:])


def moved_entry(flow: Any, entry: tuple[Any, ...], shift: int, pages_shift: int) -> tuple[Any, ...]:
    """A page_maker entry of the previous render, for the page `pages_shift` pages and
    `shift` flow elements later in this one: its page counter moved, its side too."""
    entry = shifted_entry(flow, entry, shift)
    if not pages_shift:
        return entry
    resume_at, next_page, right_page, page_state, remake_state = entry
    quote_depth, counters, scopes, groups = page_state
    counters = {name: ([value[0] + pages_shift, *value[1:]] if name == "page" else value)
                for name, value in counters.items()}
    right_page = right_page if pages_shift % 2 == 0 else not right_page
    return resume_at, next_page, right_page, (quote_depth, counters, scopes, groups), remake_state


def page_type_at(page_type: Any, entry: tuple[Any, ...], index: int) -> Any:
    """A kept page's page type at page `index`, started by `entry` (what remake_page makes)."""
    side = "right" if entry[2] else "left"
    if (page_type.side, page_type.index) == (side, index):
        return page_type
    return page_type._replace(side=side, index=index)


def freeze(resume_at: Any) -> Any:
    """A skip stack as a key."""
    if isinstance(resume_at, dict):
        return tuple(sorted((key, freeze(value)) for key, value in resume_at.items()))
    return resume_at
