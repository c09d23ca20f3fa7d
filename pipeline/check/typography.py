"""Chinese typography measured on the page: the lines read back from a PDF, judged.

Figures (clreq, issue 6): share of non-final lines of justified paragraphs that end
flush with the right edge of the text block; lines starting or ending with a
prohibited mark (避头尾); the widest gap between two characters of a justified
line; single lines of a paragraph left alone at a page's foot or head; headings
at the foot of a page.

Everything is read back from the PDF (each glyph's box as placed by the content scan,
the same pass the other checks use), so the checks judge what a reader sees,
whichever engine made the file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from ..cjk import LATIN_CLOSING, LATIN_OPENING, NO_LINE_END, NO_LINE_START
from ..house import HouseNumbers
from ..pdfread.lines import Line, lines_of, page_lines, read_chars, without_running_headers
from ..pdfread.outline import first_bookmarked_page, read_outline
from ..pdfread.placed_text import PlacedChar
from .placement import Placement
from .report import CheckReport

FLUSH_TOLERANCE_PT = 0.5

FLUSH_TARGET = 0.99

MAX_GAP_EM = 0.5

PROHIBITED_AT_START = frozenset(NO_LINE_START + LATIN_CLOSING)

PROHIBITED_AT_END = frozenset(NO_LINE_END + LATIN_OPENING)


@dataclass
class TypographyFigures:
    justified_lines: int = 0
    flush_lines: int = 0
    ragged: list[Line] = field(default_factory=list)
    max_gap_em: float = 0.0
    wide_gaps: list[tuple[Line, float]] = field(default_factory=list)
    bad_starts: list[Line] = field(default_factory=list)
    bad_ends: list[Line] = field(default_factory=list)
    orphans: list[Line] = field(default_factory=list)
    widows: list[Line] = field(default_factory=list)
    headings_at_foot: list[Line] = field(default_factory=list)

    @property
    def flush_ratio(self) -> float:
        return self.flush_lines / self.justified_lines if self.justified_lines else 1.0

SHORT_LINE_EM = 2.0


@dataclass(frozen=True)
class _Frame:
    """One page's text block as its body lines show it."""

    style: tuple[float, str]  # the body's (size, font)
    left: float
    right: float
    leading: float  # the house body leading, as a multiple of the size

    @property
    def size(self) -> float:
        return self.style[0]

    @property
    def indent(self) -> float:
        return self.left + 1.5 * self.size

    def is_body(self, line: Line) -> bool:
        return (line.size, line.font) == self.style and not line.is_leader

    def at_left(self, line: Line) -> bool:
        return abs(line.x0 - self.left) < 1.0

    def is_full(self, line: Line) -> bool:
        """Reaches the right edge within a character: the paragraph goes on."""
        return self.right - line.x1 <= self.size


def measure(pages: list[list[Line]]) -> TypographyFigures:
    figures = TypographyFigures()
    leading = HouseNumbers.read().body_leading
    every = [line for lines in pages for line in lines]
    if not every:
        return figures
    style = _body_style(every)
    for line in every:
        if line.text[0] in PROHIBITED_AT_START:
            figures.bad_starts.append(line)
        if line.text[-1] in PROHIBITED_AT_END:
            figures.bad_ends.append(line)
    # The text block's left edge, where most body lines start: a page whose only body
    # line is an indented one (a label above a table) must not take that for the edge.
    starts = Counter(
        round(line.x0, 1) for line in every if (line.size, line.font) == style and not line.is_leader
    )
    block_left = starts.most_common(1)[0][0] if starts else 0.0
    for page_index, lines in enumerate(pages):
        body = [line for line in lines if (line.size, line.font) == style and not line.is_leader]
        if not body:
            continue
        left = min(min(line.x0 for line in body), block_left)
        frame = _Frame(style, left, _right_edge([line.x1 for line in body]), leading)
        _justification(pages, page_index, frame, figures)
        if page_index + 1 < len(pages):
            _page_foot(pages, page_index, frame, figures)
        if page_index > 0:
            _page_head(pages, page_index, frame, figures)
    return figures


Pages = list[list[Line]]


