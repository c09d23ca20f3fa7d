"""Inter-character justification (typeset.justify) on real PDFs: flush lines, even gaps,
Latin words kept whole, the version guard, and the patch restored after each render."""

from __future__ import annotations

import dataclasses
from itertools import pairwise
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.check.typography import (
    MAX_GAP_EM,
    measure_pdf,
)
from pipeline.pdfread.lines import read_chars
from pipeline.render.cjk_text import ZERO_WIDTH_SPACE
from pipeline.typeset import guard, justify, spacing
from pipeline.typeset.typesetter import SetupProblem
from tests.support import (
    MIXED,
    MakeEdition,
    edition_with,
    right_edge_residuals,
    summary,
)


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


def test_guard_refuses_another_weasyprint(monkeypatch: pytest.MonkeyPatch, builder: Builder,
                                          make_edition: MakeEdition) -> None:
    import weasyprint
    from weasyprint.layout import inline

    guard.check_weasyprint()  # the pinned version passes
    monkeypatch.setattr(inline, "justify_line", lambda context, line: None)
    with pytest.raises(guard.UnsupportedWeasyPrint, match="justify_line"):
        guard.check_weasyprint()
    monkeypatch.undo()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(guard.UnsupportedWeasyPrint, match=r"71\.0"):
        guard.check_weasyprint()
    rendered = builder.render(make_edition())
    with pytest.raises(SetupProblem, match="WeasyPrint"):
        builder.typesetter.typeset(rendered)


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
    with pytest.raises(guard.UnsupportedWeasyPrint, match="curly quotes"):
        guard.check_weasyprint()


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
    # The space is a gap already: it takes no spacing of its own.
    assert spacing.spacing_weights("质量ISO 9001认证") == [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    assert spacing.gap_units(spacing.spacing_weights("质量ISO")) == 1.5
    assert spacing.spacing_weights(f"质{ZERO_WIDTH_SPACE}量") == [1, 0, 1]
    assert spacing.gap_count("质量ISO") == 4


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
    memory = spacing.SpacingMemory()
    # Without page composition: the plain renders below compare with this one.
    typesetter = dataclasses.replace(builder.typesetter, spacing_memory=memory, compose=False)
    first = typesetter.typeset(rendered).pdf
    assert len(memory) >= 10

    def render(memory: spacing.SpacingMemory | None) -> tuple[bytes, spacing.JustificationStats]:
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
    memory = spacing.SpacingMemory()
    memory.put(("a",), spacing.Spacing(1))
    memory.start_render()
    memory.put(("b",), spacing.Spacing(2))
    assert memory.get(("a",)) == spacing.Spacing(1)  # from the previous render, carried on
    memory.start_render()
    memory.start_render()  # a render that justified nothing drops nothing
    assert memory.get(("a",)) == spacing.Spacing(1)
    assert memory.get(("b",)) == spacing.Spacing(2)
    memory.start_render()
    memory.put(("c",), spacing.Spacing(3))
    memory.start_render()
    assert memory.get(("a",)) is None
    assert memory.get(("c",)) == spacing.Spacing(3)


def test_extension_is_installed_only_while_rendering(make_edition: MakeEdition, builder: Builder) -> None:
    from weasyprint.layout import inline

    original = inline.justify_line
    with justify.inter_character_justification():
        assert inline.justify_line is not original
    assert inline.justify_line is original
    # A render through the typesetter (which enters the same block) leaves it restored too,
    # even when the render fails half-way.
    builder.typesetter.typeset(builder.render(make_edition()))
    assert inline.justify_line is original
    with pytest.raises(RuntimeError), justify.inter_character_justification():
        raise RuntimeError("render failed")
    assert inline.justify_line is original
