"""Procedure definitions: the model of ``procedures/*.yaml`` and its own consistency rules.

A procedure is data: its events, which may follow which, the fields each needs, who records
and who approves, vote thresholds, time limits, end states and settings. Nothing here knows any
procedure's events by name.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal, Union

from pydantic import Field, model_validator

from hoso.base import Date, Strict, Text
from hoso.messages import L


class SettingRef(Strict):
    setting: str


Amount = Union[int, SettingRef]


class Setting(Strict):
    value: int
    unconfirmed: bool = False
    title: Text


class UnitSelector(Strict):
    """Where a body sits: the case's unit or its parent (``relative``), the nearest unit above of
    a kind (``ancestor_kind``), or the unit directly above the one another body resolves to
    (``above``: an appeal goes one level above the body that decided)."""

    relative: Literal["self", "parent"] | None = None
    ancestor_kind: str | None = None
    above: str | None = None

    @model_validator(mode="after")
    def _one(self) -> UnitSelector:
        if [self.relative, self.ancestor_kind, self.above].count(None) != 2:
            raise ValueError("selector_one_of")
        return self


class Body(Strict):
    unit: UnitSelector
    title: Text
    unconfirmed: bool = False


class Role(Strict):
    title: Text


class RoleSpec(Strict):
    roles: list[str] = Field(min_length=1)
    body: str
    count: int = Field(default=1, ge=1)


Scalar = Union[str, bool, int]

FieldType = Literal[
    "date", "text", "ref", "officer", "unit", "procedure", "enum", "bool", "int", "ballot", "list", "object",
    "values",  # field name -> new value, judged by the model of the step a correction names
]


class FieldRef(Strict):
    """A value a field is judged against: a field of this step (``event`` unset), of the most
    recent earlier step among ``event`` (one name or several), or the day of the check."""

    event: str | list[str] | None = None
    field: str = "date"
    today: bool = False

    def events(self) -> list[str]:
        if self.event is None:
            return []
        return [self.event] if isinstance(self.event, str) else list(self.event)


class FieldSpec(Strict):
    type: FieldType
    required: bool = True
    required_when: dict[str, Scalar] | None = None
    public: bool = False
    title: Text | None = None
    vocabulary: str | None = None
    item: FieldSpec | None = None
    fields: dict[str, FieldSpec] | None = None
    min_items: Amount | None = None
    const: Scalar | None = None
    roles: list[str] | None = None
    body: str | None = None
    # A date field lies between the dates it depends on (rule DATE-BOUND).
    not_before: list[FieldRef] = []
    not_after: list[FieldRef] = []
    # A reference field repeats the value it names, e.g. the decision an appeal is against (REF-MISMATCH).
    same_as: FieldRef | None = None


class Threshold(Strict):
    num: int = Field(ge=0)
    den: int = Field(ge=1)
    of: Literal["eligible", "members"]
    strict: bool = False


class VoteSpec(Strict):
    ballot: str
    result: str | None = None
    secret: bool = False
    threshold: Threshold
    when: dict[str, Scalar] | None = None


class Anchor(Strict):
    event: str
    field: str = "date"
    # Other events the clock may start from: the most recent of ``event`` and these counts
    # (an appeal runs from the decision, or from the previous appeal's decision).
    latest_of: list[str] = []

    def events(self) -> list[str]:
        return [self.event, *self.latest_of]


class TimeRule(Strict):
    rule: Literal["within", "not_before"]
    anchor: Anchor
    months: Amount | None = None
    days: Amount | None = None
    working_days: Amount | None = None
    severity: Literal["error", "warning"] = "error"
    # The date of this step the rule judges: its own ``date`` unless the texts count to another
    # one (an appeal is timely by the day it was lodged, not the day an officer records it).
    field: str = "date"
    # An event that lifts the limit when recorded after the anchor and on or before the due
    # date (an extension notice sent to the member).
    excused_by: str | None = None


class Transition(Strict):
    when: dict[str, Scalar] | None = None
    next: list[str] | None = None
    end: str | None = None
    repeat: bool = False
    member_status: list[Literal["full", "probationary"]] | None = None


class EventSpec(Strict):
    step: int | None = None
    title: Text
    description: Text | None = None
    body: str
    opens_case: bool = False
    # "open": from any open stage; "any": from any stage, ended ones included (a correction)
    from_: Literal["open", "any"] | list[str] | None = Field(default=None, alias="from")
    keeps_stage: bool = False
    effect: Literal["transfer", "migrate", "correct"] | None = None
    # header field -> this event's field whose value it takes from this event on (the file's
    # header never changes: the replay carries the new value; see HEADER_SETTABLE)
    sets: dict[str, str] = {}
    recorder: RoleSpec
    approver: RoleSpec
    fields: dict[str, FieldSpec] = {}
    vote: VoteSpec | None = None
    time: list[TimeRule] = []
    next: list[str] | None = None
    transitions: list[Transition] | None = None


# The case header fields an event may set (the data contract): unit and procedure change only
# through the transfer and migrate effects, case and member never.
HEADER_SETTABLE = ("member_status",)


class EndState(Strict):
    title: Text
    next: list[str] = []


class Escalation(Strict):
    event: str
    after_failures: Amount
    # After this many failed votes on one question the lower body may not vote again: only the
    # superior body decides (unset: no limit).
    max_failures: Amount | None = None


class CalendarSpec(Strict):
    country: str = "VN"
    weekend: list[Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]] = [
        "saturday",
        "sunday",
    ]


class BallotSpec(Strict):
    excluded_reasons: str
    # Reasons allowed only while a setting is non-zero (a rule the texts do not confirm).
    reason_settings: dict[str, SettingRef] = {}


class FlowSpec(Strict):
    """A yearly flow counted for reports: cases taking an event, or reaching an end state."""

    event: str | None = None
    end: str | None = None
    title: Text

    @model_validator(mode="after")
    def _one(self) -> FlowSpec:
        if (self.event is None) == (self.end is None):
            raise ValueError("flow_event_or_end")
        return self


class StageSet(Strict):
    stages: list[str] = Field(min_length=1)
    title: Text


class Reporting(Strict):
    """What the yearly report and the status pages count, named by the procedure itself."""

    flows: dict[str, FlowSpec] = {}
    under_help: StageSet | None = None


class Procedure(Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int = 1
    title: Text
    summary: Text
    sources: list[str] = []
    effective_from: Date
    effective_to: Date | None = None
    successor: str | None = None
    settings: dict[str, Setting] = {}
    calendar: CalendarSpec = CalendarSpec()
    roles: dict[str, Role]
    bodies: dict[str, Body]
    vocabularies: dict[str, dict[str, Text]] = {}
    ballot: BallotSpec | None = None
    common_fields: dict[str, FieldSpec] = {}
    end_states: dict[str, EndState]
    escalation: Escalation | None = None
    events: dict[str, EventSpec] = Field(min_length=1)
    reporting: Reporting = Reporting()
    # Points the public texts do not settle, said on the overview page.
    unconfirmed_points: list[Text] = []

    # ---------------------------------------------------------------- helpers

    def amount(self, value: Amount | None) -> int:
        if value is None:
            return 0
        if isinstance(value, SettingRef):
            return self.settings[value.setting].value
        return value

    def setting(self, name: str, default: int) -> int:
        s = self.settings.get(name)
        return s.value if s is not None else default

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def opening_events(self) -> list[str]:
        return [name for name, ev in self.events.items() if ev.opens_case]

    def all_fields(self, event: str) -> dict[str, FieldSpec]:
        return {**self.common_fields, **self.events[event].fields}

    def vocabulary_values(self, spec: FieldSpec) -> list[str]:
        return self.vocabulary_values_by_name(spec.vocabulary or "")

    def vocabulary_values_by_name(self, name: str) -> list[str]:
        return list(self.vocabularies.get(name, {}))

    def excluded_reasons(self) -> list[str]:
        """The reasons a ballot may leave members out of its base: the vocabulary, less those
        whose setting is off."""
        if self.ballot is None:
            return []
        gates = self.ballot.reason_settings
        return [r for r in self.vocabulary_values_by_name(self.ballot.excluded_reasons)
                if r not in gates or self.amount(gates[r])]

    def label(self, vocabulary: str, value: str, lang: str) -> str:
        text = self.vocabularies.get(vocabulary, {}).get(value)
        return text.get(lang) if text else value

    def stage_title(self, stage: str, lang: str) -> str:
        if stage in self.end_states:
            return self.end_states[stage].title.get(lang)
        if stage in self.events:
            return self.events[stage].title.get(lang)
        return stage

    def successors_of(self, event: str) -> list[str]:
        """Every event or end state an event can lead to (for graphs and reachability)."""
        spec = self.events[event]
        out: list[str] = list(spec.next or [])
        for t in spec.transitions or []:
            out.extend(t.next or [])
            if t.end and t.end != "previous":
                out.append(t.end)
        return list(dict.fromkeys(out))

    def ordered_events(self) -> list[str]:
        """Events by step number, unnumbered ones last, in file order."""
        names = list(self.events)
        return sorted(names, key=lambda n: (self.events[n].step is None, self.events[n].step or 0, names.index(n)))


# ------------------------------------------------------------------ self-consistency

Problem = tuple[tuple[object, ...], str, dict[str, object]]


def _above_issues(proc: Procedure, name: str, body: Body, out: list[Problem]) -> None:
    """A body ``above`` another names a body, and following ``above`` never comes back to it."""
    path: tuple[object, ...] = ("bodies", name, "unit", "above")
    seen, current = {name}, body.unit.above
    while current is not None:
        if current not in proc.bodies:
            out.append((path, "PROC-UNKNOWN-REF", {"where": _where(path), "kind": "body", "name": current}))
            return
        if current in seen:
            out.append((path, "PROC-FIELD-SPEC", {"where": _where(path), "detail": L(f"'above' quay vòng về {current}", f"'above' loops back to {current}")}))
            return
        seen.add(current)
        current = proc.bodies[current].unit.above


def check_procedure(proc: Procedure) -> list[Problem]:
    """Rules a procedure file must meet beyond its schema: every name it uses is defined,
    every event is reachable, thresholds lie in [0, 1], votes point at ballot fields."""
    out: list[Problem] = []
    events, ends = proc.events, proc.end_states

    def ref(path: tuple[object, ...], kind: str, name: str, table: object) -> None:
        if name not in table:  # type: ignore[operator]
            out.append((path, "PROC-UNKNOWN-REF", {"where": _where(path), "kind": kind, "name": name}))

    def next_list(path: tuple[object, ...], names: list[str]) -> None:
        for i, n in enumerate(names):
            if n not in events:
                out.append((path + (i,), "PROC-UNKNOWN-EVENT", {"where": _where(path), "event": n}))

    def field_specs(path: tuple[object, ...], specs: dict[str, FieldSpec]) -> None:
        for fname, spec in specs.items():
            fp = path + (fname,)
            if spec.type == "enum" and spec.vocabulary is None:
                out.append((fp, "PROC-FIELD-SPEC", {"where": _where(fp), "detail": L("kiểu enum cần có vocabulary", "enum needs a vocabulary")}))
            if spec.vocabulary is not None:
                ref(fp + ("vocabulary",), "vocabulary", spec.vocabulary, proc.vocabularies)
            if spec.type == "list" and spec.item is None:
                out.append((fp, "PROC-FIELD-SPEC", {"where": _where(fp), "detail": L("kiểu list cần có item", "list needs an item")}))
            if spec.item is not None:
                field_specs(fp, {"item": spec.item})
            if spec.fields is not None:
                field_specs(fp + ("fields",), spec.fields)
            for amount_path, amount in ((fp + ("min_items",), spec.min_items),):
                if isinstance(amount, SettingRef):
                    ref(amount_path, "setting", amount.setting, proc.settings)
            for r in spec.roles or []:
                ref(fp + ("roles",), "role", r, proc.roles)
            if spec.body is not None:
                ref(fp + ("body",), "body", spec.body, proc.bodies)
            if spec.same_as is not None and spec.same_as.today:  # a reference repeats a step's value, never a day
                out.append((fp + ("same_as",), "PROC-FIELD-SPEC",
                            {"where": _where(fp + ("same_as",)), "detail": L("same_as chỉ tới một trường của một bước, không phải ngày hôm nay",
                                        "same_as names a step's field, not today")}))
            for key, refs in (("not_before", spec.not_before), ("not_after", spec.not_after),
                              ("same_as", [spec.same_as] if spec.same_as else [])):
                for field_ref in refs:
                    for e in field_ref.events():
                        ref(fp + (key,), "event", e, events)

    field_specs(("common_fields",), proc.common_fields)
    for bname, body in proc.bodies.items():
        _above_issues(proc, bname, body, out)
    if not proc.opening_events():
        out.append((("events",), "PROC-NO-OPENING", {}))
    for name, ev in events.items():
        base: tuple[object, ...] = ("events", name)
        ref(base + ("body",), "body", ev.body, proc.bodies)
        for key, rs in (("recorder", ev.recorder), ("approver", ev.approver)):
            ref(base + (key, "body"), "body", rs.body, proc.bodies)
            for r in rs.roles:
                ref(base + (key, "roles"), "role", r, proc.roles)
        field_specs(base + ("fields",), ev.fields)
        for header_field, event_field in ev.sets.items():
            sp = base + ("sets", header_field)
            if header_field not in HEADER_SETTABLE:
                out.append((sp, "PROC-FIELD-SPEC", {"where": _where(sp),
                                                    "detail": L(f"chỉ được đặt {', '.join(HEADER_SETTABLE)}",
                                                               f"only {', '.join(HEADER_SETTABLE)} can be set")}))
            if event_field not in proc.all_fields(name):
                ref(sp, "field", event_field, {})
        next_list(base + ("next",), ev.next or [])
        if isinstance(ev.from_, list):
            for s in ev.from_:
                if s not in events and s not in ends:
                    out.append((base + ("from",), "PROC-UNKNOWN-EVENT", {"where": _where(base), "event": s}))
        for i, t in enumerate(ev.transitions or []):
            tp = base + ("transitions", i)
            next_list(tp + ("next",), t.next or [])
            if t.end is not None and t.end != "previous" and t.end not in ends:
                out.append((tp + ("end",), "PROC-UNKNOWN-END", {"where": _where(tp), "end": t.end}))
            for f in t.when or {}:
                if f not in proc.all_fields(name):
                    ref(tp + ("when",), "field", f, {})
        if ev.vote is not None:
            vp = base + ("vote",)
            th = ev.vote.threshold
            if th.num > th.den:
                out.append((vp + ("threshold",), "PROC-THRESHOLD", {"num": th.num, "den": th.den}))
            fields = proc.all_fields(name)
            b = fields.get(ev.vote.ballot)
            if b is None or b.type != "ballot":
                out.append((vp + ("ballot",), "PROC-VOTE-FIELD", {"where": _where(vp), "field": ev.vote.ballot, "expected": "ballot"}))
            if ev.vote.result is not None:
                res = fields.get(ev.vote.result)
                if res is None or res.type != "enum" or set(proc.vocabulary_values(res)) != {"passed", "failed"}:
                    out.append((vp + ("result",), "PROC-VOTE-FIELD", {"where": _where(vp), "field": ev.vote.result, "expected": "enum passed|failed"}))
        for i, rule in enumerate(ev.time):
            tp = base + ("time", i)
            for anchor_event in rule.anchor.events():
                if anchor_event not in events:
                    out.append((tp + ("anchor", "event"), "PROC-UNKNOWN-EVENT", {"where": _where(tp), "event": anchor_event}))
            if rule.excused_by is not None:
                ref(tp + ("excused_by",), "event", rule.excused_by, events)
            for amount in (rule.months, rule.days, rule.working_days):
                if isinstance(amount, SettingRef):
                    ref(tp, "setting", amount.setting, proc.settings)
        if not ev.keeps_stage and not ev.next and not ev.transitions and name != (proc.escalation.event if proc.escalation else None):
            out.append((base, "PROC-DEAD-END", {"event": name}))
    for name, end in ends.items():
        next_list(("end_states", name, "next"), end.next)
    if proc.escalation is not None:
        ref(("escalation", "event"), "event", proc.escalation.event, events)
        for key, amount in (("after_failures", proc.escalation.after_failures), ("max_failures", proc.escalation.max_failures)):
            if isinstance(amount, SettingRef):
                ref(("escalation", key), "setting", amount.setting, proc.settings)
    if proc.ballot is not None:
        ref(("ballot", "excluded_reasons"), "vocabulary", proc.ballot.excluded_reasons, proc.vocabularies)
        for reason, gate in proc.ballot.reason_settings.items():
            ref(("ballot", "reason_settings", reason), "setting", gate.setting, proc.settings)
            ref(("ballot", "reason_settings"), "vocabulary value", reason,
                proc.vocabularies.get(proc.ballot.excluded_reasons, {}))
    out.extend(_reporting(proc))
    out.extend(_reachability(proc))
    return out


def _reporting(proc: Procedure) -> list[Problem]:
    out: list[Problem] = []
    for key, flow in proc.reporting.flows.items():
        fp: tuple[object, ...] = ("reporting", "flows", key)
        if flow.event is not None and flow.event not in proc.events:
            out.append((fp + ("event",), "PROC-UNKNOWN-EVENT", {"where": _where(fp), "event": flow.event}))
        if flow.end is not None and flow.end not in proc.end_states:
            out.append((fp + ("end",), "PROC-UNKNOWN-END", {"where": _where(fp), "end": flow.end}))
    if proc.reporting.under_help is not None:
        for i, stage in enumerate(proc.reporting.under_help.stages):
            if stage not in proc.events and stage not in proc.end_states:
                path: tuple[object, ...] = ("reporting", "under_help", "stages", i)
                out.append((path, "PROC-UNKNOWN-EVENT", {"where": _where(path[:3]), "event": stage}))
    return out


def _reachability(proc: Procedure) -> list[Problem]:
    events = proc.events
    seen: set[str] = set()
    todo = list(proc.opening_events())
    anywhere = [n for n, e in events.items() if e.from_ is not None]
    if proc.escalation is not None and proc.escalation.event in events:
        anywhere.append(proc.escalation.event)
    while todo:
        cur = todo.pop()
        if cur in seen:
            continue
        seen.add(cur)
        if cur in events:
            todo.extend(proc.successors_of(cur))
        elif cur in proc.end_states:
            todo.extend(proc.end_states[cur].next)
    seen.update(anywhere)
    return [(("events", n), "PROC-UNREACHABLE", {"event": n}) for n in events if n not in seen]


def _where(path: tuple[object, ...]) -> str:
    return ".".join(str(p) for p in path)
