"""The rows of issue 14's table that are not ``hoso validate`` runs: ``hoso check`` of a one-case
change (against the same change at 1,000 cases, and against a bare ``python -c pass``), and the
national roster's load (against PyYAML's C loader on the same files). Each measures its floor
in the same run. Used by bench/run.py.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

GIT_ENV = {"GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "bench@example.invalid", "GIT_COMMITTER_NAME": "bench",
           "GIT_COMMITTER_EMAIL": "bench@example.invalid", "GIT_CONFIG_NOSYSTEM": "1"}


def _run(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, float, str]:
    """Wall s, CPU s (user + system of the process and what it waited for), peak RSS MB, stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        w = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, env={**os.environ, **GIT_ENV})
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - w
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode()
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.read().decode()[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, text


_timed = _run


def python_floor(repeat: int) -> dict[str, float]:
    """A bare interpreter: ``python -c pass``."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, _, _ = _timed([sys.executable, "-c", "pass"])
        walls.append(wall)
        cpus.append(cpu)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


IMPORT_FLOOR = "from pydantic import BaseModel; import yaml"


def import_floor(repeat: int) -> dict[str, float]:
    """What any command that validates a record must import: ``python -c "from pydantic import
    BaseModel; import yaml"`` (hoso's own modules and work excluded)."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, _, _ = _timed([sys.executable, "-c", IMPORT_FLOOR])
        walls.append(wall)
        cpus.append(cpu)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                          env={**os.environ, **GIT_ENV}).stdout


_LAST_EVENT = re.compile(r"(?m)^  - event: (\w+)\n")


def _open_case(repo: Path) -> tuple[Path, str]:
    """A case whose last step is help_assigned or a progress note, and the helper who may add one."""
    for path in sorted((repo / "records").rglob("*.yaml")):
        text = path.read_text("utf-8")
        events = _LAST_EVENT.findall(text)
        if events and events[-1] in ("help_assigned", "progress_note") and "final_review" not in events:
            helper = re.search(r"(?m)^    helper: (\S+)$", text)
            if helper:
                return path, helper.group(1)
    raise SystemExit(f"no open case under help in {repo}")


def make_change(repo: Path, today: str) -> None:
    """``repo`` as a git repository: main holds the generated tree, branch ``change`` appends
    one progress note to one open case (a step its helper may record)."""
    if (repo / ".git").exists():
        return
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "base")
    path, helper = _open_case(repo)
    _git(repo, "checkout", "-q", "-b", "change")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f'  - event: progress_note\n    date: "{today}"\n    recorded_by: {helper}\n    document: PGN-99/2026\n')
    _git(repo, "commit", "-q", "-am", "one step")
    _git(repo, "checkout", "-q", "main")


ORG_READ = """
import datetime as dt, json, pathlib
from hoso.change import check_change
from hoso.gitsource import open_repo
from hoso.orgload import org_paths
from hoso.gitsource import GitCommit
repo = open_repo(pathlib.Path({repo!r}))
r = check_change(repo, "main", "change", dt.date.fromisoformat({today!r}))
index = r.ctx.org.index
total = len(org_paths(GitCommit(repo, r.base)))
print(json.dumps({{"read": sorted(index.done) if index is not None else None, "total": total,
                  "errors": r.report.errors, "required": len(r.required)}}))
"""


def check_row(repo: Path, today: str, repeat: int) -> dict[str, Any]:
    """``hoso check`` of the one-case change, whole process, ``repeat`` times."""
    make_change(repo, today)
    exe = Path(sys.executable).with_name("hoso")
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "hoso"]),
           "-C", str(repo), "check", "--base", "main", "--head", "change", "--today", today, "--format", "json"]
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu, _, out = _timed(cmd)
        doc = json.loads(out)
        if doc["summary"]["errors"] or len(doc["required_approvals"]) != 1:
            raise SystemExit(f"the one-case change did not check clean in {repo}: {out[:2000]}")
        walls.append(wall)
        cpus.append(cpu)
    _, _, _, out = _run([sys.executable, "-c", ORG_READ.format(repo=str(repo), today=today)])
    org = json.loads(out)
    return {"wall": statistics.median(walls), "wall_min": min(walls), "cpu": statistics.median(cpus),
            "org_files_read": None if org["read"] is None else len(org["read"]), "org_files": org["total"]}


def _hoso(repo: Path, *args: str) -> list[str]:
    exe = Path(sys.executable).with_name("hoso")
    return [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "hoso"]), "-C", str(repo),
            *args]


def _median_run(cmd: list[str], repeat: int, after: Any = None) -> dict[str, float]:
    """``cmd`` once to warm what it caches, then ``repeat`` timed runs (wall and CPU medians)."""
    walls, cpus = [], []
    for i in range(repeat + 1):
        wall, cpu, _, _ = _timed(cmd)
        if after is not None:
            after()
        if i:
            walls.append(wall)
            cpus.append(cpu)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def officer_rows(repo: Path, today: str, repeat: int) -> dict[str, Any]:
    """The officer commands at this size, whole process, each after one warm-up run (the case
    index and, for ``report``, the validate cache of the runs before): ``next`` and ``record``
    (no --branch) of one open case, ``due --unit`` and ``status --unit`` of its commune, and the
    year's ``report`` of the whole repository."""
    path, helper = _open_case(repo)
    rel = path.relative_to(repo).as_posix()
    case = path.stem
    commune = "/".join(rel.split("/")[1:-2])
    original = path.read_bytes()

    def restore() -> None:
        if path.read_bytes() == original:
            raise SystemExit(f"hoso record wrote nothing to {rel}")
        path.write_bytes(original)

    day = ["--today", today]
    record = ["record", case, "progress_note", "--no-input", "--set", f"date={today}", "--set",
              f"recorded_by={helper}", "--set", "document=PGN-98/2026", *day]
    rows = {
        "next": _median_run(_hoso(repo, "next", case, "--format", "json", *day), repeat),
        "record": _median_run(_hoso(repo, *record), repeat, restore),
        "due --unit": _median_run(_hoso(repo, "due", "--unit", commune, "--format", "json", *day), repeat),
        "status --unit": _median_run(_hoso(repo, "status", "--unit", commune, "--format", "json", *day), repeat),
        "report": _median_run(_hoso(repo, "report", "--year", today[:4], "--format", "json", *day), repeat),
    }
    return {"case": case, "unit": commune, "commands": rows}


LOAD_ORG = """
import datetime as dt, pathlib, time
from hoso.repository import WorkTree, load_context
t = time.perf_counter()
r = load_context(WorkTree(pathlib.Path({repo!r})), dt.date(2026, 11, 27))
print(time.perf_counter() - t, len(r.ctx.org.units), len(r.ctx.org.officers), len(r.findings))
"""


def roster_row(repo: Path) -> dict[str, Any]:
    """The national organisation loaded whole (every shard parsed and checked), in a fresh
    process, against PyYAML's C loader alone on the same files (in this process)."""
    files = sorted((repo / "org").rglob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    w, c = time.perf_counter(), _cpu()
    for f in files:
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)
    floor = {"wall": time.perf_counter() - w, "cpu": _cpu() - c}
    wall, cpu, rss, out = _timed([sys.executable, "-c", LOAD_ORG.format(repo=str(repo))])
    inner, units, officers, findings = out.split()
    return {"floor": floor, "wall": wall, "cpu": cpu, "rss_mb": rss, "load_s": float(inner), "units": int(units),
            "officers": int(officers), "findings": int(findings), "files": len(files), "bytes": size}


def _cpu() -> float:
    t = os.times()
    return t.user + t.system
