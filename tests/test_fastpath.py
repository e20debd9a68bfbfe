"""The fast path never disagrees with the strict loader: whenever ``load_fast`` returns a value,
it is the strict loader's value, with the same types. Any divergence is a bug in the guard.

`make test` draws a few hundred texts per property; `make fuzz` (HOSO_FUZZ_EXAMPLES=2000) many more."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from hoso.yamlload import YamlError, load_fast, load_strict
from tests.fuzz_util import EXAMPLES, examples

RISKY = [
    "010", "+5", "-5", "0", "-0", "00", "007", "12", "-12", "0x1F", "0X1f", "0o17", "0b11", "1_000", "+1_0",
    "1e3", "1E3", "-1e-3", ".5", "-.5", "+.5", "1.", "1.0", "3.14", "+3.14", ".inf", "-.Inf", "+.INF", ".NaN", ".nan",
    "yes", "no", "on", "off", "y", "n", "True", "TRUE", "true", "tRUE", "False", "false", "~", "null", "Null",
    "NULL", "nULL", "", "1:30", "10:05", "190:20:30", "2021-03-02", "2021-02-30", "2021-3-2", "2001-12-14t21:59:43.10-05:00",
    "123456789012345678901234567890", "9" * 40, "'quoted'", '"dq"', '"esc\\n"', '"\\x41"', "'it''s'", "a b",
    "x # comment", "a:b", "a: b", "?x", "? x", "- x", "[1, 2]", "{a: 1}", "[010, +5]", "{x: 1e3}", "{x: 010}",
    "[yes, no, ~]", "&a 1", "*a", "!!str 1", "!!int 1", "!tag x", "<<", "'010'", '"+5"', "\"1e3\"", "QĐ-15/2021",
    "Đảng viên", "x\u2028y", "x\x85y", "x\ty", "\ufeffx", "a\\b", "\"a\\u00e9\"", "-", "--", "---", "...", "%x",
    "@x", "`x", "|", ">", "'multi\n  line'", "plain\n  continued", "0.", "._5", "0_1", "1__2", "+", "+x", ".x",
    "_0", "_5", "-_1", "x_1", "_",
]
KEYS = ["a", "b", "case", "date", "1", "010", "true", "yes", "~", "null", "1.5", "'q'", '"d"', "<<", "x y", "-1", "+1"]
WRAP = ["{}", "---\n{}", "{}\n...\n", "%YAML 1.2\n---\n{}", "# c\n{}", "{}\n---\nb: 1\n", "{}\n# end\n", "\ufeff{}",
        "{}\r\n", "--- !!map\n{}"]

scalars = st.sampled_from(RISKY)
keys = st.sampled_from(KEYS)


def block(depth: int) -> st.SearchStrategy[str]:
    """A block mapping or sequence at indentation ``depth`` (in spaces)."""
    pad = " " * depth
    leaf = scalars.map(lambda s: " " + s if s else "")
    if depth >= 6:
        values: st.SearchStrategy[str] = leaf
    else:
        values = st.one_of(leaf, leaf, st.deferred(lambda: block(depth + 2)).map(lambda b: "\n" + b))
    entry = st.one_of(
        st.tuples(keys, values).map(lambda kv: f"{pad}{kv[0]}:{kv[1]}"),
        values.map(lambda v: f"{pad}-{v}"),
    )
    return st.lists(entry, min_size=1, max_size=5).map(_consistent(pad))


def _consistent(pad: str) -> Any:
    def fix(lines: list[str]) -> str:
        # one kind of collection per level, as a hand-written file would have (mixed ones are
        # syntax errors both loaders refuse, which teaches the test nothing)
        first_is_seq = lines[0].startswith(pad + "-")
        kept = [ln for ln in lines if ln.startswith(pad + "-") == first_is_seq]
        return "\n".join(kept)
    return fix


documents = st.tuples(st.sampled_from(WRAP), block(0)).map(lambda t: t[0].replace("{}", t[1]) + "\n")


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types, all the way down (``1 == True`` does not count)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k1, k2) and same(a[k1], b[k2]) for k1, k2 in zip(a, b))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def check(text: str) -> None:
    fast = load_fast(text)
    if fast is None:
        return
    try:
        strict = load_strict(text).value
    except YamlError as exc:  # pragma: no cover - a failure message, not a path
        pytest.fail(f"fast path accepted what the strict loader refuses ({exc.rule}): {text!r}")
    assert same(fast, strict), f"fast {fast!r} != strict {strict!r} for {text!r}"


@settings(max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example("a: 010\n")
@example("a: {1.5: x}\n")
@example("# c\n- >\n- >\n")
@example("case: >\n")
@example(":\n")
@example("- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - x\n")
@example("a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i:\n         j:\n          k:\n"
         "           l:\n            m:\n             n:\n              o:\n               p:\n                q:\n"
         "                 r:\n                  s:\n                   t:\n                    u:\n"
         "                     v:\n                      w:\n                       x:\n                        y:\n"
         "                         z:\n                          A:\n                           B:\n"
         "                            C:\n                             D:\n                              E:\n"
         "                               F:\n                                G: 1\n")
def test_fast_equals_strict_on_yaml_like_text(text: str) -> None:
    check(text)


@settings(max_examples=examples(150), deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab01:-+.,[]{}#'\"?!&*|>~ \n\t_eExXoO\u2028\x85")), max_size=60))
@example("[]:")  # a collection as a key: yaml-rs gave {(): None}, the strict loader refuses it (found under load)
@example("{}: 1")
@example("x: [[a]: 1]")
@example("_0:")  # yaml-rs read the key as the number 0, the strict loader as the text "_0" (found 2 December 2026)
@example("a: _5")
def test_fast_equals_strict_on_any_text(text: str) -> None:
    check(text)


def test_a_plain_case_file_takes_the_fast_path() -> None:
    text = ('case: VC-2021-001\nprocedure: hd02-2021\nhistory:\n  - event: flagged\n    date: "2021-05-04"\n'
            "    ballot: {members_total: 15, present: 13, for: 11, against: 2, secret: true}\n"
            "    note: \"Đồng chí đã nhận thức được khuyết điểm — cam kết khắc phục.\"\n")
    value = load_fast(text)
    assert value is not None
    assert same(value, load_strict(text).value)
    assert value["history"][0]["date"] == "2021-05-04"  # dates stay strings on both paths
    assert not isinstance(value["history"][0]["date"], dt.date)


@pytest.mark.parametrize("text", ["[:0]", "[0:]", "[?]"])
def test_odd_flow_entries_go_to_the_strict_loader(text: str) -> None:
    """Found by the property test above: yaml-rs reads these, libyaml refuses them."""
    assert load_fast(text) is None
    check(text)


def test_the_suite_draws_the_same_examples_on_every_run() -> None:
    """tests/conftest.py: `make test` is derandomized (its answer depends on the code, not on the
    run) and keeps no example database; `make fuzz` (HOSO_FUZZ_EXAMPLES) draws new ones."""
    fuzzing = bool(EXAMPLES)
    assert settings.default.derandomize is not fuzzing
    if not fuzzing:
        assert settings.default.database is None
