"""Text normalisation rules shared by `briefing import` (applied) and `briefing lint` (checked).

The rules follow GB/T 15834-2011 (punctuation) and GB/T 15835-2011 (numbers) as
an editor applies them to Chinese running text:

* ASCII `, ; : ? ! ( )` become full-width when Chinese text is on either side
  (“85.8%;进一步” → “85.8%；进一步”, “道:“这些” → “道：“这些”), a “.” ending a
  Chinese sentence becomes “。”, and “...” or a lone “…” the ellipsis “……”;
* straight quotes around Chinese become “” and ‘’;
* full-width digits and Latin letters (２０２５年) become half-width;
* ranges of years and dates take the 一字线 (2023年—2025年), ranges of values
  the 浪纹线 (1.5～2.0倍);
* look-alikes of the interpunct (U+0387, U+30FB, U+2027, U+2022 between words)
  become U+00B7, the one every shipped font has;
* stray spaces inside Chinese text go (between Han and digits, beside full-width
  punctuation, and between Han characters in running text — a title's space
  between two phrases is meant and stays).

None of them touch URLs, e-mail addresses, link targets, code spans, HTML tags,
Markdown image syntax (`![…]`), times (19:59), numbers (3.1, 1,000) or English
sentences. In an article file only the body and the values of the front matter
are text; keys, quoted YAML and comments are syntax and stay as written.

Each rule finds edits in one line and reports them with line and column, so an
editor can see what changed and `briefing lint` can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from ..cjk import HAN_SCRIPT as HAN

CJK_PUNCT = "，。、；：？！“”‘’（）《》〈〉【】〔〕…—·「」『』％～"
_HAN_CHAR = regex.compile(HAN)
_CHINESE = regex.compile(f"[{HAN}{CJK_PUNCT}]")

_URL = regex.compile(r"(?:https?://|www\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+")
_EMAIL = regex.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_LINK_TARGET = regex.compile(r"\]\([^)\s]*\)")
_IMAGE_START = regex.compile(r"!\[")
_CODE = regex.compile(r"`[^`]*`")
_HTML_TAG = regex.compile(r"</?[A-Za-z][^<>]*>")
_YAML_KEY = regex.compile(r"^\s*[A-Za-z_][\w-]*:(?=\s|$)")

_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = regex.compile(f"(?<={HAN})[(（]([a-zü{_TONE_VOWELS}]{{1,7}})[)）]")
_SPACE = "[ \t\u00a0\u3000]+"
# “2025年11月18日 09:42”: the space between a date and its time is the house form.
_SPACE_HAN_DIGIT = regex.compile(
    f"(?<={HAN})(?<!日){_SPACE}(?=[0-9])|(?<=日){_SPACE}(?=[0-9])(?![0-9]{{1,2}}[:：][0-9]{{2}})"
)
_SPACE_DIGIT_HAN = regex.compile(f"(?<![A-Za-z][0-9.]*)(?<=[0-9%]){_SPACE}(?={HAN})")  # not after v3.1
_SPACE_BY_PUNCT = regex.compile(
    f"(?<=[{CJK_PUNCT}]){_SPACE}(?=[{HAN}{CJK_PUNCT}0-9])|(?<={HAN}){_SPACE}(?=[，。、；：？！）》”’“‘（《])"
)
_SPACE_HAN_HAN = regex.compile(f"(?<={HAN}){_SPACE}(?={HAN})")
_RUNNING_TEXT = regex.compile(r"[，。；！？]")
_LABELLED_FIELD = regex.compile(r"[：:][^，。；！？：:]*$")
_QUOTED_NAME = regex.compile(r"“[^”\n]*”|《[^》\n]*》|「[^」\n]*」|‘[^’\n]*’|\"[^\"\n]*\"")
_FULL_WIDTH_ALNUM = regex.compile(r"[０-９Ａ-Ｚａ-ｚ]+")
_INTERPUNCT = regex.compile(f"[\u0387\u30fb\u2027]|(?<=[{HAN}A-Za-z])\u2022(?=[{HAN}A-Za-z])")
# 2023年-2025年, 2023-2025年, 11月3日-5日, 1-10月 (after 年 or at a clause start), 3-5日.
_YEAR_RANGE = regex.compile(
    r"(?<![A-Za-z0-9.\-/])((?:19|20)\d{2}年?|\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日|(?<![0-9])\d{1,2})"
    r"\s*([-－–~～])\s*"
    r"(?=(?:19|20)\d{2}年|\d{1,2}[月日])"
)
# A tilde between numbers is always a range; a hyphen only before a unit (not 021-6293…).
_VALUE_RANGE = regex.compile(
    r"(?<![A-Za-z0-9./-])(\d+(?:\.\d+)?%?)\s*(~|～|-|－|–)\s*"
    r"(?=\d+(?:\.\d+)?\s*(?:%|‰|℃|倍|个|万|亿|元|人|项|件|家|名|次|岁|天|小时|分钟|年|米|吨|公里|平方米)"
    r"|\d+(?:\.\d+)?%)"
    r"|(?<![A-Za-z0-9./-])(\d+(?:\.\d+)?%?)\s*(~)\s*(?=\d)"
)
_PAREN_PAIR = regex.compile(r"\(([^()\n]*)\)")
_DOUBLE_QUOTED = regex.compile(r'"([^"\n]*)"')
_SINGLE_QUOTED = regex.compile(r"(?<![A-Za-z])'([^'\n]*)'(?![A-Za-z])")
_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
# A full stop typed as “.” after Chinese, before Chinese, a space or the line's end
# (“增强.新建” → “增强。新建”); “要点.pdf”, “3.1” and “e.g.” are not sentence ends.
_LATIN_FULL_STOP = regex.compile(f"(?<=[{HAN}”’）》])\\.(?![.])(?=[{HAN}“‘（《]|\\s|$)")
_LATIN_ELLIPSIS = regex.compile(f"(?<=[{HAN}，。”’）])(?:\\.{{3,6}}|。{{3,6}}|…)(?!…)")


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


def has_han(text: str) -> bool:
    return bool(_HAN_CHAR.search(text))


def _protected(line: str) -> list[tuple[int, int]]:
    patterns = (_LINK_TARGET, _CODE, _HTML_TAG, _EMAIL, _IMAGE_START)
    spans = [m.span() for pattern in patterns for m in pattern.finditer(line)]
    for match in _URL.finditer(line):
        # A URL does not end in the punctuation that follows it.
        end = match.end()
        while end > match.start() and line[end - 1] in ").,;:!?'":
            end -= 1
        spans.append((match.start(), end))
    key = _YAML_KEY.match(line)
    if key:
        spans.append(key.span())
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
        if char in ",:" and before.isdigit() and after.isdigit():
            continue  # 1,000 and 19:59
        if char == ":" and line[index + 1 : index + 3] == "//":
            continue  # http://
        if char == "!" and line[index + 1 : index + 2] == "[":
            continue  # an image in Markdown: ![图为……](…)
        if not (_is_chinese(before) or _is_chinese(after)):
            continue
        # Swallow ASCII spaces around it: full-width punctuation carries its own space.
        start, end = index, index + 1
        while end < len(line) and line[end] == " ":
            end += 1
        while start > 0 and line[start - 1] == " " and _is_chinese(before):
            start -= 1
        edits.append(_Edit(start, end, _FULL_WIDTH[char], "半角标点改为全角"))
    for match in _LATIN_FULL_STOP.finditer(line):
        if not _inside(match.start(), protected):
            edits.append(_Edit(*match.span(), "。", "半角标点改为全角"))
    for match in _LATIN_ELLIPSIS.finditer(line):
        if not _inside(match.start(), protected) and match.group() != "……":
            edits.append(_Edit(*match.span(), "……", "省略号改为……"))
    for match in _PAREN_PAIR.finditer(line):
        start, end = match.span()
        if _inside(start, protected) or _inside(end - 1, protected):
            continue
        if start > 0 and line[start - 1] == "]":
            continue  # a Markdown link
        inner = match.group(1)
        outside = (line[start - 1] if start else "", line[end] if end < len(line) else "")
        if has_han(inner) or any(_is_chinese(char) for char in outside):
            edits.append(_Edit(start, start + 1, "（", "半角括号改为全角"))
            edits.append(_Edit(end - 1, end, "）", "半角括号改为全角"))
    return edits


def _inside_double_quotes(line: str, position: int) -> bool:
    before = line[:position]
    return before.count("“") > before.count("”") or before.count('"') % 2 == 1


def _quote_edits(line: str, protected: list[tuple[int, int]]) -> list[_Edit]:
    """Straight quotes around Chinese (or beside it) become “”; single ones ‘’ only
    inside a double quotation (GB/T 15834: 单引号 is the inner level)."""
    edits: list[_Edit] = []
    for pattern, kind in ((_DOUBLE_QUOTED, '"'), (_SINGLE_QUOTED, "'")):
        for match in pattern.finditer(line):
            start, end = match.span()
            if _inside(start, protected) or _inside(end - 1, protected):
                continue
            nested = kind == "'" and _inside_double_quotes(line, start)
            opening, closing = ("‘", "’") if nested else ("“", "”")
            outside = (line[start - 1] if start else "", line[end] if end < len(line) else "")
            # “就 "OIML R 117" 等”: Chinese on both sides across the spaces.
            spaced = (_neighbour(line, start, -1), _neighbour(line, end - 1, 1))
            if (
                has_han(match.group(1))
                or any(_is_chinese(char) for char in outside)
                or all(_is_chinese(char) for char in spaced)
            ):
                edits.append(_Edit(start, start + 1, opening, "直引号改为中文引号"))
                edits.append(_Edit(end - 1, end, closing, "直引号改为中文引号"))
    return edits


def _character_edits(line: str, protected: list[tuple[int, int]]) -> list[_Edit]:
    """Full-width digits and letters, interpunct look-alikes, and ranges."""
    edits: list[_Edit] = []
    for match in _FULL_WIDTH_ALNUM.finditer(line):
        if not _inside(match.start(), protected):
            half = "".join(chr(ord(char) - 0xFEE0) for char in match.group())
            edits.append(_Edit(*match.span(), half, "全角数字字母改为半角"))
    for match in _INTERPUNCT.finditer(line):
        if not _inside(match.start(), protected):
            edits.append(_Edit(*match.span(), "·", "间隔号改为 ·"))
    if has_han(line):
        for match in _YEAR_RANGE.finditer(line):
            if not _inside(match.start(), protected) and match.group(2) != "—":
                edits.append(_Edit(match.end(1), match.end(), "—", "年份日期范围用一字线"))
        for match in _VALUE_RANGE.finditer(line):
            number = 1 if match.group(1) is not None else 3
            if not _inside(match.start(), protected) and match.group(number + 1) != "～":
                edits.append(_Edit(match.end(number), match.end(), "～", "数值范围用浪纹线"))
    return edits


def _space_edits(line: str, protected: list[tuple[int, int]]) -> list[_Edit]:
    edits: list[_Edit] = []
    patterns = [
        (_SPACE_HAN_DIGIT, "删除汉字与数字之间的空格"),
        (_SPACE_DIGIT_HAN, "删除汉字与数字之间的空格"),
        (_SPACE_BY_PUNCT, "删除标点旁的空格"),
    ]
    if _RUNNING_TEXT.search(line):
        # Running text: a space between two Han characters is a stray (“应当 更加”) —
        # except inside quotes or 《》, where it is part of a name
        # (“保护知识产权 打击侵权假冒国际合作”分论坛), and in a labelled field.
        # In a labelled field (“联系人：研究院办公室 李老师”) the space separates its parts.
        names = [match.span() for match in _QUOTED_NAME.finditer(line)]
        for match in _SPACE_HAN_HAN.finditer(line):
            # A full-width space between Han is padding (“何　明”) wherever it is.
            in_field = "\u3000" not in match.group() and _LABELLED_FIELD.search(line, 0, match.start())
            if not _inside(match.start(), protected + names) and not in_field:
                edits.append(_Edit(*match.span(), "", "删除汉字之间的空格"))
    for pattern, rule in patterns:
        for match in pattern.finditer(line):
            if not _inside(match.start(), protected):
                edits.append(_Edit(*match.span(), "", rule))
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
    edits += _character_edits(line, protected)
    edits += _space_edits(line, protected)
    edits += _punctuation_edits(line, protected + pinyin_spans)
    edits += _quote_edits(line, protected)
    # Keep the first of overlapping edits (in the order of the rules above).
    kept: list[_Edit] = []
    for edit in edits:
        if all(edit.end <= other.start or edit.start >= other.end for other in kept):
            kept.append(edit)
    return sorted(kept, key=lambda edit: edit.start)


def _context(line: str, start: int, end: int) -> str:
    return line[max(0, start - 6) : end + 6].strip()


def _simplify_change(line: str, simplified: str, number: int) -> Change:
    if len(simplified) == len(line):
        positions = [i for i, (a, b) in enumerate(zip(line, simplified, strict=True)) if a != b]
        before = "".join(line[i] for i in positions)
        after = "".join(simplified[i] for i in positions)
        column = positions[0] + 1
    else:
        before, after, column = line, simplified, 1
    return Change(number, column, "繁体字改为简体", before, after, _context(line, column - 1, column))


def normalize_line(
    line: str, number: int, simplify: bool, script_only: bool = False, offset: int = 0
) -> tuple[str, list[Change]]:
    """`offset`: where `line` starts in the file's line (a front-matter value after its key)."""
    changes: list[Change] = []
    if simplify:
        simplified = to_simplified(line)
        if simplified != line:
            changes.append(_simplify_change(line, simplified, number))
            line = simplified
    edits = line_edits(line, script_only)
    for edit in edits:
        before = line[edit.start : edit.end]
        context = _context(line, edit.start, edit.end)
        changes.append(
            Change(number, offset + edit.start + 1, edit.rule, before, edit.replacement, context)
        )
    for edit in reversed(edits):
        line = line[: edit.start] + edit.replacement + line[edit.end :]
    return line, changes


