"""The shared font cache and the quiet WeasyPrint import, on real files and processes."""

from __future__ import annotations

import ctypes.util
import mimetypes
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.build import Builder
from pipeline.house import FONTS_DIR, STYLES_DIR, font_faces
from pipeline.typeset.fontcache import STALE_SECONDS, FontCache, check_font_hooks
from pipeline.typeset.libraries import builtin_mime_types, no_library_search
from tests.support import MakeEdition, dead_pid
from tests.test_build import pdf_text


def test_font_hooks_match_the_pinned_weasyprint() -> None:
    assert check_font_hooks() == []


def test_patches_are_undone_after_their_block() -> None:
    find_library, known_files = ctypes.util.find_library, mimetypes.knownfiles
    with no_library_search(), builtin_mime_types():
        assert ctypes.util.find_library("c") is None
        assert mimetypes.knownfiles == []
    assert ctypes.util.find_library is find_library
    assert mimetypes.knownfiles is known_files


def test_a_second_builder_reuses_the_cached_fonts_and_typesets_with_them(
    make_edition: MakeEdition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "cache"))
    root = make_edition()
    Builder.create().build(root, tmp_path / "a.pdf")
    blobs = tmp_path / "cache" / "fonts" / "blobs"
    written = {path.name: path.stat().st_mtime_ns for path in blobs.iterdir()}
    Builder.create().build(root, tmp_path / "b.pdf")  # as another process would
    assert {path.name: path.stat().st_mtime_ns for path in blobs.iterdir()} == written  # not rewritten
    assert len(written) == len({face.file for face in font_faces(STYLES_DIR)})
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert "研究院召开质量发展形势分析会" in pdf_text(tmp_path / "b.pdf").replace(" ", "")


def test_stale_font_sets_unlinked_bytes_and_dead_writers_files_are_removed(tmp_path: Path) -> None:
    root = tmp_path / "fonts-cache"
    old_set, blobs = root / "fonts-0123456789abcdef", root / "blobs"
    old_set.mkdir(parents=True)
    blobs.mkdir()
    (blobs / "orphan").write_bytes(b"font bytes nobody links to")
    (old_set / "name").symlink_to("../blobs/orphan")
    long_ago = time.time() - STALE_SECONDS - 60
    for path in (old_set / "name", old_set, blobs / "orphan"):
        os.utime(path, (long_ago, long_ago), follow_symlinks=False)
    killed = blobs / f".abc.{dead_pid()}.0badf00d.tmp"
    killed.write_bytes(b"half a font")
    cache = FontCache(root, FONTS_DIR)
    current = cache.folder()
    assert sorted(path.name for path in root.iterdir()) == sorted(["blobs", current.name, "font-hashes.json"])
    assert list(blobs.iterdir()) == []


def test_font_set_hash_changes_with_content_not_with_time(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    font = fonts / "A.otf"
    font.write_bytes(b"OTTO one")
    cache = FontCache(tmp_path / "cache", fonts)
    first = cache.font_set_hash()
    stamp = font.stat()
    font.write_bytes(b"OTTO two")  # same size, mtime put back: as `cp -p` would leave it
    os.utime(font, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert cache.font_set_hash() != first
    os.utime(font)
    assert cache.font_set_hash() == FontCache(tmp_path / "elsewhere", fonts).font_set_hash()


def test_quiet_import_spawns_no_process(tmp_path: Path) -> None:
    """WeasyPrint's library lookup ran ldconfig, gcc and ld ~215 times; now nothing."""
    probe = (
        "import sys, subprocess\n"
        "spawned = []\n"
        "sys.addaudithook(lambda event, args: spawned.append(event) "
        "if event in ('subprocess.Popen', 'os.posix_spawn', 'os.exec', 'os.fork', 'os.system') else None)\n"
        "from pipeline.typeset.libraries import import_weasyprint_quietly\n"
        "import_weasyprint_quietly()\n"
        "import weasyprint\n"
        "print(len(spawned))\n"
    )
    child = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert child.stdout.strip() == "0", child.stdout


def test_two_processes_starting_at_once_share_an_empty_cache(make_edition: MakeEdition, tmp_path: Path) -> None:
    root = make_edition()
    environment = {**os.environ, "BRIEFING_CACHE_DIR": str(tmp_path / "cache"), "TMPDIR": str(tmp_path)}
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline", "build", str(root), "-o", str(tmp_path / f"{name}.pdf"), "--no-check"],
            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for name in ("first", "second")
    ]
    outputs = [build.communicate(timeout=120)[0] for build in builds]
    assert [build.returncode for build in builds] == [0, 0], outputs
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()
    fonts = tmp_path / "cache" / "fonts"
    assert len(list((fonts / "blobs").iterdir())) == len({face.file for face in font_faces(STYLES_DIR)})
    assert [path for path in fonts.rglob("*") if path.name.endswith(".tmp")] == []
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith("weasyprint-")] == []


def test_an_unwritable_cache_falls_back_to_weasyprints_own_folder(
    make_edition: MakeEdition, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("the cache's parent is a file")
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(blocked / "cache"))
    output = Builder.create().build(make_edition(), tmp_path / "out.pdf").output
    assert "研究院召开质量发展形势分析会" in pdf_text(output).replace(" ", "")
