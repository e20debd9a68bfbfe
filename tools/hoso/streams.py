"""Standard streams: UTF-8 out whatever the terminal's code page, and '-' for standard input.

Officers' machines run Windows with legacy code pages (cp1252, cp1258) and CI runs under
``LC_ALL=C``; the messages are Vietnamese. Output is UTF-8 everywhere, so a redirected run never
stops on a character the code page lacks. Options that name an input file (``--from``,
``--reviews``) take ``-`` for standard input, read here.
"""

from __future__ import annotations

import codecs
import errno
import io
import sys
from pathlib import Path

from hoso.errors import HosoError
from hoso.messages import L

STDIN = "-"
_stdin_read: list[tuple[object, str]] = []  # (the stream, its text): a command may read '-' twice


def utf8_output() -> None:
    """Re-encode stdout and stderr as UTF-8 when they are anything else."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and codecs.lookup(stream.encoding).name != "utf-8":
            stream.reconfigure(encoding="utf-8", errors="replace")


def read_text(path: str) -> str:
    """The UTF-8 text of the file ``path``, or of standard input when ``path`` is '-'.

    A file that cannot be read raises OSError, as opening it would (the caller says which
    option named it); text that is not UTF-8 is a HosoError."""
    try:
        if path != STDIN:
            return Path(path).read_bytes().decode("utf-8")
        return _stdin_text()
    except UnicodeDecodeError as exc:
        shown = "stdin" if path == STDIN else path
        raise HosoError(L(f"'{shown}' không phải văn bản UTF-8 (byte {exc.start})",
                          f"'{shown}' is not UTF-8 text (byte {exc.start})")) from None


def _stdin_text() -> str:
    stream = sys.stdin
    if stream is None:  # started with no standard input at all
        raise OSError(errno.EBADF, "no standard input")
    for seen, text in _stdin_read:
        if seen is stream:
            return text
    text = stream.buffer.read().decode("utf-8-sig")  # a byte-order mark, as Windows pipes add, is dropped
    _stdin_read[:] = [(stream, text)]
    return text
