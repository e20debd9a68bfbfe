"""``hoso check``: what a change between two commits does to each case, and who must approve it.

The procedures, roster and settings that judge a change are read from the base commit, so a
change cannot make itself valid or approved. Only changed case files are read and parsed;
when ``procedures/`` or ``org/`` change, the cases those edits could affect are found with one
``git grep`` and re-validated against the new versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import git

from hoso.checks import Context, check_case, resolve_body
from hoso.corrections import corrected_spec
from hoso.engine import Issue, issue
from hoso.findings import Finding, Report, finding
from hoso.gitsource import Change, GitCommit, changes, merge_base, resolve
from hoso.history import header_issues, history_issues
from hoso.org import Org
from hoso.repository import (OFFICERS, PROCEDURES, RECORDS, SETTINGS, UNITS, Parsed, RepoSettings, check_record,
                             load_context, load_settings, parse)
from hoso.versions import edited_open_versions

PROTECTED = (PROCEDURES + "/", "org/", ".github/", SETTINGS)


@dataclass(frozen=True)
class Required:
    """One approval a change needs: ``count`` holders of one of ``roles`` for ``unit`` on ``date``."""

    file: str
    line: int
    case: str | None
    event: str | None
    roles: tuple[str, ...]
    unit: str | None  # None: the role held for any unit (maintainers)
    count: int
    date: dt.date
    member: str | None = None
    recorded_by: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"case": self.case, "event": self.event, "role": " / ".join(self.roles), "roles": list(self.roles),
                "unit": self.unit, "count": self.count, "date": self.date.isoformat(), "file": self.file,
                "line": self.line}


@dataclass
class CheckResult:
    report: Report
    required: list[Required]
    base: str
    head: str
    fork: str  # where head left base (the merge base): the change is fork..head
    ctx: Context
    changed: list[Change] = field(default_factory=list)
    listing: dict[str, list[str]] | None = None  # case file name -> paths at head, when needed


def _protected(path: str) -> bool:
    return any(path == p or path.startswith(p) for p in PROTECTED)


def _is_case(path: str) -> bool:
    return path.startswith(RECORDS + "/") and path.endswith(".yaml")


def check_change(repo: git.Repo, base_rev: str, head_rev: str, today: dt.date) -> CheckResult:
    base, head = resolve(repo, base_rev), resolve(repo, head_rev)
    fork = merge_base(repo, base, head)
    rules = GitCommit(repo, base)
    ctx = load_context(rules, today).ctx
    old_src, new_src = GitCommit(repo, fork), GitCommit(repo, head)
    result = CheckResult(Report(), [], base, head, fork, ctx, changes(repo, fork, head))
    judged: set[str] = set()
    protected: list[str] = []
    for ch in result.changed:
        if _is_case(ch.path) or (ch.old is not None and _is_case(ch.old)):
            judged.add(ch.path)
            _judge_case(ch, old_src, new_src, ctx, result)
        elif ch.path.startswith(RECORDS + "/") or _protected(ch.path) or (ch.old is not None and _protected(ch.old)):
            protected.append(ch.path)  # other files under records/ are not case steps: maintainers judge them
    if protected:
        _protected_paths(protected, load_settings(rules)[0], today, result)
        result.report.extend(edited_open_versions(rules, new_src, protected, ctx))
    if any(p.startswith((PROCEDURES + "/", "org/")) for p in protected):
        _revalidate(rules, new_src, protected, judged, today, result)
    result.report.files_checked = len(judged) + len(protected)
    return result


# ------------------------------------------------------------------------- one case


def _judge_case(ch: Change, old_src: GitCommit, new_src: GitCommit, ctx: Context, result: CheckResult) -> None:
    report = result.report
    if ch.status == "D":
        report.add(finding(ch.path, 1, 1, "DIFF-CASE-DELETED", path=ch.path))
        return
    if not _is_case(ch.path):  # moved out of records/
        report.add(finding(ch.old or ch.path, 1, 1, "DIFF-CASE-DELETED", path=ch.old or ch.path))
        return
    new = parse(ch.path, new_src.read(ch.path), fast=False)
    if not new.ok:
        report.extend(new.findings)
        return
    old_value: dict[str, Any] | None = None
    if ch.status != "A":
        old = parse(ch.old or ch.path, old_src.read(ch.old or ch.path), fast=False)
        old_value = old.value if old.ok and isinstance(old.value, dict) else None
    elif isinstance(new.value, dict):
        report.extend(_duplicate_case(ch.path, new_src, result))
    value = new.value if isinstance(new.value, dict) else {}
    old_history = old_value.get("history") if old_value is not None else []
    old_history = old_history if isinstance(old_history, list) else []
    if old_value is not None:
        rewrites = header_issues(old_value, value)
        history = value.get("history")
        rewrites += history_issues(old_history, history if isinstance(history, list) else [])
        if rewrites:
            report.extend(new.place(rewrites))
            return
    _judge_new_events(ch, new, len(old_history), ctx, result)


def _duplicate_case(path: str, src: GitCommit, result: CheckResult) -> list[Finding]:
    """Another file of the same case id at head (one tree listing per run, only for new cases)."""
    if result.listing is None:
        result.listing = {}
        for p in src.list(RECORDS):
            result.listing.setdefault(p.rsplit("/", 1)[-1], []).append(p)
    stem = path.rsplit("/", 1)[-1]
    others = [p for p in result.listing.get(stem, []) if p != path]
    return [finding(path, 1, 1, "DIFF-CASE-EXISTS", case=stem[:-5], other=o) for o in others]


def _judge_new_events(ch: Change, parsed: Parsed, first_new: int, ctx: Context, result: CheckResult) -> None:
    cr = check_case(parsed.value, ctx)
    kept: list[Issue] = [i for i in cr.issues
                         if len(i.path) >= 2 and i.path[0] == "history" and isinstance(i.path[1], int)
                         and i.path[1] >= first_new]
    if first_new == 0 or cr.header is None or cr.state is None:
        kept = list(cr.issues)  # a new case, or one whose steps cannot be judged: fail closed
    # where the file stands: the same rules as validate (case id = file name, path = unit)
    header, state = cr.header, cr.state
    if header is not None:
        stem = ch.path.rsplit("/", 1)[-1][: -len(".yaml")]
        if header.case != stem:
            kept.append(issue(("case",), "REC-CASE-ID", case=header.case, stem=stem))
        unit = state.unit if state is not None else header.unit
        expected = f"{RECORDS}/{unit}/{stem}.yaml"
        if ch.path != expected:
            kept.append(issue(("unit",), "REC-PATH", expected=expected, unit=unit))
    if header is None or state is None:
        result.report.extend(parsed.place(kept))
        return
    new_steps = state.steps[first_new:]
    if new_steps:
        limit = new_steps[0].proc.proc.setting("max_events_per_change", 1)
        if len(new_steps) > limit:
            kept.append(issue(("history", first_new + limit), "DIFF-TOO-MANY-EVENTS", max=limit,
                              count=len(new_steps), case=header.case))
    if ch.status == "R" and not any(
            s.event.name in s.proc.proc.events and s.proc.proc.events[s.event.name].effect == "transfer"
            for s in new_steps):
        kept.append(issue((), "DIFF-CASE-RENAMED", old=ch.old, new=ch.path))
    result.report.extend(parsed.place(kept))
    for step in new_steps:
        spec = corrected_spec(step, state) or step.proc.proc.events.get(step.event.name)
        if spec is None or step.event.date is None:
            continue
        ap = spec.approver
        approving = resolve_body(step.proc.proc, ctx.org, ap.body, step.unit, step.event.date)
        loaded = parsed.positions()
        line = loaded.pos(("history", step.event.index)).line if loaded is not None else 1
        if approving is None:
            result.report.add(finding(ch.path, line, 1, "DIFF-NO-APPROVER", body=ap.body, event=step.event.name,
                                      unit=step.unit, date=step.event.date))
            continue
        recorder = step.event.values.get("recorded_by") if isinstance(step.event.values, dict) \
            else getattr(step.event.values, "recorded_by", None)
        result.required.append(Required(ch.path, line, header.case, step.event.name, tuple(ap.roles), approving,
                                        ap.count, step.event.date, header.member,
                                        recorder if isinstance(recorder, str) else None))


# ------------------------------------------------------------- procedures, org, CI


def _protected_paths(paths: list[str], settings: RepoSettings, today: dt.date, result: CheckResult) -> None:
    role = settings.maintainer_role
    if not role:
        result.report.add(finding(SETTINGS, 1, 1, "DIFF-NO-MAINTAINER-ROLE"))
        return
    for p in paths:
        result.report.add(finding(p, 1, 1, "DIFF-PROTECTED-PATH", "warning", path=p, role=role))
        result.required.append(Required(p, 1, None, None, (role,), None, 1, today))


def _changed_ids(old: Org, new: Org) -> list[str]:
    words: list[str] = []
    for a, b in ((old.units, new.units), (old.officers, new.officers)):
        for key in set(a) | set(b):
            if a.get(key) != b.get(key):
                words.append(key)
    return sorted(words)


def _revalidate(rules: GitCommit, new_src: GitCommit, protected: list[str], judged: set[str], today: dt.date,
                result: CheckResult) -> None:
    """Cases the new procedures or org could affect, judged by the new versions; report what is new."""
    new_repo = load_context(new_src, today)
    changed_files = set(protected)
    result.report.extend([f for f in new_repo.findings if f.file in changed_files])
    old_ctx = result.ctx
    words = [p.rsplit("/", 1)[-1][: -len(".yaml")] for p in protected
             if p.startswith(PROCEDURES + "/") and p.endswith(".yaml")]
    if any(p in (UNITS, OFFICERS) for p in protected):
        words += _changed_ids(old_ctx.org, new_repo.ctx.org)
    for path in new_src.grep(words, RECORDS):
        if path in judged or not _is_case(path):
            continue
        data = new_src.read(path)
        before = set(check_record(path, data, old_ctx).findings)
        after = check_record(path, data, new_repo.ctx).findings
        result.report.extend([f for f in after if f not in before])
        result.report.files_checked += 1
