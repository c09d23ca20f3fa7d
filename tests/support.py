"""Helpers shared by tests: small images and a Word file made the way editors make them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image


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
