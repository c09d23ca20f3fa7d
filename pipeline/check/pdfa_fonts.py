"""PDF/A-2 font clauses (ISO 19005-2 6.2.11): embedded, widths agree, Unicode for level U.

Part of the archive checks of `pdfa.py`, kept apart because fonts are where a PDF/A
file most often fails: a font left out, a width table that disagrees with the font
program (WeasyPrint writes /W itself, from HarfBuzz's advances), a glyph with no
Unicode value (copying and searching the text then fail).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pikepdf

from ..pdfread.placed_text import _to_unicode
from .pdfa_objects import pdfa_error, resource_dictionaries
from .report import Finding

WIDTH_TOLERANCE = 1.0  # thousandths of the em: /W is written rounded


def _fonts(pdf: pikepdf.Pdf) -> Iterator[tuple[int, pikepdf.Dictionary]]:
    seen: set[tuple[int, int]] = set()
    for page, resources in resource_dictionaries(pdf):
        for font in resources.get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            yield page, font


def _descriptor(font: pikepdf.Dictionary) -> pikepdf.Dictionary | None:
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor if isinstance(descriptor, pikepdf.Dictionary) else None


def check_fonts(pdf: pikepdf.Pdf, unicode_level: bool) -> list[Finding]:
    """6.2.11.4 every font embedded; 6.2.11.7 (level U) a ToUnicode map for every font."""
    found = []
    for page, font in _fonts(pdf):
        name = str(font.get("/BaseFont", "?")).lstrip("/")
        if font.get("/Subtype") == "/Type3":
            continue
        descriptor = _descriptor(font)
        if descriptor is None or not any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
        ):
            found.append(pdfa_error(f"字体 {name} 没有嵌入（6.2.11.4）", page))
        if unicode_level and not isinstance(font.get("/ToUnicode"), pikepdf.Stream):
            found.append(pdfa_error(f"字体 {name} 缺少 ToUnicode 映射，文字无法复制和检索（6.2.11.7）", page))
    return found


def check_unicode_mapping(pdf: pikepdf.Pdf) -> list[Finding]:
    """6.2.11.7.2 (level U): every code drawn maps to a Unicode value other than 0/FEFF/FFFE."""
    maps: dict[tuple[int, int], tuple[int, dict[int, str]]] = {}
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        resources = page.obj.get("/Resources", pikepdf.Dictionary())
        fonts = resources.get("/Font", {})
        current = None
        missing: set[str] = set()
        for operands, operator in pikepdf.parse_content_stream(page.obj):
            op = str(operator)
            if op == "Tf":
                font = fonts.get(operands[0])
                if font is None or not isinstance(font.get("/ToUnicode"), pikepdf.Stream):
                    current = None  # told by check_fonts
                    continue
                if font.objgen not in maps:
                    length = 2 if font.get("/Subtype") == "/Type0" else 1
                    maps[font.objgen] = (length, _to_unicode(font.ToUnicode.read_bytes()))
                current = (str(font.get("/BaseFont", "?")).lstrip("/"), *maps[font.objgen])
            elif op in ("Tj", "TJ", "'", '"') and current is not None:
                name, length, mapping = current
                strings = operands[0] if op == "TJ" else operands[-1:]
                for item in strings:
                    if not isinstance(item, pikepdf.String):
                        continue
                    raw = bytes(item)
                    for index in range(0, len(raw) - length + 1, length):
                        text = mapping.get(int.from_bytes(raw[index : index + length], "big"), "")
                        if not text or text in ("\x00", "\ufeff", "\ufffe"):
                            missing.add(name)
        for name in sorted(missing):
            found.append(
                pdfa_error(f"第{number}页字体 {name} 有字形没有对应的 Unicode 字符（6.2.11.7.2）", number)
            )
    return found


def _cid_widths(widths: pikepdf.Object) -> dict[int, float]:
    """A CIDFont's /W array: `c [w1 w2 …]` and `c_first c_last w` runs."""
    items = list(widths) if isinstance(widths, pikepdf.Array) else []
    found: dict[int, float] = {}
    index = 0
    while index + 1 < len(items):
        first, following = int(items[index]), items[index + 1]
        if isinstance(following, pikepdf.Array):
            found.update({first + offset: float(width) for offset, width in enumerate(following)})
            index += 2
        elif index + 2 < len(items):
            found.update({cid: float(items[index + 2]) for cid in range(first, int(following) + 1)})
            index += 3
        else:
            break
    return found


def _program_advances(program: bytes) -> tuple[dict[str, int], list[str], float, bool] | None:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(program), lazy=True)
        cid_keyed = "CFF " in font and "ROS" in font["CFF "].cff.topDictIndex[0].rawDict
        advances = {name: metric[0] for name, metric in font["hmtx"].metrics.items()}
        return advances, font.getGlyphOrder(), 1000 / font["head"].unitsPerEm, cid_keyed
    except Exception:  # not an OpenType program we can read: not verified here
        return None


def check_font_widths(pdf: pikepdf.Pdf) -> list[Finding]:
    """6.2.11.5: each width in a CIDFont's /W equals the embedded program's advance."""
    found = []
    for page, font in _fonts(pdf):
        if font.get("/Subtype") != "/Type0":
            continue
        descendant = font.DescendantFonts[0]
        descriptor = _descriptor(font)
        program = descriptor.get("/FontFile3") if descriptor is not None else None
        if not isinstance(program, pikepdf.Stream) or program.get("/Subtype") != "/OpenType":
            continue
        read = _program_advances(program.read_bytes())
        if read is None:
            continue
        advances, order, scale, cid_keyed = read
        wrong = []
        for cid, width in _cid_widths(descendant.get("/W")).items():
            glyph = f"cid{cid:05d}" if cid_keyed else (order[cid] if cid < len(order) else None)
            advance = advances.get(glyph) if glyph else None
            if advance is None or abs(advance * scale - width) > WIDTH_TOLERANCE:
                wrong.append(cid)
        if wrong:
            name = str(font.get("/BaseFont", "?")).lstrip("/")
            found.append(
                pdfa_error(
                    f"字体 {name} 有 {len(wrong)} 个字形的宽度与嵌入的字体不一致"
                    f"（如 CID {wrong[0]}）（6.2.11.5）",
                    page,
                )
            )
    return found
