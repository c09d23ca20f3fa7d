"""Page composition measured on the page: what a print editor refuses (issue 10).

Figures, each read back from the PDF's lines and images (`pdfread.lines`,
`pdfread.content`):

* 报尾: the distribution block's last line within one body line of the text
  block's foot, and article text above it on its page (never alone);
* holes: how many lines short of the foot each page but the last ends (the
  largest is reported; more than `HOLE_LINES` is an error);
* titles and contents entries: a last line of one or two characters (runt), a
  break inside a word (the break points of `typeset.titles.break_candidates`);
* stranded lines: a heading, a numbered heading line (一、 （一）), a label
  ending in ：, or a table header row as the last line of a page;
* paragraph runts: a paragraph's last line holding one character (plus
  punctuation); their share of all paragraphs.

Each finding is placed with `Placement.where(page)`, and with the source line
when the printed text is found in one of the article's blocks.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..cjk import CIRCLED_NUMBERS, CLOSING, OPENING
from ..house import HouseNumbers
from ..pdfread.content import DrawnImage
from ..pdfread.lines import Line
from ..typeset.compose import HOLE_LINES
from ..typeset.titles import break_candidates
from .expected import Expected
from .placement import Placement
from .report import CheckReport

RUNT_SHARE = 0.01
TITLE_FONT = "Briefing-Serif-Bold"
# 黑体 headings and bold titles; 楷体 also sets quotations, so a 楷体 line counts as
# a heading only by its numbering (（一）…).
HEADING_FONTS = ("Briefing-Sans", "Briefing-Serif-Bold")
NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
DISTRIBUTION_START = re.compile(r"^[报送发抄][：:]")
DISTRIBUTION_FOOT = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发")
NOT_COUNTED = set(CLOSING + OPENING + "…—·-.,;:!?%\"' ")
LEADER_TAIL = re.compile(r"[.·…\s]{3,}\d*\s*$")


def visible_characters(text: str) -> int:
    """Characters of `text` that are not punctuation or spaces."""
    return sum(1 for character in text if character not in NOT_COUNTED)


@dataclass
class CompositionFigures:
    distribution_gap_lines: float | None = None  # foot of the text block − block's last line
    distribution_alone: bool = False
    largest_hole_lines: float = 0.0
    holes: list[tuple[int, float]] = field(default_factory=list)  # (page, lines) over the limit
    title_runts: list[tuple[int, str]] = field(default_factory=list)
    title_word_breaks: list[tuple[int, str]] = field(default_factory=list)
    stranded: list[tuple[Line, str]] = field(default_factory=list)
    paragraphs: int = 0
    paragraph_runts: list[tuple[Line, str]] = field(default_factory=list)  # (line, with the one before)

    @property
    def runt_share(self) -> float:
        return len(self.paragraph_runts) / self.paragraphs if self.paragraphs else 0.0


@dataclass(frozen=True)
class _Style:
    body: tuple[float, str]
    left: float
    right: float


def _body_style(pages: list[list[Line]]) -> _Style | None:
    weight: Counter[tuple[float, str]] = Counter()
    for line in (line for lines in pages for line in lines):
        weight[(line.size, line.font)] += len(line.text)
    if not weight:
        return None
    body = weight.most_common(1)[0][0]
    body_lines = [line for lines in pages for line in lines if (line.size, line.font) == body]
    # The text block's edges: where most body lines start and end.
    left = Counter(round(line.x0, 1) for line in body_lines).most_common(1)[0][0]
    right = Counter(round(line.x1) for line in body_lines).most_common(1)[0][0]
    return _Style(body, float(left), float(right))


def _is_body(line: Line, style: _Style) -> bool:
    return (line.size, line.font) == style.body and not line.is_leader


def _ends_short(line: Line, style: _Style) -> bool:
    return line.x1 < style.right - 0.5 * line.size


def measure_composition(
    pages: list[list[Line]],
    images: list[DrawnImage],
    house: HouseNumbers,
    first_body_page: int,
) -> CompositionFigures:
    """The composition figures of a PDF's lines (pages before `first_body_page` are the
    masthead and contents: only their contents entries are measured)."""
    figures = CompositionFigures()
    body_pages = [lines if index + 1 >= first_body_page else [] for index, lines in enumerate(pages)]
    style = _body_style(body_pages)
    if style is None:
        return figures
    _contents(pages[: first_body_page - 1], figures)
    _titles(body_pages, house, figures)
    _holes_and_strands(body_pages, images, house, style, figures)
    _distribution(body_pages, house, figures)
    _paragraph_runts(body_pages, style, figures)
    return figures


def _breaks_inside_words(lines: list[str]) -> bool:
    text = "".join(lines)
    allowed = {candidate.offset for candidate in break_candidates(text)}
    offset = 0
    for line in lines[:-1]:
        offset += len(line)
        if offset not in allowed:
            return True
    return False


def _judge_lines(page: int, lines: list[str], figures: CompositionFigures) -> None:
    if len(lines) < 2:
        return
    text = "".join(lines)
    if visible_characters(lines[-1]) <= 2:
        figures.title_runts.append((page, text))
    if _breaks_inside_words(lines):
        figures.title_word_breaks.append((page, "／".join(lines)))


def _titles(pages: list[list[Line]], house: HouseNumbers, figures: CompositionFigures) -> None:
    for lines in pages:
        group: list[Line] = []
        for line in lines:
            if line.font == TITLE_FONT and abs(line.size - house.title_size) < 0.5:
                if group and line.top - group[-1].top > 2 * line.size:
                    _judge_lines(group[0].page, [item.text for item in group], figures)
                    group = []
                group.append(line)
            elif group:
                _judge_lines(group[0].page, [item.text for item in group], figures)
                group = []
        if group:
            _judge_lines(group[0].page, [item.text for item in group], figures)


def _contents(pages: list[list[Line]], figures: CompositionFigures) -> None:
    """Contents entries: from a line starting with ①② to the line with the leader."""
    for lines in pages:
        entry: list[str] = []
        for line in lines:
            text = line.text
            if text[:1] in CIRCLED_NUMBERS:
                entry = [text[1:].strip()]
            elif entry:
                entry.append(text)
            else:
                continue
            if line.is_leader:
                entry[-1] = LEADER_TAIL.sub("", entry[-1]).strip()
                _judge_lines(line.page, entry, figures)
                entry = []


def _content_bottom(lines: list[Line], images: list[DrawnImage]) -> float:
    bottoms = [line.top + line.size for line in lines] + [image.bottom for image in images]
    return max(bottoms, default=0.0)


def _holes_and_strands(
    pages: list[list[Line]], images: list[DrawnImage], house: HouseNumbers, style: _Style,
    figures: CompositionFigures,
) -> None:
    line_height = house.body_line
    half_leading = (line_height - house.body_size) / 2
    numbered = [index for index, lines in enumerate(pages) if lines]
    for index in numbered[:-1]:
        lines = pages[index]
        page_images = [image for image in images if image.page == index + 1]
        short = (house.text_foot - half_leading - _content_bottom(lines, page_images)) / line_height
        figures.largest_hole_lines = max(figures.largest_hole_lines, short)
        if short > HOLE_LINES:
            figures.holes.append((index + 1, short))
        kind = _stranded_kind(lines[-1], style)
        if kind:
            figures.stranded.append((lines[-1], kind))


def _stranded_kind(line: Line, style: _Style) -> str | None:
    """What a page's last line is, if it may not end a page."""
    text = line.text
    short = _ends_short(line, style)
    if NUMBERED_HEADING.match(text) and short and len(text) <= 30 and "。" not in text[:-1]:
        return "编号标题"
    if short and line.font in HEADING_FONTS and line.size >= style.body[0]:
        return "标题"
    if short and text.endswith(("：", ":")):
        return "引出表格或列表的提示语"
    # Table header cells are set in the sans face, smaller than the body.
    caption = line.text.startswith(("图", "来源"))
    if line.font == "Briefing-Sans" and line.size < style.body[0] and not caption:
        return "表头"
    return None


