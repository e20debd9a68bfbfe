"""The rules one case must meet: schema, sequence, votes, time, people and units."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from hoso.bounds import bound_issues
from hoso.corrections import apply_corrections, corrected_spec, correction_events, relocate
from hoso.findings import show
from hoso.engine import Event, Issue, Path, Replayer, State, Step, deadlines, get, issue, span_text, target_date
from hoso.messages import L
from hoso.org import Org
from hoso.procedure import EventSpec, FieldSpec, Procedure, TimeRule, VoteSpec
from hoso.recordmodel import Ballot, CaseHeader, Compiled
from hoso.schemaerrors import pydantic_issues


@dataclass
class Context:
    procedures: dict[str, Compiled]
    org: Org
    today: dt.date

    @cached_property
    def correction_names(self) -> frozenset[str]:
        """:func:`correction_events` of these procedures, worked out once (every case asks)."""
        return correction_events(self.procedures)


@dataclass
class CaseResult:
    header: CaseHeader | None
    state: State | None
    issues: list[Issue]


def check_case(data: Any, ctx: Context, corrections: bool = True) -> CaseResult:
    """The rules one case must meet; with ``corrections``, its history as its correction steps
    correct it (reported at the corrections)."""
    try:
        header = CaseHeader.model_validate(data)
    except ValidationError as exc:
        return CaseResult(None, None, pydantic_issues(exc))
    issues: list[Issue] = []
    start = ctx.procedures.get(header.procedure)
    if start is None:
        issues.append(issue(("procedure",), "REC-UNKNOWN-PROCEDURE", procedure=header.procedure,
                            allowed=", ".join(sorted(ctx.procedures)) or "—"))
        return CaseResult(header, None, issues)
    if header.unit not in ctx.org.units:
        issues.append(issue(("unit",), "ORG-UNKNOWN-UNIT", unit=header.unit))

    names = ctx.correction_names if corrections else frozenset()
    applied = apply_corrections(header.history, names) if names else None
    entries = applied.entries if applied else header.history
    validated = _validate_history(start, entries)

    def make_event(c: Compiled, index: int, raw: Any) -> Event:
        if validated is not None and c is start:
            return _valid_event(c, index, validated[index], issues)
        return _event(c, index, raw, issues)

    replayer = Replayer(ctx.procedures, header.member_status)
    state = replayer.run(start, header.unit, entries, make_event)
    issues.extend(replayer.issues)
    for step in state.steps:
        issues.extend(step_issues(step, state, header, ctx))
    issues.extend(case_issues(state, ctx))
    if applied is not None and (applied.by_target or applied.problems):
        issues = relocate(issues, check_case(data, ctx, corrections=False).issues, applied)
    return CaseResult(header, state, issues)


def _validate_history(c: Compiled, entries: list[Any]) -> list[Any] | None:
    """Every entry validated against its event's model in one call (the common, valid history);
    ``None`` when any entry fails, and then each is validated alone to say what is wrong where."""
    events = set()
    for entry in entries:
        name = entry.get("event") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name not in c.proc.events:
            return None
        events.add(name)
    if not events:
        return None
    try:
        return c.history_adapter_for(frozenset(events)).validate_python(entries)
    except ValidationError:
        return None


@dataclass
class Plan:
    """What the rules need to know about one event of one procedure, worked out once per run."""

    fields: dict[str, FieldSpec]
    conditional: dict[str, FieldSpec]  # fields with required_when or const
    officers: list[tuple[str, FieldSpec]]  # officer fields besides recorded_by
    bounded: bool  # some field (nested ones included) has date bounds or must repeat a value


def _has_bounds(fields: dict[str, FieldSpec]) -> bool:
    for spec in fields.values():
        if spec.not_before or spec.not_after or spec.same_as is not None:
            return True
        item = spec.item
        if item is not None and (item.not_before or item.not_after or (item.fields and _has_bounds(item.fields))):
            return True
        if spec.fields and _has_bounds(spec.fields):
            return True
    return False


def plan(c: Compiled, name: str) -> Plan:
    try:
        return c.plans[name]
    except KeyError:
        fields = c.proc.all_fields(name)
        found = c.plans[name] = Plan(
            fields, {f: s for f, s in fields.items() if s.required_when or s.const is not None},
            [(f, s) for f, s in fields.items() if s.type == "officer" and f != "recorded_by"], _has_bounds(fields))
        return found


def _valid_event(c: Compiled, index: int, values: Any, issues: list[Issue]) -> Event:
    """An entry the history's one validation call accepted (see :func:`_event`)."""
    name = values.event
    p = plan(c, name)
    if p.conditional:
        issues.extend(conditional_issues(p.conditional, values, ("history", index)))
    return Event(index, name, get(values, "date"), values, True)


