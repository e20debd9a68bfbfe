"""Approvals kept in Git (issue 11): `hoso merge` writes who approved into the merge commit, and
`hoso audit --verify` reads it back from Git alone and reports exactly the steps that reached
the branch without it: direct pushes, merges by hand, forged trailers."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests import hoso_proc
from tests.conftest import git
from tests.forge_util import TOKEN, FakeForge, review, serve
from tests.pr_util import EVENTS, commit, hoso, make_repo, progress_note, write_case

REPO = "hoso-demo/records"
TODAY = "2024-11-01"
RECORDER = "xa-a-thon-1-2"  # OF-002
APPROVER = "xa-a-thon-1-3"  # OF-003, chi ủy of thôn 1


def _merge(repo: Path, f: FakeForge, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": f.api, "GITHUB_REPOSITORY": REPO,
           "HOSO_FORGE_BACKOFF": "0"}
    return hoso_proc.run(["-C", str(repo), "merge", "--forge", f.kind, "--pr",
                          str(f.number), "--base", "main", "--today", TODAY, "--lang", "en", *args],
                         capture_output=True, text=True, env=env, timeout=120)


def _land(repo: Path, f: FakeForge) -> str:
    """What the forge does on merge: a merge commit on main with the message hoso sent."""
    [body] = f.merges
    title = body.get("commit_title") or body.get("MergeTitleField")
    message = body.get("commit_message") or body.get("MergeMessageField")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "change", "-m", str(title), "-m", str(message))
    return git(repo, "rev-parse", "HEAD").strip()


def _verify(repo: Path, since: str) -> tuple[int, dict[str, object]]:
    code, out, err = hoso(repo, "audit", "--verify", "--since", since, "--today", TODAY, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out)


@pytest.mark.parametrize("kind", ["github", "forgejo"])
def test_a_history_made_by_hoso_merge_verifies_clean(kind: str, tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    git(repo, "checkout", "-q", "main")
    f = FakeForge(kind, REPO, 7, RECORDER, base, head, [review(kind, 1, APPROVER, "approve", head)])
    with serve(f):
        proc = _merge(repo, f)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [body] = f.merges
    message = body.get("commit_message") or body.get("MergeMessageField")
    assert message == f"Hoso-Approved-By: OF-003 chi_uy@van-chan/xa-a/chi-bo-thon-1 review=1001 commit={head}"
    assert (body.get("sha") or body.get("head_commit_id")) == head  # the forge refuses if the head moved
    _land(repo, f)
    assert _verify(repo, base) == (0, {"unapproved": []})


def test_a_pull_request_that_is_not_approved_is_not_merged(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    git(repo, "checkout", "-q", "main")
    f = FakeForge("forgejo", REPO, 7, RECORDER, base, head, [review("forgejo", 1, "xa-a-thon-2-2", "approve", head)])
    with serve(f):
        proc = _merge(repo, f)
    assert proc.returncode == 1 and "APPROVAL-MISSING" in proc.stdout
    assert f.merges == [] and not any(r.startswith(("POST", "PUT")) for r in f.requests)


def test_verify_reports_exactly_the_direct_push(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    git(repo, "checkout", "-q", "main")
    f = FakeForge("github", REPO, 7, RECORDER, base, head, [review("github", 1, APPROVER, "approve", head)])
    with serve(f):
        assert _merge(repo, f).returncode == 0
    _land(repo, f)
    # then an officer with push access appends a step straight onto main
    write_case(repo, EVENTS + [progress_note(recorder="OF-002"),
                               progress_note(date="2024-10-20", recorder="OF-002", doc="PGN-02/2024")])
    pushed = commit(repo, "one more note, pushed directly")
    code, doc = _verify(repo, base)
    assert code == 1
    assert [(u["commit"], u["case"], u["event"], u["have"], u["count"]) for u in doc["unapproved"]] == [  # type: ignore[union-attr]
        (pushed, "VC-2024-100", "progress_note", 0, 1)]


def test_a_forged_trailer_does_not_count(tmp_path: Path) -> None:
    """A merge by hand with a trailer naming the recorder, or someone without the role."""
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    git(repo, "checkout", "-q", "main")
    forged = (f"Hoso-Approved-By: OF-002 chi_uy@van-chan/xa-a/chi-bo-thon-1 review=1 commit={head}\n"
              f"Hoso-Approved-By: OF-007 chi_uy@van-chan/xa-a/chi-bo-thon-1 review=2 commit={head}\n"
              f"Hoso-Approved-By: OF-005 chi_uy@van-chan/xa-a/chi-bo-thon-1 review=3 commit={head}")
    git(repo, "merge", "-q", "--no-ff", "change", "-m", "Merge pull request #7 from someone", "-m", forged)
    code, doc = _verify(repo, base)
    assert code == 1 and len(doc["unapproved"]) == 1  # type: ignore[arg-type]


def test_a_change_to_a_protected_path_needs_a_maintainer_trailer(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    settings = repo / "hoso.yaml"
    settings.write_text(settings.read_text(encoding="utf-8") + "verify_since: main\n", encoding="utf-8")
    changed = commit(repo, "move the start of verification forward, directly on main")
    code, doc = _verify(repo, base)
    assert code == 1
    assert [(u["commit"], u["file"], u["roles"]) for u in doc["unapproved"]] == [  # type: ignore[union-attr]
        (changed, "hoso.yaml", ["maintainer"])]
