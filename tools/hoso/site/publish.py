"""What the status pages publish: every count as a cell, every sum a reader can form as an
equation, and the cells disclosure control hides.

Built from :mod:`hoso.stats` (exact counts) for every unit that ever held a case, rolled up the
unit tree. Only event names, stages, end states, units and years reach a cell key; a median of
days is published only over at least ``threshold`` steps.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from hoso.base import Text
from hoso.disclosure import DEFAULT_THRESHOLD, Equation, Key, exposed, protect
from hoso.recordmodel import Compiled
from hoso.stats import (CaseView, StepTime, ancestors, completeness, flow_titles, flows, late_steps, overdue,
                        rollup, stages, step_times)

ALL = "all"
DIRECT = "@direct"  # pseudo sub-unit: cases held by a unit that also has sub-units


@dataclass
class Publication:
    cells: dict[Key, int]
    equations: list[Equation]
    hidden: set[Key]
    threshold: int
    units: list[str]
    children: dict[str, list[str]]
    years: list[str]
    flows: dict[str, Text]
    stages: list[tuple[str, Text]]
    events: list[tuple[str, Text]]
    times: dict[tuple[str, str], StepTime] = field(default_factory=dict)

    def value(self, key: Key) -> int | None:
        """The published count, or None when it is hidden."""
        if key in self.hidden:
            return None
        return self.cells.get(key, 0)

    def shown(self, key: Key) -> str:
        v = self.value(key)
        return "—" if v is None else str(v)

    def median(self, unit: str, event: str) -> float | None:
        t = self.times.get((unit, event))
        return t.median if t is not None and len(t.days) >= self.threshold else None


def build(cases: list[CaseView], procs: dict[str, Compiled], threshold: int = DEFAULT_THRESHOLD) -> Publication:
    units = sorted({u for c in cases for s in c.steps for x in (s.unit, s.unit_after) for u in ancestors(x)})
    children = _children(units)
    flow_direct = flows(cases)
    years = sorted({k[1] for k in flow_direct})
    stage_list, event_list = _stages(procs), _events(procs)
    open_stages = {s for s, _ in stage_list}
    stage_direct: Counter[tuple[str, ...]] = Counter({k: n for k, n in stages(cases).items() if k[1] in open_stages})
    cells: dict[Key, int] = {}
    eqs: list[Equation] = []
    titles = flow_titles(procs.values())
    for f in titles:
        direct: Counter[tuple[str, ...]] = Counter({(u, y): n for (u, y, k), n in flow_direct.items() if k == f})
        _grid(cells, eqs, ("flow", f), direct, units, children, years)
    _grid(cells, eqs, ("stage",), stage_direct, units, children, [s for s, _ in stage_list])
    _grid(cells, eqs, ("late",), late_steps(cases), units, children, [e for e, _ in event_list], total=False)
    _tree(cells, eqs, ("overdue",), overdue(cases), units, children)
    _grid(cells, eqs, ("complete",), completeness(cases), units, children, ["complete", "incomplete"], total_key="cases")
    _identities(cells, eqs, procs, units)
    hidden = protect(cells, eqs, threshold, cost=lambda k: _cost(k) + (cells[k],))
    return Publication(cells, eqs, hidden, threshold, units, children, years, titles, stage_list, event_list,
                       step_times(cases))


def _cost(key: Key) -> tuple[int, ...]:
    """Hide deep units before the units above them, and all-years totals before single years,
    so a district's yearly figures stay visible wherever they can."""
    assert isinstance(key, tuple)
    unit = str(key[-1])
    return (-unit.count("/"), 0 if ALL in key[:-1] else 1)


