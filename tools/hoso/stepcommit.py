"""Putting a validated step on disk (and on a branch), then telling the officer what comes next."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
class Workspace:
    """Where a step is worked out: the officer's checkout, or (``--branch``) a scratch tree at the default branch."""

    root: Path
    pending: gitbranch.Pending | None = None
    notes: list[str] = field(default_factory=list)  # said after the report (back on the default branch)


@contextmanager
def workspace(root: Path, branch: bool, lang: str) -> Iterator[Workspace]:
    if not branch:
        yield Workspace(root)
        return
    vi = lang != "en"
    base = gitbranch.find_base(root, lang)
    if base.current != base.default:
        where = f"nhánh '{base.current}'" if base.current else "một commit rời (detached HEAD)"
        where_en = f"branch '{base.current}'" if base.current else "a detached commit"
        print(f"hoso: chú ý: bạn đang ở {where}, không phải '{base.default}'; bước mới được ghi từ {base.start}, "
              f"không kèm thay đổi của {where}" if vi else
              f"hoso: note: you are on {where_en}, not '{base.default}'; the new step starts from {base.start}, "
              f"without the changes of {where_en}", file=sys.stderr)
    with gitbranch.scratch(base, root) as pending:
        ws = Workspace(pending.root, pending)
        yield ws
    problem = gitbranch.back_to_default(base)
    if base.current != base.default:
        ws.notes.append((f"Đã chuyển bạn về nhánh {base.default}." if vi else f"You are back on {base.default}.")
                        if problem is None else
                        (f"Không chuyển về được nhánh {base.default}: {problem}" if vi else
                         f"Could not switch back to {base.default}: {problem}"))


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


def write(step: Step, ws: Workspace) -> tuple[str | None, str | None]:
    """Write the file (moving it when the step changed the case's unit); with ``--branch``, commit on a new branch."""
    paths = [p for p in dict.fromkeys([step.old_path, step.new_path]) if p]
    check_target(step)
    write_atomic(step.root / step.new_path, step.text)
    if step.old_path and step.old_path != step.new_path:
        (step.root / step.old_path).unlink()
    if ws.pending is None:
        return None, None
    branch = gitbranch.free_name(ws.pending.base, gitbranch.branch_name(step.case, step.event))
    return branch, gitbranch.commit(ws.pending, branch, paths, commit_message(step))


def report(step: Step, branch: str | None, sha: str | None, lang: str, ws: Workspace | None = None) -> str:
    vi = lang != "en"
    ev = step.proc.events[step.event]
    out = [(f"Đã ghi bước '{step.event}' ({ev.title.vi}) vào {step.new_path}" if vi else
            f"Recorded '{step.event}' ({ev.title.en}) in {step.new_path}")]
    if step.old_path and step.old_path != step.new_path:
        out.append(f"  ({'chuyển từ' if vi else 'moved from'} {step.old_path})")
    day = _day(step.entry.get("date"))
    at, people = approvers(step, day) if day else (None, [])
    who = role_text(step.proc, approver_spec(step), lang) + (f" ({at})" if at else "")
    base = ws.pending.base if ws is not None and ws.pending is not None else None
    if branch is None:
        paths = " ".join(p for p in dict.fromkeys([step.old_path, step.new_path]) if p)
        name = gitbranch.branch_name(step.case, step.event)
        out += [("Tiếp theo: commit tệp vừa ghi trên một nhánh mới, rồi mở pull request:" if vi else
                 "Next: commit the file just written on a new branch, then open a pull request:"),
                f"  git switch -c {name}",
                f"  git add -A {paths}",
                f"  git commit -m \"{step.case}: {step.event}\"",
                f"  git push -u origin {name}"]
    else:
        default = base.default if base is not None else "main"
        start = base.start if base is not None else default
        out += [(f"Nhánh {branch} (từ {start}), commit {sha}." if vi else f"Branch {branch} (from {start}), commit {sha}."),
                ("Tiếp theo:" if vi else "Next:"),
                f"  1. git push -u origin {branch}",
                (f"  2. mở pull request vào {default} (trên forge, hoặc: gh pr create --fill --head {branch})" if vi else
                 f"  2. open a pull request into {default} (on the forge, or: gh pr create --fill --head {branch})"),
                ("  3. mời người phê duyệt dưới đây; xem ai còn thiếu: hoso approvals" if vi else
                 "  3. ask an approver below to review; see who is still missing: hoso approvals")]
    out.append((f"Người phê duyệt: {who}" if vi else f"Approved by: {who}"))
    if people:
        out.append("  " + ", ".join(people))
    return "\n".join(out)


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
