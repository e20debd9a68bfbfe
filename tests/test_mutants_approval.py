"""Approval rules mutation testing found untested (issue 13), judged in-process by
``hoso.approval.decide`` on a real ``hoso.change.check_change`` of a real git repository: the
exact finding and its message in both languages for every reason an approval does not count,
the role held on the day of the approval, who may record, foreign and unsigned commits, and the
approvals a row reports."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import git
import pytest

from hoso.approval import Outcome, decide, latest_verdicts
from hoso.change import CheckResult, Required, check_change
from hoso.forge.model import APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, Commit, Review
from tests.pr_util import CASE, EVENTS, commit, line_of, make_repo, progress_note, write_case

AUTHOR = "xa-a-thon-1-2"  # OF-002 recorded the progress note and opened the pull request
UNIT = "van-chan/xa-a/chi-bo-thon-1"
STEP_DAY = "2024-06-20"  # the progress note's date: OF-090 (expired-chi-uy) was chi_uy until 2024-06-30


@dataclasses.dataclass(frozen=True)
class Change:
    result: CheckResult
    line: int  # the progress note's line in the case file

    @property
    def head(self) -> str:
        return self.result.head


@pytest.fixture(scope="module")
def change(tmp_path_factory: pytest.TempPathFactory) -> Change:
    repo, base = make_repo(tmp_path_factory.mktemp("approval"))
    write_case(repo, EVENTS + [progress_note(date=STEP_DAY, recorder="OF-002")])
    head = commit(repo, "progress note")
    result = check_change(git.Repo(repo), base, head, dt.date(2024, 11, 1))
    return Change(result, line_of(repo, "event: progress_note"))


def rev(login: str, state: str, sha: str | None, day: str = "2024-11-01", order: int = 0) -> Review:
    return Review(login, state, sha, f"{day}T01:00:00Z" if day else "", order)


def found(out: Outcome) -> list[tuple[str, str, int, str, str, str]]:
    """Every finding, whole: rule, file, line, severity and the message in both languages."""
    return sorted((f.rule, f.file, f.line, f.severity, f.message("vi"), f.message("en")) for f in out.report.sorted())


def missing(c: Change, have: int = 0, count: int = 1) -> tuple[str, str, int, str, str, str]:
    return ("APPROVAL-MISSING", CASE, c.line, "error",
            f"bước 'progress_note' của hồ sơ VC-2024-100 cần {count} phê duyệt của chi_uy thuộc '{UNIT}' "
            f"(ngày {STEP_DAY}) trên commit mới nhất; mới có {have}",
            f"'progress_note' of case VC-2024-100 needs {count} approval(s) by chi_uy of '{UNIT}' "
            f"(on {STEP_DAY}) on the latest commit; has {have}")


def not_counted(line: int, login: str, vi: str, en: str) -> tuple[str, str, int, str, str, str]:
    return ("APPROVAL-NOT-COUNTED", CASE, line, "warning",
            f"phê duyệt của @{login} không được tính: {vi}", f"the approval by @{login} does not count: {en}")


def test_a_counted_approval_and_its_row(change: Change) -> None:
    out = decide(change.result, [rev("xa-a-thon-1-3", APPROVED, change.head)], AUTHOR)
    assert found(out) == [] and out.satisfied is True
    assert out.rows == [{"case": "VC-2024-100", "event": "progress_note", "role": "chi_uy", "roles": ["chi_uy"],
                         "unit": UNIT, "count": 1, "date": STEP_DAY, "file": CASE, "line": change.line,
                         "approved_by": ["xa-a-thon-1-3"], "satisfied": True}]
    assert out.report.files_checked == 1


def test_the_role_must_be_held_on_the_day_of_the_approval_too(change: Change) -> None:
    """OF-090 was chi_uy on the step's date (2024-06-20) and until 2024-06-30, not on 2024-11-01."""
    on_time = decide(change.result, [rev("expired-chi-uy", APPROVED, change.head, "2024-06-25")], AUTHOR)
    assert found(on_time) == [] and on_time.rows[0]["approved_by"] == ["expired-chi-uy"]
    late = decide(change.result, [rev("expired-chi-uy", APPROVED, change.head, "2024-11-01")], AUTHOR)
    assert found(late) == sorted([missing(change), not_counted(
        change.line, "expired-chi-uy",
        f"không giữ vai trò chi_uy tại '{UNIT}' ngày 2024-11-01 (ngày phê duyệt)",
        f"does not hold chi_uy for '{UNIT}' on 2024-11-01 (the day of the approval)")])
    assert late.satisfied is False