def _children(units: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {u: [] for u in units}
    for u in units:
        if "/" in u:
            out.setdefault(u.rsplit("/", 1)[0], []).append(u)
    return out


def _grid(cells: dict[Key, int], eqs: list[Equation], name: tuple[str, ...], direct: Counter[tuple[str, ...]],
          units: list[str], children: dict[str, list[str]], cols: list[str], total: bool = True,
          total_key: str | None = None) -> None:
    """Cells name+(unit, col) rolled up the tree, a total column per unit, and the tree's sums."""
    for col in cols:
        sub: Counter[tuple[str, ...]] = Counter({(u,): n for (u, c), n in direct.items() if c == col})
        _tree(cells, eqs, name + (col,), sub, units, children)
    if not total:
        return
    tk: tuple[str, ...] = (total_key,) if total_key else name + (ALL,)
    subtotal: Counter[tuple[str, ...]] = Counter()
    for (u, c), n in direct.items():
        if c in cols:
            subtotal[(u,)] += n
    _tree(cells, eqs, tk, subtotal, units, children)
    for u in units:
        eqs.append(Equation(tk + (u,), tuple(name + (c, u) for c in cols)))


def _tree(cells: dict[Key, int], eqs: list[Equation], name: tuple[str, ...], direct: Counter[tuple[str, ...]],
          units: list[str], children: dict[str, list[str]]) -> None:
    """Cells name+(unit,) for every unit, rolled up, and parent = sum of children (+ direct)."""
    rolled = rollup(direct)
    for u in units:
        cells[name + (u,)] = rolled.get((u,), 0)
    for u in units:
        kids = children.get(u, [])
        if not kids:
            continue
        parts = [name + (k,) for k in kids]
        own = direct.get((u,), 0)
        if own:
            cells[name + (f"{u}/{DIRECT}",)] = own
            parts.append(name + (f"{u}/{DIRECT}",))
        eqs.append(Equation(name + (u,), tuple(parts)))


def _identities(cells: dict[Key, int], eqs: list[Equation], procs: dict[str, Compiled], units: list[str]) -> None:
    """Sums a reader could guess across tables, added wherever they hold in the data: cases =
    the flow of an event that opens a case; cases = open cases + cases that reached an end
    (when nothing else, such as a case not put on the list or moved away, makes up the rest:
    a reader who knows that could use the sum)."""
    opening = {e for c in procs.values() for e in c.proc.opening_events()}
    ends = {e for c in procs.values() for e in c.proc.end_states}
    for c in procs.values():
        for f, spec in c.proc.reporting.flows.items():
            for u in units:
                key = ("flow", f, ALL, u)
                if spec.event in opening and cells.get(key) == cells.get(("cases", u)):
                    eqs.append(Equation(("cases", u), (key,)))
    end_flows = {f for c in procs.values() for f, s in c.proc.reporting.flows.items() if s.end in ends}
    for u in units:
        parts: list[Key] = [("stage", ALL, u)] + [("flow", f, ALL, u) for f in sorted(end_flows)]
        if cells.get(("cases", u), 0) == sum(cells.get(p, 0) for p in parts):
            eqs.append(Equation(("cases", u), tuple(parts)))


def _stages(procs: dict[str, Compiled]) -> list[tuple[str, Text]]:
    """Stages a case can stand in while open, in step order across the procedures."""
    out: dict[str, Text] = {}
    for c in sorted(procs.values(), key=lambda c: c.proc.effective_from):
        for e in c.proc.ordered_events():
            spec = c.proc.events[e]
            if not spec.keeps_stage and not any(t.end and not t.next for t in spec.transitions or [] if not t.when):
                out.setdefault(e, spec.title)
    return list(out.items())


def _events(procs: dict[str, Compiled]) -> list[tuple[str, Text]]:
    out: dict[str, Text] = {}
    for c in sorted(procs.values(), key=lambda c: c.proc.effective_from):
        for e in c.proc.ordered_events():
            if c.proc.events[e].time:
                out.setdefault(e, c.proc.events[e].title)
    return list(out.items())


def audit(p: Publication) -> tuple[list[Key], set[Key]]:
    """Published counts in [1, threshold - 1], and hidden counts a reader could work out."""
    small = [k for k, v in p.cells.items() if k not in p.hidden and 1 <= v < p.threshold]
    leaks = exposed(p.cells, p.equations, p.hidden)
    return small, leaks

