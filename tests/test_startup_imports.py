"""The import budget of ``hoso check`` on a one-case change, guarded without timing anything.

``hoso check`` runs once per pull request, so its start-up is most of its cost. These tests run
a real check of a one-step change and look at what it loaded: a module added back to the check
path (GitPython, the site builder, pydantic's plugin lookup through importlib.metadata, the
validate machinery) fails them, and so does building the models of events the case does not hold.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hoso.change import check_change
from hoso.gitsource import open_repo
from tests.conftest import copy_demo
from tests.pr_util import EVENTS, commit, make_repo, progress_note, write_case

TODAY = "2024-11-01"

# Packages the one-case check must not import: each is heavy and none is needed to judge one step.
NOT_ON_CHECK_PATH = (
    "git", "gitdb", "smmap",  # GitPython: the check reads git through its plumbing (hoso.gitsource)
    "mkdocs", "material", "jinja2", "markdown", "hoso.site",  # the site builder
    "importlib.metadata",  # pydantic's plugin lookup (hoso.base stands in for it)
    "hoso.validation", "hoso.cache", "multiprocessing",  # hoso validate's machinery
    "hoso.forge", "urllib.request", "http.client",  # the forge clients (hoso approvals)
)


def imported_modules(stderr: str) -> list[str]:
    """The module names ``python -X importtime`` reported, in import order."""
    out = []
    for line in stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                out.append(name)
    return out


def one_case_change(tmp_path: Path) -> tuple[Path, str]:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "progress note")
    return repo, base


def test_one_case_check_imports_only_what_the_change_needs(tmp_path: Path) -> None:
    repo, base = one_case_change(tmp_path)
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "hoso", "-C", str(repo), "check", "--base", base,
                           "--today", TODAY, "--format", "json"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    doc = json.loads(proc.stdout)
    assert [(r["case"], r["event"]) for r in doc["required_approvals"]] == [("VC-2024-100", "progress_note")]
    modules = imported_modules(proc.stderr)
    # the check really ran through the modules that judge a change (the list is not empty by accident)
    assert {"hoso.change", "hoso.checks", "hoso.gitsource", "pydantic"} <= set(modules)
    loaded = [m for m in modules if any(m == p or m.startswith(p + ".") for p in NOT_ON_CHECK_PATH)]
    assert loaded == [], f"the one-case check imported {loaded}"


def test_one_case_check_builds_only_the_models_of_its_events(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as in a fresh `hoso check` process: this test process may already hold procedures other
    # tests compiled and used whole (hoso.repository keeps them per process, by their bytes)
    monkeypatch.setenv("HOSO_NO_PROCEDURE_CACHE", "1")
    repo, base = one_case_change(tmp_path)
    result = check_change(open_repo(repo), base, "HEAD", dt.date.fromisoformat(TODAY))
    assert result.report.errors == 0, result.report.findings
    assert [r.event for r in result.required] == ["progress_note"]
    built = {pid: c.built_events for pid, c in result.ctx.procedures.items()}
    case_events = set(re.findall(r"event: (\w+)", "".join(EVENTS + [progress_note()])))
    own = built.pop("hd02-2021")
    assert "progress_note" in own and set(own) <= case_events, own
    assert len(own) < len(result.ctx.procedures["hd02-2021"].proc.events)
    assert built and all(events == [] for events in built.values()), built


def test_counting_working_days_does_not_import_importlib_metadata(tmp_path: Path) -> None:
    """`hoso status` counts every open case's deadlines in working days (the ``holidays``
    package), and the package asks importlib.metadata for its own version when imported: hoso
    gives it the same string from the installed METADATA without that import (a fifth of a
    command's start-up)."""
    repo = copy_demo(tmp_path / "repo")
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "hoso", "-C", str(repo), "status", "--today", TODAY],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    modules = imported_modules(proc.stderr)
    assert "holidays" in modules and "holidays.registry" in modules  # working days were counted
    assert not [m for m in modules if m == "importlib.metadata" or m.startswith("importlib.metadata.")]


def test_the_stand_in_holidays_version_is_the_installed_one() -> None:
    code = ("import sys; from hoso.calendar import _holidays; h = _holidays(); "
            "assert 'importlib.metadata' not in sys.modules; v = h.__version__; "
            "from importlib.metadata import version; print(v, version('holidays'))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ours, theirs = proc.stdout.split()
    assert ours == theirs and re.fullmatch(r"[0-9]+(\.[0-9]+)+", ours)
