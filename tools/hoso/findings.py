"""Findings are data; reporters render them. Every finding has a place and a stable rule id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from hoso.messages import render

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the repository root, with forward slashes
    line: int
    column: int
    rule: str
    severity: Severity
    args: tuple[tuple[str, Any], ...] = ()

    def message(self, lang: str = "vi") -> str:
        return render(self.rule, dict(self.args), lang)

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.rule)


def finding(file: str, line: int, column: int, rule: str, severity: Severity = "error", **args: Any) -> Finding:
    return Finding(file, line, column, rule, severity, tuple(sorted(args.items())))


@dataclass
class Report:
    """Everything one run found, across every file: never stops at the first finding."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    def add(self, f: Finding) -> None:
        self.findings.append(f)

    def extend(self, fs: list[Finding]) -> None:
        self.findings.extend(fs)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def sorted(self) -> list[Finding]:
        return sorted(set(self.findings), key=Finding.sort_key)

    def exit_code(self) -> int:
        return 1 if self.errors else 0
