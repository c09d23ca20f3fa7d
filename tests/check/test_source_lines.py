"""Printed text maps back to the line of the file that holds it."""

from __future__ import annotations

import pytest

from pipeline.check.source_lines import SourceText

BODY = """
研究院召开**质量发展**形势分析会，部署下一阶段工作。

| 序号 | 机构名称 |
|---|---|
| 1 | 江南省计量院 |

会议指出，要加快建设 ISO 9001 认证体系，推进“标准化”工作。
（（（（（（
"""


@pytest.fixture(scope="module")
def source() -> SourceText:
    return SourceText.of([("研究院召开质量发展形势分析会", 2), ("市场监管总局", 3)], BODY, 7)


@pytest.mark.parametrize(
    ("printed", "line"),
    [
        ("研究院召开质量发展形势分析会", 2),  # the title, from its front-matter line
        ("市场监管总局", 3),
        ("质量发展形势分析会，部署下一阶", 8),  # Markdown emphasis is not printed
        ("1 江南省计量院", 12),  # a table row without its pipes
        ("认证体系，推进“标准化”工作。", 14),  # spaces between Han and Latin differ
        ("加快建设ISO9001认证体系推进标准化工作多出来的字", 14),  # one half still matches
        ("（（（（", 15),  # no letters: matched by its marks
    ],
)
def test_printed_text_finds_its_line(source: SourceText, printed: str, line: int) -> None:
    assert source.line_of(printed) == line


@pytest.mark.parametrize("printed", ["完全不同的一句话内容", "会议", ""])
def test_text_not_in_the_article_or_too_short_has_no_line(source: SourceText, printed: str) -> None:
    assert source.line_of(printed) is None
