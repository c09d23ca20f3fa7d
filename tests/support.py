"""Helpers the tests share: small editions written on the fly, typeset variants, and
sources made the way editors receive them (small images, a Word file).

Fixtures live in conftest.py; everything importable lives here, so test modules in
every package folder say `from tests.support import ...`.
"""

from __future__ import annotations

import dataclasses
import io
import os
import struct
import subprocess
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter

from pipeline.build import Builder, BuildResult
from pipeline.check.composition import CompositionFigures
from pipeline.check.report import CheckReport, Finding
from pipeline.check.run import check_pdf
from pipeline.check.typography import TypographyFigures
from pipeline.house import REPO_ROOT
from pipeline.pdfread.lines import read_chars
from pipeline.pdfread.outline import read_outline
from pipeline.typeset.typesetter import TypesetPDF

SAMPLE_EDITION = REPO_ROOT / "issues" / "2025-11"
# ../shared/seeds beside the checkout (a worktree under /work/wt/ finds it one level up);
# BRIEFING_SEEDS names it from anywhere else.
SEEDS = Path(
    os.environ.get("BRIEFING_SEEDS")
    or next(
        (
            candidate
            for candidate in (REPO_ROOT.parent / "shared" / "seeds", REPO_ROOT.parent.parent / "shared" / "seeds")
            if candidate.is_dir()
        ),
        REPO_ROOT.parent / "shared" / "seeds",
    )
)

MANIFEST = """\
issuer: 上海交通大学中国质量发展研究院
title: 工作简报
number: 11
cumulative_number: 58
period:
  start: 2025-11-01
  end: 2025-11-30
issue_date: 2025-11-30
editor: 研究院办公室
sections:
  - name: 新闻动态
    articles:
      - articles/01-first.md
      - articles/02-second.md
  - name: 学者声音
    articles:
      - articles/03-third.md
distribution:
  report_to: [学校办公室]
  send_to: [相关学院]
  issue_to: [研究院各部门]
  copies: 40
"""

PARAGRAPH = "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。" * 6


def article_text(title: str, body: str | None = None, extra_front: str = "") -> str:
    body = body if body is not None else f"{PARAGRAPH}\n\n{PARAGRAPH}\n"
    return (
        "---\n"
        f"title: {title}\n"
        "source: 市场监管总局\n"
        "source_url: https://www.samr.gov.cn/xw/art/2025/1.html\n"
        "published: 2025-11-05 19:59\n"
        f"{extra_front}"
        "---\n\n"
        f"{body}"
    )


MakeEdition = Callable[..., Path]


MIXED = (
    "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。"
    "他说：“质量是生命。”会议指出，2025年共完成ISO 9001认证514件（含复审），同比增长12.5%。"
    "与会专家认为，“标准化”工作要与“计量”“认证认可”协同推进，并提出了“三个坚持”的要求。"
    "论坛期间，《质量发展报告（2025）》正式发布，全国制造业产品质量合格率达到93.9%。"
)


def crafted_paragraphs() -> list[str]:
    """Paragraphs that, shifted one character at a time, put ，“”。 at every line edge."""
    return [
        "中" * shift + "，“质量”是“生命”。" + "国" * shift + "。”他说" + "文" * shift
        + "“标准”，" + "字" * 30
        for shift in range(22, 34)
    ]


def build_pdf(builder: Builder, edition: Path, output: Path, *, inter_character: bool) -> Path:
    rendered = builder.render(edition)
    typesetter = dataclasses.replace(builder.typesetter, inter_character=inter_character)
    output.write_bytes(typesetter.typeset(rendered).pdf)
    return output


def edition_with(make_edition: MakeEdition, paragraphs: list[str]) -> Path:
    chunks = [paragraphs[index::3] for index in range(3)]
    names = ["01-first", "02-second", "03-third"]
    return make_edition(
        {
            f"articles/{name}.md": article_text(f"稿件{index + 1}", "\n\n".join(chunk) + "\n")
            for index, (name, chunk) in enumerate(zip(names, chunks, strict=True))
        }
    )


