"""Dates bounded by other dates and references that must repeat another step's value
(``hoso.bounds``: DATE-BOUND, REF-MISMATCH), judged in this process on a demo case changed one
value at a time (issue 13, mutation testing). Each test asserts the exact list of these findings
with their paths and arguments: on the bound is allowed, one day past it is not.

The case: VC-2022-002 (hd02-2021), struck off on 2023-06-29, received 2023-07-03, appealed
(lodged 2023-07-21, recorded 2023-08-21, against QĐ-11/2023), overturned."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from hoso.bounds import bound_rows
from hoso.checks import Context, check_case
from hoso.engine import Issue, issue
from hoso.messages import L
from hoso.procedure import Procedure
from hoso.recordmodel import Compiled
from hoso.repository import load_context
from hoso.source import WorkTree
from hoso.yamlload import load_strict
from tests.conftest import ROOT

CASE = ROOT / "records/van-chan/xa-a/chi-bo-thon-2/VC-2022-002.yaml"
FLAGGED, NOTIFIED, SELF_REVIEW, DECIDED, APPEAL, RESOLVED = 0, 3, 4, 9, 10, 11
BEFORE, AFTER = L("trước", "before"), L("sau", "after")
D = dt.date.fromisoformat


@pytest.fixture(scope="module")
def ctx() -> Context:
    return load_context(WorkTree(ROOT), D("2024-06-30")).ctx


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(dict(load_strict(CASE.read_text(encoding="utf-8")).value))


def bounds(data: dict[str, Any], ctx: Context, today: str | None = None) -> list[Issue]:
    if today is not None:
        ctx = Context(ctx.procedures, ctx.org, D(today))
    return [i for i in check_case(data, ctx).issues if i.rule in ("DATE-BOUND", "REF-MISMATCH")]


def date_bound(path: tuple[Any, ...], field: str, value: str, side: L, bound: Any, bound_date: str) -> Issue:
    return issue(path, "DATE-BOUND", field=field, value=D(value), side=side, bound=bound, bound_date=D(bound_date))


def test_the_demo_case_is_within_every_bound(case: dict[str, Any], ctx: Context) -> None:
    assert bounds(case, ctx) == []


def test_a_date_not_before_its_own_steps_date(case: dict[str, Any], ctx: Context) -> None:
    case["history"][DECIDED]["member_received"] = "2023-06-29"  # the day of the decision: on the bound
    assert bounds(case, ctx) == []
    case["history"][DECIDED]["member_received"] = "2023-06-28"
    assert bounds(case, ctx) == [date_bound(("history", DECIDED, "member_received"), "member_received", "2023-06-28",
                                            BEFORE, "date", "2023-06-29")]


def test_a_date_not_after_the_day_of_the_check(case: dict[str, Any], ctx: Context) -> None:
    case["history"] = case["history"][:DECIDED + 1]
    assert bounds(case, ctx, today="2023-07-03") == []
    assert bounds(case, ctx, today="2023-07-02") == [
        date_bound(("history", DECIDED, "member_received"), "member_received", "2023-07-03", AFTER,
                   L("hôm nay", "today"), "2023-07-02")]


def test_a_date_not_before_a_field_of_an_earlier_step(case: dict[str, Any], ctx: Context) -> None:
    case["history"][APPEAL]["received"] = "2023-07-03"  # the day the member received the decision
    assert bounds(case, ctx) == []
    case["history"][APPEAL]["received"] = "2023-07-02"
    assert bounds(case, ctx) == [date_bound(("history", APPEAL, "received"), "received", "2023-07-02", BEFORE,
                                            "decided.member_received", "2023-07-03")]


def test_a_date_not_after_its_own_steps_date(case: dict[str, Any], ctx: Context) -> None:
    case["history"][APPEAL]["received"] = "2023-08-21"
    assert bounds(case, ctx) == []
    case["history"][APPEAL]["received"] = "2023-08-22"
    assert bounds(case, ctx) == [date_bound(("history", APPEAL, "received"), "received", "2023-08-22", AFTER,
                                            "date", "2023-08-21")]


def test_a_date_in_a_list_of_objects(case: dict[str, Any], ctx: Context) -> None:
    case["history"][FLAGGED]["consultations"][0]["date"] = "2022-03-01"
    assert bounds(case, ctx) == []
    case["history"][FLAGGED]["consultations"].append(
        {"body": "doan-the", "date": "2022-03-02", "ref": "BB-02/2022"})
    assert bounds(case, ctx) == [date_bound(("history", FLAGGED, "consultations", 1, "date"), "consultations.1.date",
                                            "2022-03-02", AFTER, "date", "2022-03-01")]


def test_dates_in_a_list_of_dates(case: dict[str, Any], ctx: Context) -> None:
    review = case["history"][SELF_REVIEW]
    for key in ("document", "commitment"):
        del review[key]
    review.update(status="refused", requests=["2022-03-25", "2022-03-30", "2022-04-04"])  # notified .. own date
    assert bounds(case, ctx) == []
    review["requests"] = ["2022-03-24", "2022-03-30", "2022-04-05"]
    assert bounds(case, ctx) == [
        date_bound(("history", SELF_REVIEW, "requests", 0), "requests.0", "2022-03-24", BEFORE, "notified.date",
                   "2022-03-25"),
        date_bound(("history", SELF_REVIEW, "requests", 2), "requests.2", "2022-04-05", AFTER, "date", "2022-04-04")]


def test_an_appeal_names_the_decision_it_is_against(case: dict[str, Any], ctx: Context) -> None:
    case["history"][APPEAL]["decision_appealed"] = "QĐ-12/2023"
    assert bounds(case, ctx) == [issue(("history", APPEAL, "decision_appealed"), "REF-MISMATCH",
                                       field="decision_appealed", value="QĐ-12/2023", expected="QĐ-11/2023",
                                       source="decided.decision")]


def second_appeal(case: dict[str, Any], received: str, against: str) -> None:
    """The first appeal upheld (received by the member on 2023-10-02), then appealed again."""
    case["history"][RESOLVED].update(outcome="upheld", member_received="2023-10-02")
    case["history"].append({"event": "appeal_filed", "date": "2023-10-10", "recorded_by": "OF-033",
                            "received": received, "decision_appealed": against})


def test_a_second_appeal_is_judged_against_the_latest_decision(case: dict[str, Any], ctx: Context) -> None:
    second_appeal(case, "2023-10-02", "VB-12/2023")
    assert bounds(case, ctx) == []
    case["history"].pop()
    second_appeal(case, "2023-10-01", "QĐ-11/2023")
    assert bounds(case, ctx) == [
        date_bound(("history", 12, "received"), "received", "2023-10-01", BEFORE, "appeal_resolved.member_received",
                   "2023-10-02"),
        issue(("history", 12, "decision_appealed"), "REF-MISMATCH", field="decision_appealed", value="QĐ-11/2023",
              expected="VB-12/2023", source="appeal_resolved.decision")]


def test_the_guide_lists_every_bound_in_step_order(ctx: Context) -> None:
    rows = [(event, label, kind, ref.event, ref.field, ref.today)
            for event, label, kind, ref in bound_rows(ctx.procedures["hd02-2021"].proc)]
    assert rows == [
        ("flagged", "consultations[].date", "not_after", None, "date", False),
        ("self_review", "requests[]", "not_before", "notified", "date", False),
        ("self_review", "requests[]", "not_after", None, "date", False),
        ("help_assigned", "period_start", "not_before", None, "date", False),
        ("help_assigned", "period_start", "not_before", ["self_review", "decided", "escalated"], "date", False),
        ("decided", "member_received", "not_before", None, "date", False),
        ("decided", "member_received", "not_after", None, "date", True),
        ("appeal_filed", "received", "not_before", ["decided", "appeal_resolved"], "member_received", False),
        ("appeal_filed", "received", "not_after", None, "date", False),
        ("appeal_filed", "decision_appealed", "same_as", ["decided", "appeal_resolved"], "decision", False),
        ("appeal_resolved", "member_received", "not_before", None, "date", False),
        ("appeal_resolved", "member_received", "not_after", None, "date", True),
        ("appeal_extended", "member_notified", "not_before", "appeal_filed", "received", False),
        ("appeal_extended", "member_notified", "not_after", None, "date", False),
    ]


@pytest.fixture(scope="module")
def nested_ctx(ctx: Context) -> Context:
    """hd02-2021 with a bounded date inside an object field (no demo procedure has one): the
    notification's meeting, held no later than the step's date, about the approved list."""
    data = dict(load_strict((ROOT / "procedures/hd02-2021.yaml").read_text(encoding="utf-8")).value)
    data["events"]["notified"]["fields"]["meeting"] = {
        "type": "object", "fields": {"held": {"type": "date", "not_after": [{"field": "date"}]},
                                     "list": {"type": "ref", "same_as": {"event": "list_approved", "field": "decision"}}}}
    return Context({**ctx.procedures, "hd02-2021": Compiled(Procedure.model_validate(data))}, ctx.org, ctx.today)


def test_a_date_in_an_object(case: dict[str, Any], nested_ctx: Context) -> None:
    case["history"][NOTIFIED]["meeting"] = {"held": "2022-03-25", "list": "QĐ-03/2022"}
    assert bounds(case, nested_ctx) == []
    case["history"][NOTIFIED]["meeting"] = {"held": "2022-03-26", "list": "QĐ-04/2022"}
    assert bounds(case, nested_ctx) == [
        date_bound(("history", NOTIFIED, "meeting", "held"), "meeting.held", "2022-03-26", AFTER, "date", "2022-03-25"),
        issue(("history", NOTIFIED, "meeting", "list"), "REF-MISMATCH", field="meeting.list", value="QĐ-04/2022",
              expected="QĐ-03/2022", source="list_approved.decision")]
    rows = [(e, label, kind) for e, label, kind, _ in bound_rows(nested_ctx.procedures["hd02-2021"].proc)]
    assert ("notified", "meeting.held", "not_after") in rows
