"""The HTML parsed once (pipeline/typeset/parsed.py): after any edit, the tree WeasyPrint
gets is the tree a full parse of the new HTML gives, and only changed articles are parsed."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
import tinyhtml5

from pipeline.build import Builder
from pipeline.typeset.parsed import ParsedMemory, parsing_html_once
from tests.support import SAMPLE_EDITION


def parsed_as_weasyprint_parses(html: str, memory: ParsedMemory) -> ElementTree.Element:
    with parsing_html_once(memory):
        return tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False)


def full_parse(html: str) -> bytes:
    return ElementTree.tostring(tinyhtml5.parse(io.StringIO(html), namespace_html_elements=False))


@pytest.fixture()
def edition(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), "utf-8")


def test_every_edit_gives_the_tree_a_full_parse_gives(edition: Path) -> None:
    builder = Builder.create()
    memory = ParsedMemory()
    articles = sorted((edition / "articles").glob("*.md"))
    manifest = edition / "issue.yaml"
    listed = "      - articles/05-consumer-product-safety.md\n"
    aside = edition.parent / articles[4].name

    def take_out() -> None:
        edit(manifest, listed, "")
        articles[4].rename(aside)

    def bring_back() -> None:
        edit(manifest, "      - articles/06-", listed + "      - articles/06-")
        aside.rename(articles[4])

    edits = [
        ("a sentence", lambda: edit(articles[4], "。", "。补充一句。"), 1),
        ("a paragraph, first article", lambda: edit(articles[0], "。", "。\n\n新的一段。\n"), 1),
        ("two articles", lambda: (edit(articles[2], "。", "。甲。"), edit(articles[8], "。", "。乙。")), 8),
        ("nothing", lambda: None, 0),
        ("an article taken out (the contents change too)", take_out, -1),
        ("it comes back", bring_back, -1),
        ("a title (the contents change too)", lambda: edit(articles[6], "title: ", "title: 新"), -1),
        ("the last article", lambda: edit(articles[-1], "。", "。末。"), 1),
    ]
    memory_tree = parsed_as_weasyprint_parses(builder.render(edition).html, memory)
    assert memory.reparsed == -1  # the first render parses the whole text
    for label, change, reparsed in edits:
        change()
        html = builder.render(edition).html
        tree = parsed_as_weasyprint_parses(html, memory)
        assert ElementTree.tostring(tree) == full_parse(html), label
        assert memory.reparsed == reparsed, label
        assert tree is not memory.tree and tree is not memory_tree  # a copy is handed out
        memory_tree = tree
        tree.find("./body/main").clear()  # what WeasyPrint does to its copy stays there
    html = builder.render(edition).html
    assert ElementTree.tostring(parsed_as_weasyprint_parses(html, memory)) == full_parse(html)


def test_html_of_another_shape_is_parsed_whole_every_time() -> None:
    """A cut the tree does not agree with (a child written on the same line as another)
    is never trusted."""
    memory = ParsedMemory()
    html = ('<html><body><main class="articles">\n  <article class="article"><p>一</p></article>'
            '<article class="article"><p>二</p></article>\n</main></body></html>')
    for text in (html, html.replace("一", "三")):
        tree = parsed_as_weasyprint_parses(text, memory)
        assert ElementTree.tostring(tree) == full_parse(text)
        assert memory.tree is None
