"""Page composition: the decisions a print editor makes about the page, in one place.

Two kinds of decision, each taken where it can be taken soundly and cheaply:

1. Before layout, on the parsed HTML (`Composer.prepare`), what does not depend on
   pagination: where titles and contents entries break (`titles.break_title`,
   measured with the fonts' own advances at the known width); paragraph runts (a
   paragraph's last two characters are set unbreakable, so its last line never
   holds one character: when it would have, the line before gives up one
   character and is justified 1 em looser over its ~30 gaps, at most about
   0.035 em per gap, and the paragraph keeps its number of lines); the 落款
   (the unit centred over the date, from both lines' widths).

2. During pagination, what does (paginate.py makes each page with WeasyPrint's
   own `remake_page` and hands it to `Composer.review` before going on). A page
   that would end more than HOLE_LINES short is fixed at once, and only that page
   (or the two before it) is made again:
   * when a figure or table (with the label introducing it) at the start of the
     next page did not fit, the following paragraph of the same article goes
     first (the block is moved after it in the box tree; a heading goes with
     the paragraph it is kept with), until the page is full;
   * otherwise a few paragraphs of this page or the two before it, whose last
     line is nearly full, are set TRACKING_EM (0.03 em) looser so each takes one
     more line.
   Pages after a fix are made once, after it: nothing is laid out twice. What is
   left of a hole is then spread between the page's blocks (`Composer.feather`,
   at most half a line per gap), and the distribution block (报尾) is moved
   down to the foot of the last page (`Composer.finish`); CSS
   (`break-before: avoid`) has already kept it with the last lines of the last
   article.

Keep-with-next (headings, numbered heading lines, labels, table header rows) is
CSS (`break-after: avoid`, briefing.css): WeasyPrint honours it as it paginates.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..house import HouseNumbers, font_faces
from .boxes import (
    FormattingTree,
    block_units,
    blocks,
    content_bottom,
    descendants,
    holds_articles,
    is_block,
    is_heading,
    is_label,
    is_line,
    line_end,
    page_bottom,
    path_of,
    resume_path,
)
from .prelayout import classes_of, glue_last_characters, set_lines
from .titles import TextMeasure, break_title

HOLE_LINES = 3  # a page other than the last may end at most this many lines short
# Letter spacing added (or taken) to make a paragraph one line longer (or shorter)
# when a page must be filled: 0.03 em per character is not seen (a full line of
# body text grows or shrinks by under one character).
TRACKING_EM = 0.03
# Feathering (the last resort): at most this much of a line added to each gap
# between blocks, aiming at a page that ends at most FEATHER_TARGET lines short.
FEATHER_LINES = 0.5
FEATHER_TARGET = 2.5
# An article's opening (title, source line, two lines of text, the space between
# articles) in body lines of the house style: what must fit for it to start a page.
OPENING_LINES = 6.0
LOOSEN_PAGES = 2  # pages before a short one whose paragraphs may be lengthened to fill it
PT_PER_PX = 0.75  # WeasyPrint lays out in CSS pixels; house numbers are in points
MAX_REMAKES_PER_PAGE = 3  # pages made again, at most, per page made so far (the pass always ends)
MAX_DEFERRALS = 6  # paragraphs a figure or table may be moved past
CONTENTS_LEADER_EM = 3.0  # room kept on an entry's last line for its dot leader
SERIF = "Briefing Serif"  # the @font-face family of titles, contents and body (house.css)


@dataclass
class CompositionStats:
    """What composition did in one render (for tests, the check and `make bench`)."""

    titles_broken: int = 0
    paragraphs_glued: int = 0
    moved_blocks: list[str] = field(default_factory=list)
    rounds: int = 0
    relaid_pages: int = 0
    tracked_paragraphs: int = 0  # set TRACKING_EM looser or tighter to fill a page
    feathered_pages: int = 0  # pages whose remaining hole was spread between blocks
    distribution_shift_pt: float = 0.0


@dataclass(frozen=True)
class Decision:
    """A change `Composer.review` made to the formatting structure, by position, so it can
    be made again on a fresh box tree of the same HTML (checkpoints.py): a block moved
    (`path` is its parent's, `numbers` the unit's first index, the index after it and the
    last index moved up before it) or a paragraph tracked (`path` is its box's, `numbers`
    the letter spacing added, in em)."""

    kind: str  # "move" or "track"
    path: tuple[int, ...]  # child indices from the root box
    numbers: tuple[float, ...]


@dataclass
class Composer:
    """One build's page composition (fonts measured once per Composer)."""

    house: HouseNumbers
    styles_dir: Path
    stats: CompositionStats = field(default_factory=CompositionStats)
    _measures: dict[str, TextMeasure] = field(default_factory=dict)
    _tracked: set[int] = field(default_factory=set)
    _moves: dict[int, int] = field(default_factory=dict)
    _formatting: FormattingTree | None = None
    _feathered: set[int] = field(default_factory=set)
    # What this render decided, in order (replayed by checkpoints.py on the next render).
    decisions: list[Decision] = field(default_factory=list)
    reach: int = 0  # the lowest page index the last review read
    feathered_now: set[int] = field(default_factory=set)  # ids of pages `feather` moved boxes on
    finished: dict[int, float] = field(default_factory=dict)  # id(page) → the 报尾's shift

    def measure(self, family: str, weight: int) -> TextMeasure:
        """Advances of the shipped font house.css loads for `family` at `weight`."""
        key = f"{family}:{weight}"
        measure = self._measures.get(key)
        if measure is None:
            faces = [face for face in font_faces(self.styles_dir) if face.family == family]
            face = min(faces, key=lambda face: abs(face.weight - weight))
            measure = self._measures[key] = TextMeasure(face.file)
        return measure

    def start(self) -> None:
        """Forget the last render's decisions (the boxes they were about are gone)."""
        self.stats = CompositionStats()
        self._tracked.clear()
        self._moves.clear()
        self._feathered.clear()
        self._formatting = None
        self.decisions = []
        self.feathered_now = set()
        self.finished = {}

    # —— Before layout ——

    def prepare(self, root: ElementTree.Element) -> None:
        """Titles, contents entries and paragraph ends, decided on the parsed HTML."""
        width = self.house.text_width
        for element in root.iter():
            classes = classes_of(element)
            if element.tag == "h3" and "article-title" in classes:
                lines = break_title(
                    "".join(element.itertext()), self.measure(SERIF, 700), self.house.title_size, width
                )
                self._apply(element, lines)
            elif element.tag == "a" and "contents-entry-title" in classes:
                size = self.house.contents_size
                lines = break_title(
                    "".join(element.itertext()),
                    self.measure(SERIF, 400),
                    size,
                    width - (self.house.contents_mark_em + self.house.contents_number_em) * size,
                    last_line_room=CONTENTS_LEADER_EM * size,
                )
                self._apply(element, lines)
            elif element.tag == "div" and "signature" in classes:
                self._place_signature(element)
            elif element.tag == "div" and "article-body" in classes:
                for paragraph in element.iter():
                    if paragraph.tag in ("p", "li") and glue_last_characters(paragraph):
                        self.stats.paragraphs_glued += 1

    def _place_signature(self, signature: ElementTree.Element) -> None:
        """落款: the date four characters from the right edge, the unit centred over it.

        The unit's right margin is set from both lines' widths (body face), as no
        CSS centres one line over another of its own width.
        """
        paragraphs = [child for child in signature if child.tag == "p"]
        if len(paragraphs) != 2:
            return
        unit, date = ("".join(paragraph.itertext()).strip() for paragraph in paragraphs)
        measure = self.measure(SERIF, 400)
        offset = self.house.signature_right_em + (measure.em_width(date) - measure.em_width(unit)) / 2
        paragraphs[0].set("style", f"margin-right: {max(offset, 0.0):.3f}em")

    def _apply(self, element: ElementTree.Element, lines: list[str]) -> None:
        set_lines(element, lines)
        if len(lines) > 1:
            self.stats.titles_broken += 1

    # —— During pagination ——

    def review(self, root_box: Any, pages: list[Any], index: int, resume_at: Any) -> int | None:
        """Page `index` has just been made: the page to make again after a fix, or None.

        A page ending more than HOLE_LINES short because the next block, a figure or
        a table (with the label introducing it), did not fit lets the following text
        go first; otherwise a few paragraphs are lengthened (`_retrack`) so the text
        reaches further down, or, when the next article's opening did not fit and
        there are not enough of those, shortened so that it does.
        """
        page = pages[index]
        self.reach = index
        if resume_at is None or not holds_articles(page):
            return None  # the last page, or the masthead and contents
        line = self.house.body_line / PT_PER_PX
        limit = HOLE_LINES * line
        hole = page_bottom(page) - content_bottom(page)
        if hole <= limit:
            return None
        if self._defer_block(self._tree(root_box), resume_at):
            return index
        longer = self._retrack(root_box, pages, index, resume_at, math.ceil((hole - limit) / line), 1)
        if longer is not None or not _starts_article(root_box, resume_at):
            return longer
        shortfall = math.ceil(OPENING_LINES - hole / line)
        return self._retrack(root_box, pages, index, resume_at, max(shortfall, 1), -1)

    def _tree(self, root_box: Any) -> FormattingTree:
        if self._formatting is None or self._formatting.root is not root_box:
            self._formatting = FormattingTree(root_box, inline=True)
        return self._formatting

    def _move(self, parent: Any, start: int, after: int, last: int) -> list[Any]:
        """Children `start`…`after` of `parent` moved after child `last`."""
        children = parent.children
        moved = children[start:after]
        parent.children = [*children[:start], *children[after : last + 1], *moved, *children[last + 1 :]]
        self._moves[id(moved[0])] = self._moves.get(id(moved[0]), 0) + 1
        return moved

    def _track(self, box: Any, em: float) -> None:
        FormattingTree.track_box(box, em)
        self._tracked.add(id(box.element))

    def apply(self, root_box: Any, decision: Decision) -> None:
        """Make `decision` (taken on an earlier box tree of the same HTML) on `root_box`.
        The stats are the caller's to restore."""
        box = root_box
        for position in decision.path:
            box = box.children[position]
        if decision.kind == "move":
            start, after, last = (int(number) for number in decision.numbers)
            self._move(box, start, after, last)
        else:
            self._track(box, decision.numbers[0])
        self.decisions.append(decision)

    def _defer_block(self, tree: FormattingTree, resume_at: Any) -> bool:
        """Move the figure or table that starts the next page after the paragraph
        that follows it (one paragraph per try; the page is made again and reviewed)."""
        path = resume_path(tree.root, resume_at)
        for level in range(len(path) - 1, -1, -1):
            parent, position = path[level]
            children = parent.children
            unit = [position] if is_block(children[position]) and not is_label(children[position]) else []
            if is_label(children[position]) and position + 1 < len(children) and is_block(
                children[position + 1]
            ):
                unit = [position, position + 1]
            if not unit:
                continue
            after = unit[-1] + 1
            # A heading goes up together with the paragraph it is kept with.
            last = after
            while last + 1 < len(children) and is_heading(children[last]):
                last += 1
            if last >= len(children) or any(is_block(child) for child in children[after : last + 1]):
                return False  # nothing of this article to fill the page with
            if self._moves.get(id(children[position]), 0) >= MAX_DEFERRALS:
                return False
            moved = self._move(parent, unit[0], after, last)
            self.decisions.append(
                Decision("move", tuple(step for _, step in path[:level]), (unit[0], after, last))
            )
            self.stats.moved_blocks.append(moved[-1].element_tag)
            return True
        return False

    def _retrack(
        self, root_box: Any, pages: list[Any], index: int, resume_at: Any, wanted: int, sign: int
    ) -> int | None:
        """Set `wanted` paragraphs one line longer (`sign` 1) or shorter (-1) by
        TRACKING_EM more or less letter spacing; the first page changed, or None.

        Candidates are the paragraphs on page `index` and the LOOSEN_PAGES before it
        (a line gained or lost there carries over). Lengthening takes paragraphs whose
        last line is so nearly full that one character pushed from each line before
        it makes a new line; shortening, those whose last line is so short that each
        line before it can take one character of it. The page is made again and
        reviewed; a paragraph is never tracked twice.
        """
        first = max(index - LOOSEN_PAGES, 0)
        for earlier in range(index - 1, first - 1, -1):
            if not holds_articles(pages[earlier]):
                # A masthead and contents page, or a volume's blank page: a line gained
                # there, or in an issue before it, never reaches this page.
                first = earlier + 1
                break
        self.reach = first
        near = pages[first : index + 1]
        # A paragraph the page break splits goes on: lengthening it moves nothing up.
        beyond = {
            id(parent.children[position].element) for parent, position in resume_path(root_box, resume_at)
        }
        candidates = []
        for page_number, page in enumerate(near, start=first):
            for box in descendants(page):
                lines = [child for child in getattr(box, "children", ()) if is_line(child)]
                if box.element_tag not in ("p", "li") or len(lines) < 2:
                    continue
                element = box.element
                if id(element) in beyond or id(element) in self._tracked:
                    continue
                em = box.style["font_size"]
                last = (line_end(lines[-1]) - box.content_box_x()) / em
                moved = box.width / em - last if sign > 0 else last  # characters to carry
                slack = (len(lines) - 1) * TRACKING_EM * (box.width / em) - moved
                if slack > 0.5:
                    candidates.append((page_number, -slack, element))
        if len(candidates) < wanted:
            return None
        chosen = sorted(candidates, key=lambda item: (item[0] != index, item[1]))[:wanted]
        tree = self._tree(root_box)
        for _, _, element in chosen:
            tracked = tree.box_of(element)
            if tracked is None:  # not seen so far; a decision checkpoints.py cannot make again
                self.decisions.append(Decision("opaque", (), ()))
                self._tracked.add(id(element))
            else:
                self.decisions.append(Decision("track", path_of(tree.root, tracked), (sign * TRACKING_EM,)))
                self._track(tracked, sign * TRACKING_EM)
            self.stats.tracked_paragraphs += 1
        return min(page_number for page_number, _, _ in chosen)

    def feather(self, pages: list[Any]) -> None:
        """Spread what is left of a hole over the gaps between the page's blocks.

        The last resort, when neither a moved block nor lengthened paragraphs
        filled the page (typically an article ending where the next one's title and
        first lines do not fit): each gap between paragraphs, headings and figures
        on the page grows by the same amount, at most FEATHER_LINES of a line, so
        the page's last line comes down to within FEATHER_TARGET lines of the foot.
        Boxes are only moved down; nothing is laid out again.
        """
        line = self.house.body_line / PT_PER_PX
        for page in pages[:-1]:
            if id(page) in self._feathered or not holds_articles(page):
                continue
            self._feathered.add(id(page))
            excess = page_bottom(page) - content_bottom(page) - FEATHER_TARGET * line
            units = block_units(page)
            if excess <= 0 or len(units) < 2:
                continue
            share = min(excess / (len(units) - 1), FEATHER_LINES * line)
            for number, unit in enumerate(units):
                if number:
                    unit.translate(0, number * share)
            self.stats.feathered_pages += 1
            self.feathered_now.add(id(page))

    def finish(self, pages: list[Any]) -> None:
        """Move the distribution block (报尾) down to the foot of its page: the last page,
        or in a bound volume (合订本) the last page of each issue."""
        for page in pages:
            for box in blocks(page):
                if box.element_tag == "footer" and "distribution" in (box.element.get("class") or ""):
                    shift = page_bottom(page) - (box.position_y + box.margin_height())
                    if shift > 0.01:
                        box.translate(0, shift)
                        self.stats.distribution_shift_pt = shift
                        self.finished[id(page)] = shift
                    break


def _starts_article(root_box: Any, resume_at: Any) -> bool:
    """Whether the next page begins with an article (or a section heading) from its start."""
    path = resume_path(root_box, resume_at)
    if not path:
        return False
    parent, position = path[-1]
    child = parent.children[position]
    return child.element_tag in ("article", "h2")
