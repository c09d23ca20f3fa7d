"""The print variant's page boxes and images, as the print shop's software reads them.

A print shop trims to the TrimBox, expects artwork up to the BleedBox and keeps the
crop marks in between, so each page must say: trim = A4 (the house page size),
bleed = trim + 3 mm on every side, media ⊇ bleed ⊇ trim. Images must reach the shop
at the resolution the editor supplied: every image drawn keeps its file's pixels.
"""

from __future__ import annotations

from collections.abc import Sequence

import pikepdf

from ..variant import BLEED_MM
from .report import Finding

CHECK = "print"
POINTS_PER_MM = 72 / 25.4
TOLERANCE = 0.25  # points; WeasyPrint writes six decimals of millimetre-based sizes
A4_MM = (210.0, 297.0)
HINT = "用 briefing build --variant print 重新生成；styles/print.css 应设 bleed: 3mm 与 marks: crop"


def _box(page: pikepdf.Dictionary, key: str) -> tuple[float, float, float, float] | None:
    box = page.get(key)
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        return None
    left, bottom, right, top = (float(value) for value in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _size_mm(box: tuple[float, float, float, float]) -> str:
    return f"{(box[2] - box[0]) / POINTS_PER_MM:.1f}×{(box[3] - box[1]) / POINTS_PER_MM:.1f} mm"


def _contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    return (
        outer[0] <= inner[0] + TOLERANCE
        and outer[1] <= inner[1] + TOLERANCE
        and outer[2] >= inner[2] - TOLERANCE
        and outer[3] >= inner[3] - TOLERANCE
    )


def is_print_layout(pdf: pikepdf.Pdf) -> bool:
    """A page whose TrimBox is smaller than its MediaBox: the PDF was made for trimming."""
    for page in pdf.pages:
        trim, media = _box(page.obj, "/TrimBox"), _box(page.obj, "/MediaBox")
        if trim and media and any(abs(a - b) > TOLERANCE for a, b in zip(trim, media, strict=True)):
            return True
    return False


def _page_problems(page: pikepdf.Dictionary, trim_mm: tuple[float, float], bleed_mm: float) -> list[str]:
    media, trim, bleed = (_box(page, key) for key in ("/MediaBox", "/TrimBox", "/BleedBox"))
    if media is None or trim is None or bleed is None:
        missing = [
            name for name, box in (("MediaBox", media), ("TrimBox", trim), ("BleedBox", bleed)) if box is None
        ]
        return [f"缺少 {'、'.join(missing)}"]
    problems = []
    width, height = trim[2] - trim[0], trim[3] - trim[1]
    if any(
        abs(got - want * POINTS_PER_MM) > TOLERANCE
        for got, want in zip((width, height), trim_mm, strict=True)
    ):
        problems.append(f"成品尺寸（TrimBox）为 {_size_mm(trim)}，应为 {trim_mm[0]:.0f}×{trim_mm[1]:.0f} mm")
    margin = bleed_mm * POINTS_PER_MM
    sides = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
    if any(abs(side - margin) > TOLERANCE for side in sides):
        shown = "、".join(f"{side / POINTS_PER_MM:.1f}" for side in sides)
        problems.append(
            f"出血（BleedBox 超出 TrimBox 的部分，左下右上）为 {shown} mm，应各为 {bleed_mm:g} mm"
        )
    if not _contains(media, bleed):
        problems.append("BleedBox 超出了 MediaBox")
    crop = _box(page, "/CropBox")
    if crop is not None and not _contains(crop, bleed):
        problems.append("CropBox 裁掉了出血部分")
    return problems


def check_print_boxes(
    pdf: pikepdf.Pdf, trim_mm: tuple[float, float] = A4_MM, bleed_mm: float = BLEED_MM
) -> list[Finding]:
    """Every page: trim = A4, bleed = trim + 3 mm each side, media ⊇ bleed. One finding per problem."""
    pages_by_problem: dict[str, list[int]] = {}
    for number, page in enumerate(pdf.pages, start=1):
        for problem in _page_problems(page.obj, trim_mm, bleed_mm):
            pages_by_problem.setdefault(problem, []).append(number)
    found = []
    for problem, pages in pages_by_problem.items():
        shown = "、".join(str(page) for page in pages[:8]) + ("等" if len(pages) > 8 else "")
        found.append(Finding("error", CHECK, f"第{shown}页：{problem}", page=pages[0], hint=HINT))
    return found


def check_full_resolution(pdf: pikepdf.Pdf, source_pixels: Sequence[tuple[int, int]]) -> list[Finding]:
    """Each image drawn has the pixel size of one of the edition's image files."""
    sources = set(source_pixels)
    if not sources:
        return []
    found = []
    seen: set[tuple[int, int]] = set()
    for number, page in enumerate(pdf.pages, start=1):
        for xobject in page.obj.get("/Resources", {}).get("/XObject", {}).values():
            if xobject.get("/Subtype") != "/Image" or xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            pixels = (int(xobject.Width), int(xobject.Height))
            if pixels in sources:
                continue
            larger = [size for size in sources if size[0] > pixels[0] and size[1] > pixels[1]]
            if larger:
                found.append(
                    Finding(
                        "error",
                        CHECK,
                        f"第{number}页的图片只有 {pixels[0]}×{pixels[1]} 像素，原图更大，"
                        "印刷版应保留原图分辨率",
                        page=number,
                        hint="印刷版生成时不要缩小图片（不传 dpi 选项）",
                    )
                )
    return found
