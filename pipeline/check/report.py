"""Findings and the report: what the check tells the editor, grouped by article.

A `Finding` has a severity (error: not fit to distribute; warning: worth a look),
the check family that found it, a place (page, article, file:line) and a hint
saying what to do. Checks return findings into one `CheckReport`; only the CLI
prints it and maps it to an exit code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FRONT = "报头与目录"

WHOLE = "全文"


@dataclass(frozen=True)
class Finding:
    severity: str  # "error" or "warning"
    check: str
    message: str
    page: int | None = None
    article: str | None = None  # the article's title
    hint: str | None = None
    file: str | None = None  # e.g. 2025-11/articles/01.md
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "message": self.message,
            "page": self.page,
            "article": self.article,
            "file": self.file,
            "line": self.line,
            "hint": self.hint,
        }


@dataclass
class CheckReport:
    pdf: Path
    page_count: int = 0
    findings: list[Finding] = field(default_factory=list)
    text_source: str | None = None  # which tool read the page texts

    @property
    def errors(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.severity == "warning"]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def error(self, check: str, message: str, **where: Any) -> None:
        self.findings.append(Finding("error", check, message, **where))

    def warn(self, check: str, message: str, **where: Any) -> None:
        self.findings.append(Finding("warning", check, message, **where))

    def as_dict(self, strict: bool = False) -> dict[str, Any]:
        return {
            "pdf": str(self.pdf),
            "pages": self.page_count,
            "ok": self.ok(strict),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [finding.as_dict() for finding in self.findings],
        }

    def groups(self) -> dict[str, list[Finding]]:
        """Findings by article (whole-document ones first), in the order found."""
        groups: dict[str, list[Finding]] = {}

        def order(finding: Finding) -> tuple[int, int]:
            rank = 0 if finding.article is None else 1 if finding.article == FRONT else 2
            return rank, finding.page or 0

        for finding in sorted(self.findings, key=order):
            if finding.article is None:
                key = WHOLE
            elif finding.file is not None and finding.article != FRONT:
                key = f"《{finding.article}》 {finding.file}"
            else:
                key = finding.article
            groups.setdefault(key, []).append(finding)
        return groups

    def text(self, strict: bool = False) -> str:
        if not self.findings:
            return f"{self.pdf.name}：检查通过，共 {self.page_count} 页，可以分发。"
        if self.errors:
            verdict = "不宜分发，请先修正下列错误"
        elif strict:
            verdict = "严格模式下不通过：请处理下列提示"
        else:
            verdict = "可以分发，但请留意下列提示"
        lines = [
            f"{self.pdf.name}：共 {self.page_count} 页，{len(self.errors)} 个错误，"
            f"{len(self.warnings)} 个提示，{verdict}。"
        ]
        for group, findings in self.groups().items():
            lines.append(f"【{group}】")
            for finding in findings:
                label = "错误" if finding.severity == "error" else "提示"
                where = []
                if finding.page:
                    where.append(f"第{finding.page}页")
                if finding.line:
                    where.append(f"{finding.file}:{finding.line}")
                place = f"（{'，'.join(where)}）" if where else ""
                lines.append(f"  {label}{place}：{finding.message}")
                if finding.hint:
                    lines.append(f"        → {finding.hint}")
        return "\n".join(lines)
