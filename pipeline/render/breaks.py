"""Strings that must not break where Pango would, or must break where it would not.

Print practice (typography reference, "Long Latin strings" and "Numbers"):

* A URL, an e-mail address or a file name breaks only after `/ . ? & = _ -`,
  never inside the scheme (`https://`), and no hyphen is added. Pango's UAX #14
  rules already break after `/` and `-` (and never inside `://`) but not after
  `.`, `?`, `&`, `=`, `_`: a zero-width space after those marks the missing
  opportunities (it is not extracted with the text, see cjk_text). A bare URL or
  e-mail address in text becomes a link, so the whole string stays one working
  link however it breaks.
* A number and its unit (20 ℃, 1.5 m³/h, 0.01 mg/kg, 1 200 ppm, 514件), and a standard
  number (GB/T 9704-2012, GB 4706.1—2005) do not split across lines: they are
  set `white-space: nowrap` (`.nobr` in briefing.css); the characters are not
  changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ZERO_WIDTH_SPACE = "\u200b"
# Marks after which a long Latin string may break (besides / and -, which Pango breaks).
ADDED_BREAK_AFTER = frozenset(".?&=_")
BREAK_AFTER = frozenset("/.?&=_-")

_URL_CHARS = r"A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%"
URL = re.compile(rf"(?:https?://|www\.)[{_URL_CHARS}]+[A-Za-z0-9/#=&_\-]")
EMAIL = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+\-]*@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
FILE_NAME = re.compile(
    r"(?<![A-Za-z0-9_.\-])[A-Za-z0-9][A-Za-z0-9_\-]*(?:\.[A-Za-z0-9_\-]+)*"
    r"\.(?:pdf|docx?|xlsx?|pptx?|zip|rar|7z|txt|csv|json|xml|html?|png|jpe?g|ofd|wps)(?![A-Za-z0-9])",
    re.IGNORECASE,
)
STANDARD_NUMBER = re.compile(
    r"(?:GB|GB/T|GB/Z|JJF|JJG|ISO(?:/IEC)?|IEC|YY|DB\d{2}(?:/T)?|T/[A-Z]+)"
    r"\s?\d+(?:\.\d+)*(?:\s?[-—–]\s?\d{2,4})?(?![0-9])"
)
_LATIN_UNITS = (
    "μg/kg|mg/kg|mg/L|μg/L|g/kg|m³/h|m³/s|km/h|m/s|kW·h|kWh|"
    "km²|m²|cm²|mm²|m³|cm³|km|cm|mm|μm|nm|m|kg|mg|μg|g|t|mL|L|"
    "min|ms|h|s|dB|kHz|MHz|GHz|Hz|kW|MW|GW|W|kV|mV|V|mA|A|kPa|MPa|Pa|mol|ppm|ppb|"
    "°C|℃|℉|°|%|‰"
)
# Chinese measure words written after a number (514件, 5100亿元, 30篇).
_CHINESE_UNITS = "件个项人名次家篇所台套种类批吨米元万亿倍岁户辆座期份条款部册台"
NUMBER_UNIT = re.compile(
    rf"(?<![A-Za-z0-9.])[±+\-−]?\d+(?:[.,]\d+)*(?:[ \u2009]\d{{3}}(?!\d))*"
    rf"(?:\s?[×xX]\s?\d+(?:[.,]\d+)*)?"
    rf"(?:\s?(?:{_LATIN_UNITS})(?![A-Za-z])|[{_CHINESE_UNITS}](?:[万亿千百]?[元人次])?)"
)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str  # "link" (URL, e-mail: gets breaks and a link), "breakable", "nobr"
    href: str | None = None


def with_breaks(text: str) -> str:
    """A long Latin string with a zero-width space after each added break opportunity.

    Never inside the scheme (`https://`), and never at the very end.
    """
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.\-]*://", text)
    start = scheme.end() if scheme else 0
    out = [text[:start]]
    for index in range(start, len(text)):
        character = text[index]
        out.append(character)
        if character in ADDED_BREAK_AFTER and index + 1 < len(text) and text[index + 1] not in BREAK_AFTER:
            out.append(ZERO_WIDTH_SPACE)
    return "".join(out)


def special_spans(text: str) -> list[Span]:
    """Non-overlapping spans of `text` that need breaks added or forbidden, in order."""
    found: list[Span] = []
    taken = [False] * len(text)

    def claim(match: re.Match[str], kind: str, href: str | None = None) -> None:
        start, end = match.span()
        if any(taken[start:end]):
            return
        taken[start:end] = [True] * (end - start)
        found.append(Span(start, end, kind, href))

    for match in URL.finditer(text):
        url = match.group()
        claim(match, "link", url if "://" in url else f"http://{url}")
    for match in EMAIL.finditer(text):
        claim(match, "link", f"mailto:{match.group()}")
    for match in FILE_NAME.finditer(text):
        claim(match, "breakable")
    for match in STANDARD_NUMBER.finditer(text):
        claim(match, "nobr")
    for match in NUMBER_UNIT.finditer(text):
        claim(match, "nobr")
    return sorted(found, key=lambda span: span.start)
