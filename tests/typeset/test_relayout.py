"""Kept pages (pipeline/typeset/relayout.py): after any sequence of edits, a warm builder
that keeps pages writes the same bytes as a cold build of the same sources."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.house import REPO_ROOT
from tests.support import PARAGRAPH, article_text, middle_article, rebuilt_as_cold

SECTIONS = ("新闻动态", "学者声音")
TITLES = (
    "研究院召开质量发展形势分析会", "标准化试点项目通过验收", "学者谈计量基础设施建设",
    "检验检测机构座谈会举行", "质量强市合作协议签署", "消费品安全监管交流会召开",
    "青年论坛聚焦质量治理", "计量数据服务产业升级",
)
SENTENCES = ("与会代表围绕质量基础设施建设深入交流。", "下一步将完善标准体系，推动成果转化。",
             "调研组走访了十余家企业。", "会议强调要把工作抓实抓细。")


# Every kind of edit: a sentence inside an article, page-count changes both ways, added
# and removed articles, a stylesheet edit, a picture replaced under the same name, an
# article's title, and in issue.yaml the copies (the distribution block at the end), the
# issue number (masthead, running header, PDF title) and a section's name.
EDITS = ("sentence", "grow", "add", "remove", "shrink", "style", "picture", "title",
         "copies", "number", "section")


class EditionUnderEdit:
    """An edition folder and its own copy of styles/, edited at random."""

    def __init__(self, root: Path, styles: Path, rng: random.Random) -> None:
        self.root, self.styles, self.rng = root, styles, rng
        self.sections: list[list[str]] = [[], []]
        self.section_names = list(SECTIONS)
        self.number, self.copies = 11, 40
        self.serial = 0
        (root / "articles" / "images").mkdir()
        self.pictures = sorted((REPO_ROOT / "issues" / "2025-11" / "articles" / "images").glob("*.png"))
        shutil.copyfile(self.pictures[0], root / "articles" / "images" / "picture.png")
        for title in TITLES:
            self.add_article(title, self.rng.randrange(2))
        self.write_manifest()

    def add_article(self, title: str, section: int, position: int | None = None) -> None:
        self.serial += 1
        name = f"articles/{self.serial:02d}.md"
        paragraphs = "\n\n".join(PARAGRAPH[: self.rng.randrange(60, 300)] for _ in range(self.rng.randrange(2, 6)))
        if self.serial % 3 == 1:
            paragraphs += "\n\n![图为示意图](images/picture.png)"
        (self.root / name).write_text(article_text(title, paragraphs + "\n"), "utf-8")
        where = self.sections[section]
        where.insert(len(where) if position is None else position, name)

    def write_manifest(self) -> None:
        lines = ["issuer: 上海交通大学中国质量发展研究院", "title: 工作简报", f"number: {self.number}",
                 "cumulative_number: 58", "period:", "  start: 2025-11-01", "  end: 2025-11-30",
                 "issue_date: 2025-11-30", "editor: 研究院办公室", "sections:"]
        for name, articles in zip(self.section_names, self.sections, strict=True):
            if articles:
                lines += [f"  - name: {name}", "    articles:"] + [f"      - {a}" for a in articles]
        lines += ["distribution:", "  report_to: [学校办公室]", "  send_to: [相关学院]",
                  "  issue_to: [研究院各部门]", f"  copies: {self.copies}"]
        (self.root / "issue.yaml").write_text("\n".join(lines) + "\n", "utf-8")

    def articles(self) -> list[str]:
        return [name for section in self.sections for name in section]

    def edit(self, kind: str | None = None) -> str:
        """One edit (of `kind`, or a random one); returns what it did, for the failure message."""
        kind = kind or self.rng.choice([*EDITS, "sentence", "sentence"])
        target = self.root / self.rng.choice(self.articles())
        text = target.read_text("utf-8")
        if kind == "sentence":
            at = text.index("---\n\n") + 5 + self.rng.randrange(200)
            target.write_text(text[:at] + self.rng.choice(SENTENCES) + text[at:], "utf-8")
        elif kind == "grow":
            target.write_text(text + "\n" + "\n\n".join([PARAGRAPH] * self.rng.randrange(2, 6)) + "\n", "utf-8")
        elif kind == "shrink":
            body = text.split("\n\n")
            target.write_text("\n\n".join(body[: max(3, len(body) - 2)]) + "\n", "utf-8")
        elif kind == "add":
            section = self.rng.randrange(2)
            position = self.rng.randrange(len(self.sections[section]) + 1)
            self.add_article(f"新增稿件{self.serial}", section, position)
            self.write_manifest()
        elif kind == "remove" and len(self.articles()) > 3:
            section = max(range(2), key=lambda index: len(self.sections[index]))
            removed = self.sections[section].pop(self.rng.randrange(len(self.sections[section])))
            (self.root / removed).unlink()
            self.write_manifest()
        elif kind == "style":
            house = self.styles / "house.css"
            css = house.read_text("utf-8")
            sizes = ("14pt", "14.5pt")
            now = next(size for size in sizes if f"--body-size: {size};" in css)
            house.write_text(css.replace(f"--body-size: {now};", f"--body-size: {sizes[1 - sizes.index(now)]};"), "utf-8")
        elif kind == "picture":  # the same file name, another picture
            picture = self.root / "articles" / "images" / "picture.png"
            current = picture.read_bytes()
            other = next(path for path in self.pictures if path.read_bytes() != current)
            shutil.copyfile(other, picture)
        elif kind in ("copies", "number", "section"):
            if kind == "copies":
                self.copies += 5
            elif kind == "number":
                self.number += 1
            else:
                self.section_names[0] += "与交流"
            self.write_manifest()
        elif kind == "title":
            target.write_text(text.replace("title: ", "title: 新", 1), "utf-8")
        return f"{kind} {target.name}"


def _tree(tmp_path: Path) -> tuple[Path, Path]:
    styles = tmp_path / "styles"
    shutil.copytree(REPO_ROOT / "styles", styles)
    (tmp_path / "fonts").symlink_to(REPO_ROOT / "fonts")  # styles load ../fonts/
    root = tmp_path / "2025-11"
    (root / "articles").mkdir(parents=True)
    return root, styles


def builder_for(styles: Path, *, compose: bool, rebuilds: bool) -> Builder:
    builder = Builder.create(styles_dir=styles, fonts_dir=REPO_ROOT / "fonts")
    builder.typesetter.compose = compose
    builder.typesetter.rebuilds = rebuilds
    return builder


def run_edits(tmp_path: Path, seed: int, kinds: list[str | None], compose: bool = False) -> int:
    """Each edit built by one warm builder and by a cold one; the bytes must match.

    Without page composition (compose.py) relayout.py keeps the pages; with it,
    checkpoints.py resumes the composed pass from the previous render.
    """
    root, styles = _tree(tmp_path)
    edition = EditionUnderEdit(root, styles, random.Random(seed))
    warm = builder_for(styles, compose=compose, rebuilds=True)
    warm_pdf, cold_pdf = tmp_path / "warm.pdf", tmp_path / "cold.pdf"
    warm.build(root, warm_pdf)
    kept = 0
    done = []
    for kind in kinds:
        done.append(edition.edit(kind))
        warm.build(root, warm_pdf)
        kept += warm.typesetter.page_keeper.last_kept
        builder_for(styles, compose=compose, rebuilds=False).build(root, cold_pdf)
        assert warm_pdf.read_bytes() == cold_pdf.read_bytes(), f"seed {seed}, after: {done}"
    return kept


def test_every_kind_of_edit_gives_the_bytes_of_a_cold_build(tmp_path: Path) -> None:
    kept = run_edits(tmp_path, seed=15, kinds=["sentence", *EDITS, "sentence"])
    assert kept > 0, "no page was ever kept: the fast path was not exercised"


def test_with_page_composition_every_kind_of_edit_gives_the_bytes_of_a_cold_build(tmp_path: Path) -> None:
    kept = run_edits(tmp_path, seed=4, kinds=["sentence", *EDITS, "sentence", "sentence"], compose=True)
    assert kept > 0, "no page was ever kept: checkpoints.py was not exercised"


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_random_edit_sequences_give_the_bytes_of_a_cold_build(tmp_path: Path, seed: int) -> None:
    run_edits(tmp_path, seed=seed, kinds=[None] * 25)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(5))
def test_random_edit_sequences_with_composition_give_the_bytes_of_a_cold_build(tmp_path: Path, seed: int) -> None:
    run_edits(tmp_path, seed=seed, kinds=[None] * 25, compose=True)


def test_an_edit_in_a_middle_article_keeps_the_pages_before_it(tmp_path: Path) -> None:
    root, styles = _tree(tmp_path)
    edition = EditionUnderEdit(root, styles, random.Random(3))
    builder = builder_for(styles, compose=False, rebuilds=True)
    first = builder.build(root, tmp_path / "a.pdf")
    middle = root / edition.articles()[len(edition.articles()) // 2]
    middle.write_text(middle.read_text("utf-8").replace("。", "。补充一句。", 1), "utf-8")
    builder.build(root, tmp_path / "a.pdf")
    assert builder.typesetter.page_keeper.last_kept >= first.page_count // 3, first.page_count


def test_only_changed_articles_are_serialized_for_their_digest(
    warm_sample: tuple[Builder, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An article parsed from the same HTML as last time keeps its digest; the edited one,
    and what follows <main> (the 报尾), are serialized again."""
    from pipeline.typeset import kept

    serialized: list[str] = []
    digest = kept.digest_of
    monkeypatch.setattr(kept, "digest_of", lambda element: serialized.append(element.tag) or digest(element))
    builder, edition = warm_sample
    article = middle_article(edition)
    for sentence in ("补充一句。", "再补一句。"):
        article.write_text(article.read_text("utf-8").replace("。", "。" + sentence, 1), "utf-8")
        serialized.clear()
        rebuilt_as_cold(builder, edition, tmp_path)
        assert serialized.count("article") == 1 and len(serialized) <= 3, serialized
