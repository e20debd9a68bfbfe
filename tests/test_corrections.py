"""Corrections without rewriting history: a `corrected` step names an earlier step, the fields it
replaces and why; the case is replayed with it and judged as a whole; the original stays; the
correction needs the approval the corrected step needs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from hoso.checks import Context, check_case
from hoso.repository import load_context
from hoso.source import WorkTree
from hoso.yamlload import load_strict
from tests.conftest import ROOT, TODAY, copy_demo, git
from tests.pr_util import EVENTS, check_json, commit, hoso, line_of, make_repo, progress_note, write_case

DEMO = "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-004.yaml"


@pytest.fixture(scope="module")
def ctx() -> Context:
    return load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY)).ctx


def demo_case() -> dict[str, Any]:
    return dict(load_strict((ROOT / DEMO).read_text(encoding="utf-8")).value)


def correction(target: int, changes: dict[str, Any], day: str = "2026-11-27") -> dict[str, Any]:
    return {"event": "corrected", "date": day, "recorded_by": "OF-011", "corrects": target, "changes": changes,
            "reason": "ghi nhầm"}


def test_the_demo_correction_is_replayed_and_the_original_stays(ctx: Context) -> None:
    data = demo_case()
    result = check_case(data, ctx)
    assert [i for i in result.issues if i.severity == "error"] == []
    assert result.state is not None
    assert result.state.steps[1].event.values.guidance == "CV-22/2026"  # type: ignore[attr-defined]
    assert data["history"][1]["guidance"] == "CV-21/2026"  # the file keeps what was first recorded
    assert result.state.stage == "list_consulted"  # a correction does not move the case


def test_a_correction_that_breaks_the_case_is_refused_at_the_correction(ctx: Context) -> None:
    data = demo_case()
    data["history"] = data["history"][:2] + [
        {"event": "list_voted", "date": "2026-11-27", "recorded_by": "OF-011", "resolution": "NQ-30/2026",
         "ballot": {"members_total": 15, "present": 13, "for": 11, "against": 2, "invalid": 0, "secret": True},
         "result": "passed"},
        correction(2, {"ballot": {"members_total": 15, "present": 13, "for": 9, "against": 4, "invalid": 0,
                                  "secret": True}}),
    ]
    issues = [(i.rule, i.path) for i in check_case(data, ctx).issues if i.severity == "error"]
    assert ("VOTE-THRESHOLD", ("history", 3, "changes", "ballot")) in issues
    assert not [p for _, p in issues if p[:2] == ("history", 2)]  # the original step is not blamed


@pytest.mark.parametrize("changes", [{"guidance": ""}, {"no_such_field": "x"}, {"date": "2026-11-20"}])
def test_corrected_values_meet_the_corrected_steps_rules(ctx: Context, changes: dict[str, Any]) -> None:
    """An empty reference, an unknown field, a date before the step it follows: each is refused."""
    data = demo_case()
    data["history"] = data["history"][:2] + [correction(1, changes)]
    issues = [i for i in check_case(data, ctx).issues if i.severity == "error"]
    assert issues and all(i.path[:2] == ("history", 2) for i in issues), issues


@pytest.mark.parametrize(("written", "rule"), [
    (["CV-21/2026", "CV-22/2026"], "SCHEMA-TYPE"),  # a list where a document number goes
    ({"nested": "x"}, "SCHEMA-TYPE"),
    ("", "SCHEMA-FORMAT"),
])
def test_a_correction_does_not_hide_a_malformed_step(ctx: Context, written: Any, rule: str) -> None:
    """The attack: one change adds a step with a malformed value and a correction that replaces
    it; the corrected history is well-formed, so the malformed value would go into the file for
    good, unreported (found by tests/test_fuzz_fields.py under load: a list put into the demo's
    corrected guidance field gave no error). A correction fixes what a well-formed step says,
    never its form: the step's own schema error is reported at the step."""
    data = demo_case()
    data["history"] = [data["history"][0], {**data["history"][1], "guidance": written}, data["history"][2]]
    issues = [(i.rule, i.path) for i in check_case(data, ctx).issues if i.severity == "error"]
    assert (rule, ("history", 1, "guidance")) in issues, issues


