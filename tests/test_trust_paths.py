"""Issue 8, the trust chain: which files a pull request may touch, and what they really are.

Each test replays one attack from the issue against a real git repository and real ``hoso``
runs (attacks 4, 9, 11, 13, 14), and asserts the rule id and line that stop it.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.conftest import copy_demo, git
from tests.pr_util import (CASE, EVENTS, HEADER, case_text, check_json, commit, hoso, hoso_process, make_repo,
                           progress_note, rules, write_case)

TODAY = "2024-11-01"
LATER = "2026-11-27"  # validate: every demo record is in the past
MAINT = "maintainer"


def _maintainer_files(doc: dict[str, object]) -> list[str]:
    return sorted(r["file"] for r in doc["required_approvals"] if r["role"] == MAINT)  # type: ignore[attr-defined, index]


def _hits(doc: dict[str, object], rule: str) -> list[tuple[str, int]]:
    return [(f["file"], f["line"]) for f in doc["findings"] if f["rule"] == rule]  # type: ignore[attr-defined, index]


# ------------------------------------------------------- attack 11: protected by default


def test_attack_11_gitattributes_needs_the_maintainers(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / ".gitattributes").write_text("*.yaml -diff linguist-generated=true\n", encoding="utf-8")
    write_case(repo, EVENTS + [progress_note()])
    commit(repo, "a step, with its diff hidden from reviewers")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0
    assert _hits(doc, "DIFF-PROTECTED-PATH") == [(".gitattributes", 1)]
    assert _maintainer_files(doc) == [".gitattributes"]


def test_every_path_outside_records_is_protected(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    for name in ("docs/x.md", "tools/hoso/x.py", "Makefile", "pyproject.toml", "mkdocs.yml", "mkdocs.en.yml",
                 ".editorconfig", "brand-new.txt", "records/.gitattributes", "records/van-chan/notes.md",
                 "records/VC-2024-999.yaml"):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text("x: 1\n", encoding="utf-8")
    commit(repo, "files everywhere")
    code, doc = check_json(repo, base, TODAY)
    assert _maintainer_files(doc) == sorted([
        "docs/x.md", "tools/hoso/x.py", "Makefile", "pyproject.toml", "mkdocs.yml", "mkdocs.en.yml", ".editorconfig",
        "brand-new.txt", "records/.gitattributes", "records/van-chan/notes.md", "records/VC-2024-999.yaml"])
    assert {f for f, _ in _hits(doc, "DIFF-PROTECTED-PATH")} == set(_maintainer_files(doc))


def test_a_deleted_file_outside_records_is_protected(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    (repo / "docs").mkdir()
    (repo / "docs/x.md").write_text("# x\n", encoding="utf-8")
    base = commit(repo, "docs")
    git(repo, "rm", "-q", "docs/x.md")
    commit(repo, "delete the docs")
    _, doc = check_json(repo, base, TODAY)
    assert _maintainer_files(doc) == ["docs/x.md"]


# ------------------------------------------------------- attack 13: cases outside records


OUTSIDE = "archive/VC-2024-300.yaml"


def _case_300(events: list[str]) -> str:
    return case_text(events).replace("VC-2024-100", "VC-2024-300").replace("DV-0100", "DV-0300")


def test_attack_13_case_file_outside_records_is_an_error(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "archive").mkdir()
    (repo / OUTSIDE).write_text(_case_300(EVENTS[:4]), encoding="utf-8")
    (repo / "records/van-chan/xa-a/chi-bo-thon-1/.VC-2024-301.yaml").write_text(_case_300(EVENTS[:1]),
                                                                                 encoding="utf-8")
    commit(repo, "a case file parked outside records/")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert sorted(_hits(doc, "DIFF-CASE-OUTSIDE-RECORDS")) == [
        (OUTSIDE, 1), ("records/van-chan/xa-a/chi-bo-thon-1/.VC-2024-301.yaml", 1)]


def test_a_yaml_file_that_is_not_a_case_is_only_protected(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "config.yaml").write_text("case: x\nhistory: not a case\n", encoding="utf-8")
    commit(repo, "a settings file")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and rules(doc) == {"DIFF-PROTECTED-PATH"}


# ------------------------------------------------------- attack 4: renamed into records/


def test_attack_4_history_moved_into_records_is_a_new_case(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    (repo / "archive").mkdir()
    (repo / OUTSIDE).write_text(_case_300(EVENTS[:4]), encoding="utf-8")
    base = commit(repo, "smuggled in before the fix")
    target = "records/van-chan/xa-a/chi-bo-thon-1/VC-2024-300.yaml"
    git(repo, "mv", OUTSIDE, target)
    (repo / target).write_text(_case_300(EVENTS[:5]), encoding="utf-8")
    commit(repo, "move it in, with one new event")
    assert "R" in git(repo, "diff", "--name-status", "-M", base, "HEAD")  # git sees a rename
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    text = (repo / target).read_text(encoding="utf-8").splitlines()
    second = next(i for i, line in enumerate(text, 1) if "event: list_voted" in line)
    assert _hits(doc, "DIFF-TOO-MANY-EVENTS") == [(target, second)]
    # every event is judged and needs its approval: none counts as already approved
    assert [r["event"] for r in doc["required_approvals"] if r["case"]] == [
        "flagged", "list_voted", "list_approved", "notified", "self_review"]


def test_a_case_moved_in_must_have_a_fresh_id(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    (repo / "archive").mkdir()
    (repo / "archive/VC-2024-100.yaml").write_text(case_text(EVENTS[:1]), encoding="utf-8")
    base = commit(repo, "a copy of an existing case, parked")
    target = "records/van-chan/xa-a/chi-bo-thon-2/VC-2024-100.yaml"
    (repo / target).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", "archive/VC-2024-100.yaml", target)
    commit(repo, "move it in")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-CASE-EXISTS") == [(target, 1)]
    assert "REC-PATH" in rules(doc)


def test_a_case_moved_out_of_records_is_deleted(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / "archive").mkdir()
    git(repo, "mv", CASE, "archive/VC-2024-100.yaml")
    commit(repo, "move a case out")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-CASE-DELETED") == [(CASE, 1)]


# ------------------------------------------------------- attack 9: symlinks


LINKED = "records/van-chan/xa-a/chi-bo-thon-1/VC-2024-200.yaml"


def _link_text() -> str:
    return (HEADER + EVENTS[0]).replace("VC-2024-100", "VC-2024-200").replace("DV-0100", "DV-0200")


def test_attack_9_symlink_whose_text_is_yaml_is_refused_by_check(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    os.symlink(_link_text(), repo / LINKED)
    commit(repo, "a case that is a symlink")
    assert git(repo, "ls-tree", "HEAD", "--", LINKED).startswith("120000")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-NOT-A-FILE") == [(LINKED, 1)]
    assert [r for r in doc["required_approvals"] if r["case"]] == []


def test_symlink_outside_records_is_refused_too(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    os.symlink("/etc/passwd", repo / "docs-link")
    commit(repo, "a link")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and _hits(doc, "DIFF-NOT-A-FILE") == [("docs-link", 1)]


def test_attack_9_symlinked_record_on_disk_is_a_finding_everywhere(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    os.symlink(_link_text(), repo / LINKED)  # dangling: the link text is YAML
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(_link_text().replace("VC-2024-200", "VC-2024-201"), encoding="utf-8")
    other = "records/van-chan/xa-a/chi-bo-thon-1/VC-2024-201.yaml"
    os.symlink(outside, repo / other)  # a link to a real, valid case elsewhere
    code, out, err = hoso_process(repo, "validate", "--format", "json", "--today", LATER, "--lang", "en")
    assert code == 1 and "Traceback" not in err
    import json

    doc = json.loads(out)
    assert {(f["file"], f["line"]) for f in doc["findings"] if f["rule"] == "FILE-UNREADABLE"} == {
        (LINKED, 1), (other, 1)}
    for args in (["next", "VC-2024-100", "--today", TODAY], ["status", "--today", TODAY]):
        code, out, err = hoso_process(repo, *args)
        assert "Traceback" not in err, (args, err)


# ------------------------------------------------------- attack 14: .hoso-cache


def test_attack_14_cache_symlink_writes_and_deletes_nothing_elsewhere(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    victim = tmp_path / "victim"
    victim.mkdir()
    for i in range(6):
        (victim / f"validate-{i:032d}.json").write_text("keep me\n", encoding="utf-8")
        os.utime(victim / f"validate-{i:032d}.json", (1_000_000 + i, 1_000_000 + i))
    os.symlink(victim, repo / ".hoso-cache")
    before = sorted(p.name for p in victim.iterdir())
    code, out, err = hoso(repo, "validate", "--today", LATER)
    assert code == 0, out + err
    assert sorted(p.name for p in victim.iterdir()) == before
    assert all(p.read_text(encoding="utf-8") == "keep me\n" for p in victim.iterdir())
    assert ".hoso-cache" in err


def test_cache_gitignore_link_is_never_written_through(tmp_path: Path) -> None:
    repo = copy_demo(tmp_path / "repo")
    (repo / ".hoso-cache").mkdir()
    target = tmp_path / "victim.txt"
    os.symlink(target, repo / ".hoso-cache/.gitignore")  # dangling: writing it would create the target
    code, out, err = hoso(repo, "validate", "--today", LATER)
    assert code == 0, out + err
    assert not target.exists()


def test_a_committed_cache_is_an_error_in_check(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    os.symlink(tmp_path, repo / ".hoso-cache")
    commit(repo, "a cache that points elsewhere")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and _hits(doc, "DIFF-CACHE-COMMITTED") == [(".hoso-cache", 1)]

    git(repo, "checkout", "-q", "-b", "plain", base)
    (repo / ".hoso-cache").mkdir()
    (repo / ".hoso-cache/validate-x.json").write_text("{}\n", encoding="utf-8")
    git(repo, "add", "-f", ".hoso-cache/validate-x.json")
    git(repo, "commit", "-q", "-m", "a committed cache")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1 and _hits(doc, "DIFF-CACHE-COMMITTED") == [(".hoso-cache/validate-x.json", 1)]
