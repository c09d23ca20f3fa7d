"""Write drafts as article files (front matter + Markdown) and list them in `issue.yaml`."""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..edition.load import MANIFEST_NAME
from .clean import Draft, squash
from .sources import Heading, Paragraph, Picture, Table

DEFAULT_ISSUER = "上海交通大学中国质量发展研究院"
IMAGE_PLACEHOLDER = "［待补图片］"
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<])")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(\s)")
_BLOCK_START = re.compile(r"^([#>+\-=]|\*\s)")


@dataclass(frozen=True)
class Masthead:
    """What `issue.yaml` needs when the importer creates the edition."""

    issuer: str
    title: str
    number: int
    cumulative_number: int
    period_start: dt.date
    period_end: dt.date
    issue_date: dt.date
    editor: str
    guessed: tuple[str, ...] = ()  # fields filled in by guess, to check


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


def yaml_scalar(value: str) -> str:
    """Plain when YAML reads it back unchanged, else double-quoted."""
    plain = YAML(typ="safe")
    try:
        if plain.load(f"k: {value}") == {"k": value} and "#" not in value:
            return value
    except Exception:  # any YAML complaint means: quote it
        pass
    return json.dumps(value, ensure_ascii=False)


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


# issue.yaml ---------------------------------------------------------------


def _round_trip() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def default_masthead(edition_dir: Path, today: dt.date) -> Masthead:
    match = re.fullmatch(r"(\d{4})-(\d{2})", edition_dir.name)
    year, month = (int(match.group(1)), int(match.group(2))) if match else (today.year, today.month)
    if not 1 <= month <= 12:
        year, month = today.year, today.month
    end = dt.date(year, month, calendar.monthrange(year, month)[1])
    return Masthead(
        issuer=DEFAULT_ISSUER,
        title="工作简报",
        number=month,
        cumulative_number=month,
        period_start=dt.date(year, month, 1),
        period_end=end,
        issue_date=end,
        editor=f"{DEFAULT_ISSUER}办公室",
        guessed=("number", "cumulative_number", "issuer", "editor"),
    )


def manifest_text(masthead: Masthead) -> str:
    check = "  # 请核对：由导入工具推定"

    def note(name: str) -> str:
        return check if name in masthead.guessed else ""

    lines = [
        f"# {masthead.title} {masthead.issue_date.year}年第{masthead.number}期（导入生成）",
        f"issuer: {yaml_scalar(masthead.issuer)}{note('issuer')}",
        f"title: {yaml_scalar(masthead.title)}",
        f"number: {masthead.number}{note('number')}",
        f"cumulative_number: {masthead.cumulative_number}{note('cumulative_number')}",
        "period:",
        f"  start: {masthead.period_start.isoformat()}",
        f"  end: {masthead.period_end.isoformat()}",
        f"issue_date: {masthead.issue_date.isoformat()}{note('issue_date')}",
        f"editor: {yaml_scalar(masthead.editor)}{note('editor')}",
        "sections:",
        "distribution:",
        "  report_to: []",
        "  send_to: []",
        "  issue_to: []",
    ]
    return "\n".join(lines) + "\n"


def add_to_manifest(edition_dir: Path, section: str, relative_paths: list[str]) -> None:
    """Append articles to a section (created at the end if new), keeping comments."""
    manifest = edition_dir / MANIFEST_NAME
    yaml = _round_trip()
    data = yaml.load(manifest.read_text("utf-8"))
    sections = data.get("sections")
    if not isinstance(sections, list):
        sections = CommentedSeq()
        data["sections"] = sections
    target = next(
        (item for item in sections if isinstance(item, dict) and item.get("name") == section), None
    )
    if target is None:
        target = CommentedMap([("name", section), ("articles", CommentedSeq())])
        sections.append(target)
    articles = target.get("articles")
    if not isinstance(articles, list):
        articles = CommentedSeq()
        target["articles"] = articles
    for relative in relative_paths:
        if relative not in articles:
            articles.append(relative)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    manifest.write_text(buffer.getvalue(), "utf-8")


def listed_count(edition_dir: Path) -> int:
    manifest = edition_dir / MANIFEST_NAME
    if not manifest.is_file():
        return 0
    data = _round_trip().load(manifest.read_text("utf-8"))
    sections = data.get("sections") if isinstance(data, dict) else None
    return sum(len(item.get("articles") or []) for item in sections or [] if isinstance(item, dict))
