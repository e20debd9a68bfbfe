"""hoso status [CASE | --unit UNIT]: one case's stage and history, or a unit's open cases."""

from __future__ import annotations

import argparse
import json
from typing import Any

from hoso.cases import CaseFile, cases_under, find_case, open_repo
from hoso.commands.due import in_unit
from hoso.commands.next import add_format
from hoso.errors import UsageError
from hoso.messages import L
from hoso.options import settings
from hoso.stepinfo import deadline_text, running
from hoso.terminal import paint, table

NAME = "status"
FORMATS = False
HELP = {
    "vi": "giai đoạn và lịch sử của một hồ sơ; hoặc các hồ sơ đang mở của một đơn vị (mặc định: mọi đơn vị)",
    "en": "one case's stage and history; or the open cases of a unit (default: every unit)",
}
EXAMPLE = "hoso status VC-2021-001\n  hoso status --unit lao-cai/xa-son-a --today 2026-11-27"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("case", nargs="?", metavar="CASE", help="mã hồ sơ" if vi else "case id")
    parser.add_argument("--unit", metavar="UNIT", help="đơn vị (và các đơn vị trực thuộc)" if vi else
                        "a unit (and the units under it)")
    add_format(parser, lang)


def case_doc(case: CaseFile, today: Any, lang: str) -> dict[str, Any]:
    state, header = case.state, case.header
    proc = state.proc.proc
    history = []
    for step in state.steps:
        ev = step.event
        spec = step.proc.proc.events.get(ev.name)
        recorder = ev.values.get("recorded_by") if isinstance(ev.values, dict) else getattr(ev.values, "recorded_by", None)
        history.append({"date": ev.date.isoformat() if ev.date else None, "event": ev.name,
                        "title": spec.title.get(lang) if spec else ev.name, "recorded_by": recorder})
    return {"case": header.case, "path": case.path, "procedure": proc.id, "unit": state.unit,
            "member": header.member, "member_status": header.member_status, "stage": state.stage,
            "stage_title": proc.stage_title(state.stage or "", lang), "open": state.open, "allowed": state.allowed(),
            "deadlines": running(state, today, lang), "history": history,
            "errors": sum(1 for i in case.result.issues if i.severity == "error")}


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    if args.case and args.unit:
        raise UsageError(L("chọn CASE hoặc --unit, không cả hai", "give CASE or --unit, not both"))
    repo = open_repo(s.root, s.today)
    if args.case:
        doc = case_doc(find_case(repo, args.case), s.today, s.lang)
        print(json.dumps(doc, ensure_ascii=False, indent=2) if s.format == "json" else render_case(doc, s.lang))
        return 0
    if args.unit and args.unit not in repo.ctx.org.units:
        raise UsageError(L(f"không có đơn vị '{args.unit}'", f"no unit '{args.unit}'"))
    cases = [case_doc(c, s.today, s.lang) for c in cases_under(repo, args.unit)]  # its folder alone
    open_cases = sorted((c for c in cases if c["open"] and in_unit(c["unit"], args.unit)),
                        key=lambda c: (c["unit"], c["case"]))
    doc2 = {"today": s.today.isoformat(), "unit": args.unit, "cases": open_cases}
    print(json.dumps(doc2, ensure_ascii=False, indent=2) if s.format == "json" else render_unit(doc2, s.lang))
    return 0


def render_case(doc: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    state = ("đang mở" if vi else "open") if doc["open"] else ("đã kết thúc" if vi else "ended")
    out = [paint(f"{doc['case']} — {doc['procedure']} — {doc['unit']}", "bold"),
           f"{'Đảng viên' if vi else 'Member'}: {doc['member']} ({doc['member_status']})",
           f"{'Giai đoạn' if vi else 'Stage'}: {doc['stage']} ({doc['stage_title']}) — {state}", ""]
    rows = [[str(i + 1), h["date"] or "?", h["event"], h["title"], h["recorded_by"] or ""] for i, h in enumerate(doc["history"])]
    heads = ["#", "ngày", "bước", "nội dung", "người ghi"] if vi else ["#", "date", "step", "what", "recorded by"]
    out.append(table(heads, rows))
    if doc["open"]:
        out += ["", f"{'Bước tiếp theo được phép' if vi else 'Allowed next'}: {', '.join(doc['allowed']) or '—'}"]
        for d in doc["deadlines"]:
            out.append(paint(f"  {d['event']}: {deadline_text(d, lang)}", "red" if d["overdue"] else ""))
    if doc["errors"]:
        out.append(paint((f"Hồ sơ có {doc['errors']} lỗi: chạy 'hoso validate'" if vi else
                          f"The case has {doc['errors']} errors: run 'hoso validate'"), "red"))
    return "\n".join(out)


def render_unit(doc: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    title = doc["unit"] or ("mọi đơn vị" if vi else "all units")
    out = [paint((f"Hồ sơ đang mở — {title}: {len(doc['cases'])}" if vi else f"Open cases — {title}: {len(doc['cases'])}"), "bold")]
    rows, styles = [], []
    for c in doc["cases"]:
        last = c["history"][-1]["date"] if c["history"] else ""
        within = [d for d in c["deadlines"] if d["rule"] == "within"]
        nxt = f"{within[0]['event']} {within[0]['due']}" if within else ""
        rows.append([c["case"], c["unit"], c["stage"] or "", last or "", nxt])
        styles.append("red" if any(d["overdue"] for d in within) else "")
    heads = (["hồ sơ", "đơn vị", "giai đoạn", "bước cuối", "hạn gần nhất"] if vi else
             ["case", "unit", "stage", "last step", "next deadline"])
    if rows:
        out.append(table(heads, rows, styles))
    return "\n".join(out)
