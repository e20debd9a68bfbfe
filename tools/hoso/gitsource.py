"""A git commit as a :class:`hoso.repository.Source`, and what changed between two commits.

Everything is read from the object database: no checkout, no working-tree reads, and no
GitPython: ``hoso check`` is started once per pull request, and importing GitPython costs more
than the rest of a one-case check (see performance-notes.md). :class:`GitRepo` runs git's own
plumbing: ``git diff --raw -z`` for the change list, ``git ls-tree`` for listings, and one
long-lived ``git cat-file --batch`` process for file contents, so the cost follows the size of
the change. The commands that drive a working tree (``gitbranch``, ``trailers``, ``audit``) keep
GitPython; a GitPython ``Repo`` handed to these functions is read through its git directory.
"""

from __future__ import annotations

import builtins
import os
import subprocess
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from hoso.errors import HosoError
from hoso.messages import L


class GitError(Exception):
    """A git command that exited with an error."""

    def __init__(self, args: builtins.list[str], status: int, stderr: str) -> None:
        super().__init__(f"git {' '.join(args)}: exit {status}: {stderr.strip()}")
        self.status = status


# git's messages in English and no pager or prompt, whatever the officer's environment says
_ENV = {"LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat"}


def _decode(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


@dataclass(eq=False)
class GitRepo:
    """A repository read through git's plumbing commands, run in ``root``."""

    root: Path
    _batch: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def run(self, *args: str) -> str:
        """``git ARGS``' standard output; :class:`GitError` when git fails."""
        proc = subprocess.run(["git", *args], cwd=self.root, capture_output=True, env={**os.environ, **_ENV},
                              check=False)
        if proc.returncode != 0:
            raise GitError(list(args), proc.returncode, _decode(proc.stderr))
        return _decode(proc.stdout)

    def object(self, spec: str) -> tuple[str, bytes] | None:
        """The kind (blob, tree…) and bytes of the object ``spec`` names, or None when it names none."""
        if "\n" in spec or "\r" in spec:  # the batch protocol is line-based: ask git once for this one
            try:
                kind = self.run("cat-file", "-t", spec).strip()
                data = subprocess.run(["git", "cat-file", kind, spec], cwd=self.root, capture_output=True,
                                      env={**os.environ, **_ENV}, check=True).stdout
            except (GitError, subprocess.CalledProcessError):
                return None
            return kind, data
        batch = self._open_batch()
        stdin, stdout = _pipes(batch)
        stdin.write(spec.encode("utf-8", "surrogateescape") + b"\n")
        stdin.flush()
        header = stdout.readline()
        if not header:
            raise GitError(["cat-file", "--batch"], batch.poll() or -1, "the batch process ended")
        parts = header.split()
        if len(parts) != 3 or not parts[2].isdigit():  # "<spec> missing" / "<spec> ambiguous"
            return None
        size = int(parts[2])
        data = stdout.read(size)
        stdout.read(1)  # the newline after the contents
        return _decode(parts[1]), data

    def _open_batch(self) -> subprocess.Popen[bytes]:
        if self._batch is None or self._batch.poll() is not None:
            self._batch = subprocess.Popen(["git", "cat-file", "--batch"], cwd=self.root, stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, env={**os.environ, **_ENV})
        return self._batch

    def close(self) -> None:
        if self._batch is not None:
            stdin, stdout = _pipes(self._batch)
            stdin.close()
            self._batch.wait()
            stdout.close()
            self._batch = None

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # at interpreter exit the pipes may already be gone
            pass


def _pipes(proc: subprocess.Popen[bytes]) -> tuple[IO[bytes], IO[bytes]]:
    assert proc.stdin is not None and proc.stdout is not None
    return proc.stdin, proc.stdout


def open_repo(root: Path) -> GitRepo:
    """The repository whose top (or bare git directory) is ``root``: not a directory above it,
    as git itself would look for."""
    if (root / ".git").exists() or _is_git_dir(root):
        return GitRepo(root)
    raise HosoError(L(f"'{root}' không phải là kho git", f"'{root}' is not a git repository"))


def open_gitpython(root: Path) -> Any:
    """A GitPython ``Repo`` at ``root``, for the commands that walk history through it (``audit``)."""
    import git

    try:
        return git.Repo(root, search_parent_directories=False)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HosoError(L(f"'{root}' không phải là kho git", f"'{root}' is not a git repository")) from None


def _is_git_dir(path: Path) -> bool:
    return (path / "HEAD").is_file() and (path / "objects").is_dir() and (path / "refs").is_dir()


# a GitPython Repo's reader lives as long as that Repo (its cat-file process ends with it)
_READERS: weakref.WeakKeyDictionary[Any, GitRepo] = weakref.WeakKeyDictionary()


def plumbing(repo: Any) -> GitRepo:
    """``repo`` as a :class:`GitRepo`: itself, or a GitPython ``Repo`` read through its directory."""
    if isinstance(repo, GitRepo):
        return repo
    reader = _READERS.get(repo)
    if reader is None:
        reader = GitRepo(Path(repo.working_tree_dir or repo.git_dir))
        _READERS[repo] = reader
    return reader


def resolve(repo: Any, rev: str) -> str:
    """The full commit id a revision names, or a clear error."""
    try:
        return plumbing(repo).run("rev-parse", "--verify", "--end-of-options", f"{rev}^{{commit}}").strip()
    except GitError:
        raise HosoError(L(f"không tìm thấy commit '{rev}'", f"no commit '{rev}'")) from None


def merge_base(repo: Any, base: str, head: str) -> str:
    try:
        out = plumbing(repo).run("merge-base", base, head).strip()
    except GitError:
        return base
    return out or base


@dataclass
class GitCommit:
    """The tree of one commit, read through one ``git cat-file --batch`` process."""

    repo: Any  # a GitRepo (a GitPython Repo is accepted and read through its directory)
    commit: str

    def __post_init__(self) -> None:
        self.repo = plumbing(self.repo)

    def list(self, prefix: str, suffix: str = ".yaml") -> builtins.list[str]:
        out = self.repo.run("ls-tree", "-r", "-z", "--name-only", "--full-tree", self.commit, "--", prefix)
        names = [n for n in out.split("\0") if n]
        return sorted(n for n in names if n.endswith(suffix) and not n.rsplit("/", 1)[-1].startswith("."))

    def read(self, path: str) -> bytes | None:
        try:
            found = self.repo.object(f"{self.commit}:{path}")
        except GitError:
            return None
        if found is None or found[0] != "blob":
            return None
        return found[1]

    def grep(self, words: builtins.list[str], prefix: str) -> builtins.list[str]:
        """Files under ``prefix`` containing any of ``words`` (fixed strings)."""
        if not words:
            return []
        args: builtins.list[str] = ["-l", "-F", "-z"]
        for w in words:
            args += ["-e", w]
        try:
            out = self.repo.run("grep", *args, self.commit, "--", prefix)
        except GitError:  # exit 1: nothing found
            return []
        names = [n.split(":", 1)[1] if n.startswith(self.commit + ":") else n for n in out.split("\0") if n]
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


def changes(repo: Any, base: str, head: str) -> list[Change]:
    """What ``head`` changes against ``base``, renames detected, with each path's git mode."""
    out = plumbing(repo).run("diff", "--raw", "-z", "-M", "--no-abbrev", base, head, "--")
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
