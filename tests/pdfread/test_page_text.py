"""pdftotext on a run of pages reads each page as the whole-document run does.

The watcher's check (`check.incremental`) reads again only the pages that changed,
in runs; it may do so only because poppler lays out every page on its own.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipeline.pdfread.page_text import page_runs, start_page_runs


def _whole(pdf: Path) -> list[str]:
    output = subprocess.run(
        ["pdftotext", "-q", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    return output.decode("utf-8", "replace").split("\f")[:-1]


def test_a_page_read_in_a_run_reads_as_in_the_whole_document(mixed_pdfs: dict[bool, Path]) -> None:
    pdf = mixed_pdfs[True]
    whole = _whole(pdf)
    assert len(whole) > 2
    singles = start_page_runs(pdf, list(range(1, len(whole) + 1)))
    assert singles is not None
    pending = [start_page_runs(pdf, [number]) for number in range(1, len(whole) + 1)]
    for number, one in enumerate(pending, start=1):
        assert one is not None
        assert one.result() == {number: whole[number - 1]}
    together = singles.result()
    assert together == dict(enumerate(whole, start=1))


def test_pages_close_together_share_a_run_and_many_runs_become_one() -> None:
    assert page_runs([2, 3, 4, 9]) == [(2, 4), (9, 9)]
    assert page_runs([2, 5]) == [(2, 5)]
    assert page_runs([1, 10, 20, 30, 40]) == [(1, 40)]
