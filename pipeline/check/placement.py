"""Which article each page belongs to, so every finding names an article and its file.

An article's own named destination (its anchor) is the truth of where it starts;
the outline is only a fallback. A page's owner is the last article to start on or
before it; pages before the first article are the masthead and contents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader

from ..pdfread.outline import OutlineItem, destination_page
from ..pdfread.page_text import normalize
from .expected import Expected
from .report import FRONT


@dataclass(frozen=True)
class ArticlePlace:
    """Where one article of the edition landed in the PDF."""

    title: str
    file: str
    anchor: str | None
    page: int | None  # its first page, from its link target (else the outline)


@dataclass(frozen=True)
class Placement:
    """Which article each page belongs to."""

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

    def where(self, page: int | None, owner: ArticlePlace | None = None) -> dict[str, Any]:
        """Keyword arguments placing a finding on `page` and its article."""
        if page is None:
            return {}
        owner = owner or self.owner(page)
        first = self.first_article_page
        if owner is None:
            return {"page": page, "article": FRONT if first is not None else None}
        return {"page": page, "article": owner.title, "file": owner.file}

    def by_title(self, title: str) -> ArticlePlace | None:
        wanted = normalize(title)
        return next((place for place in self.articles if normalize(place.title) == wanted), None)


def place_articles(reader: PdfReader, expected: Expected, outline: list[OutlineItem]) -> Placement:
    outline_pages = {normalize(child.title): child.page for item in outline for child in item.children}
    placed = []
    for article in expected.articles:
        page = destination_page(reader, article.anchor)
        if page is None:
            page = outline_pages.get(normalize(article.title))
        placed.append(ArticlePlace(article.title, article.file, article.anchor, page))
    return Placement(tuple(placed))
