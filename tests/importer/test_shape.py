"""Structure from the shape of pasted lines: subheads, rosters and tables, and what stays a paragraph."""

from __future__ import annotations

import pytest

from pipeline.importer.blocks import Heading, Paragraph, Table
from pipeline.importer.shape import roster_cells, rosters, subheads

BODY = "会议指出，一年来各地围绕量值传递溯源、计量数据共享和计量人才培养开展合作，取得明显成效。"


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("王志成\t中央宣传部版权管理局局长", ["王志成", "中央宣传部版权管理局局长"]),
        ("王　磊  国家市场监督管理总局计量司副司长", ["王磊", "国家市场监督管理总局计量司副司长"]),
        ("王　磊　　国家市场监督管理总局计量司副司长", ["王磊", "国家市场监督管理总局计量司副司长"]),
        ("刘 洁    湖北省黄冈市市长", ["刘洁", "湖北省黄冈市市长"]),
        ("李明　上海市市场监督管理局局长", ["李明", "上海市市场监督管理局局长"]),
        ("王　勇、陈思远、刘　洁\t二等奖", ["王勇、陈思远、刘洁", "二等奖"]),
        ("主持人：赵　宁  省计量院副院长", ["主持人：", "赵宁", "省计量院副院长"]),
        ("南岭市\t\t48", ["南岭市", "", "48"]),  # an empty cell pasted from a sheet keeps its column
        ("-----\t---------", []),
    ],
)
def test_columns_by_tab_two_spaces_or_full_width_space(line: str, cells: list[str]) -> None:
    assert roster_cells(line) == cells


@pytest.mark.parametrize(
    "line",
    [
        "增强提案办理实效 凝聚高质量发展合力",  # one space: a title's two phrases
        "会议强调，要  坚持问题导向。",  # a sentence, however it is spaced
        "主持人：王磊（省局计量处处长）",  # a label with one value: text
        "王磊",
    ],
)
def test_lines_that_are_not_rows(line: str) -> None:
    assert not roster_cells(line)


def test_one_space_separated_line_is_not_a_table_but_two_are() -> None:
    one = rosters([Paragraph(BODY), Paragraph("李明　上海市市场监督管理局局长"), Paragraph(BODY)])
    assert [type(block) for block in one] == [Paragraph, Paragraph, Paragraph]
    two = rosters([Paragraph("李明　上海市局局长"), Paragraph("张华　上海交通大学副校长")])
    assert [type(block) for block in two] == [Table]


def test_header_row_when_it_reads_like_one() -> None:
    (table,) = rosters([Paragraph("地区\t批次\t合格率"), Paragraph("南岭市\t48\t97.9%"), Paragraph("东湖市\t35\t94.3%")])
    assert isinstance(table, Table) and table.header
    (roster,) = rosters([Paragraph("王志成\t局长"), Paragraph("刘洁\t市长")])
    assert isinstance(roster, Table) and not roster.header


def test_role_labels_become_a_merged_first_column() -> None:
    lines = ["主持人：赵　宁  省计量院副院长", "授课：陈思远  高级工程师", "刘　洁  所长", "孙文博  副教授"]
    (table,) = rosters([Paragraph(line) for line in lines])
    assert isinstance(table, Table)
    assert table.rows == [["主持人", "赵宁", "省计量院副院长"], ["授课", "陈思远", "高级工程师"], ["刘洁", "所长"], ["孙文博", "副教授"]]
    assert table.spans == {(1, 0): (3, 1)}


def test_subheads_stand_alone_between_paragraphs() -> None:
    blocks = subheads(
        [Paragraph(BODY), Paragraph("2025年全省计量工作交出亮眼成绩单"), Paragraph(BODY), Paragraph("一、总体要求"), Paragraph(BODY),
         Paragraph("图为会议现场"), Paragraph(BODY), Paragraph("研究院"), Paragraph("2025年11月")]
    )
    assert [type(block) for block in blocks] == [Paragraph, Heading, Paragraph, Paragraph, Paragraph, Paragraph, Paragraph, Paragraph, Paragraph]


@pytest.mark.parametrize(
    "line",
    [
        "会议要求：",  # ends like a sentence (a label introducing what follows)
        "（一）指导思想",  # official numbering: the renderer sets it as a heading
        "各地积极响应，",
        "咨询电话 0571-88776655",  # ends in a figure
    ],
)
def test_short_lines_that_are_not_subheads(line: str) -> None:
    blocks = subheads([Paragraph(BODY), Paragraph(line), Paragraph(BODY)])
    assert isinstance(blocks[1], Paragraph)


def test_a_name_list_gets_a_header_named_from_its_cells() -> None:
    from pipeline.importer.write import roster_header

    def header(rows: list[list[str]]) -> list[str] | None:
        return roster_header(Table(rows, header=False, header_rows=0))

    assert header([["王志成", "版权管理局局长"], ["刘洁", "黄冈市市长"]]) == ["姓名", "职务"]
    assert header([["周立", "南岭市计量测试所"], ["许文静", "东湖市计量科"]]) == ["姓名", "单位"]
    assert header([["周立", "南岭市计量测试所所长"], ["许文静", "东湖市计量科"]]) == ["姓名", "单位及职务"]
    assert header([["所长", "刘建国"], ["副所长", "陈芳"], ["总工程师", "周洁"]]) == ["职务", "姓名"]
    assert header([["上午", "开幕式"], ["下午", "分组讨论"]]) is None  # not names: no header made up
