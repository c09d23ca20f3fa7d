"""Re-lay only what changed: a render keeps the pages of the previous one that cannot differ.

WeasyPrint paginates in `layout_document`, whose loop `make_all_pages` walks a list
`context.page_maker` of page start states (where in the box tree the page starts, as child
indices; its side; the page counters) and re-makes a page only when its start state
changed or a page number it shows changed; otherwise it yields the page it made in an
earlier loop. `keeping_pages()` feeds that loop, for one render, with the start states
and laid-out pages of the previous render, so pages that cannot have changed come back
as "up to date" and only the rest is laid out. The cascade and box building keep unchanged
articles' styles and boxes (cascade.py, built.py), margin boxes are kept by what they
show (margins.py) and drawn pages are replayed (drawn.py).

Which pages are kept — the argument for byte identity with a cold build:
- The flow is `main`'s children (section headings, articles) and what follows `main`
  (the distribution block); each is compared with the previous render by its serialized
  element. The masthead and contents before `main` (the front) show every article's page
  number: when their text is unchanged they are kept on trust, and once the other pages
  are laid the anchors' page counters are compared with the previous render's; if any
  differs, the front is laid out again in WeasyPrint's next pass, as a cold build does.
- A page's layout depends only on its start state and on the boxes from its start to the
  box that overflows it, which lies on the next page (break avoidance may move the cut
  back before earlier boxes, never past the overflow). So a page whose own content and
  the next page's content are unchanged is unchanged: re-laying starts one page before the
  last page that starts before the first changed flow element. Every later page is re-laid
  (WeasyPrint compares start states; we also force every page that may hold changed
  content) until a page starts after the last changed element with the state it had
  before, index-shifted by the elements added or removed; from there the previous pages
  are kept again. An edit that moves later pages therefore re-lays to the end.
- A kept page records what laying it out would have: its page type's styles (for the
  margin boxes) and the page numbers of its anchors, which the contents'
  `target-counter()` reads. Start states are handed over with the page total unknown, as
  in a first pass, so WeasyPrint re-reads the contents' page numbers as it does cold.
- Anything this argument does not cover falls back to a full layout: a different head,
  root or body (metadata, language, stylesheet links, the body's structure), selectors
  that look at later siblings or CSS counters (checked on the stylesheets' text), fixed
  boxes, footnotes, named pages, pages holding counter lookups beyond the front, and
  boundaries that split a bookmarked element. The typesetter also starts afresh when a
  stylesheet, font or image file changed.

With page composition on (the default), the first pass is composition's own
(paginate.py) and this module's plan is not used: `pass_hooks()` gives that pass the
flow and the previous render's step log, and checkpoints.py decides which pages it
keeps. This module still records each render, keeps margin boxes of kept pages, and
leaves the backgrounds of pages kept whole as they were laid out.

Margin boxes (running head, folio) are made from the page's type, its number, its
counters and the named strings up to it, and are placed in page coordinates. A page laid
out again because the pages moved is given the margin boxes a page of the previous render
made from exactly the same (each list to one page at most), instead of laying them out.

The random-edit test compares the bytes with a cold build after every edit.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from .boxes import page_facts
from .checkpoints import CheckpointHooks
from .kept import Gathered, digest_of, digesting_once, gathering_once
from .margins import PageMargins
from .passlog import PassLog
from .positions import changed_span

# Selectors and properties that make a box's style or content depend on what follows it
# (or on counters running through the flow, or on another box's text: `target-text()`);
# any of them in a stylesheet disables reuse.
FORWARD_LOOKING = re.compile(
    r"target-text"
    r"|:(?:last-child|last-of-type|only-child|only-of-type|nth-last-child|nth-last-of-type|has|empty)"
    r"|counter-(?:reset|increment|set)|position\s*:\s*(?:fixed|running)|float\s*:\s*footnote"
    r"|(?<![-\w@])page\s*:",
)
CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def stylesheets_allow_reuse(texts: list[str]) -> bool:
    return not any(FORWARD_LOOKING.search(CSS_COMMENT.sub("", text)) for text in texts)


def _shell(element: Any) -> tuple[str, tuple[tuple[str, str], ...]]:
    return element.tag, tuple(sorted(element.attrib.items()))


@dataclass(frozen=True)
class Flow:
    """The box tree's top levels as this module sees them."""

    body_index: int
    main_index: int
    main_length: int
    head: str  # digest of everything outside the flow and the front that can affect layout
    digests: tuple[str, ...]  # main's children, then body's children after main
    front: str = ""  # digest of body's children before main (masthead, contents)

    @classmethod
    def of(cls, root_box: Any, digest: Callable[[Any], str] | None = None) -> Flow | None:
        """The flow of `root_box`; `digest` says what an element serializes to (a digest)."""
        digest = digest or digest_of
        bodies = [i for i, child in enumerate(root_box.children) if child.element_tag == "body"]
        if len(bodies) != 1:
            return None
        body = root_box.children[bodies[0]]
        mains = [i for i, child in enumerate(body.children) if child.element_tag == "main"]
        if len(mains) != 1:
            return None
        main = body.children[mains[0]]
        flow = [*main.children, *body.children[mains[0] + 1 :]]
        if any(box.element is None or box.element_tag.startswith(("::", "main:")) for box in flow):
            return None
        html = root_box.element
        head = [_shell(html), _shell(body.element)]
        head += [ElementTree.tostring(child) for child in html if child.tag != "body"]
        head += [(child.element_tag, _shell(child.element)) for child in body.children]
        shell = hashlib.blake2b(repr(head).encode(), digest_size=16).hexdigest()
        front = hashlib.blake2b(digest_size=16)
        for child in body.children[: mains[0]]:
            front.update(ElementTree.tostring(child.element))
        digests = tuple(digest(box.element) for box in flow)
        return cls(bodies[0], mains[0], len(main.children), shell, digests, front.hexdigest())

    def position(self, resume_at: dict[int, Any] | None) -> int | None:
        """The flow index a page starting at `resume_at` starts in; None in the front."""
        if not resume_at or len(resume_at) != 1:
            return None
        (body_index, inside), = resume_at.items()
        if body_index != self.body_index or not inside or len(inside) != 1:
            return None
        (child, inside_child), = inside.items()
        if child < self.main_index:
            return None
        if child > self.main_index:
            return self.main_length + child - self.main_index - 1
        if not inside_child:
            return 0
        return min(inside_child) if len(inside_child) == 1 else None

    def shifted(self, resume_at: dict[int, Any], shift: int) -> dict[int, Any]:
        """`resume_at` with its flow index moved by `shift` (elements added or removed)."""
        (body_index, inside), = resume_at.items()
        (child, inside_child), = inside.items()
        if child > self.main_index:
            return {body_index: {child: inside_child}}  # after main: main's length moved it
        (index, rest), = inside_child.items()
        return {body_index: {child: {index + shift: rest}}}


