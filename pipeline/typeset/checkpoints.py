"""Kept pages with page composition: a composed first pass resumed from the previous render.

Page composition (compose.py) decides as it paginates: a page is made, reviewed, and a
fix (a block moved, paragraphs tracked) sends the pass back to the page it changed
(paginate.py). The pass is a sequence of steps — make page i, review it — and each step
depends only on the state the steps before it left (the page starts in WeasyPrint's
`page_maker`, the pages made, the changes made to the box tree, the count of pages
made again) and on the part of the flow it looked at. `PassLog` records every step of
a render; the next render (`CheckpointHooks`, given to the first pass) uses it twice:

- Prefix. The masthead and contents (before `main`) are always made again. At the first
  page of `main`, if the state is the one the previous render had there, the render
  jumps to the first step that looked at a changed part of the flow: the pages made
  before it, the starts, the count and the statistics are restored, and the changes
  to the box tree made before it are made again on the new box tree (`Decision`s, by
  position). That is the state a cold build has at that step, since every step before
  it saw the same flow and the same state.
- Suffix. Once past the change, each time the pass reaches a page for the first time
  with the start the previous render had when it first reached that page (the page
  count and the flow after the change as before), the rest is taken from the previous
  render if, from there on, the previous render never looked back before that page
  (no review reached an earlier page), the changes to the flow from there on are the
  same in both renders, and the count of pages made again cannot change what review
  is allowed. The remaining changes to the box tree are made again too, so a later
  pass (the contents' page numbers) lays out from the same box tree as a cold build.

What a step "looked at": making page i reads the flow from its start up to the first
box that does not fit, which is at most the flow element after the one the next page
starts in (break avoidance moves a break back, never past that box; the 报尾 kept with
the last lines is the case where it is the next element); reviewing page i reads pages
i-2 … i and the element the next page starts in. So a step's sight is the next page's
flow index + 1. A step whose page looks up other pages' numbers, holds fixed boxes or
leaves boxes broken out of the flow is never restored; nor is a boundary that splits a
bookmarked element (WeasyPrint drops a repeated bookmark by element, and the elements
of kept pages are the previous render's).

relayout.py gives the hooks the flow and its digests, and keeps the pages' margin
boxes and drawn streams; the random-edit test compares the bytes with a cold build.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace
from typing import Any

from .compose import Composer, CompositionStats, Decision
from .paginate import Jump

PASS_COUNTS = ("rounds", "relaid_pages", "tracked_paragraphs")


@dataclass(frozen=True)
class Step:
    """One step of a first pass: page `index` made and reviewed."""

    index: int
    page: Any
    children: tuple[Any, ...]  # the page's children as made (before margin boxes)
    entry: tuple[Any, ...]  # page_maker[index] after the step (copied)
    next_entry: tuple[Any, ...]  # page_maker[index + 1] after the step (copied)
    remakes: tuple[int, int]  # pages made again before the step, and after it
    allowed: bool  # whether review was allowed (the pass's budget of pages made again)
    sight: float  # the highest flow index the step depended on (inf: to the end)
    reach: int  # the lowest page index the step read
    decisions: tuple[Decision, ...]
    counts: tuple[Any, ...]  # composition's pass counters after the step
    restorable: bool
    front: bool  # the page starts before main

    def slack(self) -> int:
        from .compose import MAX_REMAKES_PER_PAGE

        return MAX_REMAKES_PER_PAGE * (self.index + 1) - self.remakes[0]


@dataclass
class PassLog:
    """A render's first pass, step by step, and its pages when the pass ended."""

    flow: Any  # relayout.Flow
    root_box: Any = None  # the render's box tree (its elements are the kept pages')
    steps: list[Step] = field(default_factory=list)
    pages: list[Any] = field(default_factory=list)
    entries: list[tuple[Any, ...]] = field(default_factory=list)
    counts: tuple[Any, ...] = ()
    # From the whole render: pages feathered (looked at, moved), the 报尾's shift.
    feathered: set[int] = field(default_factory=set)
    moved: set[int] = field(default_factory=set)
    finished: dict[int, float] = field(default_factory=dict)
    complete: bool = False  # the pass ended and every step is recorded

    def first_made(self) -> dict[int, int]:
        """Page index → the step that first made it."""
        made: dict[int, int] = {}
        for number, step in enumerate(self.steps):
            made.setdefault(step.index, number)
        return made