def summary(figures: TypographyFigures) -> str:
    return (
        f"flush {figures.flush_lines}/{figures.justified_lines}, max gap "
        f"{figures.max_gap_em:.2f} em, ragged {[line.text[:12] for line in figures.ragged[:3]]}"
    )


def right_edge_residuals(pdf: Path) -> list[float]:
    """How far short of the page's right-most body line each nearly-full body line ends, in pt."""
    residuals = []
    for page in read_chars(pdf):
        rows: dict[int, list[float]] = {}
        for char in page:
            if abs(char.size - 14) < 0.1:
                rows.setdefault(round(char.baseline * 2), []).append(char.x1)
        ends = [max(row) for row in rows.values() if len(row) > 10]
        if ends:
            residuals += [max(ends) - end for end in ends if max(ends) - end < 1.0]
    return residuals


CORPUS = REPO_ROOT / "tests" / "typeset" / "corpus"


@dataclasses.dataclass(frozen=True)
class PageFigures:
    """What `briefing check` measures of a PDF's composition and typography."""

    composition: CompositionFigures
    typography: TypographyFigures
    pages: int


def page_figures(pdf: Path) -> PageFigures:
    """The composition and typography figures of `pdf`, read back from the PDF."""
    from pypdf import PdfReader

    from pipeline.check.composition import measure_composition
    from pipeline.check.typography import measure
    from pipeline.house import HouseNumbers
    from pipeline.pdfread.content import scan_content
    from pipeline.pdfread.lines import lines_of
    from pipeline.pdfread.outline import first_bookmarked_page, read_outline

    reader = PdfReader(pdf)
    first = first_bookmarked_page(read_outline(reader))
    scan = scan_content(reader)
    lines = lines_of(scan.chars)
    composition = measure_composition(lines, scan.images, HouseNumbers.read(), first)
    typography = measure([page if number >= first else [] for number, page in enumerate(lines, start=1)])
    return PageFigures(composition, typography, len(lines))


def typeset_to(builder: Builder, edition: Path, output: Path, *, compose: bool = True) -> TypesetPDF:
    """Typeset `edition` into `output` (with or without page composition)."""
    typesetter = dataclasses.replace(builder.typesetter, compose=compose, _composer=None)
    typeset = typesetter.typeset(builder.render(edition))
    output.write_bytes(typeset.pdf)
    return typeset

