"""Page composition on real PDFs: the figures a print editor signs off on (issue 10).

The sample edition, the imported seed briefing (when ../shared/seeds is there) and
the corpus in tests/typeset/corpus (two editions, twelve articles in our own words:
links and e-mail, a notice, long and two-phrase titles, units, nested quotes, a
figure near a page foot, a 40-row table, a roster, numbered headings) are built
with WeasyPrint and measured from the PDF with the check's own readers.
"""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.build import Builder
from pipeline.cli import run
from pipeline.house import FONTS_DIR
from pipeline.pdfread.lines import Line, read_lines
from pipeline.typeset.compose import TRACKING_EM
from pipeline.typeset.titles import TextMeasure, break_title
from tests.support import CORPUS, SAMPLE_EDITION, SEEDS, PageFigures, page_figures, typeset_to

HOLE_LINES = 3.0


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> dict[str, Path]:
    """Composed PDFs of the sample and the corpus editions."""
    folder = tmp_path_factory.mktemp("composed")
    editions = {"sample": SAMPLE_EDITION, "links": CORPUS / "2026-01", "pages": CORPUS / "2026-02"}
    paths = {}
    for name, edition in editions.items():
        paths[name] = folder / f"{name}.pdf"
        typeset_to(builder, edition, paths[name])
    return paths


