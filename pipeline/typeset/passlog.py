"""What a composed first pass did, step by step: the record checkpoints.py resumes from.

A step is one page made and reviewed (paginate.py). Its record holds what is needed to
put a later render in the state the pass had after it (the page, its start and the next
page's, copied; the count of pages made again; composition's counters and decisions)
and what tells whether it may be taken (what it looked at, how far back it read).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .compose import MAX_REMAKES_PER_PAGE, CompositionStats, Decision

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
    sight: float  # the last flow element the step depended on (inf: to the end)
    reach: int  # the lowest page index the step read
    decisions: tuple[Decision, ...]
    counts: tuple[Any, ...]  # composition's pass counters after the step
    restorable: bool
    front: bool  # the page starts before main

    def slack(self) -> int:
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


def counts_of(stats: CompositionStats) -> tuple[Any, ...]:
    return (*(getattr(stats, name) for name in PASS_COUNTS), tuple(stats.moved_blocks))


def set_counts(stats: CompositionStats, counts: tuple[Any, ...]) -> None:
    for name, value in zip(PASS_COUNTS, counts, strict=False):
        setattr(stats, name, value)
    stats.moved_blocks = list(counts[-1])


def clean(step: Step, first_changed: int) -> bool:
    return step.restorable and step.sight < first_changed and not any(
        decision.kind == "opaque" for decision in step.decisions
    )


def rebased(
    counts: tuple[Any, ...], old_base: tuple[Any, ...], new_base: tuple[Any, ...]
) -> tuple[Any, ...]:
    """A carried step's counts, from this render's count at the graft instead of the old."""
    numbers = tuple(
        now - was + base for now, was, base in zip(counts[:-1], old_base[:-1], new_base[:-1], strict=True)
    )
    return (*numbers, (*new_base[-1], *counts[-1][len(old_base[-1]) :]))


def suffix_facts(steps: list[Step]) -> list[tuple[int, int, bool]]:
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
