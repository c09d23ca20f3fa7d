"""Real renders: build PDFs with WeasyPrint and read them back with pypdf and pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from pipeline.build import Builder
from pipeline.check.expected import Expected
from pipeline.check.run import check_pdf
from pipeline.cli import run
from pipeline.edition.load import load_edition
from pipeline.errors import EditionInvalid
from pipeline.house import shipped_font_families
from pipeline.pdfread.outline import read_outline
from tests.support import SAMPLE_EDITION, MakeEdition, article_text


def pdf_text(pdf: Path, first: int | None = None, last: int | None = None) -> str:
    command = ["pdftotext", "-enc", "UTF-8"]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    return subprocess.run([*command, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("sample") / "2025-11.pdf"
    Builder.create().build(SAMPLE_EDITION, output)
    return output


def test_sample_edition_passes_check(sample_pdf: Path, builder: Builder) -> None:
    report = check_pdf(sample_pdf, Expected.for_edition(load_edition(SAMPLE_EDITION)))
    assert report.errors == [], report.text()
    assert report.page_count >= 8


def test_sample_outline_matches_manifest_and_printed_contents(sample_pdf: Path) -> None:
    edition = load_edition(SAMPLE_EDITION)
    reader = PdfReader(sample_pdf)
    outline = read_outline(reader)
    assert [item.title for item in outline] == [s.name for s in edition.manifest.sections]
    for item, section in zip(outline, edition.manifest.sections, strict=True):
        assert [child.title for child in item.children] == [
            a.front.title for a in edition.articles_in(section.name)
        ]
    # Each outline page is the page whose footer prints that number and holds the title.
    for child in (child for item in outline for child in item.children):
        page_text = pdf_text(sample_pdf, child.page, child.page)
        assert f"—{child.page}—" in page_text.replace(" ", "")
        assert child.title.replace(" ", "")[:8] in page_text.replace(" ", "").replace("\n", "")


def test_sample_metadata_fonts_and_size(sample_pdf: Path) -> None:
    reader = PdfReader(sample_pdf)
    info = reader.metadata
    assert info is not None
    assert info["/Title"] == "工作简报 2025年第11期"
    assert info["/Author"] == "上海交通大学中国质量发展研究院"
    assert info["/Subject"] and info["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    fonts = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, "no fonts listed"
    for row in rows:
        name, *_rest = row.split()
        assert name.split("+")[1].startswith("Briefing-"), row
        assert " yes yes yes " in row, f"font not embedded+subset: {row}"
    for page in reader.pages:
        assert abs(float(page.mediabox.width) - 595.28) < 1
        assert abs(float(page.mediabox.height) - 841.89) < 1


def test_sample_page_one_is_masthead_and_last_has_distribution(sample_pdf: Path) -> None:
    first = pdf_text(sample_pdf, 1, 1)
    for expected in (
        "上海交通大学中国质量发展研究院",
        "第11期",
        "总第58期",
        "—— 新闻动态",
        "—— 学者声音",
        "①",
    ):
        assert expected in first.replace("工 作 简 报", "工作简报")
    count = len(PdfReader(sample_pdf).pages)
    last = pdf_text(sample_pdf, count, count)
    assert "报：" in last and "共印60份" in last


def test_build_is_reproducible(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> None:
    root = make_edition()
    first = builder.build(root, tmp_path / "a.pdf").output.read_bytes()
    second = Builder.create().build(root, tmp_path / "b.pdf").output.read_bytes()
    assert first == second


def test_raw_html_is_shown_as_text(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> None:
    body = "正文里粘贴了<b>加粗</b>和<script>alert(1)</script>标签。\n"
    root = make_edition({"articles/01-first.md": article_text("含HTML的稿件", body)})
    rendered = builder.render(root)
    assert "&lt;b&gt;加粗&lt;/b&gt;" in rendered.html and "<script>" not in rendered.html
    output = builder.build(root, tmp_path / "out.pdf").output
    assert "<b>加粗</b>" in pdf_text(output)


def test_markdown_features_render(make_edition: MakeEdition, builder: Builder, tmp_path: Path) -> None:
    body = (
        "## 一、总体要求\n\n（一）指导思想。坚持问题导向。\n\n1.加强组织领导。\n\n"
        "3. 第三项\n4. 第四项\n\n- 甲\n- 乙\n\n| 姓名 | 职务 |\n| --- | --- |\n| 张三 | 院长 |\n\n> 引文段落。\n"
    )
    root = make_edition({"articles/01-first.md": article_text("格式稿件", body)})
    text = pdf_text(builder.build(root, tmp_path / "out.pdf").output)
    for expected in (
        "一、总体要求",
        "（一）指导思想",
        "1.加强组织领导",
        "3.第三项",
        "4.第四项",
        "张三",
        "引文段落",
    ):
        assert expected in text.replace(" ", ""), expected


PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415408d763f8ffff3f0005fe02fea7d6a4f40000000049454e44ae426082"
)


def test_image_inside_edition_is_placed_with_caption(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    body = "前文。\n\n![图为测试图片](images/dot.png)\n\n后文。\n"
    root = make_edition(
        {"articles/01-first.md": article_text("图片稿件", body), "articles/images/dot.png": PNG_1PX}
    )
    output = builder.build(root, tmp_path / "out.pdf").output
    assert "图为测试图片" in pdf_text(output)
    page = PdfReader(output).pages[1]
    assert any(
        xobject.get_object()["/Subtype"] == "/Image" for xobject in page["/Resources"]["/XObject"].values()
    )


@pytest.mark.parametrize(
    ("src", "expected"),
    [
        ("../../outside.png", "图片必须放在本期文件夹内"),
        ("/etc/passwd.png", "不能是绝对路径"),
        ("file:///etc/hostname", "不能引用网址"),
        ("https://example.com/a.png", "不能引用网址"),
        ("data:image/png;base64,AAAA", "不能引用网址"),
        ("images/missing.png", "找不到图片文件"),
    ],
)
def test_images_outside_edition_refused_with_line(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path, src: str, expected: str
) -> None:
    (tmp_path / "outside.png").write_bytes(PNG_1PX)
    body = f"第一段。\n\n![图为外部图片]({src})\n"
    root = make_edition({"articles/02-second.md": article_text("引用外部图片", body)})
    output = tmp_path / "out.pdf"
    with pytest.raises(EditionInvalid) as caught:
        builder.build(root, output)
    assert not output.exists()
    messages = [str(error) for error in caught.value.errors]
    assert any(
        m.startswith("2025-11/articles/02-second.md:10: 图片：") and expected in m for m in messages
    ), messages


def test_stylesheet_reaching_outside_is_refused_by_fetcher(make_edition: MakeEdition, tmp_path: Path) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(Path(__file__).parent.parent / "styles", styles)
    (tmp_path / "fonts").symlink_to(Path(__file__).parent.parent / "fonts")
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG_1PX)
    with (styles / "briefing.css").open("a", encoding="utf-8") as css:
        css.write(f"\nbody {{ background: url({secret.as_uri()}); }}\n")
        css.write("\nhtml { background: url(https://example.com/x.png); }\n")
    builder = Builder.create(styles_dir=styles)
    with pytest.raises(EditionInvalid) as caught:
        builder.build(make_edition(), tmp_path / "out.pdf")
    text = "\n".join(str(error) for error in caught.value.errors)
    assert secret.as_uri() in text and "https://example.com/x.png" in text


def test_link_with_bad_scheme_is_an_error(make_edition: MakeEdition, builder: Builder) -> None:
    body = "见[附件](javascript:alert(1))。\n"
    root = make_edition({"articles/01-first.md": article_text("坏链接", body)})
    with pytest.raises(EditionInvalid) as caught:
        builder.render(root)
    assert "链接应以 http:// 或 https:// 开头" in str(caught.value.errors[0])


def test_missing_font_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    styles = tmp_path / "styles"
    shutil.copytree(Path(__file__).parent.parent / "styles", styles)
    css = styles / "house.css"
    css.write_text(css.read_text("utf-8").replace("NotoSansCJKsc-Regular.otf", "Missing.otf"), "utf-8")
    from pipeline.typeset.typesetter import SetupProblem

    with pytest.raises(SetupProblem, match=r"缺少字体文件 .*Missing\.otf"):
        Builder.create(styles_dir=styles)


def _broken_copy(source: Path, target: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    writer = PdfWriter(clone_from=source)
    edit(writer)
    writer.write(target)
    return target


def test_check_catches_outline_missing_an_article(sample_pdf: Path, builder: Builder, tmp_path: Path) -> None:
    reader = PdfReader(sample_pdf)
    outline = read_outline(reader)

    def drop_one(writer: PdfWriter) -> None:
        writer._root_object.pop(NameObject("/Outlines"), None)
        for section in outline:
            parent = writer.add_outline_item(title=section.title, page_number=section.page - 1)
            for child in section.children[1:]:  # first article of each section missing
                writer.add_outline_item(title=child.title, page_number=child.page - 1, parent=parent)

    broken = _broken_copy(sample_pdf, tmp_path / "broken.pdf", drop_one)
    report = check_pdf(broken, Expected.for_edition(load_edition(SAMPLE_EDITION)))
    first_title = outline[0].children[0].title
    assert any(f.check == "outline" and f.article == first_title for f in report.errors), report.text()
    assert run(["check", str(broken), "--edition", str(SAMPLE_EDITION)]) == 1


def test_check_catches_outline_pointing_at_wrong_page(
    sample_pdf: Path, builder: Builder, tmp_path: Path
) -> None:
    outline = read_outline(PdfReader(sample_pdf))

    def shift(writer: PdfWriter) -> None:
        writer._root_object.pop(NameObject("/Outlines"), None)
        for section in outline:
            parent = writer.add_outline_item(title=section.title, page_number=section.page - 1)
            for child in section.children:
                writer.add_outline_item(
                    title=child.title, page_number=child.page, parent=parent
                )  # one page late

    broken = _broken_copy(sample_pdf, tmp_path / "shifted.pdf", shift)
    report = check_pdf(broken, Expected.for_edition(load_edition(SAMPLE_EDITION)))
    assert any(f.check == "outline" and "书签指向" in f.message for f in report.errors), report.text()


def test_check_catches_font_not_embedded(sample_pdf: Path, tmp_path: Path, builder: Builder) -> None:
    def strip_font_files(writer: PdfWriter) -> None:
        for page in writer.pages:
            for font in page["/Resources"]["/Font"].values():
                for descendant in font.get_object().get("/DescendantFonts", []):
                    descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                    for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                        descriptor.pop(NameObject(key), None)

    broken = _broken_copy(sample_pdf, tmp_path / "unembedded.pdf", strip_font_files)
    report = check_pdf(broken, Expected.pdf_only(shipped_font_families(builder.styles_dir)))
    assert any(f.check == "fonts" and "没有嵌入" in f.message for f in report.errors), report.text()


def test_check_catches_wrong_page_size_and_metadata(sample_pdf: Path, tmp_path: Path) -> None:
    def letter(writer: PdfWriter) -> None:
        writer.pages[0].mediabox.upper_right = (612, 792)
        writer.pages[0].trimbox.upper_right = (612, 792)
        writer.add_metadata({"/Title": ""})

    broken = _broken_copy(sample_pdf, tmp_path / "letter.pdf", letter)
    report = check_pdf(broken, Expected.pdf_only(set()))
    assert any(f.check == "pages" and f.page == 1 for f in report.errors), report.text()
    assert any(f.check == "metadata" and "标题" in f.message for f in report.errors), report.text()


def test_cli_schema_and_new(tmp_path: Path) -> None:
    assert run(["schema", "-o", str(tmp_path / "schema")]) == 0
    import json

    issue_schema = json.loads((tmp_path / "schema" / "issue.schema.json").read_text("utf-8"))
    assert issue_schema["additionalProperties"] is False and "sections" in issue_schema["required"]
    article_schema = json.loads((tmp_path / "schema" / "article.schema.json").read_text("utf-8"))
    assert set(article_schema["required"]) == {"title", "source", "published"}

    issues = tmp_path / "issues"
    shutil.copytree(SAMPLE_EDITION, issues / "2025-11")
    assert run(["new", "2025-12", "--issues", str(issues)]) == 0
    december = load_edition(issues / "2025-12")
    assert december.manifest.number == 12 and december.manifest.cumulative_number == 59
    assert [s.name for s in december.manifest.sections] == ["新闻动态", "学者声音"]
    # The scaffold builds as it stands (the editor sees the layout), but its example
    # text is not fit to send (tests/check/test_placeholders.py).
    assert run(["build", str(issues / "2025-12"), "-o", str(tmp_path / "december.pdf")]) == 1
    assert (tmp_path / "december.pdf").is_file()
    assert run(["new", "2026-01", "--issues", str(issues)]) == 0
    january = load_edition(issues / "2026-01").manifest
    assert (january.number, january.cumulative_number) == (1, 60)
    assert run(["new", "2026-01", "--issues", str(issues)]) == 2  # exists: refused, untouched


def test_html_output_builds_with_plain_weasyprint(
    make_edition: MakeEdition, builder: Builder, tmp_path: Path
) -> None:
    body = "前文。\n\n![图为测试图片](images/dot.png)\n"
    root = make_edition(
        {"articles/01-first.md": article_text("图片稿件", body), "articles/images/dot.png": PNG_1PX}
    )
    html = tmp_path / "elsewhere" / "briefing.html"
    html.parent.mkdir()
    assert run(["build", str(root), "--html", str(html)]) == 0
    assert html.read_text("utf-8") == builder.render(root).html
    weasyprint = Path(sys.executable).parent / "weasyprint"
    subprocess.run([str(weasyprint), str(html), str(tmp_path / "plain.pdf")], check=True, capture_output=True)
    fonts = subprocess.run(["pdffonts", str(tmp_path / "plain.pdf")], capture_output=True, text=True).stdout
    assert "Briefing-Serif" in fonts and "Briefing-Sans" in fonts
    assert "图为测试图片" in pdf_text(tmp_path / "plain.pdf")


def test_a_build_does_not_import_the_check_or_the_encoding_guesser(tmp_path: Path) -> None:
    # pypdf, pikepdf (the check's readers) and charset_normalizer cost a cold build ~0.2 s.
    program = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipeline.build import Builder\n"
        f"Builder.create().build(Path({str(SAMPLE_EDITION)!r}), Path({str(tmp_path / 'out.pdf')!r}))\n"
        "print(*[name for name in ('pypdf', 'pikepdf', 'pipeline.check', 'charset_normalizer')"
        " if name in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert done.stdout.split() == []
