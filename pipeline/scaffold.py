"""`briefing new YYYY-MM`: start the next edition, numbers continued from the latest."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .edition.load import load_edition
from .edition.manifest import Masthead, NewManifest, manifest_text
from .edition.schema import DEFAULT_ISSUER, DEFAULT_TITLE, Distribution, IssueManifest
from .errors import EditionInvalid, EditorError

EDITION_NAME = re.compile(r"^(\d{4})-(\d{2})$")

PLACEHOLDER_ARTICLE = """\
---
# 插入图片的写法（在正文中单独一段）：![图为……（图片说明）](images/photo.jpg)
title: 请在此填写“{section}”栏目的第一篇稿件标题
source: 请填写来源单位
published: {date}
---

请在此粘贴或撰写正文。段落之间空一行。
"""


@dataclass(frozen=True)
class NewEdition:
    folder: Path
    number: int
    cumulative_number: int


def _new_manifest(previous: IssueManifest | None, year: int, month: int, number: int,
                  cumulative: int, sections: list[str]) -> NewManifest:
    last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
    issuer = previous.issuer if previous else DEFAULT_ISSUER
    masthead = Masthead(
        issuer=issuer,
        title=previous.title if previous else DEFAULT_TITLE,
        number=number,
        cumulative_number=cumulative,
        period_start=dt.date(year, month, 1),
        period_end=last_day,
        issue_date=last_day,
        editor=previous.editor if previous else f"{issuer}办公室",
    )
    return NewManifest(
        masthead,
        sections=tuple(
            (name, (f"articles/{index:02d}-new.md",)) for index, name in enumerate(sections, start=1)
        ),
        distribution=previous.distribution if previous else Distribution(),
    )


def latest_edition(issues_dir: Path, before: str) -> Path | None:
    names = sorted(
        child.name
        for child in issues_dir.iterdir()
        if child.is_dir() and EDITION_NAME.match(child.name) and child.name < before
    ) if issues_dir.is_dir() else []
    return issues_dir / names[-1] if names else None


def new_edition(issues_dir: Path, name: str) -> NewEdition:
    match = EDITION_NAME.match(name)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise EditionInvalid([EditorError(name, None, None, None, "期次文件夹名应为 年-月，如 2025-12")])
    folder = issues_dir / name
    if folder.exists():
        raise EditionInvalid([EditorError(name, None, None, None, "这一期的文件夹已经存在，未做任何改动")])
    year, month = int(match.group(1)), int(match.group(2))
    previous_dir = latest_edition(issues_dir, name)
    previous = load_edition(previous_dir).manifest if previous_dir else None
    if previous is None:
        number, cumulative, sections = 1, 1, ["新闻动态", "学者声音"]
    else:
        same_year = previous.issue_date.year == year
        number = previous.number + 1 if same_year else 1
        cumulative = previous.cumulative_number + 1
        sections = [section.name for section in previous.sections]
    (folder / "articles").mkdir(parents=True)
    (folder / "issue.yaml").write_text(
        manifest_text(_new_manifest(previous, year, month, number, cumulative, sections)), "utf-8"
    )
    for index, section in enumerate(sections, start=1):
        (folder / "articles" / f"{index:02d}-new.md").write_text(
            PLACEHOLDER_ARTICLE.format(section=section, date=dt.date(year, month, 1).isoformat()),
            "utf-8",
        )
    return NewEdition(folder, number, cumulative)
