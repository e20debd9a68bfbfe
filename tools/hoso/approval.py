"""``hoso approvals``: do the forge's reviews satisfy the approvals a change needs?

Rules (the reviews come through the forge seam, :mod:`hoso.forge`, whichever forge gave them):

* per reviewer, only the latest APPROVED / CHANGES_REQUESTED / DISMISSED review counts; a later
  COMMENTED review does not revoke an approval;
* an approval counts only when it was given on the head commit;
* the pull request's author never approves their own change;
* a reviewer is an officer of the base commit's roster (by forge login), holding one of the
  required roles for the required unit on the event's date **and** on the day of the approval
  (a back-dated event cannot borrow a role that has ended);
* nobody approves a step of a case about themselves, nor an event they recorded;
* each requirement needs ``count`` distinct approvers (1 unless the procedure asks for more).

Who records is who opened the pull request: the author must be the officer named in each new
event's ``recorded_by`` (or hold the repository's ``clerk_role`` for the approving unit on the
event's date), and every commit of the pull request must be the author's, so nobody can record
a step in another officer's name or slip one into their pull request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hoso.change import CheckResult, Required
from hoso.forge.model import APPROVED, CHANGES_REQUESTED, DISMISSED, VERDICTS, Commit, Review
from hoso.findings import Finding, Report, finding
from hoso.messages import L
from hoso.org import Officer, Org


@dataclass
class Outcome:
    report: Report
    satisfied: bool
    rows: list[dict[str, Any]] = field(default_factory=list)


def latest_verdicts(reviews: list[Review]) -> dict[str, Review]:
    """Each reviewer's latest approve / request-changes / dismissed review (comments ignored)."""
    out: dict[str, Review] = {}
    for r in sorted(reviews, key=lambda r: (r.submitted, r.order)):
        if r.state in VERDICTS:
            out[r.login.lower()] = r
    return out


def _why_not(officer: Officer | None, req: Required, org: Org, day: dt.date) -> L | None:
    """Why this officer's approval, given on ``day``, does not meet ``req`` (None: it does)."""
    if officer is None:
        return L("không có trong danh sách cán bộ (org/officers.yaml)", "not in the roster (org/officers.yaml)")
    if req.member is not None and officer.member == req.member:
        return L(f"hồ sơ {req.case} là của chính người này", f"case {req.case} is about this person")
    if req.recorded_by is not None and officer.id == req.recorded_by:
        return L(f"người này ghi nhận bước '{req.event}'", f"this person recorded '{req.event}'")
    roles = list(req.roles)
    where = req.unit or "…"
    for when in (req.date, day):
        if not org.holds(officer, roles, req.unit, when):
            return L(f"không giữ vai trò {' / '.join(roles)} tại '{where}' ngày {when}"
                     + (" (ngày phê duyệt)" if when != req.date else ""),
                     f"does not hold {' / '.join(roles)} for '{where}' on {when}"
                     + (" (the day of the approval)" if when != req.date else ""))
    return None


def recorder_findings(result: CheckResult, author: str, clerk_role: str | None) -> list[Finding]:
    """Each new step must be recorded by the pull request's author (or a clerk of its body)."""
    org = result.ctx.org
    officer = org.by_login.get(author.lower())
    out: list[Finding] = []
    seen: set[tuple[str, int]] = set()
    for req in result.required:
        if req.case is None or req.recorded_by is None or (req.file, req.line) in seen:
            continue
        seen.add((req.file, req.line))
        if officer is None:
            out.append(finding(req.file, req.line, 1, "APPROVAL-AUTHOR-NOT-OFFICER", login=author, event=req.event))
        elif officer.id != req.recorded_by and not (
                clerk_role and req.unit and org.holds(officer, [clerk_role], req.unit, req.date)):
            out.append(finding(req.file, req.line, 1, "APPROVAL-RECORDER-NOT-AUTHOR", login=author,
                               officer=officer.id, recorder=req.recorded_by, event=req.event, case=req.case))
    return out


