"""Chinese character classes: one definition for the renderer, the check and the importer.

clreq (W3C "Requirements for Chinese Text Layout") names the classes: closing
marks never start a line, opening marks never end one; GB/T 15834 lists the
marks themselves. Han characters are every CJK Unified Ideographs block,
extensions B and beyond included (𠀀 U+20000, 𪚥 U+2A6A5), and the compatibility
ideographs. The contents numbers ①②③ are the circled digits Unicode encodes.
"""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"  # a break opportunity Pango honours, drawn as nothing
OPENING = "（《「『“‘【〔〈"
CLOSING = "，。、；：？！）》」』”’】〕〉"
# 避头尾: marks that never start a line, and marks that never end one.
NO_LINE_START = CLOSING + "…‥·"
NO_LINE_END = OPENING
# ASCII brackets: in Chinese text they obey the same rule as the full-width ones.
LATIN_CLOSING = ")]}"
LATIN_OPENING = "([{"
OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"

HAN = (
    r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    r"\U00020000-\U0002a6df\U0002a700-\U0002ebef\U0002f800-\U0002fa1f\U00030000-\U000323af"
)
HAN_CHARACTER = re.compile(rf"[{HAN}]")
# The same for the `regex` module, by Unicode script: every Han character in any
# block, including those a later Unicode version adds (the importer and lint use it).
HAN_SCRIPT = r"\p{Han}"

# ①…⑳ (U+2460), ㉑…㉟ (U+3251), ㊱…㊿ (U+32B1): the circled numbers Unicode encodes.
CIRCLED_NUMBERS = (
    "".join(chr(0x2460 + n) for n in range(20))
    + "".join(chr(0x3251 + n) for n in range(15))
    + "".join(chr(0x32B1 + n) for n in range(15))
)


def circled_number(number: int) -> str:
    """①…㊿ for 1…50; plain (51) beyond what Unicode encodes."""
    if 1 <= number <= len(CIRCLED_NUMBERS):
        return CIRCLED_NUMBERS[number - 1]
    return f"({number})"
