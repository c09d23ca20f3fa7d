"""`briefing check`: every way a PDF can be unfit, produced on purpose and caught by name.

Each broken case is a real PDF: either built from a broken edition, or a clean build
rewritten with pypdf the way a careless tool (or a bug of ours) would leave it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject, RectangleObject, TextStringObject

from pipeline.build import Builder, BuildResult
from pipeline.check.expected import Expected
from pipeline.check.report import CheckReport, Finding
from pipeline.check.run import check_pdf
from pipeline.check.structure import well_formed_uri
from pipeline.cli import run
from pipeline.edition.load import load_edition
from pipeline.house import shipped_font_families
from pipeline.pdfread.content import scan_content
from pipeline.pdfread.outline import read_outline
from pipeline.typeset.glyphs import notdef_characters
from tests.support import MANIFEST, PARAGRAPH, MakeEdition, article_text

TITLES = ["研究院召开质量发展形势分析会", "标准化试点项目通过验收", "学者谈计量基础设施建设"]
RARE = "\U0002a6a5"  # 𪚥, CJK Extension B: not in Noto CJK SC
EMOJI = "\U0001f600"  # 😀


def build(builder: Builder, edition: Path) -> BuildResult:
    return builder.build(edition, edition.parent / f"{edition.name}.pdf")


def check(builder: Builder, result: BuildResult, pdf: Path | None = None) -> CheckReport:
    return check_pdf(pdf or result.output, result.expected)


def only(findings: list[Finding], check_name: str) -> list[Finding]:
    return [finding for finding in findings if finding.check == check_name]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> BuildResult:
    """One clean three-article build that the tampering tests copy and rewrite."""
    root = tmp_path_factory.mktemp("clean") / "2025-11"
    (root / "articles").mkdir(parents=True)
    (root / "issue.yaml").write_text(MANIFEST, "utf-8")
    for index, title in enumerate(TITLES, start=1):
        name = ["01-first", "02-second", "03-third"][index - 1]
        (root / "articles" / f"{name}.md").write_text(article_text(title), "utf-8")
    return build(builder, root)


def article_pages(pdf: Path) -> dict[str, int]:
    """1-based first page of each article, from the PDF's own outline."""
    return {child.title: child.page for item in read_outline(PdfReader(pdf)) for child in item.children}


def rewrite(source: Path, target: Path, change) -> Path:  # type: ignore[no-untyped-def]
    writer = PdfWriter(clone_from=source)
    change(writer)
    writer.write(target)
    return target


def test_clean_edition_passes_even_strictly(builder: Builder, clean: BuildResult) -> None:
    report = check(builder, clean)
    assert report.findings == [], report.text()
    assert report.ok(strict=True)
    assert report.page_count == clean.page_count
    assert "检查通过" in report.text()


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


