"""A content stream's operations, read with one regular expression.

pypdf's `ContentStream` builds a full PDF object for every operand, which made
parsing most of the cost of `briefing check`. This reader returns plain Python
values instead: numbers as int/float, names as `NameObject`, strings as bytes,
arrays as lists, dictionaries as dicts. A stream with an inline image (BI … ID …
EI, binary data) or anything it cannot read is handed back to pypdf whole.
"""

from __future__ import annotations

import re
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, NameObject

_NUMBER = rb"[+-]?(?:\d+\.?\d*|\.\d+)"
_DELIMITERS = rb"\x00\t\n\x0c\r ()<>\[\]{}/%"
_TOKEN = re.compile(
    rb"[\x00\t\n\x0c\r ]+|%[^\r\n]*"  # whitespace, comments: skipped
    rb"|(?P<number>" + _NUMBER + rb")(?=[" + _DELIMITERS + rb"]|$)"
    rb"|(?P<name>/[^" + _DELIMITERS + rb"]*)"
    rb"|(?P<dict_open><<)|(?P<dict_close>>>)"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|(?P<array_open>\[)|(?P<array_close>\])"
    rb"|(?P<literal>\()"
    rb"|(?P<operator>[^" + _DELIMITERS + rb"]+)"
)
# The usual TJ operand, [<hex> number <hex> …]: read in one go. A number must not be
# followed by a digit or dot, so a run of digits has one reading (no backtracking blow-up).
_TEXT_ARRAY = re.compile(
    rb"\[(?:[\x00\t\n\x0c\r ]*(?:<[0-9A-Fa-f]*>|" + _NUMBER + rb"(?![0-9.])))*[\x00\t\n\x0c\r ]*\]"
)
_TEXT_ITEM = re.compile(rb"<([0-9A-Fa-f]*)>|(" + _NUMBER + rb")")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_LITERAL_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}
_LITERAL_PART = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])|([()])|([^\\()]+)")


class Unreadable(Exception):
    """Something this reader does not handle: let pypdf read the stream."""


def _literal(data: bytes, start: int) -> tuple[bytes, int]:
    """The string whose `(` is just before `start`, and the index after its `)`."""
    parts = []
    depth = 1
    position = start
    while True:
        match = _LITERAL_PART.match(data, position)
        if match is None:
            raise Unreadable("unterminated string")
        position = match.end()
        escape, parenthesis, text = match.groups()
        if text is not None:
            parts.append(text)
        elif parenthesis is not None:
            depth += 1 if parenthesis == b"(" else -1
            if depth == 0:
                return b"".join(parts), position
            parts.append(parenthesis)
        elif escape[:1].isdigit():
            parts.append(bytes([int(escape, 8) & 0xFF]))
        elif escape in (b"\r\n", b"\n", b"\r"):
            continue  # a line continuation
        else:
            parts.append(_LITERAL_ESCAPES.get(escape, escape))


def _name(raw: bytes) -> NameObject:
    if b"#" in raw:
        raw = _NAME_ESCAPE.sub(lambda match: bytes([int(match.group(1), 16)]), raw)
    return NameObject(raw.decode("utf-8", "replace"))


def parse_operations(data: bytes) -> list[tuple[list[Any], bytes]]:
    """(operands, operator) pairs, as pypdf's `ContentStream.operations` lists them."""
    # A hot loop kept flat on purpose (one regular-expression match per token).
    operations: list[tuple[list[Any], bytes]] = []
    operands: list[Any] = []
    containers: list[list[Any]] = []  # open arrays and dictionaries (as key, value lists)
    kinds: list[bytes] = []
    target = operands
    position = 0
    length = len(data)
    match_token = _TOKEN.match
    while position < length:
        match = match_token(data, position)
        if match is None:
            raise Unreadable(f"unexpected byte at {position}")
        position = match.end()
        kind = match.lastgroup
        if kind is None:
            continue
        token = match.group()
        if kind == "number":
            target.append(float(token) if b"." in token else int(token))
        elif kind == "hex":
            try:
                target.append(bytes.fromhex(token[1:-1].decode()))  # skips whitespace itself
            except ValueError:  # an odd number of digits: the last one is followed by 0
                digits = re.sub(rb"\s+", b"", token[1:-1]) + b"0"
                target.append(bytes.fromhex(digits.decode()))
        elif kind == "operator":
            if containers:
                if token in (b"true", b"false", b"null"):
                    target.append(None if token == b"null" else token == b"true")
                    continue
                raise Unreadable("operator inside an array")
            if token in (b"BI", b"ID", b"EI"):
                raise Unreadable("inline image")
            if token in (b"true", b"false", b"null"):
                operands.append(None if token == b"null" else token == b"true")
                continue
            operations.append((operands, token))
            operands = target = []
        elif kind == "name":
            target.append(_name(token))
        elif kind == "literal":
            text, position = _literal(data, position)
            target.append(text)
        elif kind == "array_open" and (whole := _TEXT_ARRAY.match(data, match.start())):
            try:
                target.append(
                    [
                        (float(number) if b"." in number else int(number)) if number
                        else bytes.fromhex(digits.decode())
                        for digits, number in _TEXT_ITEM.findall(whole.group())
                    ]
                )
            except ValueError:  # an odd number of hex digits: read item by item
                containers.append(target)
                kinds.append(kind)
                target = []
            else:
                position = whole.end()
        elif kind in ("array_open", "dict_open"):
            containers.append(target)
            kinds.append(kind)
            target = []
        else:  # array_close, dict_close
            if not kinds or kinds[-1] != kind.replace("close", "open"):
                raise Unreadable("unbalanced brackets")
            kinds.pop()
            value: Any = target
            if kind == "dict_close":
                value = dict(zip(target[::2], target[1::2], strict=False))
            target = containers.pop()
            target.append(value)
    if containers:
        raise Unreadable("unclosed array")
    return operations


def operations(content: Any, reader: PdfReader) -> list[tuple[list[Any], bytes]]:
    """The operations of a page's content or a Form XObject, quickly where possible."""
    return read_operations(content, reader)[0]


def read_operations(content: Any, reader: PdfReader) -> tuple[list[tuple[list[Any], bytes]], bool]:
    """(the operations, whether pypdf had to read them)."""
    try:
        return parse_operations(content.get_data()), False
    except (Unreadable, ValueError):
        return ContentStream(content, reader).operations, True
