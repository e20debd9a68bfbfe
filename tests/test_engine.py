"""The engine on the real procedure and roster: transitions, repeats, escalation, appeals."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from hoso.checks import Context, check_case
from hoso.repository import WorkTree, load_context
from tests.conftest import ROOT

UNIT = "van-chan/xa-a/chi-bo-thon-1"


@pytest.fixture(scope="module")
def ctx() -> Context:
    """The real procedures and roster, with "today" before the 2025 reorganisation."""
    repo = load_context(WorkTree(ROOT), dt.date(2023, 12, 31))
    assert repo.findings == []
    return repo.ctx


def ballot(total: int, for_: int, *, against: int | None = None, secret: bool = True) -> dict[str, Any]:
    against = total - for_ if against is None else against
    return {"members_total": total, "present": total, "for": for_, "against": against, "invalid": 0, "secret": secret}


def until_final(outcome: str, for_: int = 12) -> list[dict[str, Any]]:
    return [
        {"event": "flagged", "date": "2021-05-04", "recorded_by": "OF-002", "grounds": ["tai-pham"],
         "consultations": [{"body": "mat-tran-thon", "date": "2021-04-28", "ref": "BB-1"}]},
        {"event": "list_voted", "date": "2021-05-12", "recorded_by": "OF-001", "resolution": "NQ-1",
         "ballot": ballot(15, 11), "result": "passed"},
        {"event": "list_approved", "date": "2021-05-20", "recorded_by": "OF-021", "decision": "QD-1"},
        {"event": "notified", "date": "2021-05-27", "recorded_by": "OF-002", "spoken_by": "OF-001"},
        {"event": "self_review", "date": "2021-06-07", "recorded_by": "OF-002", "status": "refused",
         "requests": ["2021-05-28", "2021-06-01", "2021-06-05"]},
        {"event": "help_assigned", "date": "2021-06-15", "recorded_by": "OF-001", "resolution": "NQ-2",
         "helper": "OF-004", "period_start": "2021-06-15"},
        {"event": "final_review", "date": "2022-06-20", "recorded_by": "OF-001", "self_review": "B-2",
         "helper_assessment": "NX-1", "resolution": "NQ-3", "ballot": ballot(15, for_), "outcome": outcome},
    ]


def case(history: list[dict[str, Any]], status: str = "full") -> dict[str, Any]:
    return {"case": "VC-2021-009", "procedure": "hd02-2021", "unit": UNIT, "member": "DV-0009",
            "member_status": status, "history": history}


def rules(data: dict[str, Any], ctx: Context) -> list[str]:
    return sorted(i.rule for i in check_case(data, ctx).issues if i.severity == "error")


def removal(result: str, day: str) -> dict[str, Any]:
    return {"event": "removal_proposed", "date": day, "recorded_by": "OF-021", "resolution": "NQ-9",
            "ballot": ballot(9, 7 if result == "passed" else 3), "result": result}


def test_progress_path_ends_closed(ctx: Context) -> None:
    h = until_final("progress", for_=1) + [
        {"event": "progress_recognised", "date": "2022-07-01", "recorded_by": "OF-022", "decision": "QD-4"}]
    result = check_case(case(h), ctx)
    assert [i.rule for i in result.issues] == []
    assert result.state is not None and result.state.stage == "closed_progress" and result.state.ended


def test_refused_self_review_needs_three_requests(ctx: Context) -> None:
    h = until_final("progress", for_=1)
    h[4]["requests"] = ["2021-05-28"]
    assert rules(case(h), ctx) == ["SCHEMA-TOO-SHORT"]


def test_failed_votes_repeat_then_escalate(ctx: Context) -> None:
    h = until_final("propose_removal") + [removal("failed", "2022-07-01"), removal("failed", "2022-07-15")]
    escalated = {"event": "escalated", "date": "2022-08-01", "recorded_by": "OF-030", "decision": "QD-7",
                 "result": "passed"}
    assert rules(case(h + [escalated]), ctx) == ["SEQ-NOT-ALLOWED"]  # only two failures so far
    h.append(removal("failed", "2022-07-29"))
    result = check_case(case(h + [escalated]), ctx)
    assert [i.rule for i in result.issues if i.severity == "error"] == []
    assert result.state is not None and result.state.stage == "removal_proposed"
    assert "verified" in result.state.allowed()


def test_declared_result_must_match_tally(ctx: Context) -> None:
    h = until_final("propose_removal") + [removal("failed", "2022-07-01")]
    h[-1]["ballot"] = ballot(9, 7)
    assert rules(case(h), ctx) == ["VOTE-RESULT-MISMATCH"]
    h[-1]["ballot"], h[-1]["result"] = ballot(9, 5), "passed"
    assert rules(case(h), ctx) == ["VOTE-THRESHOLD"]


def decided(outcome: str) -> list[dict[str, Any]]:
    return [
        removal("passed", "2022-07-01"),
        {"event": "verified", "date": "2022-07-20", "recorded_by": "OF-033", "conclusion": "KL-1"},
        {"event": "decided", "date": "2022-08-01", "recorded_by": "OF-030", "decision": "QD-8",
         "ballot": ballot(9, 5), "outcome": outcome, "member_received": "2022-08-03"},
    ]


def test_expulsion_only_for_full_members(ctx: Context) -> None:
    h = until_final("propose_removal") + decided("expelled")
    assert rules(case(h), ctx) == []
    assert rules(case(h, status="probationary"), ctx) == ["SEQ-MEMBER-STATUS"]


def test_deciding_body_needs_more_than_half(ctx: Context) -> None:
    h = until_final("propose_removal") + decided("struck_off")
    h[-1]["ballot"] = ballot(10, 5)
    assert rules(case(h), ctx) == ["VOTE-THRESHOLD"]


def test_appeal_upheld_returns_to_previous_end(ctx: Context) -> None:
    h = until_final("propose_removal") + decided("struck_off") + [
        {"event": "appeal_filed", "date": "2022-09-05", "recorded_by": "OF-054", "received": "2022-09-05",
         "decision_appealed": "QD-8"},
        {"event": "appeal_resolved", "date": "2022-10-20", "recorded_by": "OF-052", "decision": "GQ-1",
         "outcome": "upheld", "member_received": "2022-10-21"},
    ]
    result = check_case(case(h), ctx)
    assert [i.rule for i in result.issues] == []
    assert result.state is not None and result.state.stage == "struck_off"


def test_appeal_after_thirty_working_days_is_refused(ctx: Context) -> None:
    # 2022-08-03 + 30 working days (2 and 1 September are holidays) = 2022-09-16
    late = {"event": "appeal_filed", "date": "2022-09-19", "recorded_by": "OF-054", "received": "2022-09-19",
            "decision_appealed": "QD-8"}
    h = until_final("propose_removal") + decided("struck_off")
    assert rules(case(h + [late]), ctx) == ["TIME-LATE"]
    late["date"] = late["received"] = "2022-09-16"
    assert rules(case(h + [late]), ctx) == []


def test_final_review_not_before_twelve_months(ctx: Context) -> None:
    h = until_final("progress", for_=1)
    h[-1]["date"] = "2022-06-14"
    assert rules(case(h), ctx) == ["TIME-TOO-EARLY"]


def test_continue_help_opens_a_new_period(ctx: Context) -> None:
    h = until_final("propose_removal") + decided("continue_help") + [
        {"event": "help_assigned", "date": "2022-08-15", "recorded_by": "OF-001", "resolution": "NQ-10",
         "helper": "OF-005", "period_start": "2022-08-15"},
        {"event": "final_review", "date": "2023-08-10", "recorded_by": "OF-001", "self_review": "B-9",
         "helper_assessment": "NX-9", "resolution": "NQ-11", "ballot": ballot(15, 1), "outcome": "progress"},
    ]
    assert rules(case(h), ctx) == ["TIME-TOO-EARLY"]  # counted from the new period, not the first


def test_withdrawn_from_any_open_stage_but_not_after_the_end(ctx: Context) -> None:
    w = {"event": "withdrawn", "date": "2022-07-02", "recorded_by": "OF-021", "reason": "deceased",
         "decision": "QD-5"}
    assert rules(case(until_final("progress", for_=1) + [w]), ctx) == []
    h = until_final("progress", for_=1) + [
        {"event": "progress_recognised", "date": "2022-07-01", "recorded_by": "OF-022", "decision": "QD-4"}, w]
    assert rules(case(h), ctx) == ["SEQ-NOT-ALLOWED"]


def test_recorder_must_hold_the_role_on_the_date(ctx: Context) -> None:
    h = until_final("progress", for_=1)
    h[2]["recorded_by"] = "OF-002"  # a cell officer recording the superior committee's approval
    assert rules(case(h), ctx) == ["ROLE-RECORDER"]


def test_open_case_in_dissolved_unit_must_move(ctx: Context) -> None:
    h = until_final("progress", for_=1)[:6]
    assert rules(case(h), ctx) == []
    assert rules(case(h), dataclasses.replace(ctx, today=dt.date(2025, 7, 1))) == ["ORG-UNIT-DISSOLVED"]


def test_escalation_that_fails_leads_where_the_procedure_says(ctx: Context) -> None:
    h = until_final("propose_removal") + [removal("failed", d) for d in ("2022-07-01", "2022-07-15", "2022-07-29")]
    h.append({"event": "escalated", "date": "2022-08-01", "recorded_by": "OF-030", "decision": "QD-7",
              "result": "failed"})
    result = check_case(case(h), ctx)
    assert [i.rule for i in result.issues if i.severity == "error"] == []
    assert result.state is not None and result.state.stage == "escalated"
    assert {"help_assigned", "progress_recognised"} <= set(result.state.allowed())
    assert "verified" not in result.state.allowed()
