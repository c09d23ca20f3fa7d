"""Every image of an edition opened and judged once, before typesetting, with its article line.

WeasyPrint turns an image it cannot read into a logged error and drops it (exit 0,
a hole in the page); it sets Pillow's `LOAD_TRUNCATED_IMAGES`, so half a JPEG is
embedded half grey with no word; Pillow warns on stderr about decompression bombs
only above 89 million pixels and decodes them anyway (a 12000×12000 PNG took 1.3 GB);
and an SVG may pull in other files or expand entities. So each image is read here,
once per content (the hash keys a cache kept between a watcher's builds):

- raster images (PNG, JPEG, GIF, WebP) must be what Pillow recognises, at most
  MAX_PIXELS, and decode completely (truncation is an error, not grey);
- SVG files must be well-formed XML with no DTD subset or entity, and reference
  nothing outside themselves: every `href` is `#…` or an embedded raster image (itself
  judged as above), no `url(…)` but `url(#…)`, no `@import`; at most MAX_SVG_DEPTH
  levels and MAX_SVG_ELEMENTS elements;
- nothing may be empty or larger than MAX_IMAGE_BYTES (MAX_SVG_BYTES for SVG);
- the PNG, GIF and WebP images of an edition hold at most MAX_RECODED_PIXELS together.

The bytes judged are the bytes the typesetter embeds: its fetcher serves
`VettedImages`, so a file changed in between cannot slip through.

Decoding a photo to the last pixel is most of the cost (0.04 s of the sample's cold
build), so the images accepted are also remembered across processes, in
`build/.cache/images/accepted-<rules>.marshal`: the content hash (and suffix) → the
content type. `<rules>` is a hash of this file, Pillow's version and the limits, so a
change to any rule here, or another Pillow, starts afresh. Refusals are never kept: they are
judged again and told in full. At most `MAX_KEPT_VERDICTS` are kept, the oldest
dropped first; a file that cannot be read counts as empty.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import marshal
import re
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from ..atomic_files import read_kept_dict, write_atomically
from ..errors import EditorError
from ..house import cache_dir
from ..render.markdown import PlacedImage

MAX_PIXELS = 50_000_000  # e.g. 8660 × 5773; about 0.5 GB while typesetting
# WeasyPrint embeds a JPEG as it is but decodes and re-compresses every other raster,
# about 0.8 s per 12-megapixel PNG: 200 million such pixels an edition keep a build
# within 20 s. JPEG photos are not counted.
MAX_RECODED_PIXELS = 200_000_000
TOO_MANY_PIXELS = (
    f"使本期 PNG 等图片合计超过 {MAX_RECODED_PIXELS // 100_000_000} 亿像素，排版会很慢："
    "请把照片另存为 JPEG（JPEG 不计入），或缩小后再用"
)
MAX_IMAGE_BYTES = 30 * 1024 * 1024
MAX_SVG_BYTES = 5 * 1024 * 1024
# WeasyPrint draws SVG recursively: deeper nesting ends in a RecursionError it logs and
# drops the image; more elements than any chart has only slow the build down.
MAX_SVG_DEPTH = 64
MAX_SVG_ELEMENTS = 100_000
RASTER_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg",
                  "GIF": "image/gif", "WEBP": "image/webp"}
SVG_TYPE = "image/svg+xml"
_DTD_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[|<!ENTITY", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.I)
_EMBEDDED = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,(.*)$", re.I | re.S)
MAX_KEPT_VERDICTS = 5000


@dataclass(frozen=True)
class VettedImage:
    data: bytes
    content_type: str
    digest: str  # SHA-256 of `data`


@dataclass
class VettedImages:
    """The images of one build, by file, as judged: what the fetcher may serve."""

    by_path: dict[Path, VettedImage] = field(default_factory=dict)


@contextmanager
def strict_pillow() -> Iterator[None]:
    """Pillow refusing truncated files and not warning on its own (we count pixels)."""
    from PIL import Image, ImageFile

    saved = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    Image.MAX_IMAGE_PIXELS = None  # checked against MAX_PIXELS before decoding
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = saved


def raster_problem(data: bytes) -> tuple[str | None, str]:
    """(why the raster image is refused or None, its content type)."""
    from PIL import Image, UnidentifiedImageError

    try:
        image = Image.open(BytesIO(data))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return "不是可以识别的图片文件（文件已损坏，或并非图片）。请重新导出为 PNG 或 JPEG", ""
    kind = RASTER_FORMATS.get(image.format or "")
    if kind is None:
        return f"是 {image.format} 格式，不能排版：请另存为 PNG 或 JPEG", ""
    width, height = image.size
    if width * height > MAX_PIXELS:
        return (
            f"太大（{width}×{height} 像素），超过 {MAX_PIXELS // 10_000} 万像素的上限："
            "请缩小后再用（印刷只需长边约 3000 像素）",
            kind,
        )
    try:
        image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except (OSError, ValueError, SyntaxError, EOFError):
        return "文件不完整或已损坏：请重新导出或重新下载", kind
    return None, kind


def _svg_reference_problem(element: ElementTree.Element) -> str | None:
    for name, value in element.attrib.items():
        local = name.rsplit("}", 1)[-1]
        if local == "href" and not value.startswith("#"):
            embedded = _EMBEDDED.match(value.strip())
            if embedded is None:
                return f"引用了 SVG 以外的文件或网址（{value[:80]}）"
            try:
                inner = base64.b64decode(embedded.group(2), validate=False)
            except (binascii.Error, ValueError):
                return "内嵌的图片数据已损坏"
            problem, _ = raster_problem(inner)
            if problem:
                return f"内嵌的图片{problem}"
    styles = [element.attrib.get("style", "")]
    if element.tag.rsplit("}", 1)[-1] == "style":
        styles.append(element.text or "")
    for style in styles:
        if "@import" in style.lower():
            return "样式中有 @import，会读取 SVG 以外的文件"
        for target in _CSS_URL.findall(style):
            if not target.startswith("#"):
                return f"样式引用了 SVG 以外的文件或网址（{target[:80]}）"
    return None


def svg_problem(data: bytes) -> str | None:
    """Why the SVG is refused, or None."""
    if _DTD_SUBSET.search(data):
        return "含有 DTD 实体定义（<!ENTITY>），可能读取其他文件，不能使用。请从绘图软件重新导出 SVG"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        line, column = error.position
        return f"不是格式正确的 SVG（第 {line} 行第 {column + 1} 列附近）：请从绘图软件重新导出"
    if root.tag.rsplit("}", 1)[-1] != "svg":
        return "不是 SVG 图片（最外层不是 <svg>）"
    count, pending = 0, [(root, 1)]
    while pending:
        element, depth = pending.pop()
        count += 1
        if depth > MAX_SVG_DEPTH or count > MAX_SVG_ELEMENTS:
            return (
                f"结构太复杂（超过 {MAX_SVG_DEPTH} 层嵌套或 {MAX_SVG_ELEMENTS} 个元素）："
                "请简化后重新导出，或导出为 PNG"
            )
        problem = _svg_reference_problem(element)
        if problem:
            return problem + "。请把内容直接画在 SVG 里，或导出为 PNG"
        pending += [(child, depth + 1) for child in element]
    return None


def judge(path: Path, data: bytes) -> tuple[str | None, str]:
    """(why this image file is refused or None, its content type)."""
    is_svg = path.suffix.lower() == ".svg"
    limit = MAX_SVG_BYTES if is_svg else MAX_IMAGE_BYTES
    if not data:
        return "是空文件（0 字节）：请重新复制图片", ""
    if len(data) > limit:
        return f"文件太大（{len(data) / 1024 / 1024:.1f} MB），上限 {limit // 1024 // 1024} MB", ""
    if is_svg:
        return svg_problem(data), SVG_TYPE
    return raster_problem(data)


@cache
def _rules() -> str:
    """What a verdict depends on besides the bytes: this file's rules and Pillow's version."""
    import PIL

    rules = hashlib.sha256(Path(__file__).read_bytes() + PIL.__version__.encode())
    return rules.hexdigest()[:16]


def kept_verdicts_path() -> Path:
    limits = (MAX_PIXELS, MAX_IMAGE_BYTES, MAX_SVG_BYTES, MAX_SVG_DEPTH, MAX_SVG_ELEMENTS)
    key = hashlib.sha256(f"{_rules()}:{limits}".encode()).hexdigest()[:16]
    return cache_dir() / "images" / f"accepted-{key}.marshal"


def _read_kept(path: Path) -> dict[str, str]:
    kept = read_kept_dict(path)
    return {key: kind for key, kind in kept.items() if isinstance(key, str) and isinstance(kind, str)}


@dataclass
class ImageVetter:
    """Judges images, remembering each verdict by content hash for the next build
    (and, for the images accepted, for the next process: see the module's docstring)."""

    verdicts: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    _kept: dict[str, str] | None = field(default=None, repr=False)

    def _verdict(self, path: Path, key: str, data: bytes) -> tuple[str | None, str]:
        verdict = self.verdicts.get(key)
        if verdict is not None:
            return verdict
        if self._kept is None:
            self._kept = _read_kept(kept_verdicts_path())
        kind = self._kept.get(key)
        verdict = self.verdicts[key] = (None, kind) if kind is not None else judge(path, data)
        problem, kind = verdict
        if problem is None and key not in self._kept:
            self._kept[key] = kind
            for oldest in list(self._kept)[: max(0, len(self._kept) - MAX_KEPT_VERDICTS)]:
                del self._kept[oldest]
            with contextlib.suppress(OSError):  # a read-only cache: judged again next time
                write_atomically(kept_verdicts_path(), marshal.dumps(self._kept))
        return verdict

    def vet(self, images: Iterable[PlacedImage]) -> tuple[VettedImages, list[EditorError]]:
        vetted, errors = VettedImages(), []
        recoded = 0
        with strict_pillow():
            for image in images:
                try:
                    data = image.path.read_bytes()
                except OSError as error:
                    problem, kind = f"无法读取（{error.strerror}）", ""
                else:
                    digest = hashlib.sha256(data).hexdigest()
                    key = f"{image.path.suffix.lower()}:{digest}"
                    problem, kind = self._verdict(image.path, key, data)
                recodes = kind not in (SVG_TYPE, "image/jpeg") and image.path not in vetted.by_path
                if problem is None and recodes:
                    recoded += _pixels(data)
                    if recoded > MAX_RECODED_PIXELS:
                        problem = TOO_MANY_PIXELS
                if problem is None:
                    vetted.by_path[image.path] = VettedImage(data, kind, digest)
                else:
                    message = f"{image.path.name} {problem}"
                    errors.append(EditorError(image.article, image.line, None, "图片", message))
        return vetted, errors


def _pixels(data: bytes) -> int:
    from PIL import Image

    width, height = Image.open(BytesIO(data)).size  # the header only
    return width * height
