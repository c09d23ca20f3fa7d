"""A page's recorded inputs hold for the same page read again, and not once one of them changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, RectangleObject

from pipeline.pdfread.content import FontReader, scan_page
from pipeline.pdfread.page_inputs import DocumentFacts, PageInputs, shown_codes


@pytest.mark.parametrize(
    ("shown", "codes"),
    [
        ([b"\x25\x1e\x58\x28"], {0x251E, 0x5828}),  # Tj: pairs from the start
        ([[b"\x00\x01", -9, b"\x12\x34\x56"]], {0x0001, 0x1234}),  # TJ: numbers skipped, odd byte left
        ([b""], set()),
    ],
)
def test_shown_codes_are_the_big_endian_pairs_of_each_string(shown: list[object], codes: set[int]) -> None:
    assert shown_codes(shown) == codes


def _inputs(pdf: Path) -> list[PageInputs | None]:
    reader = PdfReader(pdf)
    facts, fonts = DocumentFacts(reader), FontReader()
    return [
        PageInputs.of(page, scan_page(reader, page, number, fonts), facts)
        for number, page in enumerate(reader.pages, start=1)
    ]


def test_every_page_holds_when_read_again_and_a_changed_box_does_not(
    mixed_pdfs: dict[bool, Path], tmp_path: Path
) -> None:
    pdf = mixed_pdfs[True]
    recorded = _inputs(pdf)
    assert all(inputs is not None for inputs in recorded)
    reader = PdfReader(pdf)
    facts = DocumentFacts(reader)
    assert all(inputs.hold(page, facts) for inputs, page in zip(recorded, reader.pages, strict=True) if inputs)

    writer = PdfWriter(clone_from=reader)
    box = writer.pages[1].mediabox
    writer.pages[1][NameObject("/MediaBox")] = RectangleObject([box.left, box.bottom, box.right, box.top + 1])
    changed = tmp_path / "taller.pdf"
    writer.write(changed)
    again = PdfReader(changed)
    facts = DocumentFacts(again)
    holds = [inputs.hold(page, facts) for inputs, page in zip(recorded, again.pages, strict=True) if inputs]
    assert holds == [number != 2 for number in range(1, len(holds) + 1)]
