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

A page that is drawn again (laid out again because an edit above it moved it) is mostly
lines carried from the last render (lines.py): text boxes holding the same Pango layout,
shaped and justified once, only moved. Drawing such a text box again would shape it again
(`Layout.reactivate`) to write the same glyphs. So each text box drawn is recorded too,
under its layout: the same condensed calls and font uses, the operators, and the stream's
state before and after (WeasyPrint's Stream skips a colour, alpha or font already set and
joins a text object to the one just ended, so what a text box writes depends on that
state). A text box with the same layout, text and drawn style values, drawn from the same
stream state, is replayed: the operators with its own text matrix (its position is the
only place the position enters, for a text box with no decoration and no emoji), the
shared tables updated as drawing would, the same state left behind.
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
    texts: list[tuple[Any, Any]] = field(default_factory=list)  # the text boxes' memo entries


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
    texts: tuple[tuple[Any, Any], ...]  # its text boxes' entries, kept while the page is


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


def _fonts_for(calls: tuple[Any, ...], uses: tuple[_FontUse, ...], stream: Any) -> list[Any] | None:
    """The fonts a recorded drawing used, registered in `stream` as drawing registers them
    (in the same order), if every width it read is still the font's and every width it
    set is still unset; else None."""
    outer, _Active.recording = _Active.recording, None  # a page being recorded is told apart
    try:
        fonts: list[Any] = [None] * len(uses)
        for name, args, kwargs, number in calls:
            if name == "add_font":
                fonts[number] = stream.add_font(*args, **kwargs)[0]
    finally:
        _Active.recording = outer
    if len({id(font) for font in fonts}) != len(fonts):
        return None
    for font, use in zip(fonts, uses, strict=True):
        widths = font.widths
        if not (use.read.items() <= widths.items() and use.set.keys().isdisjoint(widths.keys())):
            return None
    return fonts


def _fill_tables(fonts: list[Any], uses: tuple[_FontUse, ...]) -> None:
    """The widths set and the glyph texts, as drawing leaves them (a glyph's first text)."""
    for font, use in zip(fonts, uses, strict=True):
        dict.update(font.widths, use.set)
        known = font.to_unicode.keys()
        dict.update(font.to_unicode, {glyph: text for glyph, text in use.texts.items() if glyph not in known})


def _replay(drawn: DrawnPage, stream: Any) -> bool:
    """Replay the page into `stream` if its widths still hold (`_fonts_for`); else leave
    the shared tables as they were and return False."""
    fonts = _fonts_for(drawn.calls, drawn.fonts, stream)
    if fonts is None:
        return False
    start = len(stream.stream)
    for name, args, kwargs, _ in drawn.calls:
        if name != "add_font":
            getattr(stream, name)(*args, **kwargs)
    _fill_tables(fonts, drawn.fonts)
    del stream.stream[start:]  # what the calls wrote is part of the recorded operators
    stream.stream.extend(drawn.operators)
    return True


_STATE = ("_current_color", "_current_color_stroke", "_current_alpha", "_current_alpha_stroke",
          "_current_font", "_current_font_size", "_old_font", "_old_font_size")


def _state(stream: Any) -> tuple[Any, ...]:
    """What a text box's operators depend on in the stream: what is set, and whether the
    last operator ends a text object (begin_text then takes it back instead of writing BT)."""
    ends_text = bool(stream.stream) and stream.stream[-1] == b"ET"
    return (*(getattr(stream, name) for name in _STATE), ends_text)


def _drawn_style(textbox: Any) -> tuple[Any, ...] | None:
    """The style values draw_text reads itself, or None when its operators would depend on
    the position in more than the text matrix (decorations) or nothing is drawn."""
    style = textbox.style
    lines = style["text_decoration_line"]
    if (lines != "none" and lines) or style["visibility"] != "visible":
        return None
    return (style["color"], style["font_size"], style["visibility"])


@dataclass(frozen=True)
class DrawnText:
    """A text box's drawing, condensed, with the stream's state before and after."""

    layout: Any  # held, so the id in the key stays this layout's
    text: str
    style: tuple[Any, ...]
    ellipsis: tuple[Any, Any]
    state_in: tuple[Any, ...]
    state_out: tuple[Any, ...]
    joined: bool  # began by taking back the ET before it
    calls: tuple[tuple[str, tuple[Any, ...], dict[str, Any], int], ...]
    fonts: tuple[_FontUse, ...]
    before: tuple[Any, ...]  # operators up to the text matrix
    after: tuple[Any, ...] | None  # operators after it; None: no text matrix was written


def _text_matrix(x: float, y: float) -> tuple[Any, ...]:
    from weasyprint.matrix import Matrix

    return tuple(Matrix(d=-1, e=x, f=y).values)  # as draw_text passes it to draw_first_line


def _matrix_operator(x: float, y: float) -> bytes:
    import pydyf

    scratch = pydyf.Stream()
    scratch.set_text_matrix(*_text_matrix(x, y))
    return scratch.stream[-1]


def _split_at_matrix(operators: list[Any], x: float, y: float
                     ) -> tuple[tuple[Any, ...], tuple[Any, ...] | None]:
    matrix = _matrix_operator(x, y)
    for index, operator in enumerate(operators):
        if operator == matrix:
            return tuple(operators[:index]), tuple(operators[index + 1:])
    return tuple(operators), None


