"""``hoso check``: what a change between two commits does to each case, and who must approve it.

The procedures, roster and settings that judge a change are read from the base commit, so a
change cannot make itself valid or approved. Every changed path is either a case file at
``records/<unit>/<CASE>.yaml`` (judged as a step and approved by the body the procedure names)
or needs the maintainer role: an allow-list. A file moved into records/ from elsewhere is a new
case; symlinks, submodules and a committed ``.hoso-cache`` are refused; a case-shaped YAML file
anywhere else is an error. Only changed case files are read and parsed;
when ``procedures/`` or ``org/`` change, the cases those edits could affect are found with one
``git grep`` and re-validated against the new versions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hoso.checks import Context, check_case, resolve_body
from hoso.corrections import corrected_spec
from hoso.engine import Issue, Path, State, Step, get, issue
from hoso.findings import Finding, Report, finding
from hoso.gitsource import Change, GitCommit, changes, merge_base, plumbing, resolve
from hoso.history import header_issues, history_issues
from hoso.messages import L
from hoso.opencases import family_of
from hoso.org import Org
from hoso.recordmodel import CaseHeader
from hoso.orgload import is_org_path
from hoso.repository import (PROCEDURES, RECORDS, SETTINGS, Parsed, RepoSettings, check_record, load_context,
                             load_settings, parse)
from hoso.versions import edited_open_versions

CACHE_DIR = ".hoso-cache"
CASE_KEYS = ("case", "procedure", "history")  # a mapping with these is a case file, wherever it stands


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
    settings: RepoSettings = field(default_factory=RepoSettings)
    reference: dt.date | None = None  # the base commit's date (today, if earlier): back-dating counts from it


def is_case_path(path: str) -> bool:
    """``records/<unit path>/<CASE>.yaml``: the only paths a pull request may write a case step to.
    Hidden names are not cases (``hoso validate`` never lists them)."""
    parts = path.split("/")
    return (len(parts) >= 3 and parts[0] == RECORDS and path.endswith(".yaml")
            and all(p and not p.startswith(".") for p in parts[1:]))


def _is_cache(path: str) -> bool:
    return path == CACHE_DIR or path.startswith(CACHE_DIR + "/")


def check_change(repo: Any, base_rev: str, head_rev: str, today: dt.date) -> CheckResult:
    """Every changed path is either a case step under records/ (judged by the procedure and
    approved by the body it names) or needs the maintainer role: an allow-list, not a deny-list.
    ``repo``: a :class:`hoso.gitsource.GitRepo` (a GitPython ``Repo`` is read through its directory)."""
    repo = plumbing(repo)
    base, head = resolve(repo, base_rev), resolve(repo, head_rev)
    fork = merge_base(repo, base, head)
    rules = GitCommit(repo, base)
    loaded = load_context(rules, today, lazy_org=True)  # a sharded roster: only the shards the change names
    old_src, new_src = GitCommit(repo, fork), GitCommit(repo, head)
    result = CheckResult(Report(), [], base, head, fork, loaded.ctx, changes(repo, fork, head),
                         settings=loaded.settings, reference=min(commit_date(repo, base), today))
    judged: set[str] = set()
    protected: list[str] = []
    for ch in result.changed:
        if not _is_file(ch, result.report):
            continue
        if ch.status != "D" and is_case_path(ch.path):
            judged.add(ch.path)
            if ch.old is not None and not is_case_path(ch.old):  # moved in from elsewhere: a new case
                protected.append(ch.old)
                ch = Change("A", ch.path, None, ch.mode)
            _judge_case(ch, old_src, new_src, result.ctx, result)
            continue
        gone = ch.old if ch.old is not None else ch.path if ch.status == "D" else None
        if gone is not None and is_case_path(gone):
            result.report.add(finding(gone, 1, 1, "DIFF-CASE-DELETED", path=gone))
            if ch.status == "D":
                continue
        elif ch.old is not None:
            protected.append(ch.old)
        protected.append(ch.path)
        if ch.status != "D":
            _outside_case(ch.path, new_src, result.report)
    if protected:
        _protected_paths(protected, result.settings, today, result)
        result.report.extend(edited_open_versions(rules, new_src, protected, result.ctx))
    result.report.files_checked = len(judged) + len(protected)  # before _revalidate, which adds its cases
    if any(p.startswith((PROCEDURES + "/", "org/")) for p in protected):
        _revalidate(rules, new_src, protected, judged, today, result)
    return result


def commit_date(repo: Any, commit: str) -> dt.date:
    """The committer's date of ``commit``, in the committer's time zone."""
    return dt.datetime.fromisoformat(plumbing(repo).run("show", "-s", "--format=%cI", commit).strip()).date()


def _is_file(ch: Change, report: Report) -> bool:
    """A regular file outside the cache; a symlink, a submodule or a committed cache is refused."""
    if ch.status == "D":
        return True
    if _is_cache(ch.path):
        report.add(finding(ch.path, 1, 1, "DIFF-CACHE-COMMITTED", path=ch.path))
        return False
    if ch.special is not None:
        kind = L("một liên kết tượng trưng (symlink)", "a symbolic link") if ch.special == "link" \
            else L("một submodule (gitlink)", "a submodule (gitlink)")
        report.add(finding(ch.path, 1, 1, "DIFF-NOT-A-FILE", path=ch.path, kind=kind))
        return False
    return True


def _outside_case(path: str, src: GitCommit, report: Report) -> None:
    """A case-shaped YAML file anywhere but a case path (read only when its bytes could be one)."""
    if not path.endswith((".yaml", ".yml")):
        return
    data = src.read(path)
    if data is None or not all(k.encode() in data for k in CASE_KEYS):
        return
    parsed = parse(path, data, fast=False)
    if parsed.ok and isinstance(parsed.value, dict) and all(k in parsed.value for k in CASE_KEYS):
        report.add(finding(path, 1, 1, "DIFF-CASE-OUTSIDE-RECORDS", path=path))


# ------------------------------------------------------------------------- one case


def _judge_case(ch: Change, old_src: GitCommit, new_src: GitCommit, ctx: Context, result: CheckResult) -> None:
    """A case file at a case path: an existing case gains events, or a new case opens."""
    report = result.report
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
    _judge_new_events(ch, new, len(old_history), ctx, result, new_src)


def _duplicate_case(path: str, src: GitCommit, result: CheckResult) -> list[Finding]:
    """Another file of the same case id at head (one tree listing per run, only for new cases)."""
    if result.listing is None:
        result.listing = {}
        for p in src.list(RECORDS):
            result.listing.setdefault(p.rsplit("/", 1)[-1], []).append(p)
    stem = path.rsplit("/", 1)[-1]
    others = [p for p in result.listing.get(stem, []) if p != path]
    return [finding(path, 1, 1, "DIFF-CASE-EXISTS", case=stem[:-5], other=o) for o in others]


def _judge_new_events(ch: Change, parsed: Parsed, first_new: int, ctx: Context, result: CheckResult,
                      new_src: GitCommit) -> None:
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
        if first_new == 0:
            limit = 1  # a new case opens with its opening event alone
        if len(new_steps) > limit:
            kept.append(issue(("history", first_new + limit), "DIFF-TOO-MANY-EVENTS", max=limit,
                              count=len(new_steps), case=header.case))
    if state.open and (first_new == 0 or not _open_before(new_steps)):  # a new case, one moved in, or
        kept += _second_open_case(ch.path, header, state, new_src, ctx)  # one re-opened (an appeal)
    transfers = [s for s in new_steps if _effect(s) == "transfer"]
    if ch.status == "R" and not transfers:
        kept.append(issue((), "DIFF-CASE-RENAMED", old=ch.old, new=ch.path))
    for step in new_steps:
        kept += _backdated(step, result)
    for step in transfers:
        kept += _transfer_target(step, ctx, result.settings, kept)
    result.report.extend(parsed.place(kept))
    loaded = parsed.positions()
    for step in new_steps:
        line = loaded.pos(("history", step.event.index)).line if loaded is not None else 1
        _require(ch.path, line, step, state, header, ctx, result)


def _open_before(new_steps: list[Step]) -> bool:
    """Whether the case was open before the change's first step: it had a stage, not an end."""
    if not new_steps:
        return True
    first = new_steps[0]
    return first.stage_before is not None and first.stage_before not in first.proc.proc.end_states


