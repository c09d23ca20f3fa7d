"""Rendered HTML → PDF bytes with WeasyPrint, fonts from `fonts/` only, resources sandboxed."""

from __future__ import annotations

import logging
import mimetypes
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from hashlib import md5
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..errors import EditionInvalid, EditorError
from ..house import STYLESHEET_NAMES, VOLUME_STYLESHEET, HouseNumbers, font_faces
from ..render.html import RenderedEdition
from ..variant import BRIEFING, VARIANT_STYLESHEETS, Variant
from .compose import Composer, CompositionStats, page_composition
from .guard import UnsupportedWeasyPrint, check_weasyprint
from .justify import inter_character_justification
from .spacing import SpacingMemory

FONTCONFIG_NAME = "fonts.conf"
MAX_DATA_URL_BYTES = 64 * 1024


class SetupProblem(Exception):
    """The tool itself is incomplete (a font file or system library is missing)."""


def use_only_shipped_fonts(fonts_dir: Path) -> None:
    """Point fontconfig at `fonts/` alone, so no machine font can slip into the PDF.

    Must run before WeasyPrint builds its font configuration; a character the
    shipped fonts lack then shows as a missing glyph that `briefing check` reports,
    instead of silently coming from whatever fonts this machine has.
    """
    config = fonts_dir.resolve() / FONTCONFIG_NAME
    if not config.is_file():
        raise SetupProblem(f"缺少字体配置文件 {config}")
    os.environ["FONTCONFIG_FILE"] = str(config)


def required_font_files(styles_dir: Path) -> list[Path]:
    """Every font file the stylesheets' @font-face rules load."""
    return [face.file for face in font_faces(styles_dir)]


def check_setup(styles_dir: Path) -> list[str]:
    """Problems with the tool's own files, as sentences; empty when all is well."""
    problems = []
    for name in (*STYLESHEET_NAMES, *VARIANT_STYLESHEETS, VOLUME_STYLESHEET):
        if not (styles_dir / name).is_file():
            problems.append(f"缺少样式文件 {styles_dir / name}")
    if not problems:
        for font in required_font_files(styles_dir):
            if not font.is_file():
                problems.append(f"缺少字体文件 {font}（见 fonts/README.md）")
    return problems


def harfbuzz_subsetting_available() -> bool:
    from weasyprint.text.ffi import harfbuzz_subset

    return harfbuzz_subset is not None


@dataclass
class Sandbox:
    """Which local folders the renderer may read; everything else is refused."""

    roots: tuple[Path, ...]
    refused: list[str] = field(default_factory=list)

    def allows(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved.is_relative_to(root) for root in self.roots)


def make_fetcher(sandbox: Sandbox):  # type: ignore[no-untyped-def]
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):
        """Serves files under the sandbox roots; never opens the network."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data" and len(url) <= MAX_DATA_URL_BYTES:
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(unquote(parts.path)))
                if sandbox.allows(path) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": kind}
                    )
            sandbox.refused.append(url)
            raise PermissionError(f"refused by the briefing sandbox: {url}")

    return SandboxedFetcher(allowed_protocols=("file", "data"))


@dataclass(frozen=True)
class TypesetPDF:
    pdf: bytes
    page_count: int
    warnings: tuple[str, ...]
    composition: CompositionStats = field(default_factory=CompositionStats)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _captured_warnings() -> Iterator[list[str]]:
    # WeasyPrint reports missing images, bad CSS and missing glyphs through its
    # logger; collect them so they reach the editor instead of stderr noise.
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


@dataclass
class LaidOut:
    """A laid-out document before it is written: WeasyPrint's pages, and its warnings so far."""

    rendered: RenderedEdition  # the edition (a volume's first)
    document: Any  # weasyprint.Document
    warnings: list[str]
    composition: CompositionStats = field(default_factory=CompositionStats)
    variant: Variant = BRIEFING


