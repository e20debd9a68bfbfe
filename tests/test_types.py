"""mypy (strict, the configuration of pyproject.toml) finds nothing in hoso. A test, not a step
before the suite: on a fresh checkout mypy has no cache and checks for about 10 s on one core,
which the suite's other worker spends on other tests (tests/slow_first.txt starts it first)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def test_mypy_strict_finds_nothing() -> None:
    proc = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-2000:]
    assert proc.stdout.startswith("Success: no issues found"), proc.stdout