def png_bytes(color: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def _chinese_numbered_list(document: object) -> str:
    """Add a “（一）（二）” list (chineseCounting) to numbering.xml; its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
        '<w:lvlText w:val="（%1）"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>'
    )
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    first_num = numbering.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    first_num.addprevious(abstract)
    numbering.append(num)
    return "90"


def _number_paragraph(paragraph: object, num_id: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def word_source(path: Path, picture: bytes) -> Path:
    """A colleague's .docx: Title, a 来源/date line, bold subheads, numbered lists
    (List Number and a Chinese-numbered one), a merged-cell table, a picture, a 注."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("江南省召开2026年度计量工作要点征求意见座谈会", style="Title")
    document.add_paragraph("——听取各地对明年计量工作的意见建议", style="Subtitle")
    document.add_paragraph("来源　2025年11月24日")
    document.add_paragraph(
        "11月21日，江南省市场监督管理局召开座谈会，就2026年度全省计量工作要点征求各设区市市场监管局、"
        "省级计量技术机构和部分企业代表的意见建议。"
    )
    bold = document.add_paragraph()
    bold.add_run("会议听取的主要意见").bold = True
    for text in ["加快建设区域计量测试中心，补齐新兴产业计量短板。", "扩大计量校准结果互认范围，减轻企业负担。", "加强基层计量人员培训。"]:
        document.add_paragraph(text, style="List Number")
    chinese = _chinese_numbered_list(document)
    for text in ["推进民生计量专项监督。", "开展能源计量审查。"]:
        _number_paragraph(document.add_paragraph(text), chinese)
    document.add_picture(io.BytesIO(picture), width=Cm(5))
    document.add_paragraph("图为座谈会现场")
    table = document.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    cells = [["单位类别", "参会人数", ""], ["", "现场", "线上"], ["设区市市场监管局", "11", "2"], ["计量技术机构", "8", "5"]]
    for row, texts in zip(table.rows, cells, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(0, 0).merge(table.cell(1, 0))  # 单位类别 over both header rows
    table.cell(0, 1).merge(table.cell(0, 2))  # 参会人数 over 现场 and 线上
    table.cell(0, 0).text = "单位类别"
    table.cell(0, 1).text = "参会人数"
    closing = document.add_paragraph()
    closing.add_run("下一步工作").bold = True
    document.add_paragraph("省局将认真梳理各方意见建议，修改完善工作要点，于12月中旬印发实施。")
    document.add_paragraph("注：线上参会人员包括部分重点企业计量负责人。")
    document.save(str(path))
    return path


def word_training_source(path: Path) -> Path:
    """A second .docx: a 日期/来源 line, a Heading 1, a table whose header row is marked
    “repeat as header row” and holds padded names, a bulleted list, a （…供稿） line."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("东湖市计量所开展校准能力提升培训", style="Title")
    document.add_paragraph("2025年11月12日　　来源：东湖市计量检定所")
    document.add_paragraph(
        "11月11日，东湖市计量检定所举办校准能力提升培训，全所40余名技术人员参加。"
        "培训采取理论讲授与实操考核相结合的方式，重点讲解测量不确定度评定方法。"
    )
    document.add_heading("培训安排", level=1)
    table = document.add_table(rows=3, cols=3)
    rows = [["日期", "内容", "授课人"], ["11月11日", "不确定度评定", "陈　刚"], ["11月12日", "校准方法实操", "吴　敏"]]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.rows[0]._tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
    document.add_paragraph("统一测量方法", style="List Bullet")
    document.add_paragraph("规范原始记录", style="List Bullet")
    document.add_paragraph("参训人员普遍反映，培训内容实用，对提升日常校准工作质量很有帮助。")
    document.add_paragraph("（东湖市计量检定所供稿）")
    document.save(str(path))
    return path


def word_notice_source(path: Path, picture: bytes) -> Path:
    """A third .docx: Heading 1 paragraphs numbered 一、二、 through numbering.xml, a
    cell merged down over two rows, a picture whose description is its caption."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Cm

    document = docx.Document()
    document.add_paragraph("关于开展计量服务进企业活动的通知", style="Title")
    document.add_paragraph("各有关单位：")
    document.add_paragraph("为帮助企业提升计量保障能力，决定开展计量服务进企业活动。现将有关事项通知如下：")
    numbering = document.part.numbering_part.element
    numbering.find(qn("w:num")).addprevious(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="77"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="77"><w:abstractNumId w:val="77"/></w:num>'))
    for heading, text in [("活动内容", "走访企业，开展计量器具校准和计量管理诊断。"), ("工作要求", "各单位要高度重视，认真组织实施。")]:
        paragraph = document.add_heading(heading, level=1)
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>')
        )
        document.add_paragraph(text)
    table = document.add_table(rows=4, cols=2)
    rows = [["阶段", "时间"], ["动员部署", "12月上旬"], ["组织实施", "12月中旬"], ["", "12月下旬"]]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    table.cell(2, 0).merge(table.cell(3, 0))
    table.cell(2, 0).text = "组织实施"
    document.add_picture(io.BytesIO(picture), width=Cm(6))
    next(document.paragraphs[-1]._p.iter(qn("wp:docPr"))).set("descr", "图为企业计量人员培训现场")
    document.save(str(path))
    return path


# Broken and hostile files made on purpose, and the real CLI run in this process.

# What a previous good build left: the tests assert it is still byte for byte there.
LAST_PDF = b"%PDF-1.7\n% the last good PDF, which a refused build must leave alone\n%%EOF\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels (a decompression bomb's header), 60 bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    stream = io.BytesIO()
    Image.effect_noise((400, 300), 80).convert("RGB").save(stream, "JPEG", quality=90)
    whole = stream.getvalue()
    return whole[: len(whole) * 6 // 10]


def line_of(path: Path, marker: str) -> int:
    """1-based number of the first line of `path` containing `marker`."""
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def dead_pid() -> int:
    """The id of a process that has just ended."""
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and everything printed, of `briefing ARGV` run in this process."""
    from pipeline.cli import run

    capsys.readouterr()
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# The check's tests: build, check, pick findings, rewrite a PDF, fill an imported edition.

TITLES = ["研究院召开质量发展形势分析会", "标准化试点项目通过验收", "学者谈计量基础设施建设"]
FILES = ["2025-11/articles/01-first.md", "2025-11/articles/02-second.md", "2025-11/articles/03-third.md"]
RARE = "\U0002a6a5"  # 𪚥, CJK Extension B: not in Noto CJK SC
EMOJI = "\U0001f600"  # 😀


def build(builder: Builder, edition: Path) -> BuildResult:
    return builder.build(edition, edition.parent / f"{edition.name}.pdf")


def check(builder: Builder, result: BuildResult, pdf: Path | None = None) -> CheckReport:
    return check_pdf(pdf or result.output, result.expected)


def only(findings: list[Finding], check_name: str) -> list[Finding]:
    return [finding for finding in findings if finding.check == check_name]


def article_pages(pdf: Path) -> dict[str, int]:
    """1-based first page of each article, from the PDF's own outline."""
    return {child.title: child.page for item in read_outline(PdfReader(pdf)) for child in item.children}


def rewrite(source: Path, target: Path, change: Callable[[PdfWriter], None]) -> Path:
    writer = PdfWriter(clone_from=source)
    change(writer)
    writer.write(target)
    return target


def _without_confirm(text: str) -> str:
    """YAML text without its `confirm:` block (the key and the lines indented under it)."""
    kept: list[str] = []
    inside = False
    for line in text.split("\n"):
        if line.startswith("confirm:"):
            inside = True
            continue
        if inside and (line.startswith((" ", "\t")) or not line.strip()) and line.strip() != "---":
            continue
        inside = False
        kept.append(line)
    return "\n".join(kept)


def fill_and_confirm(edition_dir: Path) -> None:
    """Do what the editor does to an imported edition: confirm every guess (delete the
    confirm entries), fill the 报尾, and replace the placeholders."""
    from pipeline.edition.placeholders import IMAGE_PENDING, SOURCE_PENDING

    manifest = edition_dir / "issue.yaml"
    text = _without_confirm(manifest.read_text("utf-8"))
    text = text.replace("  report_to: []", "  report_to: [学校办公室]")
    text = text.replace("  issue_to: []", "  issue_to: [研究院各部门]\n  copies: 40")
    text = text.replace("  send_to: []", "  send_to: [相关学院]")
    manifest.write_text(text, "utf-8")
    for article in sorted((edition_dir / "articles").glob("*.md")):
        text = _without_confirm(article.read_text("utf-8"))
        text = text.replace(SOURCE_PENDING, "研究院综合办公室")
        lines = [line for line in text.split("\n") if IMAGE_PENDING not in line]
        article.write_text("\n".join(lines), "utf-8")


def rebuilt_as_cold(builder: Builder, edition: Path, work: Path) -> None:
    """`builder` builds `edition` again; the bytes must be a fresh builder's cold build's."""
    builder.build(edition, work / "warm.pdf")
    Builder.create().build(edition, work / "cold.pdf")
    assert (work / "warm.pdf").read_bytes() == (work / "cold.pdf").read_bytes()


# A paragraph an editor adds: the pages after it move.
ADDED_PARAGRAPH = "这是编辑新加的一段话，用来核对页面移动之后，记住的行与重新排出的行完全一致。" * 4


def edit(path: Path, old: str, new: str) -> None:
    """An editor's change: the first `old` in the file becomes `new` (it must be there)."""
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def middle_article(edition: Path) -> Path:
    articles = sorted((edition / "articles").glob("*.md"))
    return articles[len(articles) // 2]
