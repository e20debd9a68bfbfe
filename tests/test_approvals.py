"""hoso approvals: reviews (as GitHub's API returns them) against what a change needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.github_util import review
from tests.pr_util import CASE, EVENTS, commit, hoso, line_of, make_repo, progress_note, write_case

TODAY = "2024-11-01"
AUTHOR = "xa-a-thon-1-2"  # OF-002, who recorded the step and opened the pull request


def _change(tmp_path: Path) -> tuple[Path, str, str]:
    """A pull request adding a progress note recorded by OF-002: chi_uy of thon 1 must approve."""
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    return repo, base, head


def _approvals(repo: Path, base: str, head: str, reviews: list[dict[str, Any]], author: str = AUTHOR,
               *extra: str) -> tuple[int, str, str]:
    path = repo.parent / "reviews.json"
    path.write_text(json.dumps(reviews), encoding="utf-8")
    return hoso(repo, "approvals", "--base", base, "--head", head, "--author", author, "--reviews", str(path),
                "--today", TODAY, *extra)


def _json(repo: Path, base: str, head: str, reviews: list[dict[str, Any]], author: str = AUTHOR) -> tuple[int, dict[str, Any]]:
    code, out, err = _approvals(repo, base, head, reviews, author, "--format", "json", "--lang", "en")
    assert code in (0, 1), err
    return code, json.loads(out)


def _reasons(doc: dict[str, Any]) -> str:
    return "\n".join(f["message"] for f in doc["findings"] if f["rule"] == "APPROVAL-NOT-COUNTED")


def _weighed(doc: dict[str, Any]) -> set[tuple[str, str, int]]:
    """The findings about whether reviews count (other rules, e.g. about the author, aside)."""
    return {(f["rule"], f["file"], f["line"]) for f in doc["findings"]
            if f["rule"] in ("APPROVAL-MISSING", "APPROVAL-NOT-COUNTED")}


def _only_missing(repo: Path, doc: dict[str, Any]) -> None:
    """The approval is missing, for the progress note's line, and no review was even weighed."""
    assert _weighed(doc) == {("APPROVAL-MISSING", CASE, line_of(repo, "event: progress_note"))}
    assert [row["approved_by"] for row in doc["approvals"]] == [[]] and doc["satisfied"] is False


def _withdrawn(repo: Path, doc: dict[str, Any], reason: str) -> None:
    """The approval is missing, and the reviewer is told their approval no longer stands, and why."""
    assert _weighed(doc) == {("APPROVAL-MISSING", CASE, line_of(repo, "event: progress_note")),
                             ("APPROVAL-NOT-COUNTED", CASE, 1)}
    [note] = [f for f in doc["findings"] if f["rule"] == "APPROVAL-NOT-COUNTED"]
    assert "@xa-a-thon-1-3" in note["message"] and reason in note["message"]
    assert [row["approved_by"] for row in doc["approvals"]] == [[]] and doc["satisfied"] is False


def _counted(repo: Path, doc: dict[str, Any], login: str) -> None:
    """``login``'s approval counts for the progress note, and nothing is held against it."""
    assert _weighed(doc) == set() and doc["satisfied"] is True
    assert [(row["approved_by"], row["line"]) for row in doc["approvals"]] == [
        ([login], line_of(repo, "event: progress_note"))]


def test_approved_on_head(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", head)])
    assert code == 0
    assert doc["satisfied"] is True
    assert doc["approvals"][0]["approved_by"] == ["xa-a-thon-1-3"]


def test_no_reviews_lists_what_is_missing_in_vietnamese(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, out, _ = _approvals(repo, base, head, [])
    assert code == 1
    assert "APPROVAL-MISSING" in out
    assert "bước 'progress_note' của hồ sơ VC-2024-100 cần 1 phê duyệt của chi_uy thuộc " \
           "'van-chan/xa-a/chi-bo-thon-1'" in out
    assert "Còn thiếu phê duyệt." in out


def test_approved_on_an_older_commit(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", base)])
    assert code == 1
    assert "older commit" in _reasons(doc)


def test_author_approving_their_own_change(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", head)], author="xa-a-thon-1-3")
    assert code == 1
    assert "author" in _reasons(doc)


def test_approval_then_changes_requested(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", head),
                                         review(2, "xa-a-thon-1-3", "CHANGES_REQUESTED", head)])
    assert code == 1
    _withdrawn(repo, doc, "withdrawn by a later request for changes")


def test_changes_requested_then_approval(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(2, "xa-a-thon-1-3", "APPROVED", head),
                                         review(1, "xa-a-thon-1-3", "CHANGES_REQUESTED", head)])
    assert code == 0  # ordered by submitted_at, not by position in the array
    _counted(repo, doc, "xa-a-thon-1-3")


def test_approval_then_dismissed(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", head),
                                         review(2, "xa-a-thon-1-3", "DISMISSED", head)])
    assert code == 1
    _withdrawn(repo, doc, "the approval was dismissed")


def test_approval_then_a_comment_still_counts(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", head),
                                         review(2, "xa-a-thon-1-3", "COMMENTED", head)])
    assert code == 0
    _counted(repo, doc, "xa-a-thon-1-3")


