"""Replaying a case's history against its procedure: stage, allowed steps and deadlines.

The stage is derived, never stored. The engine knows the *kinds* of things a procedure can
say (transitions, end states, repeats, escalation, transfer and migration effects, time
rules), never any procedure's events by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

from hoso.calendar import add_months
from hoso.messages import L
from hoso.procedure import EventSpec, Procedure, TimeRule, Transition
from hoso.recordmodel import Compiled

Path = tuple[Any, ...]


@dataclass(frozen=True)
class Issue:
    path: Path
    rule: str
    severity: str = "error"
    args: tuple[tuple[str, Any], ...] = ()


def issue(path: Path, rule: str, severity: str = "error", **args: Any) -> Issue:
    return Issue(path, rule, severity, tuple(sorted(args.items())))


def get(values: Any, name: str) -> Any:
    """A field of an event, whether it validated into a model or stayed a raw mapping."""
    if isinstance(values, dict):
        return values.get(name)
    if name == "for":
        name = "for_"
    return getattr(values, name, None)


@dataclass
class Event:
    """One history entry as the engine sees it."""

    index: int
    name: str
    date: dt.date | None
    values: Any  # the validated model, or the raw mapping when it did not validate
    valid: bool


@dataclass
class Step:
    """An event after replay: the context it was judged in."""

    event: Event
    proc: Compiled
    unit: str  # the case's unit when the event was recorded
    stage_before: str | None
    allowed: list[str]
    anchors: dict[str, int]  # event name -> index of its last step before this one


@dataclass
class State:
    proc: Compiled
    unit: str
    stage: str | None = None
    ended: bool = False
    next_allowed: list[str] = field(default_factory=list)
    previous_end: str | None = None
    failures: int = 0
    failing_event: str | None = None
    stage_values: Any = None
    last: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)  # header fields set by events (``sets``), as of now

    @property
    def open(self) -> bool:
        return self.stage is not None and not self.ended

    def allowed(self) -> list[str]:
        proc = self.proc.proc
        if self.stage is None:
            return list(self.proc.opening_events)
        out = self.next_allowed + self.proc.stage_events(self.stage, self.ended)
        esc = proc.escalation
        if esc is not None and not self.ended and self.failures >= proc.amount(esc.after_failures):
            out.append(esc.event)
            out = without_exhausted_vote(out, proc, self.failures, self.failing_event)
        return list(dict.fromkeys(out))

    def anchor_date(self, rule: TimeRule, last: dict[str, int] | None = None) -> tuple[dt.date | None, Step | None]:
        """The date a time rule counts from: its anchor event's last occurrence (before a step,
        when ``last`` is that step's snapshot)."""
        idx = self.latest(rule.anchor.events(), last)
        if idx is None:
            return None, None
        step = self.steps[idx]
        value = step.event.date if rule.anchor.field == "date" else get(step.event.values, rule.anchor.field)
        return (value if isinstance(value, dt.date) else None), step


    def latest(self, names: list[str], last: dict[str, int] | None = None) -> int | None:
        """The index of the most recent step among ``names`` (before a step, when ``last`` is
        that step's snapshot)."""
        seen = self.last if last is None else last
        found = [seen[n] for n in names if n in seen]
        return max(found) if found else None

    def excused(self, rule: TimeRule, due: dt.date, after: Step, before: int | None = None) -> bool:
        """Whether the rule's excusing event was recorded after its anchor step, on or before
        the due date (and before step ``before``, when judging a past step)."""
        if rule.excused_by is None:
            return False
        start = after.event.index + 1
        for step in self.steps[start:before]:
            if step.event.name == rule.excused_by and step.event.date is not None and step.event.date <= due:
                return True
        return False


def without_exhausted_vote(allowed: list[str], proc: Procedure, failures: int, failing: str | None) -> list[str]:
    """Once a question has failed ``max_failures`` times, only the superior body may rule on it."""
    esc = proc.escalation
    if esc is None or esc.max_failures is None or failing is None or failures < proc.amount(esc.max_failures):
        return allowed
    return [name for name in allowed if name != failing]


def match(transitions: list[Transition], values: Any) -> Transition | None:
    for t in transitions:
        if all(get(values, k) == v for k, v in (t.when or {}).items()):
            return t
    return None


def target_date(c: Compiled, rule: TimeRule, anchor: dt.date) -> dt.date:
    p = c.proc
    day = add_months(anchor, p.amount(rule.months))
    day += dt.timedelta(days=p.amount(rule.days))
    return c.calendar.add_working_days(day, p.amount(rule.working_days))


def span_text(p: Procedure, rule: TimeRule, lang: str) -> str:
    words = {"vi": ("tháng", "ngày", "ngày làm việc"), "en": ("months", "days", "working days")}[lang]
    parts = []
    for amount, word in zip((rule.months, rule.days, rule.working_days), words):
        n = p.amount(amount)
        if n:
            parts.append(f"{n} {word}")
    return " + ".join(parts) or "0"


