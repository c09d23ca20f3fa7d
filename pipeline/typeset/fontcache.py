"""One cache of WeasyPrint's font copies, shared by every process and never left in /tmp.

WeasyPrint 70's `FontConfiguration.add_font_face` (`weasyprint/text/fonts.py`)
writes each @font-face file it loads to `self._folder / md5(descriptors)`, where the
folder is a fresh `mkdtemp(prefix="weasyprint-")`, and removes the folder only in
`__del__`. For the three shipped fonts that is 64 MB written on every cold build
(about 0.17 s), and left in /tmp by every process that does not end normally (a
watcher stopped with SIGTERM, a build killed with SIGKILL).

`FontCache.configuration()` returns a `FontConfiguration` subclass whose folder is a
cache folder named by the SHA-256 of the font files' contents,
`build/.cache/fonts/fonts-<hash>/`. WeasyPrint computes the same file names as
before (the MD5 of the @font-face rule, which holds the font's absolute URL); each
is a symbolic link to `blobs/<SHA-256 of the bytes>`, so a checkout moved or a test
with its own copy of styles/ adds a name, never another 64 MB. An entry writes
itself only when missing, through `write_atomically` and `link_atomically` (two
processes starting at once each write a whole file, and one rename wins), and the
subclass never deletes anything in `__del__`. WeasyPrint's early return "this face's
file exists already" is answered by the configuration itself (a face added twice to
one configuration is skipped, as before), so a file written by an earlier process is
still registered with fontconfig. Nothing of WeasyPrint is patched.

Whenever a configuration is made, names and font-set folders unused for an hour, the
bytes no name links to any more and the temporary files of killed writers are
removed; a configuration kept by a watcher is marked as used at every build
(`keep_alive`). The font set's hash is remembered by the files' (size, mtime, ctime,
inode), so the 64 MB are re-hashed only when a font file changes.

`check_font_hooks()` refuses any WeasyPrint whose `add_font_face` does not look
exactly like the one this was written against; then `configuration()` falls back to
WeasyPrint's own temporary folder, which is correct but slower and can leak.
"""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import os
import shutil
import time
from pathlib import Path, PosixPath
from typing import Any

from ..atomic_files import link_atomically, remove_stale_temporaries_in, write_atomically
from .libraries import import_weasyprint_quietly

SUPPORTED_WEASYPRINT = "70.0"
FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".woff", ".woff2")
SET_PREFIX = "fonts-"
BLOBS = "blobs"
STALE_SECONDS = 3600  # unused this long: removed (a running watcher touches its own)
HASH_MEMO = "font-hashes.json"
# What fonts.py must contain for the cached folder to be used exactly as a temporary one.
_EXPECTED_SOURCE = (
    "if self._folder is None:",
    "font_path = self._folder / config_digest",
    "if font_path.exists():",
    "font_path.write_bytes(font)",
    "font_path.as_posix()",
)


def check_font_hooks() -> list[str]:
    """Why the cache cannot be used with the installed WeasyPrint; empty when it can."""
    import_weasyprint_quietly()
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        return [f"WeasyPrint {weasyprint.__version__}; the font cache supports {SUPPORTED_WEASYPRINT}"]
    source = inspect.getsource(FontConfiguration.add_font_face)
    return [f"add_font_face no longer has {line!r}" for line in _EXPECTED_SOURCE if line not in source]


class _CacheEntry(PosixPath):
    """One of WeasyPrint's `font_path`s: a symbolic link to the font's bytes in `blobs/`."""

    def exists(self, *, follow_symlinks: bool = True) -> bool:
        # WeasyPrint asks "added already?"; CachedFontConfiguration answers that itself.
        return False

    def write_bytes(self, data: Any) -> int:
        try:
            if self.stat().st_size == len(data):  # same font set and face: the same bytes
                os.utime(self, follow_symlinks=False)
                return len(data)
        except OSError:
            pass
        blob = self.parent.parent / BLOBS / hashlib.sha256(data).hexdigest()
        if blob.is_file() and blob.stat().st_size == len(data):
            os.utime(blob)
        else:
            write_atomically(blob, bytes(data))
        link_atomically(Path(os.path.relpath(blob, self.parent)), Path(self))
        return len(data)