def _event(c: Compiled, index: int, raw: Any, issues: list[Issue]) -> Event:
    path: Path = ("history", index)
    if not isinstance(raw, dict):
        issues.append(issue(path, "SCHEMA-TYPE", field="history", expected=L("một bảng khóa: giá trị", "a mapping"), got=L("", "")))
        return Event(index, "", None, {}, False)
    raw_name = raw.get("event")
    model = c.event_models.get(raw_name) if isinstance(raw_name, str) else None
    name = raw_name if isinstance(raw_name, str) else show(raw_name)
    if model is None:
        if "event" not in raw:
            issues.append(issue(path, "SCHEMA-MISSING", field="event"))
        else:
            issues.append(issue(path + ("event",), "SCHEMA-UNKNOWN-EVENT", event=name, procedure=c.proc.id,
                                allowed=", ".join(c.proc.events)))
        return Event(index, name, None, {}, False)
    try:
        values = model.model_validate(raw)
    except ValidationError as exc:
        issues.extend(pydantic_issues(exc, path))
        return Event(index, name, _raw_date(raw), _checked_fields(raw, exc), False)
    issues.extend(conditional_issues(plan(c, name).conditional, values, path))
    return Event(index, name, get(values, "date"), values, True)


def _checked_fields(raw: dict[Any, Any], exc: ValidationError) -> dict[str, Any]:
    """The fields of an event that failed validation whose own values passed: a rule reads
    only values whose type was checked (a list where a name belongs is dropped, not used)."""
    bad = {err["loc"][0] for err in exc.errors(include_url=False) if err["loc"]}
    return {k: v for k, v in raw.items() if isinstance(k, str) and k not in bad}


def _raw_date(raw: dict[Any, Any]) -> dt.date | None:
    day = raw.get("date")
    try:
        return dt.date.fromisoformat(day) if isinstance(day, str) else None
    except ValueError:
        return None


def conditional_issues(fields: dict[str, FieldSpec], values: Any, path: Path) -> list[Issue]:
    out: list[Issue] = []
    for fname, spec in fields.items():
        value = get(values, fname)
        if spec.required_when and value is None and all(get(values, k) == v for k, v in spec.required_when.items()):
            cond = ", ".join(f"{k} = {v}" for k, v in spec.required_when.items())
            out.append(issue(path, "SCHEMA-REQUIRED-WHEN", field=fname, cond=cond))
        if spec.const is not None and value is not None and value != spec.const:
            out.append(issue(path + (fname,), "SCHEMA-CONST", field=fname, value=str(spec.const).lower()))
    return out


# ------------------------------------------------------------------------ per step


def step_issues(step: Step, state: State, header: CaseHeader, ctx: Context) -> list[Issue]:
    ev = step.event
    proc = step.proc.proc
    spec = proc.events.get(ev.name)
    if spec is None or ev.date is None:
        return []
    path: Path = ("history", ev.index)
    out: list[Issue] = []
    if ev.date > ctx.today:
        out.append(issue(path + ("date",), "TIME-FUTURE", date=ev.date, today=ctx.today))
    unit = ctx.org.units.get(step.unit)
    if unit is not None and not unit.valid_on(ev.date):
        out.append(issue(path + ("date",), "ORG-UNIT-INVALID", unit=unit.id, date=ev.date,
                         start=unit.valid_from, end=unit.valid_to or "…"))
    if ev.valid:
        out.extend(people_issues(step, corrected_spec(step, state) or spec, header, ctx, path))
        if spec.vote is not None:
            out.extend(vote_issues(spec.vote, ev.values, path))
        if spec.effect == "transfer":
            out.extend(transfer_issues(step, ctx, path))
        if plan(step.proc, ev.name).bounded:
            out.extend(bound_issues(step, state, ctx.today, path))
    out.extend(time_issues(step, state, spec, path))
    return out


def resolve_body(proc: Procedure, org: Org, body: str, unit: str, day: dt.date) -> str | None:
    """The unit a body of the procedure is on ``day`` for a case of ``unit``. A chain of ``above``
    ends: the procedure check refuses one that loops back (PROC-FIELD-SPEC)."""
    spec = proc.bodies.get(body)
    if spec is None or unit not in org.units:
        return None
    sel = spec.unit
    if sel.relative == "self":
        return unit
    if sel.relative == "parent":
        parent = org.units[unit].parent_id
        return parent if parent in org.units else None
    if sel.above is not None:  # one level above the unit another body resolves to, existing that day
        below = resolve_body(proc, org, sel.above, unit, day)
        above = org.parent_of(below) if below is not None else None
        found = org.units.get(above) if above is not None else None
        return above if found is not None and found.valid_on(day) else None
    for anc in org.upward(unit):
        u = org.units.get(anc)
        if u is not None and u.kind == sel.ancestor_kind and u.valid_on(day):
            return anc
    return None


