"""Image streams, font subsets and compressed streams reused between builds (PDF writing).

Writing a PDF re-encodes every PNG picture (Pillow, zlib), re-subsets every font
(HarfBuzz) and deflates every stream at zlib level 9 (pydyf) on each build, though a
watcher's rebuild mostly draws the same pictures with the same glyphs on mostly the same
pages. All three are pure functions of their inputs, so `reusing_streams()` memoizes
them for one write: a picture's stream by the image object (the typesetter's image cache
keeps it while its file is unchanged) and its interpolation, at full resolution only; a
font subset by the font, the glyphs used and the subsetting flags; a deflated stream by
a digest of its bytes. A hit hands WeasyPrint fresh pydyf objects holding the same data,
so the bytes are those of a cold write. Entries the last three writes did not use are
dropped; the memory is cleared when fonts change. The deflate memo replaces pydyf 0.13.0's
`Stream.data` and is left out for any other pydyf.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

SUPPORTED_PYDYF = "0.13.0"


# Writes an entry outlives unused: an undo, or text put back as it was two saves ago (a
# paragraph added, taken out, added again), finds the subsets and deflated pages it had.
GENERATIONS = 3


@dataclass
class StreamMemory:
    """What the last writes produced, kept by the typesetter between builds."""

    # This write's entries, then those of the writes before it (newest first), each
    # entry in the newest generation that used it.
    _generations: list[dict[Any, Any]] = field(default_factory=lambda: [{}])
    hits: int = 0
    # Text boxes of pages drawn in the last write: drawn, and replayed (drawn.py).
    texts_drawn: int = 0
    texts_replayed: int = 0

    def start_write(self) -> None:
        if self._generations[0]:
            self._generations = [{}, *self._generations[:GENERATIONS - 1]]
        self.hits = self.texts_drawn = self.texts_replayed = 0

    def get(self, key: Any) -> Any:
        current = self._generations[0]
        value = current.get(key)
        if value is None:
            for older in self._generations[1:]:
                value = older.pop(key, None)
                if value is not None:
                    current[key] = value
                    break
        if value is not None:
            self.hits += 1
        return value

    def put(self, key: Any, value: Any) -> None:
        self._generations[0][key] = value

    def clear(self) -> None:
        self._generations = [{}]


def _fresh_stream(stream: Any) -> Any:
    """A new pydyf Stream with the same data: the writer replaces parts of `extra`."""
    import pydyf

    extra = pydyf.Dictionary(stream.extra)
    if isinstance(extra.get("SMask"), pydyf.Stream):
        extra["SMask"] = _fresh_stream(extra["SMask"])
    if isinstance(extra.get("DecodeParms"), dict):
        extra["DecodeParms"] = pydyf.Dictionary(extra["DecodeParms"])
    return pydyf.Stream(list(stream.stream), extra, compress=stream.compress)


@contextmanager
def reusing_streams(memory: StreamMemory) -> Iterator[None]:
    """Memoize picture streams and font subsets for one `write_pdf()`; restores both."""
    import pydyf
    from weasyprint.images import RasterImage
    from weasyprint.pdf.fonts import Font

    original_x_object = RasterImage.get_x_object
    original_subset = Font._harfbuzz_subset

    def get_x_object(image: Any, interpolate: bool, dpi_ratio: float) -> Any:
        if dpi_ratio != 1:  # a thumbnail rewrites the image's data: never memoized
            return original_x_object(image, interpolate, dpi_ratio)
        key = ("image", image, bool(interpolate))
        stream = memory.get(key)
        if stream is None:
            stream = original_x_object(image, interpolate, dpi_ratio)
            memory.put(key, stream)
        return _fresh_stream(stream)

    def harfbuzz_subset(font: Any, to_unicode: Any, hinting: bool) -> None:
        key = ("font", font.hash, font.index, len(font.file_content),
               tuple(sorted(to_unicode)), bool(hinting), bool(font.missing))
        subset = memory.get(key)
        if subset is not None:
            font.file_content = subset
            return
        before = font.file_content
        original_subset(font, to_unicode, hinting)
        if font.file_content is not before:
            memory.put(key, font.file_content)

    memory.start_write()
    RasterImage.get_x_object = get_x_object  # type: ignore[method-assign]
    Font._harfbuzz_subset = harfbuzz_subset  # type: ignore[method-assign]
    original_data = pydyf.Stream.__dict__["data"]
    if pydyf.__version__ == SUPPORTED_PYDYF:
        pydyf.Stream.data = property(lambda stream: _stream_data(stream, memory))
    try:
        yield
    finally:
        RasterImage.get_x_object = original_x_object  # type: ignore[method-assign]
        Font._harfbuzz_subset = original_subset  # type: ignore[method-assign]
        pydyf.Stream.data = original_data


def _stream_data(stream: Any, memory: StreamMemory) -> bytes:
    """pydyf 0.13.0's `Stream.data`, with the deflated bytes memoized by content."""
    import pydyf

    data = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    if stream.compress:
        extra["Filter"] = "/FlateDecode"
        key = ("deflate", len(data), hashlib.blake2b(data, digest_size=20).digest())
        deflated = memory.get(key)
        if deflated is None:
            compressor = zlib.compressobj(level=9)
            deflated = compressor.compress(data) + compressor.flush()
            memory.put(key, deflated)
        data = deflated
    extra["Length"] = len(data)
    return b"\n".join((extra.data, b"stream", data, b"endstream"))
