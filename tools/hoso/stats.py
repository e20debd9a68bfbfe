"""Counting validated cases: yearly flows, stages, late steps, step times and completeness.

Pure functions from validated cases to exact counts. What is counted is named by each
procedure's ``reporting`` section; nothing here knows an event or end state by name. A step
counts for the unit the case belonged to when it was recorded, and for every ancestor of that
unit, so figures of a dissolved district stay with it after its cases moved on.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from hoso.base import Text
from hoso.checks import CaseResult
from hoso.engine import State, target_date
from hoso.procedure import Procedure, TimeRule
from hoso.recordmodel import Compiled
from hoso.repository import RecordResult

LATE = "TIME-LATE"
OVERDUE = "TIME-OVERDUE"
INCOMPLETE = ("SCHEMA-MISSING", "SCHEMA-REQUIRED-WHEN")


@dataclass(frozen=True)
class StepView:
    """One step of a case, with what reports may use of it: never a private field."""

    event: str
    date: dt.date | None
    unit: str  # the case's unit when the step was recorded
    unit_after: str
    stage_after: str | None
    proc: Compiled
    late: bool
    days: int | None = None  # days from the anchor of its first 'within' rule counted from a public date
    target: TimeRule | None = None


@dataclass(frozen=True)
class CaseView:
    steps: list[StepView]
    stage: str | None
    unit: str
    open: bool
    overdue: bool
    complete: bool
    proc: Compiled


def case_views(results: Iterable[RecordResult | CaseResult]) -> list[CaseView]:
    out = []
    for r in results:
        cr = r.result if isinstance(r, RecordResult) else r
        if cr is not None and cr.state is not None and cr.state.steps:
            out.append(view(cr))
    return out


def view(cr: CaseResult) -> CaseView:
    state = cr.state
    assert state is not None
    late = {i.path[1] for i in cr.issues if i.rule == LATE and len(i.path) > 1 and i.path[0] == "history"}
    steps = []
    for n, step in enumerate(state.steps):
        nxt = state.steps[n + 1] if n + 1 < len(state.steps) else None
        stage_after = nxt.stage_before if nxt is not None else state.stage
        unit_after = nxt.unit if nxt is not None else state.unit
        days, rule = _elapsed(state, n)
        steps.append(StepView(step.event.name, step.event.date, step.unit, unit_after, stage_after,
                              step.proc, step.event.index in late, days, rule))
    return CaseView(steps, state.stage, state.unit, state.open, any(i.rule == OVERDUE for i in cr.issues),
                    not any(i.rule in INCOMPLETE for i in cr.issues), state.proc)


def _elapsed(state: State, n: int) -> tuple[int | None, TimeRule | None]:
    step = state.steps[n]
    spec = step.proc.proc.events.get(step.event.name)
    if spec is None or step.event.date is None:
        return None, None
    proc = step.proc.proc
    for rule in spec.time:
        if rule.rule != "within" or rule.anchor.event not in proc.events:
            continue
        anchor_spec = proc.all_fields(rule.anchor.event).get(rule.anchor.field)
        if anchor_spec is None or not anchor_spec.public:
            continue  # a time counted from a private field is never published, even as a median
        anchor, _ = state.anchor_date(rule, step.anchors)
        if anchor is not None:
            return (step.event.date - anchor).days, rule
    return None, None


# -------------------------------------------------------------------------- units


def ancestors(unit: str) -> list[str]:
    """The unit itself, then every unit above it (by the path of its id)."""
    out = [unit]
    while "/" in unit:
        unit = unit.rsplit("/", 1)[0]
        out.append(unit)
    return out


def rollup(counts: Counter[tuple[str, ...]]) -> Counter[tuple[str, ...]]:
    """Counts keyed ``(unit, …)`` for the unit and for every ancestor of it."""
    out: Counter[tuple[str, ...]] = Counter()
    for key, n in counts.items():
        for u in ancestors(key[0]):
            out[(u,) + key[1:]] += n
    return out


# -------------------------------------------------------------------------- flows


def flow_titles(procs: Iterable[Compiled]) -> dict[str, Text]:
    """Every flow the procedures define, in the order of the oldest procedure first."""
    out: dict[str, Text] = {}
    for c in sorted(procs, key=lambda c: c.proc.effective_from):
        for key, flow in c.proc.reporting.flows.items():
            out.setdefault(key, flow.title)
    return out


def case_flows(case: CaseView) -> list[tuple[str, int, str]]:
    """(unit, year, flow) for the first step of a case that counts for each flow."""
    seen: set[str] = set()
    out = []
    before: str | None = None
    for s in case.steps:
        for key, flow in s.proc.proc.reporting.flows.items():
            if flow.event is not None:
                hit = s.event == flow.event
            else:
                hit = s.stage_after == flow.end and s.stage_after != before
            if hit and key not in seen and s.date is not None:
                seen.add(key)
                out.append((s.unit, s.date.year, key))
        before = s.stage_after
    return out


def flows(cases: Iterable[CaseView]) -> Counter[tuple[str, ...]]:
    """Counts keyed (unit, year, flow), at the unit of the time only (see :func:`rollup`)."""
    out: Counter[tuple[str, ...]] = Counter()
    for c in cases:
        for unit, year, key in case_flows(c):
            out[(unit, str(year), key)] += 1
    return out


# ------------------------------------------------------------------ stage on a day


def stage_on(case: CaseView, day: dt.date) -> tuple[str | None, str]:
    """The stage and unit of a case at the end of ``day``."""
    stage, unit = None, case.steps[0].unit
    for s in case.steps:
        if s.date is None or s.date > day:
            break
        stage, unit = s.stage_after, s.unit_after
    return stage, unit


def stages(cases: Iterable[CaseView], day: dt.date | None = None) -> Counter[tuple[str, ...]]:
    """Counts keyed (unit, stage): every case's stage now (or on ``day``), at its unit then."""
    out: Counter[tuple[str, ...]] = Counter()
    for c in cases:
        stage, unit = (c.stage, c.unit) if day is None else stage_on(c, day)
        if stage is not None:
            out[(unit, stage)] += 1
    return out


