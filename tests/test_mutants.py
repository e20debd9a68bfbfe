"""Tests written against the mutants mutation testing found alive (issue 13): each one fails
when the named rule is changed the way the mutant changed it, and asserts the reason (rule id,
line and, where it matters, the exact set of findings), not only an exit code.

The record-level rules run in this process against the demo's procedures and roster
(``check_record`` is what `hoso validate` runs per file); the change-level ones (cases moved out
of records/, re-validation after a procedure or roster change) run `hoso check` on real git
repositories."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from hoso.checks import Context
from hoso.org import Officer, Org
from hoso.repository import check_record
from tests.conftest import git
from tests.fuzz_util import demo_repo
from tests.pr_util import CASE, EVENTS, case_text, check_json, commit, line_of, make_repo, progress_note, write_case

Found = set[tuple[str, int, str]]  # (rule, line, severity)

HELP = EVENTS  # flagged … help_assigned; the help period starts 2024-04-15
PERIOD_START = dt.date(2024, 4, 15)
FIRST_REVIEW_DAY = "2025-04-15"  # period_start + 12 months: the first day a final review may be held
LAST_REVIEW_DAY = "2025-05-15"  # + 30 days: the last day it is on time


def ctx(today: str, org: Org | None = None) -> Context:
    base = demo_repo().ctx
    return dataclasses.replace(base, today=dt.date.fromisoformat(today), org=org or base.org)


def judge(events: list[str], today: str, org: Org | None = None) -> tuple[Found, str]:
    text = case_text(events)
    result = check_record(CASE, text.encode("utf-8"), ctx(today, org))
    return {(f.rule, f.line, f.severity) for f in result.findings}, text


def line(text: str, needle: str, after: str = "") -> int:
    """1-based line of the first ``needle`` after the first ``after``."""
    lines = text.splitlines()
    start = next(i for i, s in enumerate(lines) if after in s) if after else 0
    return next(i for i, s in enumerate(lines[start:], start + 1) if needle in s)


def final_review(date: str, ballot: str = "{members_total: 15, present: 14, for: 2, against: 12, secret: true}",
                 outcome: str = "progress") -> str:
    return f"""\
  - event: final_review
    date: "{date}"
    recorded_by: OF-001
    self_review: BTKĐ-03/2025
    helper_assessment: NX-01/2025
    resolution: NQ-11/2025
    ballot: {ballot}
    outcome: {outcome}
"""


# ------------------------------------------------------------------ vote threshold base


def voted(ballot: str, result: str = "passed") -> list[str]:
    return [EVENTS[0], f"""\
  - event: list_voted
    date: "2024-03-12"
    recorded_by: OF-001
    resolution: NQ-02/2024
    ballot: {ballot}
    result: {result}
