"""Helpers for the site tests: the generated guide pages of a repository, and a site build."""

from __future__ import annotations

import datetime as dt
import fcntl
import functools
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType

import pytest

from hoso.repository import WorkTree, load_context
from hoso.site import guides
from tests.conftest import ROOT, TODAY, copy_demo

GOLDEN = ROOT / "tests" / "golden" / "site"
HOOK = Path("tools/hoso/site/hook.py")


LANGS = ("vi", "en")


@functools.cache
def guide_pages(lang: str = "vi", root: Path = ROOT, today: str = TODAY) -> Mapping[str, str]:
    """The guide pages as ``hoso site`` writes them, made once per worker (read-only)."""
    repo = load_context(WorkTree(root), dt.date.fromisoformat(today))
    return MappingProxyType(guides.pages(repo.ctx, lang))


def site_repo(dest: Path) -> Path:
    """A copy of the demo with what the site build needs: mkdocs.yml, docs/ and the hook file."""
    copy_demo(dest)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copy(ROOT / "mkdocs.en.yml", dest / "mkdocs.en.yml")
    shutil.copytree(ROOT / "docs", dest / "docs")
    shutil.copytree(ROOT / "overrides", dest / "overrides")
    (dest / HOOK).parent.mkdir(parents=True)
    shutil.copy(ROOT / HOOK, dest / HOOK)
    return dest


_BUILT: dict[str, Path] = {}


def shared_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A directory every pytest-xdist worker of this run sees (the run's base temp dir when alone)."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    path = root / f"shared-{name}"
    path.mkdir(exist_ok=True)
    return path


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], str]) -> Path:
    """``make(repo)`` run once per test run for every worker: the first worker makes the repository
    under a lock (what ``make`` returns is kept as the mark that it is done), the others wait on
    the lock and find it made. Returns the repository's path."""
    where = shared_dir(tmp_path_factory, name)
    with open(where / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = where / "built.ok"
        if not done.exists():
            shutil.rmtree(where / "repo", ignore_errors=True)
            done.write_text(make(where / "repo"))
    return where / "repo"


def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, both languages (English in en/), built once per test run by one ``hoso site``
    process and shared by every worker (the build tests and the browser tests read it; what the
    command printed is in :func:`built_site_output`). A plain ``mkdocs build`` writes the same
    bytes (tests/test_privacy.py builds that way)."""
    def make(dest: Path) -> str:
        repo = site_repo(dest)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "XDG_CACHE_HOME": str(dest.parent / "xdg-cache")}
        proc = subprocess.run([sys.executable, "-m", "hoso", "-C", str(repo), "site", "--today", TODAY],
                              env=env, capture_output=True, text=True, timeout=900)
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
        return proc.stdout

    if "vi" not in _BUILT:
        _BUILT["vi"] = built_once(tmp_path_factory, "site", make) / "site"
    return _BUILT["vi"]


def built_site_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    """What the ``hoso site`` of :func:`built_site` printed."""
    return (built_site(tmp_path_factory).parent.parent / "built.ok").read_text(encoding="utf-8")