@dataclass
class Recorded:
    """What one render leaves for the next: its flow, start states and raw pages."""

    flow: Flow
    page_maker: list[Any]
    pages: list[Any]  # page boxes of the render, in order
    raw_children: dict[int, tuple[Any, ...]]  # id(page box) → its children before margin boxes
    starts: list[int | None]  # flow index each page starts in (None: a front page)
    reusable: list[bool]
    bookmark_splits: set[int]  # i: a bookmarked element runs from page i onto page i + 1
    # id(page box) → (what its margin boxes were made from, the margin boxes)
    margins: dict[int, tuple[Any, list[Any]]] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)  # anchor → its page counters (repr)
    # id(page box) → (may be kept, ids of its bookmarked elements); a kept page's stay true
    facts: dict[int, tuple[bool, frozenset[int]]] = field(default_factory=dict)
    log: PassLog | None = None  # with page composition: its first pass, step by step
    # id(page box) → (its children's ids, `page_facts`): the same boxes give the same facts
    page_facts: dict[int, tuple[tuple[int, ...], tuple[bool, tuple[Any, ...]]]] = field(default_factory=dict)


@dataclass
class Plan:
    """How the coming render reuses the previous one."""

    page_maker: list[Any]
    pages: list[Any]
    front: int = 0  # pages before main
    # The front pages are kept on trust: same masthead and contents text. Checked once
    # the other pages are laid: if an anchor's page changed, they are laid out again.
    front_on_trust: bool = False


