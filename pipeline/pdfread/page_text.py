"""The printed text of each page, read back for the contents and text-present checks.

pdftotext (poppler) is used where installed: pypdf's `extract_text` gives up on the
whole document once one font carries a `.notdef` glyph, which is exactly when the
editor most needs the other checks to keep working.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from pypdf import PdfReader

from ..cjk import CIRCLED_NUMBERS

# The footer page number as set by the house style: —3— (or - 3 -, or a bare 3).
_FOOTER_LINE = re.compile(r"^\s*[—\-－]*\s*\d+\s*[—\-－]*\s*$")


def normalize(text: str) -> str:
    """Compare texts as a reader would: NFKC, no whitespace, no zero-width marks (the
    break opportunities cjk_text adds around quotes are in the HTML, not the PDF text)."""
    return re.sub(r"[\s\u200b-\u200d\u2060\ufeff]+", "", unicodedata.normalize("NFKC", text))


@dataclass
class PendingTexts:
    """Page texts being read by pdftotext in the background while the content is scanned."""

    pdf_path: Path
    process: subprocess.Popen[bytes] | None

    def result(self, reader: PdfReader) -> tuple[list[str], str]:
        """(text of each page, which tool read it)."""
        count = len(reader.pages)
        if self.process is not None:
            try:
                output, _ = self.process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.communicate()
                output = None
            if output is not None and self.process.returncode == 0:
                pages = output.decode("utf-8", "replace").split("\f")
                return [*pages[:count], *[""] * (count - len(pages))][:count], "pdftotext"
        texts = []
        for page in reader.pages:
            try:
                texts.append(page.extract_text())
            except Exception:  # pypdf cannot read this page's text; the check says so
                texts.append("")
        return texts, "pypdf"

    def close(self) -> None:
        """Stop pdftotext if its text is no longer wanted (the check failed early)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def _pdftotext(tool: str, pdf_path: Path, pages: tuple[int, int] | None = None) -> subprocess.Popen[bytes]:
    """pdftotext on the whole PDF, or on pages (first, last)."""
    only = ["-f", str(pages[0]), "-l", str(pages[1])] if pages else []
    # -layout keeps a wrapped contents entry's page number on the entry's last line;
    # without it poppler may gather the numbers into a column of their own.
    return subprocess.Popen(
        [tool, "-q", "-layout", "-enc", "UTF-8", *only, str(pdf_path), "-"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def start_page_texts(pdf_path: Path) -> PendingTexts:
    tool = shutil.which("pdftotext")
    if tool is None:
        return PendingTexts(pdf_path, None)
    return PendingTexts(pdf_path, _pdftotext(tool, pdf_path))


@dataclass
class PendingRuns:
    """pdftotext on some runs of pages, each (first, last) in a process of its own.

    poppler lays out each page's text on its own, so a page read in a run is the page
    read in a whole-document run (`tests/pdfread/test_page_text.py` holds it to that).
    """

    runs: list[tuple[int, int, subprocess.Popen[bytes]]]

    def result(self) -> dict[int, str] | None:
        """Each page's text, as the whole-document output splits it; None if a run failed
        or its output does not split into its pages (then read the whole document)."""
        texts: dict[int, str] = {}
        for first, last, process in self.runs:
            try:
                output, _ = process.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                return None
            pages = output.decode("utf-8", "replace").split("\f")
            if process.returncode != 0 or len(pages) != last - first + 2 or pages[-1]:
                return None
            texts.update(zip(range(first, last + 1), pages, strict=False))
        return texts

    def close(self) -> None:
        for _, _, process in self.runs:
            if process.poll() is None:
                process.kill()
                process.communicate()


def page_runs(pages: list[int], gap: int = 2, most: int = 4) -> list[tuple[int, int]]:
    """(first, last) runs covering `pages` (sorted): neighbours at most `gap` pages apart
    share a run; more than `most` runs become one (each process reads the document)."""
    runs: list[tuple[int, int]] = []
    for page in pages:
        if runs and page - runs[-1][1] <= gap + 1:
            runs[-1] = (runs[-1][0], page)
        else:
            runs.append((page, page))
    return [(runs[0][0], runs[-1][1])] if len(runs) > most else runs


def start_page_runs(pdf_path: Path, pages: list[int]) -> PendingRuns | None:
    """pdftotext on `pages` in the background; None when pdftotext is not installed."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    runs = page_runs(pages)
    return PendingRuns([(first, last, _pdftotext(tool, pdf_path, (first, last))) for first, last in runs])


@dataclass(frozen=True)
class PageText:
    """A page's text, normalised, without the running header and footer number."""

    raw: str  # as extracted, less the running header and the footer line
    body: str


def _without_footer(text: str) -> str:
    lines = text.rstrip().split("\n")
    while lines and _FOOTER_LINE.match(lines[-1]):
        lines.pop()
    return "\n".join(lines)


def clean_pages(texts: list[str], running_header: str | None) -> list[PageText]:
    header = normalize(running_header) if running_header else ""
    cleaned = []
    for text in texts:
        raw = _without_footer(text)
        body = normalize(raw)
        if header and body.startswith(header):
            body = body[len(header) :]
            lines = raw.split("\n")
            first = next(index for index, line in enumerate(lines) if line.strip())
            raw = "\n".join(lines[first + 1 :])
        cleaned.append(PageText(raw, body))
    return cleaned


@dataclass(frozen=True)
class PrintedEntry:
    """One line of the printed contents: its title and the page number it shows."""

    title: str  # normalised
    number: int
    page: int  # the contents page it is printed on


LEADER = ".·…"

_ENTRY_MARK = re.compile(rf"[{CIRCLED_NUMBERS}]|^[ \t]*\(\d+\)", re.MULTILINE)


def contents_key(title: str) -> str:
    """A title as compared with the contents page (leader dots run into its end)."""
    return normalize(title).rstrip(LEADER)


def printed_contents(
    pages: list[PageText], contents_pages: range, section_names: list[str]
) -> list[PrintedEntry]:
    """Each contents entry: the text after a circled mark, then dot leader and page number.

    The number stands in its own column, so the extracted text has white space before
    it even when the title fills the line and no leader dots are left.
    """
    # One text for all contents pages: a long title's entry runs on to the next page.
    texts = [pages[number - 1].raw for number in contents_pages if number <= len(pages)]
    text = "\n".join(texts)
    page_starts = list(accumulate(len(page) + 1 for page in texts))
    entries = []
    marks = list(_ENTRY_MARK.finditer(text))
    if not marks:  # no contents entries printed on these pages
        return []
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        chunk = text[mark.end() : following.start() if following else len(text)]
        page_number = contents_pages.start + bisect_right(page_starts, mark.start())
        chunk = re.sub(r"\s+", " ", chunk).strip()
        for name in section_names:  # the next section's heading follows the last entry
            chunk = re.sub(rf"\s*——\s*{re.escape(name)}$", "", chunk)
        # A wrapped entry carries the leader and number on its last line only.
        match = re.match(rf"^(.*?)[\s{LEADER}]*\s(\d+)$", chunk)
        if match:
            title = normalize(match.group(1)).rstrip(LEADER)
            entries.append(PrintedEntry(title, int(match.group(2)), page_number))
    return entries
