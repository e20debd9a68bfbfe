"""hoso audit: which commit and pull request added each event, and who approved it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests import hoso_proc
from tests.conftest import git
from tests.github_util import TOKEN, FakeGitHub, review, serve
from tests.pr_util import CASE, EVENTS, TRANSFER, commit, make_repo, progress_note, write_case


def _audit(repo: Path, *args: str) -> dict[str, object]:
    proc = hoso_proc.run(["-C", str(repo), "audit", "VC-2024-100", "--format", "json",
                          *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _history(tmp_path: Path) -> tuple[Path, str, str]:
    """main: base; PR #12 merged with a merge commit; PR #13 squashed; a transfer moving the file."""
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    pr12_head = commit(repo, "progress note")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "change", "-m", "Merge pull request #12 from demo/progress-note\n\nnote")
    write_case(repo, EVENTS + [progress_note(), progress_note("2024-11-10", doc="PGN-02/2024")])
    squash = commit(repo, "Second progress note (#13)")
    moved = "records/lao-cai/xa-son-a/chi-bo-thon-1/VC-2024-100.yaml"
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", CASE, moved)
    write_case(repo, EVENTS + [progress_note(), progress_note("2024-11-10", doc="PGN-02/2024"), TRANSFER], moved)
    commit(repo, "Transfer to the successor cell (#14)")
    return repo, pr12_head, squash


def test_each_event_has_its_commit_and_pull_request(tmp_path: Path) -> None:
    repo, _, squash = _history(tmp_path)
    doc = _audit(repo)
    assert doc["path"] == "records/lao-cai/xa-son-a/chi-bo-thon-1/VC-2024-100.yaml"
    events = doc["events"]
    assert [e["event"] for e in events] == ["flagged", "list_voted", "list_approved", "notified", "self_review",
                                           "help_assigned", "progress_note", "progress_note", "transferred"]
    assert [e["pull_request"] for e in events] == [None] * 6 + [12, 13, 14]
    assert events[7]["commit"] == squash
    assert events[0]["subject"] == "base"


def test_approvers_from_a_reviews_directory(tmp_path: Path) -> None:
    repo, pr12_head, squash = _history(tmp_path)
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    (reviews / "12.json").write_text(json.dumps([review(1, "xa-a-thon-1-3", "APPROVED", pr12_head),
                                                 review(2, "xa-a-thon-2-2", "APPROVED", pr12_head),
                                                 review(3, "xa-a-thon-2-2", "DISMISSED", pr12_head)]), encoding="utf-8")
    (reviews / "13.json").write_text(json.dumps([review(1, "stranger", "APPROVED", squash)]), encoding="utf-8")
    events = _audit(repo, "--reviews-dir", str(reviews))["events"]
    assert events[6]["approved_by"] == [{"login": "xa-a-thon-1-3", "officer": "OF-003", "commit": pr12_head}]
    assert events[7]["approved_by"] == [{"login": "stranger", "officer": None, "commit": squash}]
    assert events[8]["approved_by"] == []  # no reviews file for #14


