"""A loaded edition → one HTML document for WeasyPrint (Jinja2 template in `styles/`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt

from ..cjk import circled_number
from ..edition.load import Article, ArticleText, Edition
from ..edition.schema import chinese_date
from ..errors import EditionInvalid, EditorError
from ..house import STYLESHEET_NAMES, TEMPLATE_NAME
from ..variant import BRIEFING, Variant
from .markdown import ArticleBody, PlacedImage, new_parser, render_article_body

# Table rows per edition: WeasyPrint lays out a table page about five times slower than
# prose (the contents' page numbers make it lay the table out again and again); 1,000
# rows (about 40 pages) take some 8 s, 2,000 rows 30 s under load, 10,000 rows two minutes.
MAX_TABLE_ROWS = 1000


class TableRows:
    """Counts table rows across an edition and refuses the article that passes the limit."""

    def __init__(self) -> None:
        self.total = 0

    def add(self, body: ArticleBody, shown_as: str) -> list[EditorError]:
        before, self.total = self.total, self.total + body.table_rows
        if before <= MAX_TABLE_ROWS < self.total:
            message = (
                f"本期表格合计超过 {MAX_TABLE_ROWS} 行（到这篇为 {self.total} 行），排版会很慢："
                "请精简表格，或把名单作为附件另发"
            )
            return [EditorError(shown_as, body.first_table_line, None, "表格", message)]
        return []


class RenderFailed(EditionInvalid):
    """`EditionInvalid` from the Markdown, with the images the bodies use (to vet them too)."""

    def __init__(self, errors: list[EditorError], images: tuple[PlacedImage, ...]) -> None:
        super().__init__(errors)
        self.images = images


def scan_bodies(texts: tuple[ArticleText, ...], root: Path) -> RenderFailed:
    """The Markdown mistakes and images of article bodies, without building a document
    (for an edition that failed to load, so every mistake is told at once)."""
    parser = new_parser()
    errors: list[EditorError] = []
    images: list[PlacedImage] = []
    rows = TableRows()
    for text in texts:
        body = render_article_body(parser, text, root)
        errors += [*body.errors, *rows.add(body, text.display_path)]
        images += body.images
    return RenderFailed(errors, tuple(images))


@dataclass(frozen=True)
class Entry:
    """One article as placed in the briefing: its anchor, contents mark and body."""

    anchor: str
    mark: str  # ①②③…, numbered within its section
    article: Article
    body_html: str
    first_sentence: str


@dataclass(frozen=True)
class SectionEntries:
    name: str
    anchor: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class RenderedEdition:
    """The HTML as handed to WeasyPrint, and what it draws on."""

    edition: Edition
    html: str
    sections: tuple[SectionEntries, ...]
    images: tuple[PlacedImage, ...]
    styles_dir: Path



def article_anchor(section_number: int, article_number: int) -> str:
    """The HTML id (and PDF named destination) of an article, both numbers 1-based."""
    return f"a{section_number}-{article_number}"


@dataclass
class BodyMemory:
    """Article bodies rendered by the last build, for the next (a watcher's rebuild).

    A body is a function of the article's text, its file and first line, the edition
    folder, and of which of its pictures exist; only bodies without mistakes are kept,
    and one is reused only while every picture it shows is still a file. Bodies the last
    build did not use are dropped."""

    _previous: dict[tuple[object, ...], ArticleBody] = field(default_factory=dict)
    _current: dict[tuple[object, ...], ArticleBody] = field(default_factory=dict)

    def start(self) -> None:
        self._previous, self._current = self._current, {}

    def body(self, parser: MarkdownIt, article: Article | ArticleText, root: Path) -> ArticleBody:
        key = (article.path, article.display_path, article.body_first_line, article.body, root)
        body = self._previous.get(key)
        if body is None or not all(image.path.is_file() for image in body.images):
            body = render_article_body(parser, article, root)
        if not body.errors:
            self._current[key] = body
        return body


@dataclass(frozen=True)
class Renderer:
    """The template and Markdown parser, built once and reused for every build."""

    styles_dir: Path
    environment: jinja2.Environment
    bodies: BodyMemory = field(default_factory=BodyMemory)

    @classmethod
    def from_styles(cls, styles_dir: Path) -> Renderer:
        environment = jinja2.Environment(
            loader=jinja2.FileSystemLoader(styles_dir),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=True,
        )
        environment.filters["chinese_date"] = chinese_date
        return cls(styles_dir.resolve(), environment)

    def render(self, edition: Edition, variant: Variant = BRIEFING) -> RenderedEdition:
        parser = new_parser()
        self.bodies.start()
        errors: list[EditorError] = []
        images: list[PlacedImage] = []
        sections: list[SectionEntries] = []
        rows = TableRows()
        for section_index, section in enumerate(edition.manifest.sections, start=1):
            entries = []
            for article_index, article in enumerate(edition.articles_in(section.name), start=1):
                body = self.bodies.body(parser, article, edition.root)
                errors += [*body.errors, *rows.add(body, article.display_path)]
                images += body.images
                entries.append(
                    Entry(
                        anchor=article_anchor(section_index, article_index),
                        mark=circled_number(article_index),
                        article=article,
                        body_html=body.html,
                        first_sentence=body.first_sentence,
                    )
                )
            sections.append(SectionEntries(section.name, f"s{section_index}", tuple(entries)))
        if errors:
            raise RenderFailed(errors, tuple(images))
        template = self.environment.get_template(TEMPLATE_NAME)
        html = template.render(
            manifest=edition.manifest,
            sections=sections,
            stylesheets=[
                (self.styles_dir / name).as_uri() for name in (*STYLESHEET_NAMES, *variant.stylesheets)
            ],
            title=edition.manifest.document_title,
        )
        return RenderedEdition(edition, html, tuple(sections), tuple(images), self.styles_dir)
