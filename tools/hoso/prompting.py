"""Asking an officer, line by line on standard input, for what a step needs.

Questions go to standard error, answers come from standard input (so a script or a test can
feed them), an invalid answer is explained and asked again, and end of input stops the
command with nothing written. Every question is built from a field spec's type, title and
vocabulary, never from a field's name.

Every field the step needs gets exactly one question, in the order ``hoso next`` lists them,
whether the answers are typed or piped: a field with a fixed value (``const``) is asked too,
Enter accepting that value, so a piped answer never lands in the wrong field. A required field
is never offered as skippable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TextIO

from hoso.errors import HosoError
from hoso.fieldvalues import SCALARS, convert, describe_type, needed, sub_fields, title
from hoso.messages import L
from hoso.procedure import FieldSpec, Procedure

Choices = Callable[[str, FieldSpec, dict[str, Any]], list[tuple[str, str]]]
After = Callable[[str, dict[str, Any]], "str | None"]
_SKIP = object()
SECRET = "secret"  # the data contract's ballot part saying the vote was secret


def secret_parts(proc: Procedure, spec: FieldSpec, secret: bool) -> dict[str, FieldSpec] | None:
    """The parts of a group field; a ballot whose vote must be secret has ``secret`` fixed to true."""
    parts = sub_fields(proc, spec)
    if parts is not None and secret and spec.type == "ballot" and SECRET in parts:
        fixed = parts[SECRET].model_copy(update={"required": True, "const": True})
        parts = {**parts, SECRET: fixed}
    return parts


def fill_fixed(proc: Procedure, specs: dict[str, FieldSpec], values: dict[str, Any], secret_ballot: str | None,
               top: bool = True) -> None:
    """Put in every needed field with a fixed value (``const``) that is still missing (``--no-input``)."""
    for name, spec in specs.items():
        if name not in values and spec.const is not None and needed(spec, values):
            values[name] = spec.const
        parts = secret_parts(proc, spec, top and name == secret_ballot)
        if parts is not None and isinstance(values.get(name), dict):
            fill_fixed(proc, parts, values[name], None, top=False)


class Stopped(HosoError):
    """End of input while asking: exit 1, nothing written."""


class Prompter:
    def __init__(self, proc: Procedure, lang: str, choices: Choices | None = None,
                 inp: TextIO | None = None, out: TextIO | None = None, after: After | None = None,
                 defaults: dict[str, Any] | None = None, secret_ballot: str | None = None) -> None:
        self.proc = proc
        self.after = after
        self.defaults = defaults or {}  # top-level field -> the value Enter gives (the date: today)
        self.secret_ballot = secret_ballot  # the ballot field whose vote must be secret
        self.lang = lang
        self.choices = choices or (lambda name, spec, values: [])
        self.inp = inp or sys.stdin
        self.out = out or sys.stderr

    def say(self, text: str) -> None:
        try:
            print(text, file=self.out, flush=True)
        except OSError:  # the terminal hung up (EIO): the next question reads the end of input
            pass

    def _read(self, question: str) -> str:
        try:
            self.out.write(question + " ")
            self.out.flush()
            line = self.inp.readline()
        except OSError:  # the terminal hung up (EIO) while asking: as the end of input, nothing written
            line = ""
        if not line:
            self.say("")
            raise Stopped(L("đã dừng (hết dữ liệu nhập): không có gì được ghi",
                            "stopped (end of input): nothing was written"))
        return line.strip()

    def ask(self, question: str, parse: Callable[[str], Any], optional: bool = False, default: Any = None) -> Any:
        """Ask until ``parse`` accepts the answer; an empty answer gives ``default``, or skips an optional question."""
        while True:
            answer = self._read(question)
            if answer == "" and default is not None:
                return default
            if optional and answer == "":
                return _SKIP
            try:
                return parse(answer)
            except HosoError as exc:
                self.say("  ! " + exc.render(self.lang))

    # ---------------------------------------------------------------- fields

    def fill(self, specs: dict[str, FieldSpec], values: dict[str, Any], optional: bool, where: str = "") -> None:
        """Ask for every field of ``specs`` not in ``values`` that is needed (all of them when ``optional``)."""
        for name, spec in specs.items():
            must = needed(spec, values)
            if spec.required_when is not None and not must:
                continue
            if name in values:
                self.complete(name, spec, values[name], where)
                continue
            if not must and not optional:
                continue
            value = self.field(name, spec, values, where, optional=not must)
            if value is not _SKIP:
                values[name] = value
                note = self.after(name, values) if self.after is not None and not where else None
                if note:
                    self.say(note)

    def parts(self, name: str, spec: FieldSpec, where: str) -> dict[str, FieldSpec] | None:
        return secret_parts(self.proc, spec, not where and name == self.secret_ballot)

    def complete(self, name: str, spec: FieldSpec, value: Any, where: str) -> None:
        """A group given in part (``--set ballot.for=11``): ask for the parts it still needs."""
        parts = self.parts(name, spec, where)
        if parts is not None and isinstance(value, dict):
            self.fill(parts, value, optional=False, where=f"{where}.{name}" if where else name)

    def field(self, name: str, spec: FieldSpec, values: dict[str, Any], where: str, optional: bool) -> Any:
        here = f"{where}.{name}" if where else name
        vi = self.lang != "en"
        label = f"{title(spec, name, self.lang)} ({here})"
        skip = (" [Enter: bỏ qua]" if vi else " [Enter: skip]") if optional else ""
        if spec.const is not None:
            return self.fixed(spec, label, here)
        default = self.defaults.get(name) if not where else None
        if default is not None:
            skip = f" [Enter: {_show(default)}]"
        parts = self.parts(name, spec, where)
        if parts is not None:
            return self.group(label, parts, here, optional)
        if spec.type == "list" and spec.item is not None and spec.item.type not in SCALARS:
            return self.items(label, spec, here, optional)
        options = self.options(name, spec, values)
        if options:
            self.say(label + ":")
            for i, (code, text) in enumerate(options, 1):
                self.say(f"  {i}) {code}" + (f" — {text}" if text and text != code else ""))
        hint = describe_type(self.proc, spec, self.lang)
        if spec.type == "list":
            hint += ", " + ("cách nhau bằng dấu phẩy" if vi else "comma-separated")
        question = (("  chọn số hoặc mã" if vi else "  number or code") + f"{skip}:") if options else f"{label} [{hint}]{skip}:"
        return self.ask(question, lambda a: self.parse(spec, a, here, options), optional, default)

    def fixed(self, spec: FieldSpec, label: str, here: str) -> Any:
        """A field whose value the procedure fixes: asked all the same (one question per field), Enter accepts it."""
        shown = _answer(spec.const, self.lang)
        question = (f"{label} [luôn là: {shown}; Enter]:" if self.lang != "en" else f"{label} [always: {shown}; Enter]:")

        def parse(answer: str) -> Any:
            if convert(self.proc, spec, answer, here) != spec.const:
                raise HosoError(L(f"'{here}' luôn là {_answer(spec.const, 'vi')}: nhấn Enter",
                                  f"'{here}' is always {_answer(spec.const, 'en')}: press Enter"))
            return spec.const

        return self.ask(question, parse, default=spec.const)

    def options(self, name: str, spec: FieldSpec, values: dict[str, Any]) -> list[tuple[str, str]]:
        target = spec.item if spec.type == "list" and spec.item is not None else spec
        if target.type == "enum" and target.vocabulary:
            return [(v, self.proc.label(target.vocabulary, v, self.lang)) for v in self.proc.vocabulary_values(target)]
        if target.type == "bool":
            return []
        return self.choices(name, target, values)

    def parse(self, spec: FieldSpec, answer: str, here: str, options: list[tuple[str, str]]) -> Any:
        codes = [c for c, _ in options]

        def one(word: str) -> str:
            word = word.strip()
            if word.isdigit() and 1 <= int(word) <= len(codes):
                return codes[int(word) - 1]
            same = [c for c in codes if c.lower() == word.lower()]
            if same:
                return same[0]
            if codes and word not in codes:
                raise HosoError(L(f"'{word}' không có trong danh sách trên", f"'{word}' is not in the list above"))
            return word

        if spec.type == "list":
            words = [one(w) for w in answer.split(",") if w.strip()] if codes else [answer]
            value = convert(self.proc, spec, ",".join(words), here)
            n = self.proc.amount(spec.min_items)
            if len(value) < n:
                raise HosoError(L(f"cần ít nhất {n} mục", f"needs at least {n} items"))
            return value
        return convert(self.proc, spec, one(answer) if codes else answer, here)

    def group(self, label: str, parts: dict[str, FieldSpec], here: str, optional: bool) -> Any:
        vi = self.lang != "en"
        if optional and not self.yes_no(label + (" — có nhập không?" if vi else " — enter it?")):
            return _SKIP
        self.say(label + ":")
        values: dict[str, Any] = {}
        self.fill(parts, values, optional=True, where=here)
        return values if values or not optional else _SKIP

    def items(self, label: str, spec: FieldSpec, here: str, optional: bool) -> Any:
        assert spec.item is not None
        vi = self.lang != "en"
        least = self.proc.amount(spec.min_items)
        out: list[Any] = []
        self.say(label + ":")
        floor = least if optional else max(least, 1)
        while True:
            if len(out) >= floor:
                more = f"  thêm mục thứ {len(out) + 1}?" if vi else f"  add item {len(out) + 1}?"
                if not self.yes_no(more):
                    return out if out else _SKIP
            parts = sub_fields(self.proc, spec.item) or {}
            self.say(f"  [{len(out) + 1}]")
            item: dict[str, Any] = {}
            self.fill(parts, item, optional=False, where=f"{here}.{len(out)}")
            out.append(item)

    def yes_no(self, question: str) -> bool:
        vi = self.lang != "en"
        spec = FieldSpec(type="bool")
        return bool(self.ask(question + (" (có/không):" if vi else " (yes/no):"),
                             lambda a: convert(self.proc, spec, a, question.strip())))


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _answer(value: Any, lang: str) -> str:
    """A value as the officer would type it (có/không for yes/no)."""
    if isinstance(value, bool):
        return ("có" if value else "không") if lang != "en" else ("yes" if value else "no")
    return str(value)
