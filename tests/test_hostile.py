"""Malformed, hostile and huge record files: `hoso validate` (a real subprocess) answers each
with exit code 1 and a finding that has a rule id, in bounded time, never with a traceback."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hoso.messages import CATALOG
from tests.conftest import ROOT, TODAY, copy_demo

RECORD = "records/van-chan/xa-a/chi-bo-thon-1/VC-2099-001.yaml"
TIMEOUT = 120  # seconds: a bound on the run, not a timing assertion

HEADER = ("case: VC-2099-001\nprocedure: hd02-2021\nunit: van-chan/xa-a/chi-bo-thon-1\nmember: DV-0099\n"
          "member_status: full\n")


def billion_laughs() -> bytes:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    return ("\n".join(lines) + "\ncase: *a9\n").encode()


def deep_flow() -> bytes:
    return (HEADER + "history: " + "[" * 10_000 + "]" * 10_000 + "\n").encode()


def deep_block() -> bytes:
    return (HEADER + "history:\n  " + "- " * 10_000 + "x\n").encode()


def deep_block_crash() -> bytes:
    """Nesting the fast (Rust) parser used to crash on with a stack overflow."""
    return (HEADER + "history:\n  " + "- " * 400_000 + "x\n").encode()


def deep_mapping() -> bytes:
    return (HEADER + "history: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n").encode()


def huge() -> bytes:
    return (HEADER + "history:\n" + "  # padding\n" * 450_000).encode()  # ~5 MB


def garbage() -> bytes:
    return random.Random(20261127).randbytes(64 * 1024)


def invalid_utf8() -> bytes:
    return HEADER.encode() + b"history:\n  - event: flagged\n    note: \"caf\xe9 \xff\xfe\"\n"


def nul_bytes() -> bytes:
    return HEADER.encode() + b"history:\n  - event: flag\x00ged\n"


def long_line() -> bytes:
    return (HEADER + 'history:\n  - {event: flagged, date: "2021-05-04", note: "' + "x" * 100_000 + '"}\n').encode()


def many_keys() -> bytes:
    return (HEADER + "history:\n  - event: flagged\n" + "".join(f"    k{i}: {i}\n" for i in range(50_000))).encode()


def many_events() -> bytes:
    event = '  - {event: progress_note, date: "2021-05-04", recorded_by: OF-004, document: PGN-1}\n'
    return (HEADER + "history:\n" + event * 5_000).encode()


def tabs() -> bytes:
    return (HEADER + "history:\n\t- event: flagged\n\t  date: \"2021-05-04\"\n").encode()


def a_list() -> bytes:
    return b"- case: VC-2099-001\n- procedure: hd02-2021\n"


def a_scalar() -> bytes:
    return b"just some words\n"


def empty() -> bytes:
    return b""


def only_comments() -> bytes:
    return b"# nothing here\n"


def bom_and_crlf() -> bytes:
    return b"\xef\xbb\xbf" + HEADER.replace("\n", "\r\n").encode() + b"history: 7\r\n"


def control_chars() -> bytes:
    return (HEADER + "history:\n  - event: \x07\x1b[31mflagged\n").encode()


def lone_surrogate_escape() -> bytes:
    return (HEADER + 'history:\n  - {event: flagged, note: "\\ud800"}\n').encode()


def huge_integer() -> bytes:
    return (HEADER.replace("member_status: full\n", "member_status: full\n")
            + "history:\n  - {event: list_voted, ballot: {members_total: " + "9" * 5_000 + "}}\n").encode()


INPUTS: dict[str, Callable[[], bytes]] = {
    "billion-laughs": billion_laughs,
    "deep-flow-10k": deep_flow,
    "deep-block-10k": deep_block,
    "deep-block-400k": deep_block_crash,
    "deep-mapping-10k": deep_mapping,
    "huge-5mb": huge,
    "binary-garbage": garbage,
    "invalid-utf8": invalid_utf8,
    "nul-bytes": nul_bytes,
    "line-100k": long_line,
    "keys-50k": many_keys,
    "events-5k": many_events,
    "tabs": tabs,
    "list": a_list,
    "scalar": a_scalar,
    "empty": empty,
    "only-comments": only_comments,
    "bom-crlf": bom_and_crlf,
    "control-characters": control_chars,
    "lone-surrogate": lone_surrogate_escape,
    "huge-integer": huge_integer,
}


SPECIAL = ("directory", "named-pipe", "symlink-to-dev-zero")


def record_path(name: str) -> str:
    """Each input gets its own case file in one repository: one run checks them all."""
    names = sorted(INPUTS) + list(SPECIAL)
    return f"records/van-chan/xa-a/chi-bo-thon-1/VC-2099-{names.index(name) + 100:03d}.yaml"


def validate(repo: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    env["PYTHONPATH"] = str(ROOT / "tools")
    proc = subprocess.run(
        [sys.executable, "-m", "hoso", "-C", str(repo), "validate", "--today", TODAY, "--format", "json",
         "--lang", "en"],
        capture_output=True, text=True, timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL,
    )
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    return proc, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    repo = copy_demo(tmp_path_factory.mktemp("hostile") / "repo", records=False)
    (repo / RECORD).parent.mkdir(parents=True)
    for name, make in INPUTS.items():
        (repo / record_path(name)).write_bytes(make())
    (repo / record_path("directory")).mkdir()
    (repo / record_path("directory") / "inner.txt").write_text("x", encoding="utf-8")
    if hasattr(os, "mkfifo"):
        os.mkfifo(repo / record_path("named-pipe"))
    if Path("/dev/zero").exists():
        (repo / record_path("symlink-to-dev-zero")).symlink_to("/dev/zero")
    _, doc = validate(repo)
    return repo, doc


def rules_for(doc: dict[str, Any], path: str) -> list[str]:
    mine = [f for f in doc["findings"] if f["file"] == path]
    assert mine, f"no finding for {path}"
    assert all(f["rule"] in CATALOG and f["line"] >= 1 and f["column"] >= 1 and f["message"] for f in mine)
    assert any(f["severity"] == "error" for f in mine)  # so this file alone makes the exit code 1
    return [f["rule"] for f in mine]


EXPECTED = {
    "billion-laughs": "YAML-ALIAS", "deep-flow-10k": "YAML-TOO-DEEP", "deep-block-10k": "YAML-TOO-DEEP",
    "deep-block-400k": "YAML-TOO-DEEP", "deep-mapping-10k": "YAML-TOO-DEEP", "huge-5mb": "YAML-TOO-LARGE",
    "invalid-utf8": "YAML-ENCODING", "nul-bytes": "YAML-ENCODING", "tabs": "YAML-SYNTAX", "list": "SCHEMA-TYPE",
    "scalar": "SCHEMA-TYPE", "empty": "SCHEMA-TYPE", "keys-50k": "SCHEMA-UNKNOWN-KEY",
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_hostile_record(name: str, hostile_run: tuple[Path, dict[str, Any]]) -> None:
    rules = rules_for(hostile_run[1], record_path(name))
    if name in EXPECTED:
        assert EXPECTED[name] in rules, rules[:10]


def test_huge_file(hostile_run: tuple[Path, dict[str, Any]]) -> None:
    """YAML-TOO-LARGE has no file example (it would weigh a megabyte): this is its example."""
    assert rules_for(hostile_run[1], record_path("huge-5mb")) == ["YAML-TOO-LARGE"]


def test_fifty_thousand_misspelt_keys_are_twenty_findings_and_a_count(hostile_run: tuple[Path, dict[str, Any]]) -> None:
    """One step with 50,000 keys it does not have: the first 20 are listed where they stand, and one
    FILE-MORE-FINDINGS, at the 21st, counts the rest (in the language's digit grouping)."""
    mine = [f for f in hostile_run[1]["findings"] if f["file"] == record_path("keys-50k")]
    unknown = [f for f in mine if f["rule"] == "SCHEMA-UNKNOWN-KEY"]
    assert [f["line"] for f in unknown] == list(range(8, 28))  # k0..k19, one a line
    more = [f for f in mine if f["rule"] == "FILE-MORE-FINDINGS"]
    assert [(f["line"], f["column"], f["severity"]) for f in more] == [(28, 5, "error")]
    assert "49,980 more SCHEMA-UNKNOWN-KEY findings" in more[0]["message"]


@pytest.mark.parametrize("name", SPECIAL)
def test_not_a_regular_file(name: str, hostile_run: tuple[Path, dict[str, Any]]) -> None:
    """A directory, a named pipe, a link to an endless device: reported, never opened or waited on."""
    if not (hostile_run[0] / record_path(name)).exists() and not (hostile_run[0] / record_path(name)).is_symlink():
        pytest.skip(f"cannot make a {name} here")
    assert rules_for(hostile_run[1], record_path(name)) == ["FILE-UNREADABLE"]


def test_every_file_was_checked(hostile_run: tuple[Path, dict[str, Any]]) -> None:
    """One bad file never stops the others being checked."""
    files = {f["file"] for f in hostile_run[1]["findings"]}
    made = [n for n in list(INPUTS) + list(SPECIAL) if os.path.lexists(hostile_run[0] / record_path(n))]
    assert files == {record_path(n) for n in made}


def test_unreadable_permissions(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo", records=False)
    path = repo / RECORD
    path.parent.mkdir(parents=True)
    path.write_bytes((ROOT / "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-001.yaml").read_bytes().replace(
        b"VC-2021-001", b"VC-2099-001"))
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        _, doc = validate(repo)
        assert rules_for(doc, RECORD) == ["FILE-UNREADABLE"]
    finally:
        path.chmod(0o644)