def role_titles(proc: Procedure, roles: list[str]) -> L:
    """Roles as the procedure names them, the code in parentheses: ``Bí thư chi bộ (bi_thu)``."""
    def one(role: str, lang: str) -> str:
        spec = proc.roles.get(role)
        return f"{spec.title.get(lang)} ({role})" if spec is not None else role

    return L(" / ".join(one(r, "vi") for r in roles), " / ".join(one(r, "en") for r in roles))


def people_issues(step: Step, spec: EventSpec, header: CaseHeader, ctx: Context, path: Path) -> list[Issue]:
    proc, org, day = step.proc.proc, ctx.org, step.event.date
    assert day is not None
    out: list[Issue] = []

    def check(officer_id: Any, roles: list[str] | None, body: str | None, fpath: Path, rule: str, fname: str) -> None:
        if not isinstance(officer_id, str):
            return
        officer = org.officers.get(officer_id)
        if officer is None:
            out.append(issue(fpath, "ROLE-UNKNOWN-OFFICER", officer=officer_id))
            return
        if officer.member is not None and officer.member == header.member:
            out.append(issue(fpath, "ROLE-SELF", officer=officer_id))
        if not roles or body is None:
            return
        unit = resolve_body(proc, org, body, step.unit, day)
        if unit is None:
            out.append(issue(fpath, "ROLE-NO-BODY", body=body, unit=step.unit, date=day))
        elif not org.holds(officer, roles, unit, day):
            out.append(issue(fpath, rule, officer=officer_id, roles=role_titles(proc, roles), unit=unit, date=day,
                             field=fname))

    check(get(step.event.values, "recorded_by"), spec.recorder.roles, spec.recorder.body,
          path + ("recorded_by",), "ROLE-RECORDER", "recorded_by")
    for fname, fspec in plan(step.proc, step.event.name).officers:
        check(get(step.event.values, fname), fspec.roles, fspec.body, path + (fname,), "ROLE-FIELD", fname)
    return out


