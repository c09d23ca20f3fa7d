"""Reading WeasyPrint's boxes for page composition: where a page's text ends, what
starts the next page (a skip stack resolved in the box tree), and element → box.

Laid-out pages are copies of the formatting structure's boxes that keep their
elements; the formatting structure (`root_box`) is what pagination reads, so a
change made there (a block moved, a style replaced) shows in the pages made after.
Lengths are CSS pixels, as WeasyPrint lays out.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def descendants(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from descendants(child)


def blocks(box: Any) -> Iterator[Any]:
    """`descendants` without what is inside lines (text): the block-level boxes and lines."""
    from weasyprint.formatting_structure import boxes

    yield box
    if isinstance(box, boxes.LineBox):
        return
    for child in getattr(box, "children", ()) or ():
        yield from blocks(child)


def path_of(root: Any, target: Any) -> tuple[int, ...]:
    """Child indices from `root` down to the box `target` (found by identity)."""
    stack: list[tuple[Any, tuple[int, ...]]] = [(root, ())]
    while stack:
        box, path = stack.pop()
        if box is target:
            return path
        children = getattr(box, "children", None) or ()
        stack.extend((child, (*path, index)) for index, child in enumerate(children))
    raise LookupError("box not in the tree")


def page_bottom(page: Any) -> float:
    """The foot of the page's text block."""
    return page.content_box_y() + page.height


def content_bottom(page: Any) -> float:
    """The bottom of the last line, image or table row drawn in the page's text block."""
    from weasyprint.formatting_structure import boxes

    bottom = page.content_box_y()
    root = page.children[0] if page.children else None
    if root is None:
        return bottom
    for box in descendants(root):
        if isinstance(box, boxes.LineBox) and box.children:
            bottom = max(bottom, box.position_y + box.height)
        elif isinstance(box, (boxes.ReplacedBox, boxes.TableRowBox)):
            bottom = max(bottom, box.position_y + box.margin_height())
    return bottom


def is_block(box: Any) -> bool:
    return box.element_tag in ("figure", "table") or is_label(box)


def is_label(box: Any) -> bool:
    return box.element_tag == "p" and "label" in (box.element.get("class") or "").split()


def is_heading(box: Any) -> bool:
    classes = (box.element.get("class") or "").split()
    return box.element_tag in ("h2", "h3", "h4", "h5", "h6") or "official-heading" in classes


def resume_path(root_box: Any, resume_at: Any) -> list[tuple[Any, int]]:
    """(parent box, child index) of each level of a skip stack whose child starts whole
    or is being resumed, from the root down to where the next page begins."""
    path = []
    box, skip = root_box, resume_at
    while skip and len(skip) == 1:
        ((position, skip),) = skip.items()
        children = getattr(box, "children", None)
        if not children or position >= len(children):
            break
        path.append((box, position))
        box = children[position]
    return path


def block_units(page: Any) -> list[Any]:
    """The page's paragraphs, headings, figures and tables, top to bottom (not nested)."""
    from weasyprint.formatting_structure import boxes

    units: list[Any] = []

    def walk(box: Any) -> None:
        children = [child for child in getattr(box, "children", ()) or () if child.is_in_normal_flow()]
        if isinstance(box, boxes.TableBox) or box.element_tag in ("figure", "table", "footer") or (
            children and any(is_line(child) for child in children)
        ):
            units.append(box)
            return
        for child in children:
            walk(child)

    if page.children:
        walk(page.children[0])
    return units


def holds_articles(page: Any) -> bool:
    return any(
        box.element_tag == "main" and "articles" in (box.element.get("class") or "")
        for box in descendants(page)
    )


def is_line(box: Any) -> bool:
    from weasyprint.formatting_structure import boxes

    return isinstance(box, boxes.LineBox)


def line_end(line: Any) -> float:
    return max((child.position_x + child.margin_width() for child in line.children), default=0.0)


class FormattingTree:
    """Element → box of the formatting structure (block level), to move or track boxes."""

    def __init__(self, root_box: Any, inline: bool = False) -> None:
        from weasyprint.formatting_structure import boxes

        self.root = root_box
        self._boxes: dict[int, Any] = {}
        stack = [root_box]
        while stack:
            box = stack.pop()
            if not isinstance(box, boxes.ParentBox) or (isinstance(box, boxes.LineBox) and not inline):
                continue
            if not isinstance(box, boxes.LineBox):
                self._boxes.setdefault(id(box.element), box)
            stack.extend(box.children)

    def box_of(self, element: Any) -> Any:
        return self._boxes.get(id(element))

    @staticmethod
    def track_box(box: Any, em: float) -> None:
        """Add `em` of letter spacing to every box of `box` (own copies of styles)."""
        for descendant in descendants(box):
            style = descendant.style.copy()
            own = style["letter_spacing"]
            style["letter_spacing"] = (0 if own == "normal" else own) + em * style["font_size"]
            descendant.style = style


def page_facts(page: Any, children: tuple[Any, ...]) -> tuple[bool, tuple[Any, ...]]:
    """Whether a page may be kept (no fixed boxes, no counters looked up in layout) and
    its boxes of bookmarked elements."""
    reusable = not page.fixed_boxes
    bookmarked = []
    for child in children:
        for box in child.descendants(placeholders=True):
            if getattr(box, "missing_link", None):
                reusable = False
            style = getattr(box, "style", None)
            if style is not None and box.element is not None and style["bookmark_level"] != "none":
                bookmarked.append(box)
    return reusable, tuple(bookmarked)
