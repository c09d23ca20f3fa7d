"""The document as a file: page size, metadata, and the resolution of its images."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfReader

from ..house import HouseNumbers
from ..pdfread.content import ContentScan, DrawnImage
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


def pair_images(
    drawn: Sequence[DrawnImage], images: Sequence[PlacedImage], placement: Placement
) -> list[PlacedImage | None]:
    """The placed image each drawn one shows, by order: pages print the articles' pictures
    in the order the articles hold them. Pixel size alone cannot tell two pictures of
    the same size apart; it is used only when the counts disagree (a picture drawn
    twice, or one missing), and then only among the articles on the drawn page."""
    rasters = [image for image in images if _pixel_size(image.path) is not None]
    if len(rasters) == len(drawn):
        return list(rasters)
    sizes = {image: _pixel_size(image.path) for image in rasters}
    paired: list[PlacedImage | None] = []
    for picture in drawn:
        files = {place.file for place in placement.on_page(picture.page)}
        same_size = [image for image in rasters if sizes[image] == picture.pixels]
        own = [image for image in same_size if image.article in files]
        paired.append((own or same_size or [None])[0])
    return paired


def check_images(
    scan: ContentScan,
    images: Sequence[PlacedImage],
    placement: Placement,
    report: CheckReport,
) -> None:
    """Each raster image prints at 300 dpi or more; the finding names its file and line."""
    told: set[tuple[int, tuple[int, int], Path | None]] = set()
    for drawn, source in zip(scan.images, pair_images(scan.images, images, placement), strict=True):
        # Rounded: an image placed at exactly 300 dpi measures 299.99 through the matrix.
        dpi = round(drawn.dpi)
        key = (drawn.page, drawn.pixels, source.path if source else None)
        if dpi >= PRINT_DPI_WARNING or key in told:
            continue
        told.add(key)
        where = placement.where(drawn.page)
        name = source.path.name if source else f"{drawn.pixels[0]}×{drawn.pixels[1]} 像素的图片"
        if source is not None:
            owner = next((place for place in placement.articles if place.file == source.article), None)
            where = {**where, "file": source.article, "line": source.line}
            if owner is not None:
                where["article"] = owner.title
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
