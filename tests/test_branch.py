"""hoso record --branch: one step on a branch made from the default branch (fetched from origin),
whatever branch the officer stood on; the officer is warned and put back on the default branch;
names of repeated steps never collide."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from hoso.yamlload import load_strict
from tests.conftest import copy_demo, git
from tests.record_util import CASE, LISTED, MEMBER, OPEN, TODAY, UNIT, run_cli, set_options

FILE = f"records/{UNIT}/{CASE}.yaml"


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """An officer's clone of a shared repository (a bare ``origin``) whose main holds one case at
    stage list_approved; the shared main then moves on (notified) after the clone was made."""
    seed = copy_demo(tmp_path / "seed", records=False)
    git(seed, "init", "-q", "-b", "main")
    base = ["-C", str(seed), "--today", TODAY, "--no-input"]
    assert run_cli(["new", *base, "--unit", UNIT, "--member", MEMBER, "--member-status", "full",
                    *set_options(OPEN[1])]) == 0
    for event, values in LISTED[:2]:
        assert run_cli(["record", *base, CASE, event, *set_options(values)]) == 0
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "case")
    origin = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(origin))
    officer = tmp_path / "officer"
    git(tmp_path, "clone", "-q", str(origin), str(officer))
    event, values = LISTED[2]  # someone else's notified step reaches the shared main
    assert run_cli(["record", *base, CASE, event, *set_options(values)]) == 0
    git(seed, "commit", "-q", "-am", "notified")
    git(seed, "push", "-q", str(origin), "main")
    return officer


def events(repo: Path, rev: str) -> list[str]:
    return [e["event"] for e in load_strict(git(repo, "show", f"{rev}:{FILE}")).value["history"]]


def test_branch_from_a_feature_branch_is_one_step_from_the_default_branch(clone: Path,
                                                                         capsys: pytest.CaptureFixture[str]) -> None:
    git(clone, "switch", "-q", "-c", "feature")
    (clone / "scratch.txt").write_text("work in progress\n")
    git(clone, "add", "scratch.txt")
    git(clone, "commit", "-q", "-m", "unrelated work")
    capsys.readouterr()
    event, values = LISTED[3]  # self_review follows notified, which only origin/main holds
    assert run_cli(["-C", str(clone), "--today", TODAY, "record", CASE, event, "--no-input", "--branch",
                    *set_options(values)]) == 0
    out, err = capsys.readouterr()
    assert "bạn đang ở nhánh 'feature', không phải 'main'" in err
    assert "Đã chuyển bạn về nhánh main." in out
    assert git(clone, "branch", "--show-current").strip() == "main"
    branch = "hoso/vc-2021-001-self-review"
    assert f"Nhánh {branch} (từ origin/main)" in out
    # the pull request: exactly one new step on top of the fetched default branch, one file
    assert git(clone, "rev-parse", f"{branch}~1").strip() == git(clone, "rev-parse", "origin/main").strip()
    assert git(clone, "diff", "--name-only", "origin/main", branch).split() == [FILE]
    assert events(clone, branch) == events(clone, "origin/main") + [event]
    # judged on the step's own day: recorded 18 months later, the same step is (rightly) back-dating
    assert run_cli(["-C", str(clone), "--today", values["date"], "check", "--base", "origin/main", "--head",
                    branch]) == 0
    assert run_cli(["-C", str(clone), "--today", TODAY, "check", "--base", "origin/main", "--head", branch]) == 1
    assert "DIFF-BACKDATED" in capsys.readouterr().out


def test_repeated_steps_get_branch_names_that_never_collide(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(clone, "pull", "-q", "--ff-only")
    base = ["-C", str(clone), "--today", TODAY, "--no-input", "--branch"]
    for event, values in LISTED[3:5]:
        assert run_cli(["record", *base, CASE, event, *set_options(values)]) == 0
        git(clone, "merge", "-q", "--ff-only", f"hoso/vc-2021-001-{event.replace('_', '-')}")
        git(clone, "push", "-q", "origin", "main")  # the pull request merged: the next step starts from it
    note = dict(LISTED[5][1])
    names = []
    for day in ("2021-12-10", "2021-12-20"):
        capsys.readouterr()
        assert run_cli(["record", *base, CASE, "progress_note", *set_options({**note, "date": day})]) == 0
        names.append(capsys.readouterr().out.split("Nhánh ", 1)[1].split(" ", 1)[0])
    assert names == ["hoso/vc-2021-001-progress-note", "hoso/vc-2021-001-progress-note-2"]
    assert events(clone, names[1])[-1] == "progress_note" and events(clone, names[1]).count("progress_note") == 1


def test_outside_git_branch_is_refused_before_anything_is_asked(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=True)
    assert run_cli(["-C", str(repo), "--today", TODAY, "record", "VC-2021-001", "notified", "--branch"]) == 1
    assert "--branch cần một kho git" in capsys.readouterr().err


def test_offline_the_branch_starts_from_what_was_fetched_last(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(clone, "fetch", "-q")
    git(clone, "remote", "set-url", "origin", str(clone.parent / "gone.git"))
    event, values = LISTED[3]
    assert run_cli(["-C", str(clone), "--today", TODAY, "record", CASE, event, "--no-input", "--branch",
                    *set_options(values)]) == 0
    out, err = capsys.readouterr()
    assert "không tải được nhánh mới nhất từ origin" in err
    assert events(clone, "hoso/vc-2021-001-self-review") == events(clone, "origin/main") + [event]


def test_the_hint_after_a_plain_record_works_as_printed(clone: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Without --branch the file is only written; the printed git commands commit it on a branch
    and push it, and the pushed branch is a one-step pull request."""
    git(clone, "pull", "-q", "--ff-only")
    capsys.readouterr()
    event, values = LISTED[3]
    assert run_cli(["-C", str(clone), "--today", TODAY, "record", CASE, event, "--no-input",
                    *set_options(values)]) == 0
    out = capsys.readouterr().out
    hint = [line.strip() for line in out.splitlines() if line.startswith("  git ")]
    assert [h.split()[1] for h in hint] == ["switch", "add", "commit", "push"]
    for line in hint:
        subprocess.run(["bash", "-c", line], cwd=clone, check=True, capture_output=True)
    branch = "hoso/vc-2021-001-self-review"
    assert git(clone, "diff", "--name-only", "origin/main", f"origin/{branch}").split() == [FILE]
    assert events(clone, f"origin/{branch}") == events(clone, "origin/main") + [event]
