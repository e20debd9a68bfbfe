"""Terminal output: aligned tables, and colour only where the terminal shows it.

Colour is used when standard output is a terminal, ``NO_COLOR`` is unset and ``TERM`` is not
``dumb`` (or when ``FORCE_COLOR`` is set); CI logs and pipes get plain text.
"""

from __future__ import annotations

import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import TextIO

CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "bold": "1", "dim": "2"}


def colour_enabled(stream: TextIO | None = None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


def paint(text: str, style: str, stream: TextIO | None = None) -> str:
    if not style or not colour_enabled(stream):
        return text
    codes = ";".join(CODES[s] for s in style.split() if s in CODES)
    return f"\033[{codes}m{text}\033[0m" if codes else text


def width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else (2 if unicodedata.east_asian_width(c) in "WF" else 1)
               for c in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], styles: Sequence[str] | None = None,
          indent: str = "") -> str:
    """Columns padded to the widest cell; the header underlined with dashes. ``styles`` colours rows."""
    widths = [width(h) for h in headers]
    for row in rows:
        widths = [max(w, width(c)) for w, c in zip(widths, row)]

    def line(cells: Sequence[str]) -> str:
        padded = [c + " " * (w - width(c)) for c, w in zip(cells, widths)]
        return (indent + "  ".join(padded)).rstrip()

    out = [paint(line(headers), "bold"), indent + "  ".join("-" * w for w in widths)]
    for i, row in enumerate(rows):
        out.append(paint(line(row), styles[i] if styles else ""))
    return "\n".join(out)
