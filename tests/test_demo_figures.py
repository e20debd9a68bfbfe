"""The demo records reproduce the article's figures and cover the whole procedure.

Counts come from the validated records (hoso.validation.validate), never from the YAML text,
so a record that stops validating, or a step the engine would place differently, fails here.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest

from hoso.engine import get
from hoso.repository import RecordResult, WorkTree
from hoso.validation import validate
from tests.conftest import ROOT, TODAY

TODAY_DATE = dt.date.fromisoformat(TODAY)


@pytest.fixture(scope="module")
def results() -> list[RecordResult]:
    report, results = validate(WorkTree(ROOT), TODAY_DATE)
    errors = [f for f in report.findings if f.severity == "error"]
    assert errors == []
    assert all(r.result is not None and r.result.state is not None for r in results)
    return results


def steps(results: list[RecordResult]) -> list[tuple[str, Any, Any]]:
    """(procedure id, event, step) for every step of every case."""
    out = []
    for r in results:
        assert r.result is not None and r.result.state is not None
        for s in r.result.state.steps:
            out.append((s.proc.proc.id, s.event, s))
    return out


def count(results: list[RecordResult], event: str, year: int) -> int:
    return sum(1 for _, ev, _ in steps(results) if ev.name == event and ev.date is not None and ev.date.year == year)


def test_van_chan_2021_six_put_on_the_list(results: list[RecordResult]) -> None:
    assert count(results, "list_approved", 2021) == 6


def test_van_chan_2022_six_on_the_list_five_taken_off(results: list[RecordResult]) -> None:
    assert count(results, "list_approved", 2022) == 6
    assert count(results, "progress_recognised", 2022) == 5


def test_the_2021_cohort_is_mostly_recognised_in_2022(results: list[RecordResult]) -> None:
    cohort = set()
    recognised_2022 = set()
    for r in results:
        assert r.result is not None and r.result.state is not None
        for s in r.result.state.steps:
            if s.event.name == "list_approved" and s.event.date.year == 2021:
                cohort.add(r.path)
            if s.event.name == "progress_recognised" and s.event.date.year == 2022:
                recognised_2022.add(r.path)
    assert recognised_2022 <= cohort
    assert len(cohort) == 6 and len(recognised_2022) == 5


def test_every_end_state_is_reached(results: list[RecordResult]) -> None:
    ends = Counter()
    for r in results:
        assert r.result is not None and r.result.state is not None
        state = r.result.state
        if state.ended:
            ends[state.stage] += 1
    for proc in {s.proc.proc.id: s.proc.proc for _, _, s in steps(results)}.values():
        for end in proc.end_states:
            assert ends[end] > 0, end


def test_every_event_of_every_procedure_appears(results: list[RecordResult]) -> None:
    seen = {ev.name for _, ev, _ in steps(results)}
    procs = {s.proc.proc.id: s.proc.proc for _, _, s in steps(results)}
    assert set(procs) == {"hd02-2021", "hd02-2025", "hd02-2026"}
    for proc in procs.values():
        missing = set(proc.events) - seen - NOT_YET_REACHED_EVENTS
        assert not missing, (proc.id, missing)
    # both procedures carry cases opened under them
    opened = {r.result.header.procedure for r in results if r.result is not None and r.result.header is not None}
    assert opened == set(procs)


# A superior body ruling 'failed' on an escalated question leaves the case with no next step in
# the procedure as written (the transition it replays is the 'repeat' one): not demonstrated.
NOT_DEMONSTRATED = {("escalated", "failed")}
# Fields hd02-2026 added to its final review and decision: that version came into force on
# 2026-11-23, four days before the demo's today, so no demo case has reached those steps under it.
# tests/test_procedure_texts.py records them through hoso record instead.
NOT_YET_REACHED = {("final_review", "result"), ("decided", "removal_ground")}
NOT_YET_REACHED_EVENTS = {"removal_voted"}  # needs a refused self-criticism under hd02-2026


def values(results: list[RecordResult], event: str, name: str) -> Counter[Any]:
    return Counter(get(ev.values, name) for _, ev, _ in steps(results) if ev.name == event)


def test_every_outcome_and_reason_appears(results: list[RecordResult]) -> None:
    for proc in {s.proc.proc.id: s.proc.proc for _, _, s in steps(results)}.values():
        for event, spec in proc.events.items():
            for fname, fspec in proc.all_fields(event).items():
                if fspec.type != "enum" or fspec.vocabulary is None or (event, fname) in NOT_YET_REACHED \
                        or event in NOT_YET_REACHED_EVENTS:
                    continue
                seen = values(results, event, fname)
                for value in proc.vocabularies[fspec.vocabulary]:
                    if (event, value) in NOT_DEMONSTRATED:
                        continue
                    assert seen[value] > 0, (event, fname, value)


def test_special_paths(results: list[RecordResult]) -> None:
    # a removal proposal failing three times before the superior body decides
    def failed_then_escalated(r: RecordResult) -> bool:
        assert r.result is not None and r.result.state is not None
        names = [(s.event.name, get(s.event.values, "result")) for s in r.result.state.steps]
        for i in range(len(names) - 3):
            if all(n == ("removal_proposed", "failed") for n in names[i:i + 3]) and names[i + 3][0] == "escalated":
                return True
        return False

    assert any(failed_then_escalated(r) for r in results)
    # a second 12-month help period after continue_help
    assert any(
        [s.event.name for s in r.result.state.steps].count("help_assigned") == 2
        for r in results if r.result is not None and r.result.state is not None
    )
    # a probationary member, struck off
    assert any(
        r.result.header.member_status == "probationary" and r.result.state.stage == "struck_off"
        for r in results if r.result is not None and r.result.header is not None and r.result.state is not None
    )


def test_cases_open_on_1_july_2025_moved_to_the_successors(results: list[RecordResult]) -> None:
    reorg = dt.date(2025, 7, 1)
    moved = 0
    for r in results:
        assert r.result is not None and r.result.state is not None
        st = r.result.state
        before = [s for s in st.steps if s.event.date < reorg]
        after = [s for s in st.steps if s.event.date >= reorg]
        if not before or not after:
            continue
        # open across the reorganisation: transferred while the old unit lived, then migrated
        names = [s.event.name for s in st.steps]
        assert "transferred" in names and "migrated" in names, r.path
        t = st.steps[names.index("transferred")]
        m = st.steps[names.index("migrated")]
        assert t.event.date < reorg <= m.event.date
        assert st.unit.startswith("lao-cai/") and r.path.startswith(f"records/{st.unit}/")
        moved += 1
    assert moved >= 5


def test_open_cases_and_planted_lateness(results: list[RecordResult]) -> None:
    report, _ = validate(WorkTree(ROOT), TODAY_DATE)
    rules = Counter(f.rule for f in report.findings)
    assert rules["TIME-OVERDUE"] >= 2 and rules["TIME-LATE"] >= 1
    assert report.errors == 0
    stages = Counter(r.result.state.stage for r in results
                     if r.result is not None and r.result.state is not None and r.result.state.open)
    assert len(stages) >= 6 and sum(stages.values()) >= 8
