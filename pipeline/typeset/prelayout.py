"""The parsed HTML before layout: titles set as their chosen lines, paragraph ends glued.

Helpers of `Composer.prepare` (compose.py) that change only how text is set: a
title's lines become unbreakable spans separated by <br>; a paragraph's last two
characters become one unbreakable span. The characters themselves never change.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

from ..cjk import CLOSING, HAN_CHARACTER, OPENING

GLUE_SKIP = set(CLOSING + OPENING + "\u200b \u3000…—")


def classes_of(element: ElementTree.Element) -> list[str]:
    return (element.get("class") or "").split()


def set_lines(element: ElementTree.Element, lines: list[str]) -> None:
    """Replace `element`'s text with unbreakable lines separated by <br>."""
    for child in list(element):
        element.remove(child)
    element.text = None
    for number, line in enumerate(lines):
        if number:
            ElementTree.SubElement(element, "br")
        span = ElementTree.SubElement(element, "span", {"class": "title-line"})
        span.text = line


def _text_chunks(element: ElementTree.Element) -> list[tuple[ElementTree.Element, str]]:
    """(node, "text" or "tail") for every piece of text inside `element`, in order."""
    chunks: list[tuple[ElementTree.Element, str]] = []

    def walk(node: ElementTree.Element) -> None:
        if node.text:
            chunks.append((node, "text"))
        for child in node:
            walk(child)
            if child.tail:
                chunks.append((child, "tail"))

    walk(element)
    return chunks


def glue_last_characters(paragraph: ElementTree.Element) -> bool:
    """Set the paragraph's last two characters (before closing punctuation) unbreakable.

    Only when both are in one piece of text; otherwise the end is already a word
    or a number-with-unit that cannot break. Returns whether it glued.
    """
    chunks = _text_chunks(paragraph)
    for node, attribute in reversed(chunks):
        text = getattr(node, attribute) or ""
        end = len(text)
        while end and text[end - 1] in GLUE_SKIP:
            end -= 1
        if end == 0:
            continue  # only punctuation here: look further back
        if end < 2 or not (HAN_CHARACTER.match(text[end - 1]) and HAN_CHARACTER.match(text[end - 2])):
            return False
        parent_of_tail = attribute == "tail"
        span = ElementTree.Element("span", {"class": "nobr"})
        span.text = text[end - 2 : end]
        span.tail = text[end:]
        setattr(node, attribute, text[: end - 2])
        if parent_of_tail:
            parent = _parent(paragraph, node)
            parent.insert(list(parent).index(node) + 1, span)
        else:
            node.insert(0, span)
        return True
    return False


def _parent(root: ElementTree.Element, child: ElementTree.Element) -> ElementTree.Element:
    for candidate in root.iter():
        if child in list(candidate):
            return candidate
    raise ValueError("not a descendant")