@pytest.fixture(scope="module")
def seed_pdf(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> Path:
    seeds = sorted(SEEDS.glob("000_*.txt")) if SEEDS.is_dir() else []
    if not seeds:
        pytest.skip(f"the seed briefing is not here ({SEEDS}/000_*.txt)")
    folder = tmp_path_factory.mktemp("seed")
    edition = folder / "2025-11"
    assert run(["import", str(seeds[0]), "--into", str(edition)]) == 0
    typeset_to(builder, edition, folder / "seed.pdf")
    return folder / "seed.pdf"


def assert_signed_off(figures: PageFigures, *, runts_allowed: float) -> None:
    composition, typography = figures.composition, figures.typography
    assert composition.distribution_gap_lines is not None, "no 报尾 found on the last page"
    assert composition.distribution_gap_lines <= 1.0
    assert not composition.distribution_alone
    assert composition.largest_hole_lines <= HOLE_LINES, composition.holes
    assert composition.title_runts == []
    assert composition.title_word_breaks == []
    assert [(line.page, line.text, kind) for line, kind in composition.stranded] == []
    assert composition.runt_share <= runts_allowed, composition.paragraph_runts
    assert typography.max_gap_em <= 0.5
    assert typography.flush_lines == typography.justified_lines > 0


def test_sample_edition_is_signed_off(built: dict[str, Path]) -> None:
    figures = page_figures(built["sample"])
    assert_signed_off(figures, runts_allowed=0.0)
    assert figures.composition.paragraphs >= 60


@pytest.mark.parametrize("name", ["links", "pages"])
def test_corpus_is_signed_off(built: dict[str, Path], name: str) -> None:
    assert_signed_off(page_figures(built[name]), runts_allowed=0.01)


def test_seed_briefing_is_signed_off(seed_pdf: Path) -> None:
    assert_signed_off(page_figures(seed_pdf), runts_allowed=0.0)


def test_without_composition_the_same_material_fails(
    tmp_path: Path, builder: Builder, built: dict[str, Path]
) -> None:
    """The figures above are the composition's doing: plain layout misses them."""
    plain = tmp_path / "plain.pdf"
    typeset_to(builder, SAMPLE_EDITION, plain, compose=False)
    figures = page_figures(plain).composition
    assert figures.largest_hole_lines > HOLE_LINES  # the chart left a hole on page 4
    assert figures.title_runts  # …的通/知
    assert figures.paragraph_runts
    assert figures.distribution_gap_lines is not None and figures.distribution_gap_lines > 1.0


def test_figure_at_a_page_foot_moves_and_text_fills_the_gap(tmp_path: Path, builder: Builder) -> None:
    edition = CORPUS / "2026-02"
    plain = typeset_to(builder, edition, tmp_path / "plain.pdf", compose=False)
    composed = typeset_to(builder, edition, tmp_path / "composed.pdf")
    assert plain.composition.moved_blocks == []
    assert composed.composition.moved_blocks == ["figure"]
    hole_before = page_figures(tmp_path / "plain.pdf").composition.largest_hole_lines
    assert hole_before > HOLE_LINES
    # The figure is near the top of the next page: at most the rest of the paragraph
    # that now fills the gap is above it; its caption is right below it.
    reader = PdfReader(tmp_path / "composed.pdf")
    from pipeline.pdfread.content import scan_content

    image = next(image for image in scan_content(reader).images)
    lines = read_lines(tmp_path / "composed.pdf")[image.page - 1]
    assert len([line for line in lines if line.top < image.top]) <= HOLE_LINES
    caption = next(line for line in lines if line.text.startswith("图为"))
    assert 0 < caption.top - image.bottom < 20


def test_titles_break_between_words_into_balanced_lines() -> None:
    measure = TextMeasure(FONTS_DIR / "NotoSerifCJKsc-Bold.otf")
    width = 442.2
    # Fits: one line.
    assert break_title("检验检测服务业持续壮大 助力产业向“新”向“优”", measure, 18, width) == [
        "检验检测服务业持续壮大 助力产业向“新”向“优”"
    ]
    # The editor's space, then ——, then words; never a last line of one or two characters.
    assert break_title("增强提案办理实效 凝聚高质量发展合力——国家市场监督管理总局开展提案办理纪实",
                       measure, 18, width) == [
        "增强提案办理实效 凝聚高质量发展合力", "——国家市场监督管理总局开展提案办理纪实"
    ]
    assert break_title("标准“种子”播撒非洲大地——中赞农业标准化合作“硕果盈枝”", measure, 18, width) == [
        "标准“种子”播撒非洲大地", "——中赞农业标准化合作“硕果盈枝”"
    ]
    lines = break_title("关于开展2026年度质量发展专项研究课题申报工作的通知", measure, 18, width)
    assert lines == ["关于开展2026年度质量发展", "专项研究课题申报工作的通知"]


def _page_lines(pdf: Path, page: int) -> list[Line]:
    return read_lines(pdf)[page - 1]


def test_notice_faces_and_layout(built: dict[str, Path]) -> None:
    pdf = built["links"]
    lines = [line for page in read_lines(pdf) for line in page]
    by_text = {line.text: line for line in lines}
    assert by_text["一、工作目标"].font == "Briefing-Sans"  # 黑体
    assert by_text["（一）摸清质量底数。"].font == "Briefing-Kai"  # 楷体
    item = next(line for line in lines if line.text.startswith("1.开展重点产品"))
    assert item.font == "Briefing-Serif"  # 1. in the body face
    body = [line for line in lines if line.font == "Briefing-Serif" and line.size == 14.0]
    left = min(line.x0 for line in body)
    right = max(line.x1 for line in body)
    salutation = by_text["各区市场监督管理局、各有关单位："]
    assert abs(salutation.x0 - left) < 1.0  # no indent
    unit = by_text["某市质量技术研究中心"]
    date = by_text["2026年1月9日"]
    assert abs((right - date.x1) - 4 * 14) < 14  # the date four characters from the edge
    assert abs((unit.x0 + unit.x1) / 2 - (date.x0 + date.x1) / 2) < 2  # unit centred over it
    # 附件: the wrapped line of item 2 starts under the first character of its name.
    # 附件：1.name — indented two characters; a wrapped name aligns with its first
    # character (2 + 3 + 1.5 em in, briefing.css), right of the item number.
    first = next(line for line in lines if line.text.startswith("附件："))
    assert abs(first.x0 - (left + 2 * 14)) < 1.0
    second = next(index for index, line in enumerate(lines) if line.text.startswith("2.专项行动"))
    assert abs(lines[second].x0 - (left + 5 * 14)) < 1.0
    assert abs(lines[second + 1].x0 - (left + 6.5 * 14)) < 1.0


def test_urls_break_only_after_allowed_marks_and_stay_one_link(built: dict[str, Path]) -> None:
    pdf = built["links"]
    # Our own reader: pdftotext would take the hyphen at a line end for a soft hyphen.
    lines = [line.text for line in read_lines(pdf)[1]]
    url = "https://verify.example-quality-center.cn/report/query?type=inspection&year=2026&code=QTC_2026_000123"
    assert url in "".join(lines)  # no hyphen added, nothing lost
    for line, following in pairwise(lines):
        # A Latin string continued on the next line broke after / . ? & = _ - only.
        if re.search(r"[A-Za-z0-9]$", line) and re.match(r"[A-Za-z0-9]", following):
            pytest.fail(f"broken inside a word: {line[-12:]!r} / {following[:12]!r}")
        assert not line.endswith(("https:", "https:/", "@"))
    # The link annotations of the URL (one per line it spans) all lead to the whole address.
    links = [
        str(annotation.get_object()["/A"]["/URI"])
        for annotation in PdfReader(pdf).pages[1].get("/Annots", [])
        if "/A" in annotation.get_object()
    ]
    assert url in links and all("\u200b" not in link for link in links)
    assert "mailto:report-verification.service@example-quality-center.cn" in links


def test_units_stay_with_their_numbers(built: dict[str, Path]) -> None:
    lines = [line.text for page in read_lines(built["links"]) for line in page]
    for unit in ("℃", "μg/kg", "m²", "min", "ppm"):
        for text in lines:
            assert not text.startswith(unit), text  # never the unit alone at a line start


def test_tracking_is_imperceptible() -> None:
    assert TRACKING_EM <= 0.03


def test_build_is_reproducible(tmp_path: Path, builder: Builder) -> None:
    first = typeset_to(builder, CORPUS / "2026-02", tmp_path / "a.pdf")
    second = typeset_to(builder, CORPUS / "2026-02", tmp_path / "b.pdf")
    assert first.composition.moved_blocks == second.composition.moved_blocks
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    # A warm typesetter (the watcher's) forgets the last render's decisions.
    rendered = builder.render(CORPUS / "2026-02")
    assert builder.typesetter.typeset(rendered).pdf == builder.typesetter.typeset(rendered).pdf


@pytest.mark.parametrize("edition", [CORPUS / "2026-01", CORPUS / "2026-02"], ids=["links", "pages"])
def test_corpus_passes_the_whole_check(tmp_path: Path, builder: Builder, edition: Path) -> None:
    from pipeline.check.run import check_pdf

    result = builder.build(edition, tmp_path / f"{edition.name}.pdf")
    report = check_pdf(result.output, result.expected)
    assert report.errors == [], report.text()
