"""``hoso audit CASE``: for every event of a case, the commit and pull request that added it.

Walks the first-parent history of the branch (merge commits and squash commits of pull
requests are on it), follows the case file through renames, and counts the history entries
at each commit that touched it. The pull request comes from the commit message: GitHub's
"Merge pull request #N from …" or a squash commit's "Title (#N)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import git

from hoso.corrections import CHANGES, TARGET, apply_corrections
from hoso.errors import HosoError
from hoso.gitsource import GitCommit, resolve
from hoso.messages import L
from hoso.repository import RECORDS
from hoso.yamlload import YamlError, load_strict

_MERGE = re.compile(r"^Merge pull request #(\d+)\b")
_SQUASH = re.compile(r"\(#(\d+)\)\s*$")
_CASE = re.compile(r"^[A-Z0-9]+(?:-[A-Z0-9]+)*$")


@dataclass
class Correction:
    """What a correction step changes: the step it corrects (its index from 1, as the audit
    counts), each field's value before and after, and why."""

    corrects: int
    event: str
    changes: list[tuple[str, Any, Any]]  # field, old value, new value
    reason: str
    recorded_by: str

    def as_dict(self) -> dict[str, Any]:
        return {"corrects": self.corrects, "event": self.event, "reason": self.reason, "recorded_by": self.recorded_by,
                "changes": [{"field": f, "old": old, "new": new} for f, old, new in self.changes]}


@dataclass
class Added:
    index: int  # from 1
    event: str
    date: str
    commit: str
    subject: str
    pr: int | None
    approved_by: list[dict[str, Any]] = field(default_factory=list)
    correction: Correction | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "event": self.event, "date": self.date, "commit": self.commit,
                "subject": self.subject, "pull_request": self.pr, "approved_by": self.approved_by,
                "correction": self.correction.as_dict() if self.correction is not None else None}


def _plain(value: Any) -> Any:
    """A value as JSON can hold it (dates as ISO text)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def describe_corrections(added: list[Added], history: list[Any], names: frozenset[str]) -> None:
    """Fill ``correction`` for every added step that is a correction (an event of ``names``): the
    old values are those the corrected step had just before it, earlier corrections applied."""
    for a in added:
        k = a.index - 1
        raw = history[k] if 0 <= k < len(history) else None
        if not isinstance(raw, dict) or raw.get("event") not in names:
            continue
        target, changes = raw.get(TARGET), raw.get(CHANGES)
        before = apply_corrections(history[:k], names).entries
        if not isinstance(target, int) or isinstance(target, bool) or not 0 <= target < k \
                or not isinstance(changes, dict) or not isinstance(before[target], dict):
            continue  # `hoso validate` reports it (CORRECT-TARGET, SCHEMA-*)
        old = before[target]
        a.correction = Correction(target + 1, str(old.get("event", "?")),
                                  [(str(f), _plain(old.get(f)), _plain(v)) for f, v in changes.items()],
                                  str(raw.get("reason", "")), str(raw.get("recorded_by", "")))


def pr_number(message: str) -> int | None:
    lines = message.strip().splitlines()
    subject = lines[0] if lines else ""
    m = _MERGE.match(subject) or _SQUASH.search(subject)
    return int(m.group(1)) if m else None


def _history(data: bytes | None) -> list[Any]:
    if data is None:
        return []
    try:
        value = load_strict(data).value
    except YamlError:
        return []
    h = value.get("history") if isinstance(value, dict) else None
    return h if isinstance(h, list) else []


def audit(repo: git.Repo, case: str, rev: str = "HEAD", corrections: frozenset[str] = frozenset()) -> tuple[str, list[Added]]:
    """Every event of ``case`` with the commit and pull request that added it; a correction
    (an event of ``corrections``) also says what it changed."""
    if not _CASE.match(case):
        raise HosoError(L(f"mã hồ sơ không hợp lệ: '{case}'", f"not a case id: '{case}'"))
    head = resolve(repo, rev)
    log = str(repo.git.log("--first-parent", "--reverse", "-z", "--format=%x1e%H%x1f%B%x1f", "--name-status",
                           head, "--", f":(glob){RECORDS}/**/{case}.yaml"))
    path: str | None = None
    count = 0
    added: list[Added] = []
    for chunk in log.split("\x1e"):
        if not chunk.strip("\0\n"):
            continue
        sha, message, rest = chunk.split("\x1f", 2)
        names = [n for n in rest.strip("\0\n").split("\0") if n]
        i = 0
        while i < len(names):
            status = names[i].strip()
            if status.startswith(("R", "C")):
                path = names[i + 2]
                i += 3
            else:
                path = None if status.startswith("D") else names[i + 1]
                i += 2
        if path is None:
            count = 0
            continue
        history = _history(GitCommit(repo, sha).read(path))
        for k in range(count, len(history)):
            ev = history[k] if isinstance(history[k], dict) else {}
            added.append(Added(k + 1, str(ev.get("event", "?")), str(ev.get("date", "?")), sha,
                               message.strip().splitlines()[0] if message.strip() else "", pr_number(message)))
        count = max(count, len(history))
    if path is None:
        raise HosoError(L(f"không tìm thấy hồ sơ {case} trong lịch sử của {rev}",
                          f"case {case} is not in the history of {rev}"))
    if corrections:
        describe_corrections(added, _history(GitCommit(repo, head).read(path)), corrections)
    return path, added
