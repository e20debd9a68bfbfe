"""hoso new: open a case with the next free id, the procedure in force and its opening step."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from hoso import stepcommit
from hoso.cases import next_case_id, open_repo
from hoso.errors import HosoError, UsageError
from hoso.fieldvalues import convert, parse_assignment
from hoso.membercases import refuse_second_case
from hoso.messages import L
from hoso.options import settings
from hoso.procedure import FieldSpec, Procedure
from hoso.prompting import Prompter
from hoso.recording import DATE, Draft, StepContext, add_value_options, gather, read_from, settle
from hoso.repository import RECORDS, Repo
from hoso.suggest import did_you_mean
from hoso.writer import render_case

NAME = "new"
FORMATS = False
HELP = {
    "vi": "mở hồ sơ mới: mã kế tiếp của đơn vị trong năm, quy trình có hiệu lực vào ngày mở, "
          "và bước mở hồ sơ (hỏi những gì bước đó cần, hoặc nhận --set/--from)",
    "en": "open a case: the unit's next free id for the year, the procedure in force on the opening date, "
          "and the opening step (asks for what it needs, or takes --set/--from)",
}
EXAMPLE = ("hoso new --unit van-chan/xa-a/chi-bo-thon-1 --member DV-0101 --member-status full --today 2021-05-04 "
           "--set date=2021-05-04 --set recorded_by=OF-002 --set grounds=khong-hoan-thanh-2-nam "
           "--set consultations.0.body=mat-tran-thon --set consultations.0.date=2021-04-28 "
           "--set consultations.0.ref=BB-01/2021 --branch")
STATUSES = {"full": ("đảng viên chính thức", "full member"), "probationary": ("đảng viên dự bị", "probationary member")}


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--unit", required=True, metavar="ĐƠN-VỊ" if vi else "UNIT",
                        help="đơn vị (chi bộ) theo org/units.yaml" if vi else "the unit (cell), an id from org/units.yaml")
    parser.add_argument("--member", required=True, metavar="MÃ" if vi else "CODE",
                        help="mã đảng viên (không bao giờ ghi tên)" if vi else "the member's code (never a name)")
    parser.add_argument("--member-status", choices=tuple(STATUSES),
                        help="chính thức (full) hay dự bị (probationary); không có thì hỏi" if vi else
                        "full or probationary; asked when missing")
    parser.add_argument("--procedure", metavar="MÃ-QUY-TRÌNH" if vi else "ID",
                        help="quy trình (mặc định: quy trình có hiệu lực vào ngày mở)" if vi else
                        "procedure id (default: the one in force on the opening date)")
    parser.add_argument("--event", metavar="BƯỚC" if vi else "EVENT", help="bước mở hồ sơ, khi quy trình có nhiều bước mở" if vi else
                        "the opening event, when the procedure has several")
    add_value_options(parser, lang)
    parser.add_argument("--branch", action="store_true",
                        help="tạo nhánh hoso/<hồ-sơ>-<bước> và commit hồ sơ mới" if vi else
                        "create branch hoso/<case>-<event> and commit the new file")


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    with stepcommit.workspace(s.root, args.branch, s.lang) as ws:
        repo = open_repo(ws.root, s.today)
        unit = repo.ctx.org.units.get(args.unit)
        if unit is None:
            hint = did_you_mean(args.unit, repo.ctx.org.units)
            raise UsageError(L(f"không có đơn vị '{args.unit}' trong org/units.yaml{hint.vi}",
                               f"no unit '{args.unit}' in org/units.yaml{hint.en}"))
        prompter = Prompter(_any_procedure(repo), s.lang)
        day = _opening_date(args, prompter, s.lang, s.today)
        proc = _procedure(repo, args.procedure, day)
        event = _opening_event(proc, args.event)
        refuse_second_case(repo, args.member, proc.id)
        status = args.member_status or _status(args, prompter, s.lang)
        case = next_case_id(repo, unit.id, day.year)
        path = f"{RECORDS}/{unit.id}/{case}.yaml"
        step_ctx = StepContext(repo, proc, event, unit.id, args.member, s.today)

        def build(entry: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
            data: dict[str, Any] = {"case": case, "procedure": proc.id, "unit": unit.id, "member": args.member,
                                    "member_status": status, "history": [entry]}
            return path, render_case(data, proc, path, repo.settings.synthetic), data

        rerun = ["new", "--unit", unit.id, "--member", args.member, "--member-status", status]
        draft = Draft(step_ctx, gather(args, step_ctx, s.lang, preset={DATE: day.isoformat()}), build, [], rerun, case, s.root)
        path, text = settle(draft, args, s.lang)
        step = stepcommit.Step(ws.root, repo, proc, case, event, draft.entry, unit.id, args.member, None, path, text)
        branch, sha = stepcommit.write(step, ws)
        out = stepcommit.report(step, branch, sha, s.lang, ws)
    print((f"Đã mở hồ sơ {case}" if s.lang != "en" else f"Opened case {case}") + f" ({proc.id})")
    print("\n".join([out, *ws.notes]))
    return 0


def _any_procedure(repo: Repo) -> Procedure:
    if not repo.ctx.procedures:
        raise HosoError(L("không có quy trình nào trong procedures/", "no procedure in procedures/"))
    return next(iter(repo.ctx.procedures.values())).proc


def _opening_date(args: argparse.Namespace, prompter: Prompter, lang: str, today: dt.date) -> dt.date:
    spec = FieldSpec(type="date")
    given = read_from(args.from_file).get(DATE)
    for text in args.set:
        path, raw = parse_assignment(text)
        if path == [DATE]:
            given = raw
    if isinstance(given, str):
        return dt.date.fromisoformat(convert(prompter.proc, spec, given, DATE))
    if args.no_input:
        raise HosoError(L(f"thiếu ngày mở hồ sơ (--set {DATE}=YYYY-MM-DD)", f"missing the opening date (--set {DATE}=YYYY-MM-DD)"))
    question = (f"Ngày mở hồ sơ (date) [YYYY-MM-DD, Enter: {today}]:" if lang != "en" else
                f"Opening date (date) [YYYY-MM-DD, Enter: {today}]:")
    value = prompter.ask(question, lambda a: convert(prompter.proc, spec, a, DATE), default=today.isoformat())
    return dt.date.fromisoformat(value)


def _procedure(repo: Repo, wanted: str | None, day: dt.date) -> Procedure:
    procs = repo.ctx.procedures
    if wanted is not None:
        if wanted not in procs:
            raise UsageError(L(f"không có quy trình '{wanted}'; có: {', '.join(procs)}",
                               f"no procedure '{wanted}'; available: {', '.join(procs)}"))
        return procs[wanted].proc
    in_force = [c.proc for c in procs.values() if c.proc.in_force(day)]
    if len(in_force) != 1:
        names = ", ".join(p.id for p in in_force) or "—"
        raise HosoError(L(f"ngày {day} có {len(in_force)} quy trình có hiệu lực ({names}); chọn bằng --procedure",
                          f"{len(in_force)} procedures are in force on {day} ({names}); choose with --procedure"))
    return in_force[0]


def _opening_event(proc: Procedure, wanted: str | None) -> str:
    opening = proc.opening_events()
    if wanted is None and len(opening) == 1:
        return opening[0]
    if wanted not in opening:
        raise UsageError(L(f"chọn bước mở hồ sơ bằng --event: {', '.join(opening)}",
                           f"choose the opening event with --event: {', '.join(opening)}"))
    return wanted


def _status(args: argparse.Namespace, prompter: Prompter, lang: str) -> str:
    if args.no_input:
        raise HosoError(L("thiếu --member-status (full hoặc probationary)", "missing --member-status (full or probationary)"))
    codes = list(STATUSES)
    prompter.say("Đảng viên là:" if lang != "en" else "The member is:")
    for i, code in enumerate(codes, 1):
        prompter.say(f"  {i}) {code} — {STATUSES[code][0 if lang != 'en' else 1]}")

    def parse(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(codes):
            return codes[int(answer) - 1]
        if answer in codes:
            return answer
        raise HosoError(L("chọn 1 hoặc 2", "choose 1 or 2"))

    return str(prompter.ask("  chọn số hoặc mã:" if lang != "en" else "  number or code:", parse))
