"""Paragraphs set apart by what they are: standalone official-numbering headings and notes."""

from __future__ import annotations

import pytest

from pipeline.render.markdown import new_parser


@pytest.mark.parametrize(
    ("paragraph", "opening"),
    [
        ("一、总体要求", '<p class="official-heading level-1">'),
        ("十二、附则", '<p class="official-heading level-1">'),
        ("（二）主要任务", '<p class="official-heading level-2">'),
        ("注：本表数据截至10月底。", '<p class="note">'),
        ("注1：括号内为同比增幅。", '<p class="note">'),
        # Sentences that start with a number stay paragraphs (GB/T 9704 runs them on).
        ("（一）指导思想。坚持问题导向和需求导向。", "<p>"),
        # A numbered line standing alone is a heading even with a closing 。 (the
        # sample notice's research directions): 楷体, kept with what follows.
        ("（一）质量强国建设与质量治理。", '<p class="official-heading level-2">'),
        ("一、总体要求：坚持稳中求进", "<p>"),
        ("1.加强组织领导。", "<p>"),
        ("一家企业的负责人介绍了经验。", "<p>"),
        ("注意事项见附件。", "<p>"),
    ],
)
def test_paragraph_kinds(paragraph: str, opening: str) -> None:
    assert new_parser().render(paragraph + "\n").startswith(opening)


def test_a_heading_written_with_hashes_is_unchanged() -> None:
    assert new_parser().render("## 一、总体要求\n").startswith("<h4")


def test_the_sample_edition_sets_apart_only_its_numbered_lines() -> None:
    """The sample's only set-apart paragraphs are the notice's （一） lines standing alone."""
    from pipeline.edition.load import load_edition
    from pipeline.render.markdown import render_article_body
    from tests.support import SAMPLE_EDITION

    edition = load_edition(SAMPLE_EDITION)
    parser = new_parser()
    for article in edition.articles:
        html = render_article_body(parser, article, edition.root).html
        assert 'class="note"' not in html, article.display_path
        headings = html.count("official-heading")
        expected = 4 if article.display_path.endswith("04-research-program-notice.md") else 0
        assert headings == expected, article.display_path
