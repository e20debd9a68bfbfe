"""``hoso approvals``: do the forge's reviews satisfy the approvals a change needs?

Rules (the reviews are GitHub's review objects, oldest first or not):

* per reviewer, only the latest APPROVED / CHANGES_REQUESTED / DISMISSED review counts; a later
  COMMENTED review does not revoke an approval;
* an approval counts only when it was given on the head commit;
* the pull request's author never approves their own change;
* a reviewer is an officer of the base commit's roster (by forge login), holding one of the
  required roles for the required unit on the event's date;
* nobody approves a step of a case about themselves, nor an event they recorded;
* each requirement needs ``count`` distinct approvers (1 unless the procedure asks for more).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hoso.change import CheckResult, Required
from hoso.findings import Finding, Report, finding
from hoso.messages import L
from hoso.org import Officer, Org

VERDICTS = ("APPROVED", "CHANGES_REQUESTED", "DISMISSED")


@dataclass(frozen=True)
class Review:
    login: str
    state: str
    commit: str | None
    submitted: str
    order: int

    @classmethod
    def from_api(cls, raw: Any, order: int) -> Review | None:
        if not isinstance(raw, dict):
            return None
        user = raw.get("user")
        login = user.get("login") if isinstance(user, dict) else None
        if not isinstance(login, str):
            return None
        commit = raw.get("commit_id")
        return cls(login, str(raw.get("state", "")).upper(), commit if isinstance(commit, str) else None,
                   str(raw.get("submitted_at") or ""), order)


@dataclass
class Outcome:
    report: Report
    satisfied: bool
    rows: list[dict[str, Any]] = field(default_factory=list)


def parse_reviews(data: Any) -> list[Review]:
    items = data if isinstance(data, list) else []
    out = [Review.from_api(r, i) for i, r in enumerate(items)]
    return [r for r in out if r is not None]


def latest_verdicts(reviews: list[Review]) -> dict[str, Review]:
    """Each reviewer's latest approve / request-changes / dismissed review (comments ignored)."""
    out: dict[str, Review] = {}
    for r in sorted(reviews, key=lambda r: (r.submitted, r.order)):
        if r.state in VERDICTS:
            out[r.login.lower()] = r
    return out


def _why_not(officer: Officer | None, req: Required, org: Org) -> L | None:
    """Why this officer's approval does not meet ``req`` (None: it does)."""
    if officer is None:
        return L("không có trong danh sách cán bộ (org/officers.yaml)", "not in the roster (org/officers.yaml)")
    if req.member is not None and officer.member == req.member:
        return L(f"hồ sơ {req.case} là của chính người này", f"case {req.case} is about this person")
    if req.recorded_by is not None and officer.id == req.recorded_by:
        return L(f"người này ghi nhận bước '{req.event}'", f"this person recorded '{req.event}'")
    roles = list(req.roles)
    if org.holds(officer, roles, req.unit, req.date):
        return None
    where = req.unit or "…"
    return L(f"không giữ vai trò {' / '.join(roles)} tại '{where}' ngày {req.date}",
             f"does not hold {' / '.join(roles)} for '{where}' on {req.date}")


def decide(result: CheckResult, reviews: list[Review], author: str) -> Outcome:
    org = result.ctx.org
    logins = org.by_login
    report = Report()
    notes: list[Finding] = []
    approvers: list[Review] = []
    where = result.required[0].file if result.required else ""
    for login, r in sorted(latest_verdicts(reviews).items()):
        if r.state != "APPROVED" or not result.required:
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
            why = _why_not(officer, req, org)
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