def _second_open_case(path: str, header: CaseHeader, state: State, src: GitCommit, ctx: Context) -> list[Issue]:
    """REC-SECOND-OPEN-CASE when the member already has an open case under any version of the
    procedure at head (judged by the base's rules), naming that case's file."""
    from hoso.membercases import other_open_cases  # only when a change opens a case

    others = other_open_cases(src, path, header.member, state.proc.proc.id, ctx)
    if not others:
        return []
    first = others[0]
    return [issue(("member",), "REC-SECOND-OPEN-CASE", member=header.member, first=first.rsplit("/", 1)[-1][:-5],
                  where=first, procedure=family_of(ctx.procedures, state.proc.proc.id))]


def _effect(step: Step) -> str | None:
    spec = step.proc.proc.events.get(step.event.name)
    return spec.effect if spec is not None else None


def _require(path: str, line: int, step: Step, state: State, header: CaseHeader, ctx: Context,
             result: CheckResult) -> None:
    """The approvals a new step needs: its approver body's (for a correction, that of the step it
    corrects), and for a transfer the receiving side's too."""
    spec = corrected_spec(step, state) or step.proc.proc.events.get(step.event.name)
    day = step.event.date
    if spec is None or day is None:
        return
    ap = spec.approver
    units = [step.unit]
    if spec.effect == "transfer":
        target = get(step.event.values, "to_unit")
        if isinstance(target, str) and target in ctx.org.units:
            units.append(target)
    recorder = get(step.event.values, "recorded_by")
    bodies: list[str] = []
    for unit in units:
        approving = resolve_body(step.proc.proc, ctx.org, ap.body, unit, day)
        if approving is None:
            result.report.add(finding(path, line, 1, "DIFF-NO-APPROVER", body=ap.body, event=step.event.name,
                                      unit=unit, date=day))
        elif approving not in bodies:
            bodies.append(approving)
            result.required.append(Required(path, line, header.case, step.event.name, tuple(ap.roles), approving,
                                            ap.count, day, header.member,
                                            recorder if isinstance(recorder, str) else None))


