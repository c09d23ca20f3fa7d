"""`briefing import` and `briefing lint` end to end: files in, edition out, PDF built."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.cli import run
from pipeline.edition.load import load_edition
from pipeline.importer.run import import_sources
from tests.support import MANIFEST, MakeEdition, png_bytes

TODAY = dt.date(2025, 11, 20)
PARAGRAPH = "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。" * 3

PASTED = f"""\
研究院召开质量发展形势分析会
首页
机构
新闻
发布时间: 2025-11-05 19:59 信息来源: 研究院办公室
11月5日,研究院召开质量发展形势分析会(第四季度),共 30 余人参加。{PARAGRAPH}
{PARAGRAPH}
京公网安备 11010502043458号
"""


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(
    ("encoding", "newline", "bom", "told"),
    [
        ("utf-8", "\n", False, "UTF-8"),
        ("utf-8", "\r\n", True, "带 BOM"),
        ("gb18030", "\r\n", False, "GB18030"),
    ],
)
def test_pasted_text_in_any_encoding(
    tmp_path: Path, encoding: str, newline: str, bom: bool, told: str
) -> None:
    source = tmp_path / "pasted.txt"
    data = PASTED.replace("\n", newline).encode(encoding)
    source.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    edition = tmp_path / "2025-11"
    report = import_sources([source], edition, section="新闻动态", today=TODAY)
    assert any(told in line for line in report.lines)
    loaded = load_edition(edition)
    (article,) = loaded.articles
    assert article.front.title == "研究院召开质量发展形势分析会"
    assert article.front.source == "研究院办公室"
    assert article.front.published.display() == "2025年11月5日 19:59"
    assert "京公网安备" not in article.body and "首页" not in article.body
    assert "11月5日，研究院召开质量发展形势分析会（第四季度），共30余人参加。" in article.body
    assert any("半角标点改为全角" in line for line in report.lines)


def test_existing_article_never_overwritten_and_comments_kept(
    tmp_path: Path, make_edition: MakeEdition
) -> None:
    manifest = MANIFEST.replace("sections:", "# 栏目顺序由主编确定\nsections:")
    edition = make_edition(manifest=manifest)
    source = tmp_path / "pasted.txt"
    source.write_text(PASTED, "utf-8")
    first = import_sources([source], edition, section="学者声音", today=TODAY)
    second = import_sources([source], edition, section="学者声音", today=TODAY)
    assert first.written[0] != second.written[0]
    assert (
        second.written[0].name.endswith("-2.md") or second.written[0].stem != first.written[0].stem
    )
    manifest_after = (edition / "issue.yaml").read_text("utf-8")
    assert "# 栏目顺序由主编确定" in manifest_after
    loaded = load_edition(edition)
    assert [a.front.title for a in loaded.articles_in("学者声音")][-2:] == [
        "研究院召开质量发展形势分析会"
    ] * 2
    # A file already at the wanted name is left alone, and the report says so.
    wanted = edition / "articles" / "06-研究院召开质量发展形势分析会.md"
    wanted.write_text("editor's own file", "utf-8")
    third = import_sources([source], edition, section="学者声音", today=TODAY)
    assert wanted.read_text("utf-8") == "editor's own file"
    assert any("未覆盖" in line for line in third.lines)


def test_saved_web_page_with_table_and_images(tmp_path: Path, builder: Builder) -> None:
    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "photo.png").write_bytes(png_bytes())
    rows = "".join(
        f"<tr><td>{name}</td><td>{title}</td></tr>"
        for name, title in [("王志成", "版权管理局局长"), ("宋蓓蓓", "知识产权保护司副司长")]
    )
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>分论坛在上海举办-中国质量新闻网</title></head><body>
<nav><a href="/">首页</a> <a href="/jg">机构</a> <a href="/xw">新闻</a></nav>
<div class="search">请输入要查询的内容</div>
<article><h1>分论坛在上海举办</h1>
<p>发布时间: 2025-11-06 10:00 信息来源: 市场监管总局</p>
<p>11月6日,分论坛在国家会展中心(上海)举办。{PARAGRAPH}</p>
<p><img src="page_files/photo.png" alt=""></p>
<p>图为分论坛现场</p>
<p>{PARAGRAPH}</p>
<table><tr><th>姓名</th><th>职务</th></tr>{rows}</table>
<p>{PARAGRAPH}</p>
<p><img src="https://www.example.cn/remote.jpg" alt="图为远程图片"></p>
</article>
<footer>京公网安备 11010502043458号 版权所有</footer></body></html>"""
    source = tmp_path / "page.html"
    source.write_text(page, "utf-8")
    edition = tmp_path / "2025-11"
    report = import_sources([source], edition, section="新闻动态", today=TODAY)
    assert not report.failed
    (written,) = report.written
    text = written.read_text("utf-8")
    assert "| 王志成 | 版权管理局局长 |" in text
    assert "![图为分论坛现场](images/" in text
    assert any("remote.jpg" in warning for warning in report.warnings)
    assert "published: 2025-11-06 10:00" in text and "source: 市场监管总局" in text
    pdf = tmp_path / "page.pdf"
    result = builder.build(edition, pdf)
    printed = pdf_text(pdf)
    assert "王志成" in printed and "图为分论坛现场" in printed
    assert "京公网安备" not in printed and "请输入要查询的内容" not in printed
    (placed,) = result.rendered.images
    assert placed.path.read_bytes() == (tmp_path / "page_files" / "photo.png").read_bytes()
    assert run(["lint", str(edition)]) == 0