def test_an_approval_the_forge_gave_no_day_for_is_taken_as_given_today(change: Change) -> None:
    undated = [rev("expired-chi-uy", APPROVED, change.head, "")]
    assert decide(change.result, undated, AUTHOR, today=dt.date(2024, 6, 25)).satisfied is True
    assert decide(change.result, undated, AUTHOR, today=dt.date(2024, 7, 1)).satisfied is False
    assert decide(change.result, undated, AUTHOR).satisfied is True  # no today either: the step's date


def test_a_role_in_another_unit_names_the_steps_date_alone(change: Change) -> None:
    out = decide(change.result, [rev("xa-a-thon-2-2", APPROVED, change.head)], AUTHOR)
    assert found(out) == sorted([missing(change), not_counted(
        change.line, "xa-a-thon-2-2", f"không giữ vai trò chi_uy tại '{UNIT}' ngày {STEP_DAY}",
        f"does not hold chi_uy for '{UNIT}' on {STEP_DAY}")])


@pytest.mark.parametrize(("login", "author", "vi", "en"), [
    ("stranger", AUTHOR, "không có trong danh sách cán bộ (org/officers.yaml)", "not in the roster (org/officers.yaml)"),
    ("member-self", AUTHOR, "hồ sơ VC-2024-100 là của chính người này", "case VC-2024-100 is about this person"),
])
def test_who_may_not_approve_a_step_and_why(change: Change, login: str, author: str, vi: str, en: str) -> None:
    out = decide(change.result, [rev(login, APPROVED, change.head)], author)
    assert found(out) == sorted([missing(change), not_counted(change.line, login, vi, en)])


def test_the_recorder_of_a_step_may_not_approve_it(change: Change) -> None:
    out = decide(change.result, [rev("xa-a-thon-1-2", APPROVED, change.head)], "xa-a-thon-1-3", clerk_role="chi_uy")
    # xa-a-thon-1-3 opened it as a clerk (chi_uy of the cell on the step's date): no recorder finding
    assert found(out) == sorted([missing(change), not_counted(
        change.line, "xa-a-thon-1-2", "người này ghi nhận bước 'progress_note'", "this person recorded 'progress_note'")])


def test_only_the_recorder_or_a_clerk_of_the_body_opens_the_pull_request(change: Change) -> None:
    ok = [rev("xa-a-thon-1-1", APPROVED, change.head)]
    wrong = ("APPROVAL-RECORDER-NOT-AUTHOR", CASE, change.line, "error",
             "bước 'progress_note' của hồ sơ VC-2024-100 ghi người ghi nhận OF-002, nhưng pull request do OF-003 "
             "(@xa-a-thon-1-3) mở: mỗi cán bộ tự mở pull request cho bước mình ghi nhận",
             "'progress_note' of case VC-2024-100 names OF-002 as its recorder, but OF-003 (@xa-a-thon-1-3) opened "
             "the pull request: each officer opens the pull request for the steps they record")
    by_1_3 = [rev("xa-a-thon-1-3", APPROVED, change.head)]
    assert found(decide(change.result, by_1_3, "xa-a-thon-1-1", clerk_role="bi_thu")) == []  # OF-001 is bi_thu
    assert found(decide(change.result, ok, "xa-a-thon-1-3")) == [wrong]
    assert found(decide(change.result, ok, "xa-a-thon-1-3", clerk_role="bi_thu")) == [wrong]  # not bi_thu
    assert found(decide(change.result, ok, "xa-a-thon-1-3", clerk_role="chi_uy")) == []
    assert found(decide(change.result, ok, "XA-A-THON-1-2")) == []  # the recorder, by login in any case
    assert found(decide(change.result, ok, "nobody")) == [(
        "APPROVAL-AUTHOR-NOT-OFFICER", CASE, change.line, "error",
        "người mở pull request @nobody không có trong danh sách cán bộ: chỉ cán bộ mới ghi nhận được bước 'progress_note'",
        "the pull request's author @nobody is not in the roster: only an officer can record 'progress_note'")]


