"""The structure pasted text lost: wrapped lines, subheads, rosters, tables, photo captions.

Text copied from a page or a PDF arrives as lines. These rules put back what
the lines were, from their shape alone, never from their wording (rosters and
captions are looked for in pages and Word files too; the rest only in pasted text):

* lines that run to the margin are one paragraph (a PDF's line breaks), and a
  sentence cut by a stray break is joined again;
* a short line standing alone between paragraphs, with no sentence-ending mark,
  is a subhead (the usual form on Chinese news sites);
* lines whose columns are separated by a tab, by two or more spaces or by
  full-width spaces are rows of a roster or table; a role label (“主持人：”)
  at the start of a row becomes a first column merged over the rows it heads;
  a name padded to line up (“王　磊”) is closed up in its cell; the first row
  of a table is its header when it reads like one (labels without figures above
  rows with figures, or the usual header words);
* “图为……” after a picture is its caption; without a picture, or a “[图片]”
  line, or a two-line label after a wide gap, it marks a photo still to supply.
"""

from __future__ import annotations

import unicodedata

import regex

from ..cjk import HAN_SCRIPT as HAN
from .blocks import Block, Heading, Paragraph, Picture, Table

CAPTION = regex.compile(r"^(图为|图：|图:|图片：)")
_IMAGE_LINE = regex.compile(r"^[\[［【(（]?\s*(图片|图像|照片|image)\s*[\]］】)）]?$", regex.IGNORECASE)
_SENTENCE_END = "。！？；：…!?;:"
_NUMERAL = "一二三四五六七八九十"
_OFFICIAL_NUMBER = regex.compile(f"^([{_NUMERAL}]+、|（[{_NUMERAL}]+）|\\d+[.．、]|（\\d+）)")
_COLUMN_GAP = regex.compile(r"\t|[ \u3000\u00a0]{2,}|\u3000")
_PADDED_NAME = regex.compile(f"^{HAN}(?:[ \u3000\u00a0]+{HAN}){{1,3}}$")
_ROLE_LABEL = regex.compile(f"^({HAN}{{2,8}})[:：]\\s*(.+)$")
_LABEL_CELL = regex.compile(f"^({HAN}{{2,8}})[:：]$")
_HEADER_WORDS = regex.compile(
    r"^(序号|编号|姓名|名称|单位|职务|职称|部门|地区|类别|项目|时间|日期|地点|内容|数量|金额|备注|合计|"
    r"批次|合格率|产品|企业|指标|年份|排名|负责人|联系人|电话)"
)
_DIGIT = regex.compile(r"\d")
_NAME = regex.compile(f"^{HAN}{{2,4}}$|^{HAN}+·[{HAN}·]+$")
# The commonest surnames (about nine in ten people carry one): what makes a cell a name.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "令狐", "慕容", "司徒")


def is_name(cell: str) -> bool:
    """“刘建国”, “欧阳明”, “爱德华·夸夸”: a person's name by its surname and length."""
    surname = cell[0] in SURNAMES or cell.startswith(_COMPOUND_SURNAMES)
    return bool(_NAME.match(cell)) and (surname or "·" in cell)


_SUBHEAD_MAX = 40  # display width of a subhead line, at most 20 Han characters


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def rejoin_wrapped(blocks: list[Block]) -> list[Block]:
    """Text copied from a PDF has a break every line; join lines that run to the margin."""
    widths = [display_width(block.text) for block in blocks if isinstance(block, Paragraph)]
    long = sorted(width for width in widths if width >= 20)
    if len(long) < 8:
        return blocks
    full = long[int(len(long) * 0.9)]
    near = sum(1 for width in long if full - 6 <= width <= full + 4)
    if full > 110 or near < 0.4 * len(long):
        return blocks
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            isinstance(block, Paragraph)
            and isinstance(previous, Paragraph)
            and display_width(previous.text) >= full - 6
            and previous.text[-1] not in "。！？：；"
        ):
            joined[-1] = Paragraph(previous.text + block.text.strip(), previous.line, previous.gap_before)
        else:
            joined.append(block)
    return joined


_BROKEN_END = regex.compile(f"{HAN}$")
_BROKEN_START = regex.compile(f"^{HAN}")


