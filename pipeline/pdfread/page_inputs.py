"""What reading one page depends on, recorded so that what was read of it can be kept.

Two readers read a page: the content scan (`content.scan_page`: characters, images,
fonts) and pdftotext (its text). Each reads only these inputs:

* the page dictionary: its boxes and rotation (and those it inherits), and its
  annotations, which pdftotext draws when they carry an appearance stream (and
  for some kinds makes one);
* of the document, only its optional content (`DocumentFacts.document`: layers
  pdftotext hides);
* the content stream, decoded;
* the resources the stream names (`/F3 14 Tf`, `/Im1 Do`, `/GS1 gs`, a `BDC` tag's
  properties), looked up in the page's own `/Resources`.

`PageInputs.of` records them when the page is read, as exact values (bytes compared
with `==`, never hashes), and `PageInputs.hold` says whether a page of a later PDF
has the same ones. Every name that occurs in the stream is recorded, in every
resource category (a name that is not there is recorded as absent): more than
either reader looks up, never less.

Fonts are recorded as what the page uses of them. WeasyPrint's subset fonts grow
with the edition: a new character on page 13 adds an entry to the ToUnicode map
and to the widths that every page's font shares, while the codes already drawn
keep their glyphs. So a font is recorded as three parts: for each code the page
shows, its ToUnicode entry and its width (`FontFacts.entries`); the rest of the
font's dictionaries as a whole (`FontFacts.rest`); and the embedded program, only
when the page shows a code the ToUnicode map does not name (the one case where a
reader could look into the program for the text). Entries are itemised only where
the tables are in the plain form every reader reads alike (a Type0 font encoded
Identity-H or -V, a ToUnicode map of `bfchar` entries of two-byte codes, each code
once, whose other lines stay in `rest`; a /W array naming each code once; metrics
the scan could read); otherwise the tables are part of `rest`.

Image samples are left out: neither reader looks at pixels (the scan reads an
image's /Width and /Height, pdftotext skips images). A page that draws a Form
XObject (its names are the form's own), whose stream only pypdf could read (an
inline image), that inherits its resources, or whose annotations carry appearances
is never kept (`of` returns None); nor is one with an annotation other than a link.
"""

from __future__ import annotations

import re
import sys
from array import array
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .content import FontReader, PageScan, reference_key
from .placed_text import cid_widths

CATEGORIES = ("/Font", "/XObject", "/ExtGState", "/ColorSpace", "/Pattern", "/Shading", "/Properties")
# The page's own entries that stand apart: recorded separately, or judged (Annots).
_SEPARATE = frozenset({"/Contents", "/Resources", "/Annots", "/Parent"})
_INHERITED = ("/MediaBox", "/CropBox", "/Rotate")
_FONT_PROGRAMS = ("/FontFile", "/FontFile2", "/FontFile3")
_NAME = re.compile(rb"/[^\x00\t\n\x0c\r ()<>\[\]{}/%]*")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_BFCHAR_SECTION = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_COUNTED_BFCHAR = re.compile(rb"\d+\s+beginbfchar.*?endbfchar\s*", re.S)
_BFCHAR_ENTRY = re.compile(rb"\s*<([0-9A-Fa-f]{4})>\s*<([0-9A-Fa-f]*)>")
_OTHER_MAPPINGS = re.compile(rb"usecmap|beginbfrange|begincidchar|begincidrange|beginnotdef")


