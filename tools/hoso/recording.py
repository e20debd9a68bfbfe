"""One step of a case, from the officer's answers to a validated file: shared by new and record."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from hoso.cases import candidates
from hoso.errors import HosoError, UsageError
from hoso.fieldvalues import assign, parse_assignment
from hoso.findings import Finding
from hoso.messages import L
from hoso.procedure import FieldSpec, Procedure
from hoso.prompting import Prompter, Stopped, fill_fixed
from hoso.repository import RECORDS, Repo, check_record
from hoso.streams import read_text
from hoso.checks import check_case, vote_passes
from hoso.recordmodel import Ballot
from hoso.terminal import paint
from hoso.wording import count, os_error
from hoso.writer import event_lines, event_order
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
    parser.add_argument("--from", dest="from_file", metavar="TỆP" if vi else "FILE",
                        help="đọc các trường từ tệp YAML (khóa: giá trị); --set ghi đè" if vi else
                        "read the fields from a YAML file (key: value); --set overrides")
    parser.add_argument("--no-input", action="store_true",
                        help="không hỏi gì: thiếu trường thì báo lỗi" if vi else "never ask: a missing field is an error")
    parser.add_argument("--yes", action="store_true",
                        help="ghi ngay, không hỏi xác nhận bản tóm tắt" if vi else
                        "write without asking to confirm the summary")


def read_from(path: str | None) -> dict[str, Any]:
    if not path:
        return {}
    try:
        value = load_strict(read_text(path)).value  # '-' is standard input
    except OSError as exc:
        why = os_error(exc)
        raise UsageError(L(f"không đọc được '{path}': {why.vi}", f"cannot read '{path}': {why.en}")) from None
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


def prompter_for(step: StepContext, lang: str) -> Prompter:
    vote = step.proc.events[step.event].vote
    return Prompter(step.proc, lang, choices=officer_choices(step, lang), after=vote_hint(step, lang),
                    defaults={DATE: step.today.isoformat()},
                    secret_ballot=vote.ballot if vote is not None and vote.secret else None)


DATE = "date"  # the data contract's name for the day a step happened


def gather(args: argparse.Namespace, step: StepContext, lang: str, preset: dict[str, Any] | None = None) -> dict[str, Any]:
    """The event's values: --from, then --set, then questions for what is still missing.

    Fields with a value fixed by the procedure are filled in the same way in every mode: asked
    (Enter accepts) when questions are asked, put in as they are with ``--no-input``."""
    specs = event_order(step.proc, step.event)
    values: dict[str, Any] = {**(preset or {}), **read_from(args.from_file)}
    for text in args.set:
        path, raw = parse_assignment(text)
        try:
            assign(step.proc, specs, values, path, raw)
        except UsageError:
            raise
        except HosoError as exc:  # a --set value that does not fit its field: a command-line mistake
            raise UsageError(exc.text) from None
    prompter = prompter_for(step, lang)
    if args.no_input:
        fill_fixed(step.proc, specs, values, prompter.secret_ballot)
    else:
        scripted = bool(args.set or args.from_file)
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


def validate_new(repo: Repo, path: str, text: str, before: list[Finding], lang: str) -> list[Finding]:
    """The whole resulting file, checked as ``hoso validate`` checks it: its errors (printed with the new warnings)."""
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
    return errors


def count_errors(n: int, lang: str) -> str:
    return count(n, "error", "errors", lang, "lỗi")


def fields_in_error(data: dict[str, Any], repo: Repo) -> list[str]:
    """The new (last) step's own fields that the case's errors point at, in the step's order."""
    last = len(data.get("history", [])) - 1
    out: list[str] = []
    for found in check_case(data, repo.ctx).issues:
        p = found.path
        if found.severity == "error" and len(p) > 2 and p[:2] == ("history", last) and isinstance(p[2], str):
            if p[2] not in out and p[2] != "event":
                out.append(p[2])
    return out


@dataclass
class Draft:
    """One step being recorded: how to build the file from the answers, and how to run again."""

    step: StepContext
    entry: dict[str, Any]
    build: Callable[[dict[str, Any]], tuple[str, str, dict[str, Any]]]  # entry -> (path, text, data)
    before: list[Finding]
    rerun: list[str]  # the command line that runs the step again, without --from
    label: str  # names the file the answers are kept in (the case id)
    home: Path  # the officer's repository (not the scratch tree of --branch)


