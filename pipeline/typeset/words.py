"""Chinese word boundaries (jieba), for breaking titles between words and checking them.

jieba's own start-up reads its 350 000-word dictionary (0.3–0.7 s, and it logs to
the terminal and writes a cache next to the system's temporary files). A title
needs only common words, so the words of frequency ≥ `MIN_FREQUENCY` (about
105 000, the same segmentation of every title tried) are loaded instead, from a
marshal file made once from jieba's bundled dictionary and kept in the tool's cache
folder, `build/.cache/words/` (about 0.05 s to load; written in one step, so a killed
build leaves no half file, and never in /tmp, which every build must leave as it found
it). jieba's logger is silenced; nothing is printed. jieba is imported with
`pkg_resources` hidden: it imports that (~0.1 s of a cold build) only to open its bundled
files, falls back to `open` when the import fails, and this tool never asks for them.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import marshal
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from ..atomic_files import write_atomically
from ..house import cache_dir

MIN_FREQUENCY = 10


def _dictionary_path() -> Path:
    import jieba

    return Path(jieba.__file__).with_name("dict.txt")


def _cache_path(dictionary: Path) -> Path:
    stat = dictionary.stat()
    key = hashlib.sha256(f"{dictionary}:{stat.st_size}:{stat.st_mtime_ns}:{MIN_FREQUENCY}".encode())
    return cache_dir() / "words" / f"words-{key.hexdigest()[:16]}.marshal"


def _prefix_dictionary(dictionary: Path) -> tuple[dict[str, int], int]:
    """jieba's prefix dictionary (word → frequency, prefixes → 0) of the common words."""
    frequencies: dict[str, int] = {}
    total = 0
    with dictionary.open(encoding="utf-8") as lines:
        for line in lines:
            word, frequency, *_ = line.split(" ")
            count = int(frequency)
            if count < MIN_FREQUENCY:
                continue
            frequencies[word] = count
            total += count
            for end in range(1, len(word)):
                frequencies.setdefault(word[:end], 0)
    return frequencies, total


def _load() -> tuple[dict[str, int], int]:
    dictionary = _dictionary_path()
    cached = _cache_path(dictionary)
    try:
        return marshal.loads(cached.read_bytes())  # type: ignore[no-any-return]
    except (OSError, ValueError, EOFError, TypeError):
        pass
    frequencies, total = _prefix_dictionary(dictionary)
    with contextlib.suppress(OSError):  # a read-only cache: made again next time
        write_atomically(cached, marshal.dumps((frequencies, total)))
    return frequencies, total


@contextlib.contextmanager
def _pkg_resources_hidden() -> Iterator[None]:
    """`import pkg_resources` fails inside (a None in sys.modules), unless it is loaded already."""
    if "pkg_resources" in sys.modules:
        yield
        return
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if sys.modules.get("pkg_resources", ...) is None:
            del sys.modules["pkg_resources"]


@cache
def _tokenizer() -> Any:
    with _pkg_resources_hidden():
        import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = str(cache_dir() / "words")  # jieba's own cache, were it ever made
    tokenizer.FREQ, tokenizer.total = _load()
    tokenizer.initialized = True  # the dictionary is set: jieba must not load its own
    return tokenizer


def words(text: str) -> list[str]:
    """`text` cut into words (no HMM guessing, so the same text always cuts the same way)."""
    return list(_tokenizer().cut(text, HMM=False))


def word_boundaries(text: str) -> set[int]:
    """Offsets in `text` between two words (0 and len(text) excluded)."""
    offsets = set()
    position = 0
    for word in words(text):
        position += len(word)
        offsets.add(position)
    offsets.discard(len(text))
    return offsets
