"""The job summary of `hoso approvals`: for a reviewer where they work, in Markdown.

For each step in the change: the approvals it needs, the officers who may give them (with their
forge logins, by the base commit's roster, holding the role on the event's date and today, and
neither the recorder, the case's member nor the author), who has approved, and what is missing.
GitHub shows at most 10 error and 10 warning annotations per step: past that, the summary says so.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hoso.change import CheckResult, Required
from hoso.findings import Report
from hoso.org import Officer

ANNOTATIONS = 10  # per severity and step, on GitHub
HEAD = {
    "vi": ("Phê duyệt cần cho pull request", "Bước", "Cần", "Ai có thể phê duyệt", "Đã phê duyệt", "Còn thiếu",
           "Đủ phê duyệt.", "Còn thiếu phê duyệt.",
           "{n} phát hiện ({e} lỗi, {w} cảnh báo): forge chỉ hiện {k} mỗi loại trên dòng mã; xem đủ trong nhật ký của job."),
    "en": ("Approvals this pull request needs", "Step", "Needs", "Who may approve", "Approved by", "Missing",
           "All approvals given.", "Approvals missing.",
           "{n} findings ({e} errors, {w} warnings): the forge shows only {k} of each kind on the lines; "
           "the job's log has them all."),
}


def eligible(result: CheckResult, req: Required, author: str, today: dt.date) -> list[Officer]:
    """Officers who may give ``req`` now: the role on the event's date and today, none of the
    people the rules exclude."""
    org = result.ctx.org
    roles = list(req.roles)
    return sorted((o for o in org.officers.values()
                   if org.holds(o, roles, req.unit, req.date) and org.holds(o, roles, req.unit, today)
                   and o.id != req.recorded_by and (req.member is None or o.member != req.member)
                   and o.login.lower() != author.lower()), key=lambda o: o.id)


def markdown(result: CheckResult, rows: list[dict[str, Any]], report: Report, author: str, today: dt.date,
             lang: str) -> str:
    t = HEAD["en" if lang == "en" else "vi"]
    lines = [f"### {t[0]}", "", f"| {t[1]} | {t[2]} | {t[3]} | {t[4]} | {t[5]} |", "| --- | --- | --- | --- | --- |"]
    for req, row in zip(result.required, rows):
        step = f"{req.case} {req.event}" if req.case else f"`{req.file}`"
        who = ", ".join(f"{o.id} (@{o.login})" for o in eligible(result, req, author, today)) or "—"
        got = ", ".join(f"@{x}" for x in row.get("approved_by", [])) or "—"
        missing = max(0, req.count - len(row.get("approved_by", [])))
        lines.append(f"| {step} (`{req.file}:{req.line}`) | {req.count} × {' / '.join(req.roles)} @ "
                     f"{req.unit or '*'} | {who} | {got} | {missing} |")
    lines += ["", t[6] if report.errors == 0 else t[7]]
    if report.errors > ANNOTATIONS or report.warnings > ANNOTATIONS:
        lines += ["", t[8].format(n=report.errors + report.warnings, e=report.errors, w=report.warnings,
                                  k=ANNOTATIONS)]
    return "\n".join(lines) + "\n"