def test_word_file_with_heading_table_and_picture(tmp_path: Path, builder: Builder) -> None:
    import docx
    from docx.shared import Cm

    picture = tmp_path / "photo.png"
    picture.write_bytes(png_bytes("blue"))
    document = docx.Document()
    document.add_paragraph("研究院举办标准化培训", style="Title")
    document.add_paragraph(f"11月10日,研究院举办标准化培训(第一期)。{PARAGRAPH}")
    document.add_heading("培训内容", level=1)
    document.add_paragraph(PARAGRAPH)
    document.add_picture(str(picture), width=Cm(4))
    document.add_paragraph("图为培训现场")
    table = document.add_table(rows=3, cols=2)
    for row, (name, title) in zip(
        table.rows, [("姓名", "职务"), ("张知", "副院长"), ("郭颖", "主任")], strict=True
    ):
        row.cells[0].text, row.cells[1].text = name, title
    document.add_paragraph("1. 加强组织领导。")
    source = tmp_path / "稿件.docx"
    document.save(str(source))

    edition = tmp_path / "2025-11"
    report = import_sources([source], edition, section="新闻动态", today=TODAY)
    (written,) = report.written
    text = written.read_text("utf-8")
    assert "title: 研究院举办标准化培训" in text
    assert "published: 2025-11-10" in text
    assert "# 培训内容" in text
    assert "| 张知 | 副院长 |" in text
    assert "![图为培训现场](images/" in text
    assert "1\\. 加强组织领导。" in text
    assert "11月10日，研究院举办标准化培训（第一期）。" in text
    pdf = tmp_path / "word.pdf"
    result = builder.build(edition, pdf)
    printed = pdf_text(pdf)
    assert "郭颖" in printed and "图为培训现场" in printed and "1. 加强组织领导。" in printed
    (placed,) = result.rendered.images
    assert placed.path.read_bytes() == picture.read_bytes()
    assert "list-number" not in result.rendered.html  # no ordered list was made


def test_unreadable_source_is_reported_not_raised(tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    other = tmp_path / "old.doc"
    other.write_bytes(b"x")
    report = import_sources([broken, other], tmp_path / "2025-11", today=TODAY)
    assert len(report.failed) == 2
    assert run(["import", str(other), "--into", str(tmp_path / "2025-11")]) == 2


def test_lint_reports_and_fixes(
    make_edition: MakeEdition, capsys: pytest.CaptureFixture[str]
) -> None:
    body = (
        "今年前三季度,市场监管总局审结案件 528 件(同比增长)。\n\n"
        "详见 https://www.samr.gov.cn/a,b.html 。\n"
    )
    edition = make_edition({"articles/02-second.md": _article(body)})
    assert run(["lint", str(edition)]) == 1
    out = capsys.readouterr().out
    assert "2025-11/articles/02-second.md:8:7: 半角标点改为全角：“,” → “，”" in out
    assert "共 5 处建议修改" in out
    assert run(["lint", str(edition), "--fix"]) == 0
    assert "已改正 5 处" in capsys.readouterr().out
    fixed = (edition / "articles" / "02-second.md").read_text("utf-8")
    assert "今年前三季度，市场监管总局审结案件528件（同比增长）。" in fixed
    assert "https://www.samr.gov.cn/a,b.html" in fixed
    assert run(["lint", str(edition)]) == 0


def _article(body: str) -> str:
    from tests.support import article_text

    return article_text("标准化试点项目通过验收", body)


def test_report_is_a_summary_with_the_confirmations_last(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "pasted.txt"
    source.write_text(PASTED.replace("发布时间: 2025-11-05 19:59 信息来源: 研究院办公室\n", ""), "utf-8")
    edition = tmp_path / "2025-11"
    assert run(["import", str(source), "--into", str(edition)]) == 0
    captured = capsys.readouterr()
    assert "规范化" in captured.out and "半角标点改为全角" in captured.out
    assert ":6:" not in captured.out  # no line-by-line changes without -v
    err = captured.err.strip().splitlines()
    banner = next(i for i, line in enumerate(err) if line.startswith("===== 请核对"))
    assert all(line.startswith("  ▶ ") for line in err[banner + 1 :])  # the confirmations close the report
    assert any("published" in line for line in err[banner + 1 :])
    assert any("来源待核" in line for line in err[banner + 1 :])
    assert run(["import", "-v", str(source), "--into", str(tmp_path / "2025-12")]) == 0
    assert "半角标点改为全角：“,” → “，”" in capsys.readouterr().out
