"""One open case per member per procedure: the versions of a procedure (linked by
``successor``) count as one procedure, so a case migrated to a newer version still counts.
``hoso new`` refuses a second one; ``hoso validate`` and ``hoso check`` report it
(REC-SECOND-OPEN-CASE, see :mod:`hoso.opencases`)."""

from __future__ import annotations

from hoso.cases import CaseFile, all_cases
from hoso.checks import Context
from hoso.errors import HosoError
from hoso.gitsource import GitCommit
from hoso.messages import L
from hoso.opencases import versions_of
from hoso.repository import RECORDS, Repo, check_record


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


def other_open_cases(src: GitCommit, path: str, member: str, procedure: str, ctx: Context) -> list[str]:
    """Case files at ``src``, other than ``path``, where ``member`` has an open case under any
    version of ``procedure`` (judged by the rules in ``ctx``)."""
    family = versions_of(ctx.procedures, procedure)
    out: list[str] = []
    for other in src.grep([member], RECORDS):
        if other == path or not other.endswith(".yaml"):
            continue
        result = check_record(other, src.read(other), ctx).result
        header = result.header if result is not None else None
        state = result.state if result is not None else None
        if header is not None and state is not None and header.member == member and state.open \
                and state.proc.proc.id in family:
            out.append(other)
    return sorted(out)
