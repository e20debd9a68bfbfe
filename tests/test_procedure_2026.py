"""hd02-2026, the version corrected against the texts (issue 10): appeals one level up, a failed
cell vote recorded and escalated, khai trừ safeguards, the commune committee not proposing to
itself, the superior's guidance before the list vote, and hd02-2025 closed rather than edited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hoso.checks import Context, check_case
from hoso.repository import load_context
from hoso.source import WorkTree
from tests.conftest import ROOT, TODAY

UNIT = "lao-cai/xa-son-a/chi-bo-thon-3"
LATER = dt.date(2029, 12, 31)


def ballot(total: int, present: int, for_: int, against: int, secret: bool = True) -> dict[str, Any]:
    return {"members_total": total, "present": present, "for": for_, "against": against, "invalid": 0,
            "secret": secret}


HELPED: list[dict[str, Any]] = [
    {"event": "flagged", "date": "2026-11-24", "recorded_by": "OF-012", "grounds": ["khong-hoan-thanh-2-nam"],
     "consultations": [{"body": "mat-tran-thon", "date": "2026-11-19", "ref": "BB-02/2026"}]},
    {"event": "list_consulted", "date": "2026-11-26", "recorded_by": "OF-011", "guidance": "CV-21/2026"},
    {"event": "list_voted", "date": "2026-12-02", "recorded_by": "OF-011", "resolution": "NQ-30/2026",
     "ballot": ballot(15, 13, 11, 2), "result": "passed"},
    {"event": "list_approved", "date": "2026-12-09", "recorded_by": "OF-021", "decision": "QĐ-31/2026"},
    {"event": "notified", "date": "2026-12-14", "recorded_by": "OF-012", "spoken_by": "OF-011"},
    {"event": "self_review", "date": "2026-12-21", "recorded_by": "OF-012", "status": "submitted",
     "document": "BTKĐ-09/2026", "commitment": True},
    {"event": "help_assigned", "date": "2027-01-05", "recorded_by": "OF-011", "resolution": "NQ-01/2027",
     "helper": "OF-014", "period_start": "2027-01-05"},
]
REVIEW = {"event": "final_review", "date": "2028-01-10", "recorded_by": "OF-011", "self_review": "BTKĐ-01/2028",
          "helper_assessment": "NX-01/2028", "resolution": "NQ-02/2028", "outcome": "propose_removal"}
PROPOSED = [{**REVIEW, "ballot": ballot(15, 14, 11, 3), "result": "passed"},
            {"event": "verified", "date": "2028-01-20", "recorded_by": "OF-039", "conclusion": "KL-03/2028"}]


def decided(outcome: str, **more: Any) -> dict[str, Any]:
    return {"event": "decided", "date": "2028-02-01", "recorded_by": "OF-036", "decision": "QĐ-04/2028",
            "ballot": ballot(9, 9, 7, 2), "outcome": outcome, "member_received": "2028-02-03", **more}


APPEAL = [{"event": "appeal_filed", "date": "2028-02-21", "recorded_by": "OF-062", "received": "2028-02-18",
           "decision_appealed": "QĐ-04/2028"},
          {"event": "appeal_resolved", "date": "2028-04-03", "recorded_by": "OF-060", "decision": "GQ-05/2028",
           "outcome": "upheld", "member_received": "2028-04-05"}]


@pytest.fixture(scope="module")
def ctx() -> Context:
    repo = load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))
    return Context(repo.ctx.procedures, repo.ctx.org, LATER)


def run(ctx: Context, history: list[dict[str, Any]]) -> tuple[list[tuple[str, tuple[Any, ...]]], str | None]:
    data = {"case": "SA-2026-900", "procedure": "hd02-2026", "unit": UNIT, "member": "DV-0900",
            "member_status": "full", "history": history}
    result = check_case(data, ctx)
    stage = result.state.stage if result.state is not None else None
    return [(i.rule, i.path) for i in result.issues if i.severity == "error"], stage


def test_the_whole_corrected_path_validates(ctx: Context) -> None:
    errors, stage = run(ctx, HELPED + PROPOSED + [decided("struck_off", removal_ground="khong-tien-bo")] + APPEAL)
    assert errors == [] and stage == "struck_off"


def test_guidance_from_the_superior_comes_before_the_list_vote(ctx: Context) -> None:
    errors, _ = run(ctx, [HELPED[0], HELPED[2]])
    assert ("SEQ-NOT-ALLOWED", ("history", 1, "event")) in errors


def test_the_commune_committee_does_not_propose_to_itself(ctx: Context) -> None:
    proc = ctx.procedures["hd02-2026"].proc
    assert "removal_proposed" not in proc.events
    assert proc.bodies["superior"].title.vi == "Cấp ủy cấp trên trực tiếp"
    assert proc.unconfirmed_points


# ------------------------------------------------------------ appeals one level up


def test_the_appeal_is_heard_one_level_up(ctx: Context) -> None:
    """The commune decided; an officer of the commune may not record or resolve the appeal."""
    history = HELPED + PROPOSED + [decided("struck_off", removal_ground="khong-tien-bo")] + APPEAL
    commune = [dict(history[-2], recorded_by="OF-039"), dict(history[-1], recorded_by="OF-036")]
    errors, _ = run(ctx, history[:-2] + commune)
    n = len(history)
    assert ("ROLE-RECORDER", ("history", n - 2, "recorded_by")) in errors
    assert ("ROLE-RECORDER", ("history", n - 1, "recorded_by")) in errors


def test_a_further_appeal_runs_from_the_previous_appeal_decision(ctx: Context) -> None:
    history = HELPED + PROPOSED + [decided("struck_off", removal_ground="khong-tien-bo")] + APPEAL
    again = {"event": "appeal_filed", "date": "2028-05-10", "recorded_by": "OF-062", "received": "2028-05-08",
             "decision_appealed": "GQ-05/2028"}
    assert run(ctx, history + [again])[0] == []  # 30 working days from 2028-04-05, not from 2028-02-03
    wrong = dict(again, decision_appealed="QĐ-04/2028")
    assert ("REF-MISMATCH", ("history", len(history), "decision_appealed")) in run(ctx, history + [wrong])[0]
    late = dict(again, received="2028-06-01", date="2028-06-02")
    assert ("TIME-LATE", ("history", len(history), "received")) in run(ctx, history + [late])[0]


# ------------------------------------------------------- a failed cell vote is recorded


def test_a_failed_removal_vote_is_recorded_not_refused(ctx: Context) -> None:
    """9 of 15 is short of 2/3: the old procedure could only refuse it (or make the cell record
    'progress'). Now it is recorded as failed, and the competent committee may decide at once."""
    failed = {**REVIEW, "ballot": ballot(15, 14, 9, 5), "result": "failed"}
    errors, stage = run(ctx, HELPED + [failed])
    assert errors == [] and stage == "help_assigned"
    escalated = {"event": "escalated", "date": "2028-01-24", "recorded_by": "OF-036", "decision": "QĐ-03/2028",
                 "result": "passed"}
    errors, stage = run(ctx, HELPED + [failed, escalated, dict(PROPOSED[1], date="2028-01-28")])
    assert errors == [] and stage == "verified"


def test_declaring_a_short_vote_passed_is_still_refused(ctx: Context) -> None:
    short = {**REVIEW, "ballot": ballot(15, 14, 9, 5), "result": "passed"}
    assert ("VOTE-THRESHOLD", ("history", len(HELPED), "ballot", "for")) in run(ctx, HELPED + [short])[0]


def test_after_three_failed_votes_only_the_superior_decides(ctx: Context) -> None:
    proc = ctx.procedures["hd02-2026"].proc
    assert proc.settings["max_failed_votes"].value == 3 and proc.settings["max_failed_votes"].unconfirmed
    assert proc.settings["escalate_after_failures"].value == 1
    votes = [{**REVIEW, "date": f"2028-01-{d}", "ballot": ballot(15, 14, 9, 5), "result": "failed"}
             for d in ("10", "17", "24", "31")]
    assert run(ctx, HELPED + votes[:3])[0] == []
    assert ("SEQ-NOT-ALLOWED", ("history", len(HELPED) + 3, "event")) in run(ctx, HELPED + votes)[0]


# ------------------------------------------------------------- khai trừ safeguards


@pytest.mark.parametrize(("step", "rule"), [
    (decided("expelled"), "SCHEMA-REQUIRED-WHEN"),                                   # member not heard
    (decided("struck_off"), "SCHEMA-REQUIRED-WHEN"),                                 # no ground
    (decided("expelled", member_heard="BB-05/2028", ballot=ballot(9, 9, 7, 2, secret=False)), "VOTE-SECRET"),
])
def test_khai_tru_safeguards(ctx: Context, step: dict[str, Any], rule: str) -> None:
    errors, _ = run(ctx, HELPED + PROPOSED + [step])
    assert rule in {r for r, _ in errors}, errors


def test_expulsion_with_its_safeguards_validates(ctx: Context) -> None:
    errors, stage = run(ctx, HELPED + PROPOSED + [decided("expelled", member_heard="BB-05/2028")])
    assert errors == [] and stage == "expelled"


# ------------------------------------------------------------------ versions


def test_open_cases_moved_and_the_old_version_is_closed(ctx: Context) -> None:
    old = ctx.procedures["hd02-2025"].proc
    assert old.effective_to == dt.date(2026, 11, 22) and old.successor == "hd02-2026"
    assert "leave" in old.vocabularies["excluded_reason"]  # its rules were not edited


# ------------------------------------------- deliberate refusal of the self-criticism


REFUSED = {"event": "self_review", "date": "2026-12-21", "recorded_by": "OF-012", "status": "refused",
           "requests": ["2026-12-14", "2026-12-16", "2026-12-18"]}


def test_a_deliberate_refusal_may_lead_straight_to_striking_off(ctx: Context) -> None:
    vote = {"event": "removal_voted", "date": "2026-12-28", "recorded_by": "OF-011", "resolution": "NQ-40/2026",
            "ballot": ballot(15, 14, 11, 3), "result": "passed"}
    verified = {"event": "verified", "date": "2027-01-08", "recorded_by": "OF-039", "conclusion": "KL-01/2027"}
    step = dict(decided("struck_off", removal_ground="bo-sinh-hoat"), date="2027-01-20", member_received="2027-01-21")
    errors, stage = run(ctx, HELPED[:5] + [REFUSED, vote, verified, step])
    assert errors == [] and stage == "struck_off"
    failed = dict(vote, ballot=ballot(15, 14, 9, 5), result="failed")
    errors, stage = run(ctx, HELPED[:5] + [REFUSED, failed])
    assert errors == [] and stage == "removal_voted"  # help goes on: help_assigned is next


def test_a_submitted_self_criticism_does_not_open_the_striking_off_path(ctx: Context) -> None:
    vote = {"event": "removal_voted", "date": "2026-12-28", "recorded_by": "OF-011", "resolution": "NQ-40/2026",
            "ballot": ballot(15, 14, 11, 3), "result": "passed"}
    errors, _ = run(ctx, HELPED[:6] + [vote])
    assert ("SEQ-NOT-ALLOWED", ("history", 6, "event")) in errors
