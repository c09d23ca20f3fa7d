"""Each cleaning rule of the importer, and what it must leave in place."""

from __future__ import annotations

import datetime as dt

from pipeline.importer.blocks import Paragraph, Picture, Table
from pipeline.importer.clean import PLACEHOLDER_SOURCE, Draft, Hints, clean_article
from pipeline.importer.write import paragraph_markdown, table_markdown
from pipeline.render.markdown import new_parser

TODAY = dt.date(2025, 12, 1)
BODY = "11月3日至5日，市场监管总局联合举办食品安全全链条监管培训班。" * 3


def clean(text: str, **hints: object) -> Draft:
    blocks = [Paragraph(line, number) for number, line in enumerate(text.split("\n"), 1) if line]
    return clean_article(blocks, Hints(**{"today": TODAY, **hints}))  # type: ignore[arg-type]


def texts(draft: Draft) -> list[str]:
    return [block.text for block in draft.blocks if isinstance(block, Paragraph)]


PAGE = f"""\
食品安全全链条监管培训班举办
(cqn.com.cn)食品安全全链条监管培训班举办-中国质量新闻网
国家市场监督管理总局
State Administration for Market Regulation
请输入要查询的内容
首页
机构
新闻
政务
你的位置: 首页 > 新闻 > 总局
食品安全全链条监管培训班举办
发布时间: 2025-11-05 19:59 信息来源: 市场监管总局
{BODY}
第二段正文，与会代表交流发言。
相关链接
- 市场监管总局召开质量发展工作座谈会(2026-01-27)
- 2025年我国新建国家标准物质1139项(2026-01-27)
京公网安备 11010502043458号"""


def test_page_debris_dropped_and_metadata_lifted() -> None:
    draft = clean(PAGE)
    assert draft.title == "食品安全全链条监管培训班举办"
    assert draft.published == "2025-11-05 19:59"
    assert draft.source == "市场监管总局"
    assert texts(draft) == [BODY, "第二段正文，与会代表交流发言。"]
    assert draft.warnings == []


def test_site_name_becomes_the_source_when_no_source_line() -> None:
    draft = clean(
        f"检验检测行动取得成效\n[检验检测行动取得成效-中国质量新闻网](#)\n{BODY}",
        edition=dt.date(2025, 11, 1),
    )
    assert draft.source == "中国质量新闻网"
    assert draft.published == "2025-11-03"  # from “11月3日” with the edition's year
    assert "年份按本期（2025年11月）推断为2025年" in draft.confirm["published"]
    assert texts(draft) == [BODY]


def test_year_of_a_month_day_date_comes_from_the_edition_not_the_clock() -> None:
    lead = "12月10日，省市场监管局召开电梯安全工作推进会，部署岁末年初特种设备安全工作。" * 2
    assert clean(f"标题\n{lead}", edition=dt.date(2025, 12, 1), today=dt.date(2026, 3, 2)).published == "2025-12-10"
    # A December date in a January edition belongs to the year before.
    assert clean(f"标题\n{lead}", edition=dt.date(2026, 1, 1)).published == "2025-12-10"
    # Without an edition: the year of the text's other dates, else the clock (and confirm).
    other = lead + "2024年以来，全省共排查电梯2.1万台。"
    assert clean(f"标题\n{other}").published == "2024-12-10"


def test_missing_date_and_source_are_placeholders_to_confirm() -> None:
    draft = clean("标题\n近日，研究院召开会议。", fallback_date=dt.date(2025, 12, 31))
    assert draft.published == "2025-12-31"  # the edition's last day, never the clock
    assert draft.source == PLACEHOLDER_SOURCE
    assert set(draft.confirm) == {"published", "source"}
    assert PLACEHOLDER_SOURCE in draft.confirm["source"]


def test_source_from_the_address_is_a_guess_to_confirm() -> None:
    draft = clean(f"标题\n{BODY}\n原文链接：https://www.jiangnan.gov.cn/art/2025/11/20/art_1.html")
    assert draft.source == "jiangnan.gov.cn"
    assert "按网址" in draft.confirm["source"]
    assert clean(f"标题\n{BODY}\nhttps://www.samr.gov.cn/xw/zj/art/1.html").source == "市场监管总局"


def test_text_that_only_looks_like_debris_stays() -> None:
    # A short line inside the text, a sentence mentioning 首页 and 来源 without a colon.
    body = ["首页改版后访问量上升。", "研究院", BODY, "数据来源于市场监管总局公开信息。"]
    draft = clean("标题\n" + "\n".join(body))
    assert texts(draft) == body


def test_short_lines_and_meta_like_lines_inside_the_text_stay() -> None:
    names = ["张三", "李四", "王五"]
    notice = ["时间：2025年11月5日上午", "地点：研究院报告厅"]
    filler = [f"第{n}段，{BODY}" for n in "一二三四五六七"]
    body = [filler[0], *names, filler[1], *notice, *filler[2:]]
    draft = clean("标题\n" + "\n".join(body))
    assert texts(draft) == body