def copy_entry(entry: tuple[Any, ...]) -> tuple[Any, ...]:
    """A page_maker entry with its own state (remake_state's lists copied, not its boxes)."""
    resume_at, next_page, right_page, page_state, remake_state = entry
    state = {key: list(value) if isinstance(value, list) else value for key, value in remake_state.items()}
    return copy.deepcopy(resume_at), dict(next_page), right_page, copy.deepcopy(page_state), state


def _counts(stats: CompositionStats) -> tuple[Any, ...]:
    return (*(getattr(stats, name) for name in PASS_COUNTS), tuple(stats.moved_blocks))


def _set_counts(stats: CompositionStats, counts: tuple[Any, ...]) -> None:
    for name, value in zip(PASS_COUNTS, counts, strict=False):
        setattr(stats, name, value)
    stats.moved_blocks = list(counts[-1])


class CheckpointHooks:
    """`PassHooks` for one render: records its steps, restores from the previous log."""

    def __init__(self, previous: PassLog | None, flow: Any, composer: Composer, keeper: Any) -> None:
        self.previous = previous if previous is not None and previous.complete else None
        self.flow = flow
        self.composer = composer
        self.keeper = keeper  # relayout._RenderState: margin boxes, replayed pages, made pages
        self.log = PassLog(flow)
        self.span = (0, 0, 0)
        self.prefix_tried = False
        self.suffix_from = math.inf  # pages before this index may not be taken from the previous render
        if self.previous is not None:
            old = self.previous.flow
            if (old.head, old.body_index, old.main_index) == (flow.head, flow.body_index, flow.main_index):
                self.span = changed_span(old.digests, flow.digests)
            else:
                self.previous = None
        self._decisions_seen = 0
        self._first_made: dict[int, int] | None = None
        self._suffix_facts: list[tuple[int, int, bool]] = []

    # —— What the pass tells ——

    def made(self, index: int, page: Any, resume_at: Any, remakes: tuple[int, int], allowed: bool) -> None:
        context = self.keeper.context
        self.log.root_box = self.keeper.root_box
        entry = context.page_maker[index]
        decisions = tuple(self.composer.decisions[self._decisions_seen :])
        self._decisions_seen = len(self.composer.decisions)
        children = tuple(page.children)
        self.keeper.made[id(page)] = children
        restorable = (
            not entry[-1].get("content_lookups") and not page.fixed_boxes and not context.broken_out_of_flow
        )
        self.log.steps.append(Step(
            index, page, children, copy_entry(entry), copy_entry(context.page_maker[index + 1]), remakes,
            allowed, sight(self.flow, resume_at), self.composer.reach if allowed else index, decisions,
            _counts(self.composer.stats), restorable, start_index(self.flow, entry[0]) < 0,
        ))

    def ended(self, context: Any, pages: list[Any]) -> None:
        self.log.pages = list(pages)
        self.log.entries = [copy_entry(entry) for entry in context.page_maker]
        self.log.counts = _counts(self.composer.stats)
        self.log.complete = True
        self.keeper.final_pages = list(pages)

    def finish_render(self) -> PassLog | None:
        """The log for the next render, with what the later passes did to the pages."""
        if not self.log.complete:
            return None
        self.log.feathered = set(self.composer._feathered)
        self.log.moved = set(self.composer.feathered_now)
        self.log.finished = dict(self.composer.finished)
        return self.log

    # —— What the pass asks ——

    def arrive(
        self, index: int, context: Any, root_box: Any, html: Any, pages: list[Any], remakes: int
    ) -> Jump | None:
        if self.previous is None:
            return None
        if not self.prefix_tried:
            if start_index(self.flow, context.page_maker[index][0]) < 0:
                return None  # still in the masthead and contents
            self.prefix_tried = True
            self.suffix_from = index + 1
            return self._restore_prefix(index, context, root_box, html, pages, remakes)
        if index >= self.suffix_from:
            return self._take_suffix(index, context, root_box, html, pages, remakes)
        return None

    def _restore_prefix(
        self, index: int, context: Any, root_box: Any, html: Any, pages: list[Any], remakes: int
    ) -> Jump | None:
        old = self.previous
        assert old is not None
        steps = old.steps
        start = next((number for number, step in enumerate(steps) if not step.front), None)
        if start is None or steps[start].index != index or start == 0 or remakes or self.composer.decisions:
            return None
        if any(step.decisions for step in steps[:start]):
            return None
        if steps[start - 1].next_entry[:4] != context.page_maker[index][:4]:
            return None
        if self.span == (len(old.flow.digests),) * 3 and len(old.flow.digests) == len(self.flow.digests):
            # Nothing after the masthead and contents changed: every page of the previous pass.
            return self._graft(start, index, context, root_box, html, pages, 0, remakes)
        first_changed = self.span[0]
        stop = start
        while stop < len(steps) and _clean(steps[stop], first_changed):
            stop += 1
        if stop == start or stop == len(steps):
            return None
        entries: dict[int, tuple[Any, ...]] = {}
        made: dict[int, Step] = {}
        for step in steps[start:stop]:
            entries[step.index] = step.entry
            entries[step.index + 1] = step.next_entry
            made[step.index] = step
        target = steps[stop].index
        for step in steps[start:stop]:
            for decision in step.decisions:
                self.composer.apply(root_box, decision)
        self._adopt(steps[start:stop], root_box)
        del context.page_maker[index:]
        context.page_maker.extend(copy_entry(entries[number]) for number in range(index, target + 1))
        del pages[index:]
        for number in range(index, target):
            pages.append(made[number].page)
            made[number].page.children = list(made[number].children)
        _set_counts(self.composer.stats, steps[stop - 1].counts)
        self._decisions_seen = len(self.composer.decisions)
        self._replay_pages(context, html, pages, index, target)
        self.log.steps.extend(steps[start:stop])
        self.suffix_from = max(self.suffix_from, target + 1)
        return Jump(target, steps[stop].remakes[0])

    def _take_suffix(
        self, index: int, context: Any, root_box: Any, html: Any, pages: list[Any], remakes: int
    ) -> Jump | None:
        old = self.previous
        assert old is not None
        _, old_end, new_end = self.span
        shift = new_end - old_end
        position = flow_index(self.flow, context.page_maker[index][0])
        if position < max(new_end, 1 + shift) or position == math.inf:
            return None
        if self._first_made is None:
            self._first_made = old.first_made()
            self._suffix_facts = _suffix_facts(old.steps)
        first = self._first_made.get(index)
        if not first:
            return None
        reach, slack, clean = self._suffix_facts[first]
        if not clean or reach < index or slack <= max(0, remakes - old.steps[first].remakes[0]):
            return None
        entry = shifted_entry(self.flow, old.steps[first - 1].next_entry, shift)
        if entry[:4] != context.page_maker[index][:4]:
            return None
        old_position = position - shift
        earlier = [
            decision for step in old.steps[:first] for decision in step.decisions
            if decision_flow(old.flow, decision) >= old_position
        ]
        ours = [
            shift_decision(self.flow, decision, -shift) for decision in self.composer.decisions
            if decision_flow(self.flow, decision) >= position
        ]
        if earlier != ours:
            return None
        return self._graft(first, index, context, root_box, html, pages, shift, remakes)

    def _graft(
        self, first: int, index: int, context: Any, root_box: Any, html: Any, pages: list[Any], shift: int,
        remakes: int,
    ) -> Jump:
        """Pages `index`… and their starts from the end of the previous pass, whose steps
        from `first` on made them; their changes to the box tree made again here."""
        old = self.previous
        assert old is not None
        # From `index` on: page `index`'s start is the same, what making it recorded is the old.
        del context.page_maker[index:]
        context.page_maker.extend(
            copy_entry(shifted_entry(self.flow, entry, shift)) for entry in old.entries[index:]
        )
        del pages[index:]
        for page in old.pages[index:]:
            step = next(step for step in reversed(old.steps) if step.page is page)
            page.children = list(step.children)
            pages.append(page)
        before = old.steps[first - 1].counts
        ours = _counts(self.composer.stats)
        stats = self.composer.stats
        for name, was, now in zip(PASS_COUNTS, before, old.counts, strict=False):
            setattr(stats, name, getattr(stats, name) + now - was)
        stats.moved_blocks.extend(old.counts[-1][len(before[-1]) :])
        for step in old.steps[first:]:
            for decision in step.decisions:
                self.composer.apply(root_box, shift_decision(self.flow, decision, shift))
        self._adopt(old.steps[first:], root_box)
        self._replay_pages(context, html, pages, index, len(pages))
        for page in pages[index:]:
            if id(page) in old.finished:
                stats.distribution_shift_pt = old.finished[id(page)]
                self.composer.finished[id(page)] = old.finished[id(page)]
        context.broken_out_of_flow.clear()
        context.reported_footnotes.clear()
        if shift == 0:  # the old steps, counted from this render's count
            extra = remakes - old.steps[first].remakes[0]
            self.log.steps.extend(
                replace(step, remakes=(step.remakes[0] + extra, step.remakes[1] + extra),
                        counts=_rebased(step.counts, before, ours))
                for step in old.steps[first:]
            )
        else:  # its positions are the old flow's: the next render may not graft from it
            self.log.complete = False
        self.keeper.grafted = True
        return Jump(len(pages), 0, complete=True)

    def _adopt(self, steps: list[Step], root_box: Any) -> None:
        """Point the boxes of the steps' pages at this render's elements.

        Kept pages were laid out from the previous render's HTML; what reads elements
        later (composition's review, WeasyPrint's one-bookmark-per-element rule) must
        find this render's, as on a cold build. Kept pages hold only flow elements that
        did not change, and their ancestors.
        """
        old = self.previous
        assert old is not None
        first_changed, old_end, new_end = self.span
        olds, news = flow_elements(old.flow, old.root_box), flow_elements(self.flow, root_box)
        mapping: dict[int, Any] = {}
        for before, now in (*zip(olds[:first_changed], news[:first_changed], strict=True),
                            *zip(olds[old_end:], news[new_end:], strict=True)):
            for element, same in zip(before.iter(), now.iter(), strict=True):
                mapping[id(element)] = same
        ancestors = zip(_ancestors(old.flow, old.root_box), _ancestors(self.flow, root_box), strict=True)
        for before, now in ancestors:
            mapping[id(before)] = now
        seen: set[int] = set()
        for step in steps:
            if id(step.page) in seen:
                continue
            seen.add(id(step.page))
            for box in _boxes(step.page, step.children):
                element = getattr(box, "element", None)
                if element is not None:
                    box.element = mapping.get(id(element), element)

    def _replay_pages(self, context: Any, html: Any, pages: list[Any], start: int, stop: int) -> None:
        """What making pages `start`…`stop` - 1 would have recorded: their page types' styles
        (for the margin boxes), their anchors' page numbers; and whether they are feathered."""
        from weasyprint.layout.page import set_page_type_computed_styles

        old = self.previous
        assert old is not None
        collector, page_maker = context.target_collector, context.page_maker
        for number in range(start, stop):
            page = pages[number]
            set_page_type_computed_styles(page.page_type, html, context.style_for)
            for anchor in page_maker[number][-1]["anchors"]:
                collector.cache_target_page_counters(anchor, page_maker[number + 1][3][1], number, page_maker)
            self.keeper.replayed.add(id(page))
            self.keeper.restored[id(page)] = tuple(page.children)
            if id(page) in old.feathered:
                self.composer._feathered.add(id(page))
            if id(page) in old.moved:
                self.composer.feathered_now.add(id(page))
                self.composer.stats.feathered_pages += 1


