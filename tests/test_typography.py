"""Chinese typography measured on real PDFs: justification, 避头尾, compression, flow.

These render with WeasyPrint and read glyph positions back from the PDF, so they
fail if the justification extension stops working (say, after a WeasyPrint
upgrade), not only if its code changes.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import xml.etree.ElementTree as ElementTree
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.check.report import CheckReport
from pipeline.check.typography import (
    MAX_GAP_EM,
    TypographyFigures,
    check_typography,
    measure,
    measure_pdf,
)
from pipeline.pdfread.lines import Line, read_chars
from pipeline.render.cjk_text import ZERO_WIDTH_SPACE, halved_positions, quote_breaks
from pipeline.typeset import justify
from pipeline.typeset.typesetter import SetupProblem

from .conftest import SEEDS, MakeEdition, article_text

MIXED = (
    "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。"
    "他说：“质量是生命。”会议指出，2025年共完成ISO 9001认证514件（含复审），同比增长12.5%。"
    "与会专家认为，“标准化”工作要与“计量”“认证认可”协同推进，并提出了“三个坚持”的要求。"
    "论坛期间，《质量发展报告（2025）》正式发布，全国制造业产品质量合格率达到93.9%。"
)


def crafted_paragraphs() -> list[str]:
    """Paragraphs that, shifted one character at a time, put ，“”。 at every line edge."""
    return [
        "中" * shift + "，“质量”是“生命”。" + "国" * shift + "。”他说" + "文" * shift
        + "“标准”，" + "字" * 30
        for shift in range(22, 34)
    ]


def build_pdf(builder: Builder, edition: Path, output: Path, *, inter_character: bool) -> Path:
    rendered = builder.render(edition)
    typesetter = dataclasses.replace(builder.typesetter, inter_character=inter_character)
    output.write_bytes(typesetter.typeset(rendered).pdf)
    return output


def edition_with(make_edition: MakeEdition, paragraphs: list[str]) -> Path:
    chunks = [paragraphs[index::3] for index in range(3)]
    names = ["01-first", "02-second", "03-third"]
    return make_edition(
        {
            f"articles/{name}.md": article_text(f"稿件{index + 1}", "\n\n".join(chunk) + "\n")
            for index, (name, chunk) in enumerate(zip(names, chunks, strict=True))
        }
    )


def summary(figures: TypographyFigures) -> str:
    return (
        f"flush {figures.flush_lines}/{figures.justified_lines}, max gap "
        f"{figures.max_gap_em:.2f} em, ragged {[line.text[:12] for line in figures.ragged[:3]]}"
    )


@pytest.fixture(scope="module")
def mixed_pdfs(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> dict[bool, Path]:
    """The same edition typeset with and without the extension."""
    root = tmp_path_factory.mktemp("mixed")
    edition = root / "2025-11"
    (edition / "articles").mkdir(parents=True)
    from .conftest import MANIFEST

    (edition / "issue.yaml").write_text(MANIFEST, "utf-8")
    one_space = "短段 只有一个空格的这一行文字，后面紧跟的中文继续排版，用于测试两端对齐的效果。"
    paragraphs = [MIXED] * 4 + [one_space] * 2
    for index, name in enumerate(["01-first", "02-second", "03-third"]):
        (edition / "articles" / f"{name}.md").write_text(
            article_text(f"稿件{index + 1}", "\n\n".join(paragraphs) + "\n"), "utf-8"
        )
    return {
        flag: build_pdf(builder, edition, root / f"{flag}.pdf", inter_character=flag)
        for flag in (False, True)
    }


def test_justified_lines_end_flush_with_even_gaps(mixed_pdfs: dict[bool, Path]) -> None:
    figures = measure_pdf(mixed_pdfs[True])
    assert figures.justified_lines >= 30
    assert figures.flush_ratio >= 0.99, summary(figures)
    assert figures.max_gap_em <= MAX_GAP_EM, summary(figures)


def test_plain_weasyprint_fails_the_same_measure(mixed_pdfs: dict[bool, Path]) -> None:
    # The yardstick must be able to fail: without the extension lines stay ragged
    # and the line with one space gets one huge gap.
    figures = measure_pdf(mixed_pdfs[False])
    assert figures.flush_ratio < 0.5, summary(figures)
    assert figures.max_gap_em > MAX_GAP_EM, summary(figures)


def test_check_reports_ragged_text_and_passes_justified(mixed_pdfs: dict[bool, Path]) -> None:
    ragged = CheckReport(mixed_pdfs[False])
    check_typography(mixed_pdfs[False], ragged)
    assert any(finding.check == "typography" and "右端齐平" in finding.message
               for finding in ragged.errors)
    justified = CheckReport(mixed_pdfs[True])
    check_typography(mixed_pdfs[True], justified)
    assert [finding.message for finding in justified.findings] == []


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


def test_placed_characters_agree_with_poppler(mixed_pdfs: dict[bool, Path]) -> None:
    """The content scan places glyphs where poppler does: every word poppler reads
    starts at one of our glyph boxes and ends at one, on its line, with the same text."""
    xhtml = subprocess.run(
        ["pdftotext", "-q", "-bbox", "-enc", "UTF-8", str(mixed_pdfs[True]), "-"],
        capture_output=True, check=True,
    ).stdout
    namespace = {"h": "http://www.w3.org/1999/xhtml"}
    pages = ElementTree.fromstring(xhtml).findall(".//h:page", namespace)
    placed = read_chars(mixed_pdfs[True])
    assert len(pages) == len(placed) > 1
    words = misplaced = 0
    for page, chars in zip(pages, placed, strict=True):
        page_words = page.findall("h:word", namespace)
        assert sorted("".join(word.text for word in page_words)) == sorted(
            "".join(char.text for char in chars if char.text.strip())
        )
        for word in page_words:
            words += 1
            top, bottom = float(word.get("yMin")), float(word.get("yMax"))
            on_line = [char for char in chars if top <= char.top + char.size / 2 <= bottom]
            starts = any(abs(char.x0 - float(word.get("xMin"))) < 0.01 for char in on_line)
            ends = any(abs(char.x1 - float(word.get("xMax"))) < 0.01 for char in on_line)
            misplaced += not (starts and ends)
    assert words > 50
    assert misplaced == 0


def test_quote_break_opportunities() -> None:
    assert quote_breaks("他说“质量”是") == f"他说{ZERO_WIDTH_SPACE}“质量”{ZERO_WIDTH_SPACE}是"
    # Never before a closing mark, never after an opening one, never doubled.
    assert quote_breaks("说：“质量”。") == f"说：{ZERO_WIDTH_SPACE}“质量”。"
    assert quote_breaks("（“质”）") == "（“质”）"
    assert quote_breaks("“甲”“乙”") == f"“甲”{ZERO_WIDTH_SPACE}“乙”"
    assert halved_positions("生命。”会") == {2}
    assert halved_positions("说：“质") == {1, 2}
    assert halved_positions("复审）、同") == {2}


def test_guard_refuses_another_weasyprint(monkeypatch: pytest.MonkeyPatch, builder: Builder,
                                          make_edition: MakeEdition) -> None:
    import weasyprint
    from weasyprint.layout import inline

    justify.check_weasyprint()  # the pinned version passes
    monkeypatch.setattr(inline, "justify_line", lambda context, line: None)
    with pytest.raises(justify.UnsupportedWeasyPrint, match="justify_line"):
        justify.check_weasyprint()
    monkeypatch.undo()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(justify.UnsupportedWeasyPrint, match=r"71\.0"):
        justify.check_weasyprint()
    rendered = builder.render(make_edition())
    with pytest.raises(SetupProblem, match="WeasyPrint"):
        builder.typesetter.typeset(rendered)


def test_extension_is_removed_after_rendering(mixed_pdfs: dict[bool, Path]) -> None:
    from weasyprint.layout import inline

    assert inline.justify_line is not justify.justify_line


def line(page: int, top: float, x0: float, text: str, size: float = 14.0,
         font: str = "Serif", x1: float = 500.0) -> Line:
    return Line(page, top, x0, x1, size, font, text, ())


def test_flow_detectors_find_orphans_widows_and_stranded_headings() -> None:
    body = [line(1, 100 + 25 * index, 80, "正文" * 10) for index in range(20)]
    pages = [
        [*body, line(1, 700, 80, "小标题", font="Sans")],
        [
            line(2, 100, 108, "首行" * 10),
            *[line(2, 125 + 25 * index, 80, "续行" * 10) for index in range(5)],
            line(2, 300, 108, "孤行首行" * 5),
        ],
        [line(3, 100, 80, "孤行末行" * 2, x1=200), line(3, 125, 108, "下一段" * 5)],
    ]
    figures = measure(pages)
    assert [item.text for item in figures.headings_at_foot] == ["小标题"]
    assert [item.page for item in figures.orphans] == [2]
    assert [item.page for item in figures.widows] == [3]


def test_built_edition_has_no_stranded_lines(mixed_pdfs: dict[bool, Path]) -> None:
    figures = measure_pdf(mixed_pdfs[True])
    assert figures.orphans == figures.widows == figures.headings_at_foot == []


def test_seed_briefing_meets_the_figures(make_edition: MakeEdition, builder: Builder,
                                         tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("000_*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"seed briefing not found in {SEEDS}")
    paragraphs = [
        re.sub(r"https?://\S+|!?\[|\]\(", "", raw.strip())
        for raw in seeds[0].read_text("utf-8").splitlines()
        if len(raw.strip()) > 40 and not raw.strip().startswith(("http", "!", "[", "-", "#"))
    ]
    edition = edition_with(make_edition, paragraphs)
    figures = measure_pdf(build_pdf(builder, edition, tmp_path / "seed.pdf", inter_character=True))
    assert figures.justified_lines > 100
    assert figures.flush_ratio >= 0.99, summary(figures)
    assert figures.max_gap_em <= MAX_GAP_EM, summary(figures)
    assert figures.bad_starts == figures.bad_ends == []


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


def test_guard_refuses_pango_that_breaks_after_opening_quote(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from weasyprint.text import line_break

    real = line_break.get_log_attrs

    def breaks_everywhere(text: str, lang: str):  # type: ignore[no-untyped-def]
        attrs = real(text, lang)
        for index in range(1, len(text)):
            attrs[index].is_line_break = 1
        return attrs

    monkeypatch.setattr(line_break, "get_log_attrs", breaks_everywhere)
    with pytest.raises(justify.UnsupportedWeasyPrint, match="curly quotes"):
        justify.check_weasyprint()


def test_sample_edition_meets_the_figures(builder: Builder, tmp_path: Path) -> None:
    from .conftest import SAMPLE_EDITION

    if not (SAMPLE_EDITION / "issue.yaml").is_file():
        pytest.skip(f"sample edition not found at {SAMPLE_EDITION}")
    pdf = build_pdf(builder, SAMPLE_EDITION, tmp_path / "sample.pdf", inter_character=True)
    figures = measure_pdf(pdf)
    assert figures.justified_lines > 100
    assert figures.flush_ratio >= 0.99, summary(figures)
    assert figures.max_gap_em <= MAX_GAP_EM, summary(figures)
    assert figures.bad_starts == figures.bad_ends == []
    assert figures.orphans == figures.widows == figures.headings_at_foot == []


def test_latin_words_and_numbers_are_not_spread(mixed_pdfs: dict[bool, Path]) -> None:
    chars = [
        char for page in read_chars(mixed_pdfs[True])[1:] for char in page
        if abs(char.size - 14) < 0.1  # body text only
    ]
    inside_words = [
        following.x0 - char.x1
        for char, following in pairwise(chars)
        if char.text.isascii() and char.text.isalnum()
        and following.text.isascii() and following.text.isalnum()
        and abs(following.top - char.top) < 1
    ]
    assert len(inside_words) > 20
    # Between letters of a word: nothing added. (The space in ISO 9001 is not drawn
    # as a character, so that pair shows a space's width.)
    spread = [gap for gap in inside_words if 0.05 <= abs(gap) < 0.2 * 14]
    assert spread == [], spread


def test_spacing_weights() -> None:
    assert justify.spacing_weights("质量ISO 9001认证") == [1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1]
    assert justify.gap_units(justify.spacing_weights("质量ISO")) == 1.5
    assert justify.spacing_weights(f"质{ZERO_WIDTH_SPACE}量") == [1, 0, 1]
    assert justify.gap_count("质量ISO") == 4


def right_edge_residuals(pdf: Path) -> list[float]:
    """How far short of the page's right-most body line each nearly-full body line ends, in pt."""
    residuals = []
    for page in read_chars(pdf):
        rows: dict[int, list[float]] = {}
        for char in page:
            if abs(char.size - 14) < 0.1:
                rows.setdefault(round(char.baseline * 2), []).append(char.x1)
        ends = [max(row) for row in rows.values() if len(row) > 10]
        if ends:
            residuals += [max(ends) - end for end in ends if max(ends) - end < 1.0]
    return residuals


