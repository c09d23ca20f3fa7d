"""A font's bytes copied out of HarfBuzz when the PDF writer reads them, not when a page first uses it.

WeasyPrint 70's `pdf.fonts.Font.__init__` starts with
`self.file_content = get_hb_object_data(self.hb_face)`: the first page that draws
with a face copies the whole font file into a Python string, and the copy lives until
the PDF is written. For the shipped faces that is 82 MB (and every page of the
memory-mapped files touched once more), about a fifth of a 177-page build's peak
memory. With HarfBuzz subsetting, which the setup installs, the subset is made from
`hb_face` itself; the full copy is read only where fontTools works on the whole file
(no libharfbuzz-subset, variable or colour fonts, `full_fonts`) or when the subset
fails, and then the same bytes are copied at that moment. `Font` holds a reference
to its `hb_face`, so the face is still there whenever the bytes are asked for.

`font_files_on_demand()` makes `file_content` a property of `Font` for one write: the
copy happens on the first read; an assignment (the subset) replaces it. Fonts made
inside are given their full bytes on the way out, so after the block every `Font` is
exactly as WeasyPrint would have left it, and the PDF's bytes do not change. On any
WeasyPrint whose `Font.__init__` does not read the file as above, nothing is changed.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

# The one line of WeasyPrint 70's Font.__init__ this replaces.
_EAGER_COPY = "self.file_content = get_hb_object_data(self.hb_face)"
_NOT_READ: Any = None  # a font's bytes not copied yet


@cache
def _applies() -> bool:
    from weasyprint.pdf.fonts import Font

    source = inspect.getsource(Font.__init__)
    return source.count("get_hb_object_data(") == 1 and _EAGER_COPY in source


@contextmanager
def font_files_on_demand() -> Iterator[None]:
    """Inside, a `Font` copies its file's bytes out of HarfBuzz when they are first read."""
    if not _applies():
        yield
        return
    from weasyprint.pdf import fonts

    original_init = fonts.Font.__init__
    read_face = fonts.get_hb_object_data
    made: list[Any] = []

    def not_yet(hb_object: Any, ot_color: Any = None, glyph: Any = None) -> Any:
        return _NOT_READ if ot_color is None else read_face(hb_object, ot_color, glyph)

    def init(font: Any, *args: Any, **kwargs: Any) -> None:
        fonts.get_hb_object_data = not_yet
        try:
            original_init(font, *args, **kwargs)
        finally:
            fonts.get_hb_object_data = read_face
        made.append(font)

    def file_content(font: Any) -> bytes:
        data = font.__dict__.get("file_content", _NOT_READ)
        if data is _NOT_READ:
            data = font.__dict__["file_content"] = read_face(font.hb_face)
        return data  # type: ignore[no-any-return]

    def set_file_content(font: Any, data: bytes) -> None:
        font.__dict__["file_content"] = data

    fonts.Font.__init__ = init  # type: ignore[method-assign]
    fonts.Font.file_content = property(file_content, set_file_content)  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for font in made:
            file_content(font)  # a second Font of one file: the writer reads only the first
        fonts.Font.__init__ = original_init  # type: ignore[method-assign]
        del fonts.Font.file_content  # type: ignore[attr-defined]