def test_page_numbers_copied_from_a_pdf_are_dropped() -> None:
    body = ["第一段，正文内容。", "— 2 —", "第二段，正文内容。", "-3-", "第4页 共5页", "5/5", "第三段。"]
    assert texts(clean("标题\n" + "\n".join(body))) == ["第一段，正文内容。", "第二段，正文内容。", "第三段。"]


def test_repeated_block_kept_once() -> None:
    block = ["●第一条新闻内容。", "●第二条新闻内容。", "●第三条新闻内容。"]
    draft = clean("标题\n" + "\n".join([*block, "中间一段。", *block]))
    assert texts(draft) == [*block, "中间一段。"]


def test_caption_attaches_to_picture_or_leaves_placeholder() -> None:
    blocks = [
        Paragraph("标题"),
        Paragraph(BODY),
        Picture("a.png", "", b"png", ".png"),
        Paragraph("图为专家开展田间指导"),
        Paragraph(BODY),
        Paragraph("图为标准体系发布活动"),
    ]
    draft = clean_article(blocks, Hints(today=TODAY))
    pictures = [block for block in draft.blocks if isinstance(block, Picture)]
    assert [(p.alt, p.data is not None) for p in pictures] == [
        ("图为专家开展田间指导", True),
        ("图为标准体系发布活动", False),
    ]
    assert "图为标准体系发布活动" in draft.confirm["图片"]


def test_roster_becomes_table() -> None:
    draft = clean(
        "名单\n专题发言：\n王志成\t中央宣传部版权管理局局长\n刘 洁\t湖北省黄冈市市长\n"
        "-----\t---------------\n本段不是名单。"
    )
    tables = [block for block in draft.blocks if isinstance(block, Table)]
    assert len(tables) == 1
    assert tables[0].rows == [["王志成", "中央宣传部版权管理局局长"], ["刘洁", "湖北省黄冈市市长"]]
    html = new_parser().render(table_markdown(tables[0]))
    assert "<table>" in html and '<td class="short">刘洁</td>' in html
    assert texts(draft) == ["专题发言：", "本段不是名单。"]


def test_official_numbering_stays_a_paragraph() -> None:
    parser = new_parser()
    for text in [
        "1. 加强组织领导，明确责任分工。",
        "1.加强组织领导。",
        "一、总体要求",
        "（一）指导思想。",
    ]:
        html = parser.render(paragraph_markdown(text))
        assert html.startswith("<p") and "<ol" not in html
        assert text.split("加强")[0].strip() in html
    assert "- 不是列表" in parser.render(paragraph_markdown("- 不是列表"))
    assert "<h" not in parser.render(paragraph_markdown("# 不是标题"))


def test_pdf_line_breaks_rejoined_and_signature_kept() -> None:
    wrapped = [
        line
        for number in "一二三四"
        for line in (
            f"第{number}，加强知识产权保护是建设创新型国家的内在要求，是促进高质量发展",
            "的重要举措。近年来，各级市场监管部门将保护知识产权作为市场监管综合执法",
            "的重要内容。",
        )
    ]
    lines = ["市场监管总局关于", "新时代加强知识产权执法的意见", "一、总体要求", *wrapped]
    lines += ["市场监管总局", "2023年 8月 8日"]
    draft = clean("\n".join(lines))
    assert draft.title == "市场监管总局关于新时代加强知识产权执法的意见"
    paragraphs = texts(draft)
    assert paragraphs[0] == "一、总体要求"
    assert paragraphs[1] == "".join(wrapped[:3])
    assert paragraphs[-2:] == ["市场监管总局", "2023年 8月 8日"]
    assert draft.published == "2023-08-08"
    assert draft.source == "市场监管总局"


def test_address_broken_over_two_lines_is_lifted() -> None:
    draft = clean(
        f"标题\n{BODY}\n出所：国家市場監督管理総局ウェブサイト\n"
        "https://www.samr.gov.cn/zw/art/2023/art_1ac30\n5ef085b4d408.html"
    )
    assert draft.source_url == "https://www.samr.gov.cn/zw/art/2023/art_1ac305ef085b4d408.html"
    assert texts(draft) == [BODY]


def test_two_line_label_after_a_gap_is_a_lost_photo_caption() -> None:
    blocks = [
        Paragraph("标题"),
        Paragraph(BODY),
        Paragraph("上海市人民政府副秘书长庄木弟", gap_before=3),
        Paragraph("出席分论坛并致辞", gap_before=0),
        Paragraph(BODY, gap_before=1),
        # Not captions: a short line after a normal gap, and a sentence after a wide gap.
        Paragraph("一、总体要求", gap_before=1),
        Paragraph("二、主要任务", gap_before=0),
        Paragraph("本次会议取得圆满成功。", gap_before=3),
        Paragraph("与会代表一致表示。", gap_before=0),
    ]
    draft = clean_article(blocks, Hints(today=TODAY))
    pictures = [block for block in draft.blocks if isinstance(block, Picture)]
    assert [p.alt for p in pictures] == ["上海市人民政府副秘书长庄木弟出席分论坛并致辞"]
    assert texts(draft)[-4:] == [
        "一、总体要求",
        "二、主要任务",
        "本次会议取得圆满成功。",
        "与会代表一致表示。",
    ]