def settle(draft: Draft, args: argparse.Namespace, lang: str) -> tuple[str, str]:
    """Validate the step; in a terminal offer to answer again only the fields in error; then show
    a summary to confirm. On refusal the answers are kept in a file that ``--from`` reads back."""
    prompter = prompter_for(draft.step, lang)
    interactive = not args.no_input and sys.stdin.isatty()
    while True:
        path, text, data = draft.build(draft.entry)
        errors = validate_new(draft.step.repo, path, text, draft.before, lang)
        if not errors:
            break
        fields = fields_in_error(data, draft.step.repo)
        if interactive and fields and _ask_fix(prompter, fields, lang):
            redo(draft, prompter, fields)
            continue
        saved = save_answers(draft)
        raise HosoError(L(f"bước này không hợp lệ ({count_errors(len(errors), 'vi')} ở trên): không có gì được ghi. "
                          f"Các câu trả lời đã lưu ở {shown_path(saved)}; sửa tệp đó rồi chạy: {rerun_text(draft, saved)}",
                          f"this step is not valid ({count_errors(len(errors), 'en')} above): nothing was written. "
                          f"The answers are kept in {shown_path(saved)}; fix that file, then run: {rerun_text(draft, saved)}"))
    if not (args.yes or args.no_input):
        confirm(draft, prompter, lang)
    return path, text


def _ask_fix(prompter: Prompter, fields: list[str], lang: str) -> bool:
    names = ", ".join(fields)
    try:
        return prompter.yes_no(f"Trả lời lại các trường có lỗi ({names})?" if lang != "en" else
                               f"Answer the fields in error again ({names})?")
    except Stopped:
        return False


def redo(draft: Draft, prompter: Prompter, fields: list[str]) -> None:
    specs = event_order(draft.step.proc, draft.step.event)
    for name in fields:
        draft.entry.pop(name, None)
    prompter.fill({k: s for k, s in specs.items() if k in fields}, draft.entry, optional=True)
    draft.entry = {"event": draft.entry["event"], **{k: draft.entry[k] for k in specs if k in draft.entry}}


def confirm(draft: Draft, prompter: Prompter, lang: str) -> None:
    vi = lang != "en"
    ev = draft.step.proc.events[draft.step.event]
    prompter.say(("Bước sẽ ghi: " if vi else "The step to write: ") + f"{draft.step.event} — {ev.title.get(lang)}")
    for line in event_lines(draft.step.proc, draft.entry)[1:]:
        prompter.say("  " + line)
    try:
        ok = prompter.yes_no("Ghi bước này?" if vi else "Write this step?")
    except Stopped:
        ok = False
    if not ok:
        saved = save_answers(draft)
        raise HosoError(L(f"không ghi gì. Các câu trả lời đã lưu ở {shown_path(saved)}; chạy lại: {rerun_text(draft, saved)}",
                          f"nothing was written. The answers are kept in {shown_path(saved)}; "
                          f"run again: {rerun_text(draft, saved)}"))


def answers_dir(home: Path) -> Path:
    """Inside the repository's .git (never in the work tree, so never committed); else the temp dir."""
    try:
        done = subprocess.run(["git", "rev-parse", "--path-format=absolute", "--git-common-dir"], cwd=home,
                              capture_output=True, text=True, timeout=30)
    except OSError:
        done = None
    if done is not None and done.returncode == 0 and done.stdout.strip():
        return Path(done.stdout.strip()) / "hoso-answers"
    return Path(tempfile.gettempdir())


def save_answers(draft: Draft) -> Path:
    """The step's answers as a YAML file that ``--from`` reads back (readable by the officer only)."""
    folder = answers_dir(draft.home)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"hoso-{draft.label}-{draft.step.event}.yaml".replace("/", "-")
    lines = event_lines(draft.step.proc, draft.entry)[1:] or ["{}"]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return path


def shown_path(path: Path) -> str:
    """A path as the officer can type it: relative to where they stand when it is below."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def rerun_text(draft: Draft, saved: Path) -> str:
    return " ".join(["hoso", *draft.rerun, "--from", shown_path(saved)])
