"""What the PDF should hold, as one value built from the build's result.

The check compares the PDF with this and nothing else: it never re-reads the
edition's Markdown or the stylesheets. A build makes it from what it rendered
(`from_rendered`); `briefing check PDF --edition` renders the edition without
typesetting to get the same value; a bare PDF is checked against `pdf_only`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..edition.load import Edition
from ..edition.schema import ArticleFrontMatter, IssueManifest
from ..house import FONTS_DIR, STYLES_DIR, shipped_font_families
from ..render.html import RenderedEdition, Renderer
from ..render.markdown import PlacedImage
from ..typeset.glyphs import FontCoverage, MissingGlyph
from .report import FRONT
from .tagged import ExpectedTags


@dataclass(frozen=True)
class ExpectedArticle:
    """One article as it should appear: its title, anchor, first sentence and file."""

    section: str
    title: str
    file: str  # as shown to the editor, e.g. 2025-11/articles/01.md
    anchor: str  # the named destination of its start
    first_sentence: str  # as printed, for the text-present check
    first_line: int  # the body's first line in the file
    front: ArticleFrontMatter
    body: str = ""  # the Markdown body as written, to find a printed line's source line
    field_lines: Mapping[str, int] = field(default_factory=dict)  # front-matter field → line


@dataclass(frozen=True)
class Expected:
    manifest: IssueManifest | None
    articles: tuple[ExpectedArticle, ...]
    images: tuple[PlacedImage, ...]
    shipped_families: frozenset[str]
    missing_glyphs: tuple[MissingGlyph, ...] = ()
    typeset_warnings: tuple[str, ...] = ()
    manifest_file: str | None = None  # issue.yaml as shown to the editor
    manifest_lines: Mapping[str, int] = field(default_factory=dict)  # field → line
    tags: ExpectedTags | None = None  # what an archive's structure tree must hold
    # A bound volume's issues, in order: (anchor of its masthead, anchor of its first
    # article). Each is composed as a briefing of its own (contents, body, last page).
    bound_issues: tuple[tuple[str, str], ...] = ()

    @classmethod
    def pdf_only(cls, shipped_families: Iterable[str]) -> Expected:
        """Nothing known of the edition: only the document-level checks run."""
        return cls(None, (), (), frozenset(shipped_families))

    @classmethod
    def from_rendered(
        cls,
        rendered: RenderedEdition,
        shipped_families: Iterable[str],
        missing_glyphs: Iterable[MissingGlyph] = (),
        typeset_warnings: Iterable[str] = (),
    ) -> Expected:
        articles = tuple(
            ExpectedArticle(
                section=section.name,
                title=entry.article.front.title,
                file=entry.article.display_path,
                anchor=entry.anchor,
                first_sentence=entry.first_sentence,
                first_line=entry.article.body_first_line,
                front=entry.article.front,
                body=entry.article.body,
                field_lines=entry.article.field_lines,
            )
            for section in rendered.sections
            for entry in section.entries
        )
        return cls(
            rendered.edition.manifest,
            articles,
            rendered.images,
            frozenset(shipped_families),
            tuple(missing_glyphs),
            tuple(typeset_warnings),
            tags=ExpectedTags.from_rendered(rendered),
            manifest_file=rendered.edition.manifest_file,
            manifest_lines=rendered.edition.manifest_lines,
        )

    @classmethod
    def for_edition(
        cls, edition: Edition, styles_dir: Path = STYLES_DIR, fonts_dir: Path = FONTS_DIR
    ) -> Expected:
        """For a PDF made earlier: render the edition's HTML (no typesetting) to know
        each article's anchor, first sentence and images, and scan it for missing glyphs."""
        rendered = Renderer.from_styles(styles_dir).render(edition)
        missing = FontCoverage.from_fonts_dir(fonts_dir).find_missing(edition)
        return cls.from_rendered(rendered, shipped_font_families(styles_dir), missing)

    @property
    def document_title(self) -> str | None:
        return self.manifest.document_title if self.manifest else None

    @property
    def running_header(self) -> str | None:
        return self.manifest.running_header if self.manifest else None

    def manifest_where(self, name: str) -> dict[str, Any]:
        """Keyword arguments placing a finding on field `name` of issue.yaml."""
        if self.manifest_file is None:
            return {}
        line = self.manifest_lines.get(name) or self.manifest_lines.get(name.split(".")[0])
        return {"article": FRONT, "file": self.manifest_file, "line": line}

    def sections(self) -> list[tuple[str, list[ExpectedArticle]]]:
        """(section name, its articles) in contents order, as issue.yaml lists them."""
        if self.manifest is None:
            return []
        return [
            (section.name, [article for article in self.articles if article.section == section.name])
            for section in self.manifest.sections
        ]
