"""Which article each page belongs to, so every finding names an article, its file and line.

Every family of checks places its findings through `Placement.where(page, text=…)`:
given what is printed where the fault is (a line's text, a word), it names the
article on that page whose file holds the text and the line it is on
(`source_lines`); given only a page, the article owning the page. A finding about
an article as a whole (its contents entry, bookmark) uses `ArticlePlace.where()`,
which points at the line of its title.

An article's own named destination (its anchor) is the truth of where it starts;
the outline is only a fallback. A page's owner is the last article to start on or
before it; pages before the first article are the masthead and contents.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader

from ..pdfread.outline import OutlineItem, destination_page
from ..pdfread.page_text import normalize
from .expected import Expected, ExpectedArticle
from .report import FRONT
from .source_lines import PRINTED_FIELDS, SourceText


@dataclass(frozen=True)
class ArticlePlace:
    """Where one article of the edition landed in the PDF."""

    title: str
    file: str
    anchor: str | None
    page: int | None  # its first page, from its link target (else the outline)
    title_line: int | None = None  # the line of `title:` in its file
    source: SourceText | None = field(default=None, repr=False, compare=False)  # its printed text by line

    def line_of(self, text: str) -> int | None:
        """The line of its file that holds the printed `text`, if it does."""
        return self.source.line_of(text) if self.source is not None else None

    def where(self, page: int | None = None) -> dict[str, Any]:
        """Keyword arguments placing a finding about the article itself (its contents
        entry, bookmark, title) on its title's line."""
        placed = {"article": self.title, "file": self.file, "line": self.title_line}
        return {**placed, "page": page} if page is not None else placed


@dataclass(frozen=True)
class Placement:
    """Which article each page belongs to, and where in its file a printed text is."""

    articles: tuple[ArticlePlace, ...]

    @property
    def first_article_page(self) -> int | None:
        pages = [place.page for place in self.articles if place.page is not None]
        return min(pages) if pages else None

    def on_page(self, page: int) -> list[ArticlePlace]:
        """Articles with text on `page`: those starting there and the one running into it."""
        placed = sorted(
            (place for place in self.articles if place.page is not None),
            key=lambda place: place.page or 0,
        )
        before = [place for place in placed if (place.page or 0) < page]
        starting = [place for place in placed if place.page == page]
        return before[-1:] + starting

    def owner(self, page: int) -> ArticlePlace | None:
        """The last article to start on or before `page`."""
        found = self.on_page(page)
        return found[-1] if found else None

    def where(
        self, page: int | None, owner: ArticlePlace | None = None, text: str | None = None
    ) -> dict[str, Any]:
        """Keyword arguments placing a finding on `page`, its article, file and line.

        `text`: what is printed there (a line, a word): the article on the page whose
        file holds it owns the finding, and the finding points at that line. On the
        masthead and contents pages, a title found there names its article.
        """
        if page is None:
            return {}
        if text:
            found = self.source_of(text, page)
            if found is not None:
                place, line = found
                return {"page": page, "article": place.title, "file": place.file, "line": line}
        owner = owner or self.owner(page)
        first = self.first_article_page
        if owner is None:
            return {"page": page, "article": FRONT if first is not None else None}
        return {"page": page, "article": owner.title, "file": owner.file}

    def source_of(self, text: str, page: int) -> tuple[ArticlePlace, int] | None:
        """(article, line) whose file holds `text` printed on `page`."""
        first = self.first_article_page
        # The contents pages list every title.
        front = first is not None and page < first
        candidates = list(self.articles) if front else self.on_page(page)
        # The article running into the page is tried last: a new one starting here
        # more often holds a heading or title that is found at a page's foot.
        for place in reversed(candidates):
            line = place.line_of(text)
            if line is not None:
                return place, line
        return None


# What a `SourceText` is made of: (printed fields with their lines, body, its first line).
SourceKey = tuple[tuple[tuple[str, int], ...], str, int]


def _source_text(article: ExpectedArticle, known: dict[SourceKey, SourceText] | None) -> SourceText:
    front = article.front
    fields = tuple(
        (str(getattr(front, name)), article.field_lines.get(name, 1))
        for name in PRINTED_FIELDS
        if getattr(front, name, None)
    )
    key = (fields, article.body, article.first_line)
    if known is not None and key in known:
        return known[key]
    made = SourceText.of(list(fields), article.body, article.first_line)
    if known is not None:
        known[key] = made
    return made


def place_articles(
    reader: PdfReader,
    expected: Expected,
    outline: list[OutlineItem],
    known_sources: dict[SourceKey, SourceText] | None = None,
) -> Placement:
    """Each article's first page from its anchor; the outline (in order) where it has none.

    `known_sources`: source texts made by an earlier check, by what they are made of
    (the watcher's check keeps them; a `SourceText` is a function of its key)."""
    children = [child for item in outline for child in item.children]
    by_order = len(children) == len(expected.articles)
    outline_pages = {normalize(child.title): child.page for child in children}
    placed = []
    for index, article in enumerate(expected.articles):
        page = destination_page(reader, article.anchor)
        if page is None:
            page = children[index].page if by_order else outline_pages.get(normalize(article.title))
        title_line = article.field_lines.get("title")
        source = _source_text(article, known_sources)
        placed.append(ArticlePlace(article.title, article.file, article.anchor, page, title_line, source))
    return Placement(tuple(placed))