"""]


def test_threshold_of_eligible_members_subtracts_the_exclusions() -> None:
    """2/3 of the 12 eligible (15 minus 3 excluded) is 8: 8 votes pass. Counted against all 15
    members (the mutant `of: eligible` → members_total) it would need 10 and fail."""
    found, _ = judge(voted("{members_total: 15, excluded: {transferred: 3}, present: 12, for: 8, against: 4, "
                           "secret: true}"), "2024-03-12")
    assert {f for f in found if f[2] == "error"} == set()


def test_one_vote_short_of_two_thirds_of_the_eligible() -> None:
    found, text = judge(voted("{members_total: 15, excluded: {transferred: 3}, present: 12, for: 7, against: 5, "
                              "secret: true}"), "2024-03-12")
    assert {f for f in found if f[2] == "error"} == {("VOTE-THRESHOLD", line(text, "ballot:", "list_voted"), "error")}


def test_declared_failed_while_the_eligible_passed_it() -> None:
    found, text = judge(voted("{members_total: 15, excluded: {transferred: 3}, present: 12, for: 8, against: 4, "
                              "secret: true}", result="failed"), "2024-03-12")
    assert {f for f in found if f[2] == "error"} == {
        ("VOTE-RESULT-MISMATCH", line(text, "result: failed"), "error")}


# --------------------------------------------------------------- time rules and boundaries


def test_final_review_on_its_first_allowed_day_is_not_early() -> None:
    found, _ = judge(HELP + [final_review(FIRST_REVIEW_DAY)], FIRST_REVIEW_DAY)
    assert found == set()


def test_final_review_the_day_before_is_too_early() -> None:
    found, text = judge(HELP + [final_review("2025-04-14")], "2025-04-14")
    assert found == {("TIME-TOO-EARLY", line(text, 'date: "2025-04-14"'), "error")}


def test_final_review_on_the_last_day_of_its_window_is_on_time() -> None:
    found, _ = judge(HELP + [final_review(LAST_REVIEW_DAY)], LAST_REVIEW_DAY)
    assert found == set()


def test_final_review_after_its_window_is_late_though_not_early() -> None:
    """The not_before rule is met, the within rule is not: both must be looked at (the mutant
    `continue` → `break` stopped after the first rule that was met)."""
    found, text = judge(HELP + [final_review("2025-05-16")], "2025-05-16")
    assert found == {("TIME-LATE", line(text, 'date: "2025-05-16"'), "warning")}


def test_event_dated_today_is_not_in_the_future() -> None:
    found, _ = judge(HELP + [progress_note("2024-10-10")], "2024-10-10")
    assert found == set()


def test_event_dated_tomorrow_is_in_the_future() -> None:
    found, text = judge(HELP + [progress_note("2024-10-11")], "2024-10-10")
    assert found == {("TIME-FUTURE", line(text, 'date: "2024-10-11"'), "error")}


def test_final_review_overdue_only_from_the_day_after_its_deadline() -> None:
    on_time, _ = judge(HELP, LAST_REVIEW_DAY)
    assert on_time == set()
    late, text = judge(HELP, "2025-05-16")
    assert late == {("TIME-OVERDUE", line(text, "event: help_assigned"), "warning")}


def test_step_on_the_units_last_day_and_the_day_after() -> None:
    """van-chan/xa-a/chi-bo-thon-1 and OF-002's role there both end on 2025-06-30 (the final
    review is overdue by then: a warning on the last step, either day)."""
    on_last_day, text = judge(HELP + [progress_note("2025-06-30")], "2025-06-30")
    n = line(text, 'date: "2025-06-30"')
    assert on_last_day == {("TIME-OVERDUE", n - 1, "warning")}
    after, text = judge(HELP + [progress_note("2025-07-01")], "2025-07-01")
    n = line(text, 'date: "2025-07-01"')
    assert after == {("TIME-OVERDUE", n - 1, "warning"), ("ORG-UNIT-DISSOLVED", n - 1, "error"),
                     ("ORG-UNIT-INVALID", n, "error"), ("ROLE-RECORDER", n + 1, "error")}


def _org_with(officer: dict[str, object]) -> Org:
    base = demo_repo().ctx.org
    extra = Officer.model_validate(officer)
    return Org(units=dict(base.units), officers={**base.officers, extra.id: extra})


def test_recorder_on_the_last_day_of_their_role_and_the_day_after() -> None:
    org = _org_with({"id": "OF-095", "login": "ends-2024-10-10", "member": "DV-9095",
                     "roles": [{"role": "chi_uy", "unit": "van-chan/xa-a/chi-bo-thon-1", "from": "2019-01-01",
                                "to": "2024-10-10"}]})
    found, _ = judge(HELP + [progress_note("2024-10-10", recorder="OF-095")], "2024-10-10", org)
    assert found == set()
    found, text = judge(HELP + [progress_note("2024-10-11", recorder="OF-095")], "2024-10-11", org)
    assert found == {("ROLE-RECORDER", line(text, "recorded_by: OF-095"), "error")}


def test_an_incomplete_event_still_has_its_date_judged() -> None:
    """A step that fails its schema keeps the fields that passed: its date is still checked."""
    note = progress_note("2024-10-11").replace("    document: PGN-01/2024\n", "")
    found, text = judge(HELP + [note], "2024-10-10")
    n = line(text, 'date: "2024-10-11"')
    assert found == {("SCHEMA-MISSING", n - 1, "error"), ("TIME-FUTURE", n, "error")}


def test_the_calendar_counts_vietnamese_holidays_by_default() -> None:
    from hoso.calendar import WorkCalendar

    national_day = dt.date(2025, 9, 2)  # a Tuesday
    assert not WorkCalendar().is_working_day(national_day)
    assert WorkCalendar().is_working_day(dt.date(2025, 9, 3))
    assert WorkCalendar().add_working_days(dt.date(2025, 9, 1), 1) == dt.date(2025, 9, 3)
