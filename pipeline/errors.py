"""Mistakes in an edition, told in the editor's terms: file, line, field, what to do."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, order=True)
class EditorError:
    """One thing the editor must fix. `file` is relative to the edition's parent folder."""

    file: str
    line: int | None
    column: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        what = f"{self.field}：" if self.field else ""
        return f"{where}: {what}{self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class EditionInvalid(Exception):
    """The edition cannot be built; carries every error found, not just the first."""

    def __init__(self, errors: list[EditorError]) -> None:
        self.errors = sorted(set(errors), key=_sort_key)
        super().__init__(f"{len(self.errors)} error(s)")

    def report(self) -> str:
        lines = [f"本期稿件有 {len(self.errors)} 处错误，未生成新的 PDF（原有 PDF 保持不变）："]
        lines += [f"  {error}" for error in self.errors]
        return "\n".join(lines)


class OutputProblem(Exception):
    """The PDF cannot be written where asked (an input file, a folder, no permission)."""

    def __init__(self, output: Path, reason: str) -> None:
        super().__init__(f"{output}: {reason}")
        self.output = output
        self.reason = reason

    def report(self) -> str:
        return f"无法写出 {self.output}：{self.reason}。未生成新的 PDF（原有 PDF 保持不变）。"


def _sort_key(error: EditorError) -> tuple[str, int, int, str]:
    return (error.file, error.line or 0, error.column or 0, error.message)


def display_path(path: Path, edition_dir: Path) -> str:
    """A path as the editor knows it: `2025-11/articles/01.md`."""
    try:
        return str(path.relative_to(edition_dir.parent))
    except ValueError:
        return str(path)


# Pydantic error types, in plain Chinese. Anything not listed falls back to
# Pydantic's own (English) message so no information is lost.
_PYDANTIC_MESSAGES: dict[str, str] = {
    "missing": "缺少必填项",
    "extra_forbidden": "不认识的字段（是否拼写错误？请对照 README 中的格式说明）",
    "string_type": "应为文字",
    "string_too_short": "不能为空",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "greater_than_equal": "数值太小，应不小于 {ge}",
    "list_type": "应为列表（每项一行，以“- ”开头）",
    "too_short": "至少需要 {min_length} 项",
    "date_type": "应为日期，格式如 2025-11-30",
    "date_parsing": "应为日期，格式如 2025-11-30",
    "date_from_datetime_parsing": "应为日期，格式如 2025-11-30",
    "date_from_datetime_inexact": "应为日期（不带时间），格式如 2025-11-30",
    "model_type": "应为一组“字段: 值”",
    "model_attributes_type": "应为一组“字段: 值”",
    "dict_type": "应为一组“字段: 值”",
}


def pydantic_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        # Our own validators raise ValueError with a Chinese message.
        return str(error.get("ctx", {}).get("error", error.get("msg", "")))
    template = _PYDANTIC_MESSAGES.get(kind)
    if template is None:
        return str(error.get("msg", kind))
    try:
        return template.format(**error.get("ctx", {}))
    except (KeyError, IndexError):
        return template
