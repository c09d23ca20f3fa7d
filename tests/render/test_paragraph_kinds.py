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
        ("（一）质量强国建设与质量治理。", "<p>"),
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


def test_the_sample_edition_has_none_of_them() -> None:
    """The sample renders as before these rules: none of its paragraphs is set apart."""
    from pipeline.edition.load import load_edition
    from pipeline.render.markdown import render_article_body
    from tests.support import SAMPLE_EDITION

    edition = load_edition(SAMPLE_EDITION)
    parser = new_parser()
    for article in edition.articles:
        html = render_article_body(parser, article, edition.root).html
        assert "official-heading" not in html and 'class="note"' not in html, article.display_path
