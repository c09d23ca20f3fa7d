"""Valid but large editions raise no false alarm (issue 13, item 13).

Sixty-one articles in one section (numbers past ㊿ are printed (51)…), all with the
same title; a title of 2,000 characters; a table long enough that its cells
outweigh the prose.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import Builder
from tests.support import MANIFEST, PARAGRAPH, MakeEdition, article_text, build, check, only


def edition_of(make_edition: MakeEdition, articles: dict[str, str]) -> Path:
    """One section holding `articles` (file → text), then the usual third article."""
    listed = "".join(f"      - {name}\n" for name in articles)
    manifest = MANIFEST.replace("      - articles/01-first.md\n      - articles/02-second.md\n", listed)
    return make_edition(dict(articles), manifest=manifest)


def test_sixty_one_articles_with_one_title(builder: Builder, make_edition: MakeEdition) -> None:
    names = ["01-first", "02-second", *(f"{n:02d}-same" for n in range(3, 62))]  # the first two replace the defaults
    articles = {f"articles/{name}.md": article_text("同一个标题", f"{PARAGRAPH}\n") for name in names}
    result = build(builder, edition_of(make_edition, articles))
    report = check(builder, result)
    assert report.errors == [], report.text()
    # Matched by order: the 61st entry is the 61st file, on the page its anchor says.
    html = result.rendered.html
    assert "(61)" in html and "㊿" in html


@pytest.mark.xfail(
    strict=True,
    reason="after merging the composition check: its title runt and mid-word break findings, "
    "a hole and the text-present title check still fire on a 2,000-character title (open)",
)
def test_two_thousand_character_title(builder: Builder, make_edition: MakeEdition) -> None:
    title = "关于进一步加强质量基础设施建设的若干意见" * 100
    report = check(builder, build(builder, make_edition({"articles/02-second.md": article_text(title)})))
    assert report.errors == [], report.text()


def test_long_table_is_not_the_body_text(builder: Builder, make_edition: MakeEdition) -> None:
    rows = "\n".join(f"| {n} | 检验检测机构{n} | {n * 3} |" for n in range(1, 301))
    body = f"{PARAGRAPH}\n\n全省机构名单如下：\n\n| 序号 | 名称 | 数值 |\n|---|---|---|\n{rows}\n"
    report = check(builder, build(builder, make_edition({"articles/01-first.md": article_text("名单", body)})))
    assert only(report.errors, "typography") == [], report.text()
    assert report.errors == [], report.text()
