"""The benchmark runs end to end on a tiny set (its figures are not checked: no timing tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_bench_runs_on_50_cases(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--sizes", "50", "--invalid", "5",
                           "--out", str(tmp_path), "--check-repeat", "0", "--officer-repeat", "0", "--no-roster"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "floor 2: PyYAML CSafeLoader" in proc.stdout and "hoso validate, warm" in proc.stdout
    result = json.loads((tmp_path / "bench-50.json").read_text("utf-8"))
    assert result["findings_identical"] is True
    assert result["files_with_errors"] == result["planted_invalid"] == 5
    assert result["stats"]["warm"]["cached"] == 50


def test_generated_cases_are_deterministic_and_valid(tmp_path: Path) -> None:
    sys.path.insert(0, str(BENCH))
    import gen

    gen.generate(tmp_path / "a", 30)
    gen.generate(tmp_path / "b", 30)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a" / "records").rglob("*.yaml"))
    assert len(files) == 30
    assert all((tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)
    proc = subprocess.run([sys.executable, "-m", "hoso", "-C", str(tmp_path / "a"), "validate", "--today",
                           gen.TODAY.isoformat(), "--no-cache"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout
    assert "0 lỗi, 0 cảnh báo" in proc.stdout


def test_every_row_of_the_issue_table_is_printed(tmp_path: Path) -> None:
    """`make bench BENCH_ARGS=--national` on a tiny national tree: each row of issue 14's table."""
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--national", "--sizes", "20,40", "--provinces", "2",
                           "--communes", "2", "--check-repeat", "1", "--officer-repeat", "1", "--no-site", "--out", str(tmp_path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith(("| `hoso", "| national", "| check-jsonschema",
                                                                            "| the import floor"))]
    officer = json.loads((tmp_path / "bench-40.json").read_text("utf-8"))["officer"]
    case, unit = officer["case"], officer["unit"]
    assert set(officer["commands"]) == {"next", "record", "due --unit", "status --unit", "report"}
    assert [r.split(" | ")[0] for r in rows] == [
        "| `hoso validate` cold, 40 cases, vs PyYAML-C parse floor", "| `hoso validate` warm / cold, 40 cases",
        "| `hoso validate` cold peak RSS, 20 → 40 cases", "| `hoso check`, 1-case change, 40 vs 20 cases (CPU)",
        "| `hoso check`, 1-case change, whole process, vs `python -c pass` (40 cases)",
        "| the import floor of a command that validates a record (`python -c \"from pydantic import BaseModel; "
        "import yaml\"`) vs `python -c pass`",
        "| `hoso check`, 1-case change: org files parsed",
        "| national organisation loaded whole (89 officers, 46 units, 4 files, 0.0 MB) vs PyYAML-C on the same files",
        f"| `hoso next` {case}, 40 cases, whole process, warm cache",
        f"| `hoso record` {case}, 40 cases, whole process, warm cache",
        f"| `hoso due --unit` `{unit}`, 40 cases, whole process, warm cache",
        f"| `hoso status --unit` `{unit}`, 40 cases, whole process, warm cache",
        "| `hoso report` --year (all 40 cases), 40 cases, whole process, warm cache",
        "| `hoso site`, national tree, vs a plain mkdocs-material build",
        "| check-jsonschema on the same files vs `hoso validate`"]
    doc = json.loads((tmp_path / "issue14.json").read_text("utf-8"))
    assert doc["results"][1]["check"]["org_files_read"] == 2 and doc["results"][1]["check"]["org_files"] == 4
    assert doc["roster"]["findings"] == 0


def test_a_floor_too_small_to_measure_prints_a_dash_not_a_traceback() -> None:
    """A tiny N on a fast machine measured the PyYAML floor as 0 s of CPU (``os.times()`` counts
    10 ms ticks), and the table divided by it: the bench stopped with ZeroDivisionError. The CPU
    clock is now the process's own (nanoseconds), and a floor of 0 gives "—"."""
    sys.path.insert(0, str(BENCH))
    import run

    t = {"wall": 0.5, "cpu": 0.4, "rss_mb": 50.0}
    zero = {"wall": 0.0, "cpu": 0.0, "rss_mb": 0.0}
    r = {"n": 20, "read": zero, "pyyaml": zero, "cold": t, "warm": t, "serial_no_cache": t, "findings_identical": True}
    out = run.table([r])
    assert "| 20 | — | — | 1.000 | — | yes |" in out
    assert "| — |" in run.issue_table([r], {"wall": 0.0, "cpu": 0.0}, None)
    assert "below the clock's resolution" in run.issue_table([r], {"wall": 0.0, "cpu": 0.0}, None)
    assert run.per(1.0, 0.0) is None and run.per(1.0, 4.0) == 0.25
