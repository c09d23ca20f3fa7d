"""The tool's own files: where styles and fonts are shipped, and the house numbers they set.

`styles/house.css` is the one place an institute adjusts its look (GB/T 9704
geometry, sizes, leading). Python never repeats those numbers: what the check
needs (page size, leading) is read from the stylesheet here, and the fonts the
stylesheets load are read from their @font-face rules here, for the typesetter
(are they all shipped?) and for the check (are the PDF's fonts ours?).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
STYLES_DIR = REPO_ROOT / "styles"
FONTS_DIR = REPO_ROOT / "fonts"
CACHE_DIR_VARIABLE = "BRIEFING_CACHE_DIR"
STYLESHEET_NAMES = ("house.css", "briefing.css")
TEMPLATE_NAME = "briefing.html.j2"
# The bound volume (合订本): its own template and sheet, after STYLESHEET_NAMES.
VOLUME_TEMPLATE = "volume.html.j2"
VOLUME_STYLESHEET = "volume.css"
HOUSE_STYLESHEET = "house.css"

PAGE_SIZES_MM = {"A4": (210.0, 297.0), "A5": (148.0, 210.0), "A3": (297.0, 420.0)}
POINTS_PER_MM = 72 / 25.4

_FONT_FACE = re.compile(r"@font-face\s*{([^}]*)}")
_FAMILY = re.compile(r"font-family:\s*['\"]([^'\"]+)['\"]")
_WEIGHT = re.compile(r"font-weight:\s*(\d+)")
_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")
_ROOT = re.compile(r":root\s*{([^}]*)}")
_VARIABLE = re.compile(r"(--[\w-]+)\s*:\s*([^;]+);")
_PAGE_SIZE = re.compile(r"@page\s*{[^{}]*?\bsize:\s*([A-Za-z0-9]+)")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)


@dataclass(frozen=True)
class FontFace:
    family: str
    file: Path
    weight: int = 400


def font_faces(styles_dir: Path) -> list[FontFace]:
    """Every @font-face rule of the stylesheets: its family and the file it loads."""
    faces = []
    for name in STYLESHEET_NAMES:
        stylesheet = styles_dir / name
        if not stylesheet.is_file():
            continue
        for rule in _FONT_FACE.findall(_COMMENT.sub("", stylesheet.read_text("utf-8"))):
            family = _FAMILY.search(rule)
            weight = _WEIGHT.search(rule)
            for url in _URL.findall(rule):
                faces.append(
                    FontFace(
                        family.group(1) if family else "",
                        (stylesheet.parent / url).resolve(),
                        int(weight.group(1)) if weight else 400,
                    )
                )
    return faces


@dataclass(frozen=True)
class HouseNumbers:
    """The numbers of `styles/house.css` that the check measures against."""

    page_size_points: tuple[float, float]
    body_leading: float  # line height as a multiple of the font size
    body_size: float = 14.0  # points
    title_size: float = 18.0  # points
    contents_size: float = 13.0  # points
    contents_mark_em: float = 1.5  # the ①②③ column of a contents entry
    contents_number_em: float = 1.8  # the page-number column of a contents entry
    signature_right_em: float = 4.0  # 落款: the date's distance from the right edge
    margins_points: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # top right bottom left

    @property
    def text_width(self) -> float:
        """Width of the text block in points."""
        return self.page_size_points[0] - self.margins_points[1] - self.margins_points[3]

    @property
    def text_foot(self) -> float:
        """Distance of the text block's foot from the page top, in points."""
        return self.page_size_points[1] - self.margins_points[2]

    @property
    def body_line(self) -> float:
        """One body line (size × leading), in points."""
        return self.body_size * self.body_leading

    @classmethod
    def read(cls, styles_dir: Path = STYLES_DIR) -> HouseNumbers:
        return _read_house_numbers(styles_dir.resolve())


@cache
def _read_house_numbers(styles_dir: Path) -> HouseNumbers:
    text = _COMMENT.sub("", (styles_dir / HOUSE_STYLESHEET).read_text("utf-8"))
    variables = {
        name: value.strip() for block in _ROOT.findall(text) for name, value in _VARIABLE.findall(block)
    }
    size = _PAGE_SIZE.search(text)
    width, height = PAGE_SIZES_MM[(size.group(1) if size else "A4").upper()]
    leading = float(variables.get("--body-leading", "1.8"))
    margins = tuple(
        _points(variables.get(f"--page-margin-{side}", "0mm")) for side in ("top", "right", "bottom", "left")
    )
    return HouseNumbers(
        (width * POINTS_PER_MM, height * POINTS_PER_MM),
        leading,
        body_size=_points(variables.get("--body-size", "14pt")),
        title_size=_points(variables.get("--title-size", "18pt")),
        contents_size=_points(variables.get("--contents-size", "13pt")),
        contents_mark_em=_ems(variables.get("--contents-mark", "1.5em")),
        contents_number_em=_ems(variables.get("--contents-number", "1.8em")),
        signature_right_em=_ems(variables.get("--signature-right", "4em")),
        margins_points=margins,  # type: ignore[arg-type]
    )


_LENGTH = re.compile(r"^\s*([0-9.]+)\s*(pt|mm|cm|in|px)\s*$")
_UNIT_POINTS = {"pt": 1.0, "mm": POINTS_PER_MM, "cm": 10 * POINTS_PER_MM, "in": 72.0, "px": 0.75}


def _ems(value: str) -> float:
    """A CSS length of house.css in em."""
    if not value.strip().endswith("em"):
        raise ValueError(f"styles/house.css: {value!r} should be in em")
    return float(value.strip()[:-2])


def _points(value: str) -> float:
    """A CSS length of house.css (pt, mm, cm, in, px) in points."""
    match = _LENGTH.match(value)
    if match is None:
        raise ValueError(f"styles/house.css: cannot read the length {value!r}")
    return float(match.group(1)) * _UNIT_POINTS[match.group(2)]


def shipped_font_families(styles_dir: Path = STYLES_DIR) -> frozenset[str]:
    """Names the shipped fonts appear under in a PDF.

    The @font-face family names (how the stylesheets load them), and each font file's
    own family name: text in a generic family such as `monospace` reaches the same
    files through fontconfig, which is limited to fonts/ and names them that way.
    """
    return _shipped_font_families(styles_dir.resolve())


@cache
def _shipped_font_families(styles_dir: Path) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    families = set()
    for face in font_faces(styles_dir):
        families.add(face.family)
        if face.file.is_file():
            with TTFont(face.file, lazy=True) as font:
                families.add(font["name"].getDebugName(1) or "")
    return frozenset(families - {""})


def cache_dir() -> Path:
    """Where the tool keeps what it can make again (font copies, word lists), never /tmp:
    `build/.cache/` of this checkout, or $BRIEFING_CACHE_DIR."""
    return Path(os.environ.get(CACHE_DIR_VARIABLE) or REPO_ROOT / "build" / ".cache")
