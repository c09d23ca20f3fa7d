"""One build: load → render → typeset → write, with the warm parts kept between builds."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .load import LoadCache, load_edition
from .render import RenderedEdition, Renderer
from .typeset import SetupProblem, Typesetter, check_setup, use_only_shipped_fonts, write_atomically

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class BuildResult:
    output: Path
    page_count: int
    warnings: tuple[str, ...]
    seconds: float
    rendered: RenderedEdition


@dataclass
class Builder:
    """Everything a build needs that outlives one build (templates, fonts, caches)."""

    styles_dir: Path
    fonts_dir: Path
    renderer: Renderer
    typesetter: Typesetter
    load_cache: LoadCache = field(default_factory=LoadCache)

    @classmethod
    def create(cls, styles_dir: Path | None = None, fonts_dir: Path | None = None) -> Builder:
        styles_dir = (styles_dir or REPO_ROOT / "styles").resolve()
        fonts_dir = (fonts_dir or REPO_ROOT / "fonts").resolve()
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

    def render(self, edition_dir: Path) -> RenderedEdition:
        edition = load_edition(edition_dir, self.load_cache)
        return self.renderer.render(edition)

    def build(self, edition_dir: Path, output: Path) -> BuildResult:
        """Build the PDF; on any input error raise before `output` is touched."""
        started = time.perf_counter()
        rendered = self.render(edition_dir)
        typeset = self.typesetter.typeset(rendered)
        write_atomically(output, typeset.pdf)
        return BuildResult(
            output,
            typeset.page_count,
            typeset.warnings,
            time.perf_counter() - started,
            rendered,
        )


def default_output(edition_dir: Path) -> Path:
    return REPO_ROOT / "build" / f"{edition_dir.resolve().name}.pdf"
