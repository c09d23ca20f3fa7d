"""Missing glyphs, before and during rendering: characters no shipped font can draw.

Layer 1 looks every character of the edition's files up in the shipped fonts' cmaps;
layer 2 reads WeasyPrint's own ".notdef glyph rendered" warnings. Layer 3 (the PDF
scan) is in `check_content`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..edition.load import MANIFEST_NAME, Edition
from ..errors import EditorError, display_path
from ..textfile import decode_utf8

FONT_SUFFIXES = (".otf", ".ttf", ".woff", ".woff2")
# WeasyPrint 70: '.notdef glyph rendered for Unicode string unsupported by fonts: "😀" (U+1F600)'
_NOTDEF_WARNING = re.compile(r"\.notdef glyph rendered.*\(U\+([0-9A-Fa-f]{4,6})\)")


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def describe(character: str) -> str:
    """“𪚥”（U+2A6A5）, with the Unicode name when it helps (emoji, symbols)."""
    name = unicodedata.name(character, "")
    named = f"，{name}" if name and not name.startswith("CJK UNIFIED IDEOGRAPH") else ""
    return f"“{character}”（{code_point(character)}{named}）"


def never_drawn(character: str) -> bool:
    """Characters that need no glyph: layout controls, joiners, variation selectors."""
    if character in "\n\r\t" or character.isspace():
        return True
    category = unicodedata.category(character)
    if category in ("Cc", "Cf"):
        return True
    number = ord(character)
    return 0xFE00 <= number <= 0xFE0F or 0xE0100 <= number <= 0xE01EF


@dataclass(frozen=True)
class MissingGlyph:
    """A character in an edition file that no shipped font can draw."""

    file: str  # as the editor knows it: 2025-11/articles/01.md
    line: int
    column: int
    character: str
    article: str | None  # the article's title; None for issue.yaml

    def as_editor_error(self) -> EditorError:
        return EditorError(
            self.file,
            self.line,
            self.column,
            None,
            f"字库中没有字符 {describe(self.character)}，印出来会是空白方框",
        )


_HARFBUZZ_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_font_t hb_font_t;
hb_blob_t *hb_blob_create_from_file (const char *file_name);
void hb_blob_destroy (hb_blob_t *blob);
hb_face_t *hb_face_create (hb_blob_t *blob, unsigned int index);
void hb_face_destroy (hb_face_t *face);
hb_font_t *hb_font_create (hb_face_t *face);
void hb_font_destroy (hb_font_t *font);
int hb_font_get_nominal_glyph (hb_font_t *font, uint32_t unicode, uint32_t *glyph);
int32_t hb_font_get_glyph_h_advance (hb_font_t *font, uint32_t glyph);
unsigned int hb_face_get_upem (const hb_face_t *face);
"""


@cache
def harfbuzz() -> tuple[Any, Any]:
    """HarfBuzz through cffi (both already needed by WeasyPrint)."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_HARFBUZZ_DECLARATIONS)
    for name in ("libharfbuzz.so.0", "harfbuzz", "libharfbuzz-0"):
        try:
            return ffi, ffi.dlopen(name)
        except OSError:
            continue
    raise OSError("HarfBuzz library not found (Debian package libharfbuzz0b)")


class FontCoverage:
    """Which characters the shipped fonts can draw. Keep one: it answers from memory.

    Each font is memory-mapped by HarfBuzz and asked only about the characters an
    edition uses (a few thousand), instead of parsing whole cmaps with fontTools,
    which took ~0.5 s of every cold build.
    """

    def __init__(self, fonts: tuple[Path, ...]) -> None:
        ffi, library = harfbuzz()
        self.fonts = fonts
        self._ffi = ffi
        self._harfbuzz = library
        self._hb_fonts = []
        for path in fonts:
            blob = library.hb_blob_create_from_file(str(path).encode())
            face = library.hb_face_create(blob, 0)
            self._hb_fonts.append(ffi.gc(library.hb_font_create(face), library.hb_font_destroy))
            library.hb_face_destroy(face)
            library.hb_blob_destroy(blob)
        self._known: dict[str, bool] = {}
        self._glyph = ffi.new("uint32_t *")

    @classmethod
    def from_fonts_dir(cls, fonts_dir: Path) -> FontCoverage:
        paths = tuple(
            sorted(path for path in fonts_dir.iterdir() if path.suffix.lower() in FONT_SUFFIXES)
        )
        return cls(paths)

    def covers(self, character: str) -> bool:
        known = self._known.get(character)
        if known is None:
            known = never_drawn(character) or any(
                self._harfbuzz.hb_font_get_nominal_glyph(font, ord(character), self._glyph)
                for font in self._hb_fonts
            )
            self._known[character] = known
        return known

    def missing_in_text(self, text: str) -> list[tuple[int, int, str]]:
        """(1-based line, 1-based column, character) for each uncovered character."""
        # Most texts are all covered: the characters are looked at once each, not in place.
        if all(ord(character) < 0x80 or self.covers(character) for character in set(text)):
            return []
        found = []
        for line_number, line in enumerate(text.split("\n"), start=1):
            for column, character in enumerate(line, start=1):
                if ord(character) < 0x80:
                    continue
                if not self.covers(character):
                    found.append((line_number, column, character))
        return found

    def find_missing(self, edition: Edition) -> list[MissingGlyph]:
        """Every character in issue.yaml and the articles that no shipped font has."""
        found = []
        files: list[tuple[Path, str | None]] = [(edition.root / MANIFEST_NAME, None)]
        files += [(article.path, article.front.title) for article in edition.articles]
        for path, title in files:
            shown_as = display_path(path, edition.root)
            # Articles were read and validated as UTF-8 by the loader already.
            text = decode_utf8(path.read_bytes())
            for line, column, character in self.missing_in_text(text):
                found.append(MissingGlyph(shown_as, line, column, character, title))
        return found

    def missing_glyphs(self, edition: Edition) -> list[EditorError]:
        """`find_missing`, as errors in the editor's terms (file, line, U+ code point)."""
        return [glyph.as_editor_error() for glyph in self.find_missing(edition)]


def notdef_characters(warnings: tuple[str, ...] | list[str]) -> list[str]:
    """Characters WeasyPrint says it drew as `.notdef`, in order, without repeats."""
    found: dict[str, None] = {}
    for warning in warnings:
        match = _NOTDEF_WARNING.search(warning)
        if match is not None:
            found[chr(int(match.group(1), 16))] = None
    return list(found)


def is_notdef_warning(warning: str) -> bool:
    return _NOTDEF_WARNING.search(warning) is not None


MISSING_GLYPH_HINT = (
    "换用字库中有的写法（如异体字、通行字），或删去表情符号；人名中的生僻字请与技术人员联系补充字体"
)