_FRONT_VALUE = regex.compile(r"^(\s*[A-Za-z_\p{Han}][\w\p{Han}-]*:[ \t]+)(.*)$")


def _front_matter_end(lines: list[str]) -> int:
    """Index of the closing `---` of the front matter, or -1 when there is none."""
    if not lines or lines[0].strip() != "---":
        return -1
    return next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), -1)


def _settled(line: str, number: int, simplify: bool, offset: int = 0) -> tuple[str, list[Change]]:
    fixed, found = normalize_line(line, number, simplify, offset=offset)
    changes: list[Change] = []
    # One more pass settles punctuation whose neighbour was itself just converted
    # (“??” after a Chinese character), so a fixed file lints clean.
    while found:
        changes += found
        fixed, found = normalize_line(fixed, number, False, offset=offset)
    return fixed, changes


def normalize_text(
    text: str, simplify: bool | None = None, first_line: int = 1
) -> tuple[str, list[Change]]:
    """The text with every rule applied, and what was changed line by line.

    `simplify=None` converts traditional characters only when the text as a
    whole is traditional, so a simplified text quoting one old form stays as is.
    """
    if simplify is None:
        simplify = is_traditional(text)
    lines = text.split("\n")
    front_end = _front_matter_end(lines)
    lines_out: list[str] = []
    changes: list[Change] = []
    for index, line in enumerate(lines):
        number = first_line + index
        if 0 <= index <= front_end:
            value = _FRONT_VALUE.match(line)
            if value is None or value.group(2)[:1] in {'"', "'", "[", "{", "|", ">", "#", ""}:
                lines_out.append(line)  # delimiters, comments, quoted YAML: syntax
                continue
            key = value.group(1)
            fixed, found = _settled(value.group(2), number, simplify, offset=len(key))
            lines_out.append(key + fixed)
        else:
            fixed, found = _settled(line, number, simplify)
            lines_out.append(fixed)
        changes += found
    return "\n".join(lines_out), changes
