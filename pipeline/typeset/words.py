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

An edition has a few dozen titles and a build cuts only the long ones, so the cuts
themselves are kept too, in `words/cuts-<key>.marshal` beside the dictionary's file:
a build whose titles were all cut before neither imports jieba nor loads the 14 MB
dictionary. The key is the dictionary file's and jieba's own file's path, size and
mtime (found without importing jieba) and `MIN_FREQUENCY`, so another jieba or another
dictionary starts a new file; at most `MAX_KEPT_CUTS` titles are kept, the oldest
dropped first. A file that cannot be read counts as empty; one that cannot be written
is made again next time.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import logging
import marshal
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from ..atomic_files import read_kept_dict, write_atomically
from ..house import cache_dir

MIN_FREQUENCY = 10
MAX_KEPT_CUTS = 5000


def _jieba_file() -> Path:
    """jieba's `__init__.py`, found without running it (importing jieba costs 20 ms and more)."""
    loaded = sys.modules.get("jieba")
    if loaded is not None and loaded.__file__:
        return Path(loaded.__file__)
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("jieba")
    return Path(spec.origin)


def _dictionary_path() -> Path:
    return _jieba_file().with_name("dict.txt")


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{path}:{stat.st_size}:{stat.st_mtime_ns}"


def _cache_path(dictionary: Path) -> Path:
    key = hashlib.sha256(f"{_stamp(dictionary)}:{MIN_FREQUENCY}".encode())
    return cache_dir() / "words" / f"words-{key.hexdigest()[:16]}.marshal"


def _cuts_path(dictionary: Path) -> Path:
    key = hashlib.sha256(f"{_stamp(dictionary)}:{_stamp(_jieba_file())}:{MIN_FREQUENCY}".encode())
    return cache_dir() / "words" / f"cuts-{key.hexdigest()[:16]}.marshal"


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


# The kept cuts of this process, by their file: title → its words.
_kept_cuts: dict[Path, dict[str, tuple[str, ...]]] = {}


def _read_cuts(path: Path) -> dict[str, tuple[str, ...]]:
    kept = read_kept_dict(path)
    return {
        text: cut for text, cut in kept.items()
        if isinstance(text, str) and isinstance(cut, tuple) and "".join(cut) == text
    }


def words(text: str) -> list[str]:
    """`text` cut into words (no HMM guessing, so the same text always cuts the same way)."""
    path = _cuts_path(_dictionary_path())
    kept = _kept_cuts.get(path)
    if kept is None:
        kept = _kept_cuts[path] = _read_cuts(path)
    cut = kept.get(text)
    if cut is None:
        cut = kept[text] = tuple(_tokenizer().cut(text, HMM=False))
        for oldest in list(kept)[: max(0, len(kept) - MAX_KEPT_CUTS)]:
            del kept[oldest]
        with contextlib.suppress(OSError):  # a read-only cache: cut again next time
            write_atomically(path, marshal.dumps(kept))
    return list(cut)


def word_boundaries(text: str) -> set[int]:
    """Offsets in `text` between two words (0 and len(text) excluded)."""
    offsets = set()
    position = 0
    for word in words(text):
        position += len(word)
        offsets.add(position)
    offsets.discard(len(text))
    return offsets
