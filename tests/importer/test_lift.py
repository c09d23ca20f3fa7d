"""Bylines, contributed-by lines and the year of a month-day date: what is read, and what is not."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.importer.lift import (
    Lifted,
    YearHint,
    contributed_source,
    lift_byline,
    lift_lead,
    lift_signature,
    parse_byline,
    signed_unit,
    source_from_url,
)


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        ("2025年11月18日 09:42　来源：中国质量报　作者：林雪", {"published": "2025-11-18 09:42", "source": "中国质量报", "author": "林雪"}),
        ("发布时间：2025-11-21 来源：省局质量监督处 字号：大 中 小 浏览次数：1326", {"published": "2025-11-21", "source": "省局质量监督处"}),
        ("发布日期：2025年11月06日 作者：周立 点击数：215", {"published": "2025-11-06", "author": "周立"}),
        ("发布时间: 2025-11-05 19:59 信息来源: 研究院办公室", {"published": "2025-11-05 19:59", "source": "研究院办公室"}),
        ("来源　2025年11月24日", {"published": "2025-11-24"}),
        ("【来源：江南日报】", {"source": "江南日报"}),
        ("发布时间：2025年11月18日 星期二", {"published": "2025-11-18"}),
        ("来源：中国质量新闻网 2025-11-18", {"published": "2025-11-18", "source": "中国质量新闻网"}),
        ("2025年11月18日 周二 来源：东湖日报", {"published": "2025-11-18", "source": "东湖日报"}),
        ("发布日期：2025-11-08　资料来源：标准检验局", {"published": "2025-11-08", "source": "标准检验局"}),
        ("作者：王芳 李强　来源：中国计量报", {"source": "中国计量报", "author": "王芳 李强"}),
        ("2025.11.18 | 来源: 新华网 【字号 大 中 小】", {"published": "2025-11-18", "source": "新华网"}),
        ("原创 张三 南岭市场监管 2025年11月20日 18:30 江南", {"published": "2025-11-20 18:30", "site": "南岭市场监管"}),
        ("来源｜南岭日报", {"source": "南岭日报"}),
        ("编辑｜王芳", {}),
        ("时间：2025年11月10日 | 来源：东湖市市场监督管理局 | 浏览：512次", {"published": "2025-11-10", "source": "东湖市市场监督管理局"}),
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
        ("（省局计量处）", "省局计量处"),  # a unit alone in brackets
        ("（记者 王芳）", None),
        ("（下转第3版）", None),
        ("（编辑：市局计量科）", None),  # a byline in brackets, not a source
        ("（东湖市市场监督管理局　张敏）", None),  # a unit and its author: signed_unit
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


@pytest.mark.parametrize(
    ("lead", "source", "author", "published"),
    [
        ("本报讯（记者 王芳 通讯员 李强）11月5日，省市场监管局召开会议。", None, "王芳、李强", "2025-11-05"),
        ("新华社北京11月5日电 记者从市场监管总局获悉，……", "新华社", None, "2025-11-05"),
        ("中国质量新闻网讯（记者 赵明）11月6日，分论坛举办。", "中国质量新闻网", "赵明", "2025-11-06"),
        ("江南日报讯 11月7日，会议召开。", "江南日报", None, "2025-11-07"),
    ],
)
def test_the_lead_names_the_agency_reporters_and_day(lead: str, source: str | None, author: str | None, published: str) -> None:
    lifted = Lifted()
    lift_lead([lead], lifted, YearHint(dt.date(2025, 11, 1)), dt.date(2026, 3, 2))
    assert (lifted.lead_source, lifted.author, lifted.published) == (source, author, published)


def test_an_older_signature_in_chinese_numerals() -> None:
    lifted = Lifted()
    lift_signature(["江南省市场监督管理局", "二〇二五年十一月二十六日"], lifted)
    assert (lifted.published, lifted.signature_source) == ("2025-11-26", "江南省市场监督管理局")
    assert parse_byline("发布日期：二〇二四年十二月十日") == {"published": "2024-12-10"}


def test_lifted_names_drop_roles_and_self_references() -> None:
    lifted = Lifted()
    assert lift_byline("发布时间：2025年11月18日  来源：本站  作者：本报记者 王芳 通讯员 李强", lifted)
    assert (lifted.source, lifted.author, lifted.published) == (None, "王芳、李强", "2025-11-18")


@pytest.mark.parametrize(
    ("line", "signed"),
    [
        ("（东湖市市场监督管理局　张敏）", ("东湖市市场监督管理局", "张敏")),
        ("（南岭日报 记者 王芳 李强）", ("南岭日报", "王芳、李强")),
        ("（记者 王芳）", None),
        ("（江南省计量院供稿）", None),
    ],
)
def test_a_unit_and_its_author_signed_at_the_end(line: str, signed: tuple[str, str] | None) -> None:
    assert signed_unit(line) == signed
