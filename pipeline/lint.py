"""`briefing lint`: the importer's normalisation rules as checks on existing articles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .atomic_files import replace_text
from .edition.load import FileProblem, control_character_errors, read_text
from .errors import display_path
from .importer.normalize import Change, normalize_text


@dataclass(frozen=True)
class FileFindings:
    shown_as: str
    changes: tuple[Change, ...]


@dataclass
class LintResult:
    files: list[FileFindings] = field(default_factory=list)
    fixed: bool = False
    unreadable: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[tuple[str, Change]]:
        return [(item.shown_as, change) for item in self.files for change in item.changes]

    def lines(self) -> list[str]:
        out = [
            f"{shown}:{change.line}:{change.column}: {change.describe()}"
            for shown, change in self.findings
        ]
        out += [f"{problem}" for problem in self.unreadable]
        count = len(self.findings)
        if self.fixed:
            out.append(
                f"已改正 {count} 处（{sum(1 for item in self.files if item.changes)} 个文件）。"
            )
        elif count:
            out.append(f"共 {count} 处建议修改。运行 briefing lint --fix 可直接改正。")
        else:
            out.append("没有发现需要修改的地方。")
        return out


def lint_edition(edition_dir: Path, fix: bool = False) -> LintResult:
    """Check every article file in the edition folder (listed or not)."""
    root = edition_dir.resolve()
    result = LintResult(fixed=fix)
    for path in sorted(root.rglob("*.md")):
        if path.name.startswith("."):
            continue
        shown = display_path(path, root)
        try:
            text = read_text(path, shown)
        except FileProblem as problem:
            result.unreadable.append(str(problem.error))
            continue
        result.unreadable += [str(error) for error in control_character_errors(text, shown)]
        fixed, changes = normalize_text(text)
        result.files.append(FileFindings(shown, tuple(changes)))
        if fix and fixed != text:
            replace_text(path, fixed)
    return result
