"""An article's Markdown body → HTML fragment, with every image vetted and located.

Paragraphs are set apart by what they say, as GB/T 9704 sets them (official.py:
numbered heading lines, notes “注：…”, labels, salutation, 附件, 落款). Tables with
merged cells come as a sanitised HTML subset (`html_table`).

Images are written into the HTML as `edition:/articles/images/x.png`, relative to
the edition folder, not as `file:` URLs: WeasyPrint names an image in the PDF by the
MD5 of its URL, so an absolute path would make the same sources give different bytes
in another folder. The typesetter's fetcher serves these URLs from the images it
has already vetted.

Lists and block quotes may nest MAX_NESTING levels deep, a quote counting as two
(it is indented on both sides, 4 em, where a list level takes 2 em): at most 16 em,
half the text width, goes to indentation. Deeper is refused with the line, because
it would be lost: markdown-it stops parsing at `maxNesting` token levels (a list
level is two: the list and its item) and silently drops the rest of the block and
the paragraphs after it, and past the text width WeasyPrint has no room for a
single character. MARKDOWN_MAX_NESTING leaves room so that anything markdown-it
would drop is refused first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..edition.load import Article, ArticleText
from ..errors import EditorError
from . import cjk_text, html_table, official

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"}
LINK_SCHEMES = {"http", "https", "mailto"}
EDITION_SCHEME = "edition"
MAX_NESTING = 8
MARKDOWN_MAX_NESTING = 2 * MAX_NESTING + 4
_NESTING_WEIGHTS = {"bullet_list": 1, "ordered_list": 1, "blockquote": 2}
# Letters, digits and ASCII signs with no space: a line breaks inside such a run only by
# `overflow-wrap`, which WeasyPrint computes in time growing with the square of its
# length (2,000 characters in a table cell took 25 s). Five lines' worth is plenty for
# any printed URL; a longer link belongs behind link text, [原文](https://…).
MAX_UNBROKEN = 300
_UNBROKEN = re.compile(f"[!-~]{{{MAX_UNBROKEN + 1},}}")


def edition_url(path: Path, root: Path) -> str:
    """`edition:/articles/images/%E5%9B%BE.png`: a file of the edition, wherever it is."""
    return f"{EDITION_SCHEME}:/{quote(path.relative_to(root).as_posix())}"


def edition_path(url: str, root: Path) -> Path | None:
    """The file an `edition:` URL names, or None for any other URL."""
    parts = urlsplit(url)
    if parts.scheme != EDITION_SCHEME:
        return None
    return root / unquote(parts.path).lstrip("/")
SENTENCE_END = "。！？；!?"
MAX_SENTENCE = 60  # enough to identify an article; a longer first sentence is cut here


@dataclass(frozen=True)
class PlacedImage:
    """An image file an article uses, with the line that asks for it."""

    path: Path
    article: str
    line: int


@dataclass(frozen=True)
class ArticleBody:
    html: str
    images: tuple[PlacedImage, ...]
    errors: tuple[EditorError, ...]
    first_sentence: str  # the opening words as printed, for the check to find
    # (line in the article file, printed text) of each paragraph, heading and cell,
    # so a finding about a printed line can name its source line.
    blocks: tuple[tuple[int, str], ...] = ()
    table_rows: int = 0
    first_table_line: int | None = None  # where the first table starts, in the file


def printed_text(token: Token) -> str:
    """The text an inline token prints (cjk_text's spans included, no break marks)."""
    return "".join(
        unescape(re.sub(r"<[^>]*>", "", child.content)) if child.type == "html_inline" else child.content
        for child in token.children or []
        if child.type in ("text", "code_inline", "softbreak", "html_inline")
    ).replace("\u200b", "").strip()


def first_sentence(tokens: list[Token]) -> str:
    """The opening words of the first paragraph or heading, as printed (≤ 60 characters)."""
    for token in tokens:
        if token.type != "inline":
            continue
        text = printed_text(token)
        if not text:
            continue
        for index, character in enumerate(text):
            if character in SENTENCE_END:
                text = text[: index + 1]
                break
        return text[:MAX_SENTENCE]
    return ""


def _figures(state: StateCore) -> None:
    """A paragraph holding only an image becomes a figure with its alt text as caption."""
    tokens = state.tokens
    for index in range(len(tokens) - 2):
        opening, inline, closing = tokens[index : index + 3]
        if opening.type != "paragraph_open" or inline.type != "inline" or opening.hidden:
            continue
        children = [
            child
            for child in inline.children or []
            if not (child.type in {"text", "softbreak"} and not child.content.strip())
        ]
        if len(children) == 1 and children[0].type == "image":
            opening.tag = closing.tag = "figure"
            children[0].meta["figure"] = True


def _official_numbers(state: StateCore) -> None:
    """Ordered list items keep the number the editor wrote (3. stays 3.)."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type != "list_item_open" or token.info == "":
            continue
        for follower in tokens[index + 1 :]:
            if follower.type == "inline":
                number = Token("html_inline", "", 0)
                number.content = f'<span class="list-number">{escape(token.info + token.markup)}</span>'
                follower.children = [number, *(follower.children or [])]
                break


SHORT_CELL = 8  # characters: a cell this short never wraps (its column is sized to fit it)


def _table_cells(state: StateCore) -> None:
    """Short table cells (序号, names, figures) are marked so they never wrap mid-word."""
    tokens = state.tokens
    for index, token in enumerate(tokens):
        if token.type in ("td_open", "th_open") and tokens[index + 1].type == "inline":
            text = tokens[index + 1].content.strip()
            if len(text) <= SHORT_CELL:
                token.attrSet("class", "short")


def new_parser() -> MarkdownIt:
    # html=False: raw HTML an editor pastes is shown as text, never rendered.
    parser = MarkdownIt(
        "commonmark", {"html": False, "typographer": False, "maxNesting": MARKDOWN_MAX_NESTING}
    ).enable(
        ["table", "strikethrough"]
    )
    # Accept every URL at parse time and vet it in render_article_body instead, so a
    # refused image or link is reported to the editor rather than silently left as text.
    parser.validateLink = lambda url: True
    parser.core.ruler.push("figures", _figures)
    parser.core.ruler.push("official_numbers", _official_numbers)
    parser.core.ruler.push("table_cells", _table_cells)
    official.install(parser)  # 公文 blocks: numbered headings, notes, labels, 附件, 落款
    html_table.install(parser)  # merged cells: sanitised <table> blocks
    cjk_text.install(parser)  # quote line breaks, punctuation compression, Han–Latin spacing
    # Article headings sit below the article title (h2).
    parser.add_render_rule("heading_open", _heading_open)
    parser.add_render_rule("heading_close", _heading_close)
    parser.add_render_rule("image", _render_image)
    return parser


def _shifted_heading(tag: str) -> str:
    return f"h{min(int(tag[1]) + 2, 6)}"


def _heading_open(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    return f'<{_shifted_heading(tokens[index].tag)} class="article-heading">'


def _heading_close(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    return f"</{_shifted_heading(tokens[index].tag)}>\n"


def _resolve_image(src: str, article: Article | ArticleText, root: Path) -> tuple[Path | None, str | None]:
    """The image file inside the edition folder, or why it is refused."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc:
        return None, (
            f"图片必须是本期文件夹里的文件，不能引用网址或其他位置：{src}。"
            "请把图片下载到稿件旁边，再写相对路径"
        )
    relative = unquote(parts.path)
    if relative.startswith("/") or relative.startswith("\\"):
        return None, f"图片路径不能是绝对路径：{src}。请写相对于稿件的路径，如 images/photo.jpg"
    path = (article.path.parent / relative).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return None, f"图片必须放在本期文件夹内：{src}"
    if path.suffix.lower() not in IMAGE_SUFFIXES:
        return None, f"不支持的图片格式：{src}（可用 PNG、JPEG、GIF、SVG、WebP）"
    if not path.is_file():
        return None, f"找不到图片文件：{src}"
    return path, None


def _too_deep(tokens: list[Token], article: Article | ArticleText) -> list[EditorError]:
    """The first list or quote nested deeper than MAX_NESTING, as an error with its line."""
    depth = 0
    for token in tokens:
        kind = token.type.removesuffix("_open").removesuffix("_close")
        if kind not in _NESTING_WEIGHTS:
            continue
        depth += token.nesting * _NESTING_WEIGHTS[kind]
        if depth > MAX_NESTING:
            line = article.body_first_line + (token.map[0] if token.map else 0)
            message = (
                f"列表或引文嵌套太深：列表最多 {MAX_NESTING} 层，引文最多 {MAX_NESTING // 2} 层"
                "（引文一层按列表两层算），更深的内容无法排版。请减少缩进或“>”的层数"
            )
            return [EditorError(article.display_path, line, None, None, message)]
    return []


def _unbroken_runs(block: Token, shown_as: str, line: int) -> list[EditorError]:
    """A printed run of more than MAX_UNBROKEN letters and signs without a space."""
    children = block.children or []
    printed = [
        re.sub(r"<[^>]*>", "", child.content) if child.type == "html_inline" else child.content
        for child in children
        if child.type in ("text", "code_inline", "html_inline")
    ] if children else [block.content]
    run = next((found for text in printed if (found := _UNBROKEN.search(unescape(text)))), None)
    if run is None:
        return []
    message = (
        f"有一串 {len(run.group())} 个字母或符号中间没有空格（{run.group()[:30]}…），"
        f"超过 {MAX_UNBROKEN} 个无法排版：网址请写成链接 [原文](网址)，其他请加空格"
    )
    return [EditorError(shown_as, line, None, None, message)]


def render_article_body(parser: MarkdownIt, article: Article | ArticleText, root: Path) -> ArticleBody:
    env: dict[str, list[tuple[int, str]]] = {}
    tokens = parser.parse(article.body, env)
    errors: list[EditorError] = [
        EditorError(article.display_path, article.body_first_line + line, None, "表格", message)
        for line, message in env.get("table_problems", [])
    ]
    errors += _too_deep(tokens, article)
    images: list[PlacedImage] = []
    for block in tokens:
        if block.type != "inline" or block.map is None:
            continue
        line = article.body_first_line + block.map[0]
        errors += _unbroken_runs(block, article.display_path, line)
        for child in block.children or []:
            if child.type == "image":
                src = str(child.attrs.get("src", ""))
                path, problem = _resolve_image(src, article, root)
                if problem is not None:
                    errors.append(EditorError(article.display_path, line, None, "图片", problem))
                    child.attrs["src"] = ""
                else:
                    assert path is not None
                    images.append(PlacedImage(path, article.display_path, line))
                    child.attrs["src"] = edition_url(path, root)
                title = child.attrs.pop("title", None)
                alt = "".join(grandchild.content for grandchild in child.children or [])
                child.meta["caption"] = str(title) if title else alt
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                scheme = urlsplit(href).scheme.lower()
                if scheme not in LINK_SCHEMES:
                    errors.append(
                        EditorError(
                            article.display_path,
                            line,
                            None,
                            "链接",
                            f"链接应以 http:// 或 https:// 开头：{href}",
                        )
                    )
    html = parser.renderer.render(tokens, parser.options, {})
    blocks = tuple(
        (article.body_first_line + token.map[0], printed_text(token))
        for token in tokens
        if token.type == "inline" and token.map is not None
    )
    tables = [token for token in tokens if token.type == "table_open"]
    rows = sum(token.type == "tr_open" for token in tokens) - len(tables)  # not the header rows
    table_line = article.body_first_line + tables[0].map[0] if tables and tables[0].map else None
    return ArticleBody(html, tuple(images), tuple(errors), first_sentence(tokens), blocks, rows, table_line)


def _render_image(self, tokens, index, options, env) -> str:  # type: ignore[no-untyped-def]
    token = tokens[index]
    caption = token.meta.get("caption", "")
    img = f'<img src="{escape(str(token.attrs.get("src", "")))}" alt="{escape(caption)}">'
    if token.meta.get("figure") and caption:
        return f"{img}<figcaption>{escape(caption)}</figcaption>"
    return img

