"""Read what editors receive (.txt, .html, .docx) into one list of blocks (`blocks`).

Pasted text is read here, line by line (a line's number and the blank lines
before it are kept: they tell a lost photo's caption and a wrapped line apart);
saved pages and Word files have modules of their own.
"""

from __future__ import annotations

from pathlib import Path

from ..textfile import decode_any
from .blocks import Block, Paragraph, SourceDocument, SourceProblem
from .html_page import read_html
from .word import read_docx


def read_txt(path: Path) -> SourceDocument:
    text, encoding = decode_any(path.read_bytes())
    blocks: list[Block] = []
    gap = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip().lstrip(" \u3000\ufeff")
        if not line:
            gap += 1
            continue
        blocks.append(Paragraph(line, number, gap))
        gap = 0
    return SourceDocument(path, blocks, encoding=encoding)


def read_source(path: Path) -> SourceDocument:
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SourceProblem("找不到这个文件")
    if suffix == ".txt":
        return read_txt(path)
    if suffix in {".html", ".htm"}:
        return read_html(path)
    if suffix == ".docx":
        return read_docx(path)
    raise SourceProblem("只能导入 .txt、.html/.htm、.docx 文件（.doc 请先用 Word 另存为 .docx）")
