"""A Word file (.docx) → blocks, in the document's order.

python-docx gives paragraphs, runs, tables and pictures but not what Word draws
from them, so three things are resolved here:

* List numbers. A numbered paragraph (the List Number style, or direct
  numbering) carries only `numId`/`ilvl`; the number itself comes from
  numbering.xml — the level's start, format (decimal, 一二三, ①②③, letters,
  roman) and text pattern (“%1.”, “（%1）”). Counters run per list and a
  level restarts when a higher level moves on, as Word counts.
* Merged cells. `gridSpan` is a colspan; `vMerge` continues the cell above,
  which becomes a rowspan. Rows marked “repeat as header row” (tblHeader), or
  else the first row and the rows its merged cells reach down to, are the header.
* Subheads. Heading styles give their level; a short paragraph whose every run is
  bold is a subhead too. The Title and Subtitle styles give the title and subtitle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from lxml.etree import _Element as Element

from .blocks import Block, Heading, Paragraph, Picture, SourceDocument, SourceProblem, Table
from .shape import reads_like_header

_SHORT_SUBHEAD = 40
_CHINESE_DIGITS = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]  # fmt: skip


def chinese_number(value: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五."""
    if value < 10:
        return _CHINESE_DIGITS[value]
    if value < 20:
        return "十" + (_CHINESE_DIGITS[value % 10] if value % 10 else "")
    if value < 100:
        return _CHINESE_DIGITS[value // 10] + "十" + (_CHINESE_DIGITS[value % 10] if value % 10 else "")
    rest = value % 100
    tail = "" if not rest else ("零" if rest < 10 else "") + chinese_number(rest)
    return _CHINESE_DIGITS[value // 100] + "百" + tail


def _roman(value: int) -> str:
    out = ""
    for amount, letters in _ROMAN:
        while value >= amount:
            out, value = out + letters, value - amount
    return out


def format_number(value: int, kind: str) -> str:
    """A counter in a numbering format of WordprocessingML (ST_NumberFormat)."""
    if kind.startswith(("chineseCounting", "ideographDigital", "taiwaneseCounting", "chineseLegal")):
        return chinese_number(value)
    if kind.startswith("decimalEnclosedCircle") and 1 <= value <= len(_CIRCLED):
        return _CIRCLED[value - 1]
    if kind in {"lowerLetter", "upperLetter"}:
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if kind == "upperLetter" else letter
    if kind in {"lowerRoman", "upperRoman"}:
        return _roman(value).upper() if kind == "upperRoman" else _roman(value)
    return str(value)


@dataclass
class _Level:
    start: int = 1
    kind: str = "decimal"
    text: str = "%1."


def _value(element: Element, child: str) -> str | None:
    """The w:val of a child element (<w:start w:val="1"/>), None when absent."""
    found = element.find(qn(child))
    return found.get(qn("w:val")) if found is not None else None


def _levels_of(abstract: Element) -> dict[int, _Level]:
    levels = {}
    for lvl in abstract.iter(qn("w:lvl")):
        start, kind, text = _value(lvl, "w:start"), _value(lvl, "w:numFmt"), _value(lvl, "w:lvlText")
        levels[int(lvl.get(qn("w:ilvl")))] = _Level(int(start or 1), kind or "decimal", text or "")
    return levels


@dataclass
class Numbering:
    """numbering.xml read once: levels by numId, and the running counters."""

    levels: dict[str, dict[int, _Level]] = field(default_factory=dict)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    @classmethod
    def of(cls, document: WordDocument) -> Numbering:
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return cls()

        abstract = {a.get(qn("w:abstractNumId")): _levels_of(a) for a in root.iter(qn("w:abstractNum"))}
        numbering = cls()
        for num in root.iter(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else "", {}))
            for override in num.iter(qn("w:lvlOverride")):
                start = override.find(qn("w:startOverride"))
                level = int(override.get(qn("w:ilvl")))
                if start is not None and level in levels:
                    base = levels[level]
                    levels[level] = _Level(int(start.get(qn("w:val"))), base.kind, base.text)
            numbering.levels[num.get(qn("w:numId"))] = levels
        return numbering

    def is_bullet(self, num_id: str, level: int) -> bool:
        level_format = self.levels.get(num_id, {}).get(level)
        return level_format is not None and level_format.kind == "bullet"

    def label(self, num_id: str, level: int) -> str | None:
        """The number Word prints for the next paragraph of this list and level."""
        levels = self.levels.get(num_id)
        if not levels or level not in levels or levels[level].kind in {"bullet", "none"}:
            return None
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, levels[level].start - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        text = levels[level].text
        for shown in range(level, -1, -1):
            if shown in levels:
                value = counters.get(shown, levels[shown].start)
                text = text.replace(f"%{shown + 1}", format_number(value, levels[shown].kind))
        return text


def _num_pr(paragraph: WordParagraph) -> tuple[str, int] | None:
    """(numId, ilvl) from the paragraph, else from its style and the styles it is based on."""
    owners = [paragraph._p]
    style = paragraph.style
    while style is not None:
        owners.append(style.element)
        style = style.base_style
    for owner in owners:
        ppr = owner.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            continue
        num_id, ilvl = num_pr.find(qn("w:numId")), num_pr.find(qn("w:ilvl"))
        if num_id is None:
            return None
        return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
    return None


def _all_bold(paragraph: WordParagraph) -> bool:
    style_bold = bool(paragraph.style is not None and paragraph.style.font.bold)
    runs = [run for run in paragraph.runs if run.text.strip()]

    def bold(run: Run) -> bool:
        if run.bold is not None:
            return bool(run.bold)
        character_style = run.style  # “Strong” and the like
        return bool(character_style is not None and character_style.font.bold) or style_bold

    return bool(runs) and all(bold(run) for run in runs)


def word_table(table: WordTable) -> Table | None:
    rows: list[list[str]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    header_marked = 0
    origin_at: dict[int, tuple[int, int]] = {}  # grid column → (row, position) of its cell
    for tr in table._tbl.iter(qn("w:tr")):
        index, column, cells = len(rows), 0, []
        tr_pr = tr.find(qn("w:trPr"))
        if tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None and header_marked == index:
            header_marked += 1
        for tc in tr.iter(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span_el = tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None
            merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            if merge is not None and merge.get(qn("w:val")) in {None, "continue"} and column in origin_at:
                row, position = origin_at[column]
                rowspan, colspan = spans.get((row, position), (1, span))
                spans[(row, position)] = (rowspan + 1, colspan)
            else:
                lines = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
                text = " ".join(" ".join(lines).split())
                position = len(cells)
                cells.append(text)
                if span > 1:
                    spans[(index, position)] = (1, span)
                for covered in range(column, column + span):
                    origin_at[covered] = (index, position)
            column += span
        rows.append(cells)
    if not any(any(row) for row in rows):
        return None
    reach = max((spans.get((0, position), (1, 1))[0] for position in range(len(rows[0]))), default=1)
    header_rows = header_marked or reach
    # Without a marked header row, a first row that reads like one (or that merged
    # cells reach down from) is the header; a plain list of names has none.
    header = bool(header_marked) or reach > 1 or bool(spans) or reads_like_header(rows)
    return Table(rows, header=header, header_rows=header_rows, spans=spans)


def _pictures(item: WordParagraph, document: WordDocument) -> list[Picture]:
    found = []
    for blip in item._p.iter(qn("a:blip")):
        part = document.part.related_parts.get(blip.get(qn("r:embed")))
        if part is None:
            continue
        doc_pr = next(item._p.iter(qn("wp:docPr")), None)
        alt = (doc_pr.get("descr") or "") if doc_pr is not None else ""
        suffix = Path(str(part.partname)).suffix.lower() or ".png"
        found.append(Picture(str(part.partname), alt, part.blob, suffix))
    return found


def read_docx(path: Path) -> SourceDocument:
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a damaged file
        raise SourceProblem(
            f"无法打开 Word 文件（{type(error).__name__}）：请确认是 .docx 格式"
        ) from None
    numbering = Numbering.of(document)
    blocks: list[Block] = []
    title: str | None = None
    subtitle: str | None = None
    for item in document.iter_inner_content():
        if isinstance(item, WordTable):
            table = word_table(item)
            if table is not None:
                blocks.append(table)
            continue
        blocks += _pictures(item, document)
        # Tabs and full-width spaces line up columns (a roster typed in Word): kept.
        text = re.sub(r"[ \u00a0\r\n]+", " ", item.text).strip(" \u3000\t")
        if not text:
            continue
        style = (item.style.name if item.style is not None else "") or ""
        num_pr = _num_pr(item)
        label = numbering.label(*num_pr) if num_pr else None
        if style == "Title" and title is None:
            title = text
        elif style == "Subtitle" and subtitle is None:
            subtitle = text
        elif style.startswith(("Heading", "标题")):
            digits = "".join(ch for ch in style if ch.isdigit())
            blocks.append(Heading((label or "") + text, int(digits) + 1 if digits else 2))
        elif label is not None:
            blocks.append(Paragraph(label + text))
        elif num_pr and numbering.is_bullet(*num_pr):
            blocks.append(Paragraph(text, bullet=True))
        elif _all_bold(item) and len(text) <= _SHORT_SUBHEAD:
            blocks.append(Heading(text, 2))
        else:
            blocks.append(Paragraph(text))
    # The file's own creation date is the template's, not the article's: not used.
    return SourceDocument(path, blocks, title=title or None, subtitle=subtitle)
