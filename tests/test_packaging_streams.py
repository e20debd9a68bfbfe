"""Standard streams: Vietnamese output survives a legacy code page or the C locale when
redirected, and '-' reads --from (hoso new/record) and --reviews (hoso approvals) from stdin.
Every run here is a real child process with real pipes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TODAY, copy_demo, git
from tests.github_util import review
from tests.pr_util import EVENTS, commit, make_repo, progress_note, write_case
from tests.record_util import MEMBER, UNIT

LEGACY = {  # what a Windows code page or a bare CI container gives Python for a redirected stdout
    "cp1252": {"PYTHONIOENCODING": "cp1252"},
    "cp1258": {"PYTHONIOENCODING": "cp1258"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"},
}


def _hoso(cwd: Path, *args: str, env: dict[str, str] | None = None,
          stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    full = {**os.environ, **(env or {})}
    for k in ("PYTHONIOENCODING", "PYTHONUTF8", "LC_ALL", "LANG"):
        if env is None or k not in env:
            full.pop(k, None)
    return subprocess.run([sys.executable, "-m", "hoso", "-C", str(cwd), *args], input=stdin,
                          capture_output=True, env=full, timeout=300)


@pytest.mark.parametrize("legacy", sorted(LEGACY))
def test_vietnamese_output_is_utf8_under_a_legacy_code_page(legacy: str, tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    probe = subprocess.run([sys.executable, "-c", "import sys; print(sys.stdout.encoding)"], capture_output=True,
                           text=True, env={**os.environ, **LEGACY[legacy]}, timeout=60).stdout.strip()
    assert probe.lower().replace("-", "") != "utf8"  # the setting really is a legacy encoding
    proc = _hoso(repo, "validate", "--today", TODAY, env=LEGACY[legacy])
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")  # strict: every byte is UTF-8
    assert "tệp đã kiểm tra: 0 lỗi, 4 cảnh báo" in out and "quá hạn" in out
    proc = _hoso(tmp_path / "nowhere", "validate", env=LEGACY[legacy])  # a message on stderr
    err = proc.stderr.decode("utf-8")
    assert proc.returncode in (1, 2) and err.startswith("hoso: ") and "Traceback" not in err
    assert any(ch in err for ch in "ạảấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỷỹđ"), err


@pytest.fixture
def empty_repo(tmp_path: Path) -> Path:
    repo = copy_demo(tmp_path / "repo", records=False)
    git(repo, "init", "-q", "-b", "main")
    commit(repo, "data")
    return repo


FLAGGED = ("date: \"2021-05-04\"\nrecorded_by: OF-003\ngrounds: [tai-pham]\n"
           "consultations:\n  - {body: mat-tran-thon, date: \"2021-04-28\", ref: BB-01/2021}\n")


def test_from_dash_reads_the_step_from_stdin(empty_repo: Path) -> None:
    args = ("new", "--unit", UNIT, "--member", MEMBER, "--member-status", "probationary", "--today", "2022-12-31",
            "--no-input", "--from", "-", "--lang", "en")
    proc = _hoso(empty_repo, *args, stdin=b"\xef\xbb\xbf" + FLAGGED.encode("utf-8"))  # with a byte-order mark
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    (path,) = (empty_repo / "records").rglob("*.yaml")
    text = path.read_text(encoding="utf-8")
    assert "grounds: [tai-pham]" in text and "BB-01/2021" in text and "OF-003" in text


def test_from_dash_refuses_what_is_not_utf8(empty_repo: Path) -> None:
    args = ("new", "--unit", UNIT, "--member", MEMBER, "--member-status", "probationary", "--today", "2022-12-31",
            "--no-input", "--from", "-", "--lang", "en")
    proc = _hoso(empty_repo, *args, stdin=FLAGGED.replace("tai-pham", "tái-pham").encode("cp1258"))
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1 and "'stdin' is not UTF-8 text" in err and "Traceback" not in err
    assert not list((empty_repo / "records").rglob("*.yaml"))  # nothing written


def test_reviews_dash_reads_the_reviews_from_stdin(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    # OF-002 (xa-a-thon-1-2) records the step and opens the pull request; OF-003 approves it
    args = ("approvals", "--base", base, "--head", head, "--author", "xa-a-thon-1-2", "--reviews", "-",
            "--today", "2024-11-01", "--format", "json", "--lang", "en")
    approved = json.dumps([review(1, "xa-a-thon-1-3", "APPROVED", head)]).encode("utf-8")
    proc = _hoso(repo, *args, stdin=approved)
    assert proc.returncode == 0, proc.stderr.decode("utf-8")
    assert json.loads(proc.stdout)["approvals"][0]["approved_by"] == ["xa-a-thon-1-3"]
    proc = _hoso(repo, *args, stdin=b"[]")  # the same pull request, no reviews: refused
    assert proc.returncode == 1 and json.loads(proc.stdout)["satisfied"] is False
