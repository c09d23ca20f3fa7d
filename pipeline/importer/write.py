"""Write drafts as article files (front matter + Markdown) and list them in `issue.yaml`."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from ..edition.manifest import Masthead, yaml_scalar
from ..edition.schema import DEFAULT_ISSUER, DEFAULT_TITLE
from .clean import Draft, squash
from .sources import Heading, Paragraph, Picture, Table

IMAGE_PLACEHOLDER = "［待补图片］"
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(\s)")
_BLOCK_START = re.compile(r"^([#>+\-=]|\*\s)")


@dataclass(frozen=True)
class WrittenArticle:
    path: Path
    relative: str  # as listed in issue.yaml
    renamed_from: str | None
    warnings: tuple[str, ...]


def _inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(r"\\\1", text)


def paragraph_markdown(text: str) -> str:
    """A paragraph that Markdown prints exactly as written: “1. 加强” is not a list."""
    text = _inline(text)
    text = _LIST_START.sub(r"\1\\\2\3", text)
    if _BLOCK_START.match(text):
        text = "\\" + text
    return text


def _cell(text: str) -> str:
    return _inline(text).replace("|", "\\|") or " "


def table_markdown(table: Table) -> str:
    width = max(len(row) for row in table.rows)
    rows = [row + [""] * (width - len(row)) for row in table.rows]
    if table.header:
        header, body = rows[0], rows[1:]
    else:
        header = ["姓名", "职务"] if width == 2 else [""] * width
        body = rows
    lines = ["| " + " | ".join(_cell(cell) for cell in header) + " |"]
    lines.append("|" + "|".join(["---"] * width) + "|")
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in body]
    return "\n".join(lines)


def front_matter(draft: Draft) -> str:
    lines = ["---", f"title: {yaml_scalar(draft.title)}", f"source: {yaml_scalar(draft.source)}"]
    if draft.source_url:
        lines.append(f"source_url: {yaml_scalar(draft.source_url)}")
    lines.append(f"published: {draft.published}")
    if draft.author:
        lines.append(f"author: {yaml_scalar(draft.author)}")
    lines.append("---")
    return "\n".join(lines)


def _free_path(path: Path) -> Path:
    if not path.exists():
        return path
    for number in range(2, 1000):
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        if not candidate.exists():
            return candidate
    raise FileExistsError(path)


def article_markdown(draft: Draft, article_path: Path) -> tuple[str, list[str]]:
    """The file text; pictures with bytes are saved in images/ beside the article."""
    warnings: list[str] = []
    parts: list[str] = []
    picture_number = 0
    for block in draft.blocks:
        if isinstance(block, Paragraph):
            parts.append(paragraph_markdown(block.text))
        elif isinstance(block, Heading):
            parts.append("#" * min(max(block.level, 1), 3) + " " + _inline(block.text))
        elif isinstance(block, Table):
            parts.append(table_markdown(block))
        elif isinstance(block, Picture):
            caption = block.alt.strip()
            if block.data is not None:
                picture_number += 1
                images = article_path.parent / "images"
                images.mkdir(parents=True, exist_ok=True)
                image = _free_path(images / f"{article_path.stem}-{picture_number}{block.suffix}")
                image.write_bytes(block.data)
                parts.append(f"![{_inline(caption)}](images/{image.name})")
                continue
            if block.src:
                warnings.append(f"图片没有随文件保存，请下载后放入 images/ 并补上：{block.src}")
            parts.append(f"*{IMAGE_PLACEHOLDER}{_inline(caption)}*")
    body = "\n\n".join(parts)
    return f"{front_matter(draft)}\n\n{body}\n", warnings


def file_stem(number: int, title: str) -> str:
    return f"{number:02d}-{squash(title)[:16] or 'article'}"


def write_article(draft: Draft, articles_dir: Path, number: int) -> WrittenArticle:
    """Write a new file; an existing article is never overwritten."""
    articles_dir.mkdir(parents=True, exist_ok=True)
    wanted = articles_dir / f"{file_stem(number, draft.title)}.md"
    path = _free_path(wanted)
    text, warnings = article_markdown(draft, path)
    with path.open("x", encoding="utf-8") as handle:  # "x": fail rather than overwrite
        handle.write(text)
    renamed = wanted.name if path != wanted else None
    return WrittenArticle(path, f"{articles_dir.name}/{path.name}", renamed, tuple(warnings))


def default_masthead(edition_dir: Path, today: dt.date) -> Masthead:
    match = re.fullmatch(r"(\d{4})-(\d{2})", edition_dir.name)
    year, month = (int(match.group(1)), int(match.group(2))) if match else (today.year, today.month)
    if not 1 <= month <= 12:
        year, month = today.year, today.month
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return Masthead(
        issuer=DEFAULT_ISSUER,
        title=DEFAULT_TITLE,
        number=month,
        cumulative_number=month,
        period_start=dt.date(year, month, 1),
        period_end=end,
        issue_date=end,
        editor=f"{DEFAULT_ISSUER}办公室",
        guessed=("number", "cumulative_number", "issuer", "editor"),
    )