def _replay_text(drawn: DrawnText, fonts: list[Any], textbox: Any, stream: Any) -> None:
    """Write a recorded text box at `textbox`'s place, as drawing it would (`_fonts_for`
    has registered its fonts), and tell the page being recorded what drawing would have."""
    outer = _Active.recording
    start = len(stream.stream)
    logged: set[int] = set()
    for name, args, kwargs, number in drawn.calls:
        if name != "add_font":
            getattr(stream, name)(*args, **kwargs)  # logged by `recorded`
        elif outer is not None:  # the page's log gets what drawing would have logged
            outer.events.append(("call", name, args, kwargs, (fonts[number], None)))
            if number not in logged:
                logged.add(number)
                use = drawn.fonts[number]
                outer.events.extend(("read", glyph, width) for glyph, width in use.read.items())
                outer.events.extend(("set", glyph, width) for glyph, width in use.set.items())
                outer.events.extend(("glyph", glyph, text) for glyph, text in use.texts.items())
    _fill_tables(fonts, drawn.fonts)
    del stream.stream[start:]  # what the calls wrote is part of the recorded operators
    if drawn.joined:
        stream.stream.pop()
    stream.stream.extend(drawn.before)
    if drawn.after is not None:
        x, y = textbox.position_x, textbox.position_y + textbox.baseline
        stream.set_text_matrix(*_text_matrix(x, y))
        stream.stream.extend(drawn.after)
    for name, value in zip(_STATE, drawn.state_out, strict=False):
        setattr(stream, name, value)


def _keep_with_page(key: Any, drawn: DrawnText) -> None:
    """The page being recorded keeps the text box's record alive while it is replayed whole."""
    if _Active.recording is not None:
        _Active.recording.texts.append((key, drawn))


@contextmanager
def drawing_once(memory: StreamMemory) -> Iterator[None]:
    """Replay pages drawn in the last write from the same boxes; restores what it patches."""
    from weasyprint import draw
    from weasyprint.document import Page
    from weasyprint.pdf.fonts import Font
    from weasyprint.pdf.stream import Stream

    originals = {name: getattr(Stream, name) for name in (*REPLAYED, *NOT_REPLAYED)}
    original_paint, original_unused = Page.paint, Font.get_unused_glyph_id
    original_draw_text = draw.draw_text

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
            for text_key, text in drawn.texts:  # a later edit may move this page
                memory.put(text_key, text)
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
            memory.put(key, DrawnPage(box, children, scale, *condensed, operators,
                                      tuple(recording.texts)))

    def draw_text(stream: Any, textbox: Any, offset_x: float, text_overflow: str,
                  block_ellipsis: str = "none") -> None:
        layout = getattr(textbox, "pango_layout", None)
        style = _drawn_style(textbox) if layout is not None else None
        if style is None or text_overflow == "ellipsis" or block_ellipsis != "none":
            original_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
            return
        key = ("text", id(layout))
        state_in = _state(stream)
        ellipsis = (text_overflow, block_ellipsis)
        drawn = memory.get(key)
        if (drawn is not None and drawn.layout is layout and drawn.text == textbox.text
                and drawn.style == style and drawn.ellipsis == ellipsis
                and drawn.state_in == state_in):
            fonts = _fonts_for(drawn.calls, drawn.fonts, stream)
            if fonts is not None:
                memory.texts_replayed += 1
                _replay_text(drawn, fonts, textbox, stream)
                _keep_with_page(key, drawn)
                return
        memory.texts_drawn += 1
        outer = _Active.recording
        recording = _Active.recording = _Recording()
        start, last = len(stream.stream), stream.stream[-1] if stream.stream else None
        try:
            original_draw_text(stream, textbox, offset_x, text_overflow, block_ellipsis)
        finally:
            _Active.recording = outer
        if outer is not None:
            outer.events.extend(recording.events)
            outer.replayable = outer.replayable and recording.replayable
        joined = start > 0 and (len(stream.stream) < start or stream.stream[start - 1] is not last)
        condensed = _condensed(recording.events) if recording.replayable else None
        if condensed is None or any(call[0] not in ("add_font", "set_alpha") for call in condensed[0]):
            return  # a picture (an emoji) is drawn at the text's position
        operators = stream.stream[start - 1 if joined else start:]
        before, after = _split_at_matrix(
            operators, textbox.position_x, textbox.position_y + textbox.baseline)
        drawn = DrawnText(layout, textbox.text, style, ellipsis, state_in, _state(stream), joined,
                          *condensed, before, after)
        memory.put(key, drawn)
        _keep_with_page(key, drawn)

    for name in originals:
        setattr(Stream, name, recorded(name))
    Page.paint = paint  # type: ignore[method-assign]
    Font.get_unused_glyph_id = unused_glyph_id  # type: ignore[method-assign]
    draw.draw_text = draw_text
    try:
        yield
    finally:
        for name, method in originals.items():
            setattr(Stream, name, method)
        Page.paint = original_paint  # type: ignore[method-assign]
        Font.get_unused_glyph_id = original_unused  # type: ignore[method-assign]
        draw.draw_text = original_draw_text
        _Active.recording = None
