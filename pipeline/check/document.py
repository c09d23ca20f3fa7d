"""The document as a file: page size, metadata, and the resolution of its images."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader

from ..house import HouseNumbers
from ..pdfread.content import ContentScan
from ..render.markdown import PlacedImage
from .placement import Placement
from .report import CheckReport

SIZE_TOLERANCE = 1.0

PRINT_DPI_ERROR = 150

PRINT_DPI_WARNING = 300


def check_pages(reader: PdfReader, placement: Placement, report: CheckReport) -> None:
    for number, page in enumerate(reader.pages, start=1):
        box = page.trimbox if "/TrimBox" in page else page.mediabox
        size = (float(box.width), float(box.height))
        wanted = HouseNumbers.read().page_size_points
        if any(abs(a - b) > SIZE_TOLERANCE for a, b in zip(size, wanted, strict=True)):
            report.error(
                "pages",
                f"页面尺寸 {size[0]:.0f}×{size[1]:.0f} pt（{size[0] / 72 * 25.4:.0f}×"
                f"{size[1] / 72 * 25.4:.0f} mm）不是 A4（210×297 mm）",
                hint="样式表的 @page size 应为 A4",
                **placement.where(number),
            )


def check_metadata(reader: PdfReader, expected_title: str | None, report: CheckReport) -> None:
    info = reader.metadata or {}
    title = str(info.get("/Title", "") or "")
    hint = "这些信息来自 issue.yaml 与模板；请用 briefing build 重新生成"
    if not title:
        report.error("metadata", "PDF 缺少标题（Title）", hint=hint)
    elif expected_title and title != expected_title:
        report.error("metadata", f"PDF 标题为“{title}”，应为“{expected_title}”", hint=hint)
    if not info.get("/Author"):
        report.error("metadata", "PDF 缺少作者（Author）", hint=hint)
    language = reader.trailer["/Root"].get("/Lang")
    if str(language or "") != "zh-CN":
        report.error("metadata", f"PDF 语言应为 zh-CN，实为 {language or '未设置'}", hint=hint)


def _pixel_size(path: Path) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(path) as image:
            return image.size
    except Exception:  # SVG or unreadable: not a raster we can match
        return None


def check_images(
    scan: ContentScan,
    images: Sequence[PlacedImage],
    placement: Placement,
    report: CheckReport,
) -> None:
    sizes = {image: _pixel_size(image.path) for image in images}
    told: set[tuple[int, tuple[int, int]]] = set()
    for drawn in scan.images:
        # Rounded: an image placed at exactly 300 dpi measures 299.99 through the matrix.
        dpi = round(drawn.dpi)
        if dpi >= PRINT_DPI_WARNING:
            continue
        key = (drawn.page, drawn.pixels)
        if key in told:
            continue
        told.add(key)
        where = placement.where(drawn.page)
        # Name the file: an image of the same pixel size in the page's article first.
        candidates = [image for image in images if sizes[image] == drawn.pixels]
        own = [image for image in candidates if image.article == where.get("file")]
        source = (own or candidates or [None])[0]
        name = source.path.name if source else f"{drawn.pixels[0]}×{drawn.pixels[1]} 像素的图片"
        if source is not None:
            where = {**where, "file": source.article, "line": source.line}
        width_mm = drawn.size_points[0] / 72 * 25.4
        needed = round(width_mm / 25.4 * PRINT_DPI_WARNING)
        message = (
            f"图片 {name} 印刷分辨率只有 {dpi:.0f} dpi"
            f"（{drawn.pixels[0]}×{drawn.pixels[1]} 像素，印出宽 {width_mm:.0f} mm）"
        )
        hint = f"换用更清晰的原图（这个宽度需要约 {needed} 像素宽）"
        if dpi < PRINT_DPI_ERROR:
            report.error("images", message + "，印出来会模糊", hint=hint, **where)
        else:
            report.warn("images", message + f"，低于 {PRINT_DPI_WARNING} dpi", hint=hint, **where)