def under_help(cases: Iterable[CaseView], day: dt.date) -> Counter[tuple[str, ...]]:
    """Counts keyed (unit,): cases whose stage on ``day`` is one the procedure calls 'under help'."""
    out: Counter[tuple[str, ...]] = Counter()
    for c in cases:
        stage, unit = stage_on(c, day)
        spec = _proc_on(c, day).reporting.under_help
        if stage is not None and spec is not None and stage in spec.stages:
            out[(unit,)] += 1
    return out


def _proc_on(case: CaseView, day: dt.date) -> Procedure:
    proc = case.steps[0].proc
    for s in case.steps:
        if s.date is None or s.date > day:
            break
        proc = s.proc
    return proc.proc


# --------------------------------------------------------------------- timeliness


def late_steps(cases: Iterable[CaseView], year: int | None = None) -> Counter[tuple[str, ...]]:
    """Counts keyed (unit, event) of steps recorded after their time limit (in ``year``)."""
    out: Counter[tuple[str, ...]] = Counter()
    for c in cases:
        for s in c.steps:
            if s.late and s.date is not None and (year is None or s.date.year == year):
                out[(s.unit, s.event)] += 1
    return out


def steps_taken(cases: Iterable[CaseView]) -> Counter[tuple[str, ...]]:
    out: Counter[tuple[str, ...]] = Counter()
    for c in cases:
        for s in c.steps:
            if s.date is not None:
                out[(s.unit, s.event)] += 1
    return out


def overdue(cases: Iterable[CaseView]) -> Counter[tuple[str, ...]]:
    """Counts keyed (unit,) of open cases with a running time limit already passed."""
    return Counter((c.unit,) for c in cases if c.overdue)


@dataclass
class StepTime:
    days: list[int] = field(default_factory=list)
    target_days: list[int] = field(default_factory=list)

    @property
    def median(self) -> float | None:
        return statistics.median(self.days) if self.days else None

    @property
    def target(self) -> float | None:
        return statistics.median(self.target_days) if self.target_days else None


def step_times(cases: Iterable[CaseView]) -> dict[tuple[str, str], StepTime]:
    """Per (unit, event), rolled up: days each step took from its anchor, and its time limit."""
    out: dict[tuple[str, str], StepTime] = {}
    for c in cases:
        for s in c.steps:
            if s.days is None or s.target is None or s.date is None:
                continue
            anchor = s.date - dt.timedelta(days=s.days)
            limit = (target_date(s.proc, s.target, anchor) - anchor).days
            for u in ancestors(s.unit):
                t = out.setdefault((u, s.event), StepTime())
                t.days.append(s.days)
                t.target_days.append(limit)
    return out


def completeness(cases: Iterable[CaseView]) -> Counter[tuple[str, ...]]:
    """Counts keyed (unit, 'complete'|'incomplete') at each case's current unit."""
    return Counter((c.unit, "complete" if c.complete else "incomplete") for c in cases)


# ------------------------------------------------------------------------ reports


def year_report(cases: list[CaseView], year: int, today: dt.date) -> dict[str, Counter[tuple[str, ...]]]:
    """Every yearly figure, rolled up, keyed by metric then (unit, …); for the current year
    also the open cases overdue today."""
    end = min(dt.date(year, 12, 31), today)
    flow_counts = rollup(flows(cases))
    out: dict[str, Counter[tuple[str, ...]]] = {}
    for (unit, y, key), n in flow_counts.items():
        if y == str(year):
            out.setdefault(key, Counter())[(unit,)] = n
    out["under_help"] = rollup(under_help(cases, end))
    late = rollup(late_steps(cases, year))
    out["late"] = Counter()
    for (unit, _event), n in late.items():
        out["late"][(unit,)] += n
    if year == today.year:
        out["overdue"] = rollup(overdue(cases))
    return out