def _distribution(pages: list[list[Line]], house: HouseNumbers, figures: CompositionFigures) -> None:
    for lines in reversed(pages):
        if not lines:
            continue
        starts = [
            index for index, line in enumerate(lines)
            if DISTRIBUTION_START.match(line.text) or DISTRIBUTION_FOOT.search(line.text)
        ]
        if not starts:
            return
        last = lines[-1]
        figures.distribution_gap_lines = (house.text_foot - (last.top + last.size)) / house.body_line
        figures.distribution_alone = starts[0] == 0
        return


def _paragraph_runts(pages: list[list[Line]], style: _Style, figures: CompositionFigures) -> None:
    every = [line for lines in pages for line in lines]
    indent = style.left + 1.5 * style.body[0]
    for index, line in enumerate(every):
        if not _is_body(line, style) or abs(line.x0 - style.left) > 1.0:
            continue  # a paragraph's last line (after its first) starts at the left edge
        following = every[index + 1] if index + 1 < len(every) else None
        ends_paragraph = (
            following is None
            or not _is_body(following, style)
            or following.x0 > indent - 1.0
        )
        previous = every[index - 1] if index else None
        continues = previous is not None and _is_body(previous, style) and not _ends_short(previous, style)
        if not (ends_paragraph and continues and _ends_short(line, style)):
            continue
        figures.paragraphs += 1
        if visible_characters(line.text) <= 1:
            assert previous is not None
            figures.paragraph_runts.append((line, previous.text[-10:] + line.text))


