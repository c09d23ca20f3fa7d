"""Drawn pages reused between writes: a page kept from the last render is not drawn again.

A page that relayout.py kept, with the margin boxes it had, is the same boxes as last
time, so it draws the same content stream. WeasyPrint draws a page into its own Stream
(`Page.paint`): operators, plus entries in what the whole PDF shares: the fonts
(`Stream.add_font`), each glyph's width (`Font.widths`) and the text it stands for
(`Font.to_unicode`) — for both, the first page to draw a glyph decides — pictures
(`add_image`) and transparency states (`set_alpha`, `set_blend_mode`).
`drawing_once()` records these for every page it draws; for a page drawn before from
the same boxes it replays them in the same order, then appends the recorded operators,
instead of drawing: the same entries in the same order, so the same PDF as a cold write.
To know every glyph's text whoever draws it first, the recording answers "not yet
mapped" to draw_first_line's lookup and keeps the first text. A glyph's width, though,
goes into the operators (kerning): a page is replayed only if every width it read is
still the one in the font, and every width it set is still unset; otherwise it is drawn.
Pages that use groups, patterns or shadings, or draw a missing glyph (its warning feeds
the check), are drawn every time.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .streams import StreamMemory

REPLAYED = ("add_font", "add_image", "set_alpha", "set_blend_mode")
NOT_REPLAYED = ("add_group", "add_pattern", "add_shading", "set_alpha_state", "clone")


@dataclass
class _Recording:
    events: list[tuple[Any, ...]] = field(default_factory=list)
    replayable: bool = True


class _Active:
    recording: _Recording | None = None


class GlyphTexts(dict):  # type: ignore[type-arg]
    """`Font.to_unicode` that, while a page is recorded, logs every glyph's text."""

    def __contains__(self, glyph: object) -> bool:
        if _Active.recording is not None:
            return False  # so draw_first_line works out the text of every glyph it draws
        return dict.__contains__(self, glyph)

    def __setitem__(self, glyph: Any, text: Any) -> None:
        recording = _Active.recording
        if recording is not None:
            recording.events.append(("glyph", glyph, text))
            if dict.__contains__(self, glyph):
                return  # an earlier page drew it first
        dict.__setitem__(self, glyph, text)


class GlyphWidths(dict):  # type: ignore[type-arg]
    """`Font.widths` that, while a page is recorded, logs each width read or set."""

    def __getitem__(self, glyph: Any) -> Any:
        width = dict.__getitem__(self, glyph)
        if _Active.recording is not None:
            _Active.recording.events.append(("read", glyph, width))
        return width

    def __setitem__(self, glyph: Any, width: Any) -> None:
        if _Active.recording is not None:
            _Active.recording.events.append(("set", glyph, width))
        dict.__setitem__(self, glyph, width)


@dataclass(frozen=True)
class DrawnPage:
    page_box: Any  # held, so the id in the key stays this box's
    children: tuple[int, ...]
    scale: float
    events: tuple[tuple[Any, ...], ...]
    operators: tuple[Any, ...]


def _replayable(drawn: DrawnPage, stream: Any) -> bool:
    """True if the widths the page read are the font's and those it set are unset."""
    font = None
    pending: dict[tuple[int, Any], Any] = {}
    for event in drawn.events:
        if event[0] == "call" and event[1] == "add_font":
            font = stream.add_font(*event[2], **event[3])[0]  # drawing would register it too
        elif event[0] in ("read", "set"):
            assert font is not None
            key = (id(font), event[1])
            known = pending.get(key, dict.get(font.widths, event[1]))
            if event[0] == "read" and known != event[2]:
                return False
            if event[0] == "set":
                if known is not None:
                    return False
                pending[key] = event[2]
    return True


def _replay(drawn: DrawnPage, stream: Any) -> None:
    start = len(stream.stream)
    font = None
    for event in drawn.events:
        kind = event[0]
        if kind == "call":
            _, name, args, kwargs = event
            result = getattr(stream, name)(*args, **kwargs)
            if name == "add_font":
                font = result[0]
        elif kind == "glyph":
            assert font is not None
            dict.setdefault(font.to_unicode, event[1], event[2])
        elif kind == "set":
            assert font is not None
            dict.__setitem__(font.widths, event[1], event[2])
    del stream.stream[start:]  # what the calls wrote is part of the recorded operators
    stream.stream.extend(drawn.operators)


@contextmanager
def drawing_once(memory: StreamMemory) -> Iterator[None]:
    """Replay pages drawn in the last write from the same boxes; restores what it patches."""
    from weasyprint.document import Page
    from weasyprint.pdf.fonts import Font
    from weasyprint.pdf.stream import Stream

    originals = {name: getattr(Stream, name) for name in (*REPLAYED, *NOT_REPLAYED)}
    original_paint, original_unused = Page.paint, Font.get_unused_glyph_id

    def recorded(name: str) -> Any:
        method = originals[name]

        def call(stream: Any, *args: Any, **kwargs: Any) -> Any:
            recording = _Active.recording
            if recording is not None:
                if name in NOT_REPLAYED:
                    recording.replayable = False
                else:
                    recording.events.append(("call", name, args, kwargs))
            result = method(stream, *args, **kwargs)
            if name == "add_font" and type(result[0].to_unicode) is dict:
                result[0].to_unicode = GlyphTexts(result[0].to_unicode)
                result[0].widths = GlyphWidths(result[0].widths)
            return result

        return call

    def unused_glyph_id(font: Any, codepoint: int) -> Any:
        if _Active.recording is not None:
            _Active.recording.replayable = False
        return original_unused(font, codepoint)

    def paint(page: Any, stream: Any, scale: float = 1) -> None:
        box = page._page_box
        children = tuple(id(child) for child in box.children)
        key = ("drawn", id(box))
        drawn = memory.get(key)
        same = drawn is not None and drawn.page_box is box and (drawn.children, drawn.scale) == (
            children, scale)
        if same and _replayable(drawn, stream):
            _replay(drawn, stream)
            return
        recording = _Active.recording = _Recording()
        start = len(stream.stream)
        try:
            original_paint(page, stream, scale)
        finally:
            _Active.recording = None
        if recording.replayable:
            operators = tuple(stream.stream[start:])
            memory.put(key, DrawnPage(box, children, scale, tuple(recording.events), operators))

    for name in originals:
        setattr(Stream, name, recorded(name))
    Page.paint = paint  # type: ignore[method-assign]
    Font.get_unused_glyph_id = unused_glyph_id  # type: ignore[method-assign]
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(Stream, name, method)
        Page.paint = original_paint  # type: ignore[method-assign]
        Font.get_unused_glyph_id = original_unused  # type: ignore[method-assign]
        _Active.recording = None
