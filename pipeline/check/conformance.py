"""Which conformance checks a PDF calls for, decided from the file itself.

A PDF that declares PDF/A in its XMP gets the PDF/A-2 clauses (`pdfa.py`) and the
tagged-structure checks (`tagged.py`); one whose pages are laid out for trimming
(TrimBox inside MediaBox) gets the print-box checks (`print_boxes.py`). So
`briefing check` needs no flag: an archive or print file checked on its own, months
later, is judged by what it claims to be.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pikepdf

from ..pdfread.structure import read_structure
from ..render.markdown import PlacedImage
from ..variant import PDFA_CONFORMANCE, PDFA_PART
from .expected import Expected
from .pdfa import Identification, check_pdfa, identification
from .print_boxes import check_full_resolution, check_print_boxes, is_print_layout
from .report import Finding
from .tagged import check_tags

HEADER_BYTES = 64


def _image_pixels(images: Sequence[PlacedImage]) -> list[tuple[int, int]]:
    from PIL import Image

    sizes = []
    for image in images:
        try:
            with Image.open(image.path) as opened:
                sizes.append(opened.size)
        except Exception:  # SVG or unreadable: nothing to compare
            continue
    return sizes


def conformance_findings(pdf_path: Path, expected: Expected) -> list[Finding]:
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
            found += check_tags(pdf, read_structure(pdf), expected.tags)
        if is_print_layout(pdf):
            found += check_print_boxes(pdf)
            found += check_full_resolution(pdf, _image_pixels(expected.images))
        return found
