"""The quick content-stream reader gives pypdf's operations, and hands odd streams back to pypdf."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DecodedStreamObject

from pipeline.build import Builder
from pipeline.pdfread.content_stream import Unreadable, operations, parse_operations
from tests.support import MakeEdition


def plain(value: Any) -> Any:
    """pypdf's objects as the plain values the quick reader gives."""
    if hasattr(value, "original_bytes"):
        return bytes(value.original_bytes)
    if isinstance(value, bytes):
        return bytes(value)
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return repr(value)  # e.g. NullObject: compared by type below


def same_operations(data: bytes) -> None:
    stream = DecodedStreamObject()
    stream.set_data(data)
    expected = [([plain(item) for item in operands], operator)
                for operands, operator in ContentStream(stream, None).operations]
    found = [([plain(item) for item in operands], operator)
             for operands, operator in parse_operations(data)]
    assert found == expected


def test_built_pdf_reads_the_same_as_pypdf(make_edition: MakeEdition, builder: Builder,
                                           tmp_path: Path) -> None:
    pdf = tmp_path / "edition.pdf"
    builder.build(make_edition(), pdf)
    reader = PdfReader(pdf)
    shown = 0
    for page in reader.pages:
        data = page.get_contents().get_data()
        same_operations(data)
        shown += sum(operator == b"TJ" for _, operator in parse_operations(data))
    assert shown > 20


def test_strings_names_arrays_and_dictionaries() -> None:
    same_operations(
        b"BT /F#201 12 Tf (a\\(b\\)c \\101\\n (nested) end) Tj [(x) -250 <4e2d 56fd> 1.5 (y) <4e2d5>] TJ ET\n"
        b"/Span <</MCID 3 /ActualText (\\376\\377)>> BDC EMC .5 -2 +3. 0 0 1 cm % a comment\n"
        b"[] 0 d"
    )


def test_long_malformed_arrays_end_instead_of_backtracking() -> None:
    # A regular expression that could split a run of digits many ways would take
    # hours here (exponential backtracking); the bound below is not a speed target
    # (those live in `make bench`) but "it ends at all", with a wide margin for a
    # loaded machine.
    outcome: list[object] = []

    def parse() -> None:
        with pytest.raises(Unreadable):
            parse_operations(b"[" + b"1" * 3000 + b" 2.5 <00>" * 500 + b" x] TJ")
        outcome.append(parse_operations(b"[" + b"1" * 3000 + b" <00>] TJ"))

    worker = threading.Thread(target=parse, daemon=True)
    worker.start()
    worker.join(timeout=30)
    assert not worker.is_alive(), "parse_operations is still running after 30 s"
    assert outcome == [[([[int("1" * 3000), b"\x00"]], b"TJ")]]


def test_inline_images_and_broken_streams_go_to_pypdf() -> None:
    inline = b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x00) EI Q"
    for data in (inline, b"(unterminated", b"[1 2 Tf"):
        try:
            parse_operations(data)
        except Unreadable:
            continue
        raise AssertionError(f"read {data!r} without complaint")
    stream = DecodedStreamObject()
    stream.set_data(inline)
    assert [operator for _, operator in operations(stream, None)] == [b"q", b"INLINE IMAGE", b"Q"]  # type: ignore[arg-type]
