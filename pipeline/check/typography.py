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

from pypdf import PdfReader

from ..cjk import LATIN_CLOSING, LATIN_OPENING, NO_LINE_END, NO_LINE_START
from ..house import HouseNumbers
from ..pdfread.lines import Line, lines_of, read_chars
from ..pdfread.outline import first_bookmarked_page, read_outline
from ..pdfread.placed_text import PlacedChar
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


def measure(pages: list[list[Line]]) -> TypographyFigures:
    figures = TypographyFigures()
    every = [line for lines in pages for line in lines]
    if not every:
        return figures
    weight = Counter()
    for line in every:
        weight[(line.size, line.font)] += len(line.text)
    body_size, body_font = weight.most_common(1)[0][0]

    for line in every:
        if line.text[0] in PROHIBITED_AT_START:
            figures.bad_starts.append(line)
        if line.text[-1] in PROHIBITED_AT_END:
            figures.bad_ends.append(line)

    # The text block's left edge, where most body lines start: a page whose only body
    # line is an indented one (a label above a table) must not take that for the edge.
    starts = Counter(
        round(line.x0, 1)
        for line in every
        if (line.size, line.font) == (body_size, body_font) and not line.is_leader
    )
    block_left = starts.most_common(1)[0][0] if starts else 0.0
    for page_index, lines in enumerate(pages):
        body = [
            line
            for line in lines
            if (line.size, line.font) == (body_size, body_font) and not line.is_leader
        ]
        if not body:
            continue
        left = min(min(line.x0 for line in body), block_left)
        right = _right_edge([line.x1 for line in body])
        indent = left + 1.5 * body_size
        for index, line in enumerate(lines):
            if (line.size, line.font) != (body_size, body_font) or line.is_leader:
                continue
            following = _next_line(pages, page_index, index)
            continues = (
                following is not None
                and (following.size, following.font) == (body_size, body_font)
                and abs(following.x0 - left) < 1.0
                and line.x0 < indent + body_size  # indented first line or full-width line
                and line.x0 >= left - 1.0
            )
            if not continues:
                continue
            if right - line.x1 > SHORT_LINE_EM * body_size:
                # Far short of the edge: a line that ends its own block (a 报/送/发 line,
                # a forced break), not a justified line that failed to reach the edge,
                # which falls short by less than a character.
                continue
            figures.justified_lines += 1
            if abs(right - line.x1) <= FLUSH_TOLERANCE_PT:
                figures.flush_lines += 1
            else:
                figures.ragged.append(line)
            widest = max(line.gaps, default=0.0) / line.size
            figures.max_gap_em = max(figures.max_gap_em, widest)
            if widest > MAX_GAP_EM:
                figures.wide_gaps.append((line, widest))

        if page_index + 1 < len(pages) and lines:
            last = lines[-1]
            is_body = (last.size, last.font) == (body_size, body_font) and not last.is_leader
            following = _next_line(pages, page_index, len(lines) - 1)
            carries_on = following is not None and abs(following.x0 - left) < 1.0
            if is_body and last.x0 >= indent and carries_on:
                figures.orphans.append(last)
            is_heading = (last.size, last.font) != (body_size, body_font) and not last.is_leader
            # 楷体 sets quotations (and （一） headings, which the composition check
            # judges by their numbering): a quotation ending a page is no heading.
            quotation = "Kai" in last.font
            if is_heading and last.size >= body_size and following is not None and not quotation:
                figures.headings_at_foot.append(last)
        if page_index > 0 and body and lines:
            first = lines[0]
            if (
                (first.size, first.font) == (body_size, body_font)
                and not first.is_leader
                and abs(first.x0 - left) < 1.0
            ):
                following = lines[1] if len(lines) > 1 else None
                ends_paragraph = following is None or abs(following.x0 - left) >= 1.0
                previous = pages[page_index - 1][-1] if pages[page_index - 1] else None
                if ends_paragraph and previous is not None and _same_style(previous, first):
                    figures.widows.append(first)
    return figures


def _right_edge(ends: list[float]) -> float:
    """The text block's right edge: the middle of the line ends near the rightmost one.

    Not the rightmost end itself, which one slightly overfull line would move.
    """
    rightmost = max(ends)
    near = sorted(end for end in ends if end > rightmost - 2.0)
    return near[len(near) // 2]


def _same_style(one: Line, other: Line) -> bool:
    return (one.size, one.font) == (other.size, other.font)


def _next_line(pages: list[list[Line]], page_index: int, index: int) -> Line | None:
    lines = pages[page_index]
    if index + 1 < len(lines):
        line, following = lines[index], lines[index + 1]
        # A blank band of more than two line heights ends the text flow (figure, table).
        if following.top - line.top > 3 * line.size * HouseNumbers.read().body_leading:
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
) -> TypographyFigures:
    """Add the typography findings of `pdf_path` to `report`; return the figures.

    `chars`: the pages' characters if the caller has scanned the content already.
    `first_page`: pages before it (masthead, contents: not prose) are not measured;
    by default the first bookmarked page.
    """
    pages_chars = chars if chars is not None else read_chars(pdf_path)
    if first_page is None:
        first_page = first_bookmarked_page(read_outline(PdfReader(pdf_path)))
    start = first_page
    figures = measure(lines_of(_body_only(pages_chars, start)))
    if figures.justified_lines and figures.flush_ratio < FLUSH_TARGET:
        pages = sorted({line.page for line in figures.ragged})
        report.error(
            "typography",
            f"两端对齐的段落中只有 {figures.flush_ratio:.0%} 的行（非末行）右端齐平，"
            f"应不少于 {FLUSH_TARGET:.0%}；不齐的行在第 {'、'.join(map(str, pages[:10]))} 页",
            page=pages[0] if pages else None,
        )
    for line in _first(figures.bad_starts):
        report.error(
            "typography", f"行首出现标点“{line.text[0]}”：{_snippet(line)}", page=line.page
        )
    for line in _first(figures.bad_ends):
        report.error(
            "typography", f"行尾出现标点“{line.text[-1]}”：{_snippet(line, True)}", page=line.page
        )
    for line, widest in figures.wide_gaps[:5]:
        report.error(
            "typography",
            f"字间距过大（{widest:.2f} 个字宽，应不超过 {MAX_GAP_EM}）：{_snippet(line)}",
            page=line.page,
        )
    for line in _first(figures.orphans):
        report.error("typography", f"段落首行孤零零留在页末：{_snippet(line)}", page=line.page)
    for line in _first(figures.widows):
        report.error("typography", f"段落末行孤零零留在页首：{_snippet(line)}", page=line.page)
    for line in _first(figures.headings_at_foot):
        report.error("typography", f"标题落在页末，正文在下一页：{_snippet(line)}", page=line.page)
    return figures
