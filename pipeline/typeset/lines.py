"""Lines laid out once: a line of a paragraph is not broken and justified again when
nothing it depends on has changed.

Why: breaking a paragraph into lines (Pango shaping, then our justification) is most
of WeasyPrint's layout, and the same lines are laid out again and again. Page
composition makes pages again after a decision (in a cold build of the sample
repeated to 177 pages, one line in four is laid out twice); WeasyPrint itself lays a
paragraph out again when it moves to the next page; and a watcher's rebuild lays out
every page after an edit that moves the pages, though every paragraph but the edited
one is the same.

What a line depends on. WeasyPrint makes each line with `get_next_linebox(context,
linebox, position_y, bottom_space, skip_stack, containing_block, ...)`. When the page
has no floats (`context.excluded_shapes` is empty), no ::first-letter or ::first-line
style applies, and the paragraph holds only text and inline boxes (no pictures or
inline blocks, no floats, footnotes or positioned boxes in it), a line depends only on
the paragraph's boxes (their text and computed styles), where in the paragraph it
starts (`skip_stack`), its text indent and the width and left edge of the block it
is in. Its vertical position only moves it.

So every such line is laid out at y = 0 and then moved down to its place, by every
build alike, and a line remembered from an earlier layout is a copy of that same
line moved to its place: the same floats, so the bytes of a cold build (they differ
from bare WeasyPrint's only by float rounding in the last place). A remembered line
is used when:
- in the same render, it was laid out from the very same boxes with the very same
  style objects (composition's tracking gives a paragraph's boxes new styles);
- from the previous render (a watcher's rebuild), the paragraph's boxes have the same
  kinds, tags and texts, and every computed style value the old boxes hold (every
  value their layout and drawing read) equals the new boxes' value.
A remembered line is handed out as a deep copy, so nothing done to the line on its
page reaches the memory. The memory holds this render's lines and those of earlier
renders: a page kept from the last render (relayout.py) lays no line out, yet its
lines are the ones a later edit that moves that page needs. Earlier lines are dropped
oldest first once they outnumber twice the lines of the largest render (the old
versions of edited paragraphs, which nothing asks for again).

Only a builder that builds again (the watcher, the preview) remembers lines: measured
on a cold build of 177 pages, the lines composition lays out twice save about what
remembering every line costs (7.4–7.6 s either way, and 20 MB more), so a one-shot
build only lays each line out at y = 0 and moves it, which keeps its bytes those of a
watcher's rebuild.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

# The box kinds a remembered paragraph may hold (exact types: not their subclasses,
# such as footnote calls or inline blocks).
_PLAIN_KINDS: tuple[type, ...] | None = None


def _plain_kinds() -> tuple[type, ...]:
    global _PLAIN_KINDS
    if _PLAIN_KINDS is None:
        from weasyprint.formatting_structure import boxes

        _PLAIN_KINDS = (boxes.LineBox, boxes.InlineBox, boxes.TextBox)
    return _PLAIN_KINDS


def _frozen(skip_stack: dict[int, Any] | None) -> tuple[Any, ...] | None:
    if skip_stack is None:
        return None
    return tuple(sorted((index, _frozen(rest)) for index, rest in skip_stack.items()))


def _paragraph(linebox: Any, containing_block: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
    """The paragraph's content (kinds, tags, texts) and its styles, containing block's
    first; None when it holds a box a line cannot be remembered with."""
    kinds = _plain_kinds()
    content: list[Any] = []
    styles = [containing_block.style]
    stack = [linebox]
    while stack:
        box = stack.pop()
        kind = type(box)
        if kind not in kinds:
            return None
        content.append((kind, box.element_tag, getattr(box, "text", None)))
        styles.append(box.style)
        children = getattr(box, "children", None)
        if children:
            stack.extend(reversed(children))
    return tuple(content), tuple(styles)


def _same_styles(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Every value the old styles computed is the new styles' value too."""
    for old_style, new_style in zip(old, new, strict=True):
        if old_style is new_style:
            continue
        for name, value in dict.items(old_style):
            if new_style[name] != value:
                return False
    return True


