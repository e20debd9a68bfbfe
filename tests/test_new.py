"""hoso new: the next free id, the procedure in force on the opening date, the file's header."""

from __future__ import annotations

from pathlib import Path

import pytest

from hoso.yamlload import load_strict
from tests.conftest import copy_demo
from tests.record_util import MEMBER, OPEN, TODAY, UNIT, run_cli, set_options

NEW_UNIT = "lao-cai/xa-son-a/chi-bo-thon-1"


def opening(repo: Path, unit: str, day: str, *extra: str, today: str = TODAY, member: str = MEMBER) -> int:
    values = {**OPEN[1], "date": day, "consultations": [{**OPEN[1]["consultations"][0], "date": day}]}
    return run_cli(["-C", str(repo), "new", "--unit", unit, "--member", member, "--member-status", "full",
                    "--today", today, "--no-input", *set_options(values), *extra])


def test_ids_count_up_per_prefix_and_year(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    assert opening(repo, UNIT, "2021-05-04") == 0
    assert opening(repo, UNIT, "2021-06-04", member="DV-0501") == 0
    assert opening(repo, "van-chan/xa-b/chi-bo-thon-3", "2021-06-05", "--set=recorded_by=OF-011",
                   member="DV-0502") == 0  # same district prefix
    assert opening(repo, UNIT, "2022-01-05", member="DV-0503") == 0
    names = sorted(p.relative_to(repo / "records").as_posix() for p in (repo / "records").rglob("*.yaml"))
    assert names == [f"{UNIT}/VC-2021-001.yaml", f"{UNIT}/VC-2021-002.yaml", f"{UNIT}/VC-2022-001.yaml",
                     "van-chan/xa-b/chi-bo-thon-3/VC-2021-003.yaml"]


def test_the_procedure_in_force_on_the_opening_date(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    (repo / "hoso.yaml").write_text("name: test\nsynthetic: false\n")
    officer = ["--set", "recorded_by=OF-002"]
    assert opening(repo, NEW_UNIT, "2025-08-01", *officer, today="2026-11-27") == 0
    path = repo / "records" / NEW_UNIT / "SA-2025-001.yaml"
    text = path.read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../../../../schema/hd02-2025.json"
    assert "MÔ PHỎNG" not in text  # hoso.yaml does not say synthetic
    data = load_strict(text).value
    assert list(data) == ["case", "procedure", "unit", "member", "member_status", "history"]
    assert (data["case"], data["procedure"]) == ("SA-2025-001", "hd02-2025")


def test_a_synthetic_repository_marks_new_files(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    assert opening(repo, UNIT, "2021-05-04") == 0
    lines = (repo / "records" / UNIT / "VC-2021-001.yaml").read_text().splitlines()
    assert lines[1].startswith("# DỮ LIỆU MÔ PHỎNG")


def test_refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    assert opening(repo, "no/such-unit", "2021-05-04") == 2
    assert opening(repo, UNIT, "2021-05-04", "--procedure", "hd02-2025") == 1  # not in force that day
    assert "SEQ-PROCEDURE-NOT-IN-FORCE" in capsys.readouterr().err
    assert opening(repo, UNIT, "2021-05-04", "--set", "recorded_by=OF-004") == 1  # not a chi ủy member
    assert "ROLE-RECORDER" in capsys.readouterr().err
    assert not list((repo / "records").rglob("*.yaml"))
