"""A whole published briefing → its masthead and one block list per article."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..cjk import CIRCLED_NUMBERS
from ..edition.manifest import Masthead
from ..edition.schema import DEFAULT_ISSUER
from .blocks import Block, Paragraph
from .clean import squash

_SECTION = re.compile(r"^[—–-]{1,2}\s*(\S.{0,15})$")
_ITEM = re.compile(rf"^(?:[-•·*]\s*)?[{CIRCLED_NUMBERS}]\s*(.+)$")
_PERIOD = re.compile(
    r"[【\[]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[-—–至~～]+\s*"
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[】\]]"
)
_NUMBER = re.compile(r"第\s*(\d+)\s*期")
_CUMULATIVE = re.compile(r"总第\s*(\d+)\s*期")


@dataclass(frozen=True)
class ContentsEntry:
    section: str
    title: str


@dataclass(frozen=True)
class SplitBriefing:
    masthead: Masthead
    contents: tuple[ContentsEntry, ...]
    articles: tuple[tuple[ContentsEntry, list[Block]], ...]
    warnings: tuple[str, ...]


def _contents(blocks: list[Block]) -> tuple[list[ContentsEntry], int]:
    """The contents list and the index of the first block after it."""
    entries: list[ContentsEntry] = []
    section: str | None = None
    end = 0
    for index, block in enumerate(blocks[:120]):
        if not isinstance(block, Paragraph):
            continue
        heading = _SECTION.match(block.text)
        item = _ITEM.match(block.text)
        if heading and not item:
            if entries and section is not None and index - end > 3:
                break
            section, end = heading.group(1).strip(), index
        elif item and section is not None:
            entries.append(ContentsEntry(section, item.group(1).strip()))
            end = index
        elif entries:
            break
    return entries, end + 1


def looks_like_briefing(blocks: list[Block]) -> bool:
    entries, _ = _contents(blocks)
    return len(entries) >= 2


def _masthead(head: list[Block], today: dt.date) -> tuple[Masthead, list[str]]:
    texts = [block.text for block in head if isinstance(block, Paragraph)]
    warnings: list[str] = []
    title = next((text for text in texts if text.strip().endswith("简报")), "工作简报").strip()
    position = texts.index(title) if title in texts else 0
    issuer = texts[position - 1].strip() if position > 0 else ""
    period = next((m for m in (_PERIOD.search(text) for text in texts) if m), None)
    guessed: list[str] = []
    if period:
        y1, m1, d1, y2, m2, d2 = (int(value) for value in period.groups())
        start, end = dt.date(y1, m1, d1), dt.date(y2, m2, d2)
    else:
        start = today.replace(day=1)
        end = today
        guessed += ["period"]
        warnings.append("报头中没有找到【起止日期】：暂按本月填写，请核对 issue.yaml")
    number_match = next((m for m in (_NUMBER.search(text) for text in texts) if m), None)
    cumulative_match = next((m for m in (_CUMULATIVE.search(text) for text in texts) if m), None)
    number = int(number_match.group(1)) if number_match else end.month
    cumulative = int(cumulative_match.group(1)) if cumulative_match else number
    if not number_match:
        guessed.append("number")
    if not cumulative_match:
        guessed.append("cumulative_number")
    if not number_match or not cumulative_match:
        warnings.append(
            f"报头中没有期号：暂填第{number}期（总第{cumulative}期），请在 issue.yaml 中核对"
        )
    if not issuer:
        issuer = DEFAULT_ISSUER
        guessed.append("issuer")
    guessed += ["editor", "issue_date"]
    return (
        Masthead(
            issuer=issuer,
            title=title,
            number=number,
            cumulative_number=cumulative,
            period_start=start,
            period_end=end,
            issue_date=end,
            editor=f"{issuer}办公室",
            guessed=tuple(guessed),
        ),
        warnings,
    )


def split_briefing(blocks: list[Block], today: dt.date) -> SplitBriefing:
    entries, body_start = _contents(blocks)
    masthead, warnings = _masthead(blocks[:body_start], today)
    body = blocks[body_start:]
    keys = [squash(block.text) if isinstance(block, Paragraph) else "" for block in body]
    starts: list[int] = []
    cursor = 0
    for entry in entries:
        key = squash(entry.title)
        found = next((i for i in range(cursor, len(body)) if keys[i] == key), None)
        if found is None:
            warnings.append(f"正文中没有找到目录里的“{entry.title}”：这一篇未导入")
            starts.append(-1)
            continue
        starts.append(found)
        cursor = found + 1
    articles: list[tuple[ContentsEntry, list[Block]]] = []
    located = [(entry, start) for entry, start in zip(entries, starts, strict=True) if start >= 0]
    for position, (entry, start) in enumerate(located):
        end = located[position + 1][1] if position + 1 < len(located) else len(body)
        # Skip the title line itself: the contents gave the title.
        articles.append((entry, body[start + 1 : end]))
    return SplitBriefing(masthead, tuple(entries), tuple(articles), tuple(warnings))
