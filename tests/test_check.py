"""hoso check on real repositories: base and head commits, every change rule firing and not firing."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import git
from tests.pr_util import (CASE, EVENTS, FINAL_REVIEW_EARLY, TRANSFER, case_text, check_json, commit, hoso_process,
                           line_of, make_repo, progress_note, rules, write_case)

TODAY = "2024-11-01"
OPENED = "2024-03-15"  # a few days after the new case opens: not back-dated


def test_allowed_step_passes_and_lists_its_approval(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "progress note")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0, doc["findings"]
    assert rules(doc, "error") == set()
    assert [(r["case"], r["event"], r["role"], r["unit"]) for r in doc["required_approvals"]] == [
        ("VC-2024-100", "progress_note", "chi_uy", "van-chan/xa-a/chi-bo-thon-1")]
    assert doc["required_approvals"][0]["line"] == line_of(repo, "event: progress_note")


def test_text_output_lists_approvals_in_vietnamese(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "progress note")
    code, out, _ = hoso_process(repo, "check", "--base", base, "--today", TODAY)
    assert code == 0
    assert "Cần phê duyệt:" in out
    assert "VC-2024-100 progress_note — chi_uy @ van-chan/xa-a/chi-bo-thon-1" in out


def test_no_change_needs_nothing(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    commit(repo, "nothing changed")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and doc["findings"] == [] and doc["required_approvals"] == []


def test_any_other_file_needs_only_the_maintainers(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "notes.txt").write_text("x", encoding="utf-8")
    commit(repo, "unrelated")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and rules(doc) == {"DIFF-PROTECTED-PATH"}
    assert [(r["file"], r["role"]) for r in doc["required_approvals"]] == [("notes.txt", "maintainer")]


def test_edited_event_is_an_error_at_the_changed_line(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    edited = list(EVENTS)
    edited[1] = edited[1].replace("for: 11, against: 2", "for: 12, against: 1")
    write_case(repo, edited + [progress_note()])
    commit(repo, "rewrite the vote")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    hits = [f for f in doc["findings"] if f["rule"] == "DIFF-HISTORY-EDITED"]
    assert len(hits) == 1
    assert hits[0]["line"] == line_of(repo, "for: 12")
    assert "ballot.for" in hits[0]["message"]
    assert doc["required_approvals"] == []  # nothing is approved on top of a rewrite


def test_edited_date_points_at_the_date(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    edited = list(EVENTS)
    edited[2] = edited[2].replace('"2024-03-20"', '"2024-03-21"')
    write_case(repo, edited)
    commit(repo, "move a date")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "DIFF-HISTORY-EDITED"]
    assert hit["line"] == line_of(repo, '"2024-03-21"')


def test_reordered_events_are_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    swapped = list(EVENTS)
    swapped[3], swapped[4] = swapped[4], swapped[3]
    write_case(repo, swapped)
    commit(repo, "swap")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert "DIFF-HISTORY-REORDERED" in rules(doc)


def test_event_inserted_in_the_middle_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS[:3] + [progress_note("2024-03-21")] + EVENTS[3:])
    commit(repo, "insert")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert "DIFF-HISTORY-REORDERED" in rules(doc)


def test_removed_event_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS[:-1])
    commit(repo, "drop the last event")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert rules(doc, "error") == {"DIFF-HISTORY-REMOVED"}


def test_header_fields_never_change(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / CASE).write_text(case_text(EVENTS).replace("member: DV-0100", "member: DV-0101"), encoding="utf-8")
    commit(repo, "other member")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "DIFF-HEADER-CHANGED"]
    assert hit["line"] == line_of(repo, "member: DV-0101")


def test_comment_only_change_is_fine(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / CASE).write_text("# a comment\n" + case_text(EVENTS), encoding="utf-8")
    commit(repo, "comment")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and doc["required_approvals"] == []


def test_deleted_case_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    git(repo, "rm", "-q", CASE)
    commit(repo, "delete")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert [(f["rule"], f["file"]) for f in doc["findings"]] == [("DIFF-CASE-DELETED", CASE)]


def test_rename_without_transfer_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    moved = "records/van-chan/xa-a/chi-bo-thon-2/VC-2024-100.yaml"
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", CASE, moved)
    commit(repo, "move")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert "DIFF-CASE-RENAMED" in rules(doc)


def test_rename_with_transfer_event_is_allowed(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    moved = "records/lao-cai/xa-son-a/chi-bo-thon-1/VC-2024-100.yaml"
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", CASE, moved)
    write_case(repo, EVENTS + [TRANSFER], moved)
    commit(repo, "transfer")
    code, doc = check_json(repo, base, "2025-07-02")
    assert rules(doc, "error") == set(), doc["findings"]
    assert code == 0
    assert [(r["event"], r["role"], r["unit"]) for r in doc["required_approvals"]] == [
        ("transferred", "dang_uy", "van-chan/xa-a"), ("transferred", "dang_uy", "lao-cai/xa-son-a")]


def test_transfer_without_moving_the_file_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [TRANSFER])
    commit(repo, "transfer, file left behind")
    code, doc = check_json(repo, base, "2025-07-02")
    assert code == 1
    assert "REC-PATH" in rules(doc)


def test_two_events_in_one_change(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note(), progress_note("2024-10-20", doc="PGN-02/2024")])
    commit(repo, "two notes")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "DIFF-TOO-MANY-EVENTS"]
    assert hit["line"] == line_of(repo, '"2024-10-20"') - 1


def test_back_dated_event(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note("2024-04-01")])
    commit(repo, "back-dated")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "SEQ-DATE-ORDER"]
    assert hit["line"] == line_of(repo, '"2024-04-01"')


def test_event_dated_after_today(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note("2024-12-01")])
    commit(repo, "future")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and "TIME-FUTURE" in rules(doc)


def test_step_before_its_twelve_months(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [FINAL_REVIEW_EARLY])
    commit(repo, "early review")
    code, doc = check_json(repo, base, "2025-02-01")
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "TIME-TOO-EARLY"]
    assert hit["line"] == line_of(repo, '"2025-01-10"')


def test_step_not_allowed_from_the_base_stage(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS[:3] )  # a fresh copy of the case at stage list_approved …
    base2 = commit(repo, "shorter case")
    git(repo, "checkout", "-q", "-b", "skip", base2)
    write_case(repo, EVENTS[:3] + [EVENTS[5]])  # … skipping to help_assigned
    commit(repo, "skip two steps")
    code, doc = check_json(repo, base2, TODAY)
    assert code == 1 and "SEQ-NOT-ALLOWED" in rules(doc)


def test_incomplete_event(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note().replace("    document: PGN-01/2024\n", "")])
    commit(repo, "no document")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and "SCHEMA-MISSING" in rules(doc)


def test_old_problems_of_a_case_are_not_blamed_on_the_change(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    bad = list(EVENTS)
    bad[3] = bad[3].replace("spoken_by: OF-001", "spoken_by: OF-999")
    write_case(repo, bad)
    base2 = commit(repo, "a flaw already on main")
    write_case(repo, bad + [progress_note()])
    commit(repo, "progress note")
    code, doc = check_json(repo, base2, TODAY)
    assert code == 0, doc["findings"]


def test_new_case_must_open_with_the_opening_event(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    path = "records/van-chan/xa-a/chi-bo-thon-1/VC-2024-200.yaml"
    write_case(repo, [EVENTS[0]], path)
    (repo / path).write_text((repo / path).read_text(encoding="utf-8").replace("VC-2024-100", "VC-2024-200")
                             .replace("DV-0100", "DV-0200"), encoding="utf-8")  # DV-0100 has VC-2024-100 open
    commit(repo, "new case")
    code, doc = check_json(repo, base, OPENED)
    assert code == 0, doc["findings"]
    assert [(r["case"], r["event"]) for r in doc["required_approvals"]] == [("VC-2024-200", "flagged")]

    git(repo, "checkout", "-q", "-b", "bad-open", base)
    write_case(repo, [EVENTS[1]], path)
    (repo / path).write_text((repo / path).read_text(encoding="utf-8").replace("VC-2024-100", "VC-2024-200")
                             .replace("DV-0100", "DV-0200"), encoding="utf-8")  # DV-0100 has VC-2024-100 open
    commit(repo, "new case opened by a vote")
    code, doc = check_json(repo, base, OPENED)
    assert code == 1 and "SEQ-FIRST-EVENT" in rules(doc)


def test_new_case_with_an_existing_id(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, [EVENTS[0]], "records/van-chan/xa-a/chi-bo-thon-2/VC-2024-100.yaml")
    commit(repo, "duplicate")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and "DIFF-CASE-EXISTS" in rules(doc)


def test_broken_yaml_in_the_change(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / CASE).write_text(case_text(EVENTS) + "  - event: [\n", encoding="utf-8")
    commit(repo, "broken")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and "YAML-SYNTAX" in rules(doc)


def test_bad_revision_is_a_clear_error(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    code, out, err = hoso_process(repo, "check", "--base", "no-such-branch")
    assert code == 1 and "no-such-branch" in err and "Traceback" not in err


def test_check_reads_commits_not_the_working_tree(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "progress note")
    (repo / CASE).write_text("garbage: [", encoding="utf-8")  # uncommitted: must not matter
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and rules(doc) == set()


def test_renamed_event_is_an_edit_of_its_name(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    edited = list(EVENTS)
    edited[4] = edited[4].replace("event: self_review", "event: progress_note")
    write_case(repo, edited)
    commit(repo, "rename an event")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "DIFF-HISTORY-EDITED"]
    assert hit["line"] == line_of(repo, "event: progress_note")


def test_github_annotations_on_the_changed_line(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note("2024-04-01")])
    commit(repo, "back-dated")
    code, out, _ = hoso_process(repo, "check", "--base", base, "--today", TODAY, "--format", "github")
    assert code == 1
    line = line_of(repo, '"2024-04-01"')
    assert f"::error file={CASE.replace(':', '%3A')},line={line},col=" in out
    assert "title=SEQ-DATE-ORDER::" in out
