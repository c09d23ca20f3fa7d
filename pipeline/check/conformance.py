"""Which conformance checks a PDF calls for, decided from the file itself.

A PDF that declares PDF/A in its XMP gets the PDF/A-2 clauses (`pdfa.py`) and the
tagged-structure checks (`tagged.py`); one whose pages are laid out for trimming
(TrimBox inside MediaBox) gets the print-box checks (`print_boxes.py`). So
`briefing check` needs no flag: an archive or print file checked on its own, months
later, is judged by what it claims to be.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf

from ..pdfread.structure import read_structure
from ..render.html import RenderedEdition
from ..variant import PDFA_CONFORMANCE, PDFA_PART
from .pdfa import Identification, check_pdfa, identification
from .print_boxes import check_full_resolution, check_print_boxes, is_print_layout
from .run import Finding
from .tagged import ExpectedTags, check_tags

HEADER_BYTES = 64


def _image_pixels(rendered: RenderedEdition) -> list[tuple[int, int]]:
    from PIL import Image

    sizes = []
    for image in rendered.images:
        try:
            with Image.open(image.path) as opened:
                sizes.append(opened.size)
        except Exception:  # SVG or unreadable: nothing to compare
            continue
    return sizes


def conformance_findings(pdf_path: Path, rendered: RenderedEdition | None = None) -> list[Finding]:
    """PDF/A and tag findings when the file declares PDF/A; box findings for a print layout."""
    try:
        pdf = pikepdf.open(pdf_path)
    except Exception:  # unreadable: the main check has said so already
        return []
    with pdf:
        found: list[Finding] = []
        if identification(pdf) is not None:
            with pdf_path.open("rb") as stream:
                header = stream.read(HEADER_BYTES)
            found += check_pdfa(pdf, header, Identification(PDFA_PART, PDFA_CONFORMANCE))
            expected = None
            if rendered is not None:
                titles = [
                    entry.article.front.title for section in rendered.sections for entry in section.entries
                ]
                expected = ExpectedTags.from_html(rendered.html, titles)
            found += check_tags(pdf, read_structure(pdf), expected)
        if is_print_layout(pdf):
            found += check_print_boxes(pdf)
            if rendered is not None:
                found += check_full_resolution(pdf, _image_pixels(rendered))
        return found