class Replayer:
    """Walks a history once, recording the context of every step and every sequence issue."""

    def __init__(self, procedures: dict[str, Compiled], member_status: str) -> None:
        self.procedures = procedures
        self.member_status = member_status
        self.issues: list[Issue] = []

    def run(self, start: Compiled, unit: str, entries: list[Any], make_event: Callable[[Compiled, int, Any], Event]) -> State:
        """Replay ``entries``; ``make_event`` validates one entry against the procedure in effect."""
        state = State(proc=start, unit=unit)
        previous_date: dt.date | None = None
        for index, raw in enumerate(entries):
            ev = make_event(state.proc, index, raw)
            path: Path = ("history", ev.index)
            allowed = state.allowed()
            proc = state.proc.proc
            state.steps.append(Step(ev, state.proc, state.unit, state.stage, allowed, dict(state.last)))
            if ev.name not in proc.events:
                continue  # reported by the schema check
            if ev.date is not None and previous_date is not None and ev.date < previous_date:
                self.issues.append(issue(path + ("date",), "SEQ-DATE-ORDER", date=ev.date, previous=previous_date))
            if ev.name not in allowed:
                if state.stage is None:
                    self.issues.append(issue(path + ("event",), "SEQ-FIRST-EVENT", event=ev.name, allowed=_names(allowed)))
                else:
                    self.issues.append(issue(path + ("event",), "SEQ-NOT-ALLOWED", event=ev.name,
                                             stage=state.stage, allowed=_names(allowed)))
            if state.stage is None and ev.date is not None and not proc.in_force(ev.date):
                self.issues.append(issue(path + ("date",), "SEQ-PROCEDURE-NOT-IN-FORCE", procedure=proc.id, date=ev.date,
                                         start=proc.effective_from, end=proc.effective_to or "…"))
            self.apply(state, ev, proc.events[ev.name], path)
            state.last[ev.name] = len(state.steps) - 1
            previous_date = ev.date or previous_date
        return state

    def apply(self, state: State, ev: Event, spec: EventSpec, path: Path) -> None:
        proc = state.proc.proc
        for header_field, event_field in spec.sets.items():
            value = get(ev.values, event_field)
            if value is not None:
                state.header[header_field] = value
        if spec.effect == "transfer":
            target = get(ev.values, "to_unit")
            if isinstance(target, str):
                state.unit = target
        elif spec.effect == "migrate":
            self._migrate(state, ev, path)
        esc = proc.escalation
        if esc is not None and ev.name == esc.event and state.failing_event in proc.events:
            # The superior body rules on the question: its own transitions first (what a final
            # "no" leads to), otherwise those of the question, as if the vote had that result.
            own = match(spec.transitions, ev.values) if spec.transitions else None
            if own is not None:
                self._transition(state, ev, ev.name, own, path)
                return
            transitions = proc.events[state.failing_event].transitions or []
            self._transition(state, ev, state.failing_event, match(transitions, ev.values), path, escalated=True)
            return
        if spec.keeps_stage:
            return
        t = match(spec.transitions, ev.values) if spec.transitions else None
        self._transition(state, ev, ev.name, t, path)

    def _transition(self, state: State, ev: Event, name: str, t: Transition | None, path: Path,
                    escalated: bool = False) -> None:
        proc = state.proc.proc
        spec = proc.events[name]
        if t is not None and t.repeat and not escalated:
            state.failures = state.failures + 1 if state.failing_event == name else 1
            state.failing_event = name
            return
        state.failures, state.failing_event = 0, None
        status = state.header.get("member_status", self.member_status)
        if t is not None and t.member_status and status not in t.member_status:
            outcome = next(iter((t.when or {}).values()), name)
            self.issues.append(issue(path, "SEQ-MEMBER-STATUS", outcome=outcome, allowed=", ".join(t.member_status),
                                     status=status))
        if t is not None and t.end is not None:
            end = state.previous_end if t.end == "previous" else t.end
            if end is None or end not in proc.end_states:
                end = t.end
            state.stage, state.ended = end, True
            state.previous_end = end
            state.next_allowed = list(proc.end_states[end].next) if end in proc.end_states else []
            return
        state.stage, state.ended = name, False
        state.stage_values = ev.values
        if spec.transitions:
            state.next_allowed = list(t.next or []) if t is not None else []
        else:
            state.next_allowed = list(spec.next or [])

    def _migrate(self, state: State, ev: Event, path: Path) -> None:
        target_id = get(ev.values, "to_procedure")
        if not isinstance(target_id, str):
            return  # missing or not a name: the schema check reported it, there is nothing to move to
        target = self.procedures.get(target_id)
        if target is None:
            self.issues.append(issue(path + ("to_procedure",), "SEQ-MIGRATE", procedure=target_id,
                                     detail=L("không có quy trình này", "no such procedure")))
            return
        if ev.date is not None and not target.proc.in_force(ev.date):
            self.issues.append(issue(path + ("to_procedure",), "SEQ-MIGRATE", procedure=target_id,
                                     detail=L(f"chưa có hiệu lực ngày {ev.date}", f"not in force on {ev.date}")))
        stage = state.stage
        if stage is not None and stage not in target.proc.events and stage not in target.proc.end_states:
            self.issues.append(issue(path + ("to_procedure",), "SEQ-MIGRATE", procedure=target_id,
                                     detail=L(f"không có giai đoạn '{stage}'", f"no stage '{stage}'")))
            return
        state.proc = target
        if stage in target.proc.events and not state.ended:
            spec = target.proc.events[stage]
            if spec.transitions:
                t = match(spec.transitions, state.stage_values)
                state.next_allowed = list(t.next or []) if t is not None else []
            else:
                state.next_allowed = list(spec.next or [])


@dataclass(frozen=True)
class Deadline:
    event: str
    rule: TimeRule
    due: dt.date
    anchor: str
    anchor_date: dt.date


def deadlines(state: State) -> list[Deadline]:
    """The time limits running now for the events an open case may take next."""
    if state.stage is None:
        return []
    out: list[Deadline] = []
    proc = state.proc.proc
    for name in state.allowed():
        spec = proc.events.get(name)
        if spec is None:
            continue
        for rule in spec.time:
            anchor, source = state.anchor_date(rule)
            if anchor is None or source is None:
                continue
            due = target_date(state.proc, rule, anchor)
            if state.excused(rule, due, source):
                continue
            out.append(Deadline(name, rule, due, source.event.name, anchor))
    return out


def _names(names: list[str]) -> str:
    return ", ".join(names) if names else "—"
