"""What a step needs and which deadlines run: plain data for next, due and status to render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoso.cases import CaseFile, candidates
from hoso.engine import Deadline, State, deadlines, span_text
from hoso.fieldvalues import describe_type, title
from hoso.procedure import FieldSpec, Procedure, RoleSpec
from hoso.prompting import secret_parts
from hoso.repository import Repo
from hoso.writer import event_order


def field_rows(proc: Procedure, specs: dict[str, FieldSpec], lang: str, prefix: str = "",
               secret_ballot: str | None = None) -> list[dict[str, Any]]:
    """One row per field and part; the ballot of a vote that must be secret shows ``secret`` as required."""
    out: list[dict[str, Any]] = []
    for name, spec in specs.items():
        here = f"{prefix}{name}"
        row: dict[str, Any] = {"name": here, "title": title(spec, name, lang), "type": spec.type,
                               "format": describe_type(proc, spec, lang),
                               "required": spec.required and spec.required_when is None,
                               "required_when": spec.required_when, "required_text": _required(spec, lang)}
        target = spec.item if spec.type == "list" and spec.item is not None else spec
        if target.type == "enum" and target.vocabulary:
            row["values"] = {v: proc.label(target.vocabulary, v, lang) for v in proc.vocabulary_values(target)}
        out.append(row)
        parts = secret_parts(proc, target, not prefix and name == secret_ballot)
        if parts:
            sep = ".0." if spec.type == "list" else "."
            out.extend(field_rows(proc, parts, lang, here + sep))
    return out


def _required(spec: FieldSpec, lang: str) -> str:
    vi = lang != "en"
    if spec.required_when:
        cond = ", ".join(f"{k} = {v}" for k, v in spec.required_when.items())
        return f"khi {cond}" if vi else f"when {cond}"
    if spec.required:
        return "bắt buộc" if vi else "required"
    return "không bắt buộc" if vi else "optional"


def who(repo: Repo, proc: Procedure, spec: RoleSpec, unit: str, day: dt.date, member: str, lang: str) -> dict[str, Any]:
    at, people = candidates(repo, proc, spec, unit, day, member)
    return {"roles": spec.roles, "role_titles": [proc.roles[r].title.get(lang) if r in proc.roles else r for r in spec.roles],
            "body": spec.body, "body_title": proc.bodies[spec.body].title.get(lang) if spec.body in proc.bodies else spec.body,
            "unit": at, "officers": [o.id for o in people]}


def deadline_info(state: State, d: Deadline, today: dt.date, lang: str) -> dict[str, Any]:
    cal = state.proc.calendar
    overdue = d.rule.rule == "within" and d.due < today
    if d.due >= today:
        left = cal.working_days_between(today, d.due)
    else:
        left = -cal.working_days_between(d.due, today)
    proc = state.proc.proc
    return {"event": d.event, "event_title": proc.events[d.event].title.get(lang), "rule": d.rule.rule,
            "due": d.due.isoformat(), "anchor": d.anchor, "anchor_date": d.anchor_date.isoformat(),
            "span": span_text(proc, d.rule, lang), "severity": d.rule.severity, "overdue": overdue,
            "working_days": left, "days": (d.due - today).days}


def running(state: State, today: dt.date, lang: str) -> list[dict[str, Any]]:
    return sorted((deadline_info(state, d, today, lang) for d in deadlines(state)), key=lambda x: (x["due"], x["event"]))


def allowed_steps(repo: Repo, case: CaseFile, today: dt.date, lang: str) -> list[dict[str, Any]]:
    state, header = case.state, case.header
    proc = state.proc.proc
    limits = running(state, today, lang)
    out = []
    for name in state.allowed():
        ev = proc.events.get(name)
        if ev is None:
            continue
        out.append({"event": name, "title": ev.title.get(lang),
                    "description": ev.description.get(lang) if ev.description else None,
                    "fields": field_rows(proc, event_order(proc, name), lang,
                                         secret_ballot=ev.vote.ballot if ev.vote is not None and ev.vote.secret else None),
                    "recorder": who(repo, proc, ev.recorder, state.unit, today, header.member, lang),
                    "approver": who(repo, proc, ev.approver, state.unit, today, header.member, lang),
                    "deadlines": [d for d in limits if d["event"] == name]})
    return out


def deadline_text(d: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    n = abs(d["working_days"])
    if d["rule"] == "not_before":
        return (f"không trước {d['due']} ({d['span']} kể từ {d['anchor']} {d['anchor_date']})" if vi else
                f"not before {d['due']} ({d['span']} after {d['anchor']} {d['anchor_date']})")
    if d["overdue"]:
        tail = f"quá hạn {n} ngày làm việc" if vi else f"overdue by {n} working days"
    else:
        tail = f"còn {n} ngày làm việc" if vi else f"{n} working days left"
    return (f"hạn {d['due']} ({d['span']} kể từ {d['anchor']} {d['anchor_date']}): {tail}" if vi else
            f"due {d['due']} ({d['span']} after {d['anchor']} {d['anchor_date']}): {tail}")