def _justification(pages: Pages, page_index: int, frame: _Frame, figures: TypographyFigures) -> None:
    """Non-final lines of justified paragraphs: flush with the right edge, even gaps."""
    for index, line in enumerate(pages[page_index]):
        if not frame.is_body(line):
            continue
        following = _next_line(pages, page_index, index, frame.leading)
        continues = (
            following is not None
            and (following.size, following.font) == frame.style
            and frame.at_left(following)
            and line.x0 < frame.indent + frame.size  # indented first line or full-width line
            and line.x0 >= frame.left - 1.0
        )
        if not continues:
            continue
        if frame.right - line.x1 > SHORT_LINE_EM * frame.size:
            # Far short of the edge: a line that ends its own block (a 报/送/发 line,
            # a forced break), not a justified line that failed to reach the edge,
            # which falls short by less than a character.
            continue
        figures.justified_lines += 1
        if abs(frame.right - line.x1) <= FLUSH_TOLERANCE_PT:
            figures.flush_lines += 1
        else:
            figures.ragged.append(line)
        widest = max(line.gaps, default=0.0) / line.size
        figures.max_gap_em = max(figures.max_gap_em, widest)
        if widest > MAX_GAP_EM:
            figures.wide_gaps.append((line, widest))


def _page_foot(pages: Pages, page_index: int, frame: _Frame, figures: TypographyFigures) -> None:
    """A paragraph's first line alone at the foot; a heading at the foot."""
    last = pages[page_index][-1]
    following = _next_line(pages, page_index, len(pages[page_index]) - 1, frame.leading)
    # The paragraph goes on overleaf only if its line is full (a one-line paragraph
    # ends short) and body text follows at the left edge (not a heading or a new section).
    carries_on = (
        following is not None
        and _same_style(following, last)
        and frame.at_left(following)
        and frame.is_full(last)
    )
    if frame.is_body(last) and last.x0 >= frame.indent and carries_on:
        figures.orphans.append(last)
    is_heading = (last.size, last.font) != frame.style and not last.is_leader
    # 楷体 sets quotations (and （一） headings, which the composition check judges by
    # their numbering): a quotation ending a page is no heading.
    quotation = "Kai" in last.font
    if is_heading and last.size >= frame.size and following is not None and not quotation:
        figures.headings_at_foot.append(last)


def _page_head(pages: Pages, page_index: int, frame: _Frame, figures: TypographyFigures) -> None:
    """A paragraph's last line alone at the head of the page."""
    lines = pages[page_index]
    first = lines[0]
    if not (frame.is_body(first) and frame.at_left(first)):
        return
    following = lines[1] if len(lines) > 1 else None
    ends_paragraph = following is None or not frame.at_left(following)
    previous = pages[page_index - 1][-1] if pages[page_index - 1] else None
    # Carried over only from a full line: after one that ends short (a paragraph's
    # end), a line at the left edge starts a block of its own (一、 heading in the
    # body face, a caption).
    carried = previous is not None and _same_style(previous, first) and frame.is_full(previous)
    if ends_paragraph and carried:
        figures.widows.append(first)


def _body_style(lines: list[Line]) -> tuple[float, str]:
    """(size, font) of the body text: the commonest style at the house body size.

    By weight among all lines only when none is at that size: a 10,000-row table
    set smaller must not make its cells the "body" that prose is judged by.
    """
    weight: Counter[tuple[float, str]] = Counter()
    for line in lines:
        weight[(line.size, line.font)] += len(line.text)
    wanted = round(HouseNumbers.read().body_size, 1)
    at_body_size = Counter({style: count for style, count in weight.items() if abs(style[0] - wanted) < 0.2})
    return (at_body_size or weight).most_common(1)[0][0]


