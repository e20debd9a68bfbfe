"""One open case per member per procedure, across files (rule REC-SECOND-OPEN-CASE).

``hoso validate`` keeps one *case key* per record file (in its result cache, too): the case id,
and for an open case the member, the procedure family (its versions linked by ``successor``
count as one) and the opening date. This module only reads those keys, so a run that the cache
answers judges the rule without loading the checker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hoso.findings import Finding, finding

if TYPE_CHECKING:
    from hoso.checks import CaseResult
    from hoso.recordmodel import Compiled

SEP = "\t"


def case_key(case: str, member: str | None = None, family: str | None = None, opened: str | None = None) -> str:
    """The case id, plus who and what for an open case."""
    if member is None or family is None:
        return case
    return SEP.join((case, member, family, opened or ""))


def case_id(key: str | None) -> str | None:
    return key.split(SEP, 1)[0] if key is not None else None


def second_open_cases(keys: list[tuple[str, str | None]]) -> list[Finding]:
    """REC-SECOND-OPEN-CASE at every open case of a member after the first (by opening date, then
    path) under one procedure family, naming the first case and its file."""
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for path, key in keys:
        parts = key.split(SEP) if key is not None else []
        if len(parts) == 4:
            case, member, family, opened = parts
            groups.setdefault((member, family), []).append((opened, path, case))
    out: list[Finding] = []
    for (member, family), cases in sorted(groups.items()):
        first_opened, first_path, first_case = min(cases)
        for _opened, path, _case in sorted(cases):
            if path != first_path:
                out.append(finding(path, 1, 1, "REC-SECOND-OPEN-CASE", member=member, first=first_case,
                                   where=first_path, procedure=family))
    return out


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


def family_of(procedures: dict[str, Compiled], procedure: str) -> str:
    """One name for every version of ``procedure``: all of them, in sort order."""
    return ", ".join(sorted(versions_of(procedures, procedure)))


def record_key(result: CaseResult | None, procedures: dict[str, Compiled]) -> str | None:
    """The case key :mod:`hoso.opencases` judges: the case id, and for an open case its member,
    procedure family and opening date."""
    header = result.header if result is not None else None
    if header is None:
        return None
    state = result.state if result is not None else None
    if state is None or not state.open:
        return case_key(header.case)
    opened = state.steps[0].event.date if state.steps else None
    return case_key(header.case, header.member, family_of(procedures, state.proc.proc.id),
                    opened.isoformat() if opened is not None else None)
