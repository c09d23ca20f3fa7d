"""argparse in Chinese: headings, usage and errors, and a suggestion for a mistyped command.

argparse builds its few fixed texts with `gettext` at the moment it needs them
(heading names when a parser is made, error texts when parsing fails). We swap
in our table only while our parser is built and used (`chinese_argparse()`), so
no other user of argparse in the same process (pytest, say) is changed.
"""

from __future__ import annotations

import argparse
import difflib
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示这段说明后退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "the following arguments are required: %s": "缺少必填的参数：%s",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "expected one argument": "后面应跟一个值",
    "expected at least one argument": "后面至少应跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "invalid %(type)s value: %(value)r": "值 %(value)r 不正确",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "需要 %s 中的一个",
    "ignored explicit argument %r": "多余的值 %r",
    "unexpected option string: %s": "不认识的选项：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "不认识的“%(value)s”（可用：%(choices)s）",
}


def _translate(text: str) -> str:
    return TEXTS.get(text, text)


def _ntranslate(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


@contextmanager
def chinese_argparse() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _translate, _ntranslate  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


HELP_COLUMN = 26  # where an argument's help starts, in terminal columns

_ARGUMENT_LINE = re.compile(r"^( {2,4})(\S(?:.*?\S)?) {2,}(\S.*)$")


def display_width(text: str) -> int:
    """Terminal columns: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _aligned(line: str) -> str:
    """An argument's line with its help at `HELP_COLUMN` as the terminal shows it
    (argparse pads by characters, so help after 期次文件夹 drifts right)."""
    match = _ARGUMENT_LINE.match(line)
    if match is None:
        return line
    indent, name, help_text = match.groups()
    used = len(indent) + display_width(name)
    if used + 2 > HELP_COLUMN:
        return line
    return f"{indent}{name}{' ' * (HELP_COLUMN - used)}{help_text}"


class ChineseParser(argparse.ArgumentParser):
    """An ArgumentParser that answers a mistyped choice with the nearest one."""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is None or value in choices:
            return
        names = [str(choice) for choice in choices]
        near = difflib.get_close_matches(str(value), names, n=1, cutoff=0.5)
        suggestion = f"是不是要用 {near[0]}？" if near else ""
        raise argparse.ArgumentError(
            action, f"不认识的“{value}”。{suggestion}可用的有：{'、'.join(names)}"
        )

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        with chinese_argparse():
            return super().parse_args(*args, **kwargs)

    def format_help(self) -> str:
        with chinese_argparse():
            text = super().format_help()
        # argparse ends each heading with an ASCII colon.
        text = re.sub(r"^(\S[^\n]*?):$", r"\1：", text, flags=re.MULTILINE)
        return "\n".join(_aligned(line) for line in text.split("\n"))

    def format_usage(self) -> str:
        with chinese_argparse():
            return super().format_usage()
