"""Every field of every demo record, replaced by a hostile value: a list, a mapping, a huge
number, an empty string, a string with control characters. `hoso validate` must answer with
findings (exit 0 or 1), never an internal error; a list or a mapping where the record had
something else is a schema finding at the field's own line.

Found by fuzzing (issue 13): `to_procedure: []` in a `migrated` event made a finding carry the
list as an argument and `hoso validate` crash (exit 3) hashing it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoso.findings import Finding, finding, freeze
from hoso.messages import L
from tests.conftest import ROOT, TODAY, copy_demo
from tests.fuzz_util import Field, check_text, demo_fields, demo_records, examples, original_value, replace_value

HUGE = "9" * 5000
TOKENS = {
    "list": "[x, 1]",
    "empty-list": "[]",
    "map": "{k: v}",
    "huge-number": HUGE,
    "empty-string": '""',
    "control-escaped": '"a\\u0007\\u001b[31mb\\u0085c"',
    "control-raw": "a\x07\x1b[31mb",
}
SHAPES = ("list", "map")  # a value of another shape than the record's: always a schema error


def _shape(value: str) -> str:
    if value.startswith("[") or "\n      - " in value or "\n  - " in value:
        return "list"
    if value.startswith("{") or "\n" in value:
        return "map"
    return "scalar"


def _text(path: str) -> str:
    return dict(demo_records())[path]


@settings(max_examples=examples(60), deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(demo_fields()), st.sampled_from(sorted(TOKENS)))
def test_hostile_value_in_any_field(field: Field, kind: str) -> None:
    text = _text(field.path)
    out = check_text(field.path, replace_value(text, field, TOKENS[kind]).encode())
    if kind in SHAPES and _shape(original_value(text, field)) != kind:
        at = [(f.rule, f.line) for f in out.findings if f.severity == "error"]
        assert out.code == 1 and any(line == field.line for _, line in at), (field, kind, at)


def test_to_procedure_list_is_a_schema_finding_at_its_line() -> None:
    """The reproducer of issue 13, in every migrated event of every demo record."""
    migrations = [f for f in demo_fields() if f.key == "to_procedure"]
    assert len(migrations) >= 3
    for f in migrations:
        for token in ("[]", "{a: 1}", "[hd02-2025]"):
            out = check_text(f.path, replace_value(_text(f.path), f, token).encode())
            assert out.code == 1
            errors = {(x.rule, x.line) for x in out.findings if x.severity == "error" and x.line <= f.line}
            assert errors == {("SCHEMA-TYPE", f.line)}, (f, token, errors)  # later steps may follow from it


def test_finding_arguments_are_frozen_text() -> None:
    made = finding("a.yaml", 1, 1, "SCHEMA-TYPE", field=["x"], expected={"a": [1]}, got=10**5000)
    assert all(isinstance(v, str) for _, v in made.args)
    assert len({made, finding("a.yaml", 1, 1, "SCHEMA-TYPE", field=["x"], expected={"a": [1]}, got=10**5000)}) == 1
    assert dict(made.args)["got"] == "~10^5000" and dict(made.args)["field"] == "['x']"
    direct = Finding("a.yaml", 2, 1, "SEQ-MIGRATE", "error", (("procedure", []), ("detail", L("x", "y"))))
    assert dict(direct.args) == {"procedure": "[]", "detail": L("x", "y")}
    assert freeze(L("a", ["b"])) == L("a", "['b']")  # type: ignore[arg-type]
    assert direct.message("en")


def _run_validate(repo: Path) -> tuple[int, dict[str, object], str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    env["PYTHONPATH"] = str(ROOT / "tools")
    proc = subprocess.run([sys.executable, "-m", "hoso", "-C", str(repo), "validate", "--today", TODAY,
                           "--format", "json", "--lang", "en", "--no-cache"],
                          capture_output=True, text=True, timeout=300, env=env, stdin=subprocess.DEVNULL)
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else {}, proc.stderr


def test_real_hoso_validate_answers_hostile_fields(tmp_path: Path) -> None:
    """A few of the replacements through the real command: one run, several records."""
    repo = copy_demo(tmp_path / "repo")
    by_path: dict[str, list[Field]] = {}
    for f in demo_fields():
        by_path.setdefault(f.path, []).append(f)
    chosen = [next(f for f in demo_fields() if f.key == "to_procedure")]
    wanted = (("date", "map"), ("recorded_by", "list"), ("event", "list"), ("ballot", "huge-number"),
              ("case", "map"))
    used = {chosen[0].path}
    for key, _ in wanted:
        chosen.append(next(f for f in demo_fields() if f.key == key and f.path not in used))
        used.add(chosen[-1].path)
    kinds = ["empty-list"] + [k for _, k in wanted]
    for f, kind in zip(chosen, kinds):
        (repo / f.path).write_text(replace_value(_text(f.path), f, TOKENS[kind]), encoding="utf-8")
    code, doc, err = _run_validate(repo)
    assert code == 1 and "Traceback" not in err, err[-2000:]
    findings = doc["findings"]
    assert isinstance(findings, list)
    for f in chosen:
        here = {(x["rule"], x["line"]) for x in findings if x["file"] == f.path and x["severity"] == "error"}
        assert any(line == f.line and rule.startswith("SCHEMA-") for rule, line in here), (f, here)
