"""Text files as editors save them: one decoding for the loader, the importer and the glyph scan.

Editors' files come from Windows editors (BOM, CRLF), Mac editors (CR) and, when
pasted from old sites, legacy Chinese encodings. The edition's own files must be
UTF-8 (`decode_utf8`: anything else is refused by name, so a wrong encoding can
never print as garbled text); sources to import may be anything (`decode_any`:
GB2312/GBK/GB18030 are read as GB18030, their superset, which loses nothing).
"""

from __future__ import annotations

import codecs
import re

# C0 and C1 controls other than tab and line feed, DEL, the non-characters U+FFFE/FFFF
# (invisible in an editor, never drawable) and the bidirectional embeddings and
# isolates U+202A–202E, U+2066–2069, which make the PDF show text in another order
# than the file holds ("Trojan source"); a Chinese briefing never needs them.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
LEGACY_CHINESE = {"gb2312", "gbk", "gb18030", "hz", "big5hkscs"}


class NotUtf8(Exception):
    """The bytes are not UTF-8; `line` is where decoding failed, `guess` the likely encoding."""

    def __init__(self, line: int, guess: str | None) -> None:
        super().__init__(line, guess)
        self.line = line
        self.guess = guess


def unify_line_ends(text: str) -> str:
    """CRLF and CR become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def guess_encoding(data: bytes) -> str | None:
    import charset_normalizer  # only for a file that is not UTF-8: ~0.015 s of every start

    guess = charset_normalizer.from_bytes(data).best()
    return guess.encoding if guess is not None else None


def decode_utf8(data: bytes) -> str:
    """UTF-8 with or without BOM, any line ends → text with LF; else raise `NotUtf8`."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotUtf8(data[: error.start].count(b"\n") + 1, guess_encoding(data)) from None
    return unify_line_ends(text)


def decode_any(data: bytes) -> tuple[str, str]:
    """(text with LF line ends, the encoding as told to the editor)."""
    if data.startswith(codecs.BOM_UTF8):
        text = data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace")
        encoding = "UTF-8（带 BOM）"
    else:
        try:
            text, encoding = data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            name = (guess_encoding(data) or "gb18030").lower()
            if name in LEGACY_CHINESE or name.startswith("gb"):
                name = "gb18030"
            text = data.decode(name, errors="replace")
            encoding = name.upper()
    if "\r" in text:
        encoding += "，Windows 换行（CRLF）"
        text = unify_line_ends(text)
    return text, encoding


def control_characters(text: str) -> list[tuple[int, int, str]]:
    """(line, column, character), 1-based, of every control character in decoded text."""
    found = []
    line, line_start, scanned = 1, 0, 0
    for match in _CONTROL.finditer(text):
        breaks = text.count("\n", scanned, match.start())
        if breaks:
            line += breaks
            line_start = text.rfind("\n", scanned, match.start()) + 1
        scanned = match.start()
        found.append((line, match.start() - line_start + 1, match.group()))
    return found
