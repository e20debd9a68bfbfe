"""tests/hoso_proc.py answers as a fresh `python -m hoso` would: the same exit code, stdout and
stderr, in the requested directory and environment, with stdin, and a timeout that kills."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import hoso_proc
from tests.conftest import TODAY, copy_demo


def fresh(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "hoso", *args], capture_output=True, text=True, **kw)  # type: ignore[call-overload]


@pytest.mark.parametrize("args", [
    ["validate", "--today", TODAY],
    ["--lang", "en", "validate", "--today", TODAY, "--format", "json"],
    ["next", "vc-2099-001", "--today", TODAY],  # an unknown case: exit 1, a message on stderr
    ["record", "--no-such-option"],  # a command-line mistake: exit 2, argparse's message
])
def test_same_answer_as_a_fresh_interpreter(tmp_path: Path, args: list[str]) -> None:
    repo = copy_demo(tmp_path / "repo")
    a = hoso_proc.run(["-C", str(repo), *args], text=True)
    b = fresh(["-C", str(repo), *args])
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)


def test_a_procedure_unlike_the_zygotes_is_compiled_by_the_child(tmp_path: Path) -> None:
    """The zygote holds the project's procedures compiled: a repository whose procedure differs
    in one key is judged on its own file, as a fresh interpreter judges it."""
    repo = copy_demo(tmp_path / "repo")
    procedure = repo / "procedures" / "hd02-2021.yaml"
    procedure.write_text(procedure.read_text(encoding="utf-8") + "no_such_key: 1\n", encoding="utf-8")
    args = ["-C", str(repo), "--lang", "en", "validate", "--today", TODAY, "--no-cache"]
    a = hoso_proc.run(args, text=True)
    b = fresh(args)
    assert (a.returncode, a.stdout, a.stderr) == (b.returncode, b.stdout, b.stderr)
    assert a.returncode == 1 and "procedures/hd02-2021.yaml" in a.stdout and "SCHEMA-UNKNOWN-KEY" in a.stdout, a.stdout


def test_cwd_and_environment_are_the_requests(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    env = {**os.environ, "HOSO_LANG": "en", "HOSO_TODAY": TODAY}
    got = hoso_proc.run(["validate"], cwd=repo, env=env, text=True)
    assert got.returncode == 0 and "files checked" in got.stdout, got.stdout + got.stderr
    assert "tệp" in hoso_proc.run(["validate"], cwd=repo, env={**env, "HOSO_LANG": "vi"}, text=True).stdout
    elsewhere = hoso_proc.run(["validate"], cwd=repo / "records", env=env, text=True)  # not the repository's root
    assert elsewhere.returncode == 2 and f"-C {repo}" in elsewhere.stderr, elsewhere.stdout + elsewhere.stderr


def test_stdin_reaches_the_command(tmp_path: Path) -> None:
    """`hoso approvals --reviews -` reads the reviews from stdin: a bad document there is reported."""
    repo = copy_demo(tmp_path / "repo")
    got = hoso_proc.run(["-C", str(repo), "--lang", "en", "approvals", "--reviews", "-", "--base", "HEAD", "--head", "HEAD"],
                        input="{not json", text=True)
    want = fresh(["-C", str(repo), "--lang", "en", "approvals", "--reviews", "-", "--base", "HEAD", "--head", "HEAD"],
                 input="{not json")
    assert (got.returncode, got.stderr) == (want.returncode, want.stderr)


def test_a_timeout_kills_the_child(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    with pytest.raises(subprocess.TimeoutExpired):
        hoso_proc.run(["-C", str(repo), "validate", "--no-cache", "--today", TODAY], timeout=0.001)


def test_a_startup_variable_gets_a_fresh_interpreter(tmp_path: Path) -> None:
    """PYTHONWARNINGS is read when the interpreter starts: a forked child could not honour it."""
    repo = copy_demo(tmp_path / "repo")
    env = {**os.environ, "PYTHONWARNINGS": "error::DeprecationWarning"}
    assert hoso_proc._startup_differs(env, os.environ)
    assert not hoso_proc._startup_differs({**os.environ, "HOSO_LANG": "en"}, os.environ)
    got = hoso_proc.run(["-C", str(repo), "validate", "--today", TODAY], env=env, text=True)
    assert got.returncode == 0, got.stderr
