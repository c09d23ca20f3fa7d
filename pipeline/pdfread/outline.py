"""The PDF's navigation read back: bookmarks, destinations and link targets.

Readers only: they say where things point, never whether that is right. A target
that leads nowhere (deleted page, `[null /XYZ 0 0 0]`) reads as page None, never
as an exception, so the check can report it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass(frozen=True)
class OutlineItem:
    title: str
    page: int | None  # 1-based; None when the bookmark points nowhere
    children: tuple[OutlineItem, ...]


def read_outline(reader: PdfReader) -> list[OutlineItem]:
    def walk(nodes: list[Any]) -> list[OutlineItem]:
        items: list[OutlineItem] = []
        for node in nodes:
            if isinstance(node, list):
                if items:
                    last = items[-1]
                    items[-1] = OutlineItem(last.title, last.page, tuple(walk(node)))
                continue
            try:
                page: int | None = reader.get_destination_page_number(node) + 1
            except Exception:  # a bookmark whose target is gone
                page = None
            if page == 0:
                page = None
            items.append(OutlineItem(str(node.title), page, ()))
        return items

    try:
        return walk(reader.outline)
    except Exception:
        return []


def destination_page(reader: PdfReader, target: Any) -> int | None:
    """1-based page of a named or explicit destination, None when it leads nowhere."""
    try:
        target = target.get_object() if hasattr(target, "get_object") else target
        if isinstance(target, ArrayObject):
            page_ref = target[0]
            for index, page in enumerate(reader.pages, start=1):
                if page.indirect_reference == page_ref:
                    return index
            return None
        destination = reader.named_destinations.get(str(target))
        if destination is None:
            return None
        number = reader.get_destination_page_number(destination)
        return number + 1 if number >= 0 else None
    except Exception:
        return None


def link_target(annotation: DictionaryObject) -> tuple[str, Any] | None:
    """("goto", destination) or ("uri", address) for a link annotation."""
    target = annotation.get("/Dest")
    if target is not None:
        return "goto", target
    action = annotation.get("/A")
    if action is None:
        return None
    action = action.get_object()
    kind = action.get("/S")
    if kind == "/URI":
        return "uri", str(action.get("/URI", ""))
    if kind == "/GoTo":
        return "goto", action.get("/D")
    return str(kind), None


def first_bookmarked_page(outline: list[OutlineItem]) -> int:
    """The first page an article bookmark points to (masthead and contents come before)."""
    pages = [child.page for item in outline for child in item.children if child.page is not None]
    return min(pages) if pages else 1
