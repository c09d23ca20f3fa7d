"""Chinese punctuation in the rendered HTML (render.cjk_text), seen on real PDFs:
避头尾 at every line edge, compression of adjacent marks, copied text unchanged."""

from __future__ import annotations

import re
import subprocess
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.check.typography import (
    MAX_GAP_EM,
    measure_pdf,
)
from pipeline.pdfread.lines import read_chars
from pipeline.render.cjk_text import ZERO_WIDTH_SPACE, halved_positions, quote_breaks
from tests.support import (
    MIXED,
    MakeEdition,
    build_pdf,
    crafted_paragraphs,
    edition_with,
    summary,
)


def test_copied_text_is_the_editors_text(mixed_pdfs: dict[bool, Path]) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(mixed_pdfs[True]), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    assert ZERO_WIDTH_SPACE not in text
    flowing = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", MIXED) in flowing


def test_no_marks_at_forbidden_line_edges(make_edition: MakeEdition, builder: Builder,
                                          tmp_path: Path) -> None:
    edition = edition_with(make_edition, crafted_paragraphs())
    pdf = build_pdf(builder, edition, tmp_path / "crafted.pdf", inter_character=True)
    figures = measure_pdf(pdf)
    assert [line.text[:8] for line in figures.bad_starts] == []
    assert [line.text[-8:] for line in figures.bad_ends] == []
    # The shifts really did bring the marks to line edges: some lines had to end on them.
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout
    line_ends = {line.rstrip()[-1] for line in text.splitlines() if line.strip()}
    line_ends = {line[-1] for line in text.splitlines() if line}
    assert line_ends & set("，。”"), line_ends
    assert figures.flush_ratio >= 0.99, summary(figures)
    assert figures.max_gap_em <= MAX_GAP_EM, summary(figures)


def test_adjacent_punctuation_is_compressed(mixed_pdfs: dict[bool, Path]) -> None:
    chars = [char for page in read_chars(mixed_pdfs[True]) for char in page]
    advances = [
        following.x0 - char.x0
        for char, following in pairwise(chars)
        if char.text + following.text in ("。”", "），")
        and abs(following.top - char.top) < 1
    ]
    assert advances
    # Full width would be 1 em (14 pt); half width plus justification spacing is far less.
    assert max(advances) < 0.75 * 14, advances


def test_quote_break_opportunities() -> None:
    assert quote_breaks("他说“质量”是") == f"他说{ZERO_WIDTH_SPACE}“质量”{ZERO_WIDTH_SPACE}是"
    # Never before a closing mark, never after an opening one, never doubled.
    assert quote_breaks("说：“质量”。") == f"说：{ZERO_WIDTH_SPACE}“质量”。"
    assert quote_breaks("（“质”）") == "（“质”）"
    assert quote_breaks("“甲”“乙”") == f"“甲”{ZERO_WIDTH_SPACE}“乙”"
    assert halved_positions("生命。”会") == {2}
    assert halved_positions("说：“质") == {1, 2}
    assert halved_positions("复审）、同") == {2}


def test_house_settings_change_the_page(make_edition: MakeEdition, tmp_path: Path) -> None:
    """`styles/house.css` variables reach the page: Han–Latin space and page margins."""
    from pipeline.house import REPO_ROOT

    styles = tmp_path / "styles"
    styles.mkdir()
    for source in (REPO_ROOT / "styles").iterdir():
        (styles / source.name).write_text(source.read_text("utf-8"), "utf-8")
    (tmp_path / "fonts").symlink_to(REPO_ROOT / "fonts")
    house = styles / "house.css"
    text = house.read_text("utf-8")
    house.write_text(
        text.replace("--han-latin-space: 0;", "--han-latin-space: 0.25em;")
        .replace("--page-margin-left: 28mm;", "--page-margin-left: 40mm;"),
        "utf-8",
    )
    builder = Builder.create(styles, tmp_path / "fonts")
    edition = edition_with(make_edition, [MIXED] * 3)
    pdf = tmp_path / "house.pdf"
    pdf.write_bytes(builder.typesetter.typeset(builder.render(edition)).pdf)
    chars = read_chars(pdf)[1]
    body = [char for char in chars if abs(char.size - 14) < 0.1]
    assert min(char.x0 for char in body) == pytest.approx(40 / 25.4 * 72, abs=0.5)
    gaps = [
        following.x0 - char.x1
        for char, following in pairwise(body)
        if char.text + following.text in ("成I", "5年")
    ]
    assert gaps and all(0.25 * 14 <= gap <= 0.5 * 14 for gap in gaps), gaps
    figures = measure_pdf(pdf)
    assert figures.flush_ratio >= 0.99, summary(figures)
