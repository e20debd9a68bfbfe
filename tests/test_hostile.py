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


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = copy_demo(tmp_path / "repo", records=False)
    (repo / RECORD).parent.mkdir(parents=True)
    return repo


def validate(repo: Path) -> tuple[subprocess.CompletedProcess[str], dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    proc = subprocess.run(
        [sys.executable, "-m", "hoso", "-C", str(repo), "validate", "--today", TODAY, "--format", "json"],
        capture_output=True, text=True, timeout=TIMEOUT, env=env,
    )
    assert "Traceback" not in proc.stdout and "Traceback" not in proc.stderr, proc.stderr[-2000:]
    doc = json.loads(proc.stdout) if proc.stdout.startswith("{") else {}
    return proc, doc


def assert_reported(repo: Path, path: str) -> list[str]:
    proc, doc = validate(repo)
    assert proc.returncode == 1, (proc.returncode, proc.stderr[-2000:])
    findings = doc["findings"]
    assert isinstance(findings, list)
    rules = [f["rule"] for f in findings if f["file"] == path]
    assert rules and all(r in CATALOG for r in rules), rules[:10]
    assert all(f["line"] >= 1 and f["column"] >= 1 and f["message"] for f in findings if f["file"] == path)
    return rules


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_hostile_record(name: str, repo: Path) -> None:
    (repo / RECORD).write_bytes(INPUTS[name]())
    rules = assert_reported(repo, RECORD)
    expected = {
        "billion-laughs": "YAML-ALIAS", "deep-flow-10k": "YAML-TOO-DEEP", "deep-block-10k": "YAML-TOO-DEEP", "deep-block-400k": "YAML-TOO-DEEP",
        "deep-mapping-10k": "YAML-TOO-DEEP", "huge-5mb": "YAML-TOO-LARGE", "invalid-utf8": "YAML-ENCODING",
        "nul-bytes": "YAML-ENCODING", "tabs": "YAML-SYNTAX", "list": "SCHEMA-TYPE", "scalar": "SCHEMA-TYPE",
        "empty": "SCHEMA-TYPE", "keys-50k": "SCHEMA-UNKNOWN-KEY",
    }.get(name)
    if expected:
        assert expected in rules, rules[:10]


def test_huge_file(repo: Path) -> None:
    """YAML-TOO-LARGE has no file example (it would weigh a megabyte): this is its example."""
    (repo / RECORD).write_bytes(huge())
    assert assert_reported(repo, RECORD) == ["YAML-TOO-LARGE"]


def test_directory_named_like_a_record(repo: Path) -> None:
    (repo / RECORD).mkdir()
    (repo / RECORD / "inner.txt").write_text("x", encoding="utf-8")
    assert assert_reported(repo, RECORD) == ["FILE-UNREADABLE"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_not_opened(repo: Path) -> None:
    os.mkfifo(repo / RECORD)
    assert assert_reported(repo, RECORD) == ["FILE-UNREADABLE"]


def test_symlink_to_an_endless_device(repo: Path) -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    (repo / RECORD).symlink_to("/dev/zero")
    assert assert_reported(repo, RECORD) == ["FILE-UNREADABLE"]


def test_unreadable_permissions(repo: Path) -> None:
    path = repo / RECORD
    path.write_bytes((ROOT / "records/van-chan/xa-a/chi-bo-thon-1/VC-2021-001.yaml").read_bytes())
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        assert assert_reported(repo, RECORD) == ["FILE-UNREADABLE"]
    finally:
        path.chmod(0o644)


def test_every_hostile_input_at_once(repo: Path) -> None:
    """All of them in one repository: each is reported, none stops the others being checked."""
    unit = repo / "records/van-chan/xa-a/chi-bo-thon-1"
    heavy = {"huge-5mb", "keys-50k", "events-5k"}  # each already has its own run above
    names = [n for n in sorted(INPUTS) if n not in heavy]
    for i, name in enumerate(names):
        (unit / f"VC-2099-{i + 100:03d}.yaml").write_bytes(INPUTS[name]())
    proc, doc = validate(repo)
    assert proc.returncode == 1
    files = {f["file"] for f in doc["findings"]}  # type: ignore[attr-defined]
    assert len(files) == len(names)
