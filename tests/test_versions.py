"""Versions open cases follow are never edited (hoso check says so), and a member has one open
case per procedure (hoso new refuses a second one and names the first)."""

from __future__ import annotations

from pathlib import Path

import pytest

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
