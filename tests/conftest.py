"""Shared fixtures: a warm builder, small editions written on the fly, typeset variants."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import Builder, BuildResult
from pipeline.variant import ARCHIVE, PRINT
from tests.support import MANIFEST, MIXED, SAMPLE_EDITION, MakeEdition, article_text, build_pdf


@pytest.fixture
def make_edition(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MakeEdition:
    """Write a three-article edition; `files` adds or replaces files by relative path.

    The test runs in the edition's parent folder, as an editor would: messages name
    files as `2025-11/articles/01-first.md`, relative to the current folder.
    """
    monkeypatch.chdir(tmp_path)

    def make(
        files: dict[str, str | bytes] | None = None,
        name: str = "2025-11",
        manifest: str = MANIFEST,
    ) -> Path:
        root = tmp_path / name
        (root / "articles").mkdir(parents=True)
        (root / "issue.yaml").write_text(manifest, "utf-8")
        defaults = {
            "articles/01-first.md": article_text("研究院召开质量发展形势分析会"),
            "articles/02-second.md": article_text("标准化试点项目通过验收"),
            "articles/03-third.md": article_text("学者谈计量基础设施建设"),
        }
        for relative, content in {**defaults, **(files or {})}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, "utf-8")
        return root

    return make


@pytest.fixture(scope="session")
def builder() -> Builder:
    return Builder.create()


@pytest.fixture(scope="session")
def mixed_pdfs(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> dict[bool, Path]:
    """The same edition typeset with and without the extension."""
    root = tmp_path_factory.mktemp("mixed")
    edition = root / "2025-11"
    (edition / "articles").mkdir(parents=True)
    (edition / "issue.yaml").write_text(MANIFEST, "utf-8")
    one_space = "短段 只有一个空格的这一行文字，后面紧跟的中文继续排版，用于测试两端对齐的效果。"
    paragraphs = [MIXED] * 4 + [one_space] * 2
    for index, name in enumerate(["01-first", "02-second", "03-third"]):
        (edition / "articles" / f"{name}.md").write_text(
            article_text(f"稿件{index + 1}", "\n\n".join(paragraphs) + "\n"), "utf-8"
        )
    return {
        flag: build_pdf(builder, edition, root / f"{flag}.pdf", inter_character=flag)
        for flag in (False, True)
    }


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> BuildResult:
    """The sample edition as an archive PDF (PDF/A-2u, tagged); copy before changing it."""
    output = tmp_path_factory.mktemp("archive") / "2025-11-archive.pdf"
    return builder.build(SAMPLE_EDITION, output, ARCHIVE)


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> BuildResult:
    """The sample edition as a print PDF (3 mm bleed, crop marks); copy before changing it."""
    output = tmp_path_factory.mktemp("print") / "2025-11-print.pdf"
    return builder.build(SAMPLE_EDITION, output, PRINT)


@pytest.fixture()
def warm_sample(tmp_path: Path) -> tuple[Builder, Path]:
    """A copy of the sample, built once by a builder that builds again (as the watcher's)."""
    edition = Path(shutil.copytree(SAMPLE_EDITION, tmp_path / "2025-11"))
    builder = Builder.create()
    builder.typesetter.rebuilds = True
    builder.build(edition, tmp_path / "warm.pdf")
    return builder, edition
