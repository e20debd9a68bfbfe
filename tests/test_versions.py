"""Versions open cases follow are never edited (hoso check says so), and a member has one open
case per procedure (hoso new refuses a second one and names the first)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hoso.cli import main

from tests.conftest import copy_demo, git
from tests.pr_util import check_json, commit, hoso
from tests.record_util import OPEN, set_options

TODAY = "2026-11-27"


@pytest.fixture
def demo_repo(tmp_path: Path) -> tuple[Path, str]:
    repo = copy_demo(tmp_path / "repo")
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo, base


def edit(repo: Path, name: str, old: str, new: str) -> None:
    path = repo / "procedures" / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def edited(doc: dict[str, object]) -> list[dict[str, object]]:
    return [f for f in doc["findings"] if f["rule"] == "DIFF-OPEN-VERSION-EDITED"]  # type: ignore[index,union-attr]


@pytest.mark.parametrize("name", ["hd02-2026", "hd02-2025"])
def test_editing_a_version_open_cases_follow_is_refused(demo_repo: tuple[Path, str], name: str) -> None:
    repo, base = demo_repo
    edit(repo, name, "  notify_within_days:\n    value: 15", "  notify_within_days:\n    value: 45")
    commit(repo, "stretch a limit under open cases")
    code, doc = check_json(repo, base, TODAY)
    found = edited(doc)
    assert code == 1 and len(found) == 1
    assert found[0]["file"] == f"procedures/{name}.yaml" and found[0]["severity"] == "error"


def test_a_version_without_open_cases_may_be_corrected(demo_repo: tuple[Path, str]) -> None:
    repo, base = demo_repo
    edit(repo, "hd02-2021", "  notify_within_days:\n    value: 15", "  notify_within_days:\n    value: 45")
    commit(repo, "hd02-2021 has no open case")
    assert edited(check_json(repo, base, TODAY)[1]) == []


def test_closing_a_version_is_not_an_edit(demo_repo: tuple[Path, str]) -> None:
    repo, base = demo_repo
    edit(repo, "hd02-2026", 'effective_from: "2026-11-23"\n', 'effective_from: "2026-11-23"\neffective_to: "2027-12-31"\n')
    commit(repo, "close hd02-2026")
    assert edited(check_json(repo, base, TODAY)[1]) == []


def test_a_second_open_case_for_a_member_is_refused(demo_repo: tuple[Path, str]) -> None:
    """DV-0055 has SA-2026-002 open (opened under hd02-2025, migrated to hd02-2026): a new case
    under hd02-2026 is one procedure, so it is refused and the first case is named."""
    repo, _ = demo_repo
    values = {**OPEN[1], "date": "2026-11-26", "recorded_by": "OF-012",
              "consultations": [{**OPEN[1]["consultations"][0], "date": "2026-11-25"}]}
    argv = ["new", "--today", TODAY, "--unit", "lao-cai/xa-son-a/chi-bo-thon-3", "--member-status", "full",
            "--no-input", "--lang", "en", *set_options(values)]
    code, out, err = hoso(repo, *argv, "--member", "DV-0055")
    assert code != 0 and "SA-2026-002" in err and "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-002.yaml" in err
    assert not (repo / "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-005.yaml").exists()
    code, out, err = hoso(repo, *argv, "--member", "DV-0007")  # VC-2021-007 is closed (struck off)
    assert code == 0, err


# ----------------------------------------------- one open case per member: validate and check

SECOND = "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-005.yaml"
FIRST = "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-002.yaml"  # DV-0055, open, hd02-2025 -> hd02-2026
SECOND_CASE = """\
# DỮ LIỆU MÔ PHỎNG — synthetic test record.
case: SA-2026-005
procedure: hd02-2026
unit: lao-cai/xa-son-a/chi-bo-thon-3
member: DV-0055
member_status: full
history:
  - event: flagged
    date: "2026-11-25"
    recorded_by: OF-012
    grounds: [tai-pham]
    consultations:
      - {body: mat-tran-thon, date: "2026-11-24", ref: BB-05/2026}
"""


def second_open(doc: dict[str, object]) -> list[tuple[str, int, str]]:
    return [(f["file"], f["line"], f["message"]) for f in doc["findings"]  # type: ignore[index,union-attr]
            if f["rule"] == "REC-SECOND-OPEN-CASE"]


def test_check_refuses_a_second_open_case_for_a_member(demo_repo: tuple[Path, str]) -> None:
    repo, base = demo_repo
    (repo / SECOND).write_text(SECOND_CASE, encoding="utf-8")
    commit(repo, "a second case for DV-0055")
    code, doc = check_json(repo, base, TODAY)
    [(file, line, message)] = second_open(doc)
    assert code == 1 and file == SECOND and line == 5  # the member line
    assert "SA-2026-002" in message and FIRST in message


def test_check_refuses_a_second_open_case_renamed_in(demo_repo: tuple[Path, str]) -> None:
    """Written outside records/ in one pull request, moved in by the next: a new case all the same."""
    repo, _ = demo_repo
    (repo / "drafts").mkdir()
    (repo / "drafts/SA-2026-005.yaml").write_text(SECOND_CASE, encoding="utf-8")
    middle = commit(repo, "a draft outside records/")
    (repo / SECOND).write_text(SECOND_CASE, encoding="utf-8")
    (repo / "drafts/SA-2026-005.yaml").unlink()
    commit(repo, "move the draft in")
    code, doc = check_json(repo, middle, TODAY)
    [(file, line, message)] = second_open(doc)
    assert code == 1 and file == SECOND and line == 5 and FIRST in message


def test_a_new_case_for_a_member_whose_case_is_closed_is_accepted(demo_repo: tuple[Path, str]) -> None:
    repo, base = demo_repo
    (repo / SECOND).write_text(SECOND_CASE.replace("DV-0055", "DV-0007"), encoding="utf-8")  # VC-2021-007 closed
    commit(repo, "a new case for DV-0007")
    code, doc = check_json(repo, base, TODAY)
    assert second_open(doc) == [] and code == 0, doc["findings"]


# -------------------------------------- DIFF-OPEN-VERSION-EDITED cannot be sidestepped

SA_2025_003 = "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2025-003.yaml"  # open, follows hd02-2025
WITHDRAW = """\
  - event: withdrawn
    date: "2026-11-26"
    recorded_by: OF-021
    reason: opened_in_error
    decision: QĐ-77/2026