def test_a_closed_case_can_be_corrected(ctx: Context) -> None:
    path = ROOT / "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-002.yaml"
    data = dict(load_strict(path.read_text(encoding="utf-8")).value)
    data["history"] = [*data["history"], {**correction(1, {"resolution": "NQ-03/2021"}, "2021-06-01"),
                                           "recorded_by": "OF-001"}]
    result = check_case(data, Context(ctx.procedures, ctx.org, dt.date(2021, 6, 30)))
    assert [i for i in result.issues if i.severity == "error"] == []
    assert result.state is not None and result.state.stage == "not_listed"


def test_the_correction_needs_the_approval_the_corrected_step_needs(tmp_path: Path) -> None:
    """list_consulted is approved by the superior committee: so is its correction (not the cell)."""
    repo = copy_demo(tmp_path / "repo")
    text = (repo / DEMO).read_text(encoding="utf-8")
    cut = text.index("  - event: corrected")
    (repo / DEMO).write_text(text[:cut], encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "change")
    code, out, err = hoso(repo, "record", "SA-2026-004", "corrected", "--today", TODAY, "--no-input",
                          "--set", "date=2026-11-27", "--set", "recorded_by=OF-011", "--set", "corrects=1",
                          "--set", "changes.guidance=CV-22/2026", "--set", "reason=ghi nhầm")
    assert code == 0, err
    assert "Người phê duyệt: Ủy viên cấp ủy cấp trên trực tiếp" in out  # what hoso check will require
    commit(repo, "correct the guidance number")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0, doc["findings"]
    [required] = doc["required_approvals"]
    assert (required["event"], required["roles"], required["unit"]) == ("corrected", ["dang_uy"], "lao-cai/xa-son-a")
    assert required["line"] == line_of(repo, "event: corrected", DEMO)
    assert "CV-21/2026" in (repo / DEMO).read_text(encoding="utf-8")


def test_a_malformed_step_and_its_correction_in_one_pull_request_fail_hoso_check(tmp_path: Path) -> None:
    """The same attack replayed the way an officer would land it: one branch adds a progress note
    whose document number is a list and, after it, a correction that replaces it with a well-formed
    number. `hoso check` against the base (what CI runs) refuses it at the malformed value's line
    with the schema rule (besides the one-step-per-pull-request rule). The control: the note
    well-formed on main, the same correction alone in a pull request passes."""
    repo, base = make_repo(tmp_path)
    malformed = progress_note().replace("document: PGN-01/2024", "document: [PGN-01/2024, PGN-02/2024]")
    fix = ('  - event: corrected\n    date: "2024-10-11"\n    recorded_by: OF-002\n    corrects: 6\n'
           '    changes: {document: PGN-01/2024}\n    reason: "Ghi hai số văn bản."\n')
    write_case(repo, [*EVENTS, malformed, fix])
    commit(repo, "a progress note and its correction")
    code, doc = check_json(repo, base, "2024-10-11")
    assert code == 1
    errors = [(f["rule"], f["line"]) for f in doc["findings"] if f["severity"] == "error"]
    assert ("SCHEMA-TYPE", line_of(repo, "document: [PGN-01/2024")) in errors, doc["findings"]

    git(repo, "checkout", "-q", "main")
    write_case(repo, [*EVENTS, progress_note()])
    noted = commit(repo, "the note, well-formed")
    git(repo, "checkout", "-q", "-b", "correction")
    write_case(repo, [*EVENTS, progress_note(), fix])
    commit(repo, "its correction")
    code, doc = check_json(repo, noted, "2024-10-11")
    assert [f for f in doc["findings"] if f["severity"] == "error"] == [] and code == 0, doc["findings"]
