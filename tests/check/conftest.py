"""The clean three-article build the tampering tests copy and rewrite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.build import Builder, BuildResult
from tests.support import MANIFEST, TITLES, article_text, build


@pytest.fixture(scope="session")
def clean(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> BuildResult:
    root = tmp_path_factory.mktemp("clean") / "2025-11"
    (root / "articles").mkdir(parents=True)
    (root / "issue.yaml").write_text(MANIFEST, "utf-8")
    for index, title in enumerate(TITLES, start=1):
        name = ["01-first", "02-second", "03-third"][index - 1]
        (root / "articles" / f"{name}.md").write_text(article_text(title), "utf-8")
    # Built from the edition's parent folder, so findings name 2025-11/articles/….
    previous = Path.cwd()
    os.chdir(root.parent)
    try:
        return build(builder, root)
    finally:
        os.chdir(previous)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test runs in its own folder: files are named relative to it, as for an editor."""
    monkeypatch.chdir(tmp_path)
