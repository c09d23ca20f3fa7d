"""The normalisation rules shared by import and lint: what they change and what they leave."""

from __future__ import annotations

import pytest

from pipeline.cli import run
from pipeline.importer.normalize import is_traditional, normalize_text
from tests.support import MakeEdition, article_text


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
        # Either side Chinese: a digit, unit or quote on the other side (GB/T 15834).
        ("合格率85.8%;进一步提高", "合格率85.8%；进一步提高"),
        ('他说道:"这些数据很关键。"', "他说道：“这些数据很关键。”"),
        ("他说道:“这些", "他说道：“这些"),
        ("主持人:王磊", "主持人：王磊"),
        ("主持人: 王磊", "主持人：王磊"),
        ("采用AI,提升效率", "采用AI，提升效率"),
        ("(1)加强组织领导", "（1）加强组织领导"),
        ("取得长足进步.新建标准46项.", "取得长足进步。新建标准46项。"),  # a full stop typed as “.”
        ("“质量第一”.下一句", "“质量第一”。下一句"),
        ("检定、校准等等...", "检定、校准等等……"),  # the ellipsis is two “…”
        ("他说…", "他说……"),
        # Quotes: straight to Chinese when Chinese is inside or beside them.
        ("所谓'计量'就是", "所谓“计量”就是"),  # a single level of quotation is “”
        ('他说:"要讲\'诚信\'二字"', "他说：“要讲‘诚信’二字”"),  # ‘’ only inside “”
        ('被称为"Made in China"的', "被称为“Made in China”的"),
        ('双方就 "OIML R 117" 等建议交流。', "双方就“OIML R 117”等建议交流。"),  # Chinese on both sides
        # Full-width digits and letters (GB/T 15835).
        ("２０２５年１１月", "2025年11月"),
        ("ＧＢ标准", "GB标准"),
        # Ranges: 一字线 for years and dates, 浪纹线 for values.
        ("2023年-2025年", "2023年—2025年"),
        ("2023-2025年", "2023—2025年"),
        ("11月3日-5日", "11月3日—5日"),
        ("1.5~2.0倍", "1.5～2.0倍"),
        ("共3~5人", "共3～5人"),
        ("3-5年", "3～5年"),
        ("pH值为7.0~7.5之间", "pH值为7.0～7.5之间"),  # a tilde between numbers is a range
        ("2025年1-10月，全省", "2025年1—10月，全省"),  # months
        ("11月3-5日召开", "11月3—5日召开"),  # days
        # Interpunct look-alikes (U+0387 from seed 003, U+30FB, U+2027, U+2022 between names).
        ("爱德华\u0387夸夸", "爱德华·夸夸"),
        ("爱德华\u30fb夸夸", "爱德华·夸夸"),
        ("爱德华\u2027夸夸", "爱德华·夸夸"),
        ("爱德华\u2022夸夸", "爱德华·夸夸"),
        # Spaces inside Chinese running text, and beside full-width punctuation.
        ("企业应当 更加重视，并保存记录。", "企业应当更加重视，并保存记录。"),
        ("𠀀 𪚥，扩展B区的字。", "𠀀𪚥，扩展B区的字。"),
        ("会议召开。 与会代表", "会议召开。与会代表"),
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
        "出席“保护知识产权 打击侵权假冒国际合作”分论坛，并致辞。",  # inside a quoted name
        "联系人：研究院办公室 李老师，联系电话：021-5555 0101。",  # a labelled field's parts
        "咨询邮箱：energy.service@jiangnan-metrology.cn，欢迎来信",  # e-mail
        "代码 `a,b:c` 原样",  # code
        "时间：2025年11月18日 19:59，地点：报告厅",  # time, and the date–time space
        "热线0571-88776655，标准GB/T 15834-2011，日期2025-11-05。",  # phone, standard, ISO date
        "英文摘要：“Energy metering matters, and it is the basis.”完",  # an English sentence
        "He said \"yes\" (twice): fine.",
        'Dr. Schmidt said: "It matters (a lot)." 她表示同意',  # an English quotation stays English
        "![图为会场（局部）](images/photo.png)",
        "# 插入图片的写法（在正文中单独一段）：![图为……（图片说明）](images/photo.jpg)",
        '<tr><td rowspan="2">王磊</td><td>副司长</td></tr>',  # HTML table syntax
        "版本 v3.1 发布",
        "编号GB 4706.1-2005，第3-5条",  # a standard's year, clause numbers
        "2025-11-05发布",
        "附件：工作要点.pdf，共3.5万字",  # a file name and a decimal are not sentence ends
        "详见 www.samr.gov.cn.",
    ],
)
def test_rules_leave_alone(untouched: str) -> None:
    result = fixed(untouched)
    if untouched == "增长 3.1 个百分点":
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


def test_front_matter_keys_and_quoted_values_are_syntax() -> None:
    text = '---\ntitle: "带#号的标题:一"\nsubtitle: ——重点检查(三类)\nconfirm:  # 说明\n  published: 年份推断(请核对)\n---\n\n正文,好\n'
    result = fixed(text)
    assert 'title: "带#号的标题:一"' in result  # quoted YAML stays as written
    assert "subtitle: ——重点检查（三类）" in result and "  published: 年份推断（请核对）" in result
    assert "confirm:  # 说明" in result and result.endswith("正文，好\n")


def test_lint_fix_leaves_markdown_image_syntax(make_edition: MakeEdition) -> None:
    from pipeline.scaffold import PLACEHOLDER_ARTICLE

    body = "研究院召开座谈会。\n\n![图为座谈会现场](images/a.png)\n\n见下图：![图为……](images/b.png)\n"
    scaffold = PLACEHOLDER_ARTICLE.format(section="新闻动态", date="2025-11-30")
    edition = make_edition({"articles/02-second.md": article_text("标准化试点项目通过验收", body), "articles/03-third.md": scaffold})
    run(["lint", str(edition), "--fix"])
    for name in ("02-second.md", "03-third.md"):
        text = (edition / "articles" / name).read_text("utf-8")
        assert "！[" not in text, name
    assert "![图为……](images/b.png)" in (edition / "articles" / "02-second.md").read_text("utf-8")
    assert "![图为……（图片说明）]" in (edition / "articles" / "03-third.md").read_text("utf-8")
