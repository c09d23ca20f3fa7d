"""Unchanged articles' boxes built once: the box tree of a child of `<main>` kept between renders.

WeasyPrint turns the element tree into a box tree (`build_formatting_structure`): a box per
element and pseudo-element, text boxes, then passes over the whole tree (white space,
anonymous table, line and block boxes). After a sentence edit at 177 pages that is a
third of a rebuild, nearly all of it for articles that did not change.

What a child's boxes depend on. Building a child of `<main>` reads its elements and their
styles, the counters and quote depth as the children before it left them (`state`), the
pictures its elements show (WeasyPrint's image cache), and its sheets' content rules;
it changes the state, and tells the target collector where its anchors are. The passes
over the tree then treat a block child by itself, with two inputs from before it: white
space carried from the text before the child (the tail of the previous child, after a
block in the normal flow) and a removed leading space (`leading_collapsible_space`), both
set from that same tail. So a child is given its boxes of the last render when:
- its styles are the kept ones (cascade.py: the same HTML at the same place, everything
  outside `<main>`'s children the same, the same sheets, fonts and base URL);
- the state at its start is the state at its start last time;
- the child before it exists, made a box in the normal flow both times, and ends with the
  same tail; the child is not the first;
- each picture it shows is the very image object it showed (the cache kept it);
- building it last time looked nothing up (no target or page counter in its content,
  which would be filled in later), made no footnote, note or running element, and gave
  one block box that the passes left as a direct child of `main`'s box;
- no sheet uses `target-text()`, which reads the text of the box an anchor was stored
  with (here a copy of it, not the box the building made): the page keeper's rule
  (relayout.py), under which styles are kept too.
Then the state is set to what the child left last time, its anchors are stored with the
target collector again (with the counters they had), and its boxes are a deep copy of the
ones kept, their styles copies too (a style per distinct style, parents pointed at this
render's), so nothing layout or composition does to them reaches what is kept. What is
kept is a copy taken right after the box tree was built, before layout changed it.

Only builders that build again use this, under the same rule as the kept styles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .cascade import StyleMemory, elements_of
from .parsed import ParsedMemory, main_of

# Attributes of a box that name other boxes or render objects besides its children:
# a box holding one of them is not kept (footnotes, notes, counters looked up later).
_NOT_KEPT_ATTRIBUTES = ("footnote", "note", "note_call", "note_callback", "missing_link")


def _snapshot(state: Any) -> tuple[Any, ...]:
    quote_depth, counters, scopes, page_groups = state
    return (
        quote_depth[0],
        tuple((name, tuple(values)) for name, values in counters.items()),
        tuple(tuple(scope) for scope in scopes),
        repr(page_groups),
    )


def _restore(state: Any, snapshot: tuple[Any, ...]) -> None:
    """Set the shared state objects (mutated in place by WeasyPrint) to `snapshot`."""
    quote_depth, counters, scopes, page_groups = state
    depth, counter_items, scope_items, groups = snapshot
    assert repr(page_groups) == groups  # page groups are only made in pagination
    quote_depth[0] = depth
    counters.clear()
    counters.update((name, list(values)) for name, values in counter_items)
    scopes[:] = [set(scope) for scope in scope_items]


def _boxes(root: Any) -> list[Any]:
    """The boxes of a subtree, root first, each box's children then a table's column
    groups: the order `_copy_tree` makes its copies in."""
    found, stack = [], [root]
    while stack:
        box = stack.pop()
        found.append(box)
        groups = getattr(box, "column_groups", None)
        if groups:
            stack.extend(reversed(groups))
        children = getattr(box, "children", None)
        if children:
            stack.extend(reversed(children))
    return found


def _copy_tree(root: Any, styles: dict[int, Any], element_for: Callable[[Any], Any]) -> list[Any]:
    """A deep copy of a box subtree, tables' column groups included (WeasyPrint's deepcopy
    leaves them shared), each box's styles and element replaced; the copies, root first, in
    an order the same for the same tree."""
    copies: list[Any] = []

    def copied(box: Any) -> Any:
        copy = box.copy()
        copies.append(copy)
        copy.style = styles[id(box.style)]
        if box.first_letter_style is not None:
            copy.first_letter_style = styles[id(box.first_letter_style)]
        if box.first_line_style is not None:
            copy.first_line_style = styles[id(box.first_line_style)]
        if box.element is not None:
            copy.element = element_for(box.element)
        if box.cached_counter_values is not None:
            values = box.cached_counter_values
            copy.cached_counter_values = {name: list(numbers) for name, numbers in values.items()}
        children = getattr(box, "children", None)
        if children is not None:
            copy.children = [copied(child) for child in children]
        if getattr(box, "column_groups", None):
            copy.column_groups = tuple(copied(group) for group in box.column_groups)
        return copy

    copied(root)
    return copies


def _styles_of(boxes: list[Any], main_style: Any) -> list[Any] | None:
    """Every style the boxes use and the ones they inherit from up to `main`'s, parents
    first; None when one inherits from elsewhere."""
    ordered: list[Any] = []
    seen: set[int] = {id(main_style)}

    def add(style: Any) -> bool:
        chain = []
        while style is not None and id(style) not in seen:
            chain.append(style)
            style = style.parent_style
        if style is None:
            return False
        for link in reversed(chain):
            seen.add(id(link))
            ordered.append(link)
        return True

    for box in boxes:
        for style in (box.style, box.first_letter_style, box.first_line_style):
            if style is not None and not add(style):
                return None
    return ordered


def _copy_styles(styles: list[Any], parent_of_top: Any) -> dict[int, Any]:
    """Copies of `styles` (parents first), by id of the original: parents pointed at the
    copies, the top ones at `parent_of_top` (main's style, or None for a kept copy), root,
    cache and page sizes at its."""
    copies: dict[int, Any] = {}
    anonymous: list[tuple[Any, Any]] = []  # (copy, the original's shared anonymous style)
    root_style = getattr(parent_of_top, "root_style", None)
    cache = getattr(parent_of_top, "cache", None)
    page_sizes = getattr(parent_of_top, "initial_page_sizes", None)
    for style in styles:
        copy = type(style).__new__(type(style))
        dict.update(copy, style)
        attributes = dict(style.__dict__)
        shared = attributes.pop("anonymous_style", None)  # a cached property: see below
        copy.__dict__.update(attributes)
        copy.parent_style = copies.get(id(style.parent_style), parent_of_top)
        copy.specified = copy if style.specified is style else dict(style.specified)
        copy.root_style, copy.cache = root_style, cache
        if "initial_page_sizes" in attributes:
            copy.initial_page_sizes = page_sizes
        if "is_root_element" in attributes:
            copy.is_root_element = False
        copies[id(style)] = copy
        if shared is not None:
            anonymous.append((copy, shared))
    # A style's `anonymous_style` is the style its anonymous boxes (text, lines) share:
    # the copy's is the copy of that one, made on first use if the boxes use none.
    for copy, shared in anonymous:
        if id(shared) in copies:
            copy.__dict__["anonymous_style"] = copies[id(shared)]
    return copies


@dataclass(frozen=True)
class _BuiltChild:
    """A child of `<main>`'s boxes as the box tree left them, with what building them
    read and did (see the module docstring)."""

    box: Any  # the child's box, its subtree and styles copies that name no render
    styles: tuple[Any, ...]  # the copies' styles, parents first
    element_of: dict[int, int]  # id of the kept boxes' elements → index in the child's elements
    computed: tuple[tuple[int, str | None, int], ...]  # (element, pseudo-element, style) style_for gives
    start: tuple[Any, ...]  # the state at its start
    end: tuple[Any, ...]  # and at its end
    before: tuple[str | None, bool]  # the previous child's tail, and whether its box is in the flow
    images: tuple[tuple[tuple[Any, ...], tuple[tuple[str, Any], ...], Any], ...]  # (args, kwargs, image)
    anchors: tuple[tuple[str, tuple[Any, ...], int], ...]  # (anchor, counters, box index in `_boxes`)


@dataclass
class BoxMemory:
    """The last render's kept children's boxes, kept by the typesetter."""

    context: tuple[object, ...] | None = None  # the style memory's context they were built in
    children: dict[tuple[int, str], _BuiltChild] = field(default_factory=dict)
    reused: int = 0  # children the last render took from here

    def clear(self) -> None:
        self.context, self.children, self.reused = None, {}, 0


class _Render:
    """One render's box building: which children are taken, which are recorded."""

    def __init__(self, memory: BoxMemory, keys: list[tuple[int, str]], main: Any, kept: set[int],
                 context: tuple[object, ...] | None) -> None:
        self.memory = memory
        self.main = main
        self.children = list(main)
        self.index_of = {id(child): index for index, child in enumerate(self.children)}
        self.keys = keys
        self.usable = memory.children if context is not None and context == memory.context else {}
        self.kept = kept  # ids of the children whose styles the cascade kept
        self.in_flow: dict[int, bool] = {}  # index → its box is in the normal flow
        self.placed: dict[int, Any] = {}  # index → the copy its placeholder stands for
        self.recorded: dict[int, dict[str, Any]] = {}  # index → what building it read and did
        self.results: dict[int, Any] = {}  # index → the box building it returned

    def before(self, index: int) -> tuple[str | None, bool] | None:
        if index == 0 or (index - 1) not in self.in_flow:
            return None
        return (self.children[index - 1].tail, self.in_flow[index - 1])

    def element_to_box(self, original: Callable[..., list[Any]], element: Any, style_for: Any,
                       get_image: Any, base_url: Any, collector: Any, counter_style: Any,
                       footnotes: list[Any], state: Any = None) -> list[Any]:
        index = self.index_of.get(id(element))
        if index is None or state is None:
            return original(element, style_for, get_image, base_url, collector, counter_style, footnotes,
                            state)
        start = _snapshot(state)
        before = self.before(index)
        entry = self.usable.get(self.keys[index]) if id(element) in self.kept else None
        if (entry is not None and before is not None and entry.start == start and entry.before == before
                and all(get_image(*args, **dict(kwargs)) is image for args, kwargs, image in entry.images)):
            box = self._hand_out(entry, element, style_for, collector)
            _restore(state, entry.end)
            self.placed[index] = box
            placeholder = box.copy()
            placeholder.children = []
            self.in_flow[index] = box.is_in_normal_flow()
            return [placeholder]
        record: dict[str, Any] = {
            "start": start, "before": before, "images": [], "anchors": [], "clean": True}

        def image(*args: Any, **kwargs: Any) -> Any:
            found = get_image(*args, **kwargs)
            record["images"].append((args, tuple(sorted(kwargs.items())), found))
            return found

        def store_target(anchor: str, counters: Any, box: Any) -> None:
            values = tuple((name, tuple(numbers)) for name, numbers in counters.items())
            record["anchors"].append((anchor, values, box))
            stored(anchor, counters, box)

        def looked_up(*args: Any, **kwargs: Any) -> Any:
            record["clean"] = False  # a target's counters or text, filled in later
            return lookup(*args, **kwargs)

        stored, lookup = collector.store_target, collector.lookup_target
        missing = collector.collect_missing_counters
        footnotes_before = len(footnotes)
        collector.store_target, collector.lookup_target = store_target, looked_up

        def collect_missing(parent_box: Any, css_token: Any, parse_again: Any, counters: Any,
                            target_counters: Any) -> Any:
            if counters or target_counters:  # page counters in its content, filled in by pagination
                record["clean"] = False
            return missing(parent_box, css_token, parse_again, counters, target_counters)

        collector.collect_missing_counters = collect_missing
        try:
            made = original(element, style_for, image, base_url, collector, counter_style, footnotes, state)
        finally:
            del collector.store_target, collector.lookup_target, collector.collect_missing_counters
        record["end"] = _snapshot(state)
        if len(footnotes) != footnotes_before or len(made) != 1:
            record["clean"] = False
        if made:
            self.in_flow[index] = made[-1].is_in_normal_flow()
            self.results[index] = made[0]
        self.recorded[index] = record
        return made

    def _hand_out(self, entry: _BuiltChild, element: Any, style_for: Any, collector: Any) -> Any:
        """A copy of the kept boxes for this render: styles and elements its own."""
        main_style = style_for(self.main)
        styles = _copy_styles(list(entry.styles), main_style)
        elements = elements_of(element)
        element_of = entry.element_of
        boxes = _copy_tree(entry.box, styles, lambda old: elements[element_of[id(old)]])
        box = boxes[0]
        computed = style_for._computed_styles
        deferred = getattr(style_for, "_deferred", {})
        for element_index, pseudo_type, style_index in entry.computed:
            key = (elements[element_index], pseudo_type)
            computed[key] = styles[id(entry.styles[style_index])]
            deferred.pop(key, None)
        for anchor, counters, box_index in entry.anchors:
            values = {name: list(numbers) for name, numbers in counters}
            collector.store_target(anchor, values, boxes[box_index])
        return box

    def finish(self, root_box: Any, style_for: Any) -> None:
        """Put the copies in for the placeholders; keep copies of the children built now."""
        # Walked in document order, so it stops after the front (masthead, contents).
        main_box = next((box for box in root_box.descendants()
                         if box.element is self.main and box.element_tag == self.main.tag), None)
        if main_box is None:
            assert not self.placed, "kept boxes without main's box"
            return
        placed_by_element = {id(self.children[index]): box for index, box in self.placed.items()}
        children = list(main_box.children)
        replaced = 0
        for position, child in enumerate(children):
            copy = placed_by_element.get(id(child.element)) if child.element is not self.main else None
            if copy is not None and not child.children:
                children[position] = copy
                replaced += 1
        assert replaced == len(self.placed), "a kept box's placeholder was not a child of main's box"
        main_box.children = tuple(children) if isinstance(main_box.children, tuple) else children
        remembered: dict[tuple[int, str], _BuiltChild] = {}
        direct = {id(child) for child in children}
        main_style = style_for(self.main)
        by_element: dict[int, list[tuple[Any, str | None, Any]]] = {}
        if self.recorded:
            for (element, pseudo_type), style in style_for._computed_styles.items():
                by_element.setdefault(id(element), []).append((element, pseudo_type, style))
        for index, key in enumerate(self.keys):
            if index in self.placed:
                remembered[key] = self.usable[key]
            elif index in self.recorded:
                built = self._keep(index, self.recorded[index], direct, main_style, by_element)
                if built is not None:
                    remembered[key] = built
        self.memory.children = remembered
        self.memory.reused = len(self.placed)

    def _keep(self, index: int, record: dict[str, Any], direct: set[int], main_style: Any,
              by_element: dict[int, list[tuple[Any, str | None, Any]]]) -> _BuiltChild | None:
        box = self.results.get(index)
        if not record["clean"] or record["before"] is None or box is None or id(box) not in direct:
            return None
        from weasyprint.formatting_structure.boxes import BlockBox

        if type(box) is not BlockBox:  # not a subclass either (a table wrapper, a flex box)
            return None
        boxes = _boxes(box)
        element = self.children[index]
        elements = elements_of(element)
        position = {id(each): number for number, each in enumerate(elements)}
        for each in boxes:
            if each.element is not None and id(each.element) not in position:
                return None
            if any(getattr(each, name, None) is not None for name in _NOT_KEPT_ATTRIBUTES):
                return None
            if each.is_running() or each.is_footnote():
                return None
        styles = _styles_of(boxes, main_style)
        if styles is None:
            return None
        where = {id(each): number for number, each in enumerate(boxes)}
        anchors = []
        for anchor, counters, anchored in record["anchors"]:
            if id(anchored) not in where:
                return None
            anchors.append((anchor, counters, where[id(anchored)]))
        style_index = {id(style): number for number, style in enumerate(styles)}
        computed = tuple(
            (position[id(each)], pseudo_type, style_index[id(style)])
            for element_of_child in elements
            for each, pseudo_type, style in by_element.get(id(element_of_child), ())
            if id(style) in style_index
        )
        copies = _copy_styles(styles, None)
        kept = _copy_tree(box, copies, lambda old: old)[0]
        element_of = {id(each): position[id(each)] for each in elements}
        return _BuiltChild(
            kept, tuple(copies[id(style)] for style in styles), element_of, computed,
            record["start"], record["end"], record["before"], tuple(record["images"]), tuple(anchors),
        )


@contextmanager
def building_once(memory: BoxMemory, styles: StyleMemory, parsed: ParsedMemory) -> Iterator[None]:
    """Within this block, WeasyPrint's box building takes unchanged children's boxes from
    the last render and keeps this render's (see above). Used with `cascading(styles,
    parsed)`, whose kept children it builds from."""
    from weasyprint import document
    from weasyprint.formatting_structure import build

    original_build, original_element_to_box = build.build_formatting_structure, build.element_to_box

    def build_formatting_structure(element_tree: Any, style_for: Any, *args: Any) -> Any:
        main, cut = main_of(element_tree), parsed.cut
        kept = getattr(style_for, "kept_children", None)
        if main is None or cut is None or kept is None or len(cut.children) != len(main) \
                or style_for(main)["display"] != ("block", "flow"):
            memory.clear()
            return original_build(element_tree, style_for, *args)
        render = _Render(memory, list(enumerate(cut.children)), main, kept, styles.context)

        def element_to_box(*call: Any, **named: Any) -> list[Any]:
            return render.element_to_box(original_element_to_box, *call, **named)

        build.element_to_box = element_to_box
        try:
            root_box = original_build(element_tree, style_for, *args)
        finally:
            build.element_to_box = original_element_to_box
        render.finish(root_box, style_for)
        memory.context = styles.context
        return root_box

    document.build_formatting_structure = build_formatting_structure
    try:
        yield
    except BaseException:
        memory.clear()
        raise
    finally:
        document.build_formatting_structure = original_build