def _right_edge(ends: list[float]) -> float:
    """The text block's right edge: the middle of the line ends near the rightmost one.

    Not the rightmost end itself, which one slightly overfull line would move.
    """
    rightmost = max(ends)
    near = sorted(end for end in ends if end > rightmost - 2.0)
    return near[len(near) // 2]


def _same_style(one: Line, other: Line) -> bool:
    return (one.size, one.font) == (other.size, other.font)


def _next_line(pages: list[list[Line]], page_index: int, index: int, leading: float) -> Line | None:
    lines = pages[page_index]
    if index + 1 < len(lines):
        line, following = lines[index], lines[index + 1]
        # A blank band of more than two line heights ends the text flow (figure, table).
        if following.top - line.top > 3 * line.size * leading:
            return None
        return following
    for later in pages[page_index + 1 :]:
        if later:
            return later[0]
    return None


def _body_only(pages_chars: list[list[PlacedChar]], first_page: int) -> list[list[PlacedChar]]:
    return [page if number >= first_page else [] for number, page in enumerate(pages_chars, start=1)]


def measure_pdf(pdf_path: Path) -> TypographyFigures:
    """The figures of the article pages (from the first bookmarked page on)."""
    start = first_bookmarked_page(read_outline(PdfReader(pdf_path)))
    return measure(lines_of(_body_only(read_chars(pdf_path), start)))


def _snippet(line: Line, at_end: bool = False) -> str:
    text = line.text
    return f"“…{text[-12:]}”" if at_end else f"“{text[:12]}…”"


def _first(items: Iterable[Line], limit: int = 5) -> list[Line]:
    return list(items)[:limit]


def check_typography(
    pdf_path: Path,
    report: CheckReport,
    chars: list[list[PlacedChar]] | None = None,
    first_page: int | None = None,
    placement: Placement | None = None,
    drawn_lines: list[list[Line]] | None = None,
) -> TypographyFigures:
    """Add the typography findings of `pdf_path` to `report`; return the figures.

    `chars`: the pages' characters if the caller has scanned the content already.
    `first_page`: pages before it (masthead, contents: not prose) are not measured;
    by default the first bookmarked page.
    `placement`: names each finding's article, file and line from the line's text.
    `drawn_lines`: each page's `page_lines` if the caller has them (then `chars` is unused).
    """

    def at(line: Line) -> dict[str, Any]:
        if placement is None:
            return {"page": line.page}
        return placement.where(line.page, text=line.text)

    if first_page is None:
        first_page = first_bookmarked_page(read_outline(PdfReader(pdf_path)))
    start = first_page
    if drawn_lines is None:
        pages_chars = chars if chars is not None else read_chars(pdf_path)
        drawn_lines = [page_lines(page, number) for number, page in enumerate(pages_chars, start=1)]
    # The same as lines_of(_body_only(chars)): a page without characters has no lines.
    body = [lines if number >= start else [] for number, lines in enumerate(drawn_lines, start=1)]
    figures = measure(without_running_headers(body))
    if figures.justified_lines and figures.flush_ratio < FLUSH_TARGET:
        pages = sorted({line.page for line in figures.ragged})
        report.error(
            "typography",
            f"两端对齐的段落中只有 {figures.flush_ratio:.0%} 的行（非末行）右端齐平，"
            f"应不少于 {FLUSH_TARGET:.0%}；不齐的行在第 {'、'.join(map(str, pages[:10]))} 页",
            **(at(figures.ragged[0]) if figures.ragged else {}),
        )
    for line in _first(figures.bad_starts):
        report.error(
            "typography", f"行首出现标点“{line.text[0]}”：{_snippet(line)}", **at(line)
        )
    for line in _first(figures.bad_ends):
        report.error(
            "typography", f"行尾出现标点“{line.text[-1]}”：{_snippet(line, True)}", **at(line)
        )
    for line, widest in figures.wide_gaps[:5]:
        report.error(
            "typography",
            f"字间距过大（{widest:.2f} 个字宽，应不超过 {MAX_GAP_EM}）：{_snippet(line)}",
            **at(line),
        )
    for line in _first(figures.orphans):
        report.error("typography", f"段落首行孤零零留在页末：{_snippet(line)}", **at(line))
    for line in _first(figures.widows):
        report.error("typography", f"段落末行孤零零留在页首：{_snippet(line)}", **at(line))
    for line in _first(figures.headings_at_foot):
        report.error("typography", f"标题落在页末，正文在下一页：{_snippet(line)}", **at(line))
    return figures