@dataclass
class _Line:
    """A line laid out at y = 0, and the linebox's state after laying it out."""

    linebox: Any
    styles: tuple[Any, ...]
    line: Any
    resume_at: dict[int, Any] | None
    linebox_state: tuple[float, float, float]


@dataclass
class LineStats:
    """What a render's line memory did."""

    laid_out: int = 0  # lines laid out (at y = 0), remembered by a builder that rebuilds
    reused: int = 0  # lines copied from an earlier layout in this render
    carried: int = 0  # lines copied from an earlier render
    not_remembered: int = 0  # lines laid out by WeasyPrint as it is


@dataclass
class LineMemory:
    """Lines by paragraph content: this render's, and earlier renders' (see above)."""

    # Only a builder that builds again remembers lines (see above); the typesetter sets it.
    remembers: bool = False
    current: dict[tuple[Any, ...], list[_Line]] = field(default_factory=dict)
    # Earlier renders' lines, the least recently laid out or carried first.
    earlier: dict[tuple[Any, ...], list[_Line]] = field(default_factory=dict)
    stats: LineStats = field(default_factory=LineStats)
    _most: int = 0  # the most paragraph positions one render laid out or carried
    # This render's verdicts on previous paragraphs, by (id of new linebox, id of old):
    # the new styles judged, and the counterparts (None when the paragraphs differ).
    _verdicts: dict[tuple[int, int], list[tuple[tuple[Any, ...], dict[int, Any] | None]]] = field(
        default_factory=dict
    )

    def start_render(self) -> None:
        earlier = self.earlier
        for key, lines in self.current.items():
            earlier.pop(key, None)
            earlier[key] = lines
        self._most = max(self._most, len(self.current))
        for key in list(earlier)[: max(0, len(earlier) - 2 * self._most)]:
            del earlier[key]
        self.current = {}
        self.stats = LineStats()
        self._verdicts = {}

    def clear(self) -> None:
        self.current = {}
        self.earlier = {}

    def __len__(self) -> int:
        return sum(len(lines) for lines in self.current.values())

    def find(self, key: tuple[Any, ...], linebox: Any, styles: tuple[Any, ...]) -> _Line | None:
        for entry in self.current.get(key, ()):
            if entry.linebox is linebox and all(map(_is, entry.styles, styles)):
                self.stats.reused += 1
                return entry
        for entry in self.earlier.get(key, ()):
            counterparts = self._verdict(entry, linebox, styles)
            if counterparts is not None:
                self.stats.carried += 1
                carried = _Line(linebox, styles, _pointed_at(entry.line, counterparts),
                                entry.resume_at, entry.linebox_state)
                self.current.setdefault(key, []).append(carried)
                return carried
        return None

    def _verdict(self, old: _Line, linebox: Any, styles: tuple[Any, ...]) -> dict[int, Any] | None:
        """The counterparts of an old paragraph's elements and styles in this one, or None
        when the two differ; judged once per pair of paragraphs and styles."""
        verdicts = self._verdicts.setdefault((id(linebox), id(old.linebox)), [])
        for judged, counterparts in verdicts:
            if all(map(_is, judged, styles)):
                return counterparts
        counterparts = _counterparts(old, linebox, styles) if _same_styles(old.styles, styles) else None
        verdicts.append((styles, counterparts))
        return counterparts

    def remember(self, key: tuple[Any, ...], entry: _Line) -> None:
        self.stats.laid_out += 1
        self.current.setdefault(key, []).append(entry)


def _is(left: object, right: object) -> bool:
    return left is right


