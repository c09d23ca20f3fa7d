"""Rendered HTML → PDF bytes with WeasyPrint, fonts from `fonts/` only, resources sandboxed.

The fetcher serves `edition:` URLs (the images) from the bytes `images.py` judged,
and files under `styles/` and `fonts/`; everything else, the network included, is
refused and reported. Python warnings raised while typesetting (Pillow's among them)
are kept off the terminal: what an editor must know was judged before.
"""

from __future__ import annotations

import logging
import os
import warnings as python_warnings
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from hashlib import md5
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from ..errors import EditionInvalid, EditorError, display_path
from ..house import STYLESHEET_NAMES, HouseNumbers, font_faces
from ..render.html import RenderedEdition
from ..render.markdown import edition_path, edition_url
from ..variant import BRIEFING, Variant
from .built import BoxMemory, building_once
from .cascade import StyleMemory, cascading
from .compose import Composer, CompositionStats
from .drawn import drawing_once
from .fontcache import FontCache
from .fontdata import font_files_on_demand
from .guard import UnsupportedWeasyPrint, check_weasyprint
from .images import ImageVetter, VettedImages
from .justify import inter_character_justification
from .libraries import import_weasyprint_quietly
from .lines import LineMemory, remembering_lines
from .paginate import page_composition
from .parsed import ParsedMemory, parsing_html_once
from .relayout import PageKeeper, stylesheets_allow_reuse
from .sheets import SheetMemory, parsing_once
from .spacing import SpacingMemory
from .streams import StreamMemory, reusing_streams

FONTCONFIG_NAME = "fonts.conf"
MAX_DATA_URL_BYTES = 8 * 1024 * 1024  # base64 of an SVG's embedded image (judged in images.py)
MAX_PAGES = 300
# A bound volume holds a year's issues: twelve of up to 50 pages. 248 pages measured
# 16 s and 476 MB on the 2-core machine; 600 is that, scaled linearly, within 1.5 GB.
MAX_VOLUME_PAGES = 600
# What styles/ and fonts/ hold. Not `mimetypes`: its first use reads /etc/mime.types.
CONTENT_TYPES = {
    ".css": "text/css", ".otf": "font/otf", ".ttf": "font/ttf", ".woff": "font/woff",
    ".woff2": "font/woff2", ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg",
}


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
    for name in STYLESHEET_NAMES:
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