def _encode(value: Any, out: list[bytes], open_objects: set[int], omit: dict[int, frozenset[str]]) -> None:
    """A PDF object as exact bytes: its type and value, references followed (not their
    numbers, which change from one build to the next); `omit`: keys left out of given
    dictionaries (by `id`); an image's samples are left out."""
    if isinstance(value, IndirectObject):
        if value.idnum in open_objects:
            out.append(b"<cycle>")
            return
        open_objects.add(value.idnum)
        _encode(value.get_object(), out, open_objects, omit)
        open_objects.discard(value.idnum)
    elif isinstance(value, dict):
        left_out = omit.get(id(value), frozenset())
        out.append(b"<<")
        for key in sorted(value):
            if key not in left_out:
                out.append(str(key).encode("utf-8", "surrogatepass") + b" ")
                raw = value.raw_get(key) if isinstance(value, DictionaryObject) else value[key]
                _encode(raw, out, open_objects, omit)
        out.append(b">>")
        if isinstance(value, StreamObject):
            if value.get("/Subtype") == "/Image":
                out.append(b"stream(image samples)")
            else:
                data = getattr(value, "_data", None)
                out.append(b"stream" + (data if isinstance(data, bytes) else value.get_data()))
    elif isinstance(value, list | ArrayObject):
        out.append(b"[")
        for item in value:
            _encode(item, out, open_objects, omit)
        out.append(b"]")
    elif isinstance(value, bytes):
        out.append(b"b" + repr(value).encode())
    else:
        out.append(f"{type(value).__name__}:{value!r} ".encode("utf-8", "surrogatepass"))


def encoded(value: Any, omit: dict[int, frozenset[str]] | None = None) -> bytes:
    out: list[bytes] = []
    _encode(value, out, set(), omit or {})
    return b"".join(out)


def _name(raw: bytes) -> str:
    """A name token as the content-stream reader decodes it (#xx escapes)."""
    raw = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
    return raw.decode("utf-8", "replace")


def _plain_to_unicode(data: bytes) -> dict[int, bytes] | None:
    """code → the UTF-16 hex a `bfchar` entry gives it, if the map is only such entries."""
    if _OTHER_MAPPINGS.search(data):
        return None
    entries: dict[int, bytes] = {}
    for section in _BFCHAR_SECTION.findall(data):
        position = 0
        for match in _BFCHAR_ENTRY.finditer(section):
            if match.start() != position:
                return None
            position = match.end()
            code = int(match.group(1), 16)
            if code in entries:
                return None
            entries[code] = match.group(2).lower()
        if section[position:].strip():
            return None
    return entries


def _plain_widths(array: Any) -> dict[int, float] | None:
    """code → width of a /W array that names each code once."""
    widths = cid_widths(array)
    items, named, index = list(array or []), 0, 0
    while index < len(items):  # count the codes the array names, repeats included
        following = items[index + 1].get_object() if index + 1 < len(items) else None
        if isinstance(following, list):
            named, index = named + len(following), index + 2
        elif index + 2 < len(items):
            named, index = named + int(following) - int(items[index]) + 1, index + 3
        else:
            break
    return widths if named == len(widths) else None


@dataclass
class FontFacts:
    """One font object of one PDF, split as the module docstring says."""

    rest: bytes
    entries: dict[int, tuple[bytes | None, float | None]] | None  # None: the tables are in `rest`
    _programs: list[Any] = field(default_factory=list, repr=False)
    _program: bytes | None = field(default=None, repr=False)

    @classmethod
    def of(cls, font: DictionaryObject, measurable: bool = True) -> FontFacts:
        """`measurable`: the scan could read its metrics; a font it could not is compared
        whole (a change anywhere in its tables may make it readable)."""
        descendants = font.get("/DescendantFonts")
        one = isinstance(descendants, list) and len(descendants) == 1
        descendant = descendants[0].get_object() if one else None
        carrier = descendant if descendant is not None else font
        descriptor = carrier.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else None
        omit: dict[int, frozenset[str]] = {}
        programs: list[Any] = []
        if isinstance(descriptor, DictionaryObject):
            omit[id(descriptor)] = frozenset(_FONT_PROGRAMS)
            programs = [descriptor.raw_get(key) for key in _FONT_PROGRAMS if key in descriptor]
        entries = None
        to_unicode = font.get("/ToUnicode")
        identity = font.get("/Encoding") in ("/Identity-H", "/Identity-V")  # two-byte codes, CID = code
        if measurable and identity and descendant is not None and hasattr(to_unicode, "get_object"):
            texts = _plain_to_unicode(to_unicode.get_object().get_data())
            widths = _plain_widths(descendant.get("/W"))
            if texts is not None and widths is not None:
                entries = {code: (texts.get(code), widths.get(code)) for code in texts.keys() | widths.keys()}
                omit[id(font)] = frozenset({"/ToUnicode"})
                omit[id(descendant)] = frozenset({"/W"})
                # What the map says besides its entries (code space, names) stays in `rest`.
                skeleton = _COUNTED_BFCHAR.sub(b"", to_unicode.get_object().get_data())
                return cls(encoded(font, omit) + b"|ToUnicode:" + skeleton, entries, programs)
        return cls(encoded(font, omit), entries, programs)

    def program(self) -> bytes:
        """The embedded font program(s), exactly (read once, when first asked)."""
        if self._program is None:
            self._program = b"".join(encoded(program) for program in self._programs)
        return self._program

    def codes_without_text(self, codes: frozenset[int]) -> bool:
        """Some code of `codes` has no ToUnicode entry (or the entries are not itemised)."""
        if self.entries is None:
            return True
        return any(self.entries.get(code, (None, None))[0] is None for code in codes)


