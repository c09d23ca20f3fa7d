"""Atomic writes: whole files or none, and killed writers' temporaries removed on the next write."""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.atomic_files import remove_stale_temporaries, replace_text, write_atomically
from tests.support import dead_pid


def test_write_atomically_removes_dead_writers_temporaries_and_keeps_live_ones(tmp_path: Path) -> None:
    target = tmp_path / "2025-11.pdf"
    dead = tmp_path / f".2025-11.pdf.{dead_pid()}.deadbeef.tmp"
    older_version = tmp_path / ".2025-11.pdf.k3j4h5.tmp"
    live = tmp_path / f".2025-11.pdf.{os.getppid()}.cafe0001.tmp"
    other = tmp_path / ".2025-12.pdf.1.deadbeef.tmp"
    for path in (dead, older_version, live, other):
        path.write_bytes(b"partial")
    write_atomically(target, b"%PDF-1.7 new")
    assert target.read_bytes() == b"%PDF-1.7 new"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted([target.name, live.name, other.name])
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert remove_stale_temporaries(target) == []


def test_replace_text_keeps_the_editors_permissions(tmp_path: Path) -> None:
    article = tmp_path / "01.md"
    article.write_text("原文", "utf-8")
    article.chmod(0o600)
    replace_text(article, "改过的文字")
    assert article.read_text("utf-8") == "改过的文字"
    assert article.stat().st_mode & 0o777 == 0o600
    assert sorted(path.name for path in tmp_path.iterdir()) == ["01.md"]