def plan_reuse(previous: Recorded, flow: Flow) -> Plan | None:
    """Which previous pages the new render may keep, or None for a full layout."""
    if flow.head != previous.flow.head or flow.main_index != previous.flow.main_index:
        return None
    first_changed, old_end, new_end = changed_span(previous.flow.digests, flow.digests)
    starts = previous.starts
    main_pages = [i for i, start in enumerate(starts) if start is not None]
    if not main_pages:
        return None
    front = main_pages[0]
    # The last page starting before the first changed element may hold its beginning;
    # the page before that one was cut by looking at what follows it, so it is re-laid too.
    before = [i for i in main_pages if starts[i] < first_changed]  # type: ignore[operator]
    restart = max(front, (before[-1] if before else front) - 1)
    while restart > front and (restart - 1) in previous.bookmark_splits:
        restart -= 1
    shift = new_end - old_end
    trusted = flow.front == previous.flow.front
    page_maker = []
    for index, entry in enumerate(previous.page_maker):
        entry = copy.deepcopy(entry)
        start = starts[index] if index < len(starts) else None
        in_suffix = index > restart and start is not None and start >= old_end
        if in_suffix:
            entry = (previous.flow.shifted(entry[0], shift), *entry[1:])
        # As in a first pass: the page total is not known yet. WeasyPrint re-reads the
        # contents' target counters when it becomes known, so the count must change.
        entry[3][1]["pages"] = [0]
        remake = entry[-1]
        remake["content_lookups"] = []
        remake["pages_wanted"] = False
        remake["content_changed"] = index < len(previous.pages) and (
            (index < front and not trusted)
            or (index >= front and not previous.reusable[index])
            or index == restart
            or (index > restart and not in_suffix)
            or (index - 1) in previous.bookmark_splits
        )
        page_maker.append(entry)
    return Plan(page_maker, list(previous.pages), front, trusted)


@dataclass
class PageKeeper:
    """Kept by the typesetter between renders: the last render's record."""

    previous: Recorded | None = None
    settings: tuple[object, ...] | None = None  # of the render `previous` records
    last_kept: int = 0  # pages the last render kept (for the bench and tests)
    last_margins_moved: int = 0  # pages laid out again that took a page's old margin boxes
    fallbacks: int = 0  # renders that failed with kept pages and were laid out afresh
    last_gathered_kept: int = 0  # pages whose anchors and links the last render took as gathered
    _state: _RenderState | None = None  # the render under way
    # Each page's anchors, links and bookmarks as the last render gathered them.
    _gathered: dict[int, Gathered] = field(default_factory=dict)
    # The digests of the flow's elements by the HTML they were parsed from (and prepared or not).
    _digests: dict[tuple[str, bool], str] = field(default_factory=dict)

    def forget(self) -> None:
        self.previous = None
        self._gathered = {}

    def pass_hooks(self) -> CheckpointHooks | None:
        """For the composed first pass of the render under way (checkpoints.py)."""
        state = self._state
        return state.pass_hooks() if state is not None else None

    @contextmanager
    def keeping_pages(self, settings: tuple[object, ...] | None, composer: Any = None,
                      text_of: Callable[[Any], str | None] | None = None) -> Iterator[None]:
        """Patch WeasyPrint's pagination for one render; record it for the next one.

        `settings` is what the layout depends on besides the HTML (stylesheets, fonts,
        extensions); pages are kept only from a render with equal settings, none if None.
        With page composition (`composer`), its first pass keeps pages (checkpoints.py),
        asking `pass_hooks`; without, `plan_reuse` says which pages are kept. `text_of`: the
        HTML an element of the flow was parsed from, if known (its digest, kept.py).
        """
        from weasyprint import document, layout

        if settings is None:  # WeasyPrint untouched; the next render starts afresh too
            self.previous, self.settings, self.last_kept, self._gathered = None, None, 0, {}
            yield
            return
        allowed = settings == self.settings
        originals = layout.initialize_page_maker, layout.make_all_pages, layout.make_margin_boxes
        backgrounds = layout.layout_backgrounds
        state = _RenderState(self.previous if allowed else None, originals[0], originals[2], composer)
        digests: dict[tuple[str, bool], str] = {}
        state.digest = digesting_once(text_of, composer is not None, self._digests, digests)
        self._state = state
        layout.initialize_page_maker = state.initialize_page_maker
        layout.make_all_pages = state.make_all_pages
        layout.make_margin_boxes = state.make_margin_boxes

        def layout_backgrounds(page: Any, get_image_from_uri: Any) -> None:
            # A page kept whole, margin boxes included, has the backgrounds laid out before.
            if id(page) not in state.unchanged:
                backgrounds(page, get_image_from_uri)

        layout.layout_backgrounds = layout_backgrounds
        gathered: dict[int, Gathered] = {}
        gather = document.gather_anchors
        document.gather_anchors = gathering_once(gather, self._gathered, gathered)
        try:
            yield
        except BaseException:
            self.previous = None  # kept pages may be half-updated: start afresh next time
            self._gathered = {}
            raise
        finally:
            layout.initialize_page_maker, layout.make_all_pages, layout.make_margin_boxes = originals
            layout.layout_backgrounds = backgrounds
            document.gather_anchors = gather
            self._state = None
        self.last_gathered_kept = sum(known.kept for known in gathered.values())
        self._gathered, self._digests = gathered, digests
        self.previous = state.record()
        self.settings = settings
        self.last_kept = state.kept
        self.last_margins_moved = state.margins.moved


