""""Did you mean": the closest known names to a mistyped one (an event, a case id, a unit)."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from hoso.messages import L


def closest(word: str, known: Iterable[str], limit: int = 3) -> list[str]:
    names = list(known)
    by_lower = {n.lower(): n for n in names}
    found = difflib.get_close_matches(word.lower(), list(by_lower), n=limit, cutoff=0.6)
    return [by_lower[f] for f in found]


def did_you_mean(word: str, known: Iterable[str]) -> L:
    """`` (ý bạn là 'x'?)`` to put after a message, or empty text when nothing is close."""
    found = closest(word, known)
    if not found:
        return L("", "")
    names = ", ".join(f"'{f}'" for f in found)
    return L(f" (ý bạn là {names}?)", f" (did you mean {names}?)")
