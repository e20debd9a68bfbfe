"""hoso status: a case's stage and history, a unit's open cases; and a step that moves a case."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_demo, git
from tests.record_util import CASE, MEMBER, OPEN, PATHS, UNIT, run_cli, set_options

SUCCESSOR = "lao-cai/xa-son-a/chi-bo-thon-1"
MOVED = "VC-2025-001"


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """VC-2021-001 at notified; VC-2021-002 withdrawn; VC-2021-003 in another cell, just flagged."""
    repo = copy_demo(tmp_path_factory.mktemp("status") / "repo", records=False)
    base = ["-C", str(repo), "--today", "2021-12-31"]
    opening = ["new", *base, "--member-status", "full", "--no-input", *set_options(OPEN[1])]
    assert run_cli([*opening, "--member", MEMBER, "--unit", UNIT]) == 0
    for event, values in PATHS["closed_progress"][:3]:
        assert run_cli(["record", *base, CASE, event, "--no-input", *set_options(values)]) == 0
    assert run_cli([*opening, "--member", "DV-0501", "--unit", UNIT]) == 0  # one open case per member
    assert run_cli(["record", *base, "VC-2021-002", PATHS["withdrawn"][0][0], "--no-input",
                    *set_options(PATHS["withdrawn"][0][1])]) == 0
    assert run_cli([*opening, "--member", "DV-0502", "--unit", "van-chan/xa-b/chi-bo-thon-3",
                    "--set", "recorded_by=OF-011"]) == 0
    return repo


def status(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert run_cli(["-C", str(repo), "status", "--today", "2021-12-31", "--format", "json", *args]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_one_case(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = status(cases, capsys, CASE)
    assert (doc["stage"], doc["open"], doc["unit"], doc["member"]) == ("notified", True, UNIT, MEMBER)
    assert [h["event"] for h in doc["history"]] == ["flagged", "list_voted", "list_approved", "notified"]
    assert doc["history"][1] == {"date": "2021-05-12", "event": "list_voted",
                                 "title": "Chi bộ bỏ phiếu kín đưa vào danh sách", "recorded_by": "OF-001"}
    assert doc["allowed"][0] == "self_review"


def test_a_units_open_cases(cases: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert [c["case"] for c in status(cases, capsys)["cases"]] == ["VC-2021-001", "VC-2021-003"]
    assert [c["case"] for c in status(cases, capsys, "--unit", "van-chan/xa-b")["cases"]] == ["VC-2021-003"]
    capsys.readouterr()
    assert run_cli(["-C", str(cases), "status", "--today", "2021-12-31", "--unit", "van-chan"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Hồ sơ đang mở — van-chan: 2"
    assert "VC-2021-002" not in out


def test_colour_only_on_request_of_the_environment(cases: Path, capsys: pytest.CaptureFixture[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert run_cli(["-C", str(cases), "status", "--today", "2021-12-31"]) == 0
    assert "\033[1m" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    assert run_cli(["-C", str(cases), "status", "--today", "2021-12-31"]) == 0
    assert "\033[" not in capsys.readouterr().out


def test_a_transfer_moves_the_file_in_the_same_commit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)  # the case opened in 2025: VC-2025-001
    git(repo, "init", "-q", "-b", "main")
    values = {**OPEN[1], "date": "2025-05-04"}
    assert run_cli(["-C", str(repo), "new", "--today", "2025-05-04", "--unit", UNIT, "--member", MEMBER,
                    "--member-status", "full", "--no-input", *set_options(values)]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "case")
    moved = {"date": "2025-06-30", "recorded_by": "OF-021", "to_unit": SUCCESSOR, "order": "QĐ-200/2025"}
    assert run_cli(["-C", str(repo), "record", MOVED, "transferred", "--today", "2025-07-01", "--no-input", "--branch",
                    *set_options(moved)]) == 0
    branch = f"hoso/{MOVED.lower()}-transferred"
    git(repo, "merge", "-q", "--ff-only", branch)  # --branch leaves the officer on main: merge the pull request
    assert not (repo / "records" / UNIT / f"{MOVED}.yaml").exists()
    assert (repo / "records" / SUCCESSOR / f"{MOVED}.yaml").exists()
    names = git(repo, "show", "--name-status", "--format=", "HEAD").split("\n")
    assert sorted(n.split("\t")[0][:1] for n in names if n) in (["A", "D"], ["R"])
    assert git(repo, "status", "--porcelain") == ""
    assert status(repo, capsys, MOVED)["unit"] == SUCCESSOR
