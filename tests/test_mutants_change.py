"""`hoso check` rules mutation testing found untested (issue 13), on real git repositories:
a case moved out of records/ is a deleted case, and a change to a procedure or to the roster
re-validates the cases it could affect (including an officer removed from org/)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hoso.change import _is_cache, is_case_path
from tests.conftest import GIT_ENV, git
from tests.pr_util import CASE, EVENTS, TRANSFER, check_json, commit, line_of, make_repo, progress_note, write_case

PROC = "procedures/hd02-2021.yaml"
NO_APPROVER = "no 'superior' can be found to approve 'transferred' of unit 'lao-cai' on 2025-06-30"


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    f = repo / path
    text = f.read_text(encoding="utf-8")
    assert text.count(old) >= 1
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


def _found(doc: dict[str, Any], file: str | None = None) -> set[tuple[str, str, int, str]]:
    return {(f["rule"], f["file"], f["line"], f["severity"]) for f in doc["findings"]
            if file is None or f["file"] == file}


def test_case_moved_out_of_records_is_a_deleted_case(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "archive").mkdir()
    git(repo, "mv", CASE, "archive/VC-2024-100.yaml")
    commit(repo, "move a case out of records/")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    # deleted where it was; a case file where no case may stand; and a path only maintainers change
    assert _found(doc) == {("DIFF-CASE-DELETED", CASE, 1, "error"),
                           ("DIFF-CASE-OUTSIDE-RECORDS", "archive/VC-2024-100.yaml", 1, "error"),
                           ("DIFF-PROTECTED-PATH", "archive/VC-2024-100.yaml", 1, "warning")}


def test_case_renamed_to_a_non_yaml_file_under_records_is_a_deleted_case(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    git(repo, "mv", CASE, CASE + ".bak")
    commit(repo, "hide a case as a backup file")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert _found(doc) == {("DIFF-CASE-DELETED", CASE, 1, "error"),
                           ("DIFF-PROTECTED-PATH", CASE + ".bak", 1, "warning")}  # not a case file: maintainers


def test_procedure_change_revalidates_the_cases_that_follow_it(tmp_path: Path) -> None:
    """A stricter threshold for the list vote (13/14 of the eligible): the open case, unchanged,
    no longer meets it, and the change that made it so is told where."""
    repo, base = make_repo(tmp_path)
    _edit(repo, PROC, "threshold: {num: 2, den: 3, of: eligible}", "threshold: {num: 13, den: 14, of: eligible}")
    commit(repo, "list vote needs 13/14")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert ("DIFF-PROTECTED-PATH", PROC, 1, "warning") in _found(doc)
    assert _found(doc, CASE) == {("VOTE-THRESHOLD", CASE, line_of(repo, "ballot: {members_total: 15"), "error")}


def test_officer_removed_from_the_roster_revalidates_the_cases_naming_them(tmp_path: Path) -> None:
    """OF-004, the helper of VC-2024-100, leaves org/officers.yaml: an id only the old roster has
    must still trigger re-validation."""
    repo, base = make_repo(tmp_path)
    _edit(repo, "org/officers.yaml",
          "  - id: OF-004\n    login: xa-a-thon-1-4\n    member: DV-9004\n    roles:\n"
          "      - {role: dang_vien, unit: van-chan/xa-a/chi-bo-thon-1, from: \"2019-01-01\", to: \"2025-06-30\"}\n"
          "      - {role: dang_vien, unit: lao-cai/xa-son-a/chi-bo-thon-1, from: \"2025-07-01\"}\n", "")
    commit(repo, "roster: OF-004 removed")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert _found(doc, CASE) == {("ROLE-UNKNOWN-OFFICER", CASE, line_of(repo, "helper: OF-004"), "error")}



def _backdated(doc: dict[str, Any]) -> set[tuple[str, int, str, str]]:
    return {(f["file"], f["line"], f["severity"], f["message"]) for f in doc["findings"] if f["rule"] == "DIFF-BACKDATED"}


def _note_backdated(repo: Path, base: str, day: str, today: str = "2024-11-01") -> set[tuple[str, int, str, str]]:
    write_case(repo, EVENTS + [progress_note(day)])
    commit(repo, f"a note dated {day}")
    code, doc = check_json(repo, base, today)
    assert code in (0, 1)
    return _backdated(doc)


def _late(repo: Path, severity: str, day: str, days: int, reference: str = "2024-11-01") -> set[tuple[str, int, str, str]]:
    return {(CASE, line_of(repo, f'date: "{day}"'), severity,
             f"'progress_note' is dated {day}, {days} days before the base branch's date {reference} (limits: warning "
             "after 30 days, error after 90; hoso.yaml: backdate_warning_days, backdate_error_days)")}


def test_back_dating_limits_on_their_boundary_days(tmp_path: Path) -> None:
    """The defaults (30 and 90 days) counted from the reference day, here today (the base commit
    is dated later): exactly 30 days is fine, 31 warns, exactly 90 still warns, 91 is an error."""
    repo, base = make_repo(tmp_path)
    assert _note_backdated(repo, base, "2024-10-02") == set()
    assert _note_backdated(repo, base, "2024-10-01") == _late(repo, "warning", "2024-10-01", 31)
    assert _note_backdated(repo, base, "2024-08-03") == _late(repo, "warning", "2024-08-03", 90)
    assert _note_backdated(repo, base, "2024-08-02") == _late(repo, "error", "2024-08-02", 91)


def test_back_dating_counts_from_the_base_commit_when_it_is_older_than_today(tmp_path: Path) -> None:
    """The base commit is dated 2024-10-01 (in its own time zone, +07:00, though it is still
    30 September in UTC): a note of 2024-09-01 is 30 days before it, though 61 before today."""
    repo, _ = make_repo(tmp_path)
    env = {**os.environ, **GIT_ENV, "GIT_COMMITTER_DATE": "2024-10-01T00:30:00+07:00"}
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", "main on 1 October"], cwd=repo, check=True, env=env)
    base = git(repo, "rev-parse", "HEAD").strip()
    assert _note_backdated(repo, base, "2024-09-01") == set()
    assert _note_backdated(repo, base, "2024-08-31") == _late(repo, "warning", "2024-08-31", 31, "2024-10-01")


def test_files_checked_counts_the_step_the_protected_paths_and_the_revalidated_cases(tmp_path: Path) -> None:
    """The summary's file count: the count of re-validated cases was overwritten (issue 13's mutants
    found it: ``+= 1`` and ``+= 2`` gave the same summary)."""
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "a note")
    assert check_json(repo, base, "2024-11-01")[1]["summary"]["files"] == 1
    _edit(repo, "org/officers.yaml", "login: xa-a-thon-1-4", "login: xa-a-thon-1-4b")
    commit(repo, "OF-004's login changes")
    naming = [p for p in (repo / "records").rglob("*.yaml") if "OF-004" in p.read_text(encoding="utf-8")]
    assert len(naming) >= 2  # the open case and at least one demo case
    # the step, org/officers.yaml, and every other case naming OF-004 (the step's own file is judged once)
    assert check_json(repo, base, "2024-11-01")[1]["summary"]["files"] == 1 + 1 + len(naming) - 1


def test_a_transfer_to_a_unit_without_a_superior_has_no_approver_on_that_side(tmp_path: Path) -> None:
    """The receiving side of a transfer is approved by the target's superior; the province has
    none (it is the root): that side is reported, the sending side still needs its approval."""
    repo, base = make_repo(tmp_path)
    moved = "records/lao-cai/VC-2024-100.yaml"
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", CASE, moved)
    write_case(repo, EVENTS + [TRANSFER.replace("to_unit: lao-cai/xa-son-a/chi-bo-thon-1", "to_unit: lao-cai")], moved)
    commit(repo, "transfer to the province itself")
    code, doc = check_json(repo, base, "2025-07-02")
    assert code == 1
    line = line_of(repo, "event: transferred", moved)
    assert [(f["file"], f["line"], f["severity"], f["message"]) for f in doc["findings"]
            if f["rule"] == "DIFF-NO-APPROVER"] == [(moved, line, "error", NO_APPROVER)]
    assert [(r["event"], r["role"], r["unit"], r["line"]) for r in doc["required_approvals"]] == [
        ("transferred", "dang_uy", "van-chan/xa-a", line)]


@pytest.mark.parametrize(("path", "case"), [
    ("records/van-chan/VC-1.yaml", True), ("records/a/b/c/VC-1.yaml", True),
    ("records/VC-1.yaml", False),          # no unit
    ("records/a/VC-1.yml", False), ("records/a/VC-1.yaml.bak", False),
    ("records/.a/VC-1.yaml", False), ("records/a/.VC-1.yaml", False),  # hidden names are no cases
    ("records//VC-1.yaml", False), ("archive/a/VC-1.yaml", False), ("recordsx/a/VC-1.yaml", False),
])
def test_which_paths_are_case_paths(path: str, case: bool) -> None:
    assert is_case_path(path) is case


@pytest.mark.parametrize(("path", "cache"), [
    (".hoso-cache", True), (".hoso-cache/index.json", True),
    (".hoso-cache-old/index.json", False), (".hoso-cachex", False), ("docs/.hoso-cache", False),
])
def test_which_paths_are_the_cache(path: str, cache: bool) -> None:
    assert _is_cache(path) is cache


def test_a_case_file_under_a_yml_name_outside_records_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "notes").mkdir()
    (repo / "notes/VC-2024-100.yml").write_text((repo / CASE).read_text(encoding="utf-8"), encoding="utf-8")
    (repo / "notes/plain.yml").write_text("case: x\nprocedure: y\nhistory: a mapping with the keys is one\n",
                                          encoding="utf-8")
    (repo / "notes/list.yml").write_text("- case: x\n- procedure: y\n- history: a list is none\n", encoding="utf-8")
    (repo / "notes/words.yml").write_text("# case procedure history\nnote: these words are in a comment\n",
                                          encoding="utf-8")
    commit(repo, "a copy of a case under notes/")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert {(f["rule"], f["file"]) for f in doc["findings"] if f["severity"] == "error"} == {
        ("DIFF-CASE-OUTSIDE-RECORDS", "notes/VC-2024-100.yml"), ("DIFF-CASE-OUTSIDE-RECORDS", "notes/plain.yml")}


def test_a_transfer_between_two_cells_of_one_commune_needs_its_superior_once(tmp_path: Path) -> None:
    """Both sides' superior is the commune van-chan/xa-a: one approval, not two of the same body.
    Thôn 2 is no successor of thôn 1: the case rules say so, and check does not say it twice."""
    repo, base = make_repo(tmp_path)
    moved = "records/van-chan/xa-a/chi-bo-thon-2/VC-2024-100.yaml"
    git(repo, "mv", CASE, moved)
    write_case(repo, EVENTS + [TRANSFER.replace("to_unit: lao-cai/xa-son-a/chi-bo-thon-1",
                                                "to_unit: van-chan/xa-a/chi-bo-thon-2")], moved)
    commit(repo, "transfer to the neighbouring cell")
    code, doc = check_json(repo, base, "2025-07-02")
    assert code == 1
    assert [(f["rule"], f["line"]) for f in doc["findings"] if "TRANSFER-TARGET" in f["rule"]] == [
        ("ORG-TRANSFER-TARGET", line_of(repo, "to_unit: van-chan", moved))]
    assert [(r["event"], r["role"], r["unit"], r["line"]) for r in doc["required_approvals"]] == [
        ("transferred", "dang_uy", "van-chan/xa-a", line_of(repo, "event: transferred", moved))]


def test_a_new_step_without_a_date_is_a_schema_finding_not_a_crash(tmp_path: Path) -> None:
    """No date: nothing to count back-dating from, and no approval to ask for (the step is refused)."""
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note().replace('    date: "2024-10-10"\n', "")])
    commit(repo, "a note without its date")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert _found(doc) == {("SCHEMA-MISSING", CASE, line_of(repo, "event: progress_note"), "error")}
    assert doc["required_approvals"] == []


def test_a_new_case_is_a_duplicate_only_of_a_case_file_under_records(tmp_path: Path) -> None:
    """A file of the same name outside records/ (a note, not a case) is no other copy of the case;
    one under records/ is."""
    repo, base = make_repo(tmp_path)
    path = "records/van-chan/xa-a/chi-bo-thon-1/VC-2024-200.yaml"
    write_case(repo, [EVENTS[0]], path)
    (repo / path).write_text((repo / path).read_text(encoding="utf-8").replace("VC-2024-100", "VC-2024-200")
                             .replace("member: DV-0100", "member: DV-0200"), encoding="utf-8")  # another member's case
    (repo / "docs").mkdir(exist_ok=True)
    (repo / "docs/VC-2024-200.yaml").write_text("note: the minutes of the cell meeting\n", encoding="utf-8")
    commit(repo, "a new case, and a note of the same name")
    code, doc = check_json(repo, base, "2024-03-15")
    assert code == 0, doc["findings"]
    assert "DIFF-CASE-EXISTS" not in {f["rule"] for f in doc["findings"]}
    other = "records/van-chan/xa-a/chi-bo-thon-2/VC-2024-200.yaml"
    (repo / other).parent.mkdir(parents=True, exist_ok=True)
    (repo / other).write_text((repo / path).read_text(encoding="utf-8"), encoding="utf-8")
    commit(repo, "and a second copy under records/")
    code, doc = check_json(repo, base, "2024-03-15")
    assert ("DIFF-CASE-EXISTS", path, 1, "error") in _found(doc)


def test_deleting_a_committed_cache_or_a_symlink_is_only_a_protected_change(tmp_path: Path) -> None:
    """Removing what should not be there is no refused file: the maintainers approve it."""
    repo, _ = make_repo(tmp_path)
    (repo / ".hoso-cache").mkdir(exist_ok=True)
    (repo / ".hoso-cache/index.json").write_text("{}\n", encoding="utf-8")
    (repo / "docs").mkdir(exist_ok=True)
    os.symlink("../hoso.yaml", repo / "docs/link.yaml")
    git(repo, "add", "-f", ".hoso-cache/index.json", "docs/link.yaml")
    base = commit(repo, "a cache and a link that slipped in")
    git(repo, "rm", "-q", "-r", ".hoso-cache", "docs/link.yaml")
    commit(repo, "take them out")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0, doc["findings"]
    assert _found(doc) == {("DIFF-PROTECTED-PATH", ".hoso-cache/index.json", 1, "warning"),
                           ("DIFF-PROTECTED-PATH", "docs/link.yaml", 1, "warning")}