def test_the_author_and_an_older_commit_do_not_count(change: Change) -> None:
    base = change.result.base
    out = decide(change.result, [rev("xa-a-thon-1-2", APPROVED, change.head),
                                 rev("xa-a-thon-1-3", APPROVED, base)], AUTHOR)
    assert found(out) == sorted([
        missing(change),
        not_counted(1, "xa-a-thon-1-2", "tác giả không tự phê duyệt thay đổi của mình",
                    "the author cannot approve their own change"),
        not_counted(1, "xa-a-thon-1-3", f"phê duyệt commit cũ {base[:12]}, không phải {change.head[:12]}",
                    f"approved the older commit {base[:12]}, not {change.head[:12]}")])


@pytest.mark.parametrize(("state", "vi", "en"), [
    (CHANGES_REQUESTED, "đã rút lại bằng yêu cầu sửa đổi", "withdrawn by a later request for changes"),
    (DISMISSED, "phê duyệt đã bị bác (dismissed)", "the approval was dismissed"),
])
def test_a_withdrawn_approval_is_told_why(change: Change, state: str, vi: str, en: str) -> None:
    reviews = [rev("xa-a-thon-1-3", APPROVED, change.head, order=1), rev("xa-a-thon-1-3", state, change.head, order=2),
               rev("xa-a-thon-1-1", APPROVED, change.head)]
    out = decide(change.result, reviews, AUTHOR)
    assert found(out) == [not_counted(1, "xa-a-thon-1-3", vi, en)]
    assert out.satisfied is True and out.rows[0]["approved_by"] == ["xa-a-thon-1-1"]
    # a request for changes from someone who never approved is no withdrawn approval
    assert found(decide(change.result, [rev("xa-a-thon-1-3", state, change.head)], AUTHOR)) == [missing(change)]


def test_latest_verdict_by_time_then_by_the_forges_order(change: Change) -> None:
    same_time = [rev("A", APPROVED, "x", order=2), rev("a", CHANGES_REQUESTED, "x", order=1),
                 rev("b", COMMENTED, "x", order=3), rev("b", DISMISSED, "x", order=1)]
    assert {k: (r.state, r.order) for k, r in latest_verdicts(same_time).items()} == {
        "a": (APPROVED, 2), "b": (DISMISSED, 1)}
    later_first = [rev("a", APPROVED, "x", "2024-11-02", order=1), rev("a", CHANGES_REQUESTED, "x", order=2)]
    assert latest_verdicts(later_first)["a"].state == APPROVED


def test_a_count_of_two_needs_two_distinct_approvers(change: Change) -> None:
    two = dataclasses.replace(change.result, required=[dataclasses.replace(r, count=2) for r in change.result.required])
    one = decide(two, [rev("xa-a-thon-1-3", APPROVED, change.head)], AUTHOR)
    assert found(one) == [missing(change, have=1, count=2)] and one.satisfied is False
    both = decide(two, [rev("xa-a-thon-1-3", APPROVED, change.head), rev("xa-a-thon-1-1", APPROVED, change.head)],
                  AUTHOR)
    assert found(both) == [] and both.rows[0]["approved_by"] == ["xa-a-thon-1-1", "xa-a-thon-1-3"]


def test_a_protected_path_needs_a_maintainer(change: Change) -> None:
    day = dt.date(2024, 11, 1)
    maint = dataclasses.replace(change.result, required=[Required("org/units.yaml", 1, None, None, ("maintainer",),
                                                                  None, 1, day)])
    out = decide(maint, [rev("xa-a-thon-1-3", APPROVED, change.head)], AUTHOR)
    assert [f for f in found(out) if f[0] != "APPROVAL-NOT-COUNTED"] == [(
        "APPROVAL-MISSING-MAINTAINER", "org/units.yaml", 1, "error",
        "thay đổi 'org/units.yaml' cần phê duyệt của vai trò 'maintainer' trên commit mới nhất; mới có 0",
        "changing 'org/units.yaml' needs approval by the 'maintainer' role on the latest commit; has 0")]
    assert found(decide(maint, [rev("hoso-maintainer", APPROVED, change.head)], AUTHOR)) == []