class _RenderState:
    def __init__(self, previous: Recorded | None, initialize: Any, margin_boxes: Any, composer: Any) -> None:
        self.previous = previous
        self.composer = composer
        self.hooks: CheckpointHooks | None = None
        self.digest: Callable[[Any], str] = digest_of
        # Pages a composed first pass took from the previous render (id → children as made).
        self.restored: dict[int, tuple[Any, ...]] = {}
        self.unchanged: set[int] = set()  # pages kept with their margin boxes
        self.initialize = initialize
        self.margins = PageMargins(previous.margins if previous else None, margin_boxes)
        self.context: Any = None
        self.root_box: Any = None
        self.flow: Flow | None = None
        self.plan: Plan | None = None
        self.made: dict[int, tuple[Any, ...]] = {}  # id(page box) → children, pages made now
        self.replayed: set[int] = set()
        self.kept = 0
        self.final_pages: list[Any] = []

    def initialize_page_maker(self, context: Any, root_box: Any) -> None:
        self.initialize(context, root_box)
        self.context = context
        self.root_box = root_box
        self.flow = Flow.of(root_box, self.digest)
        if self.composer is not None:
            return  # the first pass asks pass_hooks()
        if self.previous is not None and self.flow is not None and not context.footnotes:
            self.plan = plan_reuse(self.previous, self.flow)
        if self.plan is not None:
            context.page_maker = self.plan.page_maker

    def targets(self) -> dict[str, str]:
        """Every anchor's page counters as cached so far."""
        return _targets(self.context)

    def pass_hooks(self) -> CheckpointHooks | None:
        if self.flow is None or self.context is None or self.context.footnotes:
            return None
        previous = self.previous.log if self.previous is not None else None
        self.hooks = CheckpointHooks(previous, self.flow, self.composer, self)
        return self.hooks

    def make_all_pages(self, context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        """WeasyPrint 70's `make_all_pages`, plus what a kept page would have recorded."""
        from weasyprint.layout.page import remake_page

        if not pages and self.plan is not None:
            assert self.previous is not None
            pages = self.plan.pages
            for page in pages:
                page.children = list(self.previous.raw_children[id(page)])
        made: list[Any] = []
        i = 0
        reported_footnotes = None
        context.rendered_notes = []
        while True:
            remake_state = context.page_maker[i][-1]
            if not pages or remake_state["content_changed"] or remake_state["pages_wanted"]:
                remake_state["content_changed"] = False
                remake_state["pages_wanted"] = False
                remake_state["anchors"] = []
                remake_state["content_lookups"] = []
                page, resume_at = remake_page(i, context, root_box, html)
                self.made[id(page)] = tuple(page.children)
                reported_footnotes = context.reported_footnotes
            else:
                page = pages[i]
                resume_at = context.page_maker[i + 1][0]
                reported_footnotes = None
                if id(page) not in self.made:  # a page of the previous render
                    self._replay(context, html, page, i)
            made.append(page)
            yield page
            i += 1
            if resume_at is None and not reported_footnotes:
                context.page_maker = context.page_maker[: i + 1]
                context.broken_out_of_flow.clear()
                context.reported_footnotes.clear()
                self.final_pages = made
                self._check_trusted_front(context)
                return

    def make_margin_boxes(self, context: Any, page: Any, state: Any) -> list[Any]:
        """The page's margin boxes, made or kept (margins.py); a page kept with its own
        margin boxes has its backgrounds laid out already."""
        boxes, own = self.margins.boxes_for(context, page, state)
        if own and id(page) not in self.made:
            self.unchanged.add(id(page))
        return boxes

    def _check_trusted_front(self, context: Any) -> None:
        """Lay out the kept front pages after all if an anchor's page counters changed."""
        plan = self.plan
        if plan is None or not plan.front_on_trust or self.previous is None:
            return
        plan.front_on_trust = False  # checked once, after the first pass
        if _targets(context) != self.previous.targets:
            for entry in context.page_maker[: plan.front]:
                entry[-1]["content_changed"] = True

    def _replay(self, context: Any, html: Any, page: Any, index: int) -> None:
        """What `remake_page` would have recorded: the page type's styles (for the margin
        boxes) and the page numbers of the page's anchors."""
        from weasyprint.layout.page import set_page_type_computed_styles

        if id(page) in self.replayed:
            return
        self.replayed.add(id(page))
        set_page_type_computed_styles(page.page_type, html, context.style_for)
        counters = context.page_maker[index + 1][3][1]
        # The anchors first seen on this page, in the order make_page found them.
        for anchor in context.page_maker[index][-1]["anchors"]:
            context.target_collector.cache_target_page_counters(
                anchor, counters, index, context.page_maker
            )

    def record(self) -> Recorded | None:
        if self.flow is None or self.context is None or not self.final_pages:
            return None
        page_maker = self.context.page_maker
        if any(entry[3][3] for entry in page_maker):  # named pages: not covered
            return None
        children: dict[int, tuple[Any, ...]] = {}
        facts: dict[int, tuple[bool, frozenset[int]]] = {}
        known = self.previous.page_facts if self.previous is not None else {}
        found: dict[int, tuple[tuple[int, ...], tuple[bool, tuple[Any, ...]]]] = {}
        for page in self.final_pages:
            if id(page) in self.made or id(page) in self.restored:
                children[id(page)] = self.made.get(id(page)) or self.restored[id(page)]
                # Kept with the same children: the facts it had (its boxes point at this render's elements).
                ids = tuple(map(id, children[id(page)]))
                last = known.get(id(page))
                found[id(page)] = last if last is not None and last[0] == ids else (
                    ids, page_facts(page, children[id(page)]))
                reusable, boxes = found[id(page)][1]
                facts[id(page)] = (reusable, frozenset(id(box.element) for box in boxes))
                self.kept += id(page) in self.restored and id(page) not in self.made
            else:
                assert self.previous is not None
                children[id(page)] = self.previous.raw_children[id(page)]
                facts[id(page)] = self.previous.facts[id(page)]
                self.kept += 1
        reusable = [facts[id(page)][0] for page in self.final_pages]
        bookmarked = [facts[id(page)][1] for page in self.final_pages]
        splits = {i for i in range(len(bookmarked) - 1) if bookmarked[i] & bookmarked[i + 1]}
        starts = [self.flow.position(entry[0]) for entry in page_maker[: len(self.final_pages)]]
        log = self.hooks.finish_render() if self.hooks is not None else None
        return Recorded(
            self.flow, page_maker, self.final_pages, children, starts, reusable, splits,
            self.margins.made, _targets(self.context), facts, log, found,
        )


def _targets(context: Any) -> dict[str, str]:
    items = context.target_collector.target_lookup_items.items()
    return {name: repr(sorted(item.cached_page_counter_values.items())) for name, item in items}
