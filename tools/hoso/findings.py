"""Findings are data; reporters render them. Every finding has a place and a stable rule id."""

from __future__ import annotations

import datetime as dt
import reprlib
from dataclasses import dataclass, field
from typing import Any, Literal

from hoso.messages import L, render

Severity = Literal["error", "warning"]

SHOWN = 60  # characters of a value a message quotes
BIG = 10**18  # integers from here on are shown by their size, not their digits


def show(value: Any) -> str:
    """A value from a record as a message quotes it: short text, whatever the value is."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= BIG:
        return f"{'-' if value < 0 else ''}~10^{int(abs(value).bit_length() * 0.30103)}"
    try:
        text = value if isinstance(value, str) else reprlib.repr(value)
    except (ValueError, RecursionError):  # a huge integer inside a list, a pathological structure
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def freeze(value: Any) -> str | L:
    """An argument as a finding keeps it: text, or an :class:`L` of two texts (a tuple).

    Whatever a record held (a list, a mapping, a huge number, a date), the finding holds only
    its short text, so a finding is always hashable, printable and the same after a cache round."""
    if isinstance(value, L):
        return L(*(v if isinstance(v, str) else show(v) for v in value))
    if isinstance(value, str):
        return value
    if value is None or isinstance(value, (bool, float, dt.date)):
        return str(value)
    return show(value)


@dataclass(frozen=True)
class Finding:
    file: str  # relative to the repository root, with forward slashes
    line: int
    column: int
    rule: str
    severity: Severity
    args: tuple[tuple[str, Any], ...] = ()  # frozen when made: (name, text or L) pairs

    def __post_init__(self) -> None:
        object.__setattr__(self, "args", tuple((str(k), freeze(v)) for k, v in self.args))

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
