"""Where hoso reads files from: the working tree, or anything else that can list and read.

Kept free of heavy imports: ``hoso validate`` with a warm result cache needs only this, the
cache and the reporters (no YAML, no pydantic, no procedure).
"""

from __future__ import annotations

import os
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
            out.extend(f"{rel}/{name}" for name in filenames if name.endswith(suffix) and not name.startswith("."))
        return sorted(out)

    def read(self, path: str) -> bytes | None:
        try:
            with open(os.path.join(self.root, path), "rb") as fh:
                return fh.read()
        except OSError:
            return None

    def stat(self, path: str) -> os.stat_result | None:
        try:
            return os.stat(os.path.join(self.root, path))
        except OSError:
            return None
