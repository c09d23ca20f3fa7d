"""The first pass of WeasyPrint's pagination, page by page, with page composition.

WeasyPrint's `make_all_pages` makes every page, then later passes re-make those whose
page-number references changed. `page_composition` replaces its first pass by
`first_pass`, which makes each page with WeasyPrint's own `remake_page` and hands it
to `Composer.review` (compose.py) before going on; a fix sends the pass back to the
page it changed. After every pass the short pages are feathered and the 报尾 is set
at the foot of its page.

A builder that builds again (the watcher) gives the pass `PassHooks`
(checkpoints.py): told of every page made, and asked, each time the pass reaches a
page for the first time, whether the pages of the previous render can be restored
from there instead of made again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from .compose import MAX_REMAKES_PER_PAGE, Composer, CompositionStats


@dataclass(frozen=True)
class Jump:
    """Where a first pass goes on after `PassHooks.arrive` restored the pages before it."""

    index: int  # the page to make next
    remakes: int  # pages made again so far, as the pass counts them
    complete: bool = False  # every page is there: the pass is over


class PassHooks(Protocol):
    """What a first pass tells, and asks, whoever keeps pages between renders (checkpoints.py)."""

    def arrive(
        self, index: int, context: Any, root_box: Any, html: Any, pages: list[Any], remakes: int
    ) -> Jump | None:
        """Page `index` is about to be made for the first time in this pass."""

    def made(self, index: int, page: Any, resume_at: Any, remakes: tuple[int, int], allowed: bool) -> None:
        """Page `index` was made and reviewed; `remakes` before and after."""

    def ended(self, context: Any, pages: list[Any]) -> None:
        """The pass is over: `pages` are its pages."""

    def later_pass(self, context: Any, pages: list[Any]) -> None:
        """WeasyPrint is about to make again the pages of `pages` that need it."""


def first_pass(
    composer: Composer, context: Any, root_box: Any, html: Any, hooks: PassHooks | None = None
) -> list[Any]:
    """Make every page once, reviewing each as it is made: a fix re-makes that page
    (or the page a lengthened paragraph starts on) and the pass goes on from there,
    so nothing after a fix is laid out twice. `hooks` may restore pages kept from the
    previous render instead of making them (checkpoints.py)."""
    from weasyprint.layout.page import remake_page

    context.rendered_notes = []
    pages: list[Any] = []
    index = 0
    remakes = 0
    furthest = -1
    while True:
        if hooks is not None and index > furthest:
            furthest = index
            jump = hooks.arrive(index, context, root_box, html, pages, remakes)
            if jump is not None and jump.complete:
                hooks.ended(context, pages)
                return pages
            if jump is not None:
                index, remakes = jump.index, jump.remakes
                furthest = index
        state = context.page_maker[index][-1]
        state.update(content_changed=False, pages_wanted=False, anchors=[], content_lookups=[])
        page, resume_at = remake_page(index, context, root_box, html)
        del pages[index:]
        pages.append(page)
        allowed = remakes < MAX_REMAKES_PER_PAGE * (index + 1)
        again = composer.review(root_box, pages, index, resume_at) if allowed else None
        before = remakes
        if again is not None:
            remakes += index - again + 1
            composer.stats.rounds += 1
            composer.stats.relaid_pages += index - again + 1
        if hooks is not None:
            hooks.made(index, page, resume_at, (before, remakes), allowed)
        if again is not None:
            index = again
            continue
        index += 1
        if resume_at is None and not context.reported_footnotes:
            del context.page_maker[index + 1 :]
            context.broken_out_of_flow.clear()
            context.reported_footnotes.clear()
            if hooks is not None:
                hooks.ended(context, pages)
            return pages


@contextmanager
def page_composition(
    composer: Composer, hooks: Callable[[], PassHooks | None] | None = None
) -> Iterator[CompositionStats]:
    """Within this block, WeasyPrint's pagination reviews each page as it is made
    (`Composer.review`), then feathers short pages and sets the 报尾 at the foot.
    `hooks()`, asked at the first pass, may keep pages of the previous render."""
    from weasyprint import layout

    original = layout.make_all_pages
    composer.start()

    asked: list[PassHooks | None] = []

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        if pages:  # WeasyPrint's later passes: pages whose page-number references changed
            if asked and asked[0] is not None:
                asked[0].later_pass(context, pages)
            laid_out = list(original(context, root_box, html, pages))
        else:
            asked[:] = [hooks() if hooks else None]
            laid_out = first_pass(composer, context, root_box, html, asked[0])
            if composer.stats.rounds:
                # Pages referring to others' page numbers (the contents) are made
                # again in the next pass, once every page has moved.
                for state in context.page_maker:
                    if state[-1].get("content_lookups"):
                        state[-1]["content_changed"] = True
        composer.feather(laid_out)
        composer.finish(laid_out)
        yield from laid_out

    layout.make_all_pages = make_all_pages
    try:
        yield composer.stats
    finally:
        layout.make_all_pages = original