def test_nothing_to_approve_weighs_no_review(change: Change) -> None:
    none = dataclasses.replace(change.result, required=[])
    reviews = [rev("xa-a-thon-1-3", APPROVED, change.head, order=1),
               rev("xa-a-thon-1-3", CHANGES_REQUESTED, change.head, order=2), rev(AUTHOR, APPROVED, change.head)]
    out = decide(none, reviews, AUTHOR)
    assert out.satisfied is True and out.rows == [] and out.report.files_checked == 0 and found(out) == []
    out = decide(none, reviews, AUTHOR, commits=[Commit("f" * 40, "someone-else")])
    assert out.satisfied is False  # no file to put it on, still an error
    assert [(f.rule, f.file, f.line) for f in out.report.sorted()] == [("APPROVAL-FOREIGN-COMMIT", "", 1)]


def test_every_commit_is_the_authors_and_signed_where_asked(change: Change) -> None:
    ok = [rev("xa-a-thon-1-3", APPROVED, change.head)]
    commits = [Commit("a" * 40, "XA-A-THON-1-2", verified=True), Commit("b" * 40, None),
               Commit("c" * 40, "xa-a-thon-1-5", verified=True), Commit("d" * 40, AUTHOR)]
    out = decide(change.result, ok, AUTHOR, commits=commits)
    assert found(out) == [
        ("APPROVAL-FOREIGN-COMMIT", CASE, 1, "error",
         f"commit {'b' * 12} của pull request thuộc về @—, không phải người mở @{AUTHOR}: mọi commit phải của người "
         "ghi nhận; hãy mở pull request mới từ nhánh chỉ có commit của mình",
         f"commit {'b' * 12} of the pull request is attributed to @—, not its author @{AUTHOR}: every commit must be "
         "the recorder's; open a new pull request from a branch of your own commits"),
        ("APPROVAL-FOREIGN-COMMIT", CASE, 1, "error",
         f"commit {'c' * 12} của pull request thuộc về @xa-a-thon-1-5, không phải người mở @{AUTHOR}: mọi commit phải "
         "của người ghi nhận; hãy mở pull request mới từ nhánh chỉ có commit của mình",
         f"commit {'c' * 12} of the pull request is attributed to @xa-a-thon-1-5, not its author @{AUTHOR}: every "
         "commit must be the recorder's; open a new pull request from a branch of your own commits")]
    signed = decide(change.result, ok, AUTHOR, commits=[commits[0], commits[3]], signed=True)
    assert found(signed) == [(
        "APPROVAL-UNSIGNED-COMMIT", CASE, 1, "error",
        f"commit {'d' * 12} của pull request không có chữ ký mà forge đã xác minh; kho này yêu cầu ký mọi commit "
        "(signed_commits)",
        f"commit {'d' * 12} of the pull request carries no signature the forge verified; this repository asks for "
        "signed commits (signed_commits)")]
    assert found(decide(change.result, ok, AUTHOR, commits=[commits[3]])) == []  # unsigned is fine unless asked


def test_one_recorder_finding_per_step_however_many_bodies_approve_it(change: Change) -> None:
    """A transfer needs both sides' approval on one line: who opened it is judged once (the
    summary's error count would say 2)."""
    [req] = change.result.required
    twice = dataclasses.replace(change.result, required=[req, dataclasses.replace(req, roles=("chi_uy", "bi_thu"))])
    out = decide(twice, [rev("xa-a-thon-1-3", APPROVED, change.head)], "nobody")
    assert [f.rule for f in out.report.findings] == ["APPROVAL-AUTHOR-NOT-OFFICER"] and out.report.errors == 1


def test_a_step_without_a_recorder_is_not_judged_for_who_opened_it(change: Change) -> None:
    """Its missing recorded_by is the schema's finding; no recorder rule can hold it against anyone."""
    no_recorder = dataclasses.replace(change.result, required=[
        dataclasses.replace(r, recorded_by=None) for r in change.result.required])
    for author in ("nobody", "xa-a-thon-1-5"):
        assert found(decide(no_recorder, [rev("xa-a-thon-1-3", APPROVED, change.head)], author)) == []


def test_findings_about_the_whole_pull_request_stand_at_line_1_column_1(change: Change) -> None:
    out = decide(change.result, [rev("xa-a-thon-1-3", APPROVED, change.result.base)], AUTHOR,
                 commits=[Commit("e" * 40, "someone-else")], signed=True)
    assert sorted((f.rule, f.line, f.column) for f in out.report.findings) == [
        ("APPROVAL-FOREIGN-COMMIT", 1, 1), ("APPROVAL-MISSING", change.line, 1), ("APPROVAL-NOT-COUNTED", 1, 1),
        ("APPROVAL-UNSIGNED-COMMIT", 1, 1)]
