"""Fonts and missing glyphs: every box on paper found, with its article and line."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from pipeline.build import Builder, BuildResult
from pipeline.check.expected import Expected
from pipeline.check.run import check_pdf
from pipeline.house import shipped_font_families
from pipeline.pdfread.content import scan_content
from pipeline.typeset.glyphs import notdef_characters
from tests.support import (
    EMOJI,
    PARAGRAPH,
    RARE,
    TITLES,
    MakeEdition,
    article_text,
    build,
    check,
    only,
    rewrite,
)


def test_rare_character_is_caught_before_during_and_after_rendering(
    builder: Builder, make_edition: MakeEdition
) -> None:
    body = f"{PARAGRAPH}\n\n会上，张{RARE}同志作了发言。\n"
    edition = make_edition({"articles/02-second.md": article_text(TITLES[1], body)})
    result = build(builder, edition)
    assert result.output.is_file(), "the PDF is written so the editor can see the boxes"

    # Layer 1: before typesetting, with file, line, column and code point.
    [glyph] = result.missing_glyphs
    assert (glyph.file, glyph.line, glyph.character) == ("2025-11/articles/02-second.md", 10, RARE)
    assert str(glyph.as_editor_error()).startswith("2025-11/articles/02-second.md:10:5:")
    assert "U+2A6A5" in str(glyph.as_editor_error())
    # Layer 2: WeasyPrint's own warning was captured, not lost.
    assert notdef_characters(result.warnings) == [RARE]

    report = check(builder, result)
    assert not report.ok()
    [finding] = only(report.errors, "glyphs")
    assert finding.article == TITLES[1]
    assert finding.file == "2025-11/articles/02-second.md" and finding.line == 10
    assert "U+2A6A5" in finding.message
    page_text = subprocess.run(
        ["pdftotext", "-f", str(finding.page), "-l", str(finding.page), str(result.output), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    assert f"张{RARE}同志" in page_text  # poppler reads it through ToUnicode; pypdf cannot

    # Layer 3 alone: the PDF by itself (no edition, no warnings) still gives the box away.
    pdf_only = check_pdf(result.output, Expected.pdf_only(shipped_font_families(builder.styles_dir)))
    [scanned] = only(pdf_only.errors, "glyphs")
    assert scanned.page == finding.page and "U+2A6A5" in scanned.message


def test_emoji_renders_as_box_in_our_fonts_never_a_system_font(
    builder: Builder, make_edition: MakeEdition
) -> None:
    body = f"好消息{EMOJI}来了。\n\n{PARAGRAPH}\n"
    edition = make_edition({"articles/03-third.md": article_text(TITLES[2], body)})
    result = build(builder, edition)
    # fonts.conf points fontconfig at fonts/ alone: no emoji font may be drawn.
    drawn = scan_content(PdfReader(result.output)).fonts
    assert all(re.search(r"\+Briefing-(Serif|Sans)", name) for name in drawn), drawn
    assert notdef_characters(result.warnings) == [EMOJI]

    report = check(builder, result)
    [finding] = only(report.errors, "glyphs")
    assert finding.article == TITLES[2] and finding.file == "2025-11/articles/03-third.md"
    assert finding.page == 3 and finding.line == 8
    assert "U+1F600" in finding.message
    assert "【《学者谈计量基础设施建设》 2025-11/articles/03-third.md】" in report.text()
    assert only(report.errors, "fonts") == []


def test_font_that_is_not_shipped_is_an_error(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    def rename_serif(writer: PdfWriter) -> None:
        for font in writer.pages[1]["/Resources"]["/Font"].values():
            font = font.get_object()
            if str(font["/BaseFont"]).endswith("+Briefing-Serif"):
                font[NameObject("/BaseFont")] = NameObject("/ABCDEF+NotoColorEmoji")

    pdf = rewrite(clean.output, tmp_path / "fallback.pdf", rename_serif)
    report = check(builder, clean, pdf)
    [finding] = only(report.errors, "fonts")
    assert "NotoColorEmoji" in finding.message and "未随工具提供" in finding.message
    assert finding.page == 1
    assert f"《{TITLES[0]}》" in finding.message  # the articles it draws


def test_font_not_embedded(builder: Builder, clean: BuildResult, tmp_path: Path) -> None:
    def strip_font_file(writer: PdfWriter) -> None:
        for font in writer.pages[1]["/Resources"]["/Font"].values():
            font = font.get_object()
            if str(font["/BaseFont"]).endswith("+Briefing-Serif-Bold"):
                descendant = font["/DescendantFonts"][0].get_object()
                del descendant["/FontDescriptor"].get_object()["/FontFile3"]

    pdf = rewrite(clean.output, tmp_path / "unembedded.pdf", strip_font_file)
    report = check(builder, clean, pdf)
    [finding] = report.errors
    assert finding.check == "fonts" and "Briefing-Serif-Bold 没有嵌入" in finding.message
    assert finding.page == 1
    assert all(f"《{title}》" in finding.message for title in TITLES)
