"""The normalisation rules shared by import and lint: what they change and what they leave."""

from __future__ import annotations

import pytest

from pipeline.importer.normalize import is_traditional, normalize_text


def fixed(text: str) -> str:
    return normalize_text(text)[0]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("11月3日至5日,中央党校举办", "11月3日至5日，中央党校举办"),
        ("中央党校(国家行政学院)主办", "中央党校（国家行政学院）主办"),
        ("国际标准化组织(ISO)副主席", "国际标准化组织（ISO）副主席"),
        ("他强调:“始终坚持", "他强调：“始终坚持"),
        ("总结工作;部署任务", "总结工作；部署任务"),
        ("广州市场监管这样拼!", "广州市场监管这样拼！"),
        ("同比增长15.8%,其中", "同比增长15.8%，其中"),
        ("无条件批准 514 件", "无条件批准514件"),
        ("【2025 年 11 月 1 日】", "【2025年11月1日】"),
        ("2023年 8月 8日", "2023年8月8日"),
    ],
)
def test_rules_change_chinese_text(before: str, after: str) -> None:
    assert fixed(before) == after


@pytest.mark.parametrize(
    "untouched",
    [
        "详见 https://www.samr.gov.cn/xw/zj/art/2025/art_1,2.html 全文",
        "增长 3.1 个百分点",  # the spaces go, the decimal point stays
        "Hello, world (really): it works; yes!",
        "title: 食品安全全链条监管培训班举办",  # a YAML key is not Chinese text
        "published: 2025-11-05 19:59",
        "共计1,000元",
        "局长 Jorge Fainstein Day Gastrell 表示",  # Latin next to Chinese keeps its space
        "![图为会场](images/a_(1).png)",
        "增强提案办理实效 凝聚高质量发展合力",  # a space between two Chinese phrases is meant
    ],
)
def test_rules_leave_alone(untouched: str) -> None:
    result = fixed(untouched)
    if "3.1" in untouched:
        assert "3.1" in result and result == "增长3.1个百分点"
    else:
        assert result == untouched


def test_time_and_decimal_survive_inside_chinese() -> None:
    assert fixed("发布时间 19:59,版本 3.1") == "发布时间19:59，版本3.1"


def test_changes_are_reported_with_line_and_column() -> None:
    _, changes = normalize_text("第一行\n今年前三季度,市场监管总局", first_line=10)
    assert len(changes) == 1
    change = changes[0]
    assert (change.line, change.column, change.before, change.after) == (11, 7, ",", "，")
    assert "半角标点" in change.describe()


def test_glued_pinyin_removed_and_traditional_simplified() -> None:
    text = "讓質(zhì)量強(qiáng)國建設(shè)成為全民共同行動"
    assert is_traditional(text)
    result, changes = normalize_text(text)
    assert result == "让质量强国建设成为全民共同行动"
    rules = {change.rule for change in changes}
    assert rules == {"繁体字改为简体", "删除夹注的拼音"}


def test_keep_traditional_flag_and_simplified_text_untouched() -> None:
    text = "讓質量強國建設成為全民共同行動"
    assert normalize_text(text, simplify=False)[0] == text
    simplified = "著作权保护工作取得新进展，市场监管总局发布典型案例"
    assert not is_traditional(simplified)
    assert fixed(simplified) == simplified


def test_fixing_is_idempotent() -> None:
    once = fixed("杭州??低,年 3 月(测试)")
    assert normalize_text(once)[1] == []
