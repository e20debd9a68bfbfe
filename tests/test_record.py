"""hoso record through whole cases, from flagged to every end state, by options and by prompts."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_demo, git
from hoso.cli import main
from tests.record_util import (CASE, LISTED, MEMBER, OPEN, PATHS, TODAY, UNIT, event_answers, history, procedure,
                               run_cli, set_options)

MODES = ("options", "prompts")


@pytest.fixture
def empty_repo(tmp_path: Path) -> Path:
    repo = copy_demo(tmp_path / "repo", records=False)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "data")
    return repo


def status(repo: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert run_cli(["-C", str(repo), "status", CASE, "--today", TODAY, "--format", "json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_end_states_are_the_procedures() -> None:
    assert set(PATHS) == set(procedure().end_states)


def drive(repo: Path, steps: list[tuple[str, dict[str, Any]]], mode: str) -> None:
    """Open the case (if ``steps`` starts with the opening) and record each step, by options or by prompts."""
    where = ["-C", str(repo), "--today", TODAY]
    proc = procedure()
    saved = sys.stdin
    try:
        for event, values in steps:
            if mode == "options":
                argv, typed = ["--no-input", *set_options(values)], None
            elif event == OPEN[0]:
                argv, typed = [], values["date"] + "\n1\n" + event_answers(proc, event, values, skip=("date",))
            else:
                argv, typed = [], event_answers(proc, event, values)
            if typed is not None:
                sys.stdin = io.StringIO(typed)
            if event == OPEN[0]:
                code = main(["new", *where, "--unit", UNIT, "--member", MEMBER, *argv]
                            + (["--member-status", "full"] if mode == "options" else []))
            else:
                code = main(["record", *where, CASE, event, *argv])
            assert code == 0, (mode, event)
    finally:
        sys.stdin = saved


@pytest.fixture(scope="module")
def listed_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per mode, a repository where flagged … progress_note were recorded (the common part of four paths)."""
    out = {}
    for mode in MODES:
        repo = copy_demo(tmp_path_factory.mktemp(mode) / "repo", records=False)
        drive(repo, [OPEN, *LISTED], mode)
        out[mode] = repo
    return out


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("end", sorted(PATHS))
def test_whole_case_to_every_end_state(end: str, mode: str, listed_case: dict[str, Path], tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    """From flagged to ``end``, every step by hoso record (--set options, or answers typed at the prompts)."""
    steps = PATHS[end]
    repo = tmp_path / "repo"
    if steps[: len(LISTED)] == LISTED:
        shutil.copytree(listed_case[mode], repo)
        drive(repo, steps[len(LISTED):], mode)
    else:
        copy_demo(repo, records=False)
        drive(repo, [OPEN, *steps], mode)
    assert history(repo) == [{"event": e, **v} for e, v in [OPEN, *steps]]
    doc = status(repo, capsys)
    assert (doc["stage"], doc["open"], doc["errors"]) == (end, False, 0)
    assert main(["-C", str(repo), "validate", "--today", TODAY]) == 0


def test_prompts_list_allowed_values_and_ask_again(empty_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    repo = str(empty_repo)
    assert run_cli(["-C", repo, "new", "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--today", TODAY,
                    "--no-input", *set_options(OPEN[1])]) == 0
    capsys.readouterr()
    typed = "\n".join(["27/05/2021", "2021-05-27", "OF-099", "2", "OF-001", "", ""]) + "\n"
    # list_voted is not next: the stage is flagged, so ask for the real next step
    assert run_cli(["-C", repo, "record", CASE, "notified", "--today", TODAY], typed, monkeypatch) == 1
    assert "list_voted" in capsys.readouterr().err
    typed = "\n".join(["2021-05-12", "OF-001", "NQ-02/2021", "15", "không", "13", "11", "2", "", "có", "đạt", "1", "", "có"]) + "\n"
    assert run_cli(["-C", repo, "record", CASE, "list_voted", "--today", TODAY], typed, monkeypatch) == 0
    err = capsys.readouterr().err
    assert "1) passed — Đạt" in err and "2) failed — Không đạt" in err
    assert "'đạt' không có trong danh sách" in err
    assert "OF-002 — xa-a-thon-1-2" in err  # the officers who hold the recorder's roles at the cell
    assert history(empty_repo)[-1]["result"] == "passed"


def test_prompts_by_a_real_process_and_end_of_input(empty_repo: Path) -> None:
    repo = str(empty_repo)
    exe = [sys.executable, "-m", "hoso", "-C", repo]
    env = {**os.environ, "HOSO_TODAY": TODAY}
    typed = OPEN[1]["date"] + "\n1\n" + event_answers(procedure(), "flagged", OPEN[1], skip=("date",))
    done = subprocess.run([*exe, "new", "--unit", UNIT, "--member", MEMBER], input=typed, text=True,
                          capture_output=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "Đã mở hồ sơ VC-2021-001" in done.stdout
    path = empty_repo / "records" / UNIT / f"{CASE}.yaml"
    before = path.read_bytes()
    half = "2021-05-12\nOF-001\nNQ-02/2021\n15\n"
    stopped = subprocess.run([*exe, "record", CASE, "list_voted"], input=half, text=True, capture_output=True, env=env)
    assert stopped.returncode == 1
    assert "không có gì được ghi" in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert path.read_bytes() == before


def test_set_syntax_errors_say_what_to_fix(empty_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = str(empty_repo)
    base = ["-C", repo, "new", "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--today", TODAY,
            "--no-input"]
    cases = {
        "--set=grounds=khong-hoan-thanh-2-nam,bogus": "'grounds.1': 'bogus' không có trong danh sách",
        "--set=consultations.1.body=doan-the": "hãy đặt mục 0 trước",
        "--set=colour=red": "không có trường 'colour'",
        "--set=consultations.0.date=28/04/2021": "cần một ngày dạng YYYY-MM-DD",
        "--set=recorded_by.x=1": "là giá trị đơn",
    }
    for option, message in cases.items():
        assert run_cli([*base, "--set=date=2021-05-04", option]) == 2  # a command-line mistake
        assert message in capsys.readouterr().err
    assert not list((empty_repo / "records").rglob("*.yaml"))


def test_from_file_and_set_override(empty_repo: Path, tmp_path: Path) -> None:
    spec = tmp_path / "flagged.yaml"
    spec.write_text("date: \"2021-05-04\"\nrecorded_by: OF-003\ngrounds: [tai-pham]\n"
                    "consultations:\n  - {body: mat-tran-thon, date: \"2021-04-28\", ref: BB-01/2021}\n")
    code = run_cli(["-C", str(empty_repo), "new", "--unit", UNIT, "--member", MEMBER, "--member-status", "probationary",
                    "--today", TODAY, "--no-input", "--from", str(spec), "--set", "recorded_by=OF-002"])
    assert code == 0
    entry = history(empty_repo)[0]
    assert entry["recorded_by"] == "OF-002" and entry["grounds"] == ["tai-pham"]


def test_branch_and_commit_name_the_case_and_event(empty_repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = str(empty_repo)
    assert run_cli(["-C", repo, "new", "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--today", TODAY,
                    "--no-input", "--branch", *set_options(OPEN[1])]) == 0
    assert git(empty_repo, "branch", "--show-current").strip() == "main"  # the officer stays where they were
    assert "hoso/vc-2021-001-flagged" in git(empty_repo, "branch", "--list")
    git(empty_repo, "merge", "-q", "--ff-only", "hoso/vc-2021-001-flagged")
    capsys.readouterr()
    event, values = PATHS["closed_progress"][0]
    assert run_cli(["-C", repo, "record", CASE, event, "--today", TODAY, "--no-input", "--branch",
                    *set_options(values)]) == 0
    out = capsys.readouterr().out
    assert git(empty_repo, "branch", "--show-current").strip() == "main"
    subject = git(empty_repo, "log", "-1", "--format=%s", "hoso/vc-2021-001-list-voted")
    assert subject.startswith("VC-2021-001: list_voted — ")
    assert git(empty_repo, "status", "--porcelain") == ""
    changed = git(empty_repo, "diff", "--name-only", "main", "hoso/vc-2021-001-list-voted").split()
    assert changed == [f"records/{UNIT}/{CASE}.yaml"]
    assert "git push -u origin hoso/vc-2021-001-list-voted" in out
    assert "Người phê duyệt: Ủy viên chi ủy" in out and "OF-003" in out
    assert "OF-001 (@" not in out  # the recorder does not approve their own step


def test_the_step_can_be_chosen_from_the_allowed_ones(empty_repo: Path, monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    repo = str(empty_repo)
    assert run_cli(["-C", repo, "new", "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--today", TODAY,
                    "--no-input", *set_options(OPEN[1])]) == 0
    event, values = PATHS["withdrawn"][0]
    typed = "9\n" + event + "\n" + event_answers(procedure(), event, values)
    assert run_cli(["-C", repo, "record", CASE, "--today", TODAY], typed, monkeypatch) == 0
    err = capsys.readouterr().err
    assert "1) list_voted — Chi bộ bỏ phiếu kín đưa vào danh sách" in err
    assert history(empty_repo)[-1] == {"event": event, **values}
    assert run_cli(["-C", repo, "record", CASE, "--today", TODAY, "--no-input"]) == 1
    assert "bước được phép: corrected" in capsys.readouterr().err  # an ended case may only be corrected
