"""The watcher's check: `check_pdf`'s verdict on each new PDF, reading again only the
pages that changed since the last PDF it checked.

What `check_pdf` computes falls in two parts. Per page, from that page alone: its
content scan (`pdfread.content.scan_page`: characters, images, the fonts it selects,
the glyph-0 codes it draws), its lines as drawn (`pdfread.lines.page_lines`) and its
text as pdftotext reads it. Then the document: the fonts assembled from the pages in
page order (`pdfread.content.assemble`), and every family of checks (`run.judge`):
running headers, placement, outline, contents page numbers, metadata, the fonts
dictionary, masthead, page count, links, images, typography and composition (which
span pages: body style, widows, the 报尾 on the last page), reading the pages' values
and the document's own objects.

`IncrementalCheck` keeps, for each page number, the page's values and the inputs they
were read from (`pdfread.page_inputs.PageInputs`). For a new PDF it keeps a page's
values when the page at the same number has the same inputs, reads every other page
afresh (the scan in this process, pdftotext on runs of those pages meanwhile), and
runs the document part unchanged: the same `judge` the full check runs, on the new
reader, the new `Expected` and the pages' values. So its report equals `check_pdf`'s
(same findings, order and words) if every kept page's values equal a fresh reading's.
Why they do:

1. A page's values are a function of its inputs. The scan reads nothing of the PDF
   but the page's MediaBox, its content stream, and the fonts and XObjects the stream
   names in the page's /Resources; its results carry the page's number (images and
   lines say their page), which is the same since values are kept only at the same
   number. `page_lines` reads only the page's characters and number. pdftotext lays
   out each page on its own from the same inputs, the page's other boxes, annotation
   appearances, the document's optional content (layers it hides), the fonts'
   dictionaries and, for a code without a ToUnicode entry, the font program; a page
   read in a run reads as in a whole-document run (`tests/pdfread/test_page_text.py`).
2. `PageInputs` records at least those inputs, exactly (bytes compared, no hashes):
   the page dictionary but its contents (and what it inherits), the decoded content
   stream, for every name in the stream the resource of that name in every category
   (or its absence), and of each font the ToUnicode entry and width of each code the
   page shows, the rest of the font whole, and the program when a shown code has no
   text; the document's optional content is compared on every check (a change
   forgets every page). Equal records mean equal inputs, hence equal values (by 1).
3. A font is compared only through the codes the page shows because neither reader
   looks up any other code's entry: the scan maps each shown code through the
   ToUnicode map and the widths, pdftotext likewise. Which codes a page shows is
   fixed by its stream, which is compared whole.
4. Kept values are re-attached to the new reader: a kept page's fonts are looked up
   again by name in its /Resources (the same names: the stream is the same), so
   `assemble` makes the document's fonts from the new PDF's objects, in page order,
   exactly as one pass over every page does.
5. The document part is never kept. Only the source texts of the articles
   (`placement.SourceText`, a pure function of the text and lines they are made of)
   are kept, by what they are made of.

Where that argument does not reach, nothing is kept:

* a page that draws a Form XObject, has an inline image, inherits its resources or
  has an annotation other than a link without appearance is read afresh every time
  (`PageInputs.of` → None), as is a page whose inputs cannot be read;
* a font whose tables are not in plain form is compared whole: once a glyph is
  missing, WeasyPrint encodes that font with a CMap of its own, and every page set in
  it is read again after each save until the character is gone;
* without pdftotext (pypdf then reads the whole document's text), when a pdftotext
  run fails or does not split into its pages, or when the PDF cannot be read or has
  no pages, `check_pdf` itself runs and every kept page is forgotten.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from pypdf import PageObject, PdfReader
from pypdf.generic import DictionaryObject

from ..pdfread.content import FontReader, FontUse, PageScan, assemble, scan_page
from ..pdfread.lines import Line, page_lines
from ..pdfread.page_inputs import DocumentFacts, PageInputs
from ..pdfread.page_text import PendingRuns, start_page_runs
from .expected import Expected
from .placement import SourceKey
from .report import CheckReport
from .run import ReadPages, check_pdf, judge, open_pdf, quiet_pypdf
from .source_lines import SourceText

# Source texts kept at most, as a multiple of the articles checked (edits make new ones).
SOURCES_KEPT_PER_ARTICLE = 4


@dataclass(frozen=True)
class KeptPage:
    """What was read of one page, and what it was read from."""

    inputs: PageInputs
    scan: PageScan
    drawn_lines: list[Line]
    text: str  # as pdftotext read it


class _RunFailed(Exception):
    """A pdftotext run gave no usable text: check the whole document instead."""


def _page_fonts(page: PageObject) -> DictionaryObject:
    """The page's font resources, looked up as `scan_page` looks them up."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources else DictionaryObject()
    return resources.get("/Font", DictionaryObject()).get_object() if resources else DictionaryObject()


