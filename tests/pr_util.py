"""Helpers for pull-request tests: a real git repository with an open case, base and head commits."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from hoso.cli import main
from tests.conftest import copy_demo, git

CASE = "records/van-chan/xa-a/chi-bo-thon-1/VC-2024-100.yaml"
MEMBER = "DV-0100"

HEADER = """\
# DỮ LIỆU MÔ PHỎNG — synthetic test record.
case: VC-2024-100
procedure: hd02-2021
unit: van-chan/xa-a/chi-bo-thon-1
member: DV-0100
member_status: full
history:
"""

EVENTS = [
    """\
  - event: flagged
    date: "2024-03-04"
    recorded_by: OF-002
    grounds: [khong-hoan-thanh-2-nam]
    consultations:
      - {body: mat-tran-thon, date: "2024-02-28", ref: BB-01/2024}
""",
    """\
  - event: list_voted
    date: "2024-03-12"
    recorded_by: OF-001
    resolution: NQ-02/2024
    ballot: {members_total: 15, excluded: {transferred: 1}, present: 13, for: 11, against: 2, invalid: 0, secret: true}
    result: passed
""",
    """\
  - event: list_approved
    date: "2024-03-20"
    recorded_by: OF-021
    decision: QĐ-15/2024
""",
    """\
  - event: notified
    date: "2024-03-27"
    recorded_by: OF-002
    spoken_by: OF-001
""",
    """\
  - event: self_review
    date: "2024-04-08"
    recorded_by: OF-002
    status: submitted
    document: BTKĐ-01/2024
    commitment: true
""",
    """\
  - event: help_assigned
    date: "2024-04-15"
    recorded_by: OF-001
    resolution: NQ-05/2024
    helper: OF-004
    period_start: "2024-04-15"
""",
]


def progress_note(date: str = "2024-10-10", recorder: str = "OF-002", doc: str = "PGN-01/2024") -> str:
    return f"""\
  - event: progress_note
    date: "{date}"
    recorded_by: {recorder}
    document: {doc}
"""


FINAL_REVIEW_EARLY = """\
  - event: final_review
    date: "2025-01-10"
    recorded_by: OF-001
    self_review: BTKĐ-03/2025
    helper_assessment: NX-01/2025
    resolution: NQ-11/2025
    ballot: {members_total: 15, present: 14, for: 2, against: 12, invalid: 0, secret: true}
    outcome: progress
"""

TRANSFER = """\
  - event: transferred
    date: "2025-06-30"
    recorded_by: OF-021
    to_unit: lao-cai/xa-son-a/chi-bo-thon-1
    order: QĐ-99/2025
"""

# Officers the approval tests need, added to the demo roster in the base commit.
EXTRA_OFFICERS = """\
  - id: OF-090
    login: expired-chi-uy
    member: DV-9090
    roles:
      - {role: chi_uy, unit: van-chan/xa-a/chi-bo-thon-1, from: "2019-01-01", to: "2024-06-30"}
  - id: OF-091
    login: member-self
    member: DV-0100
    roles:
      - {role: chi_uy, unit: van-chan/xa-a/chi-bo-thon-1, from: "2019-01-01", to: "2025-06-30"}
"""


def case_text(events: list[str]) -> str:
    return HEADER + "".join(events)


def commit(repo: Path, message: str) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def make_repo(tmp_path: Path) -> tuple[Path, str]:
    """The demo data plus one open case at stage help_assigned; returns (repo, base sha)."""
    repo = copy_demo(tmp_path / "repo")
    officers = repo / "org/officers.yaml"
    officers.write_text(officers.read_text(encoding="utf-8") + EXTRA_OFFICERS, encoding="utf-8")
    path = repo / CASE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(case_text(EVENTS), encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo, base


def write_case(repo: Path, events: list[str], path: str = CASE) -> None:
    target = repo / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(case_text(events), encoding="utf-8")


def hoso(repo: Path, *args: str) -> tuple[int, str, str]:
    """Run the command line in this process (fast); ``hoso_process`` runs it as a real child."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["-C", str(repo), *args])
    return code, out.getvalue(), err.getvalue()


def hoso_process(repo: Path, *args: str) -> tuple[int, str, str]:
    proc = subprocess.run([sys.executable, "-m", "hoso", "-C", str(repo), *args], capture_output=True, text=True,
                          timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def check_json(repo: Path, base: str, today: str, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, err = hoso(repo, "check", "--base", base, "--today", today, "--format", "json", "--lang", "en", *extra)
    assert code in (0, 1), err
    return code, json.loads(out)


def rules(doc: dict[str, Any], severity: str | None = None) -> set[str]:
    return {f["rule"] for f in doc["findings"] if severity is None or f["severity"] == severity}


def line_of(repo: Path, text: str, path: str = CASE) -> int:
    for i, line in enumerate((repo / path).read_text(encoding="utf-8").splitlines(), 1):
        if text in line:
            return i
    raise AssertionError(f"{text!r} not in {path}")
