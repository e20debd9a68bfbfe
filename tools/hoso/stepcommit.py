"""Putting a validated step on disk (and on a branch), then telling the officer what comes next."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hoso import gitbranch
from hoso.cases import candidates
from hoso.errors import HosoError
from hoso.messages import L
from hoso.procedure import Procedure, RoleSpec
from hoso.repository import Repo
from hoso.writer import write_atomic
from hoso.yamlload import YamlError, load_strict


@dataclass
class Step:
    root: Path
    repo: Repo
    proc: Procedure
    case: str
    event: str
    entry: dict[str, Any]
    unit: str  # the unit whose bodies record and approve this step
    member: str
    old_path: str | None
    new_path: str
    text: str


def role_text(proc: Procedure, spec: RoleSpec, lang: str) -> str:
    roles = " / ".join(proc.roles[r].title.get(lang) if r in proc.roles else r for r in spec.roles)
    body = proc.bodies[spec.body].title.get(lang) if spec.body in proc.bodies else spec.body
    return f"{roles} — {body}"


def approver_spec(step: Step) -> RoleSpec:
    """Who approves the step: its own approver, or for a correction the approver of the step it
    corrects (as ``hoso check`` requires)."""
    ev = step.proc.events[step.event]
    target = step.entry.get("corrects")
    if ev.effect != "correct" or not isinstance(target, int):
        return ev.approver
    try:
        history = load_strict(step.text).value.get("history")
        corrected = history[target].get("event")
    except (YamlError, AttributeError, IndexError, TypeError):
        return ev.approver
    spec = step.proc.events.get(corrected) if isinstance(corrected, str) else None
    return spec.approver if spec is not None else ev.approver


def approvers(step: Step, day: dt.date) -> tuple[str | None, list[str]]:
    spec = approver_spec(step)
    at, people = candidates(step.repo, step.proc, spec, step.unit, day, step.member)
    recorder = step.entry.get("recorded_by")
    return at, [f"{o.id} (@{o.login})" for o in people if o.id != recorder]


def check_target(step: Step) -> None:
    if step.new_path != step.old_path and (step.root / step.new_path).exists():
        raise HosoError(L(f"đã có tệp {step.new_path}", f"{step.new_path} already exists"))


def commit_message(step: Step) -> str:
    ev = step.proc.events[step.event]
    lines = [f"{step.case}: {step.event} — {ev.title.vi}", ""]
    for key in ("date", "recorded_by"):
        if key in step.entry:
            lines.append(f"{key}: {step.entry[key]}")
    lines.append(f"approver: {role_text(step.proc, approver_spec(step), 'vi')}")
    lines.append("")
    lines.append("Ghi bằng `hoso record` / recorded with `hoso record`.")
    return "\n".join(lines) + "\n"


def write(step: Step, branch: bool) -> tuple[str | None, str | None]:
    """Write the file (moving it when the step changed the case's unit); commit on a new branch."""
    paths = [p for p in dict.fromkeys([step.old_path, step.new_path]) if p]
    pending = gitbranch.prepare(step.root, gitbranch.branch_name(step.case, step.event), paths) if branch else None
    check_target(step)
    if pending is not None:
        gitbranch.start(pending)
    write_atomic(step.root / step.new_path, step.text)
    if step.old_path and step.old_path != step.new_path:
        (step.root / step.old_path).unlink()
    if pending is None:
        return None, None
    return pending.branch, gitbranch.commit(pending, step.root, paths, commit_message(step))


def report(step: Step, branch: str | None, sha: str | None, lang: str) -> str:
    vi = lang != "en"
    ev = step.proc.events[step.event]
    out = [(f"Đã ghi bước '{step.event}' ({ev.title.vi}) vào {step.new_path}" if vi else
            f"Recorded '{step.event}' ({ev.title.en}) in {step.new_path}")]
    if step.old_path and step.old_path != step.new_path:
        out.append(f"  ({'chuyển từ' if vi else 'moved from'} {step.old_path})")
    day = _day(step.entry.get("date"))
    at, people = approvers(step, day) if day else (None, [])
    who = role_text(step.proc, approver_spec(step), lang) + (f" ({at})" if at else "")
    if branch is None:
        out.append(("Tiếp theo: tạo nhánh, commit và mở pull request (hoặc chạy lại với --branch)." if vi else
                    "Next: create a branch, commit and open a pull request (or run again with --branch)."))
    else:
        out += [(f"Nhánh {branch}, commit {sha}." if vi else f"Branch {branch}, commit {sha}."),
                ("Tiếp theo:" if vi else "Next:"),
                f"  1. git push -u origin {branch}",
                ("  2. mở pull request vào main (trên GitHub, hoặc: gh pr create --fill)" if vi else
                 "  2. open a pull request into main (on GitHub, or: gh pr create --fill)")]
    out.append((f"Người phê duyệt: {who}" if vi else f"Approved by: {who}"))
    if people:
        out.append("  " + ", ".join(people))
    return "\n".join(out)


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