def test_contents_number_off_names_article_and_page(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    def print_wrong_number(writer: PdfWriter) -> None:
        page = writer.pages[0]
        data = page.get_contents().get_data()
        # The first entry's page number "2" (drawn alone, in its own column) becomes "4".
        changed, count = re.subn(rb"\[<0013>0\] TJ", b"[<0015>0] TJ", data, count=1)
        assert count == 1
        stream = DecodedStreamObject()
        stream.set_data(changed)
        page.replace_contents(stream)

    pdf = rewrite(clean.output, tmp_path / "contents.pdf", print_wrong_number)
    report = check(builder, clean, pdf)
    [finding] = report.errors
    assert finding.check == "contents"
    assert finding.article == TITLES[0] and finding.file == "2025-11/articles/01-first.md"
    assert finding.page == 1
    assert "目录印的页码是 4，稿件实际在第2页" in finding.message


def test_outline_missing_an_article_names_it_and_its_page(
    builder: Builder, clean: BuildResult, tmp_path: Path
) -> None:
    pages = article_pages(clean.output)
    outline = [
        ("新闻动态", pages[TITLES[0]] - 1, [(TITLES[0], pages[TITLES[0]] - 1)]),
        ("学者声音", pages[TITLES[2]] - 1, [(TITLES[2], pages[TITLES[2]] - 1)]),
    ]

    def drop_second_article(writer: PdfWriter) -> None:
        del writer._root_object["/Outlines"]
        for section, page, children in outline:
            parent = writer.add_outline_item(title=section, page_number=page)
            for title, child_page in children:
                writer.add_outline_item(title=title, page_number=child_page, parent=parent)

    pdf = rewrite(clean.output, tmp_path / "outline.pdf", drop_second_article)
    report = check(builder, clean, pdf)
    [finding] = report.errors
    assert finding.check == "outline" and "缺少" in finding.message
    assert finding.article == TITLES[1] and finding.page == pages[TITLES[1]]
    assert finding.file == "2025-11/articles/02-second.md"


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


def test_images_below_print_resolution(
    builder: Builder, make_edition: MakeEdition, tmp_path: Path
) -> None:
    # Figures fill the 156 mm text block: 360 px across it prints at about 59 dpi.
    Image.new("RGB", (360, 240), "gray").save(tmp_path / "blurry.png", dpi=(72, 72))
    # Wide enough to fill the column: ~1000 px across ~156 mm is about 160 dpi.
    Image.new("RGB", (1000, 600), "gray").save(tmp_path / "soft.png")
    Image.new("RGB", (2400, 1440), "gray").save(tmp_path / "sharp.png")
    body = "第一句话。\n\n" + "\n\n".join(
        f"![{caption}](images/{name}.png)"
        for caption, name in (("会场", "blurry"), ("合影", "soft"), ("现场", "sharp"))
    )
    files: dict[str, str | bytes] = {"articles/01-first.md": article_text(TITLES[0], body)}
    for name in ("blurry", "soft", "sharp"):
        files[f"articles/images/{name}.png"] = (tmp_path / f"{name}.png").read_bytes()
    result = build(builder, make_edition(files))

    report = check(builder, result)
    [error] = only(report.errors, "images")
    assert "blurry.png" in error.message and "59 dpi" in error.message
    assert (error.article, error.file, error.line) == (
        TITLES[0],
        "2025-11/articles/01-first.md",
        10,
    )
    assert error.page == 2
    [warning] = only(report.warnings, "images")
    assert "soft.png" in warning.message and warning.line == 12
    assert not any("sharp.png" in finding.message for finding in report.findings)


def test_pdf_out_of_date_with_its_edition_fails_text_present(
    builder: Builder, make_edition: MakeEdition
) -> None:
    edition = make_edition()
    result = build(builder, edition)
    (edition / "articles" / "02-second.md").write_text(
        article_text(TITLES[1], "验收专家组一致同意通过。\n"), "utf-8"
    )
    pdf = result.output
    assert run(["check", str(pdf), "--edition", str(edition)]) == 1
    report = check_pdf(pdf, Expected.for_edition(load_edition(edition)))
    [finding] = report.errors
    assert finding.check == "text" and "验收专家组一致同意通过。" in finding.message
    assert finding.article == TITLES[1] and finding.page == article_pages(pdf)[TITLES[1]]


def test_bad_pages_links_and_metadata(builder: Builder, clean: BuildResult, tmp_path: Path) -> None:
    pages = article_pages(clean.output)
    third, first = pages[TITLES[2]], pages[TITLES[0]]

    def damage(writer: PdfWriter) -> None:
        letter = RectangleObject([0, 0, 612, 792])  # US Letter
        writer.pages[third - 1].mediabox = writer.pages[third - 1].trimbox = letter
        for annotation in writer.pages[first - 1].get("/Annots", []):
            action = annotation.get_object().get("/A")
            if action is not None and action.get_object().get("/S") == "/URI":
                action.get_object()[NameObject("/URI")] = TextStringObject("htps//samr gov")
                break
        writer._root_object[NameObject("/Lang")] = TextStringObject("en")

    pdf = rewrite(clean.output, tmp_path / "damaged.pdf", damage)
    report = check(builder, clean, pdf)
    checks = {(finding.check, finding.page) for finding in report.errors}
    assert ("pages", third) in checks and ("links", first) in checks and ("metadata", None) in checks
    [page] = only(report.errors, "pages")
    assert page.article == TITLES[2] and "不是 A4" in page.message


def test_uri_well_formedness() -> None:
    assert well_formed_uri("https://www.samr.gov.cn/xw/art/2025/1.html") is None
    assert well_formed_uri("mailto:office@example.edu.cn") is None
    assert well_formed_uri("https://例子.中国/页面") is None
    assert well_formed_uri("htps//samr.gov.cn") is not None
    assert well_formed_uri("https://samr gov.cn") is not None
    assert well_formed_uri("https://:80") is not None
    assert well_formed_uri("javascript:alert(1)") is not None


def test_cli_exit_codes_json_and_strict(
    builder: Builder, make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Image.new("RGB", (1000, 600), "gray").save(tmp_path / "soft.png")
    edition = make_edition(
        {
            "articles/01-first.md": article_text(TITLES[0], "开头。\n\n![合影](soft.png)\n"),
            "articles/soft.png": (tmp_path / "soft.png").read_bytes(),
        }
    )
    pdf = tmp_path / "out.pdf"
    assert run(["build", str(edition), "-o", str(pdf)]) == 0  # warnings only
    assert run(["build", str(edition), "-o", str(pdf), "--strict"]) == 1
    capsys.readouterr()
    assert run(["check", str(pdf), "--edition", str(edition), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is True and data["errors"] == 0 and data["warnings"] == 1
    [finding] = data["findings"]
    assert finding["file"] == "2025-11/articles/01-first.md" and finding["line"] == 10
    assert run(["check", str(pdf), "--edition", str(edition), "--strict"]) == 1
    assert run(["check", str(tmp_path / "missing.pdf")]) == 2
    shutil.copy(pdf, tmp_path / "copy.pdf")
    assert run(["check", str(tmp_path / "copy.pdf")]) == 0  # without the edition: PDF-only checks


def test_titles_with_dashes_and_dots_match_the_contents(
    builder: Builder, make_edition: MakeEdition
) -> None:
    tricky = "质量强国——标准先行...2025年第3季度"
    edition = make_edition({"articles/02-second.md": article_text(tricky)})
    report = check(builder, build(builder, edition))
    assert report.findings == [], report.text()
