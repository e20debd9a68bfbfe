"""A branch and a commit for one step, ready for a pull request (GitPython).

Everything that could stop the commit is checked before the file is written: the directory is
a git repository with a commit, the branch does not exist yet, and neither the case file nor
the index holds someone's uncommitted work that the commit would sweep up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import git

from hoso.errors import HosoError
from hoso.messages import L


def branch_name(case: str, event: str) -> str:
    return "hoso/" + re.sub(r"[^a-z0-9-]+", "-", f"{case}-{event}".lower()).strip("-")


@dataclass
class Pending:
    repo: Any  # git.Repo
    branch: str
    root: Path


def prepare(root: Path, branch: str, paths: list[str]) -> Pending:
    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise HosoError(L(f"--branch cần một kho git; '{root}' không phải", f"--branch needs a git repository; '{root}' is not one")) from None
    if not repo.head.is_valid():
        raise HosoError(L("kho git chưa có commit nào", "the git repository has no commit yet"))
    if branch in [h.name for h in repo.heads]:
        raise HosoError(L(f"nhánh '{branch}' đã có; xóa nó (git branch -D {branch}) hoặc làm tiếp trên nhánh đó",
                          f"branch '{branch}' exists; delete it (git branch -D {branch}) or carry on there"))
    top = Path(str(repo.working_tree_dir))
    rel = [(root / p).resolve().relative_to(top.resolve()).as_posix() for p in paths]
    if repo.index.diff("HEAD"):
        raise HosoError(L("có thay đổi đã 'git add' mà chưa commit; commit hoặc bỏ chúng trước",
                          "there are staged changes; commit or unstage them first"))
    dirty = set(repo.git.status("--porcelain", "--", *rel).splitlines())
    if dirty:
        raise HosoError(L(f"tệp hồ sơ có thay đổi chưa commit: {', '.join(sorted(dirty))}",
                          f"the case file has uncommitted changes: {', '.join(sorted(dirty))}"))
    return Pending(repo, branch, top)


def start(p: Pending) -> None:
    p.repo.git.checkout("-b", p.branch)


def commit(p: Pending, root: Path, paths: list[str], message: str) -> str:
    """Stage exactly ``paths`` (written or removed) and commit them as git itself would (hooks run)."""
    rel = [(root / s).resolve().relative_to(p.root.resolve()).as_posix() for s in paths]
    p.repo.git.add("-A", "--", *rel)
    p.repo.git.commit("-q", "-m", message)
    return str(p.repo.head.commit.hexsha[:10])


def remote_url(p: Pending) -> str | None:
    try:
        return str(p.repo.remotes.origin.url)
    except (AttributeError, IndexError):
        return None