def test_reviewer_not_in_the_roster(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "stranger", "APPROVED", head)])
    assert code == 1
    assert "not in the roster" in _reasons(doc)


def test_right_role_in_the_wrong_unit(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-2-2", "APPROVED", head)])  # chi_uy of thon 2
    assert code == 1
    assert "does not hold chi_uy for 'van-chan/xa-a/chi-bo-thon-1' on 2024-10-10" in _reasons(doc)


def test_role_expired_before_the_event_date(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "expired-chi-uy", "APPROVED", head)])
    assert code == 1
    assert "on 2024-10-10" in _reasons(doc)


def test_reviewer_who_is_the_cases_member(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "member-self", "APPROVED", head)])
    assert code == 1
    assert "about this person" in _reasons(doc)


def test_recorder_of_the_event_cannot_approve_it(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    # OF-002 recorded it; another officer opened the pull request (itself an error, see
    # tests/test_trust_forge.py), so the only thing between OF-002 and approving is the recorder rule
    code, doc = _json(repo, base, head, [review(1, "xa-a-thon-1-2", "APPROVED", head)], author="xa-a-thon-1-5")
    assert code == 1
    assert "recorded" in _reasons(doc)


def test_logins_match_case_insensitively(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    code, doc = _json(repo, base, head, [review(1, "XA-A-Thon-1-3", "APPROVED", head)])
    assert code == 0
    _counted(repo, doc, "XA-A-Thon-1-3")


def test_procedure_may_ask_for_more_approvals(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    proc = repo / "procedures/hd02-2021.yaml"
    text = proc.read_text(encoding="utf-8")
    marker = "    keeps_stage: true\n    recorder: {roles: [chi_uy, bi_thu, dang_vien], body: cell}\n" \
             "    approver: {roles: [chi_uy], body: cell}\n"
    assert marker in text
    twice = marker.replace("approver: {roles: [chi_uy], body: cell}", "approver: {roles: [chi_uy], body: cell, count: 2}")
    proc.write_text(text.replace(marker, twice), encoding="utf-8")
    base = commit(repo, "two approvals for a progress note")
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "progress note")
    one = [review(1, "xa-a-thon-1-3", "APPROVED", head)]
    assert _json(repo, base, head, one)[0] == 1
    two = one + [review(2, "xa-a-thon-1-1", "APPROVED", head)]
    code, doc = _json(repo, base, head, two)
    assert code == 0 and doc["approvals"][0]["approved_by"] == ["xa-a-thon-1-1", "xa-a-thon-1-3"]


def test_protected_change_needs_a_maintainer(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    f = repo / "org/units.yaml"
    f.write_text(f.read_text(encoding="utf-8").replace("(mô phỏng)", "(mô phỏng, sửa)", 1), encoding="utf-8")
    head = commit(repo, "rename a unit")
    assert _json(repo, base, head, [review(1, "xa-a-thon-1-3", "APPROVED", head)])[0] == 1
    code, doc = _json(repo, base, head, [review(1, "hoso-maintainer", "APPROVED", head)])
    assert code == 0 and doc["approvals"][0]["role"] == "maintainer"


def test_a_change_cannot_approve_itself_by_editing_the_roster(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    f = repo / "org/officers.yaml"
    f.write_text(f.read_text(encoding="utf-8") + """\
  - id: OF-092
    login: stranger
    roles:
      - {role: chi_uy, unit: van-chan/xa-a/chi-bo-thon-1, from: "2019-01-01", to: "2025-06-30"}
      - {role: maintainer, unit: van-chan, from: "2019-01-01", to: "2025-06-30"}
""", encoding="utf-8")
    write_case(repo, EVENTS + [progress_note(recorder="OF-002")])
    head = commit(repo, "add myself to the roster and record a step")
    code, doc = _json(repo, base, head, [review(1, "stranger", "APPROVED", head)])
    assert code == 1
    assert all(not row["approved_by"] for row in doc["approvals"])


def test_reviews_file_errors_are_clear(tmp_path: Path) -> None:
    repo, base, head = _change(tmp_path)
    bad = repo.parent / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = hoso(repo, "approvals", "--base", base, "--head", head, "--author", AUTHOR, "--reviews", str(bad))
    assert code == 1 and "JSON" in err and "Traceback" not in err
    code, _, err = hoso(repo, "approvals", "--base", base, "--head", head, "--author", AUTHOR)
    assert code == 2
