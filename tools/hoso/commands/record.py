"""hoso record CASE EVENT: append one step to a case, validated before anything is written."""

from __future__ import annotations

import argparse
from typing import Any

from hoso import stepcommit
from hoso.cases import find_case, open_repo
from hoso.errors import HosoError
from hoso.messages import L
from hoso.options import settings
from hoso.procedure import Procedure
from hoso.prompting import Prompter
from hoso.recording import Draft, StepContext, add_value_options, gather, settle, target_path
from hoso.suggest import did_you_mean
from hoso.repository import check_record
from hoso.writer import append_event
from hoso.yamlload import load_strict

NAME = "record"
FORMATS = False
HELP = {
    "vi": "ghi một bước vào hồ sơ: hỏi những gì bước đó cần (hoặc nhận --set/--from), kiểm tra cả hồ sơ "
          "trước khi ghi; có lỗi thì không ghi gì (mã thoát 1). --branch: tạo nhánh và commit sẵn cho pull request",
    "en": "append a step to a case: asks for what the step needs (or takes --set/--from), checks the whole "
          "file before writing; on any error nothing is written (exit 1). --branch: create a branch and commit for a pull request",
}
EXAMPLE = ("hoso record SA-2026-001 notified --today 2026-11-27 --set date=2026-11-27 --set recorded_by=OF-002 "
           "--set spoken_by=OF-001 --branch\n"
           "  hoso record SA-2026-001 notified --branch")


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("case", metavar="HỒ-SƠ" if vi else "CASE",
                        help="mã hồ sơ, ví dụ SA-2026-001" if vi else "case id, e.g. SA-2026-001")
    parser.add_argument("event", metavar="BƯỚC" if vi else "EVENT", nargs="?",
                        help="bước cần ghi (xem 'hoso next CASE'); bỏ trống thì chọn trong các bước được phép" if vi else
                        "the step to record (see 'hoso next CASE'); left out, choose among the allowed steps")
    add_value_options(parser, lang)
    parser.add_argument("--branch", action="store_true",
                        help="tạo nhánh hoso/<hồ-sơ>-<bước> và commit thay đổi" if vi else
                        "create branch hoso/<case>-<event> and commit the change")


def run(args: argparse.Namespace) -> int:
    s = settings(args)
    with stepcommit.workspace(s.root, args.branch, s.lang) as ws:
        repo = open_repo(ws.root, s.today)
        case = find_case(repo, args.case)
        state, header = case.state, case.header
        proc = state.proc.proc
        allowed = state.allowed()
        if args.event is None:
            args.event = choose_event(proc, allowed, args.no_input, s.lang)
        check_allowed(proc, args.event, allowed, state.stage or "", s.lang)
        step_ctx = StepContext(repo, proc, args.event, state.unit, header.member, s.today)
        before = check_record(case.path, case.text.encode("utf-8"), repo.ctx).findings
        rewritten: list[bool] = []

        def build(entry: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
            appended = append_event(case.text, entry, proc, case.path, repo.settings.synthetic)
            data = load_strict(appended.text).value
            rewritten[:] = [appended.rewritten]
            return target_path(repo, data, header.case), appended.text, data

        draft = Draft(step_ctx, gather(args, step_ctx, s.lang), build, before,
                      ["record", header.case, args.event], header.case, s.root)
        path, text = settle(draft, args, s.lang)
        step = stepcommit.Step(ws.root, repo, proc, header.case, args.event, draft.entry, state.unit, header.member,
                               case.path, path, text)
        branch, sha = stepcommit.write(step, ws)
        out = stepcommit.report(step, branch, sha, s.lang, ws)
    if rewritten and rewritten[0]:
        print("(tệp được viết lại ở dạng chuẩn; giữ các dòng chú thích đầu tệp)" if s.lang != "en" else
              "(the file was rewritten in the canonical format; its leading comments were kept)")
    print("\n".join([out, *ws.notes]))
    return 0


def check_allowed(proc: Procedure, event: str, allowed: list[str], stage: str, lang: str) -> None:
    if event in allowed:
        return
    names = ", ".join(allowed) or "—"
    if event not in proc.events:
        hint = did_you_mean(event, list(proc.events))
        raise HosoError(L(f"quy trình {proc.id} không có bước '{event}'{hint.vi}; bước được phép lúc này: {names}",
                          f"procedure {proc.id} has no event '{event}'{hint.en}; allowed now: {names}"))
    title = proc.stage_title(stage, lang)
    raise HosoError(L(f"bước '{event}' không được phép ở giai đoạn '{stage}' ({title}); bước được phép: {names}",
                      f"'{event}' is not allowed at stage '{stage}' ({title}); allowed: {names}"))


def choose_event(proc: Procedure, allowed: list[str], no_input: bool, lang: str) -> str:
    if not allowed or no_input:
        names = ", ".join(allowed) or "—"
        raise HosoError(L(f"hãy nêu bước cần ghi; bước được phép: {names}", f"name the step to record; allowed: {names}"))
    prompter = Prompter(proc, lang)
    prompter.say("Bước được phép lúc này:" if lang != "en" else "Steps allowed now:")
    for i, name in enumerate(allowed, 1):
        prompter.say(f"  {i}) {name} — {proc.events[name].title.get(lang)}")

    def parse(answer: str) -> str:
        if answer.isdigit() and 1 <= int(answer) <= len(allowed):
            return allowed[int(answer) - 1]
        if answer in allowed:
            return answer
        raise HosoError(L(f"'{answer}' không có trong danh sách trên", f"'{answer}' is not in the list above"))

    return str(prompter.ask("  chọn số hoặc mã:" if lang != "en" else "  number or code:", parse))
