"""Long Latin strings, numbers with units, and the 公文 blocks, as the renderer marks them."""

from __future__ import annotations

from pipeline.cjk import ZERO_WIDTH_SPACE as ZW
from pipeline.render.breaks import special_spans, with_breaks
from pipeline.render.markdown import new_parser


def test_breaks_only_after_allowed_marks_never_in_the_scheme() -> None:
    assert with_breaks("https://a.b.cn/x_y.html?id=1&k=v") == (
        f"https://a.{ZW}b.{ZW}cn/x_{ZW}y.{ZW}html?{ZW}id={ZW}1&{ZW}k={ZW}v"
    )
    assert with_breaks("li.wen@x.cn") == f"li.{ZW}wen@x.{ZW}cn"


def test_spans_of_urls_mails_standards_and_units() -> None:
    text = "见https://x.cn/a，或写信至a-b@x.cn；依据GB/T 9704-2012，温度20 ℃，限量0.01 mg/kg，共514件，1 200 ppm"
    found = {text[span.start : span.end]: (span.kind, span.href) for span in special_spans(text)}
    assert found["https://x.cn/a"] == ("link", "https://x.cn/a")
    assert found["a-b@x.cn"] == ("link", "mailto:a-b@x.cn")
    assert found["GB/T 9704-2012"][0] == "nobr"
    assert found["20 ℃"][0] == found["0.01 mg/kg"][0] == found["514件"][0] == "nobr"
    assert found["1 200 ppm"][0] == "nobr"  # digit groups stay together too


def test_bare_url_becomes_one_link_and_a_link_is_not_linked_twice() -> None:
    parser = new_parser()
    html = parser.render("登录https://x.cn/a_b查看。\n")
    assert html.count("<a ") == 1 and 'href="https://x.cn/a_b"' in html
    linked = parser.render("见[网站](https://x.cn/a_b)。\n")
    assert linked.count("<a ") == 1


def test_official_blocks_get_their_classes() -> None:
    html = new_parser().render(
        "各有关单位：\n\n现将有关事项通知如下。\n\n一、工作目标\n\n（一）总体目标。正文。\n\n"
        "（二）重点领域。\n\n名单如下：\n\n| 序号 | 名称 |\n| --- | --- |\n| 1 | 迁移量测定方法 |\n\n"
        "附件：1.目录\n\n2.报表\n\n某中心\n\n2026年1月9日\n"
    )
    assert '<p class="salutation">各有关单位：' in html
    assert '<p class="official-heading level-1">一、工作目标' in html
    assert '<span class="run-in-2">（一）总体目标。</span>' in html
    assert '<p class="official-heading level-2">（二）重点领域。' in html
    assert '<p class="label">名单如下：' in html
    assert '<td class="short">迁移量测定方法</td>' in html
    assert html.count('class="attachment"') == 2
    assert '<div class="signature">' in html and 'class="signature-date"' in html