"""


@pytest.mark.parametrize("away", ["closed", "migrated"])
def test_moving_the_open_cases_away_in_the_same_change_does_not_free_the_version(
        demo_repo: tuple[Path, str], away: str) -> None:
    """The cases that follow a version are those of the base commit: closing them, or migrating
    them, in the pull request that edits the version does not make the edit allowed."""
    repo, base = demo_repo
    edit(repo, "hd02-2025", "  notify_within_days:\n    value: 15", "  notify_within_days:\n    value: 45")
    case = repo / SA_2025_003
    if away == "closed":
        case.write_text(case.read_text(encoding="utf-8") + WITHDRAW, encoding="utf-8")
    else:  # say the new version could carry it: retarget the case to hd02-2026 in the same change
        case.write_text(case.read_text(encoding="utf-8") + WITHDRAW.replace("withdrawn", "migrated").replace(
            "    reason: opened_in_error\n    decision: QĐ-77/2026\n", "    to_procedure: hd02-2026\n    order: HD-16/2026\n"),
            encoding="utf-8")
    commit(repo, f"edit hd02-2025 and, in the same change, its last open case is {away}")
    code, doc = check_json(repo, base, TODAY)
    found = edited(doc)
    assert code == 1 and [(f["file"], f["line"]) for f in found] == [("procedures/hd02-2025.yaml", 1)]
    assert SA_2025_003 in found[0]["message"]


def test_validate_finds_a_second_open_case_with_the_first_from_the_cache(
        demo_repo: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    """The first case's key comes from a warm cache; the rule still sees it."""
    repo, _ = demo_repo
    argv = ["-C", str(repo), "validate", "--format", "json", "--stats", "--today", TODAY, "--lang", "en"]
    assert main(argv) == 0
    capsys.readouterr()
    (repo / SECOND).write_text(SECOND_CASE, encoding="utf-8")
    code = main(argv)
    doc = json.loads(capsys.readouterr().out)
    assert doc["stats"]["cached"] > 0
    [(file, line, message)] = second_open(doc)
    assert code == 1 and (file, line) == (SECOND, 1) and "SA-2026-002" in message and FIRST in message
    (repo / SECOND).write_text(SECOND_CASE.replace("DV-0055", "DV-0007"), encoding="utf-8")  # VC-2021-007 closed
    assert main(argv) == 0


STRUCK = "records/lao-cai/xa-son-a/chi-bo-thon-1/VC-2025-003.yaml"  # DV-0043, struck off on 2026-07-15
LATER = "records/lao-cai/xa-son-a/chi-bo-thon-1/SA-2026-009.yaml"
LATER_CASE = """\
# DỮ LIỆU MÔ PHỎNG — synthetic test record.
case: SA-2026-009
procedure: hd02-2025
unit: lao-cai/xa-son-a/chi-bo-thon-1
member: DV-0043
member_status: full
history:
  - event: flagged
    date: "2026-07-25"
    recorded_by: OF-041
    grounds: [tai-pham]
    consultations:
      - {body: mat-tran-thon, date: "2026-07-24", ref: BB-09/2026}
"""
APPEAL = """\
  - event: appeal_filed
    date: "2026-08-20"
    recorded_by: OF-041
    received: "2026-08-19"
    decision_appealed: QĐ-13/2026
"""


def test_check_refuses_an_appeal_that_reopens_a_case_beside_an_open_one(tmp_path: Path) -> None:
    """A closed case that an appeal re-opens is open again: with another case of the member open
    under the same procedure family, that is a second open case. ``hoso validate`` on the merged
    tree would say so; ``hoso check`` must refuse it in the pull request, not only for new cases."""
    repo = copy_demo(tmp_path / "repo")
    (repo / LATER).write_text(LATER_CASE, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "base: DV-0043 struck off, then a later case opened")
    git(repo, "checkout", "-q", "-b", "change")
    struck = repo / STRUCK
    struck.write_text(struck.read_text(encoding="utf-8") + APPEAL, encoding="utf-8")
    commit(repo, "DV-0043 appeals the striking-off")
    code, doc = check_json(repo, base, "2026-08-25")
    [(file, line, message)] = second_open(doc)
    assert code == 1 and file == STRUCK and line == 8  # the member line
    assert "SA-2026-009" in message and LATER in message
    (repo / LATER).unlink()  # without the later case the appeal re-opens the only one
    commit(repo, "the later case withdrawn from the tree")
    code, doc = check_json(repo, base, "2026-08-25")
    assert second_open(doc) == []
