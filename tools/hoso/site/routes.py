"""Routes through a procedure's graph: how a case reaches each step, and which field values
the transitions on the way require. Nothing here knows any procedure's events by name."""

from __future__ import annotations

from collections import deque
from typing import Any

from hoso.procedure import Procedure

Condition = dict[str, Any]
Route = list[tuple[str, Condition]]


def paths(proc: Procedure) -> dict[str, Route]:
    """For each event reachable from an opening event, the shortest route to it: each hop is
    (event, the field values its transition needs)."""
    out: dict[str, list[tuple[str, Condition]]] = {}
    todo: deque[tuple[str, list[tuple[str, Condition]]]] = deque((e, [(e, {})]) for e in proc.opening_events())
    seen: set[str] = set()
    while todo:
        node, route = todo.popleft()
        if node in seen:
            continue
        seen.add(node)
        if node in proc.end_states:
            for n in proc.end_states[node].next:
                todo.append((n, route + [(n, {})]))
            continue
        out[node] = route
        for target, cond in _edges(proc, node):
            hop = (route[-1][0], {**route[-1][1], **cond})
            if target in proc.end_states:
                todo.append((target, route[:-1] + [hop]))
            else:
                todo.append((target, route[:-1] + [hop, (target, {})]))
    return out


def _edges(proc: Procedure, event: str) -> list[tuple[str, Condition]]:
    spec = proc.events[event]
    out: list[tuple[str, Condition]] = [(n, {}) for n in spec.next or []]
    for t in spec.transitions or []:
        if t.repeat:
            continue
        for n in t.next or []:
            out.append((n, dict(t.when or {})))
        if t.end and t.end != "previous":
            out.append((t.end, dict(t.when or {})))
    return out



def escalation_route(proc: Procedure, routes: dict[str, Route], event: str) -> Route:
    """The route to the escalation event: the repeatable vote failing as often as it takes."""
    for name, ev in proc.events.items():
        for t in ev.transitions or []:
            if t.repeat and name in routes and proc.escalation is not None:
                times = proc.amount(proc.escalation.after_failures)
                return routes[name][:-1] + [(name, dict(t.when or {}))] * times + [(event, {})]
    return []