def shown_codes(shown: list[Any]) -> frozenset[int]:
    """The two-byte codes of the strings a page showed with one font (Tj, TJ, ', "):
    each string read in pairs from its start, an odd last byte left (as `FontMetrics.codes`)."""
    parts = []
    for operand in shown:
        for item in operand if isinstance(operand, list) else (operand,):
            if isinstance(item, int | float):
                continue
            raw = item.original_bytes if hasattr(item, "original_bytes") else bytes(item)
            parts.append(raw[: len(raw) - len(raw) % 2])
    units = array("H", b"".join(parts))
    if sys.byteorder == "little":
        units.byteswap()  # the codes are big-endian
    return frozenset(units)


@dataclass(frozen=True)
class FontInput:
    """What a page used of the font it names `name`: its codes, and the font as it was
    (values only: nothing that keeps the PDF it was read from in memory)."""

    name: str
    rest: bytes
    entries: dict[int, tuple[bytes | None, float | None]] | None  # shared by the pages read with it
    codes: frozenset[int]
    program: bytes | None  # the program as it was, when the page shows a code without text


class DocumentFacts:
    """The fonts and resources of one PDF, each read once however many pages name them."""

    def __init__(self, reader: PdfReader, fonts: FontReader | None = None) -> None:
        self.reader = reader
        self.fonts = fonts or FontReader()  # the scan's reading of each font, shared
        self._fonts: dict[int, FontFacts] = {}
        self._resources: dict[tuple[int, str, str], bytes | None] = {}
        self._changed: dict[tuple[int, int], frozenset[int]] = {}

    def document(self) -> bytes:
        """What the document says of every page's drawing: optional content (layers)
        that pdftotext shows or hides."""
        return encoded(self.reader.trailer["/Root"].get_object().get("/OCProperties"))

    def font(self, reference: Any) -> FontFacts:
        key = reference_key(reference)
        if key not in self._fonts:
            measurable = self.fonts.read(reference).metrics is not None
            self._fonts[key] = FontFacts.of(reference.get_object(), measurable)
        return self._fonts[key]

    def resource(self, resources: DictionaryObject, category: str, name: str) -> bytes | None:
        """A named resource exactly (None: not there); fonts are `font`'s."""
        key = (id(resources), category, name)
        if key not in self._resources:
            group = resources.get(category)
            group = group.get_object() if group is not None else None
            found = group.raw_get(name) if isinstance(group, DictionaryObject) and name in group else None
            self._resources[key] = None if found is None else encoded(found)
        return self._resources[key]

    def changed_codes(self, earlier: dict[int, Any], now: FontFacts) -> frozenset[int]:
        """Codes whose ToUnicode entry or width differ between two itemised fonts."""
        key = (id(earlier), id(now))
        if key not in self._changed:
            old, new = earlier, now.entries or {}
            self._changed[key] = frozenset(
                code for code in old.keys() | new.keys() if old.get(code) != new.get(code)
            )
        return self._changed[key]


