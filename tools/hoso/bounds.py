"""Dates that depend on other dates, and references that must repeat another step's value.

A procedure declares, on a field, the dates it may not precede (``not_before``) or follow
(``not_after``): another field of the same step, a field of the most recent earlier step among
some events, or the day of the check. A field may also have to repeat a value recorded by an
earlier step (``same_as``: the decision an appeal is against). Nothing here names an event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from hoso.engine import Issue, Path, State, Step, get, issue
from hoso.messages import L
from hoso.procedure import FieldRef, FieldSpec, Procedure


def bound_issues(step: Step, state: State, today: dt.date, path: Path) -> list[Issue]:
    """DATE-BOUND and REF-MISMATCH findings of one validated step."""
    proc = step.proc.proc
    out: list[Issue] = []
    for fpath, spec, value in _walk(proc.all_fields(step.event.name), step.event.values, ()):
        if isinstance(value, dt.date):
            out.extend(_date_issues(step, state, today, spec, value, path + fpath))
        if spec.same_as is not None and value is not None:
            out.extend(_same_as_issues(step, state, spec.same_as, value, path + fpath))
    return out


def _walk(fields: dict[str, FieldSpec], values: Any, at: Path) -> Iterator[tuple[Path, FieldSpec, Any]]:
    """Every field with bounds or a reference to repeat, with its value, lists and objects included."""
    for name, spec in fields.items():
        value = get(values, name)
        if value is None:
            continue
        if spec.not_before or spec.not_after or spec.same_as is not None:
            yield at + (name,), spec, value
        if spec.type == "list" and spec.item is not None and isinstance(value, list):
            for i, item in enumerate(value):
                if spec.item.fields:
                    yield from _walk(spec.item.fields, item, at + (name, i))
                elif spec.item.not_before or spec.item.not_after:
                    yield at + (name, i), spec.item, item
        elif spec.fields:
            yield from _walk(spec.fields, value, at + (name,))


def resolve(ref: FieldRef, step: Step, state: State, today: dt.date) -> tuple[Any, Any] | None:
    """The value a reference names, and how to say where it comes from; None when the history
    holds no such value (yet)."""
    if ref.today:
        return today, L("hôm nay", "today")
    if ref.event is None:
        value = step.event.date if ref.field == "date" else get(step.event.values, ref.field)
        return (value, ref.field) if value is not None else None
    idx = state.latest(ref.events(), step.anchors)
    if idx is None:
        return None
    source = state.steps[idx].event
    value = source.date if ref.field == "date" else get(source.values, ref.field)
    return (value, f"{source.name}.{ref.field}") if value is not None else None


def _date_issues(step: Step, state: State, today: dt.date, spec: FieldSpec, value: dt.date,
                 fpath: Path) -> list[Issue]:
    out: list[Issue] = []
    field = ".".join(str(p) for p in fpath[2:])
    for refs, too_early in ((spec.not_before, True), (spec.not_after, False)):
        for ref in refs:
            found = resolve(ref, step, state, today)
            if found is None or not isinstance(found[0], dt.date):
                continue
            bound, where = found
            if (value < bound) if too_early else (value > bound):
                side = L("trước", "before") if too_early else L("sau", "after")
                out.append(issue(fpath, "DATE-BOUND", field=field, value=value, side=side, bound=where,
                                 bound_date=bound))
    return out


def _same_as_issues(step: Step, state: State, ref: FieldRef, value: Any, fpath: Path) -> list[Issue]:
    found = resolve(ref, step, state, dt.date.max)
    if found is None or found[0] == value:
        return []
    field = ".".join(str(p) for p in fpath[2:])
    return [issue(fpath, "REF-MISMATCH", field=field, value=value, expected=found[0], source=found[1])]


def bound_rows(proc: Procedure) -> list[tuple[str, str, str, FieldRef]]:
    """For the guide: (event, field, "not_before"/"not_after"/"same_as", reference), in step order."""
    rows: list[tuple[str, str, str, FieldRef]] = []

    def walk(event: str, fields: dict[str, FieldSpec], prefix: str) -> None:
        for name, spec in fields.items():
            label = prefix + name
            rows.extend((event, label, "not_before", r) for r in spec.not_before)
            rows.extend((event, label, "not_after", r) for r in spec.not_after)
            if spec.same_as is not None:
                rows.append((event, label, "same_as", spec.same_as))
            if spec.item is not None:
                if spec.item.fields:
                    walk(event, spec.item.fields, label + "[].")
                else:
                    rows.extend((event, label + "[]", "not_before", r) for r in spec.item.not_before)
                    rows.extend((event, label + "[]", "not_after", r) for r in spec.item.not_after)
            elif spec.fields:
                walk(event, spec.fields, label + ".")

    for event in proc.ordered_events():
        walk(event, proc.all_fields(event), "")
    return rows
