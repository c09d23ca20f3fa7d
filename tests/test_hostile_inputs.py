"""Every broken or hostile input is refused by the real CLI: exit 2, file:line, last PDF intact."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.support import (
    LAST_PDF,
    MANIFEST,
    PARAGRAPH,
    MakeEdition,
    article_text,
    line_of,
    png_bytes,
    png_header_only,
    run_cli,
    truncated_jpeg,
)

FIRST = "articles/01-first.md"
SECOND = "articles/02-second.md"


def with_image(name: str, data: bytes, caption: str = "图为示意图") -> dict[str, str | bytes]:
    body = f"{PARAGRAPH}\n\n![{caption}](images/{name})\n\n{PARAGRAPH}\n"
    return {FIRST: article_text("带图片的稿件", body), f"articles/images/{name}": data}


XXE_SVG = (
    b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&secret;</text></svg>\n'
)
CSS_IMPORT_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<style>@import url(file:///etc/passwd);</style><rect width='5' height='5'/></svg>"
)
EXTERNAL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
    b'<image xlink:href="../../../outside.png" width="5" height="5"/></svg>'
)
CSS_URL_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="5" height="5" style="fill: url(https://example.com/x.svg#g)"/></svg>'
)

# (case, files replacing the good edition's, file the error names, text on its line, message)
CASES = [
    ("corrupt png", with_image("x.png", png_bytes()[:40] + b"\x00" * 200), FIRST, "images/x.png", "损坏"),
    ("decompression bomb", with_image("x.png", png_header_only(20000, 20000)), FIRST, "images/x.png", "20000×20000"),
    ("12000 square", with_image("x.png", png_header_only(12000, 12000)), FIRST, "images/x.png", "5000 万像素"),
    ("truncated jpeg", with_image("x.jpg", truncated_jpeg()), FIRST, "images/x.jpg", "不完整"),
    ("zero bytes", with_image("x.png", b""), FIRST, "images/x.png", "空文件"),
    ("text named png", with_image("x.png", "这不是图片".encode()), FIRST, "images/x.png", "不是可以识别的图片"),
    ("bmp named png", with_image("x.png", b"BM" + b"\x00" * 60), FIRST, "images/x.png", "图片"),
    ("svg xxe", with_image("x.svg", XXE_SVG), FIRST, "images/x.svg", "ENTITY"),
    ("svg css import", with_image("x.svg", CSS_IMPORT_SVG), FIRST, "images/x.svg", "@import"),
    ("svg external href", with_image("x.svg", EXTERNAL_SVG), FIRST, "images/x.svg", "outside.png"),
    ("svg css url", with_image("x.svg", CSS_URL_SVG), FIRST, "images/x.svg", "example.com"),
    ("svg not xml", with_image("x.svg", b"<svg><g></svg>"), FIRST, "images/x.svg", "格式正确"),
    (
        "nul in body",
        {FIRST: article_text("含控制字符", f"{PARAGRAPH}\n\n第二段\x00有空字符。\n")},
        FIRST, "第二段", "U+0000",
    ),
    (
        "right-to-left override",
        {FIRST: article_text("标题", f"{PARAGRAPH}\n\n金额为\u202e元万001\u202c。\n")},
        FIRST, "金额为", "U+202E",
    ),
    (
        "escape in issue.yaml",
        {"issue.yaml": MANIFEST.replace("editor: 研究院办公室", "editor: 研究院\x1b办公室")},
        "issue.yaml", "editor:", "U+001B",
    ),
    (
        "form feed in front matter",
        {FIRST: article_text("标题\x0c里有换页符")},
        FIRST, "title:", "U+000C",
    ),
    (
        "yaml alias",
        {"issue.yaml": MANIFEST.replace("editor: 研究院办公室", "editor: &who 研究院办公室\nsubject: *who")},
        "issue.yaml", "editor:", "锚点和别名",
    ),
    (
        "deeply nested yaml",
        {FIRST: article_text("标题", extra_front="author: " + "[" * 5000 + "]" * 5000 + "\n")},
        FIRST, "author:", "嵌套超过 20 层",
    ),
    (
        "number true",
        {"issue.yaml": MANIFEST.replace("number: 11", "number: true")},
        "issue.yaml", "number: true", "应为整数",
    ),
    (
        "nine nested lists",
        {FIRST: article_text("深层列表", "".join("  " * depth + f"- 第{depth + 1}层\n" for depth in range(9)))},
        FIRST, "- 第9层", "嵌套太深",
    ),
    (
        "unbroken run",
        {FIRST: article_text("长串", f"{PARAGRAPH}\n\n数据：{'A1b2' * 100}。\n")},
        FIRST, "数据：", "中间没有空格",
    ),
    (
        "unbroken run in a table cell",
        {FIRST: article_text("长串表格", f"| 名称 | 网址 |\n| --- | --- |\n| 总局 | https://x.cn/{'y' * 400} |\n")},
        FIRST, "| 总局", "中间没有空格",
    ),
    (
        "five nested quotes",
        {FIRST: article_text("深层引文", "> " * 5 + "第五层引文。\n")},
        FIRST, "第五层引文", "嵌套太深",
    ),
    (
        "twenty nested quotes",
        {FIRST: article_text("深层引文", "> " * 20 + "最深处的引文。\n\n之后的段落。\n")},
        FIRST, "最深处的引文", "嵌套太深",
    ),
]


@pytest.mark.parametrize(
    ("files", "where", "marker", "message"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_broken_input_exits_2_with_file_line_and_keeps_last_pdf(
    make_edition: MakeEdition,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str | bytes],
    where: str,
    marker: str,
    message: str,
) -> None:
    root = make_edition(files)
    output = tmp_path / "out" / "2025-11.pdf"
    output.parent.mkdir()
    output.write_bytes(LAST_PDF)
    code, printed = run_cli(capsys, "build", str(root), "-o", str(output))
    assert code == 2, printed
    assert f"2025-11/{where}:{line_of(root / where, marker)}" in printed, printed
    assert message in printed, printed
    assert "Traceback" not in printed and "内部错误" not in printed and "Warning" not in printed, printed
    assert output.read_bytes() == LAST_PDF
    assert sorted(path.name for path in output.parent.iterdir()) == ["2025-11.pdf"]


def test_billion_laughs_is_refused_at_once(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    levels = ["a0: &a0 [哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈, 哈]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)]
    bomb = "\n".join(levels) + "\n"
    sections = MANIFEST.replace("  - name: 新闻动态\n", "  - name: *a9\n")
    root = make_edition({"issue.yaml": bomb + sections})
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    # Refused at the first anchor, line 1: nothing was expanded (it took 6.3 GB before).
    assert code == 2 and "2025-11/issue.yaml:1:" in printed and "锚点和别名" in printed, printed
    assert not (tmp_path / "out.pdf").exists()


def test_front_matter_errors_do_not_hide_image_and_markdown_errors(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every stage's mistakes in one report: front matter, a NUL, an image, an SVG, nesting."""
    broken_front = article_text("正常标题", f"{PARAGRAPH}\n\n空字符\x00在此。\n\n![图为坏图](images/bad.png)\n").replace(
        "source: 市场监管总局\n", ""
    )
    deep = "".join("  " * depth + f"- 第{depth + 1}层\n" for depth in range(10))
    files = {
        FIRST: broken_front,
        "articles/images/bad.png": b"not a png",
        SECOND: article_text("另一篇", f"{PARAGRAPH}\n\n![图为矢量图](images/x.svg)\n\n{deep}"),
        "articles/images/x.svg": XXE_SVG,
    }
    root = make_edition(files)
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2, printed
    for where, marker, message in [
        (FIRST, "title:", "source：缺少必填项"),
        (FIRST, "空字符", "U+0000"),
        (FIRST, "images/bad.png", "bad.png"),
        (SECOND, "images/x.svg", "ENTITY"),
        (SECOND, "- 第9层", "嵌套太深"),
    ]:
        place = f"2025-11/{where}:{line_of(root / where, marker)}"
        assert any(place in line and message in line for line in printed.splitlines()), (place, printed)


