"""Kept pages with page composition: a composed first pass resumed from the previous render.

Page composition (compose.py) decides as it paginates: a page is made, reviewed, and a
fix (a block moved, paragraphs tracked) sends the pass back to the page it changed
(paginate.py). The pass is a sequence of steps — make page i, review it — and each step
depends only on the state the steps before it left (the page starts in WeasyPrint's
`page_maker`, the pages made, the changes made to the box tree, the count of pages
made again) and on the part of the flow it looked at. `PassLog` records every step of
a render; the next render (`CheckpointHooks`, given to the first pass) uses it twice:

- Front. When the masthead and contents read the same, their first-pass pages come from
  the log too, and in the next pass their final pages when every article starts on the
  page it did (front.py); otherwise they are made as on a cold build.
- Prefix. At the first page of `main`, if the state is the one the previous render had
  there, the render jumps to the first step that looked at a changed part of the flow:
  the pages made before it, the starts, the count and the statistics are restored, and
  the changes to the box tree made before it are made again on the new box tree
  (`Decision`s, by position). That is the state a cold build has at that step, since
  every step before it saw the same flow and the same state.
- Suffix. Once past the change, each time the pass reaches a page for the first time
  with the start the previous render had when it first reached that page (the page
  count and the flow after the change as before), the rest is taken from the previous
  render if, from there on, the previous render never looked back before that page
  (no review reached an earlier page), the changes to the flow from there on are the
  same in both renders, and the count of pages made again cannot change what review
  is allowed. The remaining changes to the box tree are made again too, so a later
  pass (the contents' page numbers) lays out from the same box tree as a cold build.

What a step "looked at": making page i reads the flow from its start up to the first
box that does not fit, which lies in the flow element the next page starts in, or in a
later one only across breaks the style avoids (a section heading kept with its first
article, the 报尾 kept with the last lines), which WeasyPrint moves the break back over;
reviewing page i reads pages i-2 … i and the element the next page starts in
(positions.sight). A step whose page looks up other pages' numbers, holds fixed boxes or
leaves boxes broken out of the flow is never restored. Kept pages are pointed at this
render's elements (`_adopt`): composition's review and WeasyPrint's one-bookmark-per-
element rule then see what they see on a cold build.

relayout.py gives the hooks the flow and its digests, and keeps the pages' margin
boxes and drawn streams; the random-edit test compares the bytes with a cold build.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

from . import front
from .compose import Composer
from .paginate import Jump
from .passlog import (
    PASS_COUNTS,
    PassLog,
    Step,
    clean,
    copy_entry,
    counts_of,
    rebased,
    set_counts,
    suffix_facts,
)
from .positions import (
    ancestors,
    changed_span,
    decision_flow,
    flow_boxes,
    flow_elements,
    flow_index,
    freeze,
    moved_entry,
    page_type_at,
    point_at,
    same_elements,
    shift_decision,
    sight,
    start_index,
)

# What a page's side could change in the layout of its content (house.css sets the same
# margins on both sides; only the folio's corner differs).
PAGE_GEOMETRY = (
    "size", "bleed_top", "bleed_right", "bleed_bottom", "bleed_left",
    *(f"{part}_{side}" for part in ("margin", "padding") for side in ("top", "right", "bottom", "left")),
    *(f"border_{side}_width" for side in ("top", "right", "bottom", "left")),
)


class CheckpointHooks:
    """`PassHooks` for one render: records its steps, restores from the previous log."""

    def __init__(self, previous: PassLog | None, flow: Any, composer: Composer, keeper: Any) -> None:
        self.previous = previous if previous is not None and previous.complete else None
        self.flow = flow
        self.composer = composer
        self.keeper = keeper  # relayout._RenderState: margin boxes, replayed pages, made pages
        self.log = PassLog(flow, keeper.root_box)
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
        self.front_tried = False
        self._front_kept = False
        self._element_mapping: dict[int, Any] | None = None
        self._boxes: list[Any] | None = None
        self._old_starts: dict[Any, tuple[int, int]] | None = None
        self._suffix_facts: list[tuple[int, int, bool]] = []

    # —— What the pass tells ——

    def made(self, index: int, page: Any, resume_at: Any, remakes: tuple[int, int], allowed: bool) -> None:
        context = self.keeper.context
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
            allowed, sight(self.flow, resume_at, self._flow_boxes()),
            self.composer.reach if allowed else index, decisions,
            counts_of(self.composer.stats), restorable, start_index(self.flow, entry[0]) < 0,
        ))

    def ended(self, context: Any, pages: list[Any]) -> None:
        self.log.pages = list(pages)
        self.log.entries = [copy_entry(entry) for entry in context.page_maker]
        self.log.counts = counts_of(self.composer.stats)
        self.log.complete = True
        self.keeper.final_pages = list(pages)

    def _flow_boxes(self) -> list[Any]:
        """The flow's boxes in this render (composition moves boxes inside articles only)."""
        if self._boxes is None:
            self._boxes = flow_boxes(self.flow, self.keeper.root_box)
        return self._boxes

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
        if not self.front_tried:
            self.front_tried = True
            jump = self._restore_front(context, root_box, html, pages) if index == 0 else None
            if jump is not None:
                self.prefix_tried = True
                self.suffix_from = jump.index + 1
                later = self._restore_prefix(jump.index, context, root_box, html, pages, 0)
                return later or jump
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
            return self._graft(start, index, index, context, root_box, html, pages, 0, remakes)
        first_changed = self.span[0]
        stop = start
        while stop < len(steps) and clean(steps[stop], first_changed):
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
        set_counts(self.composer.stats, steps[stop - 1].counts)
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
        resume_at = context.page_maker[index][0]
        position = flow_index(self.flow, resume_at)
        if position < max(new_end, 1 + shift) or position == math.inf:
            return None
        if self._old_starts is None:
            self._old_starts = _first_starts(old)
            self._suffix_facts = suffix_facts(old.steps)
        found = self._old_starts.get(freeze(self.flow.shifted(resume_at, -shift) if shift else resume_at))
        if found is None:
            return None
        old_index, first = found
        pages_shift = index - old_index
        reach, slack, clean = self._suffix_facts[first]
        extra = remakes - old.steps[first].remakes[0]
        if not clean or reach < old_index or slack + 3 * pages_shift <= max(0, extra):
            return None
        entry = moved_entry(self.flow, old.steps[first - 1].next_entry, shift, pages_shift)
        if entry[:4] != context.page_maker[index][:4]:
            return None
        if pages_shift % 2 and not self._sides_alike(context, html, old.entries[old_index:]):
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
        return self._graft(first, old_index, index, context, root_box, html, pages, shift, remakes)

    def _sides_alike(self, context: Any, html: Any, entries: list[tuple[Any, ...]]) -> bool:
        """Whether a page laid out as a left page would be laid out alike as a right one:
        the same page size, margins and borders, and no break to a left or right page."""
        if any(entry[1]["break"] in ("left", "right", "recto", "verso") for entry in entries):
            return False
        from weasyprint.layout.page import PageType, set_page_type_computed_styles

        styles = []
        for side in ("left", "right"):
            page_type = PageType(side, False, None, 1, ())
            set_page_type_computed_styles(page_type, html, context.style_for)
            style = context.style_for(page_type)
            styles.append([style[name] for name in PAGE_GEOMETRY])
        return styles[0] == styles[1]

    def _graft(
        self, first: int, old_index: int, index: int, context: Any, root_box: Any, html: Any,
        pages: list[Any], shift: int, remakes: int,
    ) -> Jump:
        """Pages `index`… and their starts from the end of the previous pass (its pages
        `old_index`…, which its steps from `first` on made); their changes to the box tree
        made again here."""
        old = self.previous
        assert old is not None
        pages_shift = index - old_index
        # From `index` on: page `index`'s start is the same, what making it recorded is the old.
        del context.page_maker[index:]
        context.page_maker.extend(
            copy_entry(moved_entry(self.flow, entry, shift, pages_shift)) for entry in old.entries[old_index:]
        )
        del pages[index:]
        for page in old.pages[old_index:]:
            step = next(step for step in reversed(old.steps) if step.page is page)
            page.children = list(step.children)
            pages.append(page)
        before = old.steps[first - 1].counts
        ours = counts_of(self.composer.stats)
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
        extra = remakes - old.steps[first].remakes[0]
        self.log.steps.extend(  # the old steps, in this render's pages, flow and count
            replace(
                step,
                index=step.index + pages_shift,
                entry=moved_entry(self.flow, step.entry, shift, pages_shift),
                next_entry=moved_entry(self.flow, step.next_entry, shift, pages_shift),
                remakes=(step.remakes[0] + extra, step.remakes[1] + extra),
                sight=step.sight + shift,
                reach=step.reach + pages_shift,
                decisions=tuple(shift_decision(self.flow, decision, shift) for decision in step.decisions),
                counts=rebased(step.counts, before, ours),
            )
            for step in old.steps[first:]
        )
        return Jump(len(pages), 0, complete=True)

    def _adopt(self, steps: list[Step], root_box: Any) -> None:
        """Point the boxes of the steps' pages at this render's elements.

        Kept pages were laid out from the previous render's HTML; what reads elements
        later (composition's review, WeasyPrint's one-bookmark-per-element rule) must
        find this render's, as on a cold build. Kept pages hold only elements that did
        not change: flow elements before and after the change, their ancestors, and the
        masthead and contents when their text is the same.
        """
        mapping = self._elements(root_box)
        seen: set[int] = set()
        for step in steps:
            if id(step.page) not in seen:
                seen.add(id(step.page))
                point_at(step.page, step.children, mapping)

    def _elements(self, root_box: Any) -> dict[int, Any]:
        """id(element of the previous render) → this render's, for elements unchanged."""
        if self._element_mapping is not None:
            return self._element_mapping
        old = self.previous
        assert old is not None
        first_changed, old_end, new_end = self.span
        olds, news = flow_elements(old.flow, old.root_box), flow_elements(self.flow, root_box)
        unchanged_old = [*olds[:first_changed], *olds[old_end:]]
        mapping = same_elements(unchanged_old, [*news[:first_changed], *news[new_end:]])
        pairs = zip(ancestors(old.flow, old.root_box), ancestors(self.flow, root_box), strict=True)
        for before, now in pairs:
            mapping[id(before)] = now
        if old.flow.front == self.flow.front:
            mapping.update(front.element_map(old.flow, old.root_box, self.flow, root_box))
        self._element_mapping = mapping
        return mapping

    # —— The masthead and contents (front.py) ——

    def _restore_front(self, context: Any, root_box: Any, html: Any, pages: list[Any]) -> Jump | None:
        """The first pass's front pages, from the previous render's log."""
        old = self.previous
        assert old is not None
        steps = old.steps
        start = next((number for number, step in enumerate(steps) if not step.front), 0)
        if not start or old.flow.front != self.flow.front or steps[0].entry[:4] != context.page_maker[0][:4]:
            return None
        if any(step.decisions or not step.allowed or step.sight >= self.span[0] for step in steps[:start]):
            return None  # (the last front page may have read the first articles)
        boxes = front.box_map(old.flow, old.root_box, self.flow, root_box)
        made = {step.index: step for step in steps[:start]}
        target = steps[start].index
        if boxes is None or sorted(made) != list(range(target)):
            return None
        collector = context.target_collector
        if not all(front.lookups_covered(made[number].page, boxes, collector) for number in made):
            return None
        entries: dict[int, tuple[Any, ...]] = {}
        for step in steps[:start]:
            entries[step.index] = step.entry
            entries[step.index + 1] = step.next_entry
        context.page_maker[:] = [copy_entry(entries[number]) for number in range(target + 1)]
        pages[:] = [made[number].page for number in range(target)]
        self._adopt(steps[:start], root_box)
        registered: list[int] = []
        for number, page in enumerate(pages):
            page.children = list(made[number].children)
            front.register_lookups(context, number, page, boxes, registered)
            self._replay_pages(context, html, pages, number, number + 1)
        self.log.steps.extend(steps[:start])
        self._decisions_seen = len(self.composer.decisions)
        return Jump(target, 0)

    def later_pass(self, context: Any, pages: list[Any]) -> None:
        """Before WeasyPrint's next pass: keep the previous render's final front pages if
        the pages they show are the same (see front.py)."""
        previous, old = self.keeper.previous, self.previous
        if previous is None or old is None or old.flow.front != self.flow.front or self._front_kept:
            return
        self._front_kept = True
        count = next((number for number, start in enumerate(previous.starts) if start is not None), 0)
        ours = next((number for number, entry in enumerate(context.page_maker)
                     if start_index(self.flow, entry[0]) >= 0), 0)
        if not count or count != ours or len(pages) <= count or self.keeper.targets() != previous.targets:
            return
        if not all(front.same_start(previous.page_maker[number], context.page_maker[number])
                   for number in range(count + 1)):
            return
        boxes = front.box_map(old.flow, old.root_box, self.flow, self.keeper.root_box)
        if boxes is None:
            return
        mapping = self._elements(self.keeper.root_box)
        for number in range(count):
            page = previous.pages[number]
            children = previous.raw_children[id(page)]
            page.children = list(children)
            point_at(page, children, mapping)
            front.adopt_links(page, boxes)
            pages[number] = page
            state = context.page_maker[number][-1]
            state["content_changed"] = state["pages_wanted"] = False
            self.keeper.replayed.add(id(page))
            self.keeper.restored[id(page)] = children

    def _replay_pages(self, context: Any, html: Any, pages: list[Any], start: int, stop: int) -> None:
        """What making pages `start`…`stop` - 1 would have recorded: their page types' styles
        (for the margin boxes), their anchors' page numbers; and whether they are feathered."""
        from weasyprint.layout.page import set_page_type_computed_styles

        old = self.previous
        assert old is not None
        collector, page_maker = context.target_collector, context.page_maker
        for number in range(start, stop):
            page = pages[number]
            page.page_type = page_type_at(page.page_type, page_maker[number], number)
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


def _first_starts(log: PassLog) -> dict[Any, tuple[int, int]]:
    """Where each page of the log started when first made → (its index, that step);
    a start two pages share (a blank page and the next) is left out."""
    starts: dict[Any, tuple[int, int]] = {}
    shared = set()
    for index, first in log.first_made().items():
        if first == 0:
            continue
        key = freeze(log.steps[first - 1].next_entry[0])
        if key in starts:
            shared.add(key)
        starts[key] = (index, first)
    for key in shared:
        del starts[key]
    return starts
