"""Unchanged articles' boxes built once (pipeline/typeset/built.py): the box tree a rebuild
lays out, with the kept children's boxes put in, is the box tree a cold build lays out,
box for box and style value for style value; and the PDF is a cold build's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from weasyprint import document
from weasyprint.css.properties import INITIAL_VALUES

from pipeline.build import Builder
from pipeline.typeset.built import _restore, _snapshot
from tests.support import ADDED_PARAGRAPH, edit, middle_article, rebuilt_as_cold


def values(style: Any) -> tuple[str, ...]:
    found = []
    for name in INITIAL_VALUES:
        try:
            found.append(repr(style[name]))
        except KeyError:  # a logical property anonymous styles do not compute
            found.append("—")
    return tuple(found)


def described(box: Any) -> tuple[Any, ...]:
    """A box subtree as layout reads it: kinds, texts, white space, every style value."""
    style = box.style
    return (
        type(box).__name__, box.element_tag, getattr(box, "text", None),
        box.leading_collapsible_space, box.trailing_collapsible_space,
        box.element.tag if box.element is not None else None,
        values(style),
        repr(box.cached_counter_values), repr(getattr(box, "string_set", None)),
        repr(getattr(box, "bookmark_label", None)),
        tuple(described(child) for child in getattr(box, "children", ())),
        tuple(described(group) for group in getattr(box, "column_groups", ())),
    )


def test_kept_children_give_the_box_tree_of_a_cold_build(
    warm_sample: tuple[Builder, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builder, edition = warm_sample
    trees: list[tuple[Any, ...]] = []  # each render's box tree, as it goes to layout
    original = document.layout_document

    def layout_document(html: Any, root_box: Any, context: Any, *args: Any, **kwargs: Any) -> Any:
        trees.append(described(root_box))
        return original(html, root_box, context, *args, **kwargs)

    monkeypatch.setattr(document, "layout_document", layout_document)
    memory = builder.typesetter.box_memory
    children = len(memory.children)
    assert children > 10  # main's children but the first: section headings and articles
    articles = sorted((edition / "articles").glob("*.md"))
    middle = middle_article(edition)
    edits = [
        ("a sentence", lambda: edit(middle, "。", "。补充一句。"), children - 1),
        ("a paragraph that moves the pages", lambda: edit(middle, "。", f"。\n\n{ADDED_PARAGRAPH}\n"), children - 1),
        ("nothing", lambda: None, children),
        ("a title (the contents change, no style is kept)", lambda: edit(articles[3], "title: ", "title: 新"), 0),
        ("a sentence again", lambda: edit(middle, "。", "。再补一句。"), children - 1),
    ]
    for label, change, reused in edits:
        change()
        trees.clear()
        builder.build(edition, tmp_path / "warm.pdf")
        Builder.create().build(edition, tmp_path / "cold.pdf")
        assert memory.reused == reused, label
        assert trees[0] == trees[-1], label  # the rebuild's first pass against the cold build's
    rebuilt_as_cold(builder, edition, tmp_path)


def test_a_builder_that_does_not_rebuild_keeps_no_boxes(tmp_path: Path, warm_sample: tuple[Builder, Path]) -> None:
    _, edition = warm_sample
    builder = Builder.create()
    builder.build(edition, tmp_path / "out.pdf")
    assert not builder.typesetter.box_memory.children


def test_the_state_after_a_kept_child_is_the_state_it_left() -> None:
    """Counters, their scopes and the quote depth are set in place: the objects building
    the rest of the tree holds stay the same objects."""
    quote_depth, counters, scopes = [2], {"footnote": [0], "list-item": [3, 1]}, [{"footnote"}, {"list-item"}]
    state = (quote_depth, counters, scopes, [])
    left = _snapshot(([1], {"footnote": [0], "figure": [4]}, [{"footnote", "figure"}], []))
    _restore(state, left)
    assert state[0] is quote_depth and state[1] is counters and state[2] is scopes
    assert _snapshot(state) == left
    assert counters == {"footnote": [0], "figure": [4]} and quote_depth == [1]
