"""The archive (PDF/A-2u, tagged) and print (bleed, crop marks) variants, built for real.

Each is built from the sample edition and read back with pikepdf: what the archive
declares and embeds, what its structure tree says, what boxes the print pages carry
and whether the crop marks are drawn where a print shop looks for them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pipeline.build import Builder, BuildResult
from pipeline.check.run import check_pdf
from pipeline.cli import run
from pipeline.pdfread.page_text import normalize
from pipeline.pdfread.structure import read_structure
from pipeline.variant import ARCHIVE, BLEED_MM
from tests.support import PARAGRAPH, SAMPLE_EDITION, MakeEdition, article_text, png_bytes

A4 = (595.2756, 841.8898)
BLEED = BLEED_MM * 72 / 25.4


def full_check(builder: Builder, result: BuildResult) -> list[str]:
    report = check_pdf(result.output, result.expected)
    return [f"{finding.check}: {finding.message}" for finding in report.findings]


def test_archive_declares_pdfa_2u_with_the_editions_metadata(archive: BuildResult) -> None:
    manifest = archive.rendered.edition.manifest
    with pikepdf.open(archive.output) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
        with pdf.open_metadata() as meta:
            assert meta["pdfaid:part"] == "2"
            assert meta["pdfaid:conformance"] == "U"
            assert meta["dc:title"] == manifest.document_title
            assert meta["dc:creator"] == [manifest.issuer]
            assert meta["xmp:CreateDate"].startswith(manifest.issue_date.isoformat())
        assert "pdfaid:part" in xmp
        assert str(pdf.docinfo["/Title"]) == manifest.document_title
        assert not pdf.is_encrypted
        assert "/JavaScript" not in pdf.Root.get("/Names", {})


def test_archive_has_srgb_output_intent_with_its_icc_profile(archive: BuildResult) -> None:
    with pikepdf.open(archive.output) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFA1"
        profile = intent.DestOutputProfile.read_bytes()
        assert profile[16:20] == b"RGB " and profile[36:40] == b"acsp"
        assert "sRGB" in str(intent.OutputConditionIdentifier)


def test_archive_embeds_every_font_and_interpolates_no_image(archive: BuildResult) -> None:
    with pikepdf.open(archive.output) as pdf:
        fonts = pdf.pages[0].Resources.Font.values()
        for font in fonts:
            descriptor = font.DescendantFonts[0].FontDescriptor
            assert "/FontFile3" in descriptor or "/FontFile2" in descriptor
            assert "/ToUnicode" in font
        images = [x for x in pdf.pages[0].Resources.XObject.values() if x.get("/Subtype") == "/Image"]
        assert images and all(not bool(image.get("/Interpolate", False)) for image in images)


def test_archive_tags_headings_paragraphs_lists_tables_figures_in_contents_order(
    archive: BuildResult,
) -> None:
    with pikepdf.open(archive.output) as pdf:
        assert str(pdf.Root.Lang) == "zh-CN"
        assert bool(pdf.Root.MarkInfo.Marked)
        tree = read_structure(pdf)
    assert tree is not None
    kinds = {element.kind for element in tree.walk()}
    assert {"H1", "H2", "H3", "H4", "P", "L", "LI", "Table", "TH", "TD", "Figure", "Caption", "Art"} <= kinds
    by_kind = {kind: [e for e in tree.walk() if e.kind == kind] for kind in ("H1", "Figure")}
    assert [normalize(e.text) for e in by_kind["H1"]] == ["工作简报"]
    # Figures carry their caption as alternate text; the caption text is the same words.
    captions = [e for e in tree.walk() if e.kind == "Caption"]
    assert [e.alt for e in by_kind["Figure"]] == [e.text for e in captions]
    assert all(alt and alt.startswith("图为") for alt in (e.alt for e in by_kind["Figure"]))
    # Reading order: article titles, in tree order, are the contents' order.
    titles = [
        normalize(e.text)
        for e in tree.walk()
        if e.kind == "H3" and e.parent is not None and e.parent.kind == "Art"
    ]
    rendered = archive.rendered
    assert titles == [normalize(entry.article.front.title) for s in rendered.sections for entry in s.entries]


def test_archive_passes_the_check_with_conformance_checks_run(builder: Builder, archive: BuildResult) -> None:
    assert full_check(builder, archive) == []


def test_print_pages_are_a4_trim_with_3mm_bleed(printed: BuildResult) -> None:
    with pikepdf.open(printed.output) as pdf:
        for page in pdf.pages:
            trim = [float(v) for v in page.TrimBox]
            bleed = [float(v) for v in page.BleedBox]
            media = [float(v) for v in page.MediaBox]
            assert trim[2] - trim[0] == pytest.approx(A4[0], abs=0.01)
            assert trim[3] - trim[1] == pytest.approx(A4[1], abs=0.01)
            assert [t - b for t, b in zip(trim[:2], bleed[:2], strict=True)] == pytest.approx(
                [BLEED] * 2, abs=0.01
            )
            assert [b - t for t, b in zip(trim[2:], bleed[2:], strict=True)] == pytest.approx(
                [BLEED] * 2, abs=0.01
            )
            assert media == pytest.approx(bleed, abs=0.01)


def test_print_keeps_every_image_at_its_files_resolution(printed: BuildResult) -> None:
    sources = set()
    for image in printed.rendered.images:
        with Image.open(image.path) as opened:
            sources.add(opened.size)
    with pikepdf.open(printed.output) as pdf:
        drawn = {
            (int(x.Width), int(x.Height))
            for page in pdf.pages
            for x in page.Resources.XObject.values()
            if x.get("/Subtype") == "/Image"
        }
    assert drawn and drawn == sources


def _dark_pixels(pdf: Path, dpi: int, box: tuple[int, int, int, int]) -> int:
    """Dark pixels of page 1 in the (x, y, width, height) box, in pixels at `dpi`."""
    x, y, width, height = box
    root = pdf.with_name(f"{pdf.stem}-{dpi}-{x}-{y}-{width}-{height}")
    subprocess.run(
        ["pdftoppm", "-png", "-gray", "-singlefile", "-r", str(dpi), "-f", "1", "-l", "1", "-x", str(x),
         "-y", str(y), "-W", str(width), "-H", str(height), str(pdf), str(root)],
        check=True, capture_output=True,
    )  # fmt: skip
    with Image.open(root.with_suffix(".png")) as image:
        return sum(value < 128 for value in image.convert("L").tobytes())


def test_print_draws_crop_marks_in_the_bleed_and_nothing_else_there(
    printed: BuildResult, tmp_path: Path, builder: Builder
) -> None:
    dpi = 300
    bleed_px = round(BLEED_MM / 25.4 * dpi)  # 35 px
    # Top-left corner: the bleed strip above the trim, left of it, and the corner square.
    corner = _dark_pixels(printed.output, dpi, (0, 0, bleed_px - 3, bleed_px - 3))
    strip_above = _dark_pixels(printed.output, dpi, (bleed_px + 5, 0, 200, bleed_px - 2))
    assert corner == 0  # the marks lie on the trim lines only
    assert strip_above == 0  # no artwork runs into the bleed
    # The marks: on the trim lines, in the half of the bleed farthest from the page.
    horizontal = _dark_pixels(printed.output, dpi, (0, bleed_px - 3, bleed_px // 2, 6))
    vertical = _dark_pixels(printed.output, dpi, (bleed_px - 3, 0, 6, bleed_px // 2))
    assert horizontal > 5 and vertical > 5
    # The briefing variant has no bleed, hence no marks: its corner is empty paper.
    plain = builder.build(SAMPLE_EDITION, tmp_path / "plain.pdf")
    assert _dark_pixels(plain.output, dpi, (0, 0, bleed_px, bleed_px)) == 0


def test_print_passes_the_check_with_box_checks_run(builder: Builder, printed: BuildResult) -> None:
    assert full_check(builder, printed) == []


@pytest.mark.parametrize("variant", ["briefing", "archive", "print"])
def test_every_variant_is_byte_reproducible(variant: str, tmp_path: Path) -> None:
    outputs = []
    for attempt in ("first", "second"):
        output = tmp_path / f"{attempt}.pdf"
        assert run(["build", str(SAMPLE_EDITION), "--variant", variant, "-o", str(output), "--no-check"]) == 0
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]


def test_build_command_names_the_variant_and_keeps_the_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "a.pdf"
    assert run(["build", str(SAMPLE_EDITION), "--variant", "archive", "-o", str(output)]) == 0
    said = capsys.readouterr().out
    assert "存档版（PDF/A-2u）" in said and "检查通过" in said  # a passing build says so (issue 11)
    with pikepdf.open(output) as pdf:
        assert re.search(rb'pdfaid:part="2"', pdf.Root.Metadata.read_bytes())
    assert run(["build", str(SAMPLE_EDITION), "-o", str(tmp_path / "b.pdf"), "--no-check"]) == 0
    with pikepdf.open(tmp_path / "b.pdf") as pdf:
        assert "/Metadata" not in pdf.Root and "/StructTreeRoot" not in pdf.Root
        assert [float(v) for v in pdf.pages[0].TrimBox] == [float(v) for v in pdf.pages[0].MediaBox]


def test_archive_of_an_image_without_caption_fails_on_its_missing_alt_text(
    make_edition: MakeEdition, builder: Builder, capsys: pytest.CaptureFixture[str]
) -> None:
    picture = png_bytes(size=(1200, 800))
    body = f"{PARAGRAPH}\n\n![](images/photo.png)\n\n{PARAGRAPH}\n"
    root = make_edition(
        {"articles/01-first.md": article_text("没有图注的图片", body), "articles/images/photo.png": picture}
    )
    result = builder.build(root, root.parent / "archive.pdf", ARCHIVE)
    findings = check_pdf(result.output, result.expected).findings
    missing = [f for f in findings if f.check == "tags" and "没有替代文字" in f.message]
    assert len(missing) == 1 and missing[0].hint and "图注" in missing[0].hint
    # The command tells it once, in Chinese, and not WeasyPrint's English note as well.
    assert run(["build", str(root), "--variant", "archive", "-o", str(root.parent / "cli.pdf")]) == 1
    said = capsys.readouterr()
    assert "没有替代文字" in said.out and "alt description" not in said.err + said.out
