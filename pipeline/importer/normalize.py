"""Text normalisation rules shared by `briefing import` (applied) and `briefing lint` (checked).

Each rule finds edits in one line without touching URLs, link targets, numbers
like 3.1, times like 19:59 or English sentences; every edit is reported with
its line and column so an editor can see what changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..cjk import HAN

CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕…—·「」『』％"
_HAN_CHAR = re.compile(f"[{HAN}]")
_CHINESE = re.compile(f"[{HAN}{CJK_PUNCT}]")

_URL = re.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+")
_LINK_TARGET = re.compile(r"\]\([^)\s]*\)")
_CODE = re.compile(r"`[^`]*`")

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(f"(?<=[{HAN}])[(（]([a-zü{_TONE_VOWELS}]{{1,7}})[)）]")
_SPACE_HAN_DIGIT = re.compile(f"(?<=[{HAN}])[ \t\u00a0\u3000]+(?=[0-9])")
_SPACE_DIGIT_HAN = re.compile(f"(?<=[0-9%])[ \t\u00a0\u3000]+(?=[{HAN}])")
_PAREN_PAIR = re.compile(r"\(([^()\n]*)\)")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


@dataclass(frozen=True)
class Change:
    """One normalisation: where, which rule, the text before and the suggested text."""

    line: int  # 1-based
    column: int  # 1-based, in the line as it was
    rule: str
    before: str
    after: str
    context: str

    def describe(self) -> str:
        return f"{self.rule}：“{self.before}” → “{self.after}”（{self.context}）"


@dataclass(frozen=True)
class _Edit:
    start: int
    end: int
    replacement: str
    rule: str


@cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


def is_traditional(text: str) -> bool:
    """True when a noticeable share of the Han characters are traditional forms."""
    han = _HAN_CHAR.findall(text)
    if len(han) < 4:
        return False
    sample = "".join(han[:20000])
    changed = sum(1 for a, b in zip(sample, to_simplified(sample), strict=False) if a != b)
    return changed >= 3 and changed / len(sample) >= 0.03


def _protected(line: str) -> list[tuple[int, int]]:
    spans = [m.span() for pattern in (_LINK_TARGET, _CODE) for m in pattern.finditer(line)]
    for match in _URL.finditer(line):
        # A URL does not end in the punctuation that follows it.
        end = match.end()
        while end > match.start() and line[end - 1] in ").,;:!?'":
            end -= 1
        spans.append((match.start(), end))
    return spans


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


def _neighbour(line: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(line) and line[index] in " \t\u00a0":
        index += step
    return line[index] if 0 <= index < len(line) else ""


def _is_chinese(char: str) -> bool:
    return bool(char) and bool(_CHINESE.match(char))


def _punctuation_edits(line: str, protected: list[tuple[int, int]]) -> list[_Edit]:
    edits: list[_Edit] = []
    for index, char in enumerate(line):
        if char not in _FULL_WIDTH or _inside(index, protected):
            continue
        before, after = _neighbour(line, index, -1), _neighbour(line, index, 1)
        if char == "," and before.isdigit() and after.isdigit():
            continue  # 1,000
        if char == ":" and (
            (before.isdigit() and after.isdigit()) or line[index + 1 : index + 3] == "//"
        ):
            continue  # 19:59, http://
        chinese_before = _is_chinese(before)
        # “15.8%,其中”: a comma after a number still belongs to the Chinese sentence.
        chinese_after = _is_chinese(after) and (before.isdigit() or before in "%")
        if chinese_before or (char == "," and chinese_after):
            # Swallow ASCII spaces around it: full-width punctuation carries its own space.
            start, end = index, index + 1
            while end < len(line) and line[end] == " ":
                end += 1
            while start > 0 and line[start - 1] == " " and _is_chinese(before):
                start -= 1
            edits.append(_Edit(start, end, _FULL_WIDTH[char], "半角标点改为全角"))
    for match in _PAREN_PAIR.finditer(line):
        start, end = match.span()
        if _inside(start, protected) or _inside(end - 1, protected):
            continue
        if start > 0 and line[start - 1] == "]":
            continue  # a Markdown link
        inner = match.group(1)
        if _HAN_CHAR.search(inner) or (start > 0 and _is_chinese(line[start - 1])):
            edits.append(_Edit(start, start + 1, "（", "半角括号改为全角"))
            edits.append(_Edit(end - 1, end, "）", "半角括号改为全角"))
    return edits


def line_edits(line: str, script_only: bool = False) -> list[_Edit]:
    """Edits for one line; `script_only`: just the pinyin rule (applied before cleaning)."""
    protected = _protected(line)
    edits: list[_Edit] = []
    for match in _PINYIN.finditer(line):
        if any(ch in _TONE_VOWELS for ch in match.group(1)) and not _inside(
            match.start(), protected
        ):
            edits.append(_Edit(*match.span(), "", "删除夹注的拼音"))
    if script_only:
        return edits
    pinyin_spans = [(edit.start, edit.end) for edit in edits]
    for pattern in (_SPACE_HAN_DIGIT, _SPACE_DIGIT_HAN):
        for match in pattern.finditer(line):
            if not _inside(match.start(), protected):
                edits.append(_Edit(*match.span(), "", "删除汉字与数字之间的空格"))
    for edit in _punctuation_edits(line, protected + pinyin_spans):
        edits.append(edit)
    # Keep the first of overlapping edits (pinyin before spacing before punctuation).
    kept: list[_Edit] = []
    for edit in edits:
        if all(edit.end <= other.start or edit.start >= other.end for other in kept):
            kept.append(edit)
    return sorted(kept, key=lambda edit: edit.start)


def _context(line: str, start: int, end: int) -> str:
    return line[max(0, start - 6) : end + 6].strip()


def normalize_line(
    line: str, number: int, simplify: bool, script_only: bool = False
) -> tuple[str, list[Change]]:
    changes: list[Change] = []
    if simplify:
        simplified = to_simplified(line)
        if simplified != line:
            if len(simplified) == len(line):
                positions = [
                    i for i, (a, b) in enumerate(zip(line, simplified, strict=True)) if a != b
                ]
                before = "".join(line[i] for i in positions)
                after = "".join(simplified[i] for i in positions)
                column = positions[0] + 1
            else:
                before, after, column = line, simplified, 1
            changes.append(
                Change(
                    number,
                    column,
                    "繁体字改为简体",
                    before,
                    after,
                    _context(line, column - 1, column),
                )
            )
            line = simplified
    edits = line_edits(line, script_only)
    for edit in edits:
        changes.append(
            Change(
                number,
                edit.start + 1,
                edit.rule,
                line[edit.start : edit.end],
                edit.replacement,
                _context(line, edit.start, edit.end),
            )
        )
    for edit in reversed(edits):
        line = line[: edit.start] + edit.replacement + line[edit.end :]
    return line, changes


def normalize_text(
    text: str, simplify: bool | None = None, first_line: int = 1
) -> tuple[str, list[Change]]:
    """The text with every rule applied, and what was changed line by line.

    `simplify=None` converts traditional characters only when the text as a
    whole is traditional, so a simplified text quoting one old form stays as is.
    """
    if simplify is None:
        simplify = is_traditional(text)
    lines_out: list[str] = []
    changes: list[Change] = []
    for offset, line in enumerate(text.split("\n")):
        fixed, found = normalize_line(line, first_line + offset, simplify)
        # One more pass settles punctuation whose neighbour was itself just converted
        # (“??” after a Chinese character), so a fixed file lints clean.
        while found:
            changes += found
            fixed, found = normalize_line(fixed, first_line + offset, False)
        lines_out.append(fixed)
    return "\n".join(lines_out), changes
