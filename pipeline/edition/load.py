"""Read an edition folder into validated models, collecting every mistake at once.

What is refused here, before anything is rendered (the limits are in the README):
files over the size limits, text that is not UTF-8 or holds control characters
(NUL, form feed, ESC…: invisible in an editor, missing glyphs in the PDF), and
YAML anchors and aliases (`&a`, `*a`): editors never need them, and a few nested
aliases expand to gigabytes ("billion laughs"), so they are refused at the first
one, before the YAML library expands anything.

When some articles fail, `LoadFailed` still carries every article body that could
be read, so the build can report the Markdown and image mistakes of the same
edition in the same list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, ComposerError, MaxDepthExceededError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from ..errors import EditionInvalid, EditorError, display_path, pydantic_message
from ..textfile import NotUtf8, control_characters, decode_utf8
from .schema import ArticleFrontMatter, IssueManifest
from .yaml_errors import GENERIC, PREFIX, explain

MANIFEST_NAME = "issue.yaml"
# An edition's articles together: about 190 pages of dense prose, some 12 s of typesetting.
MAX_EDITION_BYTES = 400 * 1024
MAX_ARTICLE_BYTES = MAX_EDITION_BYTES
MAX_MANIFEST_BYTES = 256 * 1024
MAX_YAML_DEPTH = 20
MAX_ARTICLES = 200  # 200 short articles took 12 s to typeset, 500 took 26 s


@dataclass(frozen=True)
class ArticleText:
    """An article file's Markdown body, whether or not its front matter is valid."""

    path: Path
    display_path: str
    body: str
    body_first_line: int  # 1-based line in the file where `body` starts


@dataclass(frozen=True)
class Article:
    """One article file, validated, with its Markdown body not yet rendered."""

    path: Path
    display_path: str
    section: str
    front: ArticleFrontMatter
    body: str
    body_first_line: int  # 1-based line in the file where `body` starts
    # 1-based line of each front-matter field: "title", "confirm", "confirm.published".
    field_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def text(self) -> ArticleText:
        return ArticleText(self.path, self.display_path, self.body, self.body_first_line)


@dataclass(frozen=True)
class Edition:
    """A whole edition, ready to render."""

    root: Path
    manifest: IssueManifest
    articles: tuple[Article, ...]
    manifest_file: str = MANIFEST_NAME  # as shown to the editor
    # 1-based line of each field of issue.yaml: "number", "period.start", "confirm.issuer".
    manifest_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.root.name

    def articles_in(self, section: str) -> list[Article]:
        return [article for article in self.articles if article.section == section]


class LoadFailed(EditionInvalid):
    """`EditionInvalid`, with the bodies of every article that could be read."""

    def __init__(self, errors: list[EditorError], texts: tuple[ArticleText, ...]) -> None:
        super().__init__(errors)
        self.texts = texts


@dataclass
class LoadCache:
    """Parsed articles by the SHA-256 of their bytes, so a watcher re-parses only what
    changed, however the file was changed (`cp -p` and `rsync -t` keep mtime and size)."""

    articles: dict[Path, tuple[str, Article]] = field(default_factory=dict)


class FileProblem(Exception):
    """One file that cannot be read at all; `error` says why, for the editor."""

    def __init__(self, error: EditorError) -> None:
        self.error = error


def read_text(path: Path, shown_as: str, data: bytes | None = None, limit: int = MAX_ARTICLE_BYTES) -> str:
    """UTF-8 text with or without BOM, LF or CRLF; anything else is refused by name."""
    if data is None:
        data = _read_bytes(path, shown_as, limit)
    try:
        text = decode_utf8(data)
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
    return text


