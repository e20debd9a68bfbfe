"""A structural fuzzer over the demo records, in the suite.

Each example takes a demo record and applies one to three mutations: delete, duplicate or swap
lines; replace a value with a hostile token; truncate at a byte; insert odd Unicode; re-indent a
line. The result goes through the checks of `hoso validate` (text, JSON, SARIF, GitHub output)
and, as a commit in a real git repository, through `hoso check` against the clean base. What must
hold, whatever the input: exit 0 or 1, JSON that parses, no exception, every finding placed and
in the catalogue. Time is bounded by Hypothesis settings (example count, per-example deadline).

`make test` draws a few dozen examples; `make fuzz` sets HOSO_FUZZ_EXAMPLES=2000.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import git as gitpython
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hoso.change import check_change
from hoso.commands.check import approvals_text
from hoso.messages import CATALOG
from hoso.reporters import FORMATS, render
from tests.conftest import GIT_ENV, TODAY, copy_demo, git
from tests.fuzz_util import check_text, demo_records, examples, fields_of, replace_value

HOSTILE = [
    "[]", "{}", "[x, [y, {z: 1}]]", "{k: v, 2: 3}", "9" * 400, "-1", "1e999", ".nan", "0x1F", "0o17",
    "null", "~", '""', "''", "yes", "2021-02-30", '"2021-13-01"', "2021-05-04T10:00:00Z", "&a x", "*a",
    "!!python/object:os.system x", "!!binary aGk=", "<<: {a: 1}", '"\\ud800"', '"\\x00"', "|\n  block",
    ">-\n  folded", "? complex", "- item", "'unterminated", '"unterminated', "{a: 1", "[1,", "#", "---",
    "...", "%YAML 1.1", "@reserved", "`tick", "x" * 5000, "OF-999999999", "../../etc/passwd",
    "records/../../x", "\u202eRTL", "e\u0301\u0301\u0301", "\U0001F600", "\ufeffBOM",
]
ODD_UNICODE = ["\u2028", "\u2029", "\u0085", "\ufeff", "\u200b", "\u202e", "\u0000", "\x07", "\x1b", "\t",
               "\r", "\u00a0", "\U0001F600", "e\u0301", "\ud7ff", "\uffff", "\U0010FFFF"]

Mutation = Callable[[bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


@st.composite
def mutation(draw: st.DrawFn, path: str) -> tuple[str, Mutation]:
    kind = draw(st.sampled_from(["delete", "duplicate", "swap", "value", "truncate", "unicode", "reindent"]))
    i, j = draw(st.integers(0, 10_000)), draw(st.integers(0, 10_000))
    if kind == "delete":
        def delete(d: bytes) -> bytes:
            ls = _lines(d)
            k = i % len(ls)
            return b"".join(ls[:k] + ls[k + 1:])
        return kind, delete
    if kind == "duplicate":
        def duplicate(d: bytes) -> bytes:
            ls = _lines(d)
            k = i % len(ls)
            return b"".join(ls[:k + 1] + ls[k:])
        return kind, duplicate
    if kind == "swap":
        def swap(d: bytes) -> bytes:
            ls = _lines(d)
            a, b = i % len(ls), j % len(ls)
            ls[a], ls[b] = ls[b], ls[a]
            return b"".join(ls)
        return kind, swap
    if kind == "value":
        token = draw(st.sampled_from(HOSTILE))

        def value(d: bytes) -> bytes:
            text = d.decode("utf-8", "replace")
            fields = fields_of(path, text)
            return replace_value(text, fields[i % len(fields)], token).encode() if fields else d
        return f"value {token[:20]!r}", value
    if kind == "truncate":
        return kind, lambda d: d[: i % (len(d) + 1)]
    if kind == "unicode":
        char = draw(st.sampled_from(ODD_UNICODE))
        return f"unicode {char!r}", lambda d: d[: i % (len(d) + 1)] + char.encode("utf-8", "surrogatepass") \
            + d[i % (len(d) + 1):]
    shift = draw(st.sampled_from([-4, -2, -1, 1, 2, 3, 8]))

    def reindent(d: bytes) -> bytes:
        ls = _lines(d)
        k = i % len(ls)
        line = ls[k]
        ls[k] = b" " * shift + line if shift > 0 else line[min(-shift, len(line) - len(line.lstrip(b" "))):]
        return b"".join(ls)
    return f"reindent {shift}", reindent


@st.composite
def mutated_record(draw: st.DrawFn) -> tuple[str, bytes, list[str]]:
    path, text = draw(st.sampled_from(demo_records()))
    data = text.encode("utf-8")
    done = []
    for _ in range(draw(st.integers(1, 3))):
        name, mutate = draw(mutation(path))
        data = mutate(data)
        done.append(name)
    return path, data, done


FUZZ = settings(max_examples=examples(40), deadline=dt.timedelta(seconds=30), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])


@FUZZ
@given(mutated_record())
def test_validate_survives_any_mutation(case: tuple[str, bytes, list[str]]) -> None:
    path, data, _ = case
    check_text(path, data)


# ---------------------------------------------------------------------- hoso check


class Base:
    """A real git repository holding the clean demo at ``sha``; each example commits on top of it."""

    def __init__(self, repo: Path) -> None:
        self.repo = repo
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "demo")
        self.sha = git(repo, "rev-parse", "HEAD").strip()
        self.handle = gitpython.Repo(repo)

    def commit(self, path: str, data: bytes) -> str:
        git(self.repo, "reset", "-q", "--hard", self.sha)
        target = self.repo / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        git(self.repo, "add", "-A")
        git(self.repo, "commit", "-q", "--allow-empty", "-m", "mutation")
        return git(self.repo, "rev-parse", "HEAD").strip()


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    return Base(copy_demo(tmp_path_factory.mktemp("fuzz") / "repo"))


def run_check(base: Base, head: str) -> int:
    result = check_change(base.handle, base.sha, head, dt.date.fromisoformat(TODAY))
    extra = {"base": result.base, "head": result.head, "merge_base": result.fork,
             "required_approvals": [r.as_dict() for r in result.required]}
    for fmt in FORMATS:
        for lang in ("vi", "en"):
            assert render(result.report, fmt, lang, extra)
            approvals_text(result, lang)
    doc = json.loads(render(result.report, "json", "en", extra))
    for f in doc["findings"]:
        assert f["rule"] in CATALOG and f["line"] >= 1 and f["column"] >= 1 and f["message"]
    code = result.report.exit_code()
    assert code in (0, 1)
    return code


CHECK = settings(FUZZ, max_examples=examples(8),
                 deadline=dt.timedelta(seconds=60))


@CHECK
@given(mutated_record(), st.booleans())
def test_check_survives_any_mutation(base: Base, case: tuple[str, bytes, list[str]], as_new_case: bool) -> None:
    path, data, _ = case
    if as_new_case:  # the same bytes as a case file the base does not have
        path = path[: -len(".yaml")] + "-9.yaml"
    assert GIT_ENV  # the fixed identity conftest sets for every git call
    run_check(base, base.commit(path, data))


def test_check_of_the_clean_demo_is_clean(base: Base) -> None:
    """The fuzzer's base line: the same machinery on an unchanged record finds nothing."""
    path, text = demo_records()[0]
    assert run_check(base, base.commit(path, text.encode("utf-8"))) == 0
