"""hoso next CASE: the steps possible now, what each needs, who records and approves, deadlines.

A step the procedure allows at this stage but that cannot be recorded today is left out, and
the output says why: a move to a newer procedure when the case already follows the newest one,
and a step whose deadline is an error rule (a step recorded after it is refused) that has passed,
or has not yet come.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from hoso.cases import find_case, open_repo
from hoso.options import settings
from hoso.procedure import Procedure
from hoso.repository import Repo
from hoso.stepinfo import allowed_steps, deadline_text, running
from hoso.terminal import paint, table

NAME = "next"
FORMATS = False
HELP = {
    "vi": "các bước được phép lúc này của một hồ sơ: cần những gì, ai ghi, ai phê duyệt, các hạn đang chạy",
    "en": "the steps a case may take now: what each needs, who records and approves it, the deadlines running",
}
EXAMPLE = "hoso next SA-2026-001 --today 2026-11-27\n  hoso next SA-2026-001 --format json"


def add_format(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text",
                        help="định dạng đầu ra" if lang != "en" else "output format")


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    parser.add_argument("case", metavar="HỒ-SƠ" if lang != "en" else "CASE", help="mã hồ sơ" if lang != "en" else "case id")
    add_format(parser, lang)


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    repo = open_repo(s.root, s.today)
    case = find_case(repo, args.case)
    state, header = case.state, case.header
    proc = state.proc.proc
    possible, left_out = split_possible(repo, proc, allowed_steps(repo, case, s.today, s.lang), s.lang)
    doc: dict[str, Any] = {
        "case": header.case, "procedure": proc.id, "unit": state.unit, "today": s.today.isoformat(),
        "stage": state.stage, "stage_title": proc.stage_title(state.stage or "", s.lang), "ended": state.ended,
        "allowed": possible, "left_out": left_out,
        "deadlines": running(state, s.today, s.lang),
    }
    if s.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(render(doc, s.lang))
    return 0


def split_possible(repo: Repo, proc: Procedure, steps: list[dict[str, Any]],
                   lang: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The steps that can be recorded today, and the others with the reason they cannot."""
    newer = [c.proc.id for c in repo.ctx.procedures.values() if c.proc.effective_from > proc.effective_from]
    possible, left_out = [], []
    for step in steps:
        reason = why_not(proc, step, newer, lang)
        if reason is None:
            possible.append(step)
        else:
            left_out.append({"event": step["event"], "title": step["title"], "reason": reason})
    return possible, left_out


def why_not(proc: Procedure, step: dict[str, Any], newer: list[str], lang: str) -> str | None:
    vi = lang != "en"
    if proc.events[step["event"]].effect == "migrate" and not newer:
        return (f"hồ sơ đã theo quy trình mới nhất ({proc.id}); không có quy trình nào để chuyển sang" if vi else
                f"the case already follows the newest procedure ({proc.id}); there is none to move to")
    for d in step["deadlines"]:
        if d["severity"] != "error":
            continue
        if d["overdue"]:
            return (f"đã quá hạn {d['due']} ({d['span']} kể từ {d['anchor']} {d['anchor_date']}); ghi với ngày sau "
                    f"hạn là lỗi, chỉ ghi được nếu bước đã diễn ra trước hạn" if vi else
                    f"its deadline {d['due']} ({d['span']} after {d['anchor']} {d['anchor_date']}) has passed; a date "
                    f"after it is an error, so it can only be recorded if it happened in time")
        if d["rule"] == "not_before" and d["days"] > 0:
            return (f"chưa đến ngày {d['due']} ({d['span']} kể từ {d['anchor']} {d['anchor_date']})" if vi else
                    f"not before {d['due']} ({d['span']} after {d['anchor']} {d['anchor_date']})")
    return None


def render(doc: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    out = [paint(f"{doc['case']} — {doc['procedure']} — {doc['unit']}", "bold"),
           (f"Giai đoạn: {doc['stage']} ({doc['stage_title']})" if vi else f"Stage: {doc['stage']} ({doc['stage_title']})")
           + ((" — đã kết thúc" if vi else " — ended") if doc["ended"] else "")]
    if not doc["allowed"]:
        out.append("Không có bước nào ghi được lúc này." if vi else "No step can be recorded now.")
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
    if doc["left_out"]:
        out += ["", paint("Không liệt kê:" if vi else "Left out:", "bold")]
        out += [f"  {x['event']} — {x['title']}: {x['reason']}" for x in doc["left_out"]]
    return "\n".join(out)


def _format(f: dict[str, Any]) -> str:
    text = str(f["format"])
    return text if len(text) <= 60 else text[:57] + "…"
