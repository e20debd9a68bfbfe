"""Ready YAML examples of each step, built from the procedure's field specs and the org roster.

For every event the builder walks the procedure's graph from an opening event to it, giving
each step plausible values (an officer who holds the recorder's role on that date, a ballot
that meets the threshold, dates that respect the time rules) and then checks the whole history
with hoso's own rules, so a guide page never shows an example that would not validate.
Nothing here knows any procedure's events, roles or bodies by name.

The examples never show a real identifier: they use the unit tree (published anyway) and a
roster that exists nowhere (:func:`example_roster`: officers ``OF-0000`` …, member codes
``XX-…``), a fictitious case id and member, and document numbers ending ``/XX``; records are
never read.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

import yaml

from hoso.engine import target_date
from hoso.checks import Context, check_case, resolve_body
from hoso.org import Officer, Org, Unit
from hoso.procedure import FieldSpec, Procedure, TimeRule
from hoso.recordmodel import Compiled
from hoso.site.routes import Condition, Route, escalation_route, paths

EXAMPLE_MEMBER = "XX-0000"
EXAMPLE_CASE = "XX-2099-001"
ROSTER_SIZE = 2  # fictitious officers per role and unit
SAMPLE_ABOVE = 300  # a unit tree larger than this lends the examples a sample of itself (example_units)
STEP_DAYS = 7
Entry = dict[str, Any]


@dataclass
class Example:
    """The history that leads to an event; the event's own example is the last entry."""

    unit: str
    entries: list[Entry]
    final_unit: str
    errors: list[str] = field(default_factory=list)

    @property
    def entry(self) -> Entry:
        return self.entries[-1]

    @property
    def last_date(self) -> dt.date:
        return dt.date.fromisoformat(self.entry["date"])

    def check_day(self, org: Org) -> dt.date:
        """The day to validate on: the last step's, or when the case has just moved to a unit
        that starts later, that unit's first day."""
        unit = org.units.get(self.final_unit)
        return max(self.last_date, unit.valid_from) if unit is not None else self.last_date

    def case(self, case_id: str, procedure: str, member_status: str = "full") -> dict[str, Any]:
        return {"case": case_id, "procedure": procedure, "unit": self.unit, "member": EXAMPLE_MEMBER,
                "member_status": member_status, "history": self.entries}


# ----------------------------------------------------------------------------- build