def commit_findings(result: CheckResult, commits: list[Commit], author: str, signed: bool) -> list[Finding]:
    """Every commit of the pull request must be attributed to its author, and, where the
    repository asks for it (``signed_commits``), carry a signature the forge verified."""
    where = result.required[0].file if result.required else ""
    out = [finding(where, 1, 1, "APPROVAL-FOREIGN-COMMIT", sha=c.sha[:12], login=c.login or "—", author=author)
           for c in commits if (c.login or "").lower() != author.lower()]
    if signed:
        out += [finding(where, 1, 1, "APPROVAL-UNSIGNED-COMMIT", sha=c.sha[:12]) for c in commits if not c.verified]
    return out


def decide(result: CheckResult, reviews: list[Review], author: str, *, clerk_role: str | None = None,
           commits: list[Commit] | None = None, signed: bool = False, today: dt.date | None = None) -> Outcome:
    """Whether ``reviews`` satisfy ``result.required`` for a pull request opened by ``author``.

    ``commits`` (from the forge) are checked for foreign authors when given; a review whose day
    the forge did not give is taken as given ``today``."""
    org = result.ctx.org
    logins = org.by_login
    report = Report()
    report.extend(recorder_findings(result, author, clerk_role))
    report.extend(commit_findings(result, commits or [], author, signed))
    notes: list[Finding] = []
    approvers: list[Review] = []
    where = result.required[0].file if result.required else ""
    approved_once = {r.login.lower() for r in reviews if r.state == APPROVED}
    for login, r in sorted(latest_verdicts(reviews).items()):
        if r.state in (CHANGES_REQUESTED, DISMISSED) and login in approved_once and result.required:
            notes.append(finding(where, 1, 1, "APPROVAL-NOT-COUNTED", "warning", login=r.login,
                                 reason=L("đã rút lại bằng yêu cầu sửa đổi" if r.state == CHANGES_REQUESTED
                                          else "phê duyệt đã bị bác (dismissed)",
                                          "withdrawn by a later request for changes" if r.state == CHANGES_REQUESTED
                                          else "the approval was dismissed")))
        if r.state != APPROVED or not result.required:
            continue
        if login == author.lower():
            notes.append(finding(where, 1, 1, "APPROVAL-NOT-COUNTED", "warning", login=r.login,
                                 reason=L("tác giả không tự phê duyệt thay đổi của mình",
                                          "the author cannot approve their own change")))
        elif r.commit != result.head:
            notes.append(finding(where, 1, 1, "APPROVAL-NOT-COUNTED", "warning", login=r.login,
                                 reason=L(f"phê duyệt commit cũ {str(r.commit)[:12]}, không phải {result.head[:12]}",
                                          f"approved the older commit {str(r.commit)[:12]}, not {result.head[:12]}")))
        else:
            approvers.append(r)
    rows: list[dict[str, Any]] = []
    for req in result.required:
        good: list[str] = []
        for r in approvers:
            officer = logins.get(r.login.lower())
            why = _why_not(officer, req, org, r.day() or today or req.date)
            if why is None:
                good.append(r.login)
            else:
                notes.append(finding(req.file, req.line, 1, "APPROVAL-NOT-COUNTED", "warning", login=r.login,
                                     reason=why))
        ok = len(set(good)) >= req.count
        rows.append({**req.as_dict(), "approved_by": sorted(set(good)), "satisfied": ok})
        if not ok:
            rule = "APPROVAL-MISSING" if req.case else "APPROVAL-MISSING-MAINTAINER"
            report.add(finding(req.file, req.line, 1, rule, case=req.case, event=req.event, path=req.file,
                               roles=" / ".join(req.roles), unit=req.unit or "—", date=req.date,
                               count=req.count, have=len(set(good))))
    report.extend(notes)
    report.files_checked = len({r.file for r in result.required})
    return Outcome(report, report.errors == 0, rows)
