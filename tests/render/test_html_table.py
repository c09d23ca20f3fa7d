"""Tables with merged cells: the sanitised HTML subset in article bodies, built into a real PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.errors import EditionInvalid
from pipeline.render.html_table import sanitise
from pipeline.render.markdown import new_parser
from tests.support import PARAGRAPH, MakeEdition, article_text

MERGED = """\
<table>
<caption>表1 抽查结果</caption>
<thead>
<tr><th rowspan="2">产品类别</th><th colspan="2">生产领域</th></tr>
<tr><th>批次</th><th>合格率</th></tr>
</thead>
<tbody>
<tr><td>电线电缆</td><td>48</td><td>97.9%</td></tr>
<tr><td>儿童用品</td><td colspan="2">合计35批次，“全部合格”</td></tr>
</tbody>
</table>"""


def body_with(table: str) -> str:
    return f"{PARAGRAPH}\n\n{table}\n\n{PARAGRAPH}\n"


def test_merged_cells_and_two_header_rows_print(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> None:
    edition = make_edition({"articles/02-second.md": article_text("标准化试点项目通过验收", body_with(MERGED))})
    result = builder.build(edition, tmp_path / "table.pdf")
    html = result.rendered.html
    # Short cells are marked so they never wrap (render/markdown.py `short`).
    assert '<th rowspan="2" class="short">产品类别</th>' in html
    assert '<th colspan="2" class="short">生产领域</th>' in html
    assert "<caption>表<span" in html  # cell text gets the same Chinese text treatment
    # Cells get the paragraphs' Chinese text treatment: compressed marks, a break before the quote.
    assert '<span class="cjk-halt">，</span>\u200b<span class="cjk-halt">“</span>全部合格”' in html
    printed = subprocess.run(["pdftotext", "-layout", str(result.output), "-"], capture_output=True, text=True, check=True).stdout
    for text in ("产品类别", "生产领域", "合格率", "合计35批次"):
        assert text in printed, text


def test_anything_outside_the_subset_is_an_error_with_its_line(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> None:
    table = MERGED.replace("<td>电线电缆</td>", '<td style="color:red" onclick="steal()">电线电缆</td>').replace(
        "<caption>表1 抽查结果</caption>", "<caption>表1 抽查结果<script>alert(1)</script></caption>"
    )
    edition = make_edition({"articles/02-second.md": article_text("标准化试点项目通过验收", body_with(table))})
    with pytest.raises(EditionInvalid) as caught:
        builder.build(edition, tmp_path / "refused.pdf")
    messages = [str(error) for error in caught.value.errors]
    # Front matter is 6 lines, a blank, the paragraph, a blank: the table starts on line 10.
    assert any(m.startswith("2025-11/articles/02-second.md:11:") and "<script>" in m for m in messages), messages
    assert any(m.startswith("2025-11/articles/02-second.md:17:") and "style" in m for m in messages), messages
    assert any(m.startswith("2025-11/articles/02-second.md:17:") and "onclick" in m for m in messages), messages
    assert not (tmp_path / "refused.pdf").exists()


def test_an_image_in_a_cell_is_vetted_with_its_line(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> None:
    table = MERGED.replace("<td>48</td>", "<td>![图](https://example.cn/a.png)</td>")
    edition = make_edition({"articles/02-second.md": article_text("标准化试点项目通过验收", body_with(table))})
    with pytest.raises(EditionInvalid) as caught:
        builder.build(edition, tmp_path / "image.pdf")
    (error,) = caught.value.errors
    assert (error.line, error.field) == (17, "图片")


def test_sanitiser_keeps_only_the_subset() -> None:
    raw = (
        '<table onmouseover="x()"><tr><td rowspan="2" style="x" class="y">甲<img src=x onerror=alert(1)></td>'
        '<td colspan="0">乙</td><td rowspan="abc"><a href="javascript:x()">丙</a></td></tr></table>'
    )
    clean = sanitise(raw)
    assert clean == '<table><tbody><tr><td rowspan="2">甲</td><td>乙</td><td>丙</td></tr></tbody></table>'


def test_other_raw_html_is_still_shown_as_text() -> None:
    parser = new_parser()
    html = parser.render("<div>这仍是文字</div>\n\n前面有字 <table><tr><td>也不是表格</td></tr></table>\n")
    assert "&lt;div&gt;这仍是文字&lt;/div&gt;" in html
    assert "<table>" not in html and "&lt;table&gt;" in html


def test_an_unclosed_table_is_an_error() -> None:
    env: dict[str, list[tuple[int, str]]] = {}
    new_parser().parse("正文。\n\n<table>\n<tr><td>甲</td></tr>\n", env)
    assert env["table_problems"] == [(2, "HTML 表格缺少结尾的 </table>")]


def test_a_cell_written_over_two_lines() -> None:
    html = new_parser().render("<table>\n<tr><td>电线\n电缆</td><td>ISO\n9001</td></tr>\n</table>\n")
    assert '<td class="short">电线电缆</td>' in html and "ISO 9001" in html
