"""`hoso check` rules mutation testing found untested (issue 13), on real git repositories:
a case moved out of records/ is a deleted case, and a change to a procedure or to the roster
re-validates the cases it could affect (including an officer removed from org/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.conftest import git
from tests.pr_util import CASE, check_json, commit, line_of, make_repo

PROC = "procedures/hd02-2021.yaml"


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

