"""One build: load → render → typeset → write, with the warm parts kept between builds."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .check.expected import Expected
from .edition.load import LoadCache, load_edition
from .house import FONTS_DIR, REPO_ROOT, STYLES_DIR, shipped_font_families
from .render.html import RenderedEdition, Renderer
from .typeset.glyphs import FontCoverage, MissingGlyph
from .typeset.typesetter import (
    SetupProblem,
    Typesetter,
    check_setup,
    use_only_shipped_fonts,
    write_atomically,
)
from .variant import BRIEFING, Variant


@dataclass(frozen=True)
class BuildResult:
    output: Path
    page_count: int
    warnings: tuple[str, ...]
    seconds: float
    rendered: RenderedEdition
    # Characters no shipped font has, found before typesetting. They do not stop the
    # build: the PDF is written so the editor can see the boxes, and the check fails.
    missing_glyphs: tuple[MissingGlyph, ...] = ()
    variant: Variant = BRIEFING

    @property
    def expected(self) -> Expected:
        """What the check compares this PDF with."""
        return Expected.from_rendered(
            self.rendered,
            shipped_font_families(self.rendered.styles_dir),
            self.missing_glyphs,
            self.warnings,
        )


@dataclass
class Builder:
    """Everything a build needs that outlives one build (templates, fonts, caches)."""

    styles_dir: Path
    fonts_dir: Path
    renderer: Renderer
    typesetter: Typesetter
    load_cache: LoadCache = field(default_factory=LoadCache)
    # Loaded on first use (~0.3 s), then kept for every later build.
    coverage: FontCoverage | None = field(default=None, repr=False)

    @classmethod
    def create(cls, styles_dir: Path | None = None, fonts_dir: Path | None = None) -> Builder:
        styles_dir = (styles_dir or STYLES_DIR).resolve()
        fonts_dir = (fonts_dir or FONTS_DIR).resolve()
        problems = check_setup(styles_dir)
        if problems:
            raise SetupProblem("；".join(problems))
        use_only_shipped_fonts(fonts_dir)
        return cls(
            styles_dir,
            fonts_dir,
            Renderer.from_styles(styles_dir),
            Typesetter(styles_dir, fonts_dir),
        )

    def font_coverage(self) -> FontCoverage:
        if self.coverage is None:
            self.coverage = FontCoverage.from_fonts_dir(self.fonts_dir)
        return self.coverage

    def render(self, edition_dir: Path, variant: Variant = BRIEFING) -> RenderedEdition:
        edition = load_edition(edition_dir, self.load_cache)
        return self.renderer.render(edition, variant)

    def build(self, edition_dir: Path, output: Path, variant: Variant = BRIEFING) -> BuildResult:
        """Build the PDF; on any input error raise before `output` is touched."""
        started = time.perf_counter()
        edition = load_edition(edition_dir, self.load_cache)
        # Before typesetting, so a missing character is named with its file and line.
        missing_glyphs = tuple(self.font_coverage().find_missing(edition))
        rendered = self.renderer.render(edition, variant)
        typeset = self.typesetter.typeset(rendered, variant)
        write_atomically(output, typeset.pdf)
        return BuildResult(
            output,
            typeset.page_count,
            typeset.warnings,
            time.perf_counter() - started,
            rendered,
            missing_glyphs,
            variant,
        )


def default_output(edition_dir: Path, variant: Variant = BRIEFING) -> Path:
    return REPO_ROOT / "build" / f"{edition_dir.resolve().name}{variant.output_suffix}.pdf"
