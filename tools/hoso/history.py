"""Append-only history: what a change did to the events and header a case already had."""

from __future__ import annotations

from typing import Any

from hoso.engine import Issue, Path, issue

# The data contract's header fields that never change once a case exists (not procedure data).
FROZEN = ("case", "procedure", "unit", "member")


def _name(ev: Any) -> str:
    return str(ev.get("event")) if isinstance(ev, dict) else "?"


def first_diff(old: Any, new: Any, path: Path = ()) -> Path:
    """The path, in ``new``, of the first value that differs from ``old``."""
    if isinstance(old, dict) and isinstance(new, dict):
        for k, v in new.items():
            if k not in old or old[k] != v:
                return first_diff(old.get(k), v, path + (k,)) if k in old else path + (k,)
        return path  # a key was removed: the mapping itself
    if isinstance(old, list) and isinstance(new, list):
        for i, v in enumerate(new):
            if i >= len(old) or old[i] != v:
                return first_diff(old[i], v, path + (i,)) if i < len(old) else path + (i,)
        return path
    return path


def header_issues(old: dict[str, Any], new: dict[str, Any]) -> list[Issue]:
    out = []
    for k in FROZEN:
        if old.get(k) != new.get(k):
            out.append(issue((k,), "DIFF-HEADER-CHANGED", field=k, old=str(old.get(k)), new=str(new.get(k))))
    return out


def history_issues(old: list[Any], new: list[Any]) -> list[Issue]:
    """Every event of ``old`` must stand unchanged, at the same place, at the start of ``new``."""
    out: list[Issue] = []
    last: Path = ("history", len(new) - 1) if new else ("history",)
    moved = False
    for i, ev in enumerate(old):
        if i < len(new) and new[i] == ev:
            continue
        args: dict[str, Any] = {"index": i + 1, "event": _name(ev)}
        if ev in new:
            if not moved:
                out.append(issue(("history", new.index(ev)), "DIFF-HISTORY-REORDERED", **args))
            moved = True
        elif i < len(new) and new[i] not in old:
            where = first_diff(ev, new[i])
            out.append(issue(("history", i) + where, "DIFF-HISTORY-EDITED",
                             field=".".join(str(p) for p in where) or "—", **args))
        else:
            out.append(issue(("history", i) if i < len(new) else last, "DIFF-HISTORY-REMOVED", **args))
    return out
