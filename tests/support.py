"""Test helpers: broken and hostile files made on purpose, and running the real CLI."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

import pytest

from pipeline.cli import run

# What a previous good build left: the tests assert it is still byte for byte there.
LAST_PDF = b"%PDF-1.7\n% the last good PDF, which a refused build must leave alone\n%%EOF\n"


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 30)).save(stream, "PNG")
    return stream.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims `width`×`height` pixels (a decompression bomb's header), 60 bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IEND", b"")


def truncated_jpeg() -> bytes:
    from PIL import Image

    stream = io.BytesIO()
    Image.effect_noise((400, 300), 80).convert("RGB").save(stream, "JPEG", quality=90)
    whole = stream.getvalue()
    return whole[: len(whole) * 6 // 10]


def line_of(path: Path, marker: str) -> int:
    """1-based number of the first line of `path` containing `marker`."""
    for number, line in enumerate(path.read_text("utf-8").split("\n"), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and everything printed, of `briefing ARGV` run in this process."""
    capsys.readouterr()
    code = run(list(argv))
    captured = capsys.readouterr()
    return code, captured.out + captured.err
