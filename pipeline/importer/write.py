"""Write drafts as article files: front matter, then a Markdown body an editor can read.

Tables are pipe tables when every cell stands alone; a table with merged cells
or more than one header row, or without a header row that can be named, is
written in the sanitised HTML form the renderer accepts (README: 有合并单元格的
表格), one row a line. A name list without a header gets “姓名｜职务” (or 单位),
and that header is listed under `confirm:` as the importer's. A picture whose
file is not at hand is written as the visible placeholder “［待补图片］” and
named under `confirm:` with its caption and address, so the check refuses it
until supplied. Bulleted items become a Markdown list; numbered lines stay
paragraphs with the number as printed (“1.加强……” is not a Markdown list).
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path

from ..edition.manifest import Masthead, yaml_scalar
from ..edition.schema import DEFAULT_ISSUER, DEFAULT_TITLE
from .blocks import Heading, Paragraph, Picture, Table
from .clean import Draft, squash
from .lift import ORGANISATION_END
from .shape import is_name

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


_TITLE_END = re.compile(r"(长|主任|书记|员|师|总裁|总监|教授|记者|代表|参赞|委员|理事|院士|主席|经理|专家)$")


def roster_header(table: Table) -> list[str] | None:
    """The header a name list needs as a pipe table (姓名 | 职务), guessed from its cells;
    None when the first column is not names."""
    if table.header or any(len(row) != 2 for row in table.rows):
        return None
    first, second = [row[0] for row in table.rows], [row[1] for row in table.rows]
    if all(_TITLE_END.search(cell) for cell in first) and all(is_name(cell) for cell in second):
        return ["职务", "姓名"]  # “所　长　　刘建国”: the title comes first
    if not all(is_name(cell) for cell in first):
        return None
    if all(_TITLE_END.search(cell) for cell in second):
        return ["姓名", "职务"]
    if all(ORGANISATION_END.search(cell) for cell in second):
        return ["姓名", "单位"]
    return ["姓名", "单位及职务"]


def _pipe_table(table: Table) -> str:
    width = max(len(row) for row in table.rows)
    rows = [row + [""] * (width - len(row)) for row in table.rows]
    if table.header:
        header, body = rows[0], rows[1:]
    else:
        header = roster_header(table) or [""] * width
        body = rows
    lines = ["| " + " | ".join(_cell(cell) for cell in header) + " |"]
    lines.append("|" + "|".join(["---"] * width) + "|")
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in body]
    return "\n".join(lines)


def _html_row(table: Table, index: int, tag: str) -> str:
    cells = []
    for position, text in enumerate(table.rows[index]):
        rowspan, colspan = table.spans.get((index, position), (1, 1))
        attributes = (f' rowspan="{rowspan}"' if rowspan > 1 else "") + (
            f' colspan="{colspan}"' if colspan > 1 else ""
        )
        cells.append(f"<{tag}{attributes}>{html.escape(_inline(text), quote=False)}</{tag}>")
    return "<tr>" + "".join(cells) + "</tr>"


def _html_table(table: Table) -> str:
    head = table.header_rows if table.header else 0
    lines = ["<table>"]
    if head:
        lines += ["<thead>", *(_html_row(table, i, "th") for i in range(head)), "</thead>"]
    lines += ["<tbody>", *(_html_row(table, i, "td") for i in range(head, len(table.rows))), "</tbody>"]
    lines.append("</table>")
    return "\n".join(lines)


def table_markdown(table: Table) -> str:
    """A pipe table, or the HTML form when cells are merged, header rows are several, or
    there is no header row (a pipe table must have one) and none can be named."""
    if table.merged or (not table.header and roster_header(table) is None):
        return _html_table(table)
    return _pipe_table(table)


def front_matter(draft: Draft) -> str:
    lines = ["---", f"title: {yaml_scalar(draft.title)}"]
    if draft.subtitle:
        lines.append(f"subtitle: {yaml_scalar(draft.subtitle)}")
    lines.append(f"source: {yaml_scalar(draft.source)}")
    if draft.source_url:
        lines.append(f"source_url: {yaml_scalar(draft.source_url)}")
    lines.append(f"published: {draft.published}")
    if draft.author:
        lines.append(f"author: {yaml_scalar(draft.author)}")
    if draft.confirm:
        lines.append("confirm:  # 导入时推测的内容：逐项核对，改正后删去该行；留有任何一项，检查不予通过")
        lines += [f"  {yaml_scalar(key)}: {yaml_scalar(why)}" for key, why in draft.confirm.items()]
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
    # The article's own title is the only level above its subheads: the shallowest
    # subhead level becomes ## whatever the source used (<h3>, Heading 2).
    levels = [block.level for block in draft.blocks if isinstance(block, Heading)]
    shift = 2 - min(levels) if levels else 0
    for index, block in enumerate(draft.blocks):
        previous = draft.blocks[index - 1] if index else None
        if isinstance(block, Paragraph) and block.bullet:
            item = "- " + _inline(block.text)
            if isinstance(previous, Paragraph) and previous.bullet:
                parts[-1] += "\n" + item  # one list: items on consecutive lines
            else:
                parts.append(item)
        elif isinstance(block, Paragraph):
            parts.append(paragraph_markdown(block.text))
        elif isinstance(block, Heading):
            parts.append("#" * min(max(block.level + shift, 2), 4) + " " + _inline(block.text))
        elif isinstance(block, Table):
            parts.append(table_markdown(block))
            header = roster_header(block)
            if header:
                draft.confirm.setdefault("表头", f"名单的表头“{'｜'.join(header)}”是导入时加的，请核对或改正")
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
            if block.src.startswith(("http://", "https://")):
                warnings.append(f"网上的图片没有下载：{block.src}")
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