def test_article_over_the_size_limit_is_refused(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = article_text("超长稿件", (PARAGRAPH + "\n\n") * 2500)
    root = make_edition({FIRST: huge})
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2 and f"2025-11/{FIRST}: 文件太大" in printed, printed


@pytest.mark.parametrize("target", ["issue.yaml", FIRST, "articles/images/x.png", "articles"])
def test_output_never_overwrites_an_input(
    make_edition: MakeEdition, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    root = make_edition(with_image("x.png", png_bytes()))
    before = {path: path.read_bytes() for path in root.rglob("*") if path.is_file()}
    code, printed = run_cli(capsys, "build", str(root), "-o", str(root / target))
    assert code == 2 and "原有 PDF 保持不变" in printed, printed
    assert {path: path.read_bytes() for path in root.rglob("*") if path.is_file()} == before


def test_output_that_is_another_file_or_a_folder_is_refused(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_edition()
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 an editor's Word file")
    code, printed = run_cli(capsys, "build", str(root), "-o", str(notes))
    assert code == 2 and "不是 PDF" in printed and notes.read_bytes().startswith(b"PK"), printed
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path))
    assert code == 2 and "文件夹" in printed, printed


def test_unwritable_output_is_a_clear_message_not_an_internal_error(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_edition()
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    for output in (blocked / "x.pdf", Path("/sys/briefing-test.pdf")):  # /sys refuses even root
        code, printed = run_cli(capsys, "build", str(root), "-o", str(output), "--no-check")
        assert code == 2, printed
        assert f"无法写出 {output}" in printed and "内部错误" not in printed, printed


def table(rows: int) -> str:
    return "| 序号 | 姓名 |\n| --- | --- |\n" + "".join(f"| {n} | 张{n}同志 |\n" for n in range(rows))


def test_tables_over_the_row_limit_are_refused_where_they_cross_it(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_edition(
        {FIRST: article_text("名单一", f"名单如下。\n\n{table(700)}"),
         SECOND: article_text("名单二", f"名单如下。\n\n{table(400)}")}
    )
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2, printed
    assert f"2025-11/{SECOND}:{line_of(root / SECOND, '| 序号')}" in printed and "1000 行" in printed, printed
    assert FIRST not in printed


def test_an_edition_over_the_total_size_is_refused(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long_article = (PARAGRAPH + "\n\n") * 200  # about 140 KB each, under the limit for one file
    root = make_edition({name: article_text(f"长稿{name[-5]}", long_article) for name in (FIRST, SECOND, "articles/03-third.md")})
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2 and "2025-11/issue.yaml: 本期稿件合计" in printed and "400 KB" in printed, printed


def test_watch_refuses_an_output_inside_the_edition_before_watching(
    make_edition: MakeEdition, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_edition()
    code, printed = run_cli(capsys, "watch", str(root), "-o", str(root / "issue.yaml"))
    assert code == 2 and "不能写在期次文件夹" in printed and "正在监视" not in printed, printed


@pytest.mark.parametrize("link", ["issue.yaml", FIRST, "articles/images/x.png"])
def test_symbolic_links_out_of_the_edition_are_refused(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str], link: str
) -> None:
    root = make_edition(with_image("x.png", png_bytes()))
    outside = tmp_path / "secret.txt"
    outside.write_text("password: hunter2\n", "utf-8")
    (root / link).unlink()
    (root / link).symlink_to(outside)
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2 and "本期文件夹" in printed and "hunter2" not in printed, printed


def test_pngs_over_the_edition_pixel_budget_are_refused_where_they_cross_it(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    def big_png() -> bytes:
        stream = io.BytesIO()
        Image.new("1", (8000, 6000)).save(stream, "PNG")  # 48 million pixels, a few KB
        return stream.getvalue()

    figures = "".join(f"![图为第{n}张](images/p{n}.png)\n\n" for n in range(5))
    files: dict[str, str | bytes] = {FIRST: article_text("大图很多", f"{PARAGRAPH}\n\n{figures}")}
    files |= {f"articles/images/p{n}.png": big_png() for n in range(5)}
    root = make_edition(files)
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2, printed
    assert f"2025-11/{FIRST}:{line_of(root / FIRST, 'images/p4.png')}" in printed and "2 亿像素" in printed, printed
    assert "p3.png" not in printed


def test_more_than_200_articles_are_refused_at_the_201st_entry(
    make_edition: MakeEdition, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    names = [f"articles/{number:03d}.md" for number in range(201)]
    listed = "".join(f"      - {name}\n" for name in names)
    manifest = MANIFEST.split("sections:")[0] + "sections:\n  - name: 新闻动态\n    articles:\n" + listed
    files: dict[str, str | bytes] = {name: article_text(f"第{n}篇短讯", "短讯。\n") for n, name in enumerate(names)}
    root = make_edition(files, manifest=manifest)
    for default in ("01-first", "02-second", "03-third"):
        (root / "articles" / f"{default}.md").unlink()
    code, printed = run_cli(capsys, "build", str(root), "-o", str(tmp_path / "out.pdf"))
    assert code == 2, printed
    assert f"2025-11/issue.yaml:{line_of(root / 'issue.yaml', '200.md')}:" in printed and "最多 200 篇" in printed, printed
    assert printed.count("2025-11/") == 1, printed
