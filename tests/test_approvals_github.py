"""hoso approvals --github against a real HTTP server on 127.0.0.1 that answers as GitHub's API does."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests import hoso_proc
from tests.github_util import TOKEN, FakeGitHub, review, serve
from tests.pr_util import EVENTS, commit, make_repo, progress_note, write_case

REPO = "hoso-demo/records"


def _run(repo: Path, gh: FakeGitHub, *args: str, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_TOKEN": token, "GITHUB_API_URL": gh.url, "GITHUB_REPOSITORY": REPO}
    return hoso_proc.run(["-C", str(repo), "approvals", "--github", "--pr",
                          str(gh.number), "--today", "2024-11-01", *args],
                         capture_output=True, text=True, env=env, timeout=120)


def _setup(tmp_path: Path, reviews: list[str]) -> tuple[Path, FakeGitHub]:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    states = [review(i, login, state, head) for i, (login, state) in
              enumerate(r.split(":") for r in reviews)]
    return repo, FakeGitHub(REPO, 7, "xa-a-thon-1-2", base, head, states)  # OF-002 records and opens it


def test_paginated_reviews_and_success_status(tmp_path: Path) -> None:
    repo, gh = _setup(tmp_path, ["stranger:COMMENTED", "xa-a-thon-2-2:APPROVED", "xa-a-thon-1-1:CHANGES_REQUESTED",
                                 "xa-a-thon-1-4:COMMENTED", "xa-a-thon-1-3:APPROVED"])
    with serve(gh):
        proc = _run(repo, gh, "--set-status", "--format", "json")
    assert proc.stdout, proc.stderr
    doc = json.loads(proc.stdout)
    # the only valid approval is on the third page: pagination followed the Link header
    assert any("page=3" in r for r in gh.requests)
    assert doc["approvals"][0]["approved_by"] == ["xa-a-thon-1-3"]
    assert proc.returncode == 0
    assert [(sha, b["state"], b["context"]) for sha, b in gh.statuses] == [
        (gh.head, "pending", "hoso/approvals"), (gh.head, "success", "hoso/approvals")]


def test_missing_approval_sets_failure_status(tmp_path: Path) -> None:
    repo, gh = _setup(tmp_path, ["xa-a-thon-1-3:APPROVED", "xa-a-thon-1-3:CHANGES_REQUESTED"])
    with serve(gh):
        proc = _run(repo, gh, "--set-status")
    assert proc.returncode == 1, proc.stderr
    assert "APPROVAL-MISSING" in proc.stdout
    assert [b["state"] for _, b in gh.statuses] == ["pending", "failure"]


def test_no_status_unless_asked(tmp_path: Path) -> None:
    repo, gh = _setup(tmp_path, ["xa-a-thon-1-3:APPROVED"])
    with serve(gh):
        proc = _run(repo, gh)
    assert proc.returncode == 0, proc.stderr
    assert gh.statuses == [] and not any(r.startswith("POST") for r in gh.requests)


def test_pull_request_author_comes_from_the_api(tmp_path: Path) -> None:
    repo, gh = _setup(tmp_path, ["xa-a-thon-1-3:APPROVED"])
    gh.author = "xa-a-thon-1-3"
    with serve(gh):
        proc = _run(repo, gh)
    assert proc.returncode == 1, proc.stderr


def test_bad_token_is_a_clear_error(tmp_path: Path) -> None:
    repo, gh = _setup(tmp_path, [])
    with serve(gh):
        proc = _run(repo, gh, token="wrong")
    assert proc.returncode == 4  # "could not ask", not "not approved"
    assert "401" in proc.stderr and "Traceback" not in proc.stderr
