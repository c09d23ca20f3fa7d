"""Is this PDF fit to distribute? `check_pdf` reads it back and compares it with `Expected`.

The content streams are scanned once (`pdfread.content`) and the page texts read
once (`pdfread.page_text`, pdftotext in its own process meanwhile); every family
of checks then adds its findings to one `CheckReport` (`judge`), each placed on a
page and, where the page belongs to an article, on that article's file and the line
that holds the printed text (`placement`). The watcher's check (`check.incremental`)
runs the same `judge` on pages it kept from earlier checks where they did not change.
The sources' own faults (placeholders, unconfirmed guesses) are found in `Expected`
without reading the PDF.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from ..house import HouseNumbers
from ..pdfread.content import ContentScan, scan_content
from ..pdfread.lines import Line, page_lines, without_running_headers
from ..pdfread.outline import destination_page, first_bookmarked_page, read_outline
from ..pdfread.page_text import PageText, clean_pages, start_page_texts
from .composition import check_composition
from .conformance import conformance_findings
from .document import check_images, check_metadata, check_pages
from .expected import Expected
from .fonts import check_fonts, check_glyphs
from .masthead import check_distribution, check_masthead
from .placeholders import check_printed, check_sources
from .placement import SourceKey, place_articles
from .report import CheckReport, Finding
from .source_lines import SourceText
from .structure import check_links, check_structure, check_text_present
from .typography import check_typography


@contextmanager
def quiet_pypdf() -> Iterator[None]:
    # pypdf logs repairs ("EOF marker not found") to stderr; the report says what matters.
    logger = logging.getLogger("pypdf")
    previous = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(previous)


# A check run on the PDF and its page texts once the others have read them (the bound
# volume's own checks use it, so the page texts are read once).
PageCheck = Callable[[PdfReader, list[PageText]], list[Finding]]


def _composed_parts(
    reader: PdfReader, expected: Expected, body_from: int, page_count: int
) -> list[tuple[int, int, int]]:
    """(first page, first body page, last page) of each part composed as one briefing:
    the whole PDF, or each issue of a bound volume (its own contents and last page)."""
    if not expected.bound_issues:
        return [(1, body_from, page_count)]
    starts = [
        (destination_page(reader, front) or 1, destination_page(reader, body) or 1)
        for front, body in expected.bound_issues
    ]
    ends = [start - 1 for start, _ in starts[1:]] + [page_count]
    return [(start, body, end) for (start, body), end in zip(starts, ends, strict=True)]


@dataclass
class ReadPages:
    """What the checks read of the pages, however it was read: the content scan, each
    page's lines as drawn (`page_lines`: running headers still in) and the page texts,
    waited for when first needed (pdftotext runs meanwhile)."""

    scan: ContentScan
    drawn_lines: list[list[Line]]
    texts: Callable[[], tuple[list[str], str]]  # (text of each page, which tool read it)


def check_pdf(pdf_path: Path, expected: Expected, also: Sequence[PageCheck] = ()) -> CheckReport:
    """Check `pdf_path` against what the build (or the edition) says it should hold."""
    with quiet_pypdf():
        return _check_pdf(pdf_path, expected, also)


def open_pdf(pdf_path: Path, report: CheckReport) -> PdfReader | None:
    """The PDF's reader, or None once the report says why there is nothing to check."""
    try:
        reader = PdfReader(pdf_path)
        report.page_count = len(reader.pages)
    except Exception as error:  # any unreadable file is a finding, not a crash
        report.error("pdf", f"无法读取 PDF（文件已损坏或不是 PDF）：{error}")
        return None
    if report.page_count == 0:
        report.error("pages", "PDF 没有页面")
        return None
    return reader


def _check_pdf(pdf_path: Path, expected: Expected, also: Sequence[PageCheck]) -> CheckReport:
    report = CheckReport(pdf_path)
    reader = open_pdf(pdf_path, report)
    if reader is None:
        return report
    # pdftotext reads the page texts in its own process while Python scans the content.
    pending_texts = start_page_texts(pdf_path)
    try:
        scan = scan_content(reader)
        drawn = [page_lines(chars, number) for number, chars in enumerate(scan.chars, start=1)]
        read = ReadPages(scan, drawn, lambda: pending_texts.result(reader))
        judge(reader, pdf_path, expected, read, report, also)
    finally:
        pending_texts.close()
    return report


def judge(
    reader: PdfReader,
    pdf_path: Path,
    expected: Expected,
    read: ReadPages,
    report: CheckReport,
    also: Sequence[PageCheck] = (),
    known_sources: dict[SourceKey, SourceText] | None = None,
) -> None:
    """Every family of checks, in order, on the pages as read: the one place findings
    are made, for the full check and the watcher's alike (`check.incremental`)."""
    outline = read_outline(reader)
    placement = place_articles(reader, expected, outline, known_sources)
    scan = read.scan

    check_pages(reader, placement, report)
    check_metadata(reader, expected.document_title, report)
    check_fonts(scan, set(expected.shipped_families), placement, report)
    check_glyphs(scan, placement, expected.missing_glyphs, expected.typeset_warnings, report)
    # The masthead and contents pages are not prose: measure from the first article on.
    body_from = placement.first_article_page or first_bookmarked_page(outline)
    check_typography(
        pdf_path, report, scan.chars, first_page=body_from, placement=placement, drawn_lines=read.drawn_lines
    )
    lines, house = without_running_headers(read.drawn_lines), HouseNumbers.read()
    for first, body, last in _composed_parts(reader, expected, body_from, len(lines)):
        part = [page if first <= number <= last else [] for number, page in enumerate(lines, start=1)]
        check_composition(part, scan.images, house, body, placement, report)

    texts, report.text_source = read.texts()
    pages: list[PageText] | None = clean_pages(texts, expected.running_header)
    if report.text_source == "pypdf" and any(not font.identity_encoding for font in scan.fonts.values()):
        # pypdf's text is unreliable once a glyph is missing: do not report what it misses.
        report.warn("text", "未安装 pdftotext，且 PDF 有缺字，无法核对目录和正文文字")
        pages = None
    told = check_sources(expected, report)
    if expected.manifest is not None:
        check_structure(reader, expected, outline, placement, pages, report)
        check_distribution(expected, pages, report)
        if pages is not None:
            check_masthead(expected, pages, report)
            check_text_present(expected, placement, pages, report)
    if pages is not None:
        check_printed(pages, placement, told, report)
    check_links(reader, placement, report)
    check_images(scan, expected.images, placement, report)
    # PDF/A, tags and print boxes, when the file declares them.
    report.findings += conformance_findings(pdf_path, expected)
    if pages is not None:
        for check in also:
            report.findings += check(reader, pages)
