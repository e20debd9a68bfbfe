"""The benchmark runs end to end on a tiny set (its figures are not checked: no timing tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_bench_runs_on_50_cases(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--sizes", "50", "--invalid", "5",
                           "--out", str(tmp_path)], capture_output=True, text=True)
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