class Builder:
    def __init__(self, compiled: Compiled, ctx: Context) -> None:
        self.c = compiled
        self.proc = compiled.proc
        self.ctx = ctx

    def start_date(self) -> dt.date:
        return self.working(self.proc.effective_from + dt.timedelta(days=21))

    def working(self, day: dt.date) -> dt.date:
        while not self.c.calendar.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def pick_unit(self, day: dt.date) -> str | None:
        org = self.ctx.org
        for uid, unit in org.units.items():
            if not unit.valid_on(day):
                continue
            if all(resolve_body(self.proc, org, b, uid, day) for b in self.proc.bodies) and all(
                self.officer(ev.recorder.roles, ev.recorder.body, uid, day) for ev in self.proc.events.values()
            ):
                return uid
        return None

    def officer(self, roles: list[str], body: str, unit: str, day: dt.date, skip: str | None = None) -> str | None:
        target = resolve_body(self.proc, self.ctx.org, body, unit, day)
        if target is None:
            return None
        ids = [o.id for o in self.ctx.org.holders(roles, target, day) if o.member != EXAMPLE_MEMBER]
        others = [i for i in ids if i != skip]
        return (others or ids)[0] if ids else None

    def build(self, route: Route) -> Example | None:
        day = self.start_date()
        unit = self.pick_unit(day)
        if unit is None:
            return None
        ex = Example(unit, [], unit)
        for event, cond in route:
            self.step(ex, event, cond)
        return ex

    def step(self, ex: Example, event: str, cond: Condition, on: dt.date | None = None) -> None:
        spec = self.proc.events[event]
        prev = dt.date.fromisoformat(ex.entries[-1]["date"]) if ex.entries else None
        day = self.start_date() if prev is None else self.working(prev + dt.timedelta(days=STEP_DAYS))
        day = on or self.fit_time(ex, spec.time, day)
        if spec.effect == "transfer" and on is None:
            day = self._transfer_day(ex, day)
        if spec.effect == "migrate" and self.proc.successor and on is None:
            day = max(day, self._successor_start())
            self._ensure_unit(ex, day)
        entry: Entry = {"event": event, "date": day.isoformat()}
        fields = self.proc.all_fields(event)
        recorder = self.officer(spec.recorder.roles, spec.recorder.body, ex.final_unit, day)
        for name, fs in fields.items():
            if name in ("event", "date"):
                continue
            if name == "recorded_by":
                entry[name] = recorder
                continue
            if name in cond:
                entry[name] = cond[name]
                continue
            if spec.effect == "correct" and fs.type == "int":
                entry[name] = len(ex.entries) - 1  # the step just before
                continue
            if not fs.required or (fs.required_when and not all(entry.get(k) == v for k, v in fs.required_when.items())):
                continue
            repeated = _repeated(ex.entries, fs)
            entry[name] = repeated if repeated is not None else self.value(event, fs, ex, day, len(ex.entries) + 1, recorder)
        self._vote_result(event, entry)
        if spec.effect == "transfer" and isinstance(entry.get("to_unit"), str):
            ex.final_unit = entry["to_unit"]
        ex.entries.append(entry)

    def _successor_start(self) -> dt.date:
        c = self.ctx.procedures.get(self.proc.successor or "")
        return c.proc.effective_from if c is not None else dt.date.max

    def _transfer_day(self, ex: Example, day: dt.date) -> dt.date:
        """A unit that ends and names successors hands its cases over on its last day."""
        unit = self.ctx.org.units.get(ex.final_unit)
        if unit is not None and unit.successors and unit.valid_to is not None and unit.valid_to >= day:
            return unit.valid_to
        return day

    def _ensure_unit(self, ex: Example, day: dt.date) -> None:
        """Before a step the case's unit cannot take (dissolved by then), carry the case to a
        successor with the procedure's transfer event on the unit's last day."""
        unit = self.ctx.org.units.get(ex.final_unit)
        transfer = next((n for n, e in self.proc.events.items() if e.effect == "transfer"), None)
        if unit is None or unit.valid_on(day) or transfer is None or unit.valid_to is None:
            return
        if ex.entries and dt.date.fromisoformat(ex.entries[-1]["date"]) > unit.valid_to:
            return
        self.step(ex, transfer, {}, on=unit.valid_to)

    def fit_time(self, ex: Example, rules: list[TimeRule], day: dt.date) -> dt.date:
        for rule in rules:
            anchor = _anchor(ex.entries, rule)
            if anchor is None:
                continue
            due = target_date(self.c, rule, anchor)
            if rule.rule == "not_before" and day < due:
                day = self.working(due)
            elif rule.rule == "within" and day > due:
                day = max(anchor + dt.timedelta(days=1), due)
        return day

    def value(self, event: str, fs: FieldSpec, ex: Example, day: dt.date, n: int, recorder: str | None) -> Any:
        t = fs.type
        if t == "date":
            return day.isoformat()
        if t == "ref":
            return f"{_abbr(fs)}-{n:02d}/XX"
        if t == "text":
            return "…"
        if t == "officer":
            return self.officer(fs.roles or [], fs.body or "", ex.final_unit, day, skip=recorder) if fs.roles and fs.body \
                else recorder
        if t == "unit":
            return self._transfer_target(ex.final_unit, day)
        if t == "procedure":
            return self.proc.successor or self.proc.id
        if t == "enum":
            values = self.proc.vocabulary_values(fs)
            return values[0] if values else ""
        if t == "bool":
            return fs.const if fs.const is not None else True
        if t == "int":
            return 1
        if t == "ballot":
            return self.ballot(event)
        if t == "values":  # a correction of the step before it: a new document number
            return self._correction_values(ex)
        if t == "list" and fs.item is not None:
            count = max(1, self.proc.amount(fs.min_items))
            if fs.item.type == "date":  # dates between the step before and this one
                start = dt.date.fromisoformat(ex.entries[-1]["date"]) if ex.entries else day - dt.timedelta(days=count)
                return [min(day, start + dt.timedelta(days=i + 1)).isoformat() for i in range(count)]
            earlier = day - dt.timedelta(days=STEP_DAYS)
            return [self.value(event, fs.item, ex, earlier, n + i, recorder) for i in range(count)]
        if t == "object":
            return {k: self.value(event, s, ex, day, n, recorder) for k, s in (fs.fields or {}).items()
                    if s.required and not s.required_when}
        return None

    def _correction_values(self, ex: Example) -> dict[str, Any]:
        target = ex.entries[-1] if ex.entries else {}
        specs = self.proc.all_fields(str(target.get("event", "")))
        name = next((n for n, s in specs.items() if s.type == "ref" and n in target), None)
        return {name: f"{target[name]}-SỬA"} if name else {}

    def ballot(self, event: str) -> dict[str, Any]:
        reasons = self.proc.excluded_reasons()
        vote = self.proc.events[event].vote
        out: dict[str, Any] = {"members_total": 15}
        if reasons and vote is not None and vote.threshold.of == "eligible":
            out["excluded"] = {reasons[0]: 1}
        out.update({"present": 13, "for": 11, "against": 2, "invalid": 0, "secret": True})
        return out

    def _vote_result(self, event: str, entry: Entry) -> None:
        """A vote's declared result follows from its tally; a failing route gets a failing tally."""
        vote = self.proc.events[event].vote
        ballot = entry.get(vote.ballot) if vote is not None else None
        if vote is None or not isinstance(ballot, dict):
            return
        if not vote.secret:
            ballot.pop("secret", None)
        if vote.result is None:
            return
        if entry.get(vote.result) == "failed":
            ballot.update({"for": 5, "against": 8})
        elif entry.get(vote.result) is None and self._wanted(event, vote.result, entry):
            entry[vote.result] = "passed"

    def _wanted(self, event: str, name: str, entry: Entry) -> bool:
        """Whether a field is required in this entry (always, or under its condition)."""
        spec = self.proc.all_fields(event).get(name)
        if spec is None or not spec.required:
            return False
        return not spec.required_when or all(entry.get(k) == v for k, v in spec.required_when.items())

    def _transfer_target(self, unit_id: str, day: dt.date) -> str | None:
        org = self.ctx.org
        unit = org.units.get(unit_id)
        if unit is None:
            return None
        pool = unit.successors if unit.successors and unit.valid_to else [u for u in org.units if u != unit_id]
        fits = [u for u in pool if u in org.units and org.units[u].kind == unit.kind and u != unit_id
                and (org.units[u].valid_to is None or org.units[u].valid_to >= day)]  # type: ignore[operator]
        return fits[0] if fits else None


