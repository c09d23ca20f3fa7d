"""Article bodies reused between a watcher's builds (render/html.py `BodyMemory`): an
unchanged article is not rendered again, and what it depends on outside its text (its
pictures) is looked at every time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.errors import EditionInvalid
from pipeline.house import REPO_ROOT

SAMPLE = REPO_ROOT / "issues" / "2025-11"


def test_an_unchanged_article_is_rendered_once_and_an_edited_one_again(tmp_path: Path) -> None:
    edition = Path(shutil.copytree(SAMPLE, tmp_path / "2025-11"))
    builder = Builder.create()
    first = builder.render(edition)
    articles = sorted((edition / "articles").glob("*.md"))
    articles[0].write_text(articles[0].read_text("utf-8").replace("。", "。补充一句。", 1), "utf-8")
    second = builder.render(edition)
    bodies = [[entry.body_html for section in rendered.sections for entry in section.entries]
              for rendered in (first, second)]
    assert "补充一句" in "".join(bodies[1]) and "补充一句" not in "".join(bodies[0])
    assert bodies[0][1:] == bodies[1][1:]
    assert second.html == Builder.create().render(edition).html  # as a fresh renderer's


def test_a_picture_removed_under_an_unchanged_article_is_an_error(tmp_path: Path) -> None:
    edition = Path(shutil.copytree(SAMPLE, tmp_path / "2025-11"))
    builder = Builder.create()
    rendered = builder.render(edition)
    assert rendered.images, "the sample shows pictures"
    picture = rendered.images[0].path
    picture.unlink()
    with pytest.raises(EditionInvalid) as raised:
        builder.build(edition, tmp_path / "out.pdf")
    found = [error for error in raised.value.errors if "找不到图片文件" in str(error)]
    assert found and picture.name in str(found[0]), [str(error) for error in raised.value.errors]
