"""One build: load → render → vet images → typeset → write, with the warm parts kept between builds.

Every editor mistake is found before typesetting and told at once: when the front
matter of some article is wrong, the bodies that could be read are still scanned
for Markdown and image mistakes, so fixing one list does not reveal the next.
The output path is judged before any work (`output_problem`): it may not be an
input (an article, `issue.yaml`, an image, a style or font), a folder, or an
existing file that is not a PDF.
"""

from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .atomic_files import write_atomically
from .edition.load import LoadCache, LoadFailed, load_edition
from .errors import EditionInvalid, OutputProblem
from .house import FONTS_DIR, REPO_ROOT, STYLES_DIR, cache_dir, shipped_font_families
from .render.html import RenderedEdition, Renderer, RenderFailed, scan_bodies
from .typeset.fontcache import FontCache
from .typeset.glyphs import FontCoverage, MissingGlyph
from .typeset.libraries import import_weasyprint_quietly
from .typeset.typesetter import (
    SetupProblem,
    Typesetter,
    check_setup,
    use_only_shipped_fonts,
)
from .variant import BRIEFING, Variant

if TYPE_CHECKING:
    from .check.expected import Expected


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
        # Imported here: the check's modules (pypdf, pikepdf) cost a cold build ~0.15 s.
        from .check.expected import Expected

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
        collect_garbage_less_often()
        import_weasyprint_quietly()
        font_cache = FontCache(cache_dir() / "fonts", fonts_dir)
        return cls(
            styles_dir,
            fonts_dir,
            Renderer.from_styles(styles_dir),
            Typesetter(styles_dir, fonts_dir, font_cache=font_cache),
        )

    def collect_garbage(self) -> None:
        """Between two builds of a watcher. A builder that builds again leaves ~300,000
        objects in reference cycles per build of the sample ×8 (the last render's trees):
        collect them while nothing is being built (1.3 s at 177 pages), then freeze what
        survives (the kept pages, the caches) so that later collections walk only newer
        objects."""
        gc.unfreeze()
        gc.collect()
        gc.freeze()

    def font_coverage(self) -> FontCoverage:
        if self.coverage is None:
            self.coverage = FontCoverage.from_fonts_dir(self.fonts_dir)
        return self.coverage

    def render(self, edition_dir: Path, variant: Variant = BRIEFING) -> RenderedEdition:
        edition = load_edition(edition_dir, self.load_cache)
        return self.renderer.render(edition, variant)

    def _every_mistake(self, edition_dir: Path, variant: Variant = BRIEFING) -> RenderedEdition:
        """The rendered edition, or `EditionInvalid` with the mistakes of every stage."""
        try:
            edition = load_edition(edition_dir, self.load_cache)
        except LoadFailed as failed:
            scanned = scan_bodies(failed.texts, edition_dir.resolve())
            _, image_errors = self.typesetter.image_vetter.vet(scanned.images)
            raise EditionInvalid([*failed.errors, *scanned.errors, *image_errors]) from None
        try:
            return self.renderer.render(edition, variant)
        except RenderFailed as failed:
            _, image_errors = self.typesetter.image_vetter.vet(failed.images)
            raise EditionInvalid([*failed.errors, *image_errors]) from None

    def build(self, edition_dir: Path, output: Path, variant: Variant = BRIEFING) -> BuildResult:
        """Build the PDF; on any input error raise before `output` is touched.

        A builder that builds again (the watcher) collects garbage between builds
        (`collect_garbage`), not during them."""
        pause = self.typesetter.rebuilds and gc.isenabled()
        if pause:
            gc.disable()
        try:
            return self._build(edition_dir, output, variant)
        finally:
            if pause:
                gc.enable()

    def _build(self, edition_dir: Path, output: Path, variant: Variant) -> BuildResult:
        started = time.perf_counter()
        problem = output_problem(output, edition_dir, self.styles_dir, self.fonts_dir)
        if problem:
            raise OutputProblem(output, problem)
        rendered = self._every_mistake(edition_dir, variant)
        images, image_errors = self.typesetter.vet_images(rendered)
        if image_errors:
            raise EditionInvalid(image_errors)
        # Before typesetting, so a missing character is named with its file and line.
        missing_glyphs = tuple(self.font_coverage().find_missing(rendered.edition))
        typeset = self.typesetter.typeset(rendered, images, variant)
        try:
            write_atomically(output, typeset.pdf)
        except OSError as error:
            raise OutputProblem(output, _why_unwritable(error)) from error
        return BuildResult(
            output,
            typeset.page_count,
            typeset.warnings,
            time.perf_counter() - started,
            rendered,
            missing_glyphs,
            variant,
        )


# Python's cyclic garbage collector runs a collection every 700 container allocations by
# default; a build allocates millions (boxes, styles, glyph runs), and each collection
# walks the young objects, each tenth the older ones too, and the older ones include a
# watcher's kept pages. Measured on the 2-core machine: 120 collections took 0.16–0.30 s
# of a 0.75 s rebuild of the sample, and a cold build of the sample ×8 (177 pages) spent
# 1.4 s of 11.3 s CPU in them. At 50,000 a build runs one or two, and the peak memory
# stayed the same (421 against 424 MB at 177 pages): WeasyPrint's garbage is nearly all
# freed by reference counting, not by the collector.
GC_THRESHOLDS = (50_000, 20, 20)


def collect_garbage_less_often() -> None:
    """For a process that builds: see GC_THRESHOLDS."""
    gc.set_threshold(*GC_THRESHOLDS)



# Generated files go under build/, which .gitignore ignores and `make clean` removes.
SCHEMA_DIR = REPO_ROOT / "build" / "schema"


def output_problem(
    output: Path, edition_dir: Path, styles_dir: Path, fonts_dir: Path, pdf: bool = True
) -> str | None:
    """Why the PDF (or HTML, `pdf=False`) may not be written to `output`, or None."""
    target = output.resolve()
    if target.is_dir():
        return "这是一个文件夹，请写出 PDF 文件名，如 build/2025-11.pdf"
    for folder in (edition_dir.resolve(), styles_dir.resolve(), fonts_dir.resolve()):
        if target.is_relative_to(folder):
            return (
                "不能写在期次文件夹、styles/ 或 fonts/ 里（会覆盖稿件或被当作稿件）："
                "请写到 build/ 等其他文件夹"
            )
    if target.is_file() and pdf:
        try:
            with target.open("rb") as stream:
                is_pdf = stream.read(5) == b"%PDF-"
        except OSError as error:
            return _why_unwritable(error)
        if not is_pdf:
            return "这个文件已存在，但不是 PDF，为免误删没有覆盖：请换一个文件名"
    folder = next((parent for parent in target.parents if parent.exists()), None)
    if folder is not None and not os.access(folder, os.W_OK | os.X_OK):
        return f"没有写入 {folder} 的权限：请换一个文件夹，或请管理员开放权限"
    return None


def _why_unwritable(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "没有写入权限：请换一个文件夹，或请管理员开放权限"
    if isinstance(error, IsADirectoryError):
        return "这是一个文件夹，请写出 PDF 文件名"
    if isinstance(error, NotADirectoryError | FileExistsError):
        return "路径中有一段是文件而不是文件夹"
    return f"写入失败（{error.strerror or error}）：请检查磁盘空间和文件夹"


def default_output(edition_dir: Path, variant: Variant = BRIEFING) -> Path:
    return REPO_ROOT / "build" / f"{edition_dir.resolve().name}{variant.output_suffix}.pdf"
