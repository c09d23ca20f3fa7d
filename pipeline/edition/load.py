"""Read an edition folder into validated models, collecting every mistake at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..errors import EditionInvalid, EditorError, display_path, pydantic_message
from ..textfile import NotUtf8, decode_utf8
from .schema import ArticleFrontMatter, IssueManifest

MANIFEST_NAME = "issue.yaml"


@dataclass(frozen=True)
class Article:
    """One article file, validated, with its Markdown body not yet rendered."""

    path: Path
    display_path: str
    section: str
    front: ArticleFrontMatter
    body: str
    body_first_line: int  # 1-based line in the file where `body` starts


@dataclass(frozen=True)
class Edition:
    """A whole edition, ready to render."""

    root: Path
    manifest: IssueManifest
    articles: tuple[Article, ...]

    @property
    def name(self) -> str:
        return self.root.name

    def articles_in(self, section: str) -> list[Article]:
        return [article for article in self.articles if article.section == section]


@dataclass
class LoadCache:
    """Parsed articles by (path, mtime, size), so a watcher re-parses only what changed."""

    articles: dict[Path, tuple[tuple[int, int], Article]] = field(default_factory=dict)


class FileProblem(Exception):
    """One file that cannot be read at all; `error` says why, for the editor."""

    def __init__(self, error: EditorError) -> None:
        self.error = error


def read_text(path: Path, shown_as: str) -> str:
    """UTF-8 text with or without BOM, LF or CRLF; anything else is refused by name."""
    try:
        return decode_utf8(path.read_bytes())
    except NotUtf8 as problem:
        named = f"（看起来是 {problem.guess.upper()}）" if problem.guess else ""
        raise FileProblem(
            EditorError(
                shown_as,
                problem.line,
                None,
                None,
                f"文件不是 UTF-8 编码{named}。请用编辑器“另存为”UTF-8 编码后重试，"
                "以免 PDF 中出现乱码。",
            )
        ) from None


class _DatesAsText(RoundTripConstructor):
    """Leaves dates as text so Pydantic validates them (with a line number) instead of
    the YAML library failing on 2025-13-05 without one."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def _yaml_parser() -> YAML:
    # The round-trip loader keeps line numbers and never builds Python objects
    # from tags, so it is as safe as safe_load.
    parser = YAML(typ="rt")
    parser.Constructor = _DatesAsText
    parser.allow_duplicate_keys = False
    return parser


def parse_yaml(text: str, shown_as: str, first_line: int = 1) -> Any:
    try:
        return _yaml_parser().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + first_line if mark is not None else first_line
        column = mark.column + 1 if mark is not None else None
        problem = error.problem or error.context or "无法解析"
        if "duplicate key" in str(error):
            problem = "同一字段出现了两次"
        raise FileProblem(
            EditorError(shown_as, line, column, None, f"YAML 格式错误：{problem}")
        ) from None
    except (YAMLError, ValueError) as error:
        raise FileProblem(EditorError(shown_as, first_line, None, None, f"YAML 格式错误：{error}")) from None


def _position(data: Any, loc: tuple[Any, ...], key_position: bool) -> tuple[int | None, int | None]:
    """0-based (line, column) of the YAML node a Pydantic error location points at."""
    node = data
    line, column = (0, 0)
    if isinstance(node, CommentedMap | CommentedSeq):
        line, column = node.lc.line, node.lc.col
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if isinstance(node, CommentedMap) and part in node:
            key_line, key_col, value_line, value_col = node.lc.data[part]
            line, column = (key_line, key_col) if (last and key_position) else (value_line, value_col)
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line, column = node.lc.data[part]
            node = node[part]
        else:
            break
    return line, column


def _field_name(loc: tuple[Any, ...]) -> str | None:
    parts = [f"[{part + 1}]" if isinstance(part, int) else str(part) for part in loc]
    name = ".".join(parts).replace(".[", "[")
    return name or None


def validate(
    model: type[BaseModel], data: Any, shown_as: str, first_line: int
) -> tuple[Any, list[EditorError]]:
    if not isinstance(data, dict):
        return None, [EditorError(shown_as, first_line, None, None, "内容应为一组“字段: 值”")]
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        errors = []
        for item in error.errors():
            loc = tuple(item["loc"])
            line, column = _position(data, loc, key_position=item["type"] == "extra_forbidden")
            errors.append(
                EditorError(
                    shown_as,
                    None if line is None else line + first_line,
                    None if column is None else column + 1,
                    _field_name(loc),
                    pydantic_message(item),
                )
            )
        return None, errors