def test_lines_end_within_hundredths_of_a_point(mixed_pdfs: dict[bool, Path]) -> None:
    # Glyph advances are truncated to 1/1000 em in the PDF; the justification makes
    # up for it glyph by glyph, so full lines end together, not only within 0.5 pt.
    residuals = right_edge_residuals(mixed_pdfs[True])
    assert len(residuals) >= 30
    # Lines that end in a zero-width break before a quote included: they end at
    # the ink of their last character, not half a gap before the edge.
    assert max(residuals) <= 0.03, sorted(residuals)[-10:]


def test_spacing_memory_gives_the_same_pdf_with_less_work(
    make_edition: MakeEdition, builder: Builder
) -> None:
    from weasyprint import HTML

    rendered = builder.render(edition_with(make_edition, [MIXED] * 6))
    memory = justify.SpacingMemory()
    typesetter = dataclasses.replace(builder.typesetter, spacing_memory=memory)
    first = typesetter.typeset(rendered).pdf
    assert len(memory) >= 10

    def render(memory: justify.SpacingMemory | None) -> tuple[bytes, justify.JustificationStats]:
        with justify.inter_character_justification(memory) as stats:
            document = HTML(string=rendered.html, base_url=rendered.edition.root.as_uri() + "/"
                            ).render(font_config=typesetter.font_configuration())
            pdf = document.write_pdf()
            # Drawn a second time, every box is shaped again and spread the same way.
            assert document.write_pdf() == pdf
        return pdf, stats

    cold_pdf, cold = render(None)
    assert cold.remembered == 0 and cold.boxes >= 10 and cold.widened > 0
    assert cold.worst_error_pt < 0.02  # drawn widths match their targets
    warm_pdf, warm = render(memory)
    assert warm.remembered == warm.boxes == cold.boxes
    assert cold_pdf == warm_pdf == first


def test_memory_keeps_only_what_the_last_render_used() -> None:
    memory = justify.SpacingMemory()
    memory.put(("a",), justify.Spacing(1))
    memory.start_render()
    memory.put(("b",), justify.Spacing(2))
    assert memory.get(("a",)) == justify.Spacing(1)  # from the previous render, carried on
    memory.start_render()
    memory.start_render()  # a render that justified nothing drops nothing
    assert memory.get(("a",)) == justify.Spacing(1)
    assert memory.get(("b",)) == justify.Spacing(2)
    memory.start_render()
    memory.put(("c",), justify.Spacing(3))
    memory.start_render()
    assert memory.get(("a",)) is None
    assert memory.get(("c",)) == justify.Spacing(3)