def _line_where(placement: Placement, expected: Expected, page: int, text: str) -> dict[str, object]:
    where = placement.where(page)
    article = next((item for item in expected.articles if item.file == where.get("file")), None)
    if article is not None:
        line = article.line_of(text)
        if line is not None:
            where["line"] = line
    return where


def check_composition(
    pages: list[list[Line]],
    images: list[DrawnImage],
    house: HouseNumbers,
    first_body_page: int,
    placement: Placement,
    expected: Expected,
    report: CheckReport,
) -> CompositionFigures:
    """Add the composition findings to `report`; return the figures."""
    figures = measure_composition(pages, images, house, first_body_page)
    last_page = max((index + 1 for index, lines in enumerate(pages) if lines), default=None)
    if figures.distribution_gap_lines is not None and figures.distribution_gap_lines > 1.0:
        report.error(
            "composition",
            f"报尾没有排在末页底端（离版心下边 {figures.distribution_gap_lines:.1f} 行）",
            hint="用 briefing build 重新生成",
            **placement.where(last_page),
        )
    if figures.distribution_alone:
        report.error(
            "composition", "报尾单独占了一页，没有与最后一篇稿件的结尾同页",
            hint="用 briefing build 重新生成", **placement.where(last_page),
        )
    for page, lines in figures.holes:
        report.error(
            "composition",
            f"本页末尾空了 {lines:.1f} 行（除末页外，页末空白不应超过 {HOLE_LINES:.0f} 行）",
            hint="通常是图片、表格或标题放不下而移到了下一页；可调整稿件顺序或删减文字",
            **placement.where(page),
        )
    for page, text in figures.title_runts:
        report.error("composition", f"标题或目录条目回行后末行只有一两个字：“{text}”",
                     hint="可在标题中两个词组之间加一个空格，指定回行位置", **placement.where(page))
    for page, text in figures.title_word_breaks:
        report.error("composition", f"标题或目录条目在词语中间回行：“{text}”",
                     hint="可在标题中两个词组之间加一个空格，指定回行位置", **placement.where(page))
    for line, kind in figures.stranded:
        report.error("composition", f"{kind}落在页末，下文在下一页：“{line.text[:16]}”",
                     **_line_where(placement, expected, line.page, line.text))
    share = figures.runt_share
    if figures.paragraph_runts and share > RUNT_SHARE:
        report.error(
            "composition",
            f"{len(figures.paragraph_runts)} 个段落的末行只有一个字"
            f"（占 {share:.1%}，应不超过 {RUNT_SHARE:.0%}）",
            **placement.where(figures.paragraph_runts[0][0].page),
        )
    for line, context in figures.paragraph_runts[:5]:
        report.warn("composition", f"段落末行只有一个字：“…{context}”",
                    **_line_where(placement, expected, line.page, context))
    return figures