class _CacheFolder(PosixPath):
    """The folder WeasyPrint puts font copies in; remembers the entries it handed out."""

    entries: list[_CacheEntry]

    def __truediv__(self, name: Any) -> _CacheEntry:
        entry = _CacheEntry(os.fspath(self), name)
        self.entries.append(entry)
        return entry


def _configuration_class() -> type:
    from weasyprint.text.fonts import FontConfiguration

    class CachedFontConfiguration(FontConfiguration):
        """WeasyPrint's font configuration, its font copies kept in the shared cache."""

        def __init__(self, folder: Path) -> None:
            super().__init__()
            self._folder = _CacheFolder(folder)
            self._folder.entries = []
            self._added_faces: set[str] = set()

        def add_font_face(self, rule_descriptors: Any, url_fetcher: Any) -> Any:
            key = str(rule_descriptors)  # what WeasyPrint hashes into the file name
            if key in self._added_faces:
                return None
            self._added_faces.add(key)
            return super().add_font_face(rule_descriptors, url_fetcher)

        def __del__(self) -> None:
            pass  # the cache outlives the process: nothing to remove

        def keep_alive(self) -> None:
            """Mark this configuration's entries as in use, so no other process prunes them."""
            for entry in self._folder.entries:
                with contextlib.suppress(OSError):
                    os.utime(entry, follow_symlinks=False)

    return CachedFontConfiguration


class FontCache:
    """The shared cache folder of WeasyPrint font copies for one `fonts/` folder."""

    def __init__(self, root: Path, fonts_dir: Path) -> None:
        self.root = root
        self.fonts_dir = fonts_dir
        self._class: type | None = None

    def font_files(self) -> list[Path]:
        return sorted(
            path for path in self.fonts_dir.iterdir() if path.suffix.lower() in FONT_SUFFIXES
        )

    def font_set_hash(self) -> str:
        """SHA-256 of the font files' names and contents (remembered while they are unchanged)."""
        stamps = []
        for path in self.font_files():
            stat = path.stat()
            stamps.append([path.name, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino])
        memo_path = self.root / HASH_MEMO
        try:
            memo = json.loads(memo_path.read_text("utf-8"))
            if memo.get("stamps") == stamps and isinstance(memo.get("sha256"), str):
                return str(memo["sha256"])
        except (OSError, ValueError, AttributeError):
            pass
        digest = hashlib.sha256()
        for path in self.font_files():
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
        memo_text = json.dumps({"stamps": stamps, "sha256": digest.hexdigest()})
        with contextlib.suppress(OSError):  # a read-only cache: hash again next time
            write_atomically(memo_path, memo_text.encode())
        return digest.hexdigest()

    def folder(self) -> Path:
        """This font set's folder, created if needed and marked as just used."""
        folder = self.root / f"{SET_PREFIX}{self.font_set_hash()[:16]}"
        folder.mkdir(parents=True, exist_ok=True)
        os.utime(folder)
        self.remove_stale(keep=folder)
        return folder

    def remove_stale(self, keep: Path) -> None:
        """Drop names and font sets unused for STALE_SECONDS, the bytes no name links to,
        and the leftovers of killed writers."""
        cutoff = time.time() - STALE_SECONDS
        linked: set[str] = set()
        for folder in self.root.iterdir():
            if not folder.name.startswith(SET_PREFIX) or not folder.is_dir():
                continue
            if folder != keep and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            remove_stale_temporaries_in(folder)
            for name in folder.iterdir():
                with contextlib.suppress(OSError):
                    if name.lstat().st_mtime < cutoff:
                        name.unlink()
                    elif name.is_symlink():
                        linked.add(os.path.basename(os.readlink(name)))
        blobs = self.root / BLOBS
        if blobs.is_dir():
            remove_stale_temporaries_in(blobs)
            for blob in blobs.iterdir():
                with contextlib.suppress(OSError):
                    if blob.name not in linked and blob.stat().st_mtime < cutoff:
                        blob.unlink()
        remove_stale_temporaries_in(self.root)

    def configuration(self) -> Any:
        """A WeasyPrint FontConfiguration writing its font copies into this cache."""
        from weasyprint.text.fonts import FontConfiguration

        if self._class is None:
            self._class = FontConfiguration if check_font_hooks() else _configuration_class()
        if self._class is FontConfiguration:
            return FontConfiguration()
        try:
            folder = self.folder()
        except OSError:
            return FontConfiguration()  # cache not writable: WeasyPrint's temporary folder
        return self._class(folder)
