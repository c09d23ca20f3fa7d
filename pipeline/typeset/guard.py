"""The WeasyPrint and Pango the typesetter's patches were written for, checked before use.

`justify.py` replaces one internal WeasyPrint function and relies on Pango's line
breaking around curly quotes (`render/cjk_text.py`). Both are internals that move
between releases, so before a render `check_weasyprint()` refuses any version or
function shape other than the one the patch was written and tested against, and
probes Pango's break rules directly.
"""

from __future__ import annotations

import inspect

from ..cjk import ZERO_WIDTH_SPACE

SUPPORTED_WEASYPRINT = "70.0"


class UnsupportedWeasyPrint(RuntimeError):
    """The installed WeasyPrint is not the one the justification patch was written for."""


def check_weasyprint() -> None:
    """Fail loudly unless WeasyPrint's line justification looks exactly as expected."""
    import weasyprint
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    problems = []
    if weasyprint.__version__ != SUPPORTED_WEASYPRINT:
        problems.append(
            f"WeasyPrint {weasyprint.__version__} is installed, the justification "
            f"extension supports {SUPPORTED_WEASYPRINT} only"
        )
    justify = getattr(inline, "justify_line", None)
    if justify is None or list(inspect.signature(justify).parameters) != [
        "context", "line", "extra_width"
    ]:
        problems.append("weasyprint.layout.inline.justify_line(context, line, extra_width) changed")
    text_align = getattr(inline, "text_align", None)
    if text_align is None or "justify_line(context, line, offset)" not in inspect.getsource(
        text_align
    ):
        problems.append("weasyprint.layout.inline.text_align no longer calls justify_line")
    layout = getattr(line_break, "Layout", None)
    if layout is None or list(inspect.signature(layout.set_text).parameters) != [
        "self", "text", "justify"
    ]:
        problems.append("weasyprint.text.line_break.Layout.set_text(text, justify) changed")
    for name in ("create_layout", "line_size"):
        if not callable(getattr(line_break, name, None)):
            problems.append(f"weasyprint.text.line_break.{name} is missing")
    problems += _line_break_problems()
    if problems:
        raise UnsupportedWeasyPrint(
            "Chinese justification cannot be installed: "
            + "; ".join(problems)
            + ". Pin weasyprint==70.0 (pyproject.toml) or port pipeline/typeset/justify.py."
        )


def _line_break_problems() -> list[str]:
    """Probe Pango's line breaking around curly quotes, which cjk_text.py relies on.

    Pango 1.50 (UAX #14 before Unicode 15.1) never breaks next to “ ” ‘ ’, and
    breaks after a zero-width space: cjk_text.py adds the breaks clreq allows and
    nothing else is needed. Newer rules (LB19a) allow a break after “ between
    Han characters, which would put “ at a line end; refuse rather than print it.
    """
    from weasyprint.text.line_break import get_log_attrs

    probe = f"中“质量”{ZERO_WIDTH_SPACE}中"
    attrs = get_log_attrs(probe, "zh-CN")
    breaks = {index for index in range(len(probe) + 1) if attrs[index].is_line_break}
    problems = []
    if breaks & {2, 4}:  # after “ or before ”
        problems.append(f"Pango breaks lines next to curly quotes differently ({sorted(breaks)})")
    if 6 not in breaks:
        problems.append("Pango ignores zero-width spaces as break opportunities")
    return problems
