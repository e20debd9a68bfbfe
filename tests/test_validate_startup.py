"""What ``hoso validate`` loads before it checks anything: only the country calendar it counts
working days in, and no field parsers for a valid ``--today``; a wrong ``--today`` still says
what is wrong with it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY, copy_demo

HOSO = [sys.executable, "-m", "hoso"]


def imported(repo: Path, *args: str) -> set[str]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "hoso", "-C", str(repo), *args],
                          capture_output=True, text=True)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line}


def test_working_days_load_one_country_not_the_world(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    modules = imported(repo, "validate", "--no-cache", "--today", TODAY)
    assert "hoso.checks" in modules  # records were checked, deadlines counted
    assert "holidays.groups" in modules  # what the country's calendar is built from
    # the package whose __init__ imports every country of the world (the country's own module is
    # loaded from its file, which -X importtime does not list)
    assert "holidays.countries" not in modules and "holidays.countries.afghanistan" not in modules


def test_a_warm_run_with_a_valid_today_does_not_import_the_field_parsers(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    subprocess.run([*HOSO, "-C", str(repo), "validate", "--today", TODAY], capture_output=True, check=False)
    modules = imported(repo, "validate", "--today", TODAY)
    assert "hoso.cache" in modules
    assert "hoso.fieldvalues" not in modules and "hoso.checks" not in modules


@pytest.mark.parametrize(("today", "why"), [
    ("2026-02-30", "month 2 of 2026 has only 28 days"),
    ("0000-01-01", "0000-01-01 does not exist"),
    ("2026-1-1", "needs a date written YYYY-MM-DD"),
    ("2026-13-01", "there is no month 13"),
])
def test_a_wrong_today_is_refused_with_its_reason(tmp_path: Path, today: str, why: str) -> None:
    repo = copy_demo(tmp_path / "repo")
    proc = subprocess.run([*HOSO, "-C", str(repo), "validate", "--lang", "en", "--today", today],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and why in proc.stderr and "Traceback" not in proc.stderr