def control_character_errors(text: str, shown_as: str) -> list[EditorError]:
    """The first control character of a file (and how many there are), as an error."""
    found = control_characters(text)
    if not found:
        return []
    line, column, character = found[0]
    more = f"（本文件共 {len(found)} 处）" if len(found) > 1 else ""
    message = (
        f"有看不见的控制字符 U+{ord(character):04X}{more}，PDF 中会显示不出或打乱文字顺序。"
        "常见于从其他软件粘贴的文字：请删除该处后重新输入"
    )
    return [EditorError(shown_as, line, column, None, message)]


def _read_bytes(path: Path, shown_as: str, limit: int) -> bytes:
    size = path.stat().st_size
    if size > limit:
        raise FileProblem(
            EditorError(
                shown_as,
                None,
                None,
                None,
                f"文件太大（{size / 1024 / 1024:.1f} MB），超过 {limit // 1024} KB 的上限：请拆成几篇稿件",
            )
        )
    return path.read_bytes()


class _NoAliases(Composer):
    """Refuses YAML anchors and aliases before anything is expanded (billion laughs)."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise ComposerError(
                None, None, "不支持锚点和别名（& 与 *）：请把内容直接写出来", event.start_mark
            )
        return super().compose_node(parent, index)


class _DatesAsText(RoundTripConstructor):
    """Leaves dates as text so Pydantic validates them (with a line number) instead of
    the YAML library failing on 2025-13-05 without one."""


_DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", RoundTripConstructor.construct_yaml_str)


def _yaml_parser() -> YAML:
    # The round-trip loader keeps line numbers and never builds Python objects
    # from tags, so it is as safe as safe_load.
    parser = YAML(typ="rt")
    parser.Constructor = _DatesAsText
    parser.Composer = _NoAliases
    parser.allow_duplicate_keys = False
    # Editors nest three levels (sections → articles); a few thousand `[` would
    # otherwise exhaust Python's recursion in the composer.
    parser.max_depth = MAX_YAML_DEPTH
    return parser


def parse_yaml(text: str, shown_as: str, first_line: int = 1) -> Any:
    try:
        return _yaml_parser().load(text)
    except MarkedYAMLError as error:
        line, column, message = explain(error, text)
        if isinstance(error, MaxDepthExceededError):
            message = f"{PREFIX}嵌套超过 {MAX_YAML_DEPTH} 层"
        raise FileProblem(
            EditorError(
                shown_as,
                first_line if line is None else line + first_line,
                None if column is None else column + 1,
                None,
                message,
            )
        ) from None
    except (YAMLError, ValueError):
        raise FileProblem(EditorError(shown_as, first_line, None, None, f"{PREFIX}{GENERIC}")) from None


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


def field_lines(data: Any, first_line: int) -> dict[str, int]:
    """1-based line of every field and of every field one level below it ("a", "a.b")."""
    lines: dict[str, int] = {}
    if not isinstance(data, CommentedMap):
        return lines
    # A mapping written in flow style ({start: …, end: …}) has no per-key positions.
    for key, (key_line, *_) in (data.lc.data or {}).items():
        lines[str(key)] = key_line + first_line
        value = data.get(key)
        if isinstance(value, CommentedMap):
            for inner, (inner_line, *_) in (value.lc.data or {}).items():
                lines[f"{key}.{inner}"] = inner_line + first_line
    return lines


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
    article, _, errors = _read_article(path, shown_as, section, None)
    return article, errors


def _read_article(
    path: Path, shown_as: str, section: str, data: bytes | None
) -> tuple[Article | None, ArticleText | None, list[EditorError]]:
    """The article, or its body alone when the front matter is wrong, and the errors."""
    try:
        text = read_text(path, shown_as, data)
        front_yaml, body, body_line = split_front_matter(text, shown_as)
    except FileProblem as problem:
        return None, None, [problem.error]
    body_text = ArticleText(path, shown_as, body, body_line)
    errors = control_character_errors(text, shown_as)
    try:
        data = parse_yaml(front_yaml, shown_as, first_line=2)
    except FileProblem as problem:
        return None, body_text, [*errors, problem.error]
    front, front_errors = validate(ArticleFrontMatter, data, shown_as, first_line=2)
    errors += front_errors
    if errors:
        return None, body_text, errors
    return Article(path, shown_as, section, front, body, body_line, field_lines(data, 2)), body_text, []


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
    if not _inside(manifest_path, root):  # a symbolic link to a file elsewhere
        raise EditionInvalid(
            [EditorError(manifest_shown, None, None, None, f"{MANIFEST_NAME} 必须是本期文件夹里的文件")]
        )
    try:
        text = read_text(manifest_path, manifest_shown, limit=MAX_MANIFEST_BYTES)
    except FileProblem as problem:
        raise EditionInvalid([problem.error]) from None
    errors = control_character_errors(text, manifest_shown)
    try:
        data = parse_yaml(text, manifest_shown)
    except FileProblem as problem:
        raise EditionInvalid([*errors, problem.error]) from None
    manifest, manifest_errors = validate(IssueManifest, data, manifest_shown, first_line=1)
    errors += manifest_errors

    articles: list[Article] = []
    texts: list[ArticleText] = []
    listed: set[Path] = set()
    for count, (section_index, article_index, value) in enumerate(_listed_paths(data), start=1):
        if not isinstance(value, str) or not value.strip():
            continue  # already reported by the schema
        line, column = _position(data, ("sections", section_index, "articles", article_index), False)
        where = (manifest_shown, (line or 0) + 1, (column or 0) + 1)
        field_name = f"sections[{section_index + 1}].articles[{article_index + 1}]"
        if count > MAX_ARTICLES:  # told once; the rest are listed, not read
            message = f"一期最多 {MAX_ARTICLES} 篇稿件（每篇都要排进目录，再多就排得很慢）：请分成几期"
            errors += [EditorError(*where, field_name, message)] if count == MAX_ARTICLES + 1 else []
            listed.add((root / value.strip()).resolve())
            continue
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
        article, text, article_errors = _load_cached(path, display_path(path, root), section_name, cache)
        errors += article_errors
        if article is not None:
            articles.append(article)
        if text is not None:
            texts.append(text)

    errors += _too_large(texts, manifest_shown) + _unlisted(root, listed)

    if errors or manifest is None:
        raise LoadFailed(errors, tuple(texts))
    return Edition(root, manifest, tuple(articles), manifest_shown, field_lines(data, 1))


def _too_large(texts: list[ArticleText], manifest_shown: str) -> list[EditorError]:
    total = sum(text.path.stat().st_size for text in texts)
    if total <= MAX_EDITION_BYTES:
        return []
    message = (
        f"本期稿件合计 {total // 1024} KB，超过 {MAX_EDITION_BYTES // 1024} KB 的上限"
        "（约 200 页）：请删减稿件，或分成几期"
    )
    return [EditorError(manifest_shown, None, None, None, message)]


def _unlisted(root: Path, listed: set[Path]) -> list[EditorError]:
    message = "这篇稿件没有列入 issue.yaml 的任何栏目：请加入 sections，或移出本期文件夹"
    return [
        EditorError(display_path(stray, root), None, None, None, message)
        for stray in sorted(root.rglob("*.md"))
        if stray.resolve() not in listed and not stray.name.startswith(".")
    ]


def _load_cached(
    path: Path, shown_as: str, section: str, cache: LoadCache | None
) -> tuple[Article | None, ArticleText | None, list[EditorError]]:
    try:
        data = _read_bytes(path, shown_as, MAX_ARTICLE_BYTES)
    except FileProblem as problem:
        return None, None, [problem.error]
    if cache is None:
        return _read_article(path, shown_as, section, data)
    digest = hashlib.sha256(data).hexdigest()
    hit = cache.articles.get(path)
    if hit is not None and hit[0] == digest and hit[1].section == section:
        return hit[1], hit[1].text, []
    article, text, errors = _read_article(path, shown_as, section, data)
    if article is not None:
        cache.articles[path] = (digest, article)
    return article, text, errors
