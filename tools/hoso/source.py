"""Where hoso reads files from: the working tree, or anything else that can list and read.

Kept free of heavy imports: ``hoso validate`` with a warm result cache needs only this, the
cache and the reporters (no YAML, no pydantic, no procedure).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path as FsPath
from typing import Protocol


class Source(Protocol):
    def list(self, prefix: str, suffix: str = ".yaml") -> list[str]: ...

    def read(self, path: str) -> bytes | None: ...


@dataclass
class WorkTree:
    root: FsPath

    def list(self, prefix: str, suffix: str = ".yaml") -> list[str]:
        root = os.path.join(os.fspath(self.root), "")
        base = os.path.join(root, prefix)
        if not os.path.isdir(base):
            return []
        out: list[str] = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel = dirpath[len(root):].replace(os.sep, "/")
            # a directory named like a record is listed too, so that it is reported, not skipped
            out.extend(f"{rel}/{name}" for name in filenames + [d for d in dirnames if d.endswith(suffix)]
                       if name.endswith(suffix) and not name.startswith("."))
        return sorted(out)

    def read(self, path: str) -> bytes | None:
        return read_regular(os.path.join(self.root, path))

    def stat(self, path: str) -> os.stat_result | None:
        try:
            return os.stat(os.path.join(self.root, path), follow_symlinks=False)
        except OSError:
            return None


def read_regular(path: str | os.PathLike[str]) -> bytes | None:
    """The bytes of a regular file; ``None`` for anything else, a symbolic link included (its
    target may be anywhere, or nowhere: git would show the link's text, not what is read)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        # non-blocking, and only a regular file is read: a pipe or a device never blocks a run
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError:
        return None
    finally:
        os.close(fd)
