"""Files written whole or not at all, and the leftovers of killed writers removed.

A PDF (or a cached font) is replaced in one `rename`, so a viewer or a second
process never sees half a file. The bytes are first written to a file with no name
(Linux `O_TMPFILE`): if the process is killed while writing, the kernel frees it and
nothing is left behind. Only for the instant between giving it a temporary name and
renaming it over the target can a kill leave a file, `.NAME.<pid>.<token>.tmp`; the
next write to the same target removes every such file whose process is gone. Where
`O_TMPFILE` is not supported (some network file systems), the named temporary file is
written directly and cleaned up the same way.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TEMPORARY_SUFFIX = ".tmp"
# Cleared at the first failure to name a nameless file, so data is not written twice.
_unnamed_files_work = [True]


def temporary_prefix(path: Path) -> str:
    """`.2025-11.pdf.`: every temporary file of `path` starts with this."""
    return f".{path.name}."


def _temporary_name(path: Path) -> Path:
    token = secrets.token_hex(4)
    return path.with_name(f"{temporary_prefix(path)}{os.getpid()}.{token}{TEMPORARY_SUFFIX}")


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Delete the temporary files of `path` whose writer has gone; return them."""
    return _remove_stale(path.parent, temporary_prefix(path))


def remove_stale_temporaries_in(folder: Path) -> list[Path]:
    """The same for every target in `folder` (a cache folder that only we write)."""
    return _remove_stale(folder, ".")


def _remove_stale(folder: Path, prefix: str) -> list[Path]:
    removed = []
    try:
        candidates = [
            entry
            for entry in folder.iterdir()
            if entry.name.startswith(prefix) and entry.name.endswith(TEMPORARY_SUFFIX)
        ]
    except OSError:
        return removed
    for candidate in candidates:
        # `.NAME.<pid>.<token>.tmp`; older versions wrote `.NAME.<random>.tmp` (no pid).
        parts = candidate.name[: -len(TEMPORARY_SUFFIX)].rsplit(".", 2)
        pid = int(parts[-2]) if len(parts) == 3 and parts[-2].isdigit() else None
        if pid is not None and (pid == os.getpid() or _process_alive(pid)):
            continue  # still being written (by another thread of ours, or another process)
        try:
            candidate.unlink()
        except OSError:
            continue
        removed.append(candidate)
    return removed


def _write_unnamed(path: Path, data: bytes, mode: int) -> Path | None:
    """Write `data` to a nameless file in `path`'s folder and name it; None if unsupported."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not _unnamed_files_work[0]:
        return None
    try:
        handle = os.open(path.parent, flag | os.O_WRONLY, mode)
    except (IsADirectoryError, NotADirectoryError, PermissionError):
        raise
    except OSError:
        return None  # the file system cannot make nameless files
    try:
        os.fchmod(handle, mode)
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view) :]
        named = _temporary_name(path)
        try:
            os.link(f"/proc/self/fd/{handle}", named, follow_symlinks=True)
        except OSError:
            _unnamed_files_work[0] = False  # no /proc, or a sandbox that refuses it (EXDEV)
            return None
    finally:
        os.close(handle)
    return named


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """Replace `path` with `data` in one step; a kill at any moment leaves no stray file
    that the next call does not remove. Raises OSError when the folder is not writable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    temporary = _write_unnamed(path, data, mode)
    if temporary is None:
        temporary = _temporary_name(path)
        try:
            with open(temporary, "xb") as stream:
                stream.write(data)
            os.chmod(temporary, mode)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def link_atomically(target: Path, link: Path) -> None:
    """Make `link` a symbolic link to `target` in one step (replacing what was there)."""
    remove_stale_temporaries(link)
    temporary = _temporary_name(link)
    os.symlink(target, temporary)
    try:
        os.replace(temporary, link)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def replace_text(path: Path, text: str) -> None:
    """Rewrite an editor's text file in one step, keeping its permissions: a kill while
    writing leaves the old file whole, never half an article."""
    write_atomically(path, text.encode("utf-8"), mode=path.stat().st_mode & 0o7777)


def read_kept_dict(path: Path) -> dict[object, object]:
    """A dict kept by `write_atomically(path, marshal.dumps(…))`; empty when the file is
    missing, unreadable, or not a marshalled dict (a cache is rebuilt, never trusted)."""
    import marshal

    try:
        kept = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    return kept if isinstance(kept, dict) else {}
