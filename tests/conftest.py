"""Shared fixtures: a warm builder and small editions written on the fly."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.build import REPO_ROOT, Builder, BuildResult
from pipeline.variant import ARCHIVE, PRINT

SAMPLE_EDITION = REPO_ROOT / "issues" / "2025-11"
SEEDS = REPO_ROOT.parent / "shared" / "seeds"

MANIFEST = """\
issuer: 上海交通大学中国质量发展研究院
title: 工作简报
number: 11
cumulative_number: 58
period:
  start: 2025-11-01
  end: 2025-11-30
issue_date: 2025-11-30
editor: 研究院办公室
sections:
  - name: 新闻动态
    articles:
      - articles/01-first.md
      - articles/02-second.md
  - name: 学者声音
    articles:
      - articles/03-third.md
distribution:
  report_to: [学校办公室]
  send_to: [相关学院]
  issue_to: [研究院各部门]
  copies: 40
"""

PARAGRAPH = "研究院围绕质量强国建设开展调研，形成多项政策建议，并与地方市场监管部门座谈交流。" * 6


def article_text(title: str, body: str | None = None, extra_front: str = "") -> str:
    body = body if body is not None else f"{PARAGRAPH}\n\n{PARAGRAPH}\n"
    return (
        "---\n"
        f"title: {title}\n"
        "source: 市场监管总局\n"
        "source_url: https://www.samr.gov.cn/xw/art/2025/1.html\n"
        "published: 2025-11-05 19:59\n"
        f"{extra_front}"
        "---\n\n"
        f"{body}"
    )


MakeEdition = Callable[..., Path]


@pytest.fixture
def make_edition(tmp_path: Path) -> MakeEdition:
    """Write a three-article edition; `files` adds or replaces files by relative path."""

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
def archive(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> BuildResult:
    """The sample edition as an archive PDF (PDF/A-2u, tagged); copy before changing it."""
    output = tmp_path_factory.mktemp("archive") / "2025-11-archive.pdf"
    return builder.build(SAMPLE_EDITION, output, ARCHIVE)


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory, builder: Builder) -> BuildResult:
    """The sample edition as a print PDF (3 mm bleed, crop marks); copy before changing it."""
    output = tmp_path_factory.mktemp("print") / "2025-11-print.pdf"
    return builder.build(SAMPLE_EDITION, output, PRINT)
