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
class _FontUse:
    """What a page did to one font's shared tables: read widths, set widths, mapped glyphs."""

    read: dict[Any, Any]  # glyph → the width the page read before setting it
    set: dict[Any, Any]  # glyph → the width the page set (unset when it drew)
    texts: dict[Any, Any]  # glyph → its text, first seen first: to_unicode's order


@dataclass(frozen=True)
class DrawnPage:
    """A page's drawing, condensed: the calls it made once each, its uses of each font
    (by the add_font call that returned it) and its operators."""

    page_box: Any  # held, so the id in the key stays this box's
    children: tuple[int, ...]
    scale: float
    calls: tuple[tuple[str, tuple[Any, ...], dict[str, Any], int], ...]  # name, args, kwargs, font
    fonts: tuple[_FontUse, ...]
    operators: tuple[Any, ...]


def _condensed(events: list[tuple[Any, ...]]) -> tuple[tuple[Any, ...], tuple[_FontUse, ...]] | None:
    """The recorded events as one call per distinct call and one `_FontUse` per font, or
    None when the page set a width it had read (it could not be replayed as recorded).

    Replaying the condensed form does what replaying every event in order does: a
    repeated add_font with the same arguments returns the font the first returned and
    registers nothing; to_unicode takes a glyph's first text; a width read after the page
    set it is the width it set."""
    calls: list[tuple[str, tuple[Any, ...], dict[str, Any], int]] = []
    uses: list[_FontUse] = []
    use_of: dict[int, int] = {}
    seen: set[Any] = set()
    use: _FontUse | None = None
    for event in events:
        kind = event[0]
        if kind == "call":
            _, name, args, kwargs, result = event
            number = -1
            if name == "add_font":
                number = use_of.setdefault(id(result[0]), len(uses))
                if number == len(uses):
                    uses.append(_FontUse({}, {}, {}))
                use = uses[number]
                try:
                    key = (args, tuple(sorted(kwargs.items())))
                    if key in seen:
                        continue
                    seen.add(key)
                except TypeError:  # unhashable arguments: keep every call
                    pass
            calls.append((name, args, kwargs, number))
        elif kind == "glyph":
            assert use is not None
            use.texts.setdefault(event[1], event[2])
        elif kind == "read":
            assert use is not None
            if event[1] not in use.set:
                use.read.setdefault(event[1], event[2])
        else:  # "set"
            assert use is not None
            if event[1] in use.read or event[1] in use.set:
                return None
            use.set[event[1]] = event[2]
    return tuple(calls), tuple(uses)


def _replay(drawn: DrawnPage, stream: Any) -> bool:
    """Replay the page into `stream` if every width it read is the font's and every width
    it set is unset; else leave the shared tables as they were and return False."""
    start = len(stream.stream)
    fonts: list[Any] = [None] * len(drawn.fonts)
    for name, args, kwargs, number in drawn.calls:
        if name == "add_font":  # drawing would register the font too
            fonts[number] = stream.add_font(*args, **kwargs)[0]
    if len({id(font) for font in fonts}) != len(fonts):
        return False
    for font, use in zip(fonts, drawn.fonts, strict=True):
        widths = font.widths
        if not (use.read.items() <= widths.items() and use.set.keys().isdisjoint(widths.keys())):
            return False
    for name, args, kwargs, _ in drawn.calls:
        if name != "add_font":
            getattr(stream, name)(*args, **kwargs)
    for font, use in zip(fonts, drawn.fonts, strict=True):
        dict.update(font.widths, use.set)
        known = font.to_unicode.keys()
        dict.update(font.to_unicode, {glyph: text for glyph, text in use.texts.items() if glyph not in known})
    del stream.stream[start:]  # what the calls wrote is part of the recorded operators
    stream.stream.extend(drawn.operators)
    return True


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
            if recording is not None and name in NOT_REPLAYED:
                recording.replayable = False
            result = method(stream, *args, **kwargs)
            if recording is not None and name not in NOT_REPLAYED:
                recording.events.append(("call", name, args, kwargs, result))
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
        if same and _replay(drawn, stream):
            return
        recording = _Active.recording = _Recording()
        start = len(stream.stream)
        try:
            original_paint(page, stream, scale)
        finally:
            _Active.recording = None
        condensed = _condensed(recording.events) if recording.replayable else None
        if condensed is not None:
            operators = tuple(stream.stream[start:])
            memory.put(key, DrawnPage(box, children, scale, *condensed, operators))

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
