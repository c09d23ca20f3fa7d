"""Word list numbering as Word draws it, from numbering.xml."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.importer.word import Numbering, _Level, chinese_number, format_number


@pytest.mark.parametrize(
    ("value", "text"),
    [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一"), (99, "九十九"), (100, "一百"), (105, "一百零五"), (120, "一百二十")],
)
def test_chinese_numbers(value: int, text: str) -> None:
    assert chinese_number(value) == text


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (3, "decimal", "3"),
        (3, "chineseCounting", "三"),
        (3, "chineseCountingThousand", "三"),
        (3, "ideographDigital", "三"),
        (3, "decimalEnclosedCircle", "③"),
        (3, "lowerLetter", "c"),
        (3, "upperLetter", "C"),
        (4, "lowerRoman", "iv"),
        (14, "upperRoman", "XIV"),
    ],
)
def test_number_formats(value: int, kind: str, text: str) -> None:
    assert format_number(value, kind) == text


def test_levels_count_and_restart_as_word_does() -> None:
    numbering = Numbering(levels={"7": {0: _Level(1, "chineseCounting", "%1、"), 1: _Level(1, "chineseCounting", "（%2）"), 2: _Level(1, "decimal", "%3.")}})
    labels = [numbering.label("7", level) for level in (0, 1, 1, 2, 2, 0, 1, 2)]
    assert labels == ["一、", "（一）", "（二）", "1.", "2.", "二、", "（一）", "1."]
    assert numbering.label("8", 0) is None  # a list numbering.xml does not define


def test_a_word_table_has_a_header_only_when_it_reads_like_one(tmp_path: Path) -> None:
    import docx

    from pipeline.importer.word import read_docx

    document = docx.Document()
    for rows in ([["张知", "副院长"], ["郭颖", "主任"]], [["地区", "批次"], ["南岭市", "48"], ["东湖市", "35"]]):
        table = document.add_table(rows=len(rows), cols=2)
        for row, texts in zip(table.rows, rows, strict=True):
            for cell, text in zip(row.cells, texts, strict=True):
                cell.text = text
    path = tmp_path / "tables.docx"
    document.save(str(path))
    names, figures = read_docx(path).blocks
    assert not names.header and figures.header  # type: ignore[union-attr]


def test_bold_by_character_style_is_a_subhead(tmp_path: Path) -> None:
    import docx

    from pipeline.importer.blocks import Heading, Paragraph
    from pipeline.importer.word import read_docx

    document = docx.Document()
    document.add_paragraph().add_run("强化结果运用").style = "Strong"
    mixed = document.add_paragraph()
    mixed.add_run("一是").bold = True
    mixed.add_run("加强组织领导。")
    path = tmp_path / "strong.docx"
    document.save(str(path))
    assert read_docx(path).blocks == [Heading("强化结果运用", 2), Paragraph("一是加强组织领导。")]