def rejoin_broken(blocks: list[Block]) -> list[Block]:
    """“…提升” / “监管能力和水平。”: a sentence cut in two by a stray line break."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            isinstance(block, Paragraph)
            and isinstance(previous, Paragraph)
            and "。" in previous.text
            and _BROKEN_END.search(previous.text)
            and _BROKEN_START.search(block.text)
            and not CAPTION.match(block.text)
            and not is_subhead_shape(block.text)
        ):
            joined[-1] = Paragraph(previous.text + block.text, previous.line, previous.gap_before)
        else:
            joined.append(block)
    return joined


def is_subhead_shape(text: str) -> bool:
    """Short, no sentence-ending mark, not a numbered line, caption or roster row."""
    return (
        0 < display_width(text) <= _SUBHEAD_MAX
        and text[-1] not in _SENTENCE_END + "、，,"
        and not _OFFICIAL_NUMBER.match(text)
        and not CAPTION.match(text)
        and not _COLUMN_GAP.search(text)
        and not _DIGIT.search(text[-1])
        and bool(regex.search(HAN, text))
    )


def _is_body(block: Block | None) -> bool:
    return isinstance(block, Paragraph) and display_width(block.text) > 60 and block.text[-1] in "。！？”）"


def subheads(blocks: list[Block]) -> list[Block]:
    """A short line standing alone between two paragraphs of running text is a subhead."""
    out: list[Block] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        previous = out[-1] if out else None
        if (
            isinstance(block, Paragraph)
            and is_subhead_shape(block.text)
            and _is_body(previous)
            and _is_body(following)
        ):
            out.append(Heading(block.text.strip(), 2))
        else:
            out.append(block)
    return out


def _is_short_label(block: Block | None) -> bool:
    if not isinstance(block, Paragraph):
        return False
    return display_width(block.text) <= 100 and block.text[-1] not in "。！？；"


def _lost_photo_captions(blocks: list[Block]) -> list[Block]:
    """Pasted web text: a wide gap (where the photo was) and then a two-line label
    (“…总干事爱德华·夸夸” / “出席…分论坛并致辞”) is the caption of a lost photo."""
    out: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Paragraph)
            and block.gap_before >= 3
            and isinstance(following, Paragraph)
            and following.gap_before == 0
            and _is_short_label(block)
            and _is_short_label(following)
            and not CAPTION.match(block.text)
        ):
            out.append(Picture("", block.text + following.text))
            index += 2
            continue
        if isinstance(block, Paragraph) and _IMAGE_LINE.match(block.text.strip()):
            out.append(Picture("", ""))  # “[图片]”: where a remote picture was
        else:
            out.append(block)
        index += 1
    return out


def captions(blocks: list[Block]) -> list[Block]:
    """Captions join their picture; a caption without one leaves a picture to supply."""
    out: list[Block] = []
    for block in _lost_photo_captions(blocks):
        if isinstance(block, Paragraph) and CAPTION.match(block.text) and len(block.text) <= 80:
            previous = out[-1] if out else None
            if isinstance(previous, Picture) and not previous.alt.startswith("图为"):
                previous.alt = block.text
                continue
            out.append(Picture("", block.text))
            continue
        out.append(block)
    return out


def close_up(cell: str) -> str:
    """“王　磊” → “王磊”: a name padded to line up with longer ones (also in “王　勇、刘　洁”)."""
    if "、" in cell:
        return "、".join(close_up(part) for part in cell.split("、"))
    stripped = cell.strip()
    return regex.sub(r"[ \u3000\u00a0]+", "", stripped) if _PADDED_NAME.match(stripped) else cell


def roster_cells(text: str) -> list[str] | None:
    """The cells of a line laid out in columns, or None; [] for a dashed rule.

    A role label (“主持人：”) is a cell of its own, kept with its colon."""
    label = _ROLE_LABEL.match(text.strip())
    if label:
        rest = roster_cells(label.group(2))
        if rest or (rest is None and _PADDED_NAME.match(label.group(2).split("  ")[0])):
            return [label.group(1) + "：", *(rest or [label.group(2)])]
        return None
    # With tabs, only tabs separate columns; spaces are then inside cells (“王　勇、刘　洁”).
    separator = "\t" if "\t" in text else _COLUMN_GAP
    parts = [part.strip(" \u3000") for part in regex.split(separator, text.strip(" \u3000\n"))]
    if "\t" in text:
        # A sheet pasted from Excel: an empty cell keeps its column.
        while parts and not parts[-1]:
            parts.pop()
    else:
        parts = [part for part in parts if part]
    if "\t" not in text:
        # Spaces as separators: only short lines without sentences, and a padded
        # name (“王　磊”) is one cell, not two.
        if regex.search(r"[，。；！？]", text) or display_width(text) > 90:
            return None
        merged: list[str] = []
        for part in parts:
            if merged and len(merged[-1]) == 1 and len(part) == 1 and regex.match(HAN, part):
                merged[-1] += part
            else:
                merged.append(part)
        parts = merged
    if len(parts) < 2:
        return None
    if all(set(part) <= set("-—=_") for part in parts):
        return []
    return [close_up(part) for part in parts]


def reads_like_header(rows: list[list[str]]) -> bool:
    """The first row is a header: the usual header words, or labels above rows of figures."""
    return len(rows) >= 2 and _header_like(rows)


def _header_like(rows: list[list[str]]) -> bool:
    first = rows[0]
    if any(_DIGIT.search(cell) for cell in first):
        return False
    # The key column's heading (序号, 姓名, 地区…) or half the row in header words.
    worded = sum(1 for cell in first if _HEADER_WORDS.match(cell))
    if _HEADER_WORDS.fullmatch(first[0]) or worded * 2 >= len(first):
        return True
    with_figures = [row for row in rows[1:] if any(_DIGIT.search(cell) for cell in row)]
    return len(rows) >= 3 and len(with_figures) * 2 >= len(rows) - 1


def _labelled(rows: list[list[str]]) -> Table:
    """Rows with role labels (“主持人：王磊 …”): the label is a first column, merged down."""
    out: list[list[str]] = []
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    head: int | None = None
    for cells in rows:
        label = _LABEL_CELL.match(cells[0])
        if label:
            head = len(out)
            out.append([label.group(1), *cells[1:]])
        elif head is None:
            out.append(["", *cells])
        else:
            out.append(list(cells))
            rowspan = spans.get((head, 0), (1, 1))[0] + 1
            spans[(head, 0)] = (rowspan, 1)
    return Table(out, header=False, header_rows=0, spans=spans)


def _table_of(rows: list[list[str]], from_tabs: bool) -> Table | None:
    if not from_tabs and len(rows) < 2:
        return None  # one space-separated line is a phrase, not a table
    if any(_LABEL_CELL.match(row[0]) for row in rows):
        return _labelled(rows)
    header = reads_like_header(rows)
    return Table(rows, header=header, header_rows=1 if header else 0)


def tidy_cells(blocks: list[Block]) -> list[Block]:
    """A name padded to line up (“陈　刚”) is closed up in any table's cells."""
    for block in blocks:
        if isinstance(block, Table):
            block.rows = [[close_up(cell) for cell in row] for row in block.rows]
    return blocks


def rosters(blocks: list[Block]) -> list[Block]:
    """Runs of column-laid lines become one table each."""
    out: list[Block] = []
    run: list[list[str]] = []
    run_blocks: list[Block] = []
    tabs = False

    def close() -> None:
        nonlocal run, run_blocks, tabs
        table = _table_of(run, tabs) if run else None
        out.extend([table] if table is not None else run_blocks)
        run, run_blocks, tabs = [], [], False

    for block in blocks:
        cells = roster_cells(block.text) if isinstance(block, Paragraph) else None
        if cells == []:
            continue  # the dashed rule under a copied table
        if cells:
            labelled = any(_LABEL_CELL.match(row[0]) for row in [*run, cells])
            if run and len(cells) != len(run[-1]) and not labelled:
                close()
            run.append(cells)
            run_blocks.append(block)
            tabs = tabs or "\t" in block.text  # type: ignore[union-attr]
            continue
        close()
        out.append(block)
    close()
    return out