@dataclass
class Typesetter:
    """Holds what can be reused between builds (font configuration, image cache)."""

    styles_dir: Path
    fonts_dir: Path
    image_cache: dict[str, object] = field(default_factory=dict)
    # Off only to show what plain WeasyPrint does (before/after measurements).
    inter_character: bool = True
    # Off only to show the page without composition (typeset/compose.py).
    compose: bool = True
    # Justification spacings of the last build: the watcher's rebuilds reuse them.
    spacing_memory: SpacingMemory = field(default_factory=SpacingMemory)
    _font_config: object | None = None
    _fonts_stamp: tuple[tuple[str, int, int], ...] = ()
    _image_stamps: dict[str, tuple[int, int]] = field(default_factory=dict)
    _composer: Composer | None = None

    def forget_changed_images(self, rendered: RenderedEdition) -> None:
        """Drop cached images whose files changed since the last build.

        WeasyPrint keys its image cache by URL (and by the URL's MD5 for the encoded
        data), so a photo replaced under the same name would otherwise stay stale.
        """
        for image in rendered.images:
            url = image.path.as_uri()
            stat = image.path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if self._image_stamps.get(url) == stamp:
                continue
            self._image_stamps[url] = stamp
            digest = md5(url.encode(), usedforsecurity=False).hexdigest()
            for key in [key for key in self.image_cache if key == url or key.startswith(digest)]:
                del self.image_cache[key]

    def font_configuration(self) -> object:
        """WeasyPrint's font configuration, kept while fonts/ is unchanged.

        A fresh one re-reads and re-writes the 66 MB of shipped fonts on every build
        (about 0.2 s); a kept one has them registered already.
        """
        from weasyprint.text.fonts import FontConfiguration

        stamp = tuple(
            (path.name, path.stat().st_mtime_ns, path.stat().st_size)
            for path in sorted(self.fonts_dir.iterdir())
            if path.is_file()
        )
        if self._font_config is None or stamp != self._fonts_stamp:
            self._font_config = FontConfiguration()
            self._fonts_stamp = stamp
            self.spacing_memory.clear()  # measured with the old fonts
        return self._font_config

    def typeset(self, rendered: RenderedEdition, variant: Variant = BRIEFING) -> TypesetPDF:
        """Lay out and write: the PDF's bytes, its page count and WeasyPrint's warnings."""
        return self.write(self.layout(rendered, variant))

    def layout(self, rendered: RenderedEdition, variant: Variant = BRIEFING) -> LaidOut:
        """WeasyPrint's layout of the edition's HTML, inside the sandbox and the extensions."""
        return self.layout_html(rendered.html, (rendered,), variant)

    def layout_html(
        self, html_text: str, editions: Sequence[RenderedEdition], variant: Variant = BRIEFING
    ) -> LaidOut:
        """Lay out `html_text`, which draws on the files of `editions` (one, or a volume's)."""
        from weasyprint import HTML

        try:
            check_weasyprint()
        except UnsupportedWeasyPrint as error:
            raise SetupProblem(
                f"排版引擎 WeasyPrint 的版本与本工具不符，无法两端对齐中文：{error}"
            ) from error

        roots = tuple(rendered.edition.root for rendered in editions)
        sandbox = Sandbox((*roots, self.styles_dir.resolve(), self.fonts_dir.resolve()))
        for rendered in editions:
            self.forget_changed_images(rendered)
        # Chinese justification between characters (WeasyPrint stretches only spaces).
        font_config = self.font_configuration()
        justification = (
            inter_character_justification(self.spacing_memory)
            if self.inter_character
            else nullcontext()
        )
        composer = self.composer()
        composition = page_composition(composer) if self.compose else nullcontext(CompositionStats())
        with _captured_warnings() as warnings, justification, composition as composed:
            html = HTML(
                string=html_text,
                base_url=roots[0].as_uri() + "/",
                url_fetcher=make_fetcher(sandbox),
            )
            if self.compose:  # titles, contents entries, paragraph ends: before layout
                composer.prepare(html.etree_element)
            document = html.render(font_config=font_config, cache=self.image_cache, **variant.pdf_options)
        if sandbox.refused:
            raise EditionInvalid([_refusal(url, editions) for url in sandbox.refused])
        return LaidOut(editions[0], document, warnings, composed, variant)

    def composer(self) -> Composer:
        """The page composition, with its font measures kept between builds."""
        if self._composer is None:
            self._composer = Composer(HouseNumbers.read(self.styles_dir), self.styles_dir)
        return self._composer

    def write(self, laid_out: LaidOut) -> TypesetPDF:
        """The laid-out document as PDF bytes (fonts subset, images encoded)."""
        with _captured_warnings() as warnings:
            pdf = laid_out.document.write_pdf(**laid_out.variant.pdf_options)
        return TypesetPDF(
            pdf, len(laid_out.document.pages), tuple(laid_out.warnings + warnings), laid_out.composition
        )


def _refusal(url: str, editions: Sequence[RenderedEdition]) -> EditorError:
    for rendered in editions:
        for image in rendered.images:
            if image.path.as_uri() == url:
                return EditorError(image.article, image.line, None, "图片", f"无法读取图片：{url}")
    return EditorError(
        editions[0].edition.name, None, None, None, f"排版时拒绝读取本期文件夹以外的资源：{url}"
    )


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` in one step, so a viewer never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; a briefing is meant to be shared
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
