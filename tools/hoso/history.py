"""Append-only history: what a change did to the events and header a case already had.

Values are compared with their types (:func:`same`): ``true`` is not ``1``, ``"0"`` is not
``0``, recursively, so a rewrite that Python's ``==`` would call equal is still a rewrite.
"""

from __future__ import annotations

from typing import Any

from hoso.engine import Issue, Path, issue

HISTORY = "history"


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, all the way down (``True == 1`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def _name(ev: Any) -> str:
    return str(ev.get("event")) if isinstance(ev, dict) else "?"


def first_diff(old: Any, new: Any, path: Path = ()) -> Path:
    """The path, in ``new``, of the first value that differs from ``old``."""
    if isinstance(old, dict) and isinstance(new, dict):
        for k, v in new.items():
            if k not in old or not same(old[k], v):
                return first_diff(old.get(k), v, path + (k,)) if k in old else path + (k,)
        return path  # a key was removed: the mapping itself
    if isinstance(old, list) and isinstance(new, list):
        for i, v in enumerate(new):
            if i >= len(old) or not same(old[i], v):
                return first_diff(old[i], v, path + (i,)) if i < len(old) else path + (i,)
        return path
    return path


def header_issues(old: dict[str, Any], new: dict[str, Any]) -> list[Issue]:
    """Every key but the history stands as it was: a header field changes only through an event
    the procedure defines for it, which the replay applies (the file's header never changes)."""
    out = []
    keys = [k for k in new if k != HISTORY] + [k for k in old if k != HISTORY and k not in new]
    for k in keys:
        if k not in old or k not in new or not same(old[k], new[k]):
            out.append(issue((k,), "DIFF-HEADER-CHANGED", field=str(k), old=_shown(old, k), new=_shown(new, k)))
    return out


def _shown(value: dict[str, Any], key: Any) -> str:
    return str(value[key]) if key in value else "—"


def _index(items: list[Any], ev: Any) -> int | None:
    return next((i for i, x in enumerate(items) if same(x, ev)), None)


def history_issues(old: list[Any], new: list[Any]) -> list[Issue]:
    """Every event of ``old`` must stand unchanged, at the same place, at the start of ``new``."""
    out: list[Issue] = []
    last: Path = (HISTORY, len(new) - 1) if new else (HISTORY,)
    moved = False
    for i, ev in enumerate(old):
        if i < len(new) and same(new[i], ev):
            continue
        args: dict[str, Any] = {"index": i + 1, "event": _name(ev)}
        at = _index(new, ev)
        if at is not None:
            if not moved:
                out.append(issue((HISTORY, at), "DIFF-HISTORY-REORDERED", **args))
            moved = True
        elif i < len(new) and _index(old, new[i]) is None:
            where = first_diff(ev, new[i])
            out.append(issue((HISTORY, i) + where, "DIFF-HISTORY-EDITED",
                             field=".".join(str(p) for p in where) or "—", **args))
        else:
            out.append(issue((HISTORY, i) if i < len(new) else last, "DIFF-HISTORY-REMOVED", **args))
    return out
