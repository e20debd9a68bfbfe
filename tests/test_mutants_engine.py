"""The engine and the per-step rules judged in this process on the real hd02-2021 procedure and
roster (issue 13, mutation testing): what a finding says (the roles it names, the steps it
allows), asserted exactly, so a rule that names the wrong thing fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hoso.checks import Context, check_case, role_titles
from hoso.engine import _names, issue
from hoso.messages import L
from hoso.repository import WorkTree, load_context
from tests.conftest import ROOT

UNIT = "van-chan/xa-a/chi-bo-thon-1"


@pytest.fixture(scope="module")
def ctx() -> Context:
    return load_context(WorkTree(ROOT), dt.date(2023, 12, 31)).ctx


def case(history: list[dict[str, Any]]) -> dict[str, Any]:
    return {"case": "VC-2021-009", "procedure": "hd02-2021", "unit": UNIT, "member": "DV-0009",
            "member_status": "full", "history": history}


FLAGGED = {"event": "flagged", "date": "2021-05-04", "recorded_by": "OF-002", "grounds": ["tai-pham"],
           "consultations": [{"body": "mat-tran-thon", "date": "2021-04-28", "ref": "BB-1"}]}
NOTIFIED = {"event": "notified", "date": "2021-05-27", "recorded_by": "OF-002", "spoken_by": "OF-001"}


def test_a_role_is_named_by_its_title_and_code(ctx: Context) -> None:
    proc = ctx.procedures["hd02-2021"].proc
    assert role_titles(proc, ["bi_thu", "chi_uy"]) == L("Bí thư chi bộ (bi_thu) / Ủy viên chi ủy (chi_uy)",
                                                        "Cell secretary (bi_thu) / Cell committee member (chi_uy)")
    assert role_titles(proc, ["nobody"]) == L("nobody", "nobody")  # a code the procedure does not define


def test_a_step_not_allowed_names_the_steps_that_are(ctx: Context) -> None:
    found = [i for i in check_case(case([FLAGGED, NOTIFIED]), ctx).issues if i.rule == "SEQ-NOT-ALLOWED"]
    assert found == [issue(("history", 1, "event"), "SEQ-NOT-ALLOWED", event="notified", stage="flagged",
                           allowed="list_voted, withdrawn, transferred, corrected, migrated, member_status_changed")]


def test_no_step_allowed_is_said_as_a_dash() -> None:
    """Every demo procedure allows a correction at any stage; a procedure without one can leave
    nothing allowed, and the message then says "—", not an empty list."""
    assert _names([]) == "—" and _names(["a"]) == "a" and _names(["a", "b"]) == "a, b"


# ----------------------------------------------------------------- the six survivors of 2 December

def test_each_context_has_the_correction_steps_of_its_own_procedures(ctx: Context) -> None:
    """The correction steps are worked out per run, never carried from one run's procedures to
    another's (a module-level memo once was, keyed by the identity of a dict that gets reused)."""
    assert ctx.correction_names == frozenset({"corrected"})
    assert Context({}, ctx.org, ctx.today).correction_names == frozenset()
    assert ctx.correction_names == frozenset({"corrected"})


VOTED_FAILED = {"event": "list_voted", "date": "2021-05-20", "recorded_by": "OF-002", "resolution": ["NQ-1"],
                "ballot": {"members_total": 9, "present": 9, "for": 3, "against": 6}, "result": "failed"}
APPROVED = {"event": "list_approved", "date": "2021-05-25", "recorded_by": "OF-010", "decision": "QD-1"}


def test_a_step_that_failed_its_schema_still_moves_the_case_by_its_checked_fields(ctx: Context) -> None:
    """The vote's resolution is a list (a schema error), but its result, a checked value, still
    decides the branch: the case ends as not listed, so approving the list is out of sequence."""
    found = [(i.path, i.rule, dict(i.args).get("stage")) for i in check_case(case([FLAGGED, VOTED_FAILED, APPROVED]), ctx).issues
             if i.rule in ("SCHEMA-TYPE", "SEQ-NOT-ALLOWED")]
    assert found == [(("history", 1, "resolution"), "SCHEMA-TYPE", None),
                     (("history", 2, "event"), "SEQ-NOT-ALLOWED", "not_listed")]


def _appeal_case() -> dict[str, Any]:
    import yaml
    return yaml.safe_load((ROOT / "records/van-chan/xa-a/chi-bo-thon-1/VC-2022-001.yaml").read_text(encoding="utf-8"))


def _late(data: dict[str, Any], ctx: Context) -> list[tuple[object, ...]]:
    return [i.path for i in check_case(data, ctx).issues if i.rule == "TIME-LATE"]


def _extended_on(data: dict[str, Any], day: dt.date) -> dict[str, Any]:
    return {**data, "history": [{**e, "date": day.isoformat()} if e["event"] == "appeal_extended" else e
                                for e in data["history"]]}


def test_an_extension_recorded_in_time_excuses_a_late_appeal_decision(ctx: Context) -> None:
    """VC-2022-001's appeal is decided after 90 working days, excused by the extension notice
    recorded before the limit. Without the notice, or with a notice after the limit, it is late;
    a notice on the last day of the limit is in time."""
    data = _appeal_case()
    names = [e["event"] for e in data["history"]]
    resolved = names.index("appeal_resolved")
    assert _late(data, ctx) == []
    without = {**data, "history": [e for e in data["history"] if e["event"] != "appeal_extended"]}
    late = [i for i in check_case(without, ctx).issues if i.rule == "TIME-LATE"]
    assert [i.path for i in late] == [("history", resolved - 1, "date")]
    due = dict(late[0].args)["due"]
    assert due == dt.date(2023, 11, 14)  # 90 working days after Friday 7 July 2023 (1 and 4 September off)
    assert _late(_extended_on(data, due), ctx) == []
    assert _late(_extended_on(data, due + dt.timedelta(days=1)), ctx) == [("history", resolved, "date")]


def test_a_late_step_that_failed_its_schema_is_still_late(ctx: Context) -> None:
    """The notice has a key the step does not know (a schema error), but its date was checked
    and is past the 15 days after the approval: the time rule judges it all the same."""
    voted = {**VOTED_FAILED, "resolution": "NQ-1", "result": "passed",
             "ballot": {"members_total": 9, "present": 9, "for": 9, "against": 0, "secret": True}}
    late_notice = {**NOTIFIED, "date": "2021-07-27", "extra": 1}
    found = [(i.path, i.rule) for i in check_case(case([FLAGGED, voted, APPROVED, late_notice]), ctx).issues
             if i.rule.startswith(("SCHEMA", "TIME"))]
    assert found == [(("history", 3, "extra"), "SCHEMA-UNKNOWN-KEY"), (("history", 3, "date"), "TIME-LATE")]