def vote_passes(vote: VoteSpec, ballot: Ballot) -> tuple[bool, int, int]:
    """Whether the ballot meets the threshold, the votes needed, and the base counted against."""
    th = vote.threshold
    base = ballot.eligible if th.of == "eligible" else ballot.members_total
    if th.strict:
        need = th.num * base // th.den + 1
    else:
        need = -(-th.num * base // th.den)
    return ballot.for_ >= need, need, base


def vote_issues(vote: VoteSpec, values: Any, path: Path) -> list[Issue]:
    ballot = get(values, vote.ballot)
    if not isinstance(ballot, Ballot):
        return []
    bp = path + (vote.ballot,)
    out: list[Issue] = []
    excluded = sum(ballot.excluded.values())
    cast = ballot.for_ + ballot.against + ballot.invalid
    if vote.secret and not ballot.secret:
        out.append(issue(bp + ("secret",) if "secret" in ballot.model_fields_set else bp, "VOTE-SECRET"))
    # one wrong tally is one error: the first that does not add up; the threshold of tallies
    # that do not add up is not judged (it would only repeat the same mistake)
    if excluded > ballot.members_total:
        return out + [issue(bp + ("excluded",), "VOTE-ARITHMETIC",
                            detail=L(f"số không tính biểu quyết {excluded} lớn hơn tổng số {ballot.members_total}",
                                     f"excluded {excluded} > members_total {ballot.members_total}"))]
    if ballot.present > ballot.eligible:
        return out + [issue(bp + ("present",), "VOTE-ARITHMETIC",
                            detail=L(f"số có mặt {ballot.present} lớn hơn số được tính biểu quyết {ballot.eligible}",
                                     f"present {ballot.present} > eligible {ballot.eligible}"))]
    if cast > ballot.present:
        return out + [issue(bp + ("present",), "VOTE-ARITHMETIC",
                            detail=L(f"tán thành + không tán thành + không hợp lệ = {cast}, lớn hơn số có mặt {ballot.present}",
                                     f"for + against + invalid = {cast} > present {ballot.present}"))]
    passes, need, base = vote_passes(vote, ballot)
    th = vote.threshold
    rule = L(f"quá {th.num}/{th.den}" if th.strict else f"từ {th.num}/{th.den} trở lên",
             f"more than {th.num}/{th.den}" if th.strict else f"at least {th.num}/{th.den}")
    of = L("đảng viên chính thức được tính biểu quyết", "eligible full members") if th.of == "eligible" \
        else L("thành viên", "members")
    args: dict[str, Any] = {"for_": ballot.for_, "need": need, "threshold": rule, "base": base, "of": of}
    if vote.result is not None:
        declared = get(values, vote.result)
        if declared == "passed" and not passes:
            out.append(issue(bp + ("for",), "VOTE-THRESHOLD", **args))
        elif declared == "failed" and passes:
            out.append(issue(path + (vote.result,), "VOTE-RESULT-MISMATCH", declared=declared, actual="passed",
                             for_=ballot.for_, need=need))
    elif all(get(values, k) == v for k, v in (vote.when or {}).items()) and not passes:
        out.append(issue(bp + ("for",), "VOTE-THRESHOLD", **args))
    return out


def transfer_issues(step: Step, ctx: Context, path: Path) -> list[Issue]:
    target_id = get(step.event.values, "to_unit")
    day = step.event.date
    assert day is not None
    current = ctx.org.units.get(step.unit)
    target = ctx.org.units.get(target_id) if isinstance(target_id, str) else None
    tp = path + ("to_unit",)
    if target is None:
        return [issue(tp, "ORG-UNKNOWN-UNIT", unit=target_id)]
    if current is None:
        return []
    detail: L | None = None
    if target.id == current.id:
        detail = L("cùng một đơn vị", "same unit")
    elif target.kind != current.kind:
        detail = L(f"khác loại đơn vị ({current.kind} → {target.kind})", f"different kind ({current.kind} → {target.kind})")
    elif current.successors and current.valid_to is not None and target.id not in current.successors:
        detail = L(f"không phải đơn vị kế thừa ({', '.join(current.successors)})",
                   f"not a successor ({', '.join(current.successors)})")
    elif target.valid_to is not None and target.valid_to < day:
        detail = L(f"đơn vị nhận đã giải thể từ {target.valid_to}", f"the receiving unit ended on {target.valid_to}")
    if detail is None:
        return []
    return [issue(tp, "ORG-TRANSFER-TARGET", unit=current.id, target=target.id, detail=detail)]


def time_issues(step: Step, state: State, spec: EventSpec, path: Path) -> list[Issue]:
    out: list[Issue] = []
    assert step.event.date is not None
    for rule in spec.time:
        day = judged_date(step, rule)
        anchor, source = state.anchor_date(rule, step.anchors)
        if anchor is None or source is None or day is None:
            continue
        due = target_date(step.proc, rule, anchor)
        if rule.rule == "within" and day > due:
            if state.excused(rule, due, source, step.event.index):
                continue
            kind = "TIME-LATE"
        elif rule.rule == "not_before" and day < due:
            kind = "TIME-TOO-EARLY"
        else:
            continue
        out.append(issue(path + (rule.field,), kind, rule.severity, event=step.event.name, due=due,
                         anchor=source.event.name, anchor_date=anchor, date=day,
                         span=L(span_text(step.proc.proc, rule, "vi"), span_text(step.proc.proc, rule, "en"))))
    return out


def judged_date(step: Step, rule: TimeRule) -> dt.date | None:
    """The date of a step a time rule judges: its own date, or the field the rule names."""
    if rule.field == "date":
        return step.event.date
    value = get(step.event.values, rule.field)
    return value if isinstance(value, dt.date) else None


def case_issues(state: State, ctx: Context) -> list[Issue]:
    if not state.steps:
        return []
    last: Path = ("history", len(state.steps) - 1)
    out: list[Issue] = []
    if state.open:
        unit = ctx.org.units.get(state.unit)
        if unit is not None and not unit.valid_on(ctx.today):
            out.append(issue(last, "ORG-UNIT-DISSOLVED", unit=unit.id, end=unit.valid_to or "…",
                             successors=", ".join(unit.successors) or "—"))
        for d in deadlines(state):
            if d.rule.rule == "within" and d.due < ctx.today:
                span = L(span_text(state.proc.proc, d.rule, "vi"), span_text(state.proc.proc, d.rule, "en"))
                out.append(issue(last, "TIME-OVERDUE", "warning", event=d.event, due=d.due, anchor=d.anchor,
                                 anchor_date=d.anchor_date, span=span, today=ctx.today))
    return out
