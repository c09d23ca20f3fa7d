"""Bylines, contributed-by lines and the year of a month-day date: what is read, and what is not."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.importer.lift import YearHint, contributed_source, parse_byline, source_from_url


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("2025年11月18日 09:42　来源：中国质量报　作者：林雪", {"published": "2025-11-18 09:42", "source": "中国质量报", "author": "林雪"}),
        ("发布时间：2025-11-21 来源：省局质量监督处 字号：大 中 小 浏览次数：1326", {"published": "2025-11-21", "source": "省局质量监督处"}),
        ("发布日期：2025年11月06日 作者：周立 点击数：215", {"published": "2025-11-06", "author": "周立"}),
        ("发布时间: 2025-11-05 19:59 信息来源: 研究院办公室", {"published": "2025-11-05 19:59", "source": "研究院办公室"}),
        ("来源　2025年11月24日", {"published": "2025-11-24"}),
        ("【来源：江南日报】", {"source": "江南日报"}),
        ("作者：王芳 李强　来源：中国计量报", {"source": "中国计量报", "author": "王芳 李强"}),
        ("2025.11.18 | 来源: 新华网 【字号 大 中 小】", {"published": "2025-11-18", "source": "新华网"}),
        ("【打印本页】【关闭窗口】", {}),
        ("责任编辑：陈雨", {}),
    ],
)
def test_bylines_in_every_common_form(line: str, fields: dict[str, str]) -> None:
    assert parse_byline(line) == fields


@pytest.mark.parametrize(
    "line",
    [
        "时间：2025年11月5日上午",  # a notice's own time line: more than a byline
        "地点：研究院报告厅",
        "数据来源于市场监管总局的统计。",
        "来源：见附件说明，请各单位核对后报送。",
        "2025年11月30日前报送材料",
        "发布时间：2025-02-30",  # no such day: not read as a date
    ],
)
def test_text_that_only_looks_like_a_byline(line: str) -> None:
    assert parse_byline(line) is None


@pytest.mark.parametrize(
    ("line", "source"),
    [
        ("（江南省计量院供稿）", "江南省计量院"),
        ("(南岭市计量测试所 供稿)", "南岭市计量测试所"),
        ("（来源：省局办公室）", "省局办公室"),
        ("（记者 王芳）", None),
        ("（下转第3版）", None),
    ],
)
def test_contributed_by_line(line: str, source: str | None) -> None:
    assert contributed_source(line) == source


def test_year_hint_prefers_the_edition_and_crosses_the_new_year() -> None:
    assert YearHint(dt.date(2025, 12, 1)).year_for(12)[0] == 2025
    assert YearHint(dt.date(2026, 1, 1)).year_for(12)[0] == 2025
    assert YearHint(dt.date(2026, 1, 1)).year_for(1)[0] == 2026
    assert YearHint(None, (2023, 2024)).year_for(5) == (2024, "正文中的其他日期")
    assert YearHint(None).year_for(5) == (None, "")


def test_source_from_an_address() -> None:
    assert source_from_url("https://www.samr.gov.cn/xw/1.html") == "市场监管总局"
    assert source_from_url("https://www.jiangnan.gov.cn/a.html") == "jiangnan.gov.cn"
    assert source_from_url("https://www.gov.cn/zhengce/1.htm") == "中国政府网"
