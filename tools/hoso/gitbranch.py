"""A branch and a commit for one step, made from the default branch (GitPython).

The step is worked out and written in a scratch work tree checked out at the tip of the default
branch (``origin``'s, fetched first, when the repository has that remote), so the branch holds
exactly one new step whatever the officer's own checkout holds: another branch, uncommitted
work. The officer's checkout is not touched, except that an officer who stood on another branch
is warned and put back on the default branch at the end. Branch names never collide: a name
already taken (a repeatable step recorded twice) gets ``-2``, ``-3`` …
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from hoso.errors import HosoError
from hoso.messages import L

REMOTE = "origin"


def branch_name(case: str, event: str) -> str:
    return "hoso/" + re.sub(r"[^a-z0-9-]+", "-", f"{case}-{event}".lower()).strip("-")


@dataclass
class Base:
    repo: Any  # git.Repo: the officer's repository
    top: Path  # its work tree
    default: str  # the default branch's name (main)
    start: str  # what the new branch starts from (origin/main, or main without a remote)
    current: str | None  # the branch the officer stands on (None: detached)
    remote: bool


@dataclass
class Pending:
    base: Base
    tree: Path  # the scratch work tree
    root: Path  # the hoso repository inside it (``-C`` may point below the git top)


def open_git(root: Path) -> Any:
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HosoError(L(f"--branch cần một kho git; '{root}' không phải", f"--branch needs a git repository; '{root}' is not one")) from None
    if not repo.head.is_valid():
        raise HosoError(L("kho git chưa có commit nào", "the git repository has no commit yet"))
    return repo


def find_base(root: Path, lang: str = "vi") -> Base:
    """The default branch, fetched from ``origin`` first when there is one."""
    repo = open_git(root)
    remote = REMOTE in [r.name for r in repo.remotes]
    if remote:
        try:
            repo.git.fetch("-q", REMOTE)
        except git.GitCommandError as exc:  # offline: go on from what was fetched last, and say so
            print(f"hoso: chú ý: không tải được nhánh mới nhất từ {REMOTE} ({_git_error(exc)}); dùng bản đã tải lần trước"
                  if lang != "en" else
                  f"hoso: note: cannot fetch from {REMOTE} ({_git_error(exc)}); using what was fetched last",
                  file=sys.stderr)
    default = _default_branch(repo, remote)
    start = f"{REMOTE}/{default}" if remote and _has_ref(repo, f"refs/remotes/{REMOTE}/{default}") else default
    if not _has_ref(repo, f"refs/heads/{default}") and start == default:
        raise HosoError(L(f"không tìm thấy nhánh mặc định '{default}'", f"cannot find the default branch '{default}'"))
    current = None if repo.head.is_detached else str(repo.active_branch.name)
    return Base(repo, Path(str(repo.working_tree_dir)), default, start, current, remote)


def _default_branch(repo: Any, remote: bool) -> str:
    if remote:
        try:
            return str(repo.git.symbolic_ref("--short", f"refs/remotes/{REMOTE}/HEAD")).split("/", 1)[1]
        except git.GitCommandError:
            pass
        try:  # a remote whose HEAD was never recorded locally: ask it
            for line in str(repo.git.ls_remote("--symref", REMOTE, "HEAD")).splitlines():
                if line.startswith("ref: refs/heads/"):
                    return line.split()[1][len("refs/heads/"):]
        except git.GitCommandError:
            pass
    heads = [h.name for h in repo.heads]
    for name in ("main", "master"):
        if name in heads:
            return name
    try:
        return str(repo.git.config("--get", "init.defaultBranch"))
    except git.GitCommandError:
        return str(repo.active_branch.name) if not repo.head.is_detached else "main"


def _has_ref(repo: Any, ref: str) -> bool:
    try:
        repo.git.rev_parse("--verify", "-q", ref)
        return True
    except git.GitCommandError:
        return False


def _git_error(exc: git.GitCommandError) -> str:
    text = str(exc.stderr or "").strip().splitlines()
    return text[-1].strip().removeprefix("stderr: ").strip("'") if text else str(exc.status)


def free_name(base: Base, wanted: str) -> str:
    """``wanted``, or ``wanted-2``, ``wanted-3`` … when a branch of that name exists here or on the remote."""
    taken = {h.name for h in base.repo.heads}
    if base.remote:
        taken |= {r.remote_head for r in base.repo.remotes[REMOTE].refs}
    name, n = wanted, 1
    while name in taken:
        n += 1
        name = f"{wanted}-{n}"
    return name


@contextmanager
def scratch(base: Base, root: Path) -> Iterator[Pending]:
    """A work tree at the tip of the default branch, removed again whatever happens."""
    holder = Path(tempfile.mkdtemp(prefix="hoso-branch-"))
    tree = holder / "tree"
    try:
        base.repo.git.worktree("add", "-q", "--detach", str(tree), base.start)
    except git.GitCommandError as exc:
        shutil.rmtree(holder, ignore_errors=True)
        raise HosoError(L(f"không tạo được bản làm việc tạm: {_git_error(exc)}",
                          f"cannot create a scratch work tree: {_git_error(exc)}")) from None
    offset = root.resolve().relative_to(base.top.resolve())
    try:
        yield Pending(base, tree, tree / offset)
    finally:
        try:
            base.repo.git.worktree("remove", "--force", str(tree))
        except git.GitCommandError:
            pass
        shutil.rmtree(holder, ignore_errors=True)
        base.repo.git.worktree("prune")


def commit(p: Pending, branch: str, paths: list[str], message: str) -> str:
    """Make ``branch`` in the scratch tree, stage exactly ``paths`` (written or removed), commit (hooks run)."""
    work = git.Repo(p.tree)
    work.git.checkout("-q", "-b", branch)
    rel = [(p.root / s).resolve().relative_to(p.tree.resolve()).as_posix() for s in paths]
    work.git.add("-A", "--", *rel)
    try:
        work.git.commit("-q", "-m", message)
    except git.GitCommandError as exc:
        work.git.checkout("-q", "--detach")
        work.git.branch("-D", branch)
        raise HosoError(L(f"git commit không thành công: {_git_error(exc)}", f"git commit failed: {_git_error(exc)}")) from None
    return str(work.head.commit.hexsha[:10])


def back_to_default(base: Base) -> str | None:
    """Put an officer who stood on another branch back on the default one; None, or why that failed."""
    if base.current == base.default:
        return None
    try:
        base.repo.git.checkout("-q", base.default)
    except git.GitCommandError as exc:
        return _git_error(exc)
    return None


def remote_url(p: Pending) -> str | None:
    try:
        return str(p.base.repo.remotes[REMOTE].url)
    except (AttributeError, IndexError):
        return None
