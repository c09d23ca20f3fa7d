"""`briefing volume`: a year's editions bound into one PDF, read back page by page."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.build import Builder
from pipeline.check.volume import check_volume
from pipeline.cli import run
from pipeline.pdfread.outline import OutlineItem, read_outline
from pipeline.pdfread.page_text import clean_pages, normalize, start_page_texts
from pipeline.render.volume import render_volume
from pipeline.volume import build_volume, disagreements, load_editions
from tests.support import MANIFEST, SAMPLE_EDITION, SEEDS, MakeEdition, article_text, fill_and_confirm

MONTHS = {
    10: ("2025-10-01", "2025-10-31"),
    11: ("2025-11-01", "2025-11-30"),
    12: ("2025-12-01", "2025-12-31"),
}


def manifest(number: int, issuer: str | None = None, cumulative: int | None = None) -> str:
    start, end = MONTHS[number]
    text = (
        MANIFEST.replace("number: 11\n", f"number: {number}\n", 1)
        .replace("cumulative_number: 58", f"cumulative_number: {cumulative or 47 + number}")
        .replace("start: 2025-11-01", f"start: {start}")
        .replace("end: 2025-11-30", f"end: {end}")
        .replace("issue_date: 2025-11-30", f"issue_date: {end}")
    )
    return text.replace("issuer: 上海交通大学中国质量发展研究院", f"issuer: {issuer}") if issuer else text


def page_text(pdf: Path, page: int) -> str:
    command = ["pdftotext", "-layout", "-enc", "UTF-8", "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def two_issues(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """Issues 10 and 11 of 2025 bound together (given in the wrong order on purpose)."""

    root = tmp_path_factory.mktemp("volume")
    folders = []
    for number in (11, 10):
        folder = root / f"2025-{number}"
        (folder / "articles").mkdir(parents=True)
        (folder / "issue.yaml").write_text(manifest(number), "utf-8")
        for name, title in (
            ("01-first", "形势分析会"),
            ("02-second", "试点验收"),
            ("03-third", "计量基础设施"),
        ):
            text = article_text(f"第{number}期{title}")
            (folder / "articles" / f"{name}.md").write_text(text, "utf-8")
        folders.append(folder)
    output = root / "2025-合订本.pdf"
    assert run(["volume", *map(str, folders), "-o", str(output)]) == 0
    return folders, output


def walk(
    items: list[OutlineItem] | tuple[OutlineItem, ...], depth: int = 0
) -> list[tuple[int, str, int | None]]:
    rows = []
    for item in items:
        rows.append((depth, item.title, item.page))
        rows += walk(item.children, depth + 1)
    return rows


def test_outline_is_year_issue_section_article_in_number_order(two_issues: tuple[list[Path], Path]) -> None:
    _, output = two_issues
    rows = walk(read_outline(PdfReader(output)))
    shape = [(depth, title) for depth, title, _ in rows]
    assert shape == [
        (0, "2025年"),
        (1, "第10期　2025年10月1日—2025年10月31日"),
        (2, "新闻动态"), (3, "第10期形势分析会"), (3, "第10期试点验收"),
        (2, "学者声音"), (3, "第10期计量基础设施"),
        (1, "第11期　2025年11月1日—2025年11月30日"),
        (2, "新闻动态"), (3, "第11期形势分析会"), (3, "第11期试点验收"),
        (2, "学者声音"), (3, "第11期计量基础设施"),
    ]  # fmt: skip
    issue_pages = [page for depth, _, page in rows if depth == 1]
    # Each issue opens on a right-hand (odd) page, after the cover and the contents.
    assert issue_pages[0] >= 3 and all(page is not None and page % 2 == 1 for page in issue_pages)


def test_cover_names_issuer_kind_and_year(two_issues: tuple[list[Path], Path]) -> None:
    cover = normalize(page_text(two_issues[1], 1))
    for words in ("上海交通大学中国质量发展研究院", "工作简报", "合订本", "2025年", "第10期—第11期"):
        assert words in cover
    assert not re.search(r"—\s*1\s*—", page_text(two_issues[1], 1))  # no folio on the cover


def test_contents_lists_each_issue_then_its_articles_with_their_pages(
    two_issues: tuple[list[Path], Path],
) -> None:
    _, output = two_issues
    rows = walk(read_outline(PdfReader(output)))
    contents = page_text(output, 2)
    lines = [re.sub(r"[\s.]+", " ", line).strip() for line in contents.splitlines() if line.strip()]
    for depth, title, page in rows:
        if depth == 1:
            assert any(
                line.startswith(title.replace("　", " ")) and line.endswith(f" {page}") for line in lines
            )
        if depth == 3:
            assert any(title in line and line.endswith(f" {page}") for line in lines), (title, page)
    assert contents.index("第10期") < contents.index("第11期")


def test_page_numbers_run_on_and_headers_name_each_issue(two_issues: tuple[list[Path], Path]) -> None:
    _, output = two_issues
    rows = walk(read_outline(PdfReader(output)))
    articles = [(title, page) for depth, title, page in rows if depth == 3]
    for title, page in articles:
        text = page_text(output, page)
        assert re.search(rf"—\s*{page}\s*—", text), (title, page)  # the volume's own page number
        number = title[1:3]
        assert normalize(text).startswith(f"工作简报2025年第{number}期"), text[:60]
    masthead = page_text(output, [page for depth, _, page in rows if depth == 1][1])
    assert "工作简报" in masthead and "2025年第11期（总第58期）" in masthead
    assert not normalize(masthead).startswith("工作简报2025年第11期")  # no running header there


def test_volume_document_information_names_the_volume(two_issues: tuple[list[Path], Path]) -> None:
    info = PdfReader(two_issues[1]).metadata
    assert info is not None
    assert info["/Title"] == "工作简报 2025年合订本"
    assert info["/Author"] == "上海交通大学中国质量发展研究院"
    assert str(info["/CreationDate"]).startswith("D:20251130")  # the last issue's date


def test_each_issue_takes_as_many_pages_as_on_its_own(
    two_issues: tuple[list[Path], Path], tmp_path: Path
) -> None:
    """The page composition never reaches back into the issue before (it once lengthened
    issue 10's paragraphs to fill a page of issue 11, and issue 10 grew by a page)."""
    folders, output = two_issues
    rows = walk(read_outline(PdfReader(output)))
    starts = [page for depth, _, page in rows if depth == 1]
    for folder, start, end in zip(sorted(folders), starts, [*starts[1:], None], strict=True):
        alone = tmp_path / f"{folder.name}.pdf"
        assert run(["build", str(folder), "-o", str(alone), "--no-check"]) == 0
        pages_alone = len(PdfReader(alone).pages)
        last = (end or len(PdfReader(output).pages) + 1) - 1
        while not page_text(output, last).strip():  # a blank verso before the next issue
            last -= 1
        assert last - start + 1 == pages_alone


def test_volume_is_byte_reproducible(two_issues: tuple[list[Path], Path], tmp_path: Path) -> None:
    folders, output = two_issues
    again = tmp_path / "again.pdf"
    assert run(["volume", *map(str, folders), "-o", str(again), "--no-check"]) == 0
    assert again.read_bytes() == output.read_bytes()


@pytest.mark.parametrize(
    ("numbers", "issuers", "expected"),
    [
        ((10, 10), (None, None), "第10期出现了 2 次"),
        ((10, 12), (None, None), "期号不连续：第10期与第12期之间缺少第11期"),
        ((10, 11), (None, "另一研究院"), "主办单位不一致"),
    ],
)
def test_editions_that_disagree_are_told_before_anything_is_built(
    make_edition: MakeEdition,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    numbers: tuple[int, int],
    issuers: tuple[str | None, str | None],
    expected: str,
) -> None:
    folders = [
        make_edition(name=f"issue-{index}", manifest=manifest(number, issuer))
        for index, (number, issuer) in enumerate(zip(numbers, issuers, strict=True))
    ]
    output = tmp_path / "volume.pdf"
    assert run(["volume", *map(str, folders), "-o", str(output)]) == 2
    said = capsys.readouterr().err
    assert "不能装订成一本合订本" in said and expected in said
    assert not output.exists()


def test_cumulative_numbers_must_follow_the_numbers(make_edition: MakeEdition) -> None:
    editions = load_editions(
        [
            make_edition(name="a", manifest=manifest(10)),
            make_edition(name="b", manifest=manifest(11, cumulative=60)),
        ]
    )
    assert any("总期号与期号不对应" in problem for problem in disagreements(editions))


def test_volume_check_finds_outline_contents_and_headers_that_disagree(
    two_issues: tuple[list[Path], Path], builder: Builder
) -> None:
    folders, output = two_issues
    editions = sorted(load_editions(folders), key=lambda edition: edition.manifest.number)
    reader = PdfReader(output)
    pending = start_page_texts(output)
    pages = clean_pages(pending.result(reader)[0], None)
    pending.close()
    volume = render_volume(builder.renderer, editions)
    assert check_volume(reader, pages, volume) == []
    retitled = check_volume(reader, pages, dataclasses.replace(volume, title="工作简报 2024年合订本"))
    assert [f.message for f in retitled] == ["PDF 标题为“工作简报 2025年合订本”，应为“工作简报 2024年合订本”"]
    other_issuer = check_volume(reader, pages, dataclasses.replace(volume, issuer="另一研究院"))
    assert [f.message for f in other_issuer] == ["封面上没有“另一研究院”"]
    # The same PDF judged against an issue 11 whose period and a title were changed after binding.
    changed = editions[1].manifest.model_copy(
        update={
            "period": editions[1].manifest.period.model_copy(update={"end": editions[0].manifest.period.end})
        }
    )
    article = editions[1].articles[0]
    renamed = article.__class__(
        **{**article.__dict__, "front": article.front.model_copy(update={"title": "改过的标题"})}
    )
    edited = editions[1].__class__(editions[1].root, changed, (renamed, *editions[1].articles[1:]))
    found = "\n".join(
        f.message for f in check_volume(reader, pages, render_volume(builder.renderer, [editions[0], edited]))
    )
    assert "书签“第11期　2025年11月1日—2025年11月30日”应为“第11期　2025年11月1日—2025年10月31日”" in found
    assert "合订本目录中找不到“第11期　2025年11月1日—2025年10月31日”这一行" in found
    assert "新闻动态”栏目的书签稿件与 issue.yaml 不一致" in found
    assert "找不到标题“改过的标题”" in found
    assert "PDF 标题为“工作简报 2025年合订本”" not in found  # the title is still right
    assert "的页眉不是本期的“工作简报　2025年第11期　2025年11月1日—2025年10月31日”" in found
    renumbered = editions[1].manifest.model_copy(update={"cumulative_number": 99})
    found = "\n".join(
        f.message
        for f in check_volume(
            reader,
            pages,
            render_volume(
                builder.renderer,
                [editions[0], editions[1].__class__(editions[1].root, renumbered, editions[1].articles)],
            ),
        )
    )
    assert "应是第11期的报头，却找不到“2025年第11期（总第99期）”" in found


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is absent: no imported briefing to bind")
def test_sample_and_imported_seed_bind_into_a_volume_that_passes(tmp_path: Path, builder: Builder) -> None:
    seed = next(SEEDS.glob("000_*.txt"))
    imported = tmp_path / "2025-12"
    assert run(["import", str(seed), "--into", str(imported)]) == 0
    # The editor confirms what the importer guessed (it is the issue after the sample's),
    # fills the 报尾 and replaces the placeholders: only then is the volume fit to bind.
    fill_and_confirm(imported)
    yaml = (imported / "issue.yaml").read_text("utf-8")
    yaml = re.sub(r"(?m)^number: .*$", "number: 12", yaml)
    yaml = re.sub(r"(?m)^cumulative_number: .*$", "cumulative_number: 59", yaml)
    yaml = re.sub(r"(?m)^issue_date: .*$", "issue_date: 2025-12-31", yaml)
    yaml = yaml.replace("start: 2025-11-01", "start: 2025-12-01").replace(
        "end: 2025-11-30", "end: 2025-12-31"
    )
    (imported / "issue.yaml").write_text(yaml, "utf-8")
    output = tmp_path / "volume.pdf"
    result = build_volume(builder, [imported, SAMPLE_EDITION], output)
    assert [issue.edition.manifest.number for issue in result.volume.issues] == [11, 12]
    assert run(["volume", str(SAMPLE_EDITION), str(imported), "-o", str(output)]) == 0
    outline = read_outline(PdfReader(output))
    issues = outline[0].children
    assert [len(section.children) for issue in issues for section in issue.children] == [
        len(section.entries) for issue in result.volume.issues for section in issue.rendered.sections
    ]


def test_the_same_folder_twice_is_told_once(two_issues: tuple[list[Path], Path]) -> None:
    folders, _ = two_issues
    problems = disagreements(load_editions([folders[0], folders[0], folders[1]]))
    assert problems == [f"同一个期次文件夹给了 2 次：{folders[0].resolve()}"]


def test_check_command_judges_a_volume_against_its_editions(
    two_issues: tuple[list[Path], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    folders, output = two_issues
    assert run(["check", str(output), "--volume", *map(str, folders)]) == 0
    assert "检查通过" in capsys.readouterr().out
    # Judged against issue 11 alone, the outline and contents hold an issue too many.
    assert run(["check", str(output), "--volume", str(folders[0])]) == 1
    assert "书签中有 2 期，合订本装订了 1 期" in capsys.readouterr().out


def test_each_issue_is_composed_as_its_own_briefing(make_edition: MakeEdition, tmp_path: Path) -> None:
    """Each issue's 报尾 sits at the foot of its own last page, and the check judges it so."""
    from pipeline.check.volume import check_volume_pdf
    from pipeline.typeset import compose

    short = {
        f"articles/0{n}-{name}.md": article_text(f"短稿{n}", "研究院召开座谈会。\n")
        for n, name in ((1, "first"), (2, "second"), (3, "third"))
    }
    folders = [make_edition(short, name=f"2025-{n}", manifest=manifest(n)) for n in (10, 11)]
    builder = Builder.create()
    output = tmp_path / "volume.pdf"
    result = build_volume(builder, folders, output)
    assert check_volume_pdf(output, result.volume, builder.styles_dir).errors == []
    rows = walk(read_outline(PdfReader(output)))
    tenth_ends = [page for depth, _, page in rows if depth == 1][1] - 1
    while not page_text(output, tenth_ends).strip():  # the blank verso before issue 11
        tenth_ends -= 1
    lines = [line for line in page_text(output, tenth_ends).splitlines() if line.strip()]
    assert lines[-2].lstrip().startswith("发：") or "报：" in "".join(lines[-5:])  # 报尾 at the foot
    # Built again with the distribution block left where the text ends, the check objects.
    original = compose.Composer.finish
    compose.Composer.finish = lambda self, pages: original(self, pages[-1:])
    try:
        result = build_volume(builder, folders, tmp_path / "unfinished.pdf")
    finally:
        compose.Composer.finish = original
    report = check_volume_pdf(result.output, result.volume, builder.styles_dir)
    assert [(f.page, f.message[:10]) for f in report.errors] == [(tenth_ends, "报尾没有排在末页底端")]