def make_fetcher(  # type: ignore[no-untyped-def]
    sandbox: Sandbox, images: VettedImages | None = None, root: Path | None = None
):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SandboxedFetcher(URLFetcher):
        """Serves vetted images and files under the sandbox roots; never opens the network."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data" and len(url) <= MAX_DATA_URL_BYTES:
                return super().fetch(url, headers)
            image_path = edition_path(url, root) if root is not None else None
            vetted = images.by_path.get(image_path) if images and image_path else None
            if vetted is not None:
                return URLFetcherResponse(url, vetted.data, {"Content-Type": vetted.content_type})
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(unquote(parts.path)))
                if sandbox.allows(path) and path.is_file():
                    kind = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": kind}
                    )
            sandbox.refused.append(url)
            raise PermissionError(f"refused by the briefing sandbox: {url}")

    return SandboxedFetcher(allowed_protocols=("file", "data", "edition"))


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

    rendered: RenderedEdition
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
    # Where WeasyPrint's font copies go (None: its own temporary folder).
    font_cache: FontCache | None = None
    image_vetter: ImageVetter = field(default_factory=ImageVetter)
    # Off only to show what plain WeasyPrint does (before/after measurements).
    inter_character: bool = True
    # Off only to show the page without composition (typeset/compose.py).
    compose: bool = True
    # Off only to show that remembered lines are the lines WeasyPrint lays out (lines.py).
    remember_lines: bool = True
    # On for a builder that builds again (the watcher, the preview): keep the pages, drawn
    # pages and streams of each build for the next. A one-shot build records nothing.
    rebuilds: bool = False
    # Justification spacings of the last build: the watcher's rebuilds reuse them.
    spacing_memory: SpacingMemory = field(default_factory=SpacingMemory)
    _font_config: object | None = None
    _fonts_stamp: object = None
    _image_digests: dict[str, str] = field(default_factory=dict)
    # Pages of the last render, kept where an edit cannot have changed them (relayout.py).
    page_keeper: PageKeeper = field(default_factory=PageKeeper)
    # Picture streams and font subsets of the last write (streams.py).
    stream_memory: StreamMemory = field(default_factory=StreamMemory)
    # The stylesheets as parsed by the last render (sheets.py).
    sheet_memory: SheetMemory = field(default_factory=SheetMemory)
    # For a builder that rebuilds: the lines of this render and earlier ones (lines.py).
    line_memory: LineMemory = field(default_factory=LineMemory)
    # For a builder that rebuilds: the last render's HTML tree (parsed.py).
    parsed_memory: ParsedMemory = field(default_factory=ParsedMemory)
    # For a builder that rebuilds: the unchanged articles' styles of the last render (cascade.py).
    style_memory: StyleMemory = field(default_factory=StyleMemory)
    # For a builder that rebuilds: the unchanged articles' boxes of the last render (built.py).
    box_memory: BoxMemory = field(default_factory=BoxMemory)
    _composer: Composer | None = None

    def forget_changed_images(self, images: VettedImages, root: Path) -> bool:
        """Drop cached images whose content changed since the last build; True if any did.

        WeasyPrint keys its image cache by URL (and by the URL's MD5 for the encoded
        data), so a photo replaced under the same name would otherwise stay stale.
        Compared by content, so a replacement that keeps mtime and size is seen too.
        """
        replaced = False
        for path, image in images.by_path.items():
            url = edition_url(path, root)
            if self._image_digests.get(url) == image.digest:
                continue
            replaced = replaced or url in self._image_digests
            self._image_digests[url] = image.digest
            digest = md5(url.encode(), usedforsecurity=False).hexdigest()
            for key in [key for key in self.image_cache if key == url or key.startswith(digest)]:
                del self.image_cache[key]
        return replaced

    def layout_settings(self, font_config: object, variant: Variant = BRIEFING) -> tuple[object, ...] | None:
        """What a render's layout depends on besides the HTML; None when pages may not be kept.

        The page keeper keeps pages only from a render with the same settings: the same
        stylesheet texts (and none that look ahead, see relayout.py), the same font
        configuration, justification on or off alike.
        """
        names = STYLESHEET_NAMES + variant.stylesheets
        texts = [(self.styles_dir / name).read_text("utf-8") for name in names]
        if not stylesheets_allow_reuse(texts):
            return None
        digest = md5("\0".join(texts).encode(), usedforsecurity=False).hexdigest()
        return (digest, id(font_config), self.inter_character)

    def font_configuration(self) -> object:
        """WeasyPrint's font configuration, kept while fonts/ is unchanged.

        A fresh one registers the 66 MB of shipped fonts again (their copies come from
        the shared font cache, see fontcache.py); a kept one has them registered already.
        """
        from weasyprint.text.fonts import FontConfiguration

        stamp: object
        if self.font_cache is not None:
            stamp = self.font_cache.font_set_hash()
        else:
            stamp = tuple(
                (path.name, path.stat().st_mtime_ns, path.stat().st_size)
                for path in sorted(self.fonts_dir.iterdir())
                if path.is_file()
            )
        keep_alive = getattr(self._font_config, "keep_alive", None)
        if keep_alive is not None and stamp == self._fonts_stamp:
            keep_alive()  # a watcher's fonts stay in the shared cache while it runs
        if self._font_config is None or stamp != self._fonts_stamp:
            self._font_config = (
                self.font_cache.configuration() if self.font_cache else FontConfiguration()
            )
            self._fonts_stamp = stamp
            self.spacing_memory.clear()  # measured with the old fonts
            self.line_memory.clear()
            self.stream_memory.clear()
            self.sheet_memory = SheetMemory()  # their @font-face rules went to the old one
            self.style_memory.clear()
            self.box_memory.clear()
            self.page_keeper.forget()
        return self._font_config

    def vet_images(self, rendered: RenderedEdition) -> tuple[VettedImages, list[EditorError]]:
        """Judge the edition's images before typesetting (see images.py)."""
        return self.image_vetter.vet(rendered.images)

    def typeset(
        self, rendered: RenderedEdition, images: VettedImages | None = None, variant: Variant = BRIEFING
    ) -> TypesetPDF:
        """Lay out and write: the PDF's bytes, its page count and WeasyPrint's warnings."""
        return self.write(self.layout(rendered, images, variant))

    def layout(
        self,
        rendered: RenderedEdition,
        images: VettedImages | None = None,
        variant: Variant = BRIEFING,
        max_pages: int = MAX_PAGES,
    ) -> LaidOut:
        """WeasyPrint's layout of the edition's HTML, inside the sandbox and the extensions;
        `images` as vetted by `vet_images` (vetted here when not given)."""
        import_weasyprint_quietly()  # in case no Builder did (it spawns nothing, see libraries.py)

        try:
            check_weasyprint()
        except UnsupportedWeasyPrint as error:
            raise SetupProblem(
                f"排版引擎 WeasyPrint 的版本与本工具不符，无法两端对齐中文：{error}"
            ) from error

        root = rendered.edition.root
        if images is None:
            images, errors = self.vet_images(rendered)
            if errors:
                raise EditionInvalid(errors)
        sandbox = Sandbox((self.styles_dir.resolve(), self.fonts_dir.resolve()))
        images_replaced = self.forget_changed_images(images, root)
        # Chinese justification between characters (WeasyPrint stretches only spaces).
        font_config = self.font_configuration()
        settings = None if images_replaced else self.layout_settings(font_config, variant)
        fetcher = make_fetcher(sandbox, images, root)
        keeping = self.rebuilds and self.page_keeper.previous is not None
        try:
            document, warnings, composed = self._render(rendered, fetcher, font_config, settings, variant)
        except Exception:
            if not keeping:
                raise
            # Keeping pages failed where a cold render may not (a case relayout.py or
            # checkpoints.py did not foresee): the editor gets the PDF, laid out afresh.
            self.page_keeper.forget()
            self.page_keeper.fallbacks += 1
            self.style_memory.clear()
            self.box_memory.clear()
            document, warnings, composed = self._render(rendered, fetcher, font_config, settings, variant)
        if sandbox.refused:
            raise EditionInvalid([_refusal(url, rendered) for url in sandbox.refused])
        if len(document.pages) > max_pages:
            raise EditionInvalid([_too_many_pages(len(document.pages), max_pages, rendered)])
        return LaidOut(rendered, document, warnings, composed, variant)

    def _render(
        self, rendered: RenderedEdition, fetcher: Any, font_config: object,
        settings: tuple[object, ...] | None, variant: Variant,
    ) -> tuple[Any, list[str], CompositionStats]:
        """WeasyPrint's render of the HTML with our extensions: the document, its warnings
        and what composition did."""
        from weasyprint import HTML

        justification = (
            inter_character_justification(self.spacing_memory)
            if self.inter_character
            else nullcontext()
        )
        composer = self.composer()
        hooks = self.page_keeper.pass_hooks if self.rebuilds else None
        composition = page_composition(composer, hooks) if self.compose else nullcontext(CompositionStats())
        keeping = (
            self.page_keeper.keeping_pages(
                settings, composer if self.compose else None, self.parsed_memory.text_of)
            if self.rebuilds
            else nullcontext()
        )
        sheets = parsing_once(self.sheet_memory) if self.rebuilds else nullcontext()
        # Styles are kept under the same rule as pages: no sheet that looks ahead (:has).
        keeps_styles = self.rebuilds and settings is not None
        if not keeps_styles:
            self.style_memory.clear()
            self.box_memory.clear()
        styles = (
            cascading(self.style_memory, self.parsed_memory, self.compose) if keeps_styles else cascading()
        )
        boxes = (
            building_once(self.box_memory, self.style_memory, self.parsed_memory)
            if keeps_styles else nullcontext()
        )
        self.line_memory.remembers = self.rebuilds
        with (
            _captured_warnings() as warnings,
            sheets,
            styles,
            boxes,
            justification,
            remembering_lines(self.line_memory) if self.remember_lines else nullcontext(),
            keeping,
            composition as composed,
            python_warnings.catch_warnings(),
        ):
            python_warnings.simplefilter("ignore")
            with parsing_html_once(self.parsed_memory) if self.rebuilds else nullcontext():
                html = HTML(
                    string=rendered.html,
                    base_url=rendered.edition.root.as_uri().rstrip("/") + "/",  # a volume's root may be /
                    url_fetcher=fetcher,
                )
            if self.compose:  # titles, contents entries, paragraph ends: before layout
                composer.prepare(html.etree_element)
            document = html.render(font_config=font_config, cache=self.image_cache, **variant.pdf_options)
        return document, warnings, composed

    def composer(self) -> Composer:
        """The page composition, with its font measures kept between builds."""
        if self._composer is None:
            self._composer = Composer(HouseNumbers.read(self.styles_dir), self.styles_dir)
        return self._composer

    def write(self, laid_out: LaidOut) -> TypesetPDF:
        """The laid-out document as PDF bytes (fonts subset, images encoded)."""
        memory = self.stream_memory
        reusing = reusing_streams(memory) if self.rebuilds else nullcontext()
        drawing = drawing_once(memory) if self.rebuilds else nullcontext()
        with (
            _captured_warnings() as warnings,
            reusing,
            drawing,
            font_files_on_demand(),  # 82 MB of font bytes not copied (fontdata.py)
            python_warnings.catch_warnings(),
        ):
            python_warnings.simplefilter("ignore")  # Pillow's, while re-encoding images
            pdf = laid_out.document.write_pdf(**laid_out.variant.pdf_options)
        return TypesetPDF(
            pdf, len(laid_out.document.pages), tuple(laid_out.warnings + warnings), laid_out.composition
        )


def _refusal(url: str, rendered: RenderedEdition) -> EditorError:
    for image in rendered.images:
        if edition_url(image.path, rendered.edition.root) == url:
            return EditorError(image.article, image.line, None, "图片", f"无法读取图片：{image.path.name}")
    return EditorError(
        rendered.edition.name, None, None, None, f"排版时拒绝读取本期文件夹以外的资源：{url}"
    )


def _too_many_pages(pages: int, limit: int, rendered: RenderedEdition) -> EditorError:
    manifest = display_path(rendered.edition.root / "issue.yaml", rendered.edition.root)
    message = f"排出 {pages} 页，超过 {limit} 页的上限：请删减稿件，或分成几册"
    return EditorError(manifest, None, None, None, message)
