"""Shared fixtures: a repository copied from the demo, real git with a fixed identity, and an
environment kept away from the developer's home directory and global git config."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

# Hypothesis draws the same examples on every run of `make test` (derandomize: seeded by each
# test's name, so the suite's answer depends on the code, never on the run: a property test that
# finds a new bug fails on every run of that code, not on one run in some). `make fuzz`
# (HOSO_FUZZ_EXAMPLES=2000) is where new examples are drawn at random, many more of them.
# FUZZ_EXAMPLES: examples per property test in `make fuzz`, 0 in `make test` (tests/fuzz_util.py).
FUZZ_EXAMPLES = int(os.environ.get("HOSO_FUZZ_EXAMPLES") or 0)
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("fuzz", derandomize=False)
settings.load_profile("fuzz" if FUZZ_EXAMPLES else "suite")

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-11-27"

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.invalid",
    "GIT_COMMITTER_NAME": "Test Committer",
    "GIT_COMMITTER_EMAIL": "committer@example.invalid",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}


SLOW_FIRST = ROOT / "tests" / "slow_first.txt"

# A run writes about 40,000 files (some 330 MB: repositories, sites, environments), and a later
# run deletes them. On this host's disk (ext4 mounted with `discard`) that cost, in pairs of runs
# taken in turn on 2 December 2026: 115-123 s wall and 40-51 s of system CPU on disk against
# 106-115 s and 34-38 s in memory; deleting one old run at the end took 6.7 s on disk, 0.9 s in memory.
MEMORY_SCRATCH = Path("/dev/shm")
MEMORY_SCRATCH_FREE = 4 << 30  # a run's files with room to spare; a container's 64 MB /dev/shm is passed over


def pytest_configure(config: pytest.Config) -> None:
    """The run's scratch space (pytest's tmp_path, and TMPDIR for every process the tests start)
    in memory, /dev/shm, when TMPDIR is not set and /dev/shm is a writable directory with room,
    mounted without ``noexec`` (the tests run programs from their scratch: environments' scripts,
    git hooks); HOSO_TEST_SCRATCH=memory says so to the workers and the tests.
    `TMPDIR=/tmp make test` keeps it on disk. Workers inherit the controller's environment."""
    if os.environ.get("TMPDIR") or not (MEMORY_SCRATCH.is_dir() and os.access(MEMORY_SCRATCH, os.W_OK | os.X_OK)):
        return
    fs = os.statvfs(MEMORY_SCRATCH)
    if fs.f_flag & os.ST_NOEXEC or fs.f_bavail * fs.f_frsize < MEMORY_SCRATCH_FREE:
        return
    os.environ["TMPDIR"] = str(MEMORY_SCRATCH)
    os.environ["HOSO_TEST_SCRATCH"] = "memory"
    tempfile.tempdir = None  # gettempdir() reads TMPDIR again


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The modules of tests/slow_first.txt first, in its order, each kept whole (its module
    fixtures are made once per worker); the others after them, in pytest's order."""
    listed = [line.split("#", 1)[0].strip() for line in SLOW_FIRST.read_text(encoding="utf-8").splitlines()]
    rank = {name: i for i, name in enumerate(n for n in listed if n)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))  # stable: order kept within


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Each phase's report kept on the test (``item.failed_phase``), for a fixture's teardown
    to tell a failed test (the browser tests keep a screenshot of a failed test's page)."""
    report = yield
    if report.failed:
        item.failed_phase = report.when  # type: ignore[attr-defined]
    return report


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    for k, v in GIT_ENV.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("HOSO_TODAY", raising=False)
    monkeypatch.delenv("HOSO_LANG", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load`` on libyaml's parser (the same safe constructors, about ten times faster
    than the pure-Python one): for the tests' own reading of records, org files and procedures."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 (a safe loader)


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


def copy_demo(dest: Path, *, records: bool = True) -> Path:
    """A copy of the project's data (procedures, org, records, hoso.yaml) in ``dest``."""
    for name in ("procedures", "org"):
        shutil.copytree(ROOT / name, dest / name)
    if records:
        shutil.copytree(ROOT / "records", dest / "records")
    else:
        (dest / "records").mkdir()
    if (ROOT / "hoso.yaml").exists():
        shutil.copy(ROOT / "hoso.yaml", dest / "hoso.yaml")
    return dest


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return copy_demo(tmp_path / "repo")


@pytest.fixture
def demo_git(tmp_path: Path) -> Iterator[Path]:
    """The demo data as a real git repository with one commit on ``main``."""
    repo = copy_demo(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "demo")
    yield repo
