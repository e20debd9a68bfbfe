"""The same approval scenarios against both forges (issue 11): GitHub and Forgejo/Gitea, each a
real HTTP server on 127.0.0.1 answering in its own paths, auth, pagination and JSON shapes.
The approval rules do not know which forge a review came from: every scenario has one expected
outcome for both."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hoso.forge import parse_reviews
from tests import hoso_proc
from tests.forge_util import TOKEN, FakeForge, commit, review, serve
from tests.pr_util import EVENTS, make_repo, progress_note, write_case
from tests.pr_util import commit as git_commit

KINDS = ("github", "forgejo")
REPO = "hoso-demo/records"
RECORDER = "xa-a-thon-1-2"  # OF-002 records the progress note and opens the pull request
APPROVER = "xa-a-thon-1-3"  # OF-003, chi ủy of thôn 1


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """One repository for the module: a progress note that a chi ủy member of thôn 1 must approve."""
    from tests.conftest import GIT_ENV

    os.environ.update(GIT_ENV)
    repo, base = make_repo(tmp_path_factory.mktemp("forges"))
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    return repo, base, git_commit(repo, "progress note")


def _run(repo: Path, f: FakeForge, *args: str, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_TOKEN": token, "GITHUB_API_URL": f.api, "GITHUB_REPOSITORY": REPO,
           "HOSO_FORGE_BACKOFF": "0"}
    return hoso_proc.run(["-C", str(repo), "approvals", "--forge", f.kind, "--pr",
                          str(f.number), "--today", "2024-11-01", "--lang", "en", "--format", "json", *args],
                         capture_output=True, text=True, env=env, timeout=120)


def _forge(kind: str, change: tuple[Path, str, str], reviews: list[tuple[str, str]], **kw: Any) -> FakeForge:
    _repo, base, head = change
    rows = [review(kind, i, login, verdict, head) for i, (login, verdict) in enumerate(reviews)]
    return FakeForge(kind, REPO, 7, RECORDER, base, head, rows, **kw)


def _judge(kind: str, change: tuple[Path, str, str], reviews: list[tuple[str, str]],
           **kw: Any) -> tuple[int, dict[str, Any], FakeForge]:
    f = _forge(kind, change, reviews, **kw)
    with serve(f):
        proc = _run(change[0], f)
    assert proc.returncode in (0, 1), proc.stderr
    return proc.returncode, json.loads(proc.stdout), f


def _not_counted(doc: dict[str, Any]) -> str:
    return "\n".join(x["message"] for x in doc["findings"] if x["rule"] == "APPROVAL-NOT-COUNTED")


SCENARIOS = {
    "right role": ([(APPROVER, "approve")], 0, ""),
    "wrong role": ([("xa-a-thon-2-2", "approve")], 1, "does not hold chi_uy for 'van-chan/xa-a/chi-bo-thon-1'"),
    "self": ([(RECORDER, "approve")], 1, "the author cannot approve their own change"),
    "dismissed": ([(APPROVER, "approve"), (APPROVER, "dismissed")], 1, ""),
    "changes requested": ([(APPROVER, "approve"), (APPROVER, "changes")], 1, ""),
    "approval after changes requested": ([(APPROVER, "changes"), (APPROVER, "approve")], 0, ""),
    "a comment does not revoke": ([(APPROVER, "approve"), (APPROVER, "comment")], 0, ""),
    "a pending review counts for nothing": ([(APPROVER, "pending")], 1, ""),
    "paginated": ([("stranger", "comment"), ("xa-a-thon-2-2", "approve"), ("xa-a-thon-1-1", "changes"),
                   ("xa-a-thon-1-4", "comment"), (APPROVER, "approve")], 0, ""),
}


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", list(SCENARIOS))
def test_the_same_scenario_has_the_same_outcome_on_both_forges(kind: str, name: str,
                                                                change: tuple[Path, str, str]) -> None:
    reviews, expected, reason = SCENARIOS[name]
    code, doc, f = _judge(kind, change, reviews)
    assert code == expected, doc["findings"]
    assert doc["approvals"][0]["approved_by"] == ([APPROVER] if expected == 0 else [])
    if reason:
        assert reason in _not_counted(doc)
    if name == "paginated":  # the only valid approval is on the third page of two reviews each
        assert any("page=3" in r for r in f.requests)
        size = "per_page=100" if kind == "github" else "limit=50"
        assert any(size in r for r in f.requests)


@pytest.mark.parametrize("kind", KINDS)
def test_an_approval_of_an_older_commit_does_not_count(kind: str, change: tuple[Path, str, str]) -> None:
    repo, base, head = change
    old = review(kind, 1, APPROVER, "approve", base, **({"stale": True} if kind == "forgejo" else {}))
    f = FakeForge(kind, REPO, 7, RECORDER, base, head, [old])
    with serve(f):
        proc = _run(repo, f)
    assert proc.returncode == 1
    assert "older commit" in _not_counted(json.loads(proc.stdout))


def test_a_stale_forgejo_review_never_approves_the_head() -> None:
    """Forgejo marks a review stale after a new push; hoso ties it to no commit at all."""
    [r] = parse_reviews("forgejo", [review("forgejo", 1, APPROVER, "approve", "f" * 40, stale=True)])
    assert r.commit is None and r.state == "APPROVED"
    [r] = parse_reviews("forgejo", [review("forgejo", 1, APPROVER, "approve", "f" * 40, dismissed=True)])
    assert r.state == "DISMISSED"
    [r] = parse_reviews("forgejo", [review("forgejo", 1, APPROVER, "changes", "f" * 40)])
    assert r.state == "CHANGES_REQUESTED"


@pytest.mark.parametrize("kind", KINDS)
def test_a_foreign_commit_is_refused_on_both(kind: str, change: tuple[Path, str, str]) -> None:
    _repo, _base, head = change
    code, doc, _f = _judge(kind, change, [(APPROVER, "approve")], commits=[commit(kind, head, "xa-a-thon-1-5")])
    assert code == 1 and [x["rule"] for x in doc["findings"]] == ["APPROVAL-FOREIGN-COMMIT"]


# ----------------------------------------------------------------- the API misbehaves


@pytest.mark.parametrize("kind", KINDS)
def test_a_bad_token_is_exit_4_with_a_clear_message(kind: str, change: tuple[Path, str, str]) -> None:
    f = _forge(kind, change, [])
    with serve(f):
        proc = _run(change[0], f, token="wrong")
    assert proc.returncode == 4 and "401" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_pull_request_is_exit_4(kind: str, change: tuple[Path, str, str]) -> None:
    f = _forge(kind, change, [])
    f.number = 8  # the server knows #8; hoso asks for #7
    with serve(f):
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": f.api, "GITHUB_REPOSITORY": REPO}
        proc = hoso_proc.run(["-C", str(change[0]), "approvals", "--forge", kind,
                              "--pr", "7", "--today", "2024-11-01"], capture_output=True, text=True, env=env,
                             timeout=120)
    assert proc.returncode == 4 and "404" in proc.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_a_5xx_is_retried_then_answered(kind: str, change: tuple[Path, str, str]) -> None:
    code, doc, f = _judge(kind, change, [(APPROVER, "approve")], fail={"/reviews": 2})
    assert code == 0, doc
    assert sum("/reviews" in r for r in f.requests) == 3  # two 500s, then the answer


@pytest.mark.parametrize("kind", KINDS)
def test_a_5xx_that_lasts_is_exit_4_and_marks_the_status(kind: str, change: tuple[Path, str, str]) -> None:
    f = _forge(kind, change, [(APPROVER, "approve")], fail={"/reviews": 99})
    with serve(f):
        proc = _run(change[0], f, "--set-status")
    assert proc.returncode == 4 and "500" in proc.stderr
    assert [b["state"] for _, b in f.statuses] == ["pending", "error"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_rate_limit_is_waited_out(kind: str, change: tuple[Path, str, str]) -> None:
    code, doc, f = _judge(kind, change, [(APPROVER, "approve")], limited=2)
    assert code == 0, doc


@pytest.mark.parametrize("kind", KINDS)
def test_the_status_on_both_forges(kind: str, change: tuple[Path, str, str]) -> None:
    f = _forge(kind, change, [(APPROVER, "approve")])
    with serve(f):
        proc = _run(change[0], f, "--set-status")
    assert proc.returncode == 0, proc.stderr
    assert [(sha, b["state"], b["context"]) for sha, b in f.statuses] == [
        (f.head, "pending", "hoso/approvals"), (f.head, "success", "hoso/approvals")]


def test_reviews_from_a_file_in_forgejos_shape(change: tuple[Path, str, str], tmp_path: Path) -> None:
    repo, base, head = change
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([review("forgejo", 1, APPROVER, "approve", head)]), encoding="utf-8")
    env = {**os.environ}
    proc = hoso_proc.run(["-C", str(repo), "approvals", "--forge", "forgejo",
                          "--reviews", str(path), "--base", base, "--head", head, "--author", RECORDER,
                          "--today", "2024-11-01"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the same file read as GitHub's shape: Forgejo's states are not GitHub's, nothing approves
    proc = hoso_proc.run(["-C", str(repo), "approvals", "--forge", "github",
                          "--reviews", str(path), "--base", base, "--head", head, "--author", RECORDER,
                          "--today", "2024-11-01"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0  # APPROVED is spelt the same way by both
    path.write_text(json.dumps([review("forgejo", 1, APPROVER, "approve", head),
                                review("forgejo", 2, APPROVER, "changes", head)]), encoding="utf-8")
    proc = hoso_proc.run(["-C", str(repo), "approvals", "--forge", "forgejo",
                          "--reviews", str(path), "--base", base, "--head", head, "--author", RECORDER,
                          "--today", "2024-11-01"], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1


def test_the_forge_comes_from_hoso_yaml(change: tuple[Path, str, str], tmp_path: Path) -> None:
    """A Forgejo deployment says so once in hoso.yaml; the commands need no --forge then."""
    repo, base, head = change
    settings = repo / "hoso.yaml"
    before = settings.read_text(encoding="utf-8")
    f = _forge("forgejo", change, [(APPROVER, "approve")])
    try:
        with serve(f):
            settings.write_text(before + f"forge:\n  kind: forgejo\n  api_url: {f.api}\n  repository: {REPO}\n",
                                encoding="utf-8")
            env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
            env["GITHUB_TOKEN"] = TOKEN
            proc = hoso_proc.run(["-C", str(repo), "approvals", "--pr", "7",
                                  "--today", "2024-11-01"], capture_output=True, text=True, env=env, timeout=120)
    finally:
        settings.write_text(before, encoding="utf-8")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert any(r.startswith("GET /api/v1/repos/") for r in f.requests)


@pytest.mark.parametrize("kind", KINDS)
def test_the_job_summary_names_who_may_approve_and_asks_them(kind: str, change: tuple[Path, str, str],
                                                             tmp_path: Path) -> None:
    f = _forge(kind, change, [("xa-a-thon-2-2", "approve")])  # the wrong unit: nothing counts yet
    summary = tmp_path / "summary.md"
    with serve(f):
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": f.api, "GITHUB_REPOSITORY": REPO,
               "GITHUB_STEP_SUMMARY": str(summary)}
        proc = hoso_proc.run(["-C", str(change[0]), "approvals", "--forge", kind,
                              "--pr", "7", "--today", "2024-11-01", "--lang", "en", "--request-reviewers"],
                             capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    text = summary.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| VC-2024-100 progress_note"))
    # chi ủy of thôn 1 on the event's date and today, less the recorder (OF-002) and the author
    assert "1 × chi_uy @ van-chan/xa-a/chi-bo-thon-1" in row
    assert "OF-001 (@xa-a-thon-1-1), OF-003 (@xa-a-thon-1-3)" in row and "OF-002" not in row
    assert row.endswith("| — | 1 |") and "Approvals missing." in text
    # asked once, and never the case's own member (member-self) nor an expired chi ủy
    assert f.requested == [["xa-a-thon-1-1", "xa-a-thon-1-3"]]


@pytest.mark.parametrize("kind", KINDS)
def test_signed_commits_when_the_repository_asks(kind: str, tmp_path: Path) -> None:
    """The author's e-mail maps a commit to an account, and anyone who commits can set it: a
    repository that sets signed_commits accepts only signatures the forge verified."""
    from tests.conftest import git
    from tests.pr_util import commit as git_commit

    repo, base = make_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    (repo / "hoso.yaml").write_text((repo / "hoso.yaml").read_text(encoding="utf-8") + "signed_commits: true\n",
                                    encoding="utf-8")
    base = git_commit(repo, "ask for signed commits")
    git(repo, "checkout", "-q", "change")
    git(repo, "reset", "-q", "--hard", base)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = git_commit(repo, "progress note")
    reviews = [review(kind, 1, APPROVER, "approve", head)]
    forged = FakeForge(kind, REPO, 7, RECORDER, base, head, reviews, commits=[commit(kind, head, RECORDER)])
    with serve(forged):
        proc = _run(repo, forged)
    assert proc.returncode == 1
    assert [x["rule"] for x in json.loads(proc.stdout)["findings"]] == ["APPROVAL-UNSIGNED-COMMIT"]
    signed = FakeForge(kind, REPO, 7, RECORDER, base, head, reviews, commits=[commit(kind, head, RECORDER, True)])
    with serve(signed):
        proc = _run(repo, signed)
    assert proc.returncode == 0, proc.stdout
