"""Synthetic case files for the statistics, report and status-page tests.

``article_records`` writes a Văn Chấn with the article's figures: 2021, 6 members put on the
help list; 2022, 6 put on the list and 5 taken off after recognised progress; plus a case moved
to a Lào Cai unit after the 1 July 2025 reorganisation, a late notification and a case that is
missing a required document.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import yaml

from hoso.calendar import add_months

CELLS = {
    "van-chan/xa-a/chi-bo-thon-1": {"sec": "OF-001", "cu": "OF-002", "dv": "OF-004", "du": "OF-021"},
    "van-chan/xa-a/chi-bo-thon-2": {"sec": "OF-006", "cu": "OF-007", "dv": "OF-009", "du": "OF-022"},
    "van-chan/xa-b/chi-bo-thon-3": {"sec": "OF-011", "cu": "OF-012", "dv": "OF-014", "du": "OF-024"},
    "van-chan/xa-c/chi-bo-truong-hoc": {"sec": "OF-016", "cu": "OF-017", "dv": "OF-019", "du": "OF-027"},
}
SUCCESSORS = {
    "van-chan/xa-a/chi-bo-thon-1": "lao-cai/xa-son-a/chi-bo-thon-1",
    "van-chan/xa-a/chi-bo-thon-2": "lao-cai/xa-son-a/chi-bo-thon-1",
    "van-chan/xa-b/chi-bo-thon-3": "lao-cai/xa-son-a/chi-bo-thon-3",
    "van-chan/xa-c/chi-bo-truong-hoc": "lao-cai/xa-son-c/chi-bo-truong-hoc",
}
BALLOT = {"members_total": 15, "present": 14, "for": 12, "against": 2, "invalid": 0, "secret": True}


def d(day: dt.date) -> str:
    return day.isoformat()


def help_path(unit: str, start: dt.date, upto: str = "progress_recognised", *, notify_days: int = 7,
              document: bool = True) -> list[dict[str, Any]]:
    """The history of a case put on the list ``start`` + 16 days, up to and including ``upto``."""
    o = CELLS[unit]
    approved = start + dt.timedelta(days=16)
    period = approved + dt.timedelta(days=max(26, notify_days + 16))
    final = add_months(period, 12) + dt.timedelta(days=5)
    review: dict[str, Any] = {"event": "self_review", "date": d(approved + dt.timedelta(days=notify_days + 10)),
                              "recorded_by": o["cu"], "status": "submitted", "commitment": True}
    if document:
        review["document"] = "BTKD-01"
    steps: list[dict[str, Any]] = [
        {"event": "flagged", "date": d(start), "recorded_by": o["cu"], "grounds": ["khong-hoan-thanh-2-nam"],
         "consultations": [{"body": "mat-tran-thon", "date": d(start - dt.timedelta(days=5)), "ref": "BB-01"}]},
        {"event": "list_voted", "date": d(start + dt.timedelta(days=8)), "recorded_by": o["sec"],
         "resolution": "NQ-02", "ballot": dict(BALLOT), "result": "passed"},
        {"event": "list_approved", "date": d(approved), "recorded_by": o["du"], "decision": "QD-15"},
        {"event": "notified", "date": d(approved + dt.timedelta(days=notify_days)), "recorded_by": o["cu"],
         "spoken_by": o["sec"]},
        review,
        {"event": "help_assigned", "date": d(period), "recorded_by": o["sec"], "resolution": "NQ-05",
         "helper": o["dv"], "period_start": d(period)},
        {"event": "final_review", "date": d(final), "recorded_by": o["sec"], "self_review": "BTKD-02",
         "helper_assessment": "NX-01", "resolution": "NQ-11",
         "ballot": {**BALLOT, "for": 2, "against": 12}, "outcome": "progress"},
        {"event": "progress_recognised", "date": d(final + dt.timedelta(days=11)), "recorded_by": o["du"],
         "decision": "QD-40"},
    ]
    names = [s["event"] for s in steps]
    return steps[: names.index(upto) + 1]


def write_case(root: Path, case: str, unit: str, member: str, history: list[dict[str, Any]],
               procedure: str = "hd02-2021", now_at: str | None = None) -> Path:
    """A case opened in ``unit``, filed under ``now_at`` (its unit after any transfer)."""
    path = root / "records" / (now_at or unit) / f"{case}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"case": case, "procedure": procedure, "unit": unit, "member": member, "member_status": "full",
            "history": history}
    path.write_text("# DỮ LIỆU MÔ PHỎNG — synthetic test record\n" + yaml.safe_dump(data, allow_unicode=True,
                                                                                     sort_keys=False))
    return path


def article_records(root: Path) -> None:
    """Write the article's Văn Chấn figures into ``root`` (a copy of the demo without records)."""
    units = list(CELLS)
    n = 0

    def case(unit: str, history: list[dict[str, Any]], final_unit: str | None = None) -> None:
        nonlocal n
        n += 1
        write_case(root, f"VC-T-{n:03d}", unit, f"DV-{n:04d}", history, now_at=final_unit)

    def moved(unit: str, history: list[dict[str, Any]]) -> None:
        """Carried to the successor cell the day before the 1 July 2025 reorganisation."""
        to = SUCCESSORS[unit]
        history.append({"event": "transferred", "date": "2025-06-30", "recorded_by": CELLS[unit]["du"],
                        "to_unit": to, "order": "QD-TR-01"})
        case(unit, history, final_unit=to)

    # 2021: six put on the list; five recognised in 2022, one still under help (moved in 2025).
    for i in range(6):
        unit = units[i % len(units)]
        history = help_path(unit, dt.date(2021, 5, 3) + dt.timedelta(days=7 * i),
                            "progress_recognised" if i < 5 else "help_assigned",
                            notify_days=25 if i == 0 else 7, document=i != 1)
        if i < 5:
            case(unit, history)
        else:
            moved(unit, history)
    # 2022: six put on the list, all recognised in 2023.
    for i in range(6):
        unit = units[(i + 1) % len(units)]
        case(unit, help_path(unit, dt.date(2022, 3, 7) + dt.timedelta(days=7 * i)))
    # 2025: one listed in Văn Chấn, moved to a Lào Cai cell by the reorganisation.
    moved(units[1], help_path(units[1], dt.date(2025, 3, 3), "help_assigned"))


HIDDEN = "—"


def html_tables(text: str) -> list[tuple[str, list[str], dict[str, list[str]]]]:
    """The status tables of a page (Markdown with raw HTML, or the built HTML): caption, column
    headers (the corner first) and rows by their row header; a hidden cell reads '—'."""
    out = []
    for caption, head, body in re.findall(r"<table>\s*<caption>(.*?)</caption>\s*<thead>(.*?)</thead>\s*"
                                          r"<tbody>(.*?)</tbody>\s*</table>", text, re.S):
        cols = [_text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
        rows: dict[str, list[str]] = {}
        for row_head, cells in re.findall(r'<tr>\s*<th scope="row">(.*?)</th>(.*?)</tr>', body, re.S):
            rows[_text(row_head)] = [HIDDEN if "<abbr" in c else _text(c)
                                     for c in re.findall(r"<td>(.*?)</td>", cells, re.S)]
        out.append((_text(caption), cols, rows))
    return out


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()
