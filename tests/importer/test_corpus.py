"""The corpus: one realistic source per situation editors meet, and what its article must say.

The sources in corpus/ are written for these tests (the Word file is made at test
time with python-docx, the GB2312 page is stored as GB2312 bytes). Each test reads
the article file the import wrote and the rendered HTML, as an editor would.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from pipeline.build import Builder, BuildResult
from pipeline.cli import run
from pipeline.edition.load import load_edition
from pipeline.importer.run import ImportReport, import_sources
from tests.support import png_bytes, word_notice_source, word_source, word_training_source

CORPUS = Path(__file__).parent / "corpus"
TODAY = dt.date(2026, 3, 2)  # the clock is months past the editions: it must never be used


@dataclass(frozen=True)
class Imported:
    text: str  # the article file as written
    front: dict[str, object]
    body: str
    report: ImportReport


def _front_and_body(text: str) -> tuple[dict[str, object], str]:
    _, front, body = text.split("---\n", 2)
    return YAML(typ="safe").load(front), body


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Imported]:
    root = tmp_path_factory.mktemp("corpus")
    word = word_source(root / "12-座谈会.docx", png_bytes("blue", (1900, 1200)))
    training = word_training_source(root / "23-培训.docx")
    notice = word_notice_source(root / "28-通知.docx", png_bytes("green", (1900, 1200)))
    sources = [*sorted(CORPUS.iterdir()), word, training, notice]
    imported: dict[str, Imported] = {}
    for source in sources:
        # 08 is a December article: it goes to the December edition.
        edition = root / ("2025-12" if source.name.startswith("08-") else "2025-11")
        report = import_sources([source], edition, section="新闻动态", today=TODAY)
        assert not report.failed, report.failed
        (written,) = report.written
        text = written.read_text("utf-8")
        front, body = _front_and_body(text)
        imported[source.name[:2]] = Imported(text, front, body, report)
    return imported


@pytest.fixture(scope="module")
def built(corpus: dict[str, Imported], builder: Builder) -> BuildResult:
    edition = next(iter(corpus.values())).report.written[0].parent.parent
    return builder.build(edition, edition.parent / "corpus.pdf")


def paragraphs(body: str) -> list[str]:
    return [part.strip() for part in body.split("\n\n") if part.strip()]


def test_corpus_has_a_source_per_situation() -> None:
    assert len(list(CORPUS.iterdir())) + 3 >= 15  # + the Word files made at test time


def test_pasted_subheads_and_the_byline_under_the_title(corpus: dict[str, Imported]) -> None:
    article = corpus["01"]
    assert article.front["source"] == "中国质量报"
    assert article.front["author"] == "林雪"
    assert str(article.front["published"]) == "2025-11-18 09:42"
    assert "## 互认范围持续扩大" in article.body and "## 数据平台投入运行" in article.body
    assert "来源" not in article.body and "confirm" not in article.front


def test_saved_page_strong_subheads_debris_and_remote_picture(corpus: dict[str, Imported]) -> None:
    article = corpus["02"]
    assert "## 一企一策解难题" in article.body and "## 数据赋能促提升" in article.body
    for debris in ("打印本页", "关闭窗口", "扫一扫", "相关链接", "我市召开计量工作会议", "版权所有", "[图片]"):
        assert debris not in article.body, debris
    assert "*［待补图片］图为计量技术人员在园区企业校准压力仪表*" in article.body
    confirm = article.front["confirm"]
    assert "https://www.nanling.gov.cn/images/2025/11/jlfw01.jpg" in confirm["图片"]  # type: ignore[index]
    assert (article.front["source"], str(article.front["published"])) == ("南岭日报", "2025-11-12 08:50")


def test_saved_page_keeps_merged_cells_and_both_header_rows(corpus: dict[str, Imported]) -> None:
    article = corpus["03"]
    assert '<tr><th rowspan="2">产品类别</th><th colspan="2">生产领域</th><th colspan="2">流通领域</th></tr>' in article.body
    assert "<tr><th>批次</th><th>合格率</th><th>批次</th><th>合格率</th></tr>" in article.body
    assert '<td rowspan="2">儿童用品</td>' in article.body
    assert '<td colspan="2">合计41批次，合格率95.1%</td>' in article.body
    # <meta name="ContentSource"> and PubDate, not the page's shortened byline.
    assert article.front["source"] == "江南省市场监督管理局质量监督处"
    assert str(article.front["published"]) == "2025-11-21 15:30"
    assert "## 下一步工作安排" in article.body
    assert not re.search("字号|浏览次数|责任编辑|当前位置|网站首页", article.body)


def test_old_gb2312_table_layout_page(corpus: dict[str, Imported]) -> None:
    article = corpus["04"]
    assert any("GB18030" in line and "gb2312" in line for line in article.report.lines)
    assert "<table" not in article.body and "|" not in article.body
    body = paragraphs(article.body)
    assert len(body) == 4  # the four paragraphs <br> separated stay apart
    assert body[0].startswith("11月初，南岭市计量测试所") and body[-1].endswith("用得放心。")
    assert not re.search("首页|机构设置|您现在的位置|备案号|版权所有|点击数", article.body)
    assert str(article.front["published"]) == "2025-11-06"  # not 2025-01-01
    assert article.front["author"] == "周立"
    assert article.front["source"] == "南岭市计量测试所"
    assert "版权单位" in article.front["confirm"]["source"]  # type: ignore[index]


def test_roster_in_spaces_with_role_labels_and_contributed_source(corpus: dict[str, Imported]) -> None:
    article = corpus["05"]
    assert "<tr><td>主持人</td><td>赵宁</td><td>江南省计量科学研究院副院长</td></tr>" in article.body
    assert "<tr><td>讲话</td><td>王磊</td><td>江南省市场监督管理局计量处处长</td></tr>" in article.body
    assert '<tr><td rowspan="3">授课</td><td>陈思远</td>' in article.body
    assert "<tr><td>刘洁</td><td>南岭市计量测试所所长</td></tr>" in article.body
    assert article.front["source"] == "江南省计量院"
    assert "供稿" not in article.body and "　" not in article.body


def test_dash_line_under_the_title_is_the_subtitle(corpus: dict[str, Imported], built: BuildResult) -> None:
    article = corpus["06"]
    assert article.front["subtitle"] == "——重点检查充电器、蓄电池和整车防火性能"
    assert "——" not in article.body
    assert '<p class="article-subtitle">——重点检查充电器、蓄电池和整车防火性能</p>' in built.rendered.html


def test_forty_row_tab_table_keeps_its_header_row(corpus: dict[str, Imported]) -> None:
    article = corpus["07"]
    lines = article.body.splitlines()
    header = lines.index("| 序号 | 企业名称 | 所在地 | 产品名称 | 抽查批次 | 不合格批次 |")
    assert lines[header + 1] == "|---|---|---|---|---|---|"
    rows = [line for line in lines[header + 2 :] if line.startswith("| ")]
    assert len(rows) == 40 and rows[0].startswith("| 1 | 江南恒达电缆有限公司 |")


def test_month_day_date_takes_the_edition_year_not_the_clock(corpus: dict[str, Imported]) -> None:
    article = corpus["08"]
    assert str(article.front["published"]) == "2025-12-10"  # edition 2025-12; the clock says 2026
    confirm = article.front["confirm"]
    assert "12月10日" in confirm["published"] and "2025年" in confirm["published"]  # type: ignore[index]
    assert article.front["source"] == "来源待核" and "source" in confirm  # type: ignore[operator]


def test_bracketed_source_and_author_line(corpus: dict[str, Imported]) -> None:
    article = corpus["09"]
    assert (article.front["source"], article.front["author"]) == ("江南日报", "周晓梅")
    assert "【来源" not in article.body and "作者" not in article.body
    assert "本期最后一天" in article.front["confirm"]["published"]  # type: ignore[index]
    assert str(article.front["published"]) == "2025-11-30"


def test_open_graph_and_article_meta(corpus: dict[str, Imported]) -> None:
    article = corpus["10"]
    assert article.front["source"] == "江南质量在线"
    assert str(article.front["published"]) == "2025-11-07 14:20"
    assert article.front["author"] == "吴启帆"
    assert article.front["source_url"] == "https://www.jnzl.cn/news/2025/1107/88231.html"
    assert "confirm" not in article.front


def test_normalisation_on_import_and_what_it_leaves(corpus: dict[str, Imported]) -> None:
    article = corpus["11"]
    assert article.front["title"] == "省计量院发布2025年能源计量服务报告"
    body = article.body
    for fixed in (
        "报告显示，2023年—2025年全省",
        "其中电能表配备率达到99.1%；进一步看",
        "报告执笔人说道：“这些数据来自全省1200余家重点用能单位的在线监测。”对监测数据偏差超过1.5～2.0倍的企业，",
        "主持人：省计量院能源计量所所长 何明。",  # a field keeps its separating space, not the padding
        "企业在开展能源计量审查时应当更加重视数据的完整性，",
    ):
        assert fixed in body, fixed
    for kept in (
        "https://www.jiangnan-metrology.cn/report/2025,energy.html",
        "energy.service@jiangnan-metrology.cn",
        "8:30-17:00",
        "0571-88776655",
        "“Energy metering is the basis of energy management, and it matters.”",
        "3.1",
    ):
        assert kept in body, kept
    summary = [line for line in article.report.lines if "规范化" in line]
    assert summary and "半角标点改为全角" in summary[0] and "-v" in summary[0]
    assert not any(":" in line and "→" in line for line in article.report.lines)  # details only with -v
    assert any("→" in line for line in article.report.text(verbose=True) if "规范化" not in line)


def test_word_file(corpus: dict[str, Imported], built: BuildResult) -> None:
    article = corpus["12"]
    assert article.front["title"] == "江南省召开2026年度计量工作要点征求意见座谈会"
    assert article.front["subtitle"] == "——听取各地对明年计量工作的意见建议"
    assert str(article.front["published"]) == "2025-11-24"
    assert "来源" not in article.body  # the 来源/date line is lifted
    body = paragraphs(article.body)
    assert "## 会议听取的主要意见" in body and "## 下一步工作" in body
    assert body[body.index("## 会议听取的主要意见") + 1 :][:5] == [
        "1.加快建设区域计量测试中心，补齐新兴产业计量短板。",
        "2.扩大计量校准结果互认范围，减轻企业负担。",
        "3.加强基层计量人员培训。",
        "（一）推进民生计量专项监督。",
        "（二）开展能源计量审查。",
    ]
    assert re.search(r"!\[图为座谈会现场\]\(images/.+\.png\)", article.body)
    assert '<tr><th rowspan="2">单位类别</th><th colspan="2">参会人数</th></tr>' in article.body
    assert "<tr><th>现场</th><th>线上</th></tr>" in article.body
    assert body[-1] == "注：线上参会人员包括部分重点企业计量负责人。"
    assert '<p class="note">注：线上参会人员' in built.rendered.html


def test_word_bullets_marked_header_row_and_padded_names(corpus: dict[str, Imported]) -> None:
    article = corpus["23"]
    assert (article.front["source"], str(article.front["published"])) == ("东湖市计量检定所", "2025-11-12")
    assert "| 日期 | 内容 | 授课人 |\n|---|---|---|\n| 11月11日 | 不确定度评定 | 陈刚 |" in article.body
    assert "- 统一测量方法\n- 规范原始记录" in article.body
    assert "供稿" not in article.body and "## 培训安排" in article.body


def test_word_headings_numbered_by_numbering_xml_and_a_cell_merged_down(corpus: dict[str, Imported]) -> None:
    article = corpus["28"]
    assert "## 一、活动内容" in article.body and "## 二、工作要求" in article.body
    assert '<tr><td rowspan="2">组织实施</td><td>12月中旬</td></tr>\n<tr><td>12月下旬</td></tr>' in article.body
    assert "<thead>\n<tr><th>阶段</th><th>时间</th></tr>" in article.body
    assert re.search(r"!\[图为企业计量人员培训现场\]\(images/.+\.png\)", article.body)


def test_source_from_the_address_is_confirmed(corpus: dict[str, Imported]) -> None:
    article = corpus["13"]
    assert article.front["source"] == "donghu.gov.cn"
    assert article.front["source_url"] == "https://www.donghu.gov.cn/scjg/2025/11/art_3391.html"
    assert "按网址" in article.front["confirm"]["source"]  # type: ignore[index]
    assert "原文链接" not in article.body


def test_missing_source_is_a_placeholder_the_check_can_find(corpus: dict[str, Imported]) -> None:
    article = corpus["14"]
    assert article.front["source"] == "来源待核"
    assert set(article.front["confirm"]) == {"published", "source"}  # type: ignore[arg-type]
    assert any("来源待核" in line for line in article.report.confirm)


def test_official_document_headings_and_note(corpus: dict[str, Imported], built: BuildResult) -> None:
    article = corpus["15"]
    body = paragraphs(article.body)
    for line in ("一、比对项目", "（一）长度和几何量", "（二）热工和力学", "二、工作要求"):
        assert line in body
    assert body[-2:] == ["江南省市场监督管理局", "2025年11月26日"]
    html = built.rendered.html
    assert '<p class="official-heading level-1">一、比对项目</p>' in html
    assert '<p class="official-heading level-2">（一）长度和几何量</p>' in html
    assert '<p class="note">注：比对实施方案另行印发' in html


def test_captions_without_pictures_leave_placeholders_to_confirm(corpus: dict[str, Imported]) -> None:
    article = corpus["16"]
    assert article.body.count("［待补图片］") == 2
    assert "*［待补图片］图为新实验楼外景*" in article.body and "[图片]" not in article.body
    assert set(article.front["confirm"]) == {"图片1", "图片2"}  # type: ignore[arg-type]


def test_remote_image_becomes_a_placeholder_with_its_address(corpus: dict[str, Imported]) -> None:
    article = corpus["17"]
    assert "*［待补图片］图为救援人员在演练中解救被困乘客*" in article.body
    assert "https://img.jnse.org.cn/2025/11/dtyl.jpg" in article.front["confirm"]["图片"]  # type: ignore[index]
    assert any("dtyl.jpg" in warning for warning in article.report.warnings)
    assert article.front["source"] == "江南省特种设备检验研究院"


def test_roster_on_a_saved_page_lined_up_with_spaces(corpus: dict[str, Imported]) -> None:
    article = corpus["18"]
    assert "## 先进个人" in article.body
    lines = article.body.splitlines()
    start = lines.index("| 姓名 | 单位 |")  # the second column holds units, not titles
    assert lines[start + 2 : start + 6] == [
        "| 周立 | 南岭市计量测试所 |",
        "| 许文静 | 东湖市市场监督管理局计量科 |",
        "| 马骁 | 西山市计量检定测试所 |",
        "| 韩俊峰 | 北塘市计量检测中心 |",
    ]
    assert "表头" in article.front["confirm"]  # type: ignore[operator]  # the header is the importer's


def test_page_title_without_column_and_site_and_h3_subheads(corpus: dict[str, Imported]) -> None:
    article = corpus["20"]
    assert article.front["title"] == "我省启动2026年度“计量惠民”系列活动"  # not “…_工作动态_江南省…”
    assert paragraphs(article.body)[0].startswith("近日，")
    assert "## 免费检定进社区" in article.body and "## 诚信计量树标杆" in article.body  # <h3> → ##
    assert "（省局计量处）" not in article.body and "字体" not in article.body and "打印" not in article.body
    assert str(article.front["published"]) == "2025-11-09 10:12"


def test_byline_with_a_bar_and_a_roster_by_unit(corpus: dict[str, Imported]) -> None:
    article = corpus["21"]
    assert (article.front["source"], str(article.front["published"])) == ("东湖日报", "2025-12-03 08:15")
    assert "<tr><td>市局</td><td>张强</td><td>副局长</td></tr>" in article.body
    assert "责任编辑" not in article.body


def test_lines_separated_by_br_stay_apart_from_the_nav_bar(corpus: dict[str, Imported]) -> None:
    article = corpus["22"]
    body = paragraphs(article.body)
    assert len(body) == 3 and body[0].startswith("截至11月中旬") and body[-1].startswith("下一步")
    assert (article.front["source"], str(article.front["published"])) == ("西山市市场监督管理局", "2025-11-15")
    assert "confirm" not in article.front


def test_traditional_big5_page_is_simplified(corpus: dict[str, Imported]) -> None:
    article = corpus["24"]
    assert any("BIG5" in line for line in article.report.lines)
    assert article.front["title"] == "台湾地区计量标准研讨会举行"
    assert (article.front["source"], str(article.front["published"])) == ("标准检验局", "2025-11-08")
    assert "与会代表表示，将持续加强计量技术合作" in article.body and "發" not in article.body


def test_pasted_wechat_article(corpus: dict[str, Imported]) -> None:
    article = corpus["25"]
    # The account's head line gives the date; “来源｜南岭日报” at the end the source.
    assert (article.front["source"], str(article.front["published"])) == ("南岭日报", "2025-11-20 18:30")
    assert len(paragraphs(article.body)) == 2
    for debris in ("原创", "点击上方", "编辑", "审核", "往期推荐", "点个在看", "我市通过国家计量监督试点验收"):
        assert debris not in article.body, debris


def test_bare_page_that_extraction_would_fuse(corpus: dict[str, Imported]) -> None:
    article = corpus["26"]
    body = paragraphs(article.body)
    assert body[0] == "各设区市市场监督管理局：" and body[-2:] == ["江南省市场监督管理局", "2025年11月15日"]
    assert "| 姓名 | 工作单位 | 专业领域 |" in article.body and "| 王强 | 江南省计量科学研究院 | 长度 |" in article.body
    assert (article.front["source"], str(article.front["published"])) == ("省局计量处", "2025-11-16")


def test_roster_with_the_title_first(corpus: dict[str, Imported]) -> None:
    article = corpus["27"]
    assert "| 职务 | 姓名 |\n|---|---|\n| 所长 | 刘建国 |\n| 副所长 | 陈芳 |" in article.body
    assert "表头" in article.front["confirm"]  # type: ignore[operator]


def test_saved_wechat_page_with_sections_and_a_lazy_picture(corpus: dict[str, Imported]) -> None:
    article = corpus["29"]
    assert (article.front["source"], str(article.front["published"])) == ("南岭市场监管", "2025-11-28 17:45")
    body = paragraphs(article.body)
    assert body[0].startswith("今年以来") and "一、农贸市场公平秤全覆盖" in body
    assert "https://mmbiz.qpic.cn/abc/640" in article.front["confirm"]["图片"]  # type: ignore[index]
    assert "编辑" not in article.body and "来源" not in article.body


def test_notice_copied_from_a_pdf(corpus: dict[str, Imported]) -> None:
    article = corpus["30"]
    assert article.front["title"] == "江南省市场监督管理局关于加强冬季民生计量监督工作的通知"
    body = paragraphs(article.body)
    assert "为保障群众冬季用能用气计量公平，现就加强冬季民生计量监督工作通知如下。" in body  # lines rejoined
    assert "一、突出监督重点" in body and "—" not in article.body  # page numbers gone
    assert body[-2:] == ["江南省市场监督管理局", "2025年11月28日"]
    assert (article.front["source"], str(article.front["published"])) == ("江南省市场监督管理局", "2025-11-28")


def test_word_file_saved_as_a_web_page(corpus: dict[str, Imported]) -> None:
    article = corpus["31"]
    assert article.front["title"] == "关于推荐计量工作先进单位的通知"
    assert "## 一、推荐条件" in article.body  # a bold paragraph
    assert "| 设区市 | 推荐名额 |\n|---|---|\n| 南岭市 | 3 |" in article.body  # cells holding <p> are data
    assert (article.front["source"], str(article.front["published"])) == ("江南省市场监督管理局", "2025-12-01")


def test_ascii_full_stops_in_chinese_text(corpus: dict[str, Imported]) -> None:
    article = corpus["32"]
    assert article.front["title"] == "《南岭市计量发展规划（2026—2030年）》解读"
    assert "“十四五”以来，我市计量工作取得长足进步。新建社会公用计量标准46项，量传溯源能力明显增强。" in article.body
    assert "一、编制背景" in paragraphs(article.body)


def test_three_column_roster_lined_up_with_full_width_spaces(corpus: dict[str, Imported]) -> None:
    article = corpus["33"]
    assert "<tr><td>南岭电缆股份有限公司</td><td>副总经理</td><td>李强</td></tr>" in article.body
    assert "吴刚主持" in article.body and "郑华出席" in article.body  # padding closed up in the text too


def test_chinese_text_with_english_names_and_quotations(corpus: dict[str, Imported]) -> None:
    article = corpus["34"]
    assert article.front["title"] == "国际法制计量组织（OIML）专家来访交流"
    body = article.body
    assert "专家Dr. Anna Schmidt一行访问省计量院，双方就“OIML R 117”等国际建议的实施进行了交流。" in body
    assert 'Dr. Schmidt said: "China has made remarkable progress in legal metrology (especially in smart meters)."' in body
    assert "2026年3月—5月" in body and "30～50人" in body
    assert "https://www.oiml.org/en" in body and "info@oiml.org。" in body


def test_news_agency_copy_with_a_menu_line_and_credits(corpus: dict[str, Imported]) -> None:
    article = corpus["35"]
    assert article.front["title"] == "全国计量器具型式评价技术研讨会在京召开"  # not the menu line
    assert (article.front["source"], article.front["author"]) == ("新华网", "孙明")
    assert str(article.front["published"]) == "2025-11-25 14:08"
    for debris in ("新华网首页", "字体", "纠错", "图片来源", "责任编辑", "相关稿件", "型式批准目录调整", "扫一扫"):
        assert debris not in article.body, debris
    assert len(paragraphs(article.body)) == 2


def test_portal_page_with_a_spaced_menu(corpus: dict[str, Imported]) -> None:
    article = corpus["36"]
    assert (article.front["source"], str(article.front["published"])) == ("市场监管总局网站", "2025-11-04 10:30")
    assert len(paragraphs(article.body)) == 2 and "无障碍" not in article.body and "纠错" not in article.body


def test_meeting_details_under_the_title_stay(corpus: dict[str, Imported]) -> None:
    article = corpus["37"]
    assert paragraphs(article.body)[:3] == ["时间：2025年11月21日", "地点：市政府第三会议室", "主持：副市长林涛"]
    assert "published" in article.front["confirm"]  # type: ignore[operator]  # the meeting's day, not the paper's


def test_unit_and_author_signed_in_brackets_at_the_end(corpus: dict[str, Imported]) -> None:
    article = corpus["38"]
    assert (article.front["source"], article.front["author"]) == ("东湖市市场监督管理局", "张敏")
    assert paragraphs(article.body)[-1].startswith("三是加强社会共治")


def test_a_speech_sent_as_an_attachment(corpus: dict[str, Imported]) -> None:
    article = corpus["39"]
    assert article.front["title"] == "坚持质量第一　推动计量事业高质量发展"  # not “附件2”
    assert article.front["subtitle"] == "——在全省计量工作会议上的讲话"
    assert str(article.front["published"]) == "2025-11-24"  # “（2025年11月24日）” under the title
    assert paragraphs(article.body)[0] == "同志们："


def test_pasted_page_debris_dropped(corpus: dict[str, Imported]) -> None:
    article = corpus["19"]
    assert len(paragraphs(article.body)) == 2
    assert (article.front["source"], str(article.front["published"])) == ("东湖市市场监督管理局", "2025-11-14 16:05")
    assert "confirm" not in article.front


def test_everything_imported_lints_clean_and_builds(corpus: dict[str, Imported], built: BuildResult) -> None:
    editions = {item.report.written[0].parent.parent for item in corpus.values()}
    for edition in editions:
        assert run(["lint", str(edition)]) == 0, edition
        load_edition(edition)  # every file is valid against the format
    printed = subprocess.run(["pdftotext", str(built.output), "-"], capture_output=True, text=True, check=True).stdout
    assert "合计41批次" in printed and "流通领域" in printed and "［待补图片］" in printed
