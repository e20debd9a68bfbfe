"""Procedure versions that open cases follow, and what may never happen to them.

A case is judged by the version it follows; editing that version's rules would re-judge steps
already taken. A correction is a new version and a ``migrated`` step. Closing a version
(``effective_to``, ``successor``) or changing its wording is not an edit of its rules.
"""

from __future__ import annotations

from typing import Any

from hoso.checks import Context
from hoso.findings import Finding, finding
from hoso.repository import PROCEDURES, RECORDS, check_record, parse
from hoso.gitsource import GitCommit

# Keys that close a version, or only cite and explain it, without changing how any step is judged.
FREE_KEYS = frozenset({"effective_to", "successor", "summary", "sources", "unconfirmed_points"})


def _judged(value: Any) -> Any:
    """What of a procedure judges steps: everything but its wording (any {vi, en} text) and FREE_KEYS."""
    if isinstance(value, dict):
        if set(value) == {"vi", "en"}:
            return None
        return {k: _judged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_judged(v) for v in value]
    return value


def open_cases_following(source: GitCommit, ctx: Context, procedure: str) -> list[str]:
    """Case files at ``source`` that are open and follow ``procedure`` now (after replay)."""
    out: list[str] = []
    for path in source.grep([procedure], RECORDS):
        if not path.endswith(".yaml"):
            continue
        checked = check_record(path, source.read(path), ctx).result
        state = checked.state if checked is not None else None
        if state is not None and state.open and state.proc.proc.id == procedure:
            out.append(path)
    return sorted(out)


def _rules(data: bytes | None, path: str) -> Any:
    parsed = parse(path, data, fast=False)
    if not parsed.ok or not isinstance(parsed.value, dict):
        return None
    return _judged({k: v for k, v in parsed.value.items() if k not in FREE_KEYS})


def edited_open_versions(base: GitCommit, head: GitCommit, paths: list[str], ctx: Context) -> list[Finding]:
    """DIFF-OPEN-VERSION-EDITED for each procedure file a change edits while cases follow it.
    Which cases are open, and which version they follow, is judged at ``base`` with its rules:
    migrating or closing them in the same change does not free the version."""
    out: list[Finding] = []
    for path in paths:
        if not (path.startswith(PROCEDURES + "/") and path.endswith(".yaml")):
            continue
        before = base.read(path)
        if before is None:
            continue  # a new version: the way to correct one
        procedure = path.rsplit("/", 1)[-1][: -len(".yaml")]
        if _rules(before, path) == _rules(head.read(path), path):
            continue
        cases = open_cases_following(base, ctx, procedure)
        if cases:
            out.append(finding(path, 1, 1, "DIFF-OPEN-VERSION-EDITED", procedure=procedure, count=len(cases),
                               case=cases[0]))
    return out
