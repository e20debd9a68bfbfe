"""Where each case's file stands, remembered between runs so that a one-case officer command
(``next``, ``status CASE``, ``record``) does not list every record of a national repository.

The index is a hint, never a source of truth: a path it names is used only when a regular file
stands there, under ``records/``, named after the case; anything else (no index, a moved or
renamed case, an index edited by hand) lists every record as before and writes the index again.
It lives in ``.hoso-cache/cases/`` (one small JSON file per case-id prefix, so a lookup reads a
few thousand entries, not the country), is never read or written through a symbolic link, and
is ignored by git like the rest of the cache. Queries the validate cache does not answer live
here, apart from it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from hoso.source import read_regular

DIRNAME = ".hoso-cache"
SUBDIR = "cases"
RECORDS = "records"
_PREFIX = re.compile(r"[A-Z0-9]{1,16}")


def shard(case: str) -> str:
    """The index file of a case id: its letters before the first dash (``SA`` of SA-2026-001)."""
    head = case.upper().split("-", 1)[0]
    return head if _PREFIX.fullmatch(head) else "_"


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1][: -len(".yaml")]


def usable(root: Path, case: str, path: str) -> bool:
    """``path`` is a record file of ``case`` in this tree (its name, letters' case aside)."""
    parts = path.split("/")
    if len(parts) < 3 or parts[0] != RECORDS or not path.endswith(".yaml") \
            or any(not p or p.startswith(".") or p == ".." for p in parts):
        return False
    if _stem(path).upper() != case.upper():
        return False
    try:
        return os.path.isfile(root / path) and not os.path.islink(root / path)
    except OSError:
        return False


def lookup(root: Path, case: str) -> str | None:
    """The path the index gives for ``case`` (exact id first, then letters' case aside), if usable."""
    if _linked(root):
        return None
    data = read_regular(root / DIRNAME / SUBDIR / f"{shard(case)}.json")
    if data is None:
        return None
    try:
        entries = json.loads(data)
    except ValueError:
        return None
    if not isinstance(entries, dict):
        return None
    path = entries.get(case)
    if not isinstance(path, str):
        path = next((p for c, p in entries.items() if isinstance(c, str) and c.upper() == case.upper()), None)
    return path if isinstance(path, str) and usable(root, case, path) else None


def _linked(root: Path) -> bool:
    """The cache folder or the index folder is a symbolic link (it may point anywhere)."""
    return os.path.islink(root / DIRNAME) or os.path.islink(root / DIRNAME / SUBDIR)


def remember(root: Path, paths: dict[str, str]) -> None:
    """Write the index from a full listing (case id -> path). A tree that cannot be written, or
    a cache folder that is a link, costs the next lookup its speed, never a result."""
    directory = root / DIRNAME / SUBDIR
    shards: dict[str, dict[str, str]] = {}
    for case, path in paths.items():
        shards.setdefault(shard(case), {})[case] = path
    try:
        for d in (root / DIRNAME, directory):
            if os.path.islink(d):
                return
            d.mkdir(exist_ok=True)
            if _linked(root) or not d.is_dir():
                return
        _ignore(root / DIRNAME)
        for name, entries in shards.items():
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    json.dump(entries, fh, ensure_ascii=False, sort_keys=True)
                os.replace(tmp, directory / f"{name}.json")
            except BaseException:
                os.unlink(tmp)
                raise
    except OSError:
        return


def _ignore(cache: Path) -> None:
    """The cache folder's own .gitignore (as hoso validate writes it), unless something stands there."""
    try:
        fd = os.open(cache / ".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(b"*\n")
