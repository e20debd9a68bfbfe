"""hoso due: deadlines coming and missed, grouped by unit, oldest first, in Vietnamese working days."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, copy_demo
from tests.record_util import MEMBER, OPEN, PATHS, UNIT, run_cli, set_options

OTHER = "van-chan/xa-b/chi-bo-thon-3"
# The other cell's officers for the same steps (its own chi ủy, its own superior committee).
OTHER_PEOPLE = {"OF-001": "OF-011", "OF-002": "OF-012", "OF-004": "OF-014", "OF-021": "OF-024", "OF-022": "OF-025"}


def build(repo: Path, unit: str, steps: list[tuple[str, dict[str, Any]]], dates: dict[str, str],
          people: dict[str, str] | None = None, member: str = MEMBER) -> str:
    """Open a case in ``unit`` and record ``steps``, with the dates given per event."""
    def fix(event: str, values: dict[str, Any]) -> dict[str, Any]:
        out = {k: (people or {}).get(v, v) if isinstance(v, str) else v for k, v in values.items()}
        if event in dates:
            out["date"] = dates[event]
        return out

    base = ["-C", str(repo), "--today", "2022-12-31"]
    assert run_cli(["new", *base, "--unit", unit, "--member", member, "--member-status", "full", "--no-input",
                    *set_options(fix("flagged", OPEN[1]))]) == 0
    case = sorted(p.stem for p in (repo / "records" / unit).glob("*.yaml"))[-1]
    for event, values in steps:
        assert run_cli(["record", *base, case, event, "--no-input", *set_options(fix(event, values))]) == 0
    return case


@pytest.fixture(scope="module")
def two_units(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = copy_demo(tmp_path_factory.mktemp("due") / "repo", records=False)
    listed = PATHS["closed_progress"]
    # thôn 1: approved on 2021-08-17, so the member must be told by 2021-09-01 (15 days)
    build(repo, UNIT, listed[:2], {"flagged": "2021-08-02", "list_voted": "2021-08-10", "list_approved": "2021-08-17"})
    # thôn 3: help from 2021-06-15, so the final review is due within 12 months + 30 days: 2022-07-15
    build(repo, OTHER, listed[:5], {}, OTHER_PEOPLE, member="DV-0501")  # one open case per member
    # thôn 3 again: approved 2021-08-20, told by 2021-09-04
    build(repo, OTHER, listed[:2], {"flagged": "2021-08-02", "list_voted": "2021-08-10", "list_approved": "2021-08-20"},
          OTHER_PEOPLE, member="DV-0502")
    return repo


def due(repo: Path, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    capsys.readouterr()
    assert run_cli(["-C", str(repo), "due", "--format", "json", *args]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_grouped_by_unit_oldest_first_in_working_days(two_units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = due(two_units, capsys, "--today", "2021-09-08")
    assert [g["unit"] for g in doc["units"]] == [UNIT, OTHER]
    first, second = doc["units"][0]["items"][0], doc["units"][1]["items"][0]
    assert (first["case"], first["event"], first["due"], first["overdue"]) == ("VC-2021-001", "notified", "2021-09-01", True)
    # 2 and 3 September 2021 are public holidays: Mon 6, Tue 7, Wed 8 are the working days missed
    assert first["working_days"] == -3
    # due on Saturday 4 September: Mon 6, Tue 7 and Wed 8 are missed
    assert (second["event"], second["due"], second["working_days"]) == ("notified", "2021-09-04", -3)
    assert (doc["overdue"], doc["coming"]) == (2, 0)


def test_within_and_unit_filters(two_units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = due(two_units, capsys, "--today", "2021-09-08", "--within", "400", "--unit", "van-chan/xa-b")
    assert [g["unit"] for g in doc["units"]] == [OTHER]
    items = [(i["event"], i["due"], i["overdue"]) for i in doc["units"][0]["items"]]
    assert items == [("notified", "2021-09-04", True), ("final_review", "2022-07-15", False)]
    assert due(two_units, capsys, "--today", "2021-08-18", "--within", "10")["units"] == []


def test_text_output_is_plain_when_piped(two_units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_cli(["-C", str(two_units), "due", "--today", "2021-09-08"]) == 0
    out = capsys.readouterr().out
    assert "\033[" not in out
    assert f"{UNIT} — Chi bộ thôn 1, xã A" in out
    assert "VC-2021-001  notified  2021-09-01  quá hạn 3" in out


def test_the_demo_records_planted_lateness(capsys: pytest.CaptureFixture[str]) -> None:
    """records/README.md lists the overdue steps the demo data plants for 2026-11-27."""
    doc = due(ROOT, capsys, "--today", "2026-11-27")
    overdue = {(i["case"], i["event"], i["due"]) for g in doc["units"] for i in g["items"] if i["overdue"]}
    assert overdue == {("VC-2025-001", "final_review", "2026-09-03"), ("SA-2026-001", "notified", "2026-11-03")}


def test_markdown_for_the_scheduled_workflow(two_units: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run_cli(["-C", str(two_units), "due", "--today", "2021-09-08", "--format", "markdown", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "### Deadlines — today 2021-09-08, next 30 days: 2 overdue, 0 coming"
    assert f"**{UNIT}** — Chi bộ thôn 1, xã A" in lines
    assert "| VC-2021-001 | notified | 2021-09-01 | overdue 3 | list_approved 2021-08-17 + 15 days |" in lines
