"""A git commit as a :class:`hoso.repository.Source`, and what changed between two commits.

Everything is read from the object database: no checkout, no working-tree reads. GitPython's
fast paths only (see performance-notes.md): ``git diff --name-status -z`` for the change list,
``git ls-tree`` for listings, and one long-lived ``git cat-file --batch`` process (GitPython's
``Git.get_object_data``) for file contents, so the cost follows the size of the change.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from pathlib import Path

import git

from hoso.errors import HosoError
from hoso.messages import L


def open_repo(root: Path) -> git.Repo:
    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HosoError(L(f"'{root}' không phải là kho git", f"'{root}' is not a git repository")) from None


def resolve(repo: git.Repo, rev: str) -> str:
    """The full commit id a revision names, or a clear error."""
    try:
        return str(repo.git.rev_parse("--verify", "--end-of-options", f"{rev}^{{commit}}"))
    except git.GitCommandError:
        raise HosoError(L(f"không tìm thấy commit '{rev}'", f"no commit '{rev}'")) from None


def merge_base(repo: git.Repo, base: str, head: str) -> str:
    try:
        out = str(repo.git.merge_base(base, head)).strip()
    except git.GitCommandError:
        return base
    return out or base


@dataclass
class GitCommit:
    """The tree of one commit, read through one ``git cat-file --batch`` process."""

    repo: git.Repo
    commit: str

    def list(self, prefix: str, suffix: str = ".yaml") -> builtins.list[str]:
        out = self.repo.git.ls_tree("-r", "-z", "--name-only", "--full-tree", self.commit, "--", prefix)
        names = [n for n in str(out).split("\0") if n]
        return sorted(n for n in names if n.endswith(suffix) and not n.rsplit("/", 1)[-1].startswith("."))

    def read(self, path: str) -> bytes | None:
        try:
            _sha, kind, _size, data = self.repo.git.get_object_data(f"{self.commit}:{path}")
        except (ValueError, git.GitCommandError):
            return None
        if kind not in (b"blob", "blob"):
            return None
        return bytes(data)

    def grep(self, words: builtins.list[str], prefix: str) -> builtins.list[str]:
        """Files under ``prefix`` containing any of ``words`` (fixed strings)."""
        if not words:
            return []
        args: builtins.list[str] = ["-l", "-F", "-z"]
        for w in words:
            args += ["-e", w]
        try:
            out = self.repo.git.grep(*args, self.commit, "--", prefix)
        except git.GitCommandError:  # exit 1: nothing found
            return []
        names = [n.split(":", 1)[1] if n.startswith(self.commit + ":") else n for n in str(out).split("\0") if n]
        return sorted(set(names))


LINK, GITLINK = "120000", "160000"


@dataclass(frozen=True)
class Change:
    status: str  # A, M, D, R (renamed), T (type changed)
    path: str  # the path at head (at base for D)
    old: str | None = None  # the path at base, for R
    mode: str = "100644"  # git's mode at head (at base for D): 120000 a symlink, 160000 a submodule

    @property
    def special(self) -> str | None:
        """What this path is when it is not a regular file: ``link`` or ``gitlink``."""
        return {LINK: "link", GITLINK: "gitlink"}.get(self.mode)


def changes(repo: git.Repo, base: str, head: str) -> list[Change]:
    """What ``head`` changes against ``base``, renames detected, with each path's git mode."""
    out = str(repo.git.diff("--raw", "-z", "-M", "--no-abbrev", base, head, "--"))
    parts = out.split("\0")
    result: list[Change] = []
    i = 0
    while i + 1 < len(parts) and parts[i].startswith(":"):
        old_mode, new_mode, _old_sha, _new_sha, status = parts[i][1:].split(" ")
        kind = status[0]
        mode = old_mode if kind == "D" else new_mode
        if kind in ("R", "C"):
            old, new = parts[i + 1], parts[i + 2]
            result.append(Change("R" if kind == "R" else "A", new, old if kind == "R" else None, mode))
            i += 3
        else:
            result.append(Change(kind, parts[i + 1], None, mode))
            i += 2
    return result
