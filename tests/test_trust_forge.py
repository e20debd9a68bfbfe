"""The trust chain on the forge's side (issue 8): each attack an officer with push access tried,
replayed against real git repositories, real `hoso` runs and a stand-in for GitHub's API on
127.0.0.1. Each test fails against the code before the fix and passes after it."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests import hoso_proc
from tests.conftest import git
from tests.github_util import TOKEN, FakeGitHub, pr_commit, review, serve
from tests.pr_util import CASE, EVENTS, MEMBER, commit, hoso, make_repo, progress_note, write_case

REPO = "hoso-demo/records"
TODAY = "2024-11-01"
RECORDER = "xa-a-thon-1-2"  # OF-002, chi ủy of thôn 1: records the progress note
APPROVER = "xa-a-thon-1-3"  # OF-003, chi ủy of thôn 1


def _forge_run(repo: Path, gh: FakeGitHub, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url, "GITHUB_REPOSITORY": REPO,
           "HOSO_FORGE_BACKOFF": "0"}  # a 5xx is retried at once (tests/test_forges.py does the same)
    return hoso_proc.run(["-C", str(repo), "approvals", "--github", "--pr",
                          str(gh.number), "--today", TODAY, "--lang", "en", *args],
                         capture_output=True, text=True, env=env, timeout=120)


def _step(tmp_path: Path, recorder: str = "OF-002") -> tuple[Path, str, str]:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder=recorder)])
    return repo, base, commit(repo, "progress note")


def _file_run(repo: Path, base: str, head: str, author: str, reviews: list[dict[str, Any]]) -> tuple[int, dict[str, Any]]:
    path = repo.parent / "reviews.json"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    code, out, err = hoso(repo, "approvals", "--base", base, "--head", head, "--author", author, "--reviews",
                          str(path), "--today", TODAY, "--format", "json", "--lang", "en")
    assert code in (0, 1), err
    return code, json.loads(out)


def _findings(doc: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in doc["findings"] if f["rule"] == rule]


# ------------------------------------------------------------- attack 5: recorded_by


def test_a_plain_member_cannot_record_a_step_in_an_officers_name(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    code, doc = _file_run(repo, base, head, "xa-a-thon-1-5", [review(1, APPROVER, "APPROVED", head)])
    assert code == 1 and doc["satisfied"] is False
    [f] = _findings(doc, "APPROVAL-RECORDER-NOT-AUTHOR")
    assert f["file"] == CASE and f["severity"] == "error"
    assert "names OF-002 as its recorder, but OF-005 (@xa-a-thon-1-5) opened" in f["message"]
    assert f["line"] == doc["approvals"][0]["line"]


def test_the_cases_own_member_cannot_record_a_step_about_themselves(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)  # "member-self" (OF-091) is the officer whose member code is the case's
    code, doc = _file_run(repo, base, head, "member-self", [review(1, APPROVER, "APPROVED", head)])
    assert code == 1
    assert [f["rule"] for f in doc["findings"] if f["severity"] == "error"] == ["APPROVAL-RECORDER-NOT-AUTHOR"]
    assert MEMBER == "DV-0100"


def test_an_author_outside_the_roster_cannot_record_anything(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    code, doc = _file_run(repo, base, head, "stranger", [review(1, APPROVER, "APPROVED", head)])
    assert code == 1
    [f] = _findings(doc, "APPROVAL-AUTHOR-NOT-OFFICER")
    assert "@stranger is not in the roster" in f["message"]


def test_the_recorder_who_opened_it_passes(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    code, doc = _file_run(repo, base, head, RECORDER, [review(1, APPROVER, "APPROVED", head)])
    assert code == 0 and doc["findings"] == []


def test_a_clerk_may_record_for_the_body_they_serve(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    settings = repo / "hoso.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "clerk_role: dang_vien\n", encoding="utf-8")
    base = commit(repo, "a clerk role")
    git(repo, "checkout", "-q", "change")
    git(repo, "reset", "-q", "--hard", base)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    # OF-005 holds dang_vien (the clerk role here) at thôn 1 on the event's date
    code, doc = _file_run(repo, base, head, "xa-a-thon-1-5", [review(1, APPROVER, "APPROVED", head)])
    assert code == 0, doc["findings"]
    # ... but not at thôn 2, whose steps they still cannot record
    code, doc = _file_run(repo, base, head, "xa-a-thon-2-4", [review(1, APPROVER, "APPROVED", head)])
    assert code == 1 and _findings(doc, "APPROVAL-RECORDER-NOT-AUTHOR")


def test_a_commit_by_someone_else_on_the_pull_request_is_refused(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    gh = FakeGitHub(REPO, 7, RECORDER, base, head, [review(1, APPROVER, "APPROVED", head)],
                    commits=[pr_commit(base, RECORDER), pr_commit(head, "xa-a-thon-1-5")])
    with serve(gh):
        proc = _forge_run(repo, gh, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    [f] = _findings(json.loads(proc.stdout), "APPROVAL-FOREIGN-COMMIT")
    assert f"commit {head[:12]}" in f["message"] and "@xa-a-thon-1-5" in f["message"]
    assert any(r.startswith(f"GET /repos/{REPO}/pulls/7/commits") for r in gh.requests)


def test_a_commit_github_maps_to_no_account_is_refused(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    gh = FakeGitHub(REPO, 7, RECORDER, base, head, [review(1, APPROVER, "APPROVED", head)],
                    commits=[pr_commit(head, None)])
    with serve(gh):
        proc = _forge_run(repo, gh, "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert _findings(json.loads(proc.stdout), "APPROVAL-FOREIGN-COMMIT")


# -------------------------------------------------- attack 7: the role on both dates


def test_an_approver_whose_role_ended_cannot_approve_a_backdated_event(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)  # the event is dated 2024-10-10; OF-003's role there ended 2025-06-30
    code, doc = _file_run(repo, base, head, RECORDER, [review(1, APPROVER, "APPROVED", head, day="2025-08-01")])
    assert code == 1
    [note] = _findings(doc, "APPROVAL-NOT-COUNTED")
    assert "on 2025-08-01 (the day of the approval)" in note["message"]
    # the same review given while the role still ran counts
    code, doc = _file_run(repo, base, head, RECORDER, [review(1, APPROVER, "APPROVED", head, day="2025-06-30")])
    assert code == 0, doc["findings"]


def test_the_approval_day_is_the_day_in_vietnam(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    late = review(1, APPROVER, "APPROVED", head)
    late["submitted_at"] = "2025-06-30T17:30:00Z"  # 00:30 on 1 July in Vietnam: the role has ended
    code, doc = _file_run(repo, base, head, RECORDER, [late])
    assert code == 1 and "on 2025-07-01" in _findings(doc, "APPROVAL-NOT-COUNTED")[0]["message"]


# --------------------------------------------------- attack 3: retargeting the base


def test_a_pull_request_into_another_branch_is_refused_and_marked(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    gh = FakeGitHub(REPO, 7, RECORDER, base, head, [review(1, APPROVER, "APPROVED", head)], base_ref="roles-for-me")
    with serve(gh):
        proc = _forge_run(repo, gh, "--set-status")
    assert proc.returncode == 1
    assert "targets 'roles-for-me', not the protected branch 'main'" in proc.stderr
    assert [b["state"] for _, b in gh.statuses] == ["pending", "error"]
    assert "Traceback" not in proc.stderr


def test_the_protected_branch_is_the_judges_setting_not_the_pull_requests(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    # the pull request's own hoso.yaml names its branch as the protected one: it changes nothing
    (repo / "hoso.yaml").write_text((repo / "hoso.yaml").read_text(encoding="utf-8")
                                    + "protected_branch: roles-for-me\n", encoding="utf-8")
    commit(repo, "claim the branch")
    git(repo, "checkout", "-q", "main")  # the judge runs from main's checkout
    gh = FakeGitHub(REPO, 7, RECORDER, base, git(repo, "rev-parse", "change").strip(), [], base_ref="roles-for-me")
    with serve(gh):
        proc = _forge_run(repo, gh)
    assert proc.returncode == 1 and "not the protected branch 'main'" in proc.stderr


# ------------------------------------- attack 15 (and 2): no stale or forged success


def test_a_failed_re_evaluation_replaces_an_earlier_success(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    gh = FakeGitHub(REPO, 7, RECORDER, base, head, [review(1, APPROVER, "APPROVED", head)])
    with serve(gh):
        assert _forge_run(repo, gh, "--set-status").returncode == 0
        gh.fail = {"/reviews"}  # the API breaks on the next run (a review was dismissed meanwhile)
        proc = _forge_run(repo, gh, "--set-status")
    assert proc.returncode == 4 and "500" in proc.stderr and "Traceback" not in proc.stderr
    assert [(sha, b["state"]) for sha, b in gh.statuses] == [
        (head, "pending"), (head, "success"), (head, "pending"), (head, "error")]


def test_a_forged_success_is_overwritten_by_the_judgement(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    gh = FakeGitHub(REPO, 7, RECORDER, base, head, [])  # no approval at all
    gh.statuses.append((head, {"state": "success", "context": "hoso/approvals", "description": "forged"}))
    with serve(gh):
        proc = _forge_run(repo, gh, "--set-status")
    assert proc.returncode == 1
    assert [b["state"] for _, b in gh.statuses] == ["success", "pending", "failure"]


def test_the_status_is_set_only_on_the_commit_judged(tmp_path: Path) -> None:
    repo, base, head = _step(tmp_path)
    gh = FakeGitHub(REPO, 7, RECORDER, base, head, [review(1, APPROVER, "APPROVED", head)])
    with serve(gh):
        proc = _forge_run(repo, gh, "--set-status", "--head", base)
    assert proc.returncode == 2 and "drop --head" in proc.stderr
    assert gh.statuses == []