def _reattached(scan: PageScan, page: PageObject) -> PageScan:
    """A kept page's scan with its fonts looked up again by name in the new PDF."""
    fonts = _page_fonts(page)
    uses = [FontUse(use.name, fonts.get(use.name), use.notdef, use.shown) for use in scan.fonts]
    return replace(scan, fonts=uses)


def _detached(scan: PageScan) -> PageScan:
    """A scan to keep: without its fonts' objects, which would keep the old PDF in memory."""
    return replace(scan, fonts=[FontUse(use.name, None, use.notdef, use.shown) for use in scan.fonts])


class IncrementalCheck:
    """`check_pdf` for one watcher, keeping what it read of each page between PDFs."""

    def __init__(self) -> None:
        self._kept: dict[int, KeptPage] = {}
        self._sources: dict[SourceKey, SourceText] = {}
        self._document: bytes | None = None  # what every page's text depends on (layers)
        self.pages_read: list[int] = []  # the pages the last check read afresh

    def forget(self) -> None:
        self._kept.clear()
        self._sources.clear()

    def check(self, pdf_path: Path, expected: Expected) -> CheckReport:
        """The report `check_pdf(pdf_path, expected)` gives."""
        with quiet_pypdf():
            report = self._check(pdf_path, expected)
        if report is None:
            self.forget()
            report = check_pdf(pdf_path, expected)
            self.pages_read = list(range(1, report.page_count + 1))
        return report

    def _check(self, pdf_path: Path, expected: Expected) -> CheckReport | None:
        report = CheckReport(pdf_path)
        reader = open_pdf(pdf_path, report)
        if reader is None or shutil.which("pdftotext") is None:
            return None
        fonts = FontReader()
        facts = DocumentFacts(reader, fonts)
        document = _document(facts)
        if document is None or document != self._document:
            self._kept.clear()
        self._document = document
        pages = list(reader.pages)
        numbers = range(1, len(pages) + 1)
        kept = {
            number: self._kept[number]
            for number in numbers
            if number in self._kept and _holds(self._kept[number].inputs, pages[number - 1], facts)
        }
        fresh = [number for number in numbers if number not in kept]
        pending = start_page_runs(pdf_path, fresh) if fresh else PendingRuns([])
        if pending is None:
            return None
        try:
            scans, drawn = _scans_and_lines(reader, pages, kept, fonts)
            read_texts: dict[int, str] = {}

            def texts() -> tuple[list[str], str]:
                found = pending.result()
                if found is None:
                    raise _RunFailed
                read_texts.update(found)
                every = [kept[number].text if number in kept else found[number] for number in numbers]
                return every, "pdftotext"

            if len(self._sources) > SOURCES_KEPT_PER_ARTICLE * max(1, len(expected.articles)):
                self._sources.clear()
            read = ReadPages(assemble(scans, fonts), drawn, texts)
            judge(reader, pdf_path, expected, read, report, known_sources=self._sources)
        except _RunFailed:
            return None
        finally:
            pending.close()
        self._remember(kept, [(page, scans[number - 1], drawn[number - 1]) for number, page in
                              zip(numbers, pages, strict=True) if number not in kept], read_texts, facts)
        self.pages_read = fresh
        return report

    def _remember(
        self,
        kept: dict[int, KeptPage],
        fresh: list[tuple[PageObject, PageScan, list[Line]]],
        texts: dict[int, str],
        facts: DocumentFacts,
    ) -> None:
        """Keep the pages kept, and each page read afresh with the inputs it was read from."""
        self._kept = dict(kept)
        for page, scan, drawn in fresh:
            inputs = _inputs(page, scan, facts)
            if inputs is not None and scan.number in texts:
                self._kept[scan.number] = KeptPage(inputs, _detached(scan), drawn, texts[scan.number])


def _scans_and_lines(
    reader: PdfReader, pages: list[PageObject], kept: dict[int, KeptPage], fonts: FontReader
) -> tuple[list[PageScan], list[list[Line]]]:
    """Each page's scan and lines: kept ones re-attached to `reader`, the others read now."""
    scans, drawn = [], []
    for number, page in enumerate(pages, start=1):
        if number in kept:
            scans.append(_reattached(kept[number].scan, page))
            drawn.append(kept[number].drawn_lines)
        else:
            scans.append(scan_page(reader, page, number, fonts))
            drawn.append(page_lines(scans[-1].chars, number))
    return scans, drawn


def _document(facts: DocumentFacts) -> bytes | None:
    try:
        return facts.document()
    except Exception:  # reading an untrusted PDF: nothing is kept of a document we cannot read
        return None


def _inputs(page: PageObject, scan: PageScan, facts: DocumentFacts) -> PageInputs | None:
    try:
        return PageInputs.of(page, scan, facts)
    except Exception:  # reading an untrusted PDF: a page whose inputs we cannot read is not kept
        return None


def _holds(inputs: PageInputs, page: PageObject, facts: DocumentFacts) -> bool:
    try:
        return inputs.hold(page, facts)
    except Exception:  # reading an untrusted PDF: a page we cannot compare is read afresh
        return False