def _counterparts(old: _Line, linebox: Any, styles: tuple[Any, ...]) -> dict[int, Any] | None:
    """The old paragraph's elements and styles (by id) → the new one's: both paragraphs
    have the same boxes in the same order (same content), so they pair one to one.
    None for a paragraph whose text WeasyPrint fills in during pagination (a page
    number looked up, `missing_link`): its lookups belong to the old render's tree."""
    counterparts = {id(old_style): new_style for old_style, new_style in zip(old.styles, styles, strict=True)}
    old_boxes, new_boxes = [old.linebox], [linebox]
    while old_boxes:
        old_box, new_box = old_boxes.pop(), new_boxes.pop()
        if old_box.missing_link is not None or new_box.missing_link is not None:
            return None
        if old_box.element is not None:
            counterparts[id(old_box.element)] = new_box.element
        old_boxes.extend(getattr(old_box, "children", ()))
        new_boxes.extend(getattr(new_box, "children", ()))
    return counterparts


def _pointed_at(line: Any, counterparts: dict[int, Any]) -> Any:
    """A copy of an old render's line whose boxes point at this render's elements and
    styles, as a line laid out in this render does (kept, never handed out itself)."""
    copy = line.deepcopy()
    for box in copy.descendants():
        box.style = counterparts.get(id(box.style), box.style)
        if box.element is not None:
            box.element = counterparts.get(id(box.element), box.element)
    return copy


def _moved(line: Any, position_y: float) -> Any:
    """A line laid out at y = 0, moved down to `position_y`."""
    line.translate(0, position_y)
    line.position_y = position_y
    return line


def _placed(line: Any, position_y: float) -> Any:
    """A copy of a remembered line, with its own decoration sides, moved down to `position_y`."""
    placed = line.deepcopy()
    for box in placed.descendants():
        box.remove_decoration_sides = set(box.remove_decoration_sides)
    return _moved(placed, position_y)


def _remembering(memory: LineMemory, original: Any) -> Any:
    def get_next_linebox(context: Any, linebox: Any, position_y: float, bottom_space: float,
                         skip_stack: Any, containing_block: Any, absolute_boxes: list[Any],
                         fixed_boxes: list[Any], first_letter_style: Any,
                         first_line_style: Any) -> tuple[Any, Any]:
        paragraph = None
        if not (context.excluded_shapes or first_letter_style or first_line_style):
            paragraph = _paragraph(linebox, containing_block)
        if paragraph is None:
            memory.stats.not_remembered += 1
            return original(context, linebox, position_y, bottom_space, skip_stack,
                            containing_block, absolute_boxes, fixed_boxes,
                            first_letter_style, first_line_style)
        content, styles = paragraph
        key = (content, _frozen(skip_stack), linebox.text_indent, containing_block.width,
               containing_block.content_box_x())
        entry = memory.find(key, linebox, styles) if memory.remembers else None
        if entry is None:
            line, resume_at = original(context, linebox, 0.0, bottom_space, skip_stack,
                                       containing_block, absolute_boxes, fixed_boxes, None, None)
            if line is None:
                return None, None
            if not memory.remembers:  # a one-shot build: laid out at y = 0 and moved, not kept
                memory.stats.laid_out += 1
                linebox.position_y = position_y
                return _moved(line, position_y), resume_at
            entry = _Line(linebox, styles, line, resume_at,
                          (linebox.position_x, linebox.width, linebox.height))
            memory.remember(key, entry)
        linebox.position_x, linebox.width, linebox.height = entry.linebox_state
        linebox.position_y = position_y
        return _placed(entry.line, position_y), entry.resume_at

    return get_next_linebox


@contextmanager
def remembering_lines(memory: LineMemory) -> Iterator[LineStats]:
    """Within this block, WeasyPrint's lines are laid out once and remembered (see above)."""
    from weasyprint.layout import inline

    memory.start_render()
    original = inline.get_next_linebox
    inline.get_next_linebox = _remembering(memory, original)
    try:
        yield memory.stats
    finally:
        inline.get_next_linebox = original
