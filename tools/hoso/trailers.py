"""Approvals kept in Git: trailers on the merge commit, and their verification from Git alone.

``hoso merge`` writes one trailer per counted approval on the merge commit of a pull request::

    Hoso-Approved-By: OF-003 chi_uy@lao-cai/xa-son-a/chi-bo-thon-1 review=123 commit=<head sha>

``verify`` walks the first-parent history of the protected branch and judges each commit as a
pull request: the base is its first parent (whose procedures and roster judge it, as in CI),
the change is what it brings. Every approval the change needs must be matched by trailers on
that commit naming officers who, by the first parent's roster, may give it. A direct push, an
admin merge, a squash or a force-pushed rewrite carries no such trailers and is reported.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import git

from hoso.change import Required, check_change
from hoso.org import Org

TRAILER = "Hoso-Approved-By"
_LINE = re.compile(rf"^{TRAILER}:\s*(?P<officer>[A-Z]{{1,6}}-[0-9]{{1,8}})\s+(?P<role>[a-z0-9_-]+)@(?P<unit>\S+)"
                   r"(?:\s+review=(?P<review>\S+))?(?:\s+commit=(?P<commit>[0-9a-f]{7,40}))?\s*$", re.M)


@dataclass(frozen=True)
class Approval:
    officer: str
    role: str
    unit: str  # "*" for a role held at any unit (maintainers)
    review: str = ""
    commit: str = ""

    def trailer(self) -> str:
        return f"{TRAILER}: {self.officer} {self.role}@{self.unit} review={self.review or '-'} commit={self.commit}"


def parse(message: str) -> list[Approval]:
    return [Approval(m["officer"], m["role"], m["unit"], m["review"] or "", m["commit"] or "")
            for m in _LINE.finditer(message)]


def message(title: str, body: str, approvals: list[Approval]) -> str:
    """The merge commit's message: title, body, then the trailers in one final paragraph."""
    lines = [title, ""] + ([body.strip(), ""] if body.strip() else [])
    return "\n".join(lines + [a.trailer() for a in approvals]) + "\n"


def matches(a: Approval, req: Required, org: Org) -> bool:
    """Whether trailer ``a`` gives ``req``: the role and unit it needs, held on the event's date by
    an officer who is neither the case's member nor its recorder (the base commit's roster)."""
    officer = org.officers.get(a.officer)
    if officer is None or a.role not in req.roles or a.unit != (req.unit or "*"):
        return False
    if req.member is not None and officer.member == req.member:
        return False
    if req.recorded_by is not None and officer.id == req.recorded_by:
        return False
    return org.holds(officer, [a.role], req.unit, req.date)


@dataclass(frozen=True)
class Unapproved:
    """A change that reached the branch without the approvals it needs."""

    commit: str
    subject: str
    file: str
    line: int
    case: str | None
    event: str | None
    roles: tuple[str, ...]
    unit: str | None
    have: int
    count: int


def _subject(repo: git.Repo, sha: str) -> str:
    return str(repo.git.log("-1", "--format=%s", sha))


def verify(repo: git.Repo, head: str, since: str | None, today: dt.date) -> list[Unapproved]:
    """Every change on the first-parent history of ``head`` (after ``since``) that lacks trailers
    for the approvals it needs."""
    span = f"{since}..{head}" if since else head
    commits = str(repo.git.rev_list("--first-parent", "--reverse", span)).split()
    out: list[Unapproved] = []
    for sha in commits:
        parents = str(repo.git.rev_list("--parents", "-n", "1", sha)).split()[1:]
        if not parents:
            continue  # the root commit has no base to judge it by: start verifying after it
        result = check_change(repo, parents[0], sha, today)
        given = parse(str(repo.git.log("-1", "--format=%B", sha)))
        for req in result.required:
            have = len({a.officer for a in given if matches(a, req, result.ctx.org)})
            if have < req.count:
                out.append(Unapproved(sha, _subject(repo, sha), req.file, req.line, req.case, req.event, req.roles,
                                      req.unit, have, req.count))
    return out


def counted(result_required: list[Required], rows: list[dict[str, object]], reviews: dict[str, str],
            org: Org, head: str) -> list[Approval]:
    """The trailers for the approvals ``hoso approvals`` counted: one per requirement and approver.

    ``rows`` are the decision's rows (``approved_by`` logins, in requirement order), ``reviews``
    each approver's counted review id by lower-case login."""
    out: list[Approval] = []
    for req, row in zip(result_required, rows):
        logins = row.get("approved_by")
        for login in logins if isinstance(logins, list) else []:
            officer = org.by_login.get(str(login).lower())
            if officer is None:
                continue
            role = next(r for r in req.roles if org.holds(officer, [r], req.unit, req.date))
            approval = Approval(officer.id, role, req.unit or "*", reviews.get(str(login).lower(), ""), head)
            if approval not in out:
                out.append(approval)
    return out
