"""The cascade (pipeline/typeset/cascade.py): pseudo-elements' styles made on demand, and
the styles of unchanged articles kept from the last render, are the styles WeasyPrint's
own cascade makes, and the anchors are collected in the same order."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from inspect import signature
from pathlib import Path
from typing import Any

import pytest
from weasyprint import HTML, document
from weasyprint.css import StyleFor, get_all_computed_styles
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.css.targets import TargetCollector

from pipeline.build import Builder
from pipeline.typeset.cascade import cascading
from tests.support import ADDED_PARAGRAPH, SAMPLE_EDITION, edit, middle_article, rebuilt_as_cold

PSEUDO_TYPES = (None, "before", "after", "marker", "first-line", "first-letter", "footnote-call",
                "footnote-marker", "note-call", "note-marker", "note-callback")


def every_style(style_for: Any, root: Any) -> list[tuple[str, str | None, tuple[object, ...] | None]]:
    """Each element's and pseudo-element's computed values, every property read."""
    return [
        (element.tag, pseudo_type,
         None if (style := style_for(element, pseudo_type)) is None
         else tuple(style[name] for name in INITIAL_VALUES))
        for element in root.iter() if isinstance(element.tag, str)
        for pseudo_type in PSEUDO_TYPES
    ]


def anchors(collector: TargetCollector) -> list[str]:
    return list(collector.target_lookup_items)


def test_pseudo_elements_made_on_demand_have_the_styles_made_at_once() -> None:
    html = HTML(string=Builder.create().render(SAMPLE_EDITION).html, base_url=SAMPLE_EDITION.as_uri() + "/")
    at_once = TargetCollector()
    expected = get_all_computed_styles(html, target_collector=at_once)
    on_demand = TargetCollector()
    with cascading():
        lazy = get_all_computed_styles(html, target_collector=on_demand)
    assert type(lazy) is not StyleFor and len(lazy._deferred) > 2000  # most were never made
    assert anchors(on_demand) == anchors(at_once) and len(anchors(at_once)) >= 12
    assert every_style(lazy, html.etree_element) == every_style(expected, html.etree_element)


@contextmanager
def each_cascade_compared() -> Iterator[list[int]]:
    """During builds, each render's cascade compared with WeasyPrint's own on the same tree
    (styles and anchors, read before the box tree is built); yields the renders' count."""
    original = document.get_all_computed_styles
    compared: list[int] = []

    def cascade(html: Any, *args: Any, **kwargs: Any) -> Any:
        style_for = original(html, *args, **kwargs)
        own = TargetCollector()
        expected = StyleFor(html, style_for._sheets, False, style_for.font_config, own)
        collector = signature(original).bind(html, *args, **kwargs).arguments["target_collector"]
        assert anchors(collector) == anchors(own)
        assert every_style(style_for, html.etree_element) == every_style(expected, html.etree_element)
        compared.append(1)
        return style_for

    document.get_all_computed_styles = cascade
    try:
        yield compared
    finally:
        document.get_all_computed_styles = original


def test_unchanged_articles_keep_their_styles(warm_sample: tuple[Builder, Path], tmp_path: Path) -> None:
    builder, edition = warm_sample
    memory = builder.typesetter.style_memory
    children = len(memory.children)
    assert children > 10  # the section headings and articles of <main>, all kept
    articles = sorted((edition / "articles").glob("*.md"))
    middle = middle_article(edition)
    edits = [
        ("a sentence", lambda: edit(middle, "。", "。补充一句。"), children - 1),
        ("a paragraph first, a sentence last",
         lambda: (edit(articles[0], "。", f"。\n\n{ADDED_PARAGRAPH}\n"), edit(articles[-1], "。", "。末。")),
         children - 2),
        ("nothing", lambda: None, children),
        ("a title (the contents change)", lambda: edit(articles[3], "title: ", "title: 新"), 0),
        ("then a sentence again", lambda: edit(middle, "。", "。再补一句。"), children - 1),
    ]
    with each_cascade_compared() as compared:
        for label, change, adopted in edits:
            change()
            builder.build(edition, tmp_path / "warm.pdf")
            assert memory.adopted == adopted, label
            assert len(memory.children) == children, label
    assert len(compared) == len(edits)
    rebuilt_as_cold(builder, edition, tmp_path)  # and the PDF is a cold build's


@pytest.mark.parametrize("kept", [True, False])
def test_a_builder_that_does_not_rebuild_keeps_no_styles(tmp_path: Path, kept: bool) -> None:
    builder = Builder.create()
    builder.typesetter.rebuilds = kept
    builder.build(SAMPLE_EDITION, tmp_path / "out.pdf")
    assert bool(builder.typesetter.style_memory.children) is kept


def test_the_page_types_margin_boxes_are_the_ones_the_cascade_holds(tmp_path: Path) -> None:
    """Our `set_page_type_computed_styles` asks the cascade for a page type's margin boxes
    instead of looking through every page's: the same ones, in the same order."""
    from weasyprint.layout import page

    looked_at: list[tuple[list[str], list[str]]] = []
    ours = page.set_page_type_computed_styles

    @contextmanager
    def comparing() -> Iterator[None]:
        from pipeline.typeset import cascade

        original = cascade.set_page_type_computed_styles

        def compared(page_type: Any, html: Any, style_for: Any) -> None:
            original(page_type, html, style_for)
            everywhere = [pseudo for element, pseudo in style_for.get_cascaded_styles()
                          if pseudo and element == page_type]
            looked_at.append((style_for.page_pseudo_types(page_type), everywhere))

        cascade.set_page_type_computed_styles = compared
        try:
            yield
        finally:
            cascade.set_page_type_computed_styles = original

    with comparing():
        Builder.create().build(SAMPLE_EDITION, tmp_path / "out.pdf")
    assert page.set_page_type_computed_styles is ours  # put back after the render
    assert len(looked_at) >= 23 and all(found == expected for found, expected in looked_at)
    assert any(len(found) >= 2 for found, _ in looked_at)  # running head and folio