def _backdated(step: Step, result: CheckResult) -> list[Issue]:
    """An event dated long before the base commit: a warning, and past a second limit an error."""
    day, ref, s = step.event.date, result.reference, result.settings
    if day is None or ref is None:
        return []
    days = (ref - day).days
    severity = "error" if days > s.backdate_error_days else "warning" if days > s.backdate_warning_days else None
    if severity is None:
        return []
    return [issue(("history", step.event.index, "date"), "DIFF-BACKDATED", severity, event=step.event.name,
                  date=day, days=days, reference=ref, warn=s.backdate_warning_days, error=s.backdate_error_days)]


def _transfer_target(step: Step, ctx: Context, settings: RepoSettings, found: list[Issue]) -> list[Issue]:
    """The receiving unit is a successor of the sending one (or, when hoso.yaml allows it, any
    other unit of the same kind)."""
    where: Path = ("history", step.event.index, "to_unit")
    if any(i.path == where for i in found):
        return []  # already refused (unknown unit, other kind, dissolved): one finding is enough
    current = ctx.org.units.get(step.unit)
    target = ctx.org.units.get(str(get(step.event.values, "to_unit")))
    if current is None or target is None or target.id in current.successors:
        return []
    if settings.transfer_to_any_unit_of_kind and target.kind == current.kind and target.id != current.id:
        return []
    allowed = ", ".join(current.successors) or "—"
    detail = L(f"đơn vị nhận phải là đơn vị kế thừa ({allowed}); hoso.yaml: transfer_to_any_unit_of_kind",
               f"the receiving unit must be a successor ({allowed}); hoso.yaml: transfer_to_any_unit_of_kind")
    return [issue(where, "DIFF-TRANSFER-TARGET", unit=current.id, target=target.id, detail=detail)]


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
    if any(is_org_path(p) for p in protected):
        words += _changed_ids(old_ctx.org, new_repo.ctx.org)
    for path in new_src.grep(words, RECORDS):
        if path in judged or not is_case_path(path):
            continue
        data = new_src.read(path)
        before = set(check_record(path, data, old_ctx).findings)
        after = check_record(path, data, new_repo.ctx).findings
        result.report.extend([f for f in after if f not in before])
        result.report.files_checked += 1