def _repeated(entries: list[Entry], fs: FieldSpec) -> Any:
    """The value a ``same_as`` field must repeat, from the latest step that recorded it."""
    if fs.same_as is None:
        return None
    names = fs.same_as.events()
    for e in reversed(entries):
        if e["event"] in names:
            return e.get(fs.same_as.field)
    return None


def _anchor(entries: list[Entry], rule: TimeRule) -> dt.date | None:
    names = rule.anchor.events()
    for e in reversed(entries):
        if e["event"] in names:
            value = e.get(rule.anchor.field)
            return dt.date.fromisoformat(value) if isinstance(value, str) else None
    return None


def _abbr(fs: FieldSpec) -> str:
    """A plausible document number prefix from the field's Vietnamese title ("Số nghị quyết" → NQ)."""
    words = (fs.title.vi if fs.title else "VB").split()
    if words and words[0].lower() in ("số", "mã"):
        words = words[1:]
    letters = "".join(w[0] for w in words[:2] if w[0].isalpha())
    plain = unicodedata.normalize("NFD", letters.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in plain if ch.isascii()).upper() or "VB"


# ------------------------------------------------------------------------- per event


def example_roster(org: Org, procedures: dict[str, Compiled]) -> Org:
    """The units as they are, and officers who exist nowhere: for every unit and every role of
    the procedures that the roster gives units of its kind, ``ROSTER_SIZE`` officers ``OF-0000``,
    ``OF-0001`` … holding it while the unit exists, so an example never names a real officer."""
    roles = sorted({r for c in procedures.values() for r in c.proc.roles})
    # which kinds of unit have which roles: the roster's shape, never who holds them
    kinds = {(a.role, org.units[a.unit].kind) for o in org.officers.values() for a in o.roles if a.unit in org.units}
    units = example_units(org)
    officers: dict[str, Officer] = {}
    for uid in sorted(units):
        unit = units[uid]
        for role in (r for r in roles if (r, unit.kind) in kinds):
            for _ in range(ROSTER_SIZE):
                n = len(officers)
                span: dict[str, Any] = {"role": role, "unit": uid, "from": unit.valid_from.isoformat()}
                if unit.valid_to is not None:
                    span["to"] = unit.valid_to.isoformat()
                officers[f"OF-{n:04d}"] = Officer.model_validate(
                    {"id": f"OF-{n:04d}", "login": f"vi-du-{n:04d}", "member": f"XX-{1000 + n}", "roles": [span]})
    return Org(units=units, officers=officers)


