"""One open case per member per procedure: the versions of a procedure (linked by
``successor``) count as one procedure, so a case migrated to a newer version still counts."""

from __future__ import annotations

from hoso.cases import CaseFile, all_cases
from hoso.errors import HosoError
from hoso.messages import L
from hoso.recordmodel import Compiled
from hoso.repository import Repo


def versions_of(procedures: dict[str, Compiled], procedure: str) -> set[str]:
    """``procedure`` and every version linked to it by ``successor``, either way."""
    links: dict[str, set[str]] = {pid: set() for pid in procedures}
    for pid, compiled in procedures.items():
        nxt = compiled.proc.successor
        if nxt is not None and nxt in links:
            links[pid].add(nxt)
            links[nxt].add(pid)
    seen, todo = set(), [procedure]
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo.extend(links.get(pid, set()))
    return seen


def open_case_of(repo: Repo, member: str, procedure: str) -> CaseFile | None:
    """The member's open case under any version of ``procedure``, if there is one."""
    family = versions_of(repo.ctx.procedures, procedure)
    for case in all_cases(repo):
        if case.header.member == member and case.state.open and case.state.proc.proc.id in family:
            return case
    return None


def refuse_second_case(repo: Repo, member: str, procedure: str) -> None:
    """Raise, naming the first case, when the member already has an open case under ``procedure``."""
    first = open_case_of(repo, member, procedure)
    if first is not None:
        raise HosoError(L(f"đảng viên {member} đã có hồ sơ đang mở {first.header.case} ({first.path}); "
                          "mỗi đảng viên chỉ có một hồ sơ đang mở theo một quy trình",
                          f"member {member} already has an open case {first.header.case} ({first.path}); "
                          "a member has one open case per procedure"))
