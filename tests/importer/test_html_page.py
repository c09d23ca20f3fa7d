"""Saved pages: which tables are layout, where the title ends, what <br> separates."""

from __future__ import annotations

import pytest
from lxml import html

from pipeline.importer.blocks import Heading, Paragraph
from pipeline.importer.html_page import data_table, is_layout_table, page_text, page_title

LONG = "此次专项检定共检定电子计价秤1260台、燃油加油机318台、血压计540台，对检定不合格的器具当场张贴禁用标志。"


@pytest.mark.parametrize(
    ("table", "layout"),
    [
        ("<table><tr><td>地区</td><td>批次</td></tr><tr><td>南岭市</td><td>48</td></tr></table>", False),
        ("<table><tr><td>合计<br>全省</td><td>48</td></tr><tr><td>南岭</td><td>3</td></tr></table>", False),
        (f"<table><tr><td>导航</td><td>{LONG}<br>{LONG}</td></tr><tr><td>a</td><td>b</td></tr></table>", True),
        ("<table><tr><td>首页 | 机构</td></tr><tr><td>正文</td></tr></table>", True),  # one cell a row
        ("<table><tr><td><table><tr><td>甲</td><td>乙</td></tr></table></td><td>x</td></tr></table>", True),
    ],
)
def test_layout_tables_told_from_data_tables(table: str, layout: bool) -> None:
    element = html.fragment_fromstring(table)
    assert is_layout_table(element) is layout


def test_data_table_spans_and_header_rows() -> None:
    element = html.fragment_fromstring(
        "<table><tr><th rowspan='2'>类别</th><th colspan='2'>生产</th></tr><tr><th>批次</th><th>合格率</th></tr>"
        "<tr><td>电缆</td><td>48</td><td>97.9%</td></tr></table>"
    )
    table = data_table(element)
    assert table is not None
    assert (table.header_rows, table.spans) == (2, {(0, 0): (2, 1), (0, 1): (1, 2)})
    assert table.rows == [["类别", "生产"], ["批次", "合格率"], ["电缆", "48", "97.9%"]]


@pytest.mark.parametrize(
    ("candidate", "blocks", "title"),
    [
        ("我省启动计量惠民活动_工作动态_江南省市场监督管理局", [], "我省启动计量惠民活动"),
        ("分论坛在上海举办 - 中国质量新闻网", [], "分论坛在上海举办"),
        ("分论坛在上海举办-中国质量新闻网", [Heading("分论坛在上海举办")], "分论坛在上海举办"),
        ("标准“种子”播撒非洲大地——中赞农业标准化合作", [], "标准“种子”播撒非洲大地——中赞农业标准化合作"),
        ("短标题_网站", [Paragraph("正文第一段很长很长。")], "短标题_网站"),  # too short to cut
    ],
)
def test_page_title_without_column_and_site(candidate: str, blocks: list, title: str) -> None:
    assert page_title(candidate, blocks) == title


def test_declared_charset_is_used() -> None:
    page = '<html><head><meta charset="gb2312"></head><body>计量</body></html>'.encode("gb2312")
    text, told = page_text(page)
    assert "计量" in text and told == "GB18030（网页声明为 gb2312）"
