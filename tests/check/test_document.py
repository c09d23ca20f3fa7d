"""The document as a file: page size, metadata, image resolution."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import NameObject, RectangleObject, TextStringObject

from pipeline.build import Builder, BuildResult
from tests.support import TITLES, MakeEdition, article_pages, article_text, build, check, only, rewrite


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


def test_two_pictures_of_one_pixel_size_each_name_their_own_article(
    builder: Builder, make_edition: MakeEdition, tmp_path: Path
) -> None:
    # Both on one page (short articles), same pixel size, both too coarse to print.
    for name, colour in (("first", "gray"), ("second", "white")):
        Image.new("RGB", (360, 40), colour).save(tmp_path / f"{name}.png")
    files: dict[str, str | bytes] = {}
    for index, name in enumerate(("first", "second")):
        relative = f"articles/0{index + 1}-{name}.md"
        files[relative] = article_text(TITLES[index], f"开头一句。\n\n![图为{name}](images/{name}.png)\n")
        files[f"articles/images/{name}.png"] = (tmp_path / f"{name}.png").read_bytes()
    result = build(builder, make_edition(files))
    found = only(check(builder, result).errors, "images")
    assert [(f.article, f.file, f.line) for f in found] == [
        (TITLES[0], "2025-11/articles/01-first.md", 10),
        (TITLES[1], "2025-11/articles/02-second.md", 10),
    ]
    assert "first.png" in found[0].message and "second.png" in found[1].message
    assert found[0].page == found[1].page
