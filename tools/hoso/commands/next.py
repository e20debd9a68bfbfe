"""hoso next CASE: the steps allowed now, what each needs, who records and approves, deadlines."""

from __future__ import annotations

import argparse
import json
from typing import Any

from hoso.cases import find_case, open_repo
from hoso.options import settings
from hoso.stepinfo import allowed_steps, deadline_text, running
from hoso.terminal import paint, table

NAME = "next"
FORMATS = False
HELP = {
    "vi": "các bước được phép lúc này của một hồ sơ: cần những gì, ai ghi, ai phê duyệt, các hạn đang chạy",
    "en": "the steps a case may take now: what each needs, who records and approves it, the deadlines running",
}
EXAMPLE = "hoso next VC-2021-001 --today 2021-06-01\n  hoso next VC-2021-001 --format json"


def add_format(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="định dạng đầu ra" if lang != "en" else "output format")


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("case", metavar="CASE", help="mã hồ sơ" if lang != "en" else "case id")
    add_format(parser, lang)


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    repo = open_repo(s.root, s.today)
    case = find_case(repo, args.case)
    state, header = case.state, case.header
    proc = state.proc.proc
    doc: dict[str, Any] = {
        "case": header.case, "procedure": proc.id, "unit": state.unit, "today": s.today.isoformat(),
        "stage": state.stage, "stage_title": proc.stage_title(state.stage or "", s.lang), "ended": state.ended,
        "allowed": allowed_steps(repo, case, s.today, s.lang),
        "deadlines": running(state, s.today, s.lang),
    }
    if s.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(render(doc, s.lang))
    return 0


def render(doc: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    out = [paint(f"{doc['case']} — {doc['procedure']} — {doc['unit']}", "bold"),
           (f"Giai đoạn: {doc['stage']} ({doc['stage_title']})" if vi else f"Stage: {doc['stage']} ({doc['stage_title']})")
           + ((" — đã kết thúc" if vi else " — ended") if doc["ended"] else "")]
    if not doc["allowed"]:
        out.append("Không còn bước nào được phép." if vi else "No step is allowed.")
    for step in doc["allowed"]:
        out += ["", paint(f"{step['event']} — {step['title']}", "bold")]
        for key, label in (("recorder", "Người ghi" if vi else "Recorded by"),
                           ("approver", "Người phê duyệt" if vi else "Approved by")):
            w = step[key]
            people = ", ".join(w["officers"]) or "—"
            out.append(f"  {label}: {' / '.join(w['role_titles'])} — {w['body_title']} ({w['unit'] or '?'}): {people}")
        for d in step["deadlines"]:
            text = deadline_text(d, lang)
            out.append(paint(f"  {text[:1].upper()}{text[1:]}", "red" if d["overdue"] else "yellow"))
        rows = [[f["name"], f["title"], _format(f), f["required_text"]] for f in step["fields"]]
        heads = ["trường", "nội dung", "định dạng", "bắt buộc"] if vi else ["field", "meaning", "format", "required"]
        out.append(table(heads, rows, indent="  "))
    return "\n".join(out)


def _format(f: dict[str, Any]) -> str:
    text = str(f["format"])
    return text if len(text) <= 60 else text[:57] + "…"
