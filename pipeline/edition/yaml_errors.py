"""What a YAML parser's complaint means to an editor, in Chinese, at the right place.

The parser's own words ("mapping values are not allowed here") never reach the
editor. Each known complaint becomes a sentence saying what to change, placed
where the fix goes: an unclosed quote at its opening quote, not at the end of
the file where the parser noticed; an ASCII colon inside a title at that colon.
"""

from __future__ import annotations

import re

from ruamel.yaml.error import MarkedYAMLError

from ..cjk import HAN_CHARACTER

PREFIX = "YAML 格式错误："
QUOTE_HINT = '请给整个值加上英文双引号（如 title: "…"），或改用中文冒号“：”'
GENERIC = "无法识别的写法。每行应为“字段: 值”（英文冒号后有一个空格），同一层的字段左端对齐"


def _line(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number] if 0 <= number < len(lines) else ""


def _colon_in_value(line: str) -> bool:
    """`title: 会议召开: 要点`: a second `: ` after the key's own."""
    match = re.match(r"^\s*(?:-\s+)?[^:#]+:\s+(.*)$", line)
    return bool(match and re.search(r":(\s|$)", match.group(1)))


def explain(error: MarkedYAMLError, text: str) -> tuple[int | None, int | None, str]:
    """(0-based line, 0-based column, Chinese message) for a parser complaint about `text`."""
    problem = str(error.problem or "")
    context = str(error.context or "")
    at, opened = error.problem_mark, error.context_mark
    line = at.line if at is not None else None
    column = at.column if at is not None else None
    if HAN_CHARACTER.search(problem) and not re.search(r"[A-Za-z]{3,}", problem):
        # Our own refusal (a custom composer), already in Chinese.
        return line, column, f"{PREFIX}{problem}"
    if "duplicate key" in problem:
        key = re.search(r'duplicate key "([^"]*)"', problem)
        named = f"“{key.group(1)}”" if key else ""
        return line, column, f"{PREFIX}字段{named}出现了两次，请删去其中一个"
    if "quoted scalar" in context and opened is not None:
        return (
            opened.line,
            opened.column,
            f"{PREFIX}引号没有配对：这里开始的引号直到文件末尾都没有结束。请在值的末尾补上同样的引号",
        )
    if "mapping values are not allowed" in problem:
        if line is not None and _colon_in_value(_line(text, line)):
            return line, column, f"{PREFIX}值中有英文冒号“:”。{QUOTE_HINT}"
        return (
            line,
            column,
            f"{PREFIX}这一行或上一行缺少冒号，或缩进不对：每行应为“字段: 值”（英文冒号后有一个空格），"
            "同一层的字段左端对齐",
        )
    character = re.search(r"found character '(.+?)' that cannot start any token", problem)
    if character:
        found = character.group(1)
        if found in ("\\t", "\t"):
            return line, column, f"{PREFIX}不能用 Tab 键缩进，请改用空格"
        return line, column, f"{PREFIX}值不能以“{found}”开头。请给整个值加上英文双引号"
    if "undefined alias" in problem or "found undefined tag" in problem:
        return line, column, f"{PREFIX}值不能以“*”或“!”开头。请给整个值加上英文双引号"
    if ("flow sequence" in context or "flow mapping" in context) and opened is not None:
        return (
            opened.line,
            opened.column,
            f"{PREFIX}这里开始的方括号 [ ] 或花括号 {{ }} 没有配对。列表写成 keywords: [质量, 标准]；"
            "若这是文字，请给整个值加上英文双引号",
        )
    if "block end" in problem or "block collection" in context or "block mapping" in context:
        return line, column, f"{PREFIX}缩进不一致：同一层的各项应左端对齐（用空格缩进）"
    return line, column, f"{PREFIX}{GENERIC}"