def _clean(step: Step, first_changed: int) -> bool:
    return step.restorable and step.sight < first_changed and not any(
        decision.kind == "opaque" for decision in step.decisions
    )


def _boxes(page: Any, children: tuple[Any, ...]) -> Any:
    yield page
    stack = list(children)
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", None) or ())


def _ancestors(flow: Any, root_box: Any) -> tuple[Any, Any, Any]:
    """The html, body and main elements."""
    body = root_box.children[flow.body_index]
    return root_box.element, body.element, body.children[flow.main_index].element


def _rebased(
    counts: tuple[Any, ...], old_base: tuple[Any, ...], new_base: tuple[Any, ...]
) -> tuple[Any, ...]:
    """A carried step's counts, from this render's count at the graft instead of the old."""
    numbers = tuple(
        now - was + base for now, was, base in zip(counts[:-1], old_base[:-1], new_base[:-1], strict=True)
    )
    return (*numbers, (*new_base[-1], *counts[-1][len(old_base[-1]) :]))


def flow_elements(flow: Any, root_box: Any) -> list[Any]:
    """The elements of the flow (main's children, then the body's after main), by flow index."""
    body = root_box.children[flow.body_index]
    main = body.children[flow.main_index]
    return [box.element for box in (*main.children, *body.children[flow.main_index + 1 :])]


def _suffix_facts(steps: list[Step]) -> list[tuple[int, int, bool]]:
    """For each step: the lowest page read, the least budget slack, and whether every step
    from it on may be taken (restorable, review allowed, decisions replayable)."""
    facts: list[tuple[int, int, bool]] = [(0, 0, False)] * len(steps)
    reach, slack, clean = 1 << 30, 1 << 30, True
    for number in range(len(steps) - 1, -1, -1):
        step = steps[number]
        reach, slack = min(reach, step.reach, step.index), min(slack, step.slack())
        clean = clean and step.restorable and step.allowed and not any(
            decision.kind == "opaque" for decision in step.decisions
        )
        facts[number] = (reach, slack, clean)
    return facts


# —— Positions in the flow ——


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


def sight(flow: Any, resume_at: Any) -> float:
    position = flow_index(flow, resume_at)
    return max(position, 0) + 1


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