def example_units(org: Org) -> dict[str, Unit]:
    """The units the examples may use: all of a small tree; of a large one (a country's 3,321
    communes and their cells) a sample that keeps its shape: every top-level unit, below each
    sampled unit its first sub-unit, and each sampled unit's successors with their ancestors.
    The fictitious roster then stays a few dozen officers instead of one per role of every unit."""
    units = dict(org.units)
    if len(units) <= SAMPLE_ABOVE:
        return units
    children: dict[str | None, list[str]] = {}
    for uid in sorted(units):
        children.setdefault(units[uid].parent_id, []).append(uid)
    todo = list(children.get(None, []))
    keep: set[str] = set()
    while todo:
        uid = todo.pop()
        if uid in keep or uid not in units:
            continue
        keep.add(uid)
        todo += children.get(uid, [])[:1] + units[uid].successors
        parent = units[uid].parent_id
        todo += [parent] if parent else []
    return {uid: units[uid] for uid in sorted(keep)}


def examples(compiled: Compiled, ctx: Context, roster: Org | None = None) -> dict[str, Example]:
    """An example history for every event of the procedure that can be shown validating
    (``roster``: the :func:`example_roster` of ``ctx``, when the caller made it already)."""
    ctx = Context(ctx.procedures, roster or example_roster(ctx.org, ctx.procedures), ctx.today)
    proc = compiled.proc
    b = Builder(compiled, ctx)
    routes = paths(proc)
    first = proc.opening_events()[0] if proc.opening_events() else None
    esc = proc.escalation
    for name, ev in proc.events.items():
        if name in routes or first is None:
            continue
        if ev.effect == "migrate" and not proc.successor:
            continue  # no newer version to move to
        if isinstance(ev.from_, list) and any(stage in routes for stage in ev.from_):
            stage = next(stage for stage in ev.from_ if stage in routes)
            routes[name] = [*routes[stage], (name, {})]  # after a stage that allows it
        elif ev.effect == "correct":  # correcting a step that holds a document number
            target = next((n for n in proc.ordered_events() if n in routes
                           and any(f.type == "ref" for f in proc.events[n].fields.values())), first)
            routes[name] = [*routes[target], (name, {})]
        elif ev.from_ is not None:
            routes[name] = [(first, {}), (name, {})]
        elif esc is not None and name == esc.event:
            routes[name] = escalation_route(proc, routes, name)
    out: dict[str, Example] = {}
    for name in proc.ordered_events():
        route = routes.get(name)
        if not route:
            continue
        ex = b.build(route)
        if ex is None:
            continue
        ex.errors = problems(ex, compiled, ctx)
        out[name] = ex
    return out


def problems(ex: Example, compiled: Compiled, ctx: Context) -> list[str]:
    """hoso's own rules on the example history, on the day of its last step."""
    check_ctx = Context(ctx.procedures, ctx.org, ex.check_day(ctx.org))
    result = check_case(ex.case("EX-1", compiled.proc.id), check_ctx)
    return [f"{i.rule} {i.path}" for i in result.issues if i.severity == "error"]


def event_yaml(entry: Entry) -> str:
    """One history entry as it is written in a case file: a block mapping whose nested values
    stay on one line, as the demo records are written."""
    lines = []
    for i, (key, value) in enumerate(entry.items()):
        lines.append(f"{'- ' if i == 0 else '  '}{key}: {_flow(value)}")
    return "\n".join(lines) + "\n"


def _flow(value: Any) -> str:
    """``value`` as PyYAML writes it in flow style, on one line. Each step page shows the whole
    example case, the steps before it again, in each language: the same values come back
    thousands of times a build, and PyYAML's emitter took half the time of making the guide pages.
    So the text of each value is kept, by its type and value (``True`` is not ``1``, a date is
    not its ISO string)."""
    key = _frozen(value)
    text = _FLOWS.get(key) if key is not None else None
    if text is None:
        text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10**6, sort_keys=False)
        text = text.removesuffix("\n").removesuffix("\n...").strip()
        if key is not None and len(_FLOWS) < _FLOWS_KEPT:
            _FLOWS[key] = text
    return text


_FLOWS: dict[Hashable, str] = {}
_FLOWS_KEPT = 20_000


def _frozen(value: Any) -> Hashable | None:
    """A key equal only for values PyYAML writes the same way, or None for a value of another
    kind (it is written each time). A scalar's key is its type and its ``repr``, not its value:
    ``0.0 == -0.0``, and two datetimes of one instant in two time zones are equal."""
    if value is None or type(value) in (str, int, float, bool, dt.date, dt.datetime):
        return (type(value), repr(value))
    if type(value) in (list, dict):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        parts = tuple((_frozen(k), _frozen(v)) for k, v in items)
        if any(k is None or v is None for k, v in parts):
            return None
        return (type(value), parts)
    return None
