"""hoso due: deadlines coming and missed across every open case, by unit, oldest first."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from hoso.cases import cases_under, open_repo
from hoso.errors import UsageError
from hoso.messages import L
from hoso.options import settings
from hoso.repository import Repo
from hoso.stepinfo import running
from hoso.terminal import paint, table

NAME = "due"
FORMATS = False
HELP = {
    "vi": "các hạn sắp đến và đã quá trên mọi hồ sơ đang mở, theo đơn vị, hạn cũ nhất trước; "
          "ngày làm việc tính theo lịch Việt Nam (trừ thứ Bảy, Chủ nhật, ngày lễ)",
    "en": "deadlines coming and missed across all open cases, by unit, oldest first; working days counted "
          "on the Vietnamese calendar (weekends and public holidays excluded)",
}
EXAMPLE = "hoso due --today 2026-11-27 --within 30\n  hoso due --unit lao-cai/xa-son-a --format json"


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--within", type=int, default=30, metavar="DAYS",
                        help="hạn trong chừng này ngày tới (mặc định 30); hạn đã quá luôn được liệt kê" if vi else
                        "deadlines within this many days (default 30); missed ones are always listed")
    parser.add_argument("--unit", metavar="UNIT", help="chỉ đơn vị này và các đơn vị trực thuộc" if vi else
                        "only this unit and the units under it")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text",
                        help=("định dạng đầu ra (markdown: để đăng lên issue, như workflow hằng ngày)" if vi else
                              "output format (markdown: for posting to an issue, as the scheduled workflow does)"))


def in_unit(unit: str, wanted: str | None) -> bool:
    return wanted is None or unit == wanted or unit.startswith(wanted + "/")


def collect(repo: Repo, today: dt.date, within: int, unit: str | None, lang: str) -> list[dict[str, Any]]:
    """Units with their deadlines, each list oldest first, units by their oldest deadline."""
    horizon = today + dt.timedelta(days=within)
    groups: dict[str, list[dict[str, Any]]] = {}
    for case in cases_under(repo, unit):  # a unit's cases are read from its folder alone
        state, header = case.state, case.header
        if not state.open or not in_unit(state.unit, unit):
            continue
        for d in running(state, today, lang):
            if d["rule"] != "within" or dt.date.fromisoformat(d["due"]) > horizon:
                continue
            groups.setdefault(state.unit, []).append({"case": header.case, "path": case.path, "stage": state.stage, **d})
    out = []
    for uid, items in groups.items():
        items.sort(key=lambda x: (x["due"], x["case"], x["event"]))
        u = repo.ctx.org.units.get(uid)
        out.append({"unit": uid, "name": u.name if u else uid, "items": items})
    return sorted(out, key=lambda g: (g["items"][0]["due"], g["unit"]))


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    if args.within < 0:
        raise UsageError(L("--within phải ≥ 0", "--within must be ≥ 0"))
    repo = open_repo(s.root, s.today)
    if args.unit and args.unit not in repo.ctx.org.units:
        raise UsageError(L(f"không có đơn vị '{args.unit}'", f"no unit '{args.unit}'"))
    groups = collect(repo, s.today, args.within, args.unit, s.lang)
    items = [i for g in groups for i in g["items"]]
    doc = {"today": s.today.isoformat(), "within": args.within, "unit": args.unit,
           "overdue": sum(i["overdue"] for i in items), "coming": sum(not i["overdue"] for i in items), "units": groups}
    if s.format == "json":
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(markdown(doc, s.lang) if s.format == "markdown" else render(doc, s.lang))
    return 0


def _cells(i: dict[str, Any], vi: bool) -> list[str]:
    n = abs(i["working_days"])
    left = (f"quá hạn {n}" if vi else f"overdue {n}") if i["overdue"] else (f"còn {n}" if vi else f"{n} left")
    return [i["case"], i["event"], i["due"], left, f"{i['anchor']} {i['anchor_date']} + {i['span']}"]


def _heads(vi: bool) -> list[str]:
    return (["hồ sơ", "bước", "hạn", "ngày làm việc", "tính từ"] if vi else
            ["case", "step", "due", "working days", "counted from"])


def _title(doc: dict[str, Any], vi: bool) -> str:
    return ((f"Hạn công việc — hôm nay {doc['today']}, trong {doc['within']} ngày tới: "
             f"{doc['overdue']} quá hạn, {doc['coming']} sắp đến") if vi else
            (f"Deadlines — today {doc['today']}, next {doc['within']} days: "
             f"{doc['overdue']} overdue, {doc['coming']} coming"))


def markdown(doc: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    out = [f"### {_title(doc, vi)}"]
    for g in doc["units"]:
        out += ["", f"**{g['unit']}** — {g['name']}", "", "| " + " | ".join(_heads(vi)) + " |",
                "|" + " --- |" * len(_heads(vi))]
        out += ["| " + " | ".join(c.replace("|", "\\|") for c in _cells(i, vi)) + " |" for i in g["items"]]
    if not doc["units"]:
        out += ["", "Không có hạn nào." if vi else "No deadlines."]
    return "\n".join(out)


def render(doc: dict[str, Any], lang: str) -> str:
    vi = lang != "en"
    out = [paint(_title(doc, vi), "bold")]
    if not doc["units"]:
        out.append("Không có hạn nào." if vi else "No deadlines.")
    for g in doc["units"]:
        out += ["", paint(f"{g['unit']} — {g['name']}", "bold")]
        rows = [_cells(i, vi) for i in g["items"]]
        styles = ["red" if i["overdue"] else "yellow" for i in g["items"]]
        out.append(table(_heads(vi), rows, styles, indent="  "))
    return "\n".join(out)
