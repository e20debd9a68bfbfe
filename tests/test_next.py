"""hoso next: the steps allowed now, their fields, who records and approves, the deadlines; and
every officer command's help, in Vietnamese and English, with an example."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hoso.cli import main
from tests.conftest import copy_demo
from tests.record_util import CASE, MEMBER, OPEN, PATHS, UNIT, procedure, run_cli, set_options

COMMANDS = ("new", "record", "next", "due", "status")


@pytest.fixture(scope="module")
def helped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case in which the helper was assigned on 2021-06-15 (the final review opens 12 months later)."""
    repo = copy_demo(tmp_path_factory.mktemp("next") / "repo", records=False)
    base = ["-C", str(repo), "--today", "2021-12-31"]
    assert run_cli(["new", *base, "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--no-input",
                    *set_options(OPEN[1])]) == 0
    for event, values in PATHS["closed_progress"][:5]:
        assert run_cli(["record", *base, CASE, event, "--no-input", *set_options(values)]) == 0
    return repo


def next_json(repo: Path, capsys: pytest.CaptureFixture[str], today: str) -> dict[str, Any]:
    capsys.readouterr()
    assert run_cli(["-C", str(repo), "next", CASE, "--today", today, "--format", "json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_allowed_steps_what_they_need_and_who(helped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    doc = next_json(helped, capsys, "2022-07-01")
    proc = procedure()
    assert doc["stage"] == "help_assigned"
    steps = {s["event"]: s for s in doc["allowed"]}
    assert list(steps)[:2] == ["progress_note", "final_review"]
    review = steps["final_review"]
    fields = {f["name"]: f for f in review["fields"]}
    assert set(proc.all_fields("final_review")) <= set(fields)
    assert {"ballot.members_total", "ballot.for", "ballot.excluded.transferred"} <= set(fields)
    assert fields["outcome"]["values"] == {"progress": "Tiến bộ", "propose_removal": "Đề nghị đưa ra khỏi Đảng"}
    assert fields["note"]["required"] is False
    assert review["recorder"] == {"roles": ["chi_uy", "bi_thu"], "role_titles": ["Ủy viên chi ủy", "Bí thư chi bộ"],
                                  "body": "cell", "body_title": "Chi bộ", "unit": UNIT,
                                  "officers": ["OF-001", "OF-002", "OF-003"]}
    assert steps["withdrawn"]["approver"]["unit"] == "van-chan/xa-a"
    limits = [(d["rule"], d["due"], d["overdue"]) for d in review["deadlines"]]
    assert limits == [("not_before", "2022-06-15", False), ("within", "2022-07-15", False)]
    conditional = {f["name"]: f["required_when"] for f in steps["progress_note"]["fields"]}
    assert conditional["document"] is None


def test_a_missed_deadline_shows_in_text(helped: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert run_cli(["-C", str(helped), "next", CASE, "--today", "2022-08-01", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Stage: help_assigned" in out
    assert "  Due 2022-07-15 (12 months + 30 days after help_assigned 2021-06-15): overdue by 11 working days" in out  # Mon 18 Jul … Mon 1 Aug


def test_an_ended_case_allows_only_what_its_end_state_allows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    base = ["-C", str(repo), "--today", "2021-12-31"]
    assert run_cli(["new", *base, "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--no-input",
                    *set_options(OPEN[1])]) == 0
    event, values = PATHS["withdrawn"][0]
    assert run_cli(["record", *base, CASE, event, "--no-input", *set_options(values)]) == 0
    doc = next_json(repo, capsys, "2021-12-31")
    assert (doc["stage"], doc["ended"]) == ("withdrawn", True)
    assert [a["event"] if isinstance(a, dict) else a for a in doc["allowed"]] == ["corrected"]  # only a correction


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("command", COMMANDS)
def test_every_officer_command_has_help_with_an_example(command: str, lang: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([command, "--help", "--lang", lang])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert ("Ví dụ:" if lang == "vi" else "Example:") in out
    assert f"hoso {command}" in out.split("Ví dụ:" if lang == "vi" else "Example:")[1]
    if command in ("new", "record"):
        assert "--set" in out and ("ballot.for=11" in out)


def test_only_steps_possible_now_are_listed_and_the_others_say_why(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A decided case whose appeal deadline (an error rule) has passed: appeal_filed is left out,
    with the reason; on the newest procedure, migrated is left out too."""
    repo = copy_demo(tmp_path / "repo", records=False)
    base = ["-C", str(repo), "--today", "2022-12-31"]
    assert run_cli(["new", *base, "--unit", UNIT, "--member", MEMBER, "--member-status", "full", "--no-input",
                    *set_options(OPEN[1])]) == 0
    for event, values in PATHS["struck_off"]:
        assert run_cli(["record", *base, CASE, event, "--no-input", *set_options(values)]) == 0
    soon = next_json(repo, capsys, "2022-08-10")
    assert "appeal_filed" in [s["event"] for s in soon["allowed"]]
    late = next_json(repo, capsys, "2022-12-31")
    assert "appeal_filed" not in [s["event"] for s in late["allowed"]]
    reasons = {x["event"]: x["reason"] for x in late["left_out"]}
    assert "đã quá hạn" in reasons["appeal_filed"]
    capsys.readouterr()
    demo = copy_demo(tmp_path / "demo")
    assert run_cli(["-C", str(demo), "next", "SA-2026-001", "--today", "2026-11-27"]) == 0
    out = capsys.readouterr().out
    assert "Không liệt kê:" in out and "migrated — " in out.split("Không liệt kê:")[1]
    assert "\nmigrated — " not in out.split("Không liệt kê:")[0]
