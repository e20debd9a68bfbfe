"""Corrections without rewriting history.

A procedure may define an event whose ``effect`` is ``correct``: it names an earlier step by its
index (``corrects``), the fields it replaces with new values (``changes``) and why (``reason``).
The history stays as written; the engine replays it with each correction applied to the step it
names, so the corrected history is judged as a whole. What the correction breaks is reported at
the correction. It is recorded and approved by the roles the corrected step needs. Nothing here
names an event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hoso.engine import Issue, State, Step, issue
from hoso.procedure import EventSpec
from hoso.recordmodel import Compiled

TARGET = "corrects"
CHANGES = "changes"


def correction_events(procedures: dict[str, Compiled]) -> frozenset[str]:
    """The names of every event with the ``correct`` effect, in any procedure."""
    return frozenset(name for c in procedures.values() for name, ev in c.proc.events.items() if ev.effect == "correct")


@dataclass
class Applied:
    entries: list[Any]
    by_target: dict[int, int] = field(default_factory=dict)  # corrected index -> last correction of it
    changed: dict[int, set[str]] = field(default_factory=dict)  # correction index -> fields it replaces
    problems: list[Issue] = field(default_factory=list)


def _is_correction(raw: Any, names: frozenset[str]) -> bool:
    """Whether a history entry is a correction; an event name that is not text is none (the
    schema reports it at its line)."""
    name = raw.get("event") if isinstance(raw, dict) else None
    return isinstance(name, str) and name in names


def apply_corrections(history: list[Any], names: frozenset[str]) -> Applied:
    """The history with every correction applied to the step it names (the file is not changed)."""
    out = Applied(list(history))
    for i, raw in enumerate(history):
        if not _is_correction(raw, names):
            continue
        target, changes = raw.get(TARGET), raw.get(CHANGES)
        if not isinstance(target, int) or isinstance(target, bool) or not 0 <= target < i:
            out.problems.append(issue(("history", i, TARGET), "CORRECT-TARGET", target=str(target), index=i))
            continue
        original = out.entries[target]
        if not isinstance(original, dict) or _is_correction(original, names):
            out.problems.append(issue(("history", i, TARGET), "CORRECT-TARGET", target=str(target), index=i))
            continue
        if not isinstance(changes, dict) or not changes or "event" in changes:
            continue  # the schema of the correction reports it
        out.entries[target] = {**original, **changes}
        out.by_target[target] = i
        out.changed[i] = set(changes)
    return out


def relocate(issues: list[Issue], baseline: list[Issue], applied: Applied) -> list[Issue]:
    """Issues a correction brings to the step it corrects are reported at the correction (at the
    field it replaces, when it names one); the rest stay where they are.

    A correction fixes what a well-formed step says, never its form: a corrected step's own schema
    errors (``SCHEMA-*`` in ``baseline``, the history as written) stay reported where they are,
    even when the correction replaces the field. Otherwise one change could add a step with a
    malformed value (a list, a blob, words where a document number goes) and a correction of it,
    and the malformed value would pass into the history for good, unreported."""
    before = {(i.rule, i.path) for i in baseline}
    out: list[Issue] = []
    for i in issues:
        index = i.path[1] if len(i.path) >= 2 and i.path[0] == "history" else None
        c = applied.by_target.get(index) if isinstance(index, int) else None
        if c is None or (i.rule, i.path) in before:
            out.append(i)
            continue
        name = i.path[2] if len(i.path) > 2 else None
        where = ("history", c, CHANGES, name) if name in applied.changed.get(c, set()) else ("history", c)
        out.append(Issue(where, i.rule, i.severity, i.args))
    kept = {(i.rule, i.path) for i in out}
    written = [i for i in baseline if i.rule.startswith("SCHEMA-") and len(i.path) >= 2 and i.path[0] == "history"
               and i.path[1] in applied.by_target and (i.rule, i.path) not in kept]
    return out + written + applied.problems


def corrected_spec(step: Step, state: State) -> EventSpec | None:
    """For a correction, the spec of the step it corrects (whose roles record and approve it);
    None for any other step."""
    spec = step.proc.proc.events.get(step.event.name)
    if spec is None or spec.effect != "correct":
        return None
    target = step.event.values.get(TARGET) if isinstance(step.event.values, dict) \
        else getattr(step.event.values, TARGET, None)
    if not isinstance(target, int) or not 0 <= target < len(state.steps):
        return None
    corrected = state.steps[target]
    return corrected.proc.proc.events.get(corrected.event.name)