def split_front_matter(text: str, shown_as: str) -> tuple[str, str, int]:
    """(front matter YAML, Markdown body, line where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FileProblem(
            EditorError(
                shown_as, 1, 1, None, "稿件应以 “---” 开头的信息块（标题、来源、日期）开始"
            )
        )
    for number, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:number]), "\n".join(lines[number + 1 :]), number + 2
    raise FileProblem(EditorError(shown_as, 1, 1, None, "开头的信息块没有用 “---” 结束"))


def load_article(path: Path, shown_as: str, section: str) -> tuple[Article | None, list[EditorError]]:
    try:
        text = read_text(path, shown_as)
        front_yaml, body, body_line = split_front_matter(text, shown_as)
        data = parse_yaml(front_yaml, shown_as, first_line=2)
    except FileProblem as problem:
        return None, [problem.error]
    front, errors = validate(ArticleFrontMatter, data, shown_as, first_line=2)
    if errors:
        return None, errors
    return Article(path, shown_as, section, front, body, body_line), []


def _inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _listed_paths(data: Any) -> Iterable[tuple[int, int, Any]]:
    """(section index, article index, value) for every article entry in raw YAML."""
    sections = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(sections, list):
        return
    for section_index, section in enumerate(sections):
        articles = section.get("articles") if isinstance(section, dict) else None
        if isinstance(articles, list):
            for article_index, value in enumerate(articles):
                yield section_index, article_index, value


def load_edition(edition_dir: Path, cache: LoadCache | None = None) -> Edition:
    """Validate `issue.yaml` and every article; raise `EditionInvalid` with all errors."""
    root = edition_dir.resolve()
    manifest_path = root / MANIFEST_NAME
    manifest_shown = display_path(manifest_path, root)
    if not manifest_path.is_file():
        raise EditionInvalid(
            [EditorError(manifest_shown, None, None, None, f"找不到 {MANIFEST_NAME}：这不是一期简报的文件夹")]
        )
    errors: list[EditorError] = []
    try:
        data = parse_yaml(read_text(manifest_path, manifest_shown), manifest_shown)
    except FileProblem as problem:
        raise EditionInvalid([problem.error]) from None
    manifest, manifest_errors = validate(IssueManifest, data, manifest_shown, first_line=1)
    errors += manifest_errors

    articles: list[Article] = []
    listed: set[Path] = set()
    for section_index, article_index, value in _listed_paths(data):
        if not isinstance(value, str) or not value.strip():
            continue  # already reported by the schema
        line, column = _position(data, ("sections", section_index, "articles", article_index), False)
        where = (manifest_shown, (line or 0) + 1, (column or 0) + 1)
        field_name = f"sections[{section_index + 1}].articles[{article_index + 1}]"
        path = root / value.strip()
        if not _inside(path, root):
            errors.append(EditorError(*where, field_name, f"稿件必须放在本期文件夹内：{value}"))
            continue
        if path.resolve() in listed:
            errors.append(EditorError(*where, field_name, f"同一篇稿件列了两次：{value}"))
            continue
        listed.add(path.resolve())
        if not path.is_file():
            errors.append(EditorError(*where, field_name, f"找不到稿件文件：{value}"))
            continue
        if path.suffix.lower() != ".md":
            errors.append(EditorError(*where, field_name, f"稿件应为 .md 文件：{value}"))
            continue
        section_name = str(data["sections"][section_index].get("name", "")).strip()
        article, article_errors = _load_cached(path, display_path(path, root), section_name, cache)
        errors += article_errors
        if article is not None:
            articles.append(article)

    for stray in sorted(root.rglob("*.md")):
        if stray.resolve() not in listed and not stray.name.startswith("."):
            errors.append(
                EditorError(
                    display_path(stray, root),
                    None,
                    None,
                    None,
                    "这篇稿件没有列入 issue.yaml 的任何栏目：请加入 sections，或移出本期文件夹",
                )
            )

    if errors or manifest is None:
        raise EditionInvalid(errors)
    return Edition(root, manifest, tuple(articles))


def _load_cached(
    path: Path, shown_as: str, section: str, cache: LoadCache | None
) -> tuple[Article | None, list[EditorError]]:
    if cache is None:
        return load_article(path, shown_as, section)
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    hit = cache.articles.get(path)
    if hit is not None and hit[0] == stamp and hit[1].section == section:
        return hit[1], []
    article, errors = load_article(path, shown_as, section)
    if article is not None:
        cache.articles[path] = (stamp, article)
    return article, errors