def test_text_output_and_unknown_case(tmp_path: Path) -> None:
    repo, _, _ = _history(tmp_path)
    proc = hoso_proc.run(["-C", str(repo), "audit", "VC-2024-100"],
                         capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and "PR #13" in proc.stdout and "progress_note" in proc.stdout
    proc = hoso_proc.run(["-C", str(repo), "audit", "VC-2099-999"],
                         capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "VC-2099-999" in proc.stderr and "Traceback" not in proc.stderr


def test_approvers_from_github(tmp_path: Path) -> None:
    repo, pr12_head, squash = _history(tmp_path)
    gh = FakeGitHub("hoso-demo/records", 12, "xa-a-thon-1-5", "", "", [
        review(1, "xa-a-thon-1-1", "COMMENTED", pr12_head), review(2, "xa-a-thon-1-4", "COMMENTED", pr12_head),
        review(3, "xa-a-thon-1-3", "APPROVED", pr12_head)],
        other_reviews={13: [review(1, "xa-a-thon-1-1", "APPROVED", squash)], 14: []})
    with serve(gh):
        env = {**os.environ, "GITHUB_TOKEN": TOKEN, "GITHUB_API_URL": gh.url}
        proc = hoso_proc.run(["-C", str(repo), "audit", "VC-2024-100", "--github",
                              "--repo", "hoso-demo/records", "--format", "json"],
                             capture_output=True, text=True, timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    events = json.loads(proc.stdout)["events"]
    assert [a["login"] for a in events[6]["approved_by"]] == ["xa-a-thon-1-3"]  # found on page 2
    assert [a["officer"] for a in events[7]["approved_by"]] == ["OF-001"]


CORRECTION = """\
  - event: corrected
    date: "2024-11-05"
    recorded_by: OF-021
    corrects: 2
    changes: {decision: QĐ-16/2024}
    reason: "Ghi nhầm số văn bản phê duyệt."
"""
SECOND_CORRECTION = CORRECTION.replace("2024-11-05", "2024-11-06").replace("QĐ-16/2024", "QĐ-17/2024").replace(
    "Ghi nhầm số văn bản phê duyệt.", "Sửa lại lần nữa.")


def _corrected(tmp_path: Path) -> tuple[Path, str]:
    """PR #15 (squashed) corrects the list approval's decision number; PR #16 corrects it again."""
    repo, _ = make_repo(tmp_path)
    git(repo, "checkout", "-q", "main")
    write_case(repo, EVENTS + [CORRECTION])
    head = commit(repo, "Correct the approval number (#15)")
    write_case(repo, EVENTS + [CORRECTION, SECOND_CORRECTION])
    commit(repo, "Correct it again (#16)")
    return repo, head


def test_audit_shows_each_correction_old_and_new_values_reason_and_approvers(tmp_path: Path) -> None:
    repo, head = _corrected(tmp_path)
    reviews = tmp_path / "reviews"
    reviews.mkdir()
    (reviews / "15.json").write_text(json.dumps([review(1, "du-xa-a-2", "APPROVED", head)]), encoding="utf-8")
    events = _audit(repo, "--reviews-dir", str(reviews))["events"]
    assert [e["event"] for e in events][-2:] == ["corrected", "corrected"]
    assert [e["correction"] for e in events[:6]] == [None] * 6
    first, second = events[6], events[7]
    assert first["pull_request"] == 15 and first["approved_by"] == [{"login": "du-xa-a-2", "officer": "OF-022",
                                                                     "commit": head}]
    assert first["correction"] == {"corrects": 3, "event": "list_approved", "reason": "Ghi nhầm số văn bản phê duyệt.",
                                   "recorded_by": "OF-021",
                                   "changes": [{"field": "decision", "old": "QĐ-15/2024", "new": "QĐ-16/2024"}]}
    # the second correction replaces the value the first one set, not the original
    assert second["correction"]["changes"] == [{"field": "decision", "old": "QĐ-16/2024", "new": "QĐ-17/2024"}]
    assert second["approved_by"] == []


def test_audit_text_shows_corrections_in_both_languages(tmp_path: Path) -> None:
    repo, _ = _corrected(tmp_path)
    out = {}
    for lang in ("vi", "en"):
        proc = hoso_proc.run(["-C", str(repo), "--lang", lang, "audit", "VC-2024-100"],
                             capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        out[lang] = proc.stdout
    assert "sửa bước 3 (list_approved):" in out["vi"] and "decision: QĐ-15/2024 → QĐ-16/2024" in out["vi"]
    assert "lý do: Ghi nhầm số văn bản phê duyệt." in out["vi"] and "người ghi: OF-021" in out["vi"]
    assert "corrects step 3 (list_approved):" in out["en"] and "decision: QĐ-16/2024 → QĐ-17/2024" in out["en"]
    assert "reason: Sửa lại lần nữa." in out["en"] and "recorded by: OF-021" in out["en"]
