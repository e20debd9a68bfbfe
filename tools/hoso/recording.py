"""One step of a case, from the officer's answers to a validated file: shared by new and record."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import ValidationError

from hoso.cases import candidates
from hoso.errors import HosoError, UsageError
from hoso.fieldvalues import assign, parse_assignment
from hoso.findings import Finding
from hoso.messages import L
from hoso.procedure import FieldSpec, Procedure
from hoso.prompting import Prompter
from hoso.repository import RECORDS, Repo, check_record
from hoso.streams import read_text
from hoso.checks import check_case, vote_passes
from hoso.recordmodel import Ballot
from hoso.terminal import paint
from hoso.writer import event_order
from hoso.yamlload import YamlError, load_strict

RECORDER_FIELD = "recorded_by"  # the data contract's name for who wrote a step down


def add_value_options(parser: argparse.ArgumentParser, lang: str) -> None:
    vi = lang != "en"
    parser.add_argument("--set", action="append", default=[], metavar="KHÓA=GIÁ-TRỊ" if vi else "KEY=VALUE",
                        help=("giá trị một trường (lặp lại được). Phần lồng nhau nối bằng dấu chấm: "
                              "ballot.for=11, ballot.excluded.transferred=1; mục thứ n (từ 0) của danh sách: "
                              "consultations.0.body=mat-tran-thon, consultations.1.ref=BB-02/2021; danh sách "
                              "giá trị đơn cách nhau bằng dấu phẩy: grounds=a,b; ngày YYYY-MM-DD; số nguyên; "
                              "có/không hoặc true/false; để trống (khóa=) là bỏ trường") if vi else
                             ("a field's value (repeatable). Parts joined with dots: ballot.for=11, "
                              "ballot.excluded.transferred=1; item n (from 0) of a list: "
                              "consultations.0.body=mat-tran-thon, consultations.1.ref=BB-02/2021; a list of plain "
                              "values comma-separated: grounds=a,b; dates YYYY-MM-DD; whole numbers; "
                              "có/không or true/false; empty (key=) leaves the field out"))
    parser.add_argument("--from", dest="from_file", metavar="FILE",
                        help="đọc các trường từ tệp YAML (khóa: giá trị); --set ghi đè" if vi else
                        "read the fields from a YAML file (key: value); --set overrides")
    parser.add_argument("--no-input", action="store_true",
                        help="không hỏi gì: thiếu trường thì báo lỗi" if vi else "never ask: a missing field is an error")


def read_from(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        value = load_strict(read_text(path)).value  # '-' is standard input
    except OSError as exc:
        raise UsageError(L(f"không đọc được '{path}': {exc.strerror}", f"cannot read '{path}': {exc.strerror}")) from None
    except YamlError as exc:
        raise HosoError(L(f"'{path}' dòng {exc.line}: YAML không hợp lệ ({exc.rule})",
                          f"'{path}' line {exc.line}: invalid YAML ({exc.rule})")) from None
    if not isinstance(value, dict):
        raise HosoError(L(f"'{path}' phải là một bảng khóa: giá trị", f"'{path}' must be a mapping of key: value"))
    value.pop("event", None)
    return value


@dataclass
class StepContext:
    repo: Repo
    proc: Procedure
    event: str
    unit: str
    member: str | None
    today: dt.date


def gather(args: argparse.Namespace, step: StepContext, lang: str, preset: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event's values: --from, then --set, then questions for what is still missing."""
    specs = event_order(step.proc, step.event)
    values: dict[str, Any] = {**(preset or {}), **read_from(args.from_file)}
    for text in args.set:
        path, raw = parse_assignment(text)
        assign(step.proc, specs, values, path, raw)
    if not args.no_input:
        scripted = bool(args.set or args.from_file)
        prompter = Prompter(step.proc, lang, choices=officer_choices(step, lang), after=vote_hint(step, lang))
        prompter.fill(specs, values, optional=not scripted)
    return {"event": step.event, **values}


def officer_choices(step: StepContext, lang: str) -> Any:
    def choices(name: str, spec: FieldSpec, values: dict[str, Any]) -> list[tuple[str, str]]:
        if spec.type != "officer":
            return []
        day = _date(values.get("date")) or step.today
        ev = step.proc.events[step.event]
        if name == RECORDER_FIELD:
            roles, body = ev.recorder.roles, ev.recorder.body
        elif spec.roles and spec.body:
            roles, body = spec.roles, spec.body
        else:
            return []
        _, people = candidates(step.repo, step.proc, (roles, body), step.unit, day, step.member)
        return [(o.id, o.login) for o in people]

    return choices


def vote_hint(step: StepContext, lang: str) -> Callable[[str, dict[str, Any]], str | None]:
    """Once the tallies are in, say whether they meet the step's threshold (before the result is asked)."""
    compiled = step.repo.ctx.procedures.get(step.proc.id)
    vote = step.proc.events[step.event].vote

    def after(name: str, values: dict[str, Any]) -> str | None:
        if vote is None or compiled is None or name != vote.ballot:
            return None
        try:
            tally = compiled.ballot_model.model_validate(values[name])
        except ValidationError:
            return None
        if not isinstance(tally, Ballot):
            return None
        passes, need, base = vote_passes(vote, tally)
        if lang == "en":
            return f"  → by the tallies: {'passed' if passes else 'failed'} ({tally.for_} for, {need} needed of {base})"
        return f"  → theo số phiếu: {'đạt' if passes else 'không đạt'} ({tally.for_} tán thành, cần {need} trên {base})"

    return after


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def target_path(repo: Repo, data: dict[str, Any], case: str) -> str:
    """Where the case belongs once the new history is replayed (a transfer moves it)."""
    state = check_case(data, repo.ctx).state
    unit = state.unit if state is not None else data.get("unit")
    return f"{RECORDS}/{unit}/{case}.yaml"


def validate_new(repo: Repo, path: str, text: str, before: list[Finding], lang: str) -> None:
    """The whole resulting file, checked as ``hoso validate`` checks it; errors refuse the step."""
    result = check_record(path, text.encode("utf-8"), repo.ctx)
    seen = {(f.rule, f.message("en")) for f in before}
    errors = [f for f in result.findings if f.severity == "error"]
    warnings = [f for f in result.findings if f.severity == "warning" and (f.rule, f.message("en")) not in seen]
    vi = lang != "en"
    for f in errors:
        print(paint(f"  {'lỗi' if vi else 'error'} {f.rule}: {f.message(lang)}", "red", sys.stderr), file=sys.stderr)
    for f in warnings:
        print(paint(f"  {'cảnh báo' if vi else 'warning'} {f.rule}: {f.message(lang)}", "yellow", sys.stderr),
              file=sys.stderr)
    if errors:
        raise HosoError(L(f"bước này không hợp lệ ({len(errors)} lỗi ở trên): không có gì được ghi; sửa rồi chạy lại",
                          f"this step is not valid ({len(errors)} errors above): nothing was written; fix and run again"))