def _frame(page: PageObject) -> bytes | None:
    """The page dictionary but its contents, resources and links, with what it inherits;
    None when it inherits its resources or an annotation carries an appearance."""
    if "/Resources" not in page:
        return None
    for annotation in page.get("/Annots", None) or []:
        annotation = annotation.get_object()
        # poppler draws an appearance, and makes one for some kinds (free text, fields);
        # a link without one draws at most its border.
        if "/AP" in annotation or annotation.get("/Subtype") != "/Link":
            return None
    parts = [encoded(page, {id(page): _SEPARATE})]
    node = page.get("/Parent")
    while node is not None:
        node = node.get_object()
        parts.append(encoded({key: node.raw_get(key) for key in _INHERITED if key in node}))
        node = node.get("/Parent")
    return b"|".join(parts)


def _content(page: PageObject) -> bytes:
    contents = page.get_contents()
    return b"" if contents is None else contents.get_data()


@dataclass(frozen=True)
class PageInputs:
    """Everything the scan and pdftotext read of one page (see the module docstring)."""

    frame: bytes
    content: bytes
    fonts: tuple[FontInput, ...]
    resources: tuple[tuple[str, str, bytes | None], ...]  # (category, name, value) but fonts

    @classmethod
    def of(cls, page: PageObject, scanned: PageScan, facts: DocumentFacts) -> PageInputs | None:
        """The inputs of a page just scanned; None if it may not be kept."""
        frame = _frame(page)
        if frame is None or scanned.forms or scanned.read_by_pypdf:
            return None
        content = _content(page)
        resources = page["/Resources"].get_object()
        names = sorted({_name(raw) for raw in _NAME.findall(content)} | {use.name for use in scanned.fonts})
        fonts_group = resources.get("/Font")
        page_fonts = fonts_group.get_object() if fonts_group is not None else DictionaryObject()
        shown: dict[str, list[Any]] = {}
        for use in scanned.fonts:
            shown.setdefault(use.name, []).extend(use.shown)
        fonts: list[FontInput] = []
        others: list[tuple[str, str, bytes | None]] = []
        for name in names:
            reference = page_fonts.get(name) if isinstance(page_fonts, DictionaryObject) else None
            if reference is None:
                others.append(("/Font", name, None))
            else:
                font = facts.font(page_fonts.raw_get(name))
                codes = shown_codes(shown.get(name, []))
                program = font.program() if font.codes_without_text(codes) else None
                fonts.append(FontInput(name, font.rest, font.entries, codes, program))
            others += [(group, name, facts.resource(resources, group, name)) for group in CATEGORIES[1:]]
        return cls(frame, content, tuple(fonts), tuple(others))

    def hold(self, page: PageObject, facts: DocumentFacts) -> bool:
        """Whether `page` (of a later PDF, at the same place) has these same inputs."""
        if _frame(page) != self.frame or _content(page) != self.content:
            return False
        resources = page["/Resources"].get_object()
        group = resources.get("/Font")
        page_fonts = group.get_object() if group is not None else None
        if not isinstance(page_fonts, DictionaryObject):
            page_fonts = DictionaryObject()
        for category, name, value in self.resources:
            if category == "/Font":
                if name in page_fonts:
                    return False
            elif facts.resource(resources, category, name) != value:
                return False
        for used in self.fonts:
            if used.name not in page_fonts:
                return False
            now = facts.font(page_fonts.raw_get(used.name))
            if now.rest != used.rest or (now.entries is None) != (used.entries is None):
                return False
            if used.entries is not None and not used.codes.isdisjoint(facts.changed_codes(used.entries, now)):
                return False
            if used.program is not None and now.program() != used.program:
                return False
        return True
