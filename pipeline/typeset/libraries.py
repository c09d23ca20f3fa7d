"""Import WeasyPrint spawning no process and reading no file outside its own package.

WeasyPrint 70 (`weasyprint/text/ffi.py`) finds Pango, GObject, HarfBuzz and
fontconfig by trying several names per library with `cffi.FFI.dlopen`: first the
Windows-style ones (`libgobject-2.0-0`, `gobject-2.0`), then the Linux soname
(`libgobject-2.0.so.0`). For every name that is not a file, cffi falls back to
`ctypes.util.find_library`, which on Linux runs `/sbin/ldconfig -p` and then `gcc`
and `ld` (each through PATH) to guess where the library might be: about 215
processes and 0.45 s on every cold build, all to reject names that can never
match on this platform.

`import_weasyprint_quietly()` imports `weasyprint.text.ffi` once with
`ctypes.util.find_library` answering "not found" straight away, so cffi moves on
to the next name and WeasyPrint's own list reaches the soname, which the dynamic
loader resolves from its cache without spawning anything. The original function is
put back as soon as the import is done. Nothing changes on other platforms, and
if WeasyPrint ever lists no soname a missing library still fails loudly, as before.

The same import builds `weasyprint.pdf.anchors.MIMETYPES = mimetypes.MimeTypes()`,
which, the first time `mimetypes` is used in a process, reads the machine's
`/etc/mime.types` and similar files: a build would then depend on (and open) files
outside the edition, styles/ and fonts/. During the import `mimetypes.knownfiles` is
empty, so the table is Python's built-in one on every machine; the list is put back
afterwards.
"""

from __future__ import annotations

import ctypes.util
import mimetypes
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext


@contextmanager
def no_library_search() -> Iterator[None]:
    """Within this block `ctypes.util.find_library` finds nothing and spawns nothing."""
    original = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = original


@contextmanager
def builtin_mime_types() -> Iterator[None]:
    """Within this block, a first use of `mimetypes` reads no file of the machine."""
    original = mimetypes.knownfiles
    mimetypes.knownfiles = []
    try:
        yield
    finally:
        mimetypes.knownfiles = original


def import_weasyprint_quietly() -> None:
    """Import WeasyPrint (libraries by soname on Linux, built-in MIME table), once."""
    if "weasyprint.pdf.anchors" in sys.modules:
        return
    linux = sys.platform.startswith("linux")
    with builtin_mime_types(), no_library_search() if linux else nullcontext():
        import weasyprint.pdf.anchors
        import weasyprint.text.ffi  # noqa: F401
