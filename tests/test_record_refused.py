"""A refused step changes nothing: not the file, not the index, not the branches, not HEAD.
And an appended step keeps what a person wrote by hand."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from hoso.yamlload import load_strict
from tests.conftest import copy_demo, git
from tests.record_util import CASE, MEMBER, OPEN, PATHS, TODAY, UNIT, ballot, run_cli, set_options


def snapshot(repo: Path) -> dict[str, str]:
    files = {p.relative_to(repo).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(repo.rglob("*")) if p.is_file() and ".git" not in p.parts}
    files["<git>"] = "\n".join([git(repo, "rev-parse", "HEAD"), git(repo, "branch", "--list"),
                                git(repo, "status", "--porcelain"), git(repo, "stash", "list"),
                                str(len(git(repo, "worktree", "list").splitlines()))])  # no scratch tree left
    return files


@pytest.fixture
def listed(tmp_path: Path) -> Path:
    """A git repository with one case voted onto the list, committed on main."""
    repo = copy_demo(tmp_path / "repo", records=False)
    git(repo, "init", "-q", "-b", "main")
    base = ["-C", str(repo), "--today", TODAY]
    assert run_cli(["new", *base, "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--no-input",
                    *set_options(OPEN[1])]) == 0
    for event, values in PATHS["closed_progress"][:2]:
        assert run_cli(["record", *base, CASE, event, "--no-input", *set_options(values)]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "case")
    return repo


NOTIFIED = PATHS["closed_progress"][2][1]
REFUSALS = {
    "not allowed now": (["record", CASE, "final_review", *set_options(NOTIFIED)], "không được phép ở giai đoạn"),
    "no such event": (["record", CASE, "party", *set_options(NOTIFIED)], "không có bước 'party'"),
    "recorder without the role": (["record", CASE, "notified", *set_options({**NOTIFIED, "recorded_by": "OF-004"})],
                                  "ROLE-RECORDER"),
    "unknown officer": (["record", CASE, "notified", *set_options({**NOTIFIED, "spoken_by": "OF-999"})],
                        "ROLE-UNKNOWN-OFFICER"),
    "date before the last step": (["record", CASE, "notified", *set_options({**NOTIFIED, "date": "2021-05-01"})],
                                  "SEQ-DATE-ORDER"),
    "date in the future": (["record", CASE, "notified", *set_options({**NOTIFIED, "date": "2023-01-02"})],
                           "TIME-FUTURE"),
    "missing field": (["record", CASE, "notified", *set_options({k: v for k, v in NOTIFIED.items() if k != "spoken_by"})],
                      "'spoken_by'"),
    "unknown case": (["record", "VC-1999-001", "notified"], "không tìm thấy hồ sơ"),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_a_refused_step_leaves_file_and_repository_as_they_were(name: str, listed: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    argv, message = REFUSALS[name]
    before = snapshot(listed)
    capsys.readouterr()
    code = run_cli(["-C", str(listed), "--today", TODAY, *argv, "--no-input", "--branch"])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert snapshot(listed) == before


def test_a_vote_below_the_threshold_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    git(repo, "init", "-q", "-b", "main")
    assert run_cli(["-C", str(repo), "new", "--today", TODAY, "--unit", UNIT, "--member", MEMBER, "--member-status",
                    "full", "--no-input", *set_options(OPEN[1])]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "case")
    before = snapshot(repo)
    voted = {**PATHS["closed_progress"][0][1], "ballot": ballot(15, 13, 9, 4, secret=True)}
    capsys.readouterr()
    assert run_cli(["-C", str(repo), "record", CASE, "list_voted", "--today", TODAY, "--no-input", "--branch",
                    *set_options(voted)]) == 1
    err = capsys.readouterr().err
    assert "VOTE-THRESHOLD" in err and "không có gì được ghi" in err
    assert snapshot(repo) == before


def test_a_dirty_case_file_is_not_swept_into_the_commit(listed: Path) -> None:
    """--branch works from the default branch in a scratch tree: the officer's uncommitted edit stays
    where it is, untouched, and the branch holds the one new step and nothing else."""
    path = listed / "records" / UNIT / f"{CASE}.yaml"
    path.write_text(path.read_text() + "# a note not yet committed\n")
    before = snapshot(listed)
    assert run_cli(["-C", str(listed), "record", CASE, "notified", "--today", TODAY, "--no-input", "--branch",
                    *set_options(NOTIFIED)]) == 0
    after = snapshot(listed)
    assert after.pop("<git>") != before.pop("<git>")  # one more branch
    assert after == before  # every file of the work tree as it was
    committed = git(listed, "show", f"hoso/vc-2021-001-notified:records/{UNIT}/{CASE}.yaml")
    assert "a note not yet committed" not in committed and "event: notified" in committed
    assert git(listed, "diff", "--name-only", "main", "hoso/vc-2021-001-notified").split() == [f"records/{UNIT}/{CASE}.yaml"]


HAND_EDITED = """\
# Hồ sơ mẫu, sửa tay. A hand-edited file.
case: VC-2021-001   # mã hồ sơ
procedure: hd02-2021
unit: van-chan/xa-a/chi-bo-thon-1
member: DV-0500
history:
# flagged after the village meeting
- event: flagged
  date: '2021-05-04'
  recorded_by: OF-002      # bí thư vắng
  grounds:
  - khong-hoan-thanh-2-nam
  consultations: [{body: mat-tran-thon, date: "2021-04-28", ref: "BB-01/2021"}]

# the status comes last in this file
member_status: full
"""


def test_append_keeps_a_hand_edited_files_comments_and_layout(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    path = repo / "records" / UNIT / f"{CASE}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(HAND_EDITED)
    event, values = PATHS["closed_progress"][0]
    assert run_cli(["-C", str(repo), "record", CASE, event, "--today", TODAY, "--no-input", *set_options(values)]) == 0
    text = path.read_text()
    added = [line for line in text.splitlines() if line not in HAND_EDITED.splitlines()]
    assert "\n".join(line for line in text.splitlines() if line not in added) + "\n" == HAND_EDITED
    assert added[0] == "- event: list_voted"  # the file's own indentation
    assert text.index("- event: list_voted") < text.index("# the status comes last")
    data = load_strict(text).value
    assert data["history"][-1] == {"event": event, **values}
    assert data["member_status"] == "full"


def test_a_flow_style_history_is_rewritten_canonically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    path = repo / "records" / UNIT / f"{CASE}.yaml"
    path.parent.mkdir(parents=True)
    flow = ("# kept\ncase: VC-2021-001\nprocedure: hd02-2021\nunit: van-chan/xa-a/chi-bo-thon-1\nmember: DV-0500\n"
            "member_status: full\nhistory: [{event: flagged, date: \"2021-05-04\", recorded_by: OF-002, "
            "grounds: [tai-pham], consultations: [{body: doan-the, date: \"2021-05-01\", ref: B-1}]}]\n")
    path.write_text(flow)
    event, values = PATHS["closed_progress"][0]
    assert run_cli(["-C", str(repo), "record", CASE, event, "--today", TODAY, "--no-input", *set_options(values)]) == 0
    assert "dạng chuẩn" in capsys.readouterr().out
    text = path.read_text()
    assert text.startswith("# kept\ncase: VC-2021-001\n")
    assert "history:\n  - event: flagged\n" in text
    assert len(load_strict(text).value["history"]) == 2
