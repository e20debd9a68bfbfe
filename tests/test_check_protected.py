"""hoso check when a change touches procedures/, org/, .github/ or hoso.yaml."""

from __future__ import annotations

from pathlib import Path

from tests.pr_util import (CASE, EVENTS, FINAL_REVIEW_EARLY, check_json, commit, line_of, make_repo, progress_note,
                           rules, write_case)

PROC = "procedures/hd02-2021.yaml"


def _edit(repo: Path, path: str, old: str, new: str) -> None:
    f = repo / path
    text = f.read_text(encoding="utf-8")
    assert old in text
    f.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_procedure_change_needs_the_maintainers_role(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    _edit(repo, PROC, "Chi bộ bỏ phiếu kín đưa vào danh sách", "Chi bộ bỏ phiếu kín, đưa vào danh sách")
    commit(repo, "wording")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0
    assert [(f["rule"], f["severity"], f["file"]) for f in doc["findings"]] == [
        ("DIFF-PROTECTED-PATH", "warning", PROC)]
    assert [(r["case"], r["event"], r["role"], r["unit"]) for r in doc["required_approvals"]] == [
        (None, None, "maintainer", None)]


def test_workflow_and_settings_changes_are_protected(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / ".github/workflows").mkdir(parents=True)
    (repo / ".github/workflows/x.yml").write_text("on: push\n", encoding="utf-8")
    _edit(repo, "hoso.yaml", "synthetic: true", "synthetic: true\n# edited")
    commit(repo, "ci")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0
    assert {f["file"] for f in doc["findings"] if f["rule"] == "DIFF-PROTECTED-PATH"} == {
        ".github/workflows/x.yml", "hoso.yaml"}


def test_a_step_is_not_protected_but_docs_are(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "a step")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0 and "DIFF-PROTECTED-PATH" not in rules(doc)
    assert [r["role"] for r in doc["required_approvals"]] == ["chi_uy"]
    (repo / "docs").mkdir()
    (repo / "docs/x.md").write_text("# x\n", encoding="utf-8")
    commit(repo, "and the docs")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0 and rules(doc) == {"DIFF-PROTECTED-PATH"}
    assert [r["role"] for r in doc["required_approvals"]] == ["chi_uy", "maintainer"]


def test_a_change_cannot_relax_the_procedure_that_judges_it(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    _edit(repo, PROC, "  help_period_months:\n    value: 12", "  help_period_months:\n    value: 6")
    write_case(repo, EVENTS + [FINAL_REVIEW_EARLY])
    commit(repo, "shorten the help period and review early")
    code, doc = check_json(repo, base, "2025-02-01")
    assert code == 1
    (hit,) = [f for f in doc["findings"] if f["rule"] == "TIME-TOO-EARLY"]
    assert hit["file"] == CASE and hit["line"] == line_of(repo, '"2025-01-10"')
    assert "DIFF-PROTECTED-PATH" in rules(doc, "warning")


def test_a_change_cannot_grant_the_recorder_a_role(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    _edit(repo, "org/officers.yaml", "      - {role: dang_vien, unit: van-chan/xa-a/chi-bo-thon-1, from: \"2019-01-01\", "
          "to: \"2025-06-30\"}\n", "")  # OF-004 loses its only thon-1 role …
    commit(repo, "roster edit")
    base2 = commit(repo, "base with OF-004 not a member of the cell")
    _edit(repo, "org/officers.yaml", "  - id: OF-004\n    login: xa-a-thon-1-4\n    member: DV-9004\n    roles:\n",
          "  - id: OF-004\n    login: xa-a-thon-1-4\n    member: DV-9004\n    roles:\n"
          "      - {role: dang_vien, unit: van-chan/xa-a/chi-bo-thon-1, from: \"2019-01-01\", to: \"2025-06-30\"}\n")
    write_case(repo, EVENTS + [progress_note(recorder="OF-004")])  # … and records a step, granting it back
    commit(repo, "note by OF-004, with the role restored in the same change")
    code, doc = check_json(repo, base2, "2024-11-01")
    assert code == 1
    assert "ROLE-RECORDER" in rules(doc)


def test_org_change_revalidates_the_cases_it_affects(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    # OF-002 loses the chi_uy role it held when it recorded steps of VC-2024-100 and VC-2021-001
    _edit(repo, "org/officers.yaml",
          "      - {role: chi_uy, unit: van-chan/xa-a/chi-bo-thon-1, from: \"2019-01-01\", to: \"2025-06-30\"}\n"
          "      - {role: chi_uy, unit: lao-cai/xa-son-a/chi-bo-thon-1, from: \"2025-07-01\"}\n"
          "  - id: OF-003",
          "      - {role: chi_uy, unit: lao-cai/xa-son-a/chi-bo-thon-1, from: \"2025-07-01\"}\n"
          "  - id: OF-003")
    commit(repo, "roster: OF-002 was never on the cell committee before 2025")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    hit_files = {f["file"] for f in doc["findings"] if f["rule"] == "ROLE-RECORDER"}
    assert CASE in hit_files
    assert any("VC-2021-001" in f for f in hit_files)


def test_unrelated_org_change_revalidates_nothing_new(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    _edit(repo, "org/officers.yaml", "login: huyen-btv-3", "login: huyen-btv-3b")
    commit(repo, "rename a login")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0
    assert rules(doc) == {"DIFF-PROTECTED-PATH"}


def test_broken_procedure_in_the_change_is_reported(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    _edit(repo, PROC, "    next: [list_voted]\n", "    next: [list_vote]\n")
    commit(repo, "typo")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 1
    assert "PROC-UNKNOWN-EVENT" in rules(doc)


def test_settings_without_maintainer_role_fail_closed(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    _edit(repo, "hoso.yaml", "maintainer_role: maintainer", "")
    base2 = commit(repo, "no maintainer role")
    _edit(repo, PROC, "Chi bộ bỏ phiếu kín đưa vào danh sách", "Chi bộ bỏ phiếu kín, đưa vào danh sách")
    commit(repo, "wording")
    code, doc = check_json(repo, base2, "2024-11-01")
    assert code == 1 and "DIFF-NO-MAINTAINER-ROLE" in rules(doc)


def test_case_of_a_procedure_the_base_lacks_fails_closed(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    text = (repo / CASE).read_text(encoding="utf-8")
    (repo / CASE).write_text(text.replace("procedure: hd02-2021", "procedure: hd02-9999"), encoding="utf-8")
    base2 = commit(repo, "a case of an unknown procedure on main")
    write_case(repo, EVENTS + [progress_note()])
    (repo / CASE).write_text((repo / CASE).read_text(encoding="utf-8").replace("procedure: hd02-2021",
                                                                               "procedure: hd02-9999"), encoding="utf-8")
    commit(repo, "a step nobody can judge")
    code, doc = check_json(repo, base2, "2024-11-01")
    assert code == 1 and "REC-UNKNOWN-PROCEDURE" in rules(doc)


def test_other_files_under_records_need_the_maintainers(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "records/van-chan/notes.md").write_text("x\n", encoding="utf-8")
    commit(repo, "a note among the cases")
    code, doc = check_json(repo, base, "2024-11-01")
    assert code == 0
    assert [(r["file"], r["role"]) for r in doc["required_approvals"]] == [("records/van-chan/notes.md", "maintainer")]
