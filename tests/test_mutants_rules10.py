"""Issue 10's rule modules judged in this process (issue 13, mutation testing): corrections
(which step a correction may name, what it replaces, where what it breaks is reported), the
versions of a procedure that count as one (one open case per member) and what of a procedure
judges steps. Each test asserts exact findings: rule id, path and arguments, or the exact text.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import git as gitpython
import pytest

from hoso.corrections import Applied, apply_corrections, correction_events, relocate
from hoso.engine import Issue, issue
from hoso.errors import HosoError
from hoso.findings import finding
from hoso.gitsource import GitCommit
from hoso.membercases import open_case_of, refuse_second_case, versions_of
from hoso.repository import Repo, load_context
from hoso.source import WorkTree
from hoso.versions import _judged, _rules, edited_open_versions, open_cases_following
from tests.conftest import ROOT, TODAY, copy_demo, git
from tests.pr_util import commit

NAMES = frozenset({"corrected"})
A = {"event": "flagged", "date": "2024-03-04", "ref": "BB-1"}
B = {"event": "list_voted", "date": "2024-03-12", "resolution": "NQ-1"}


@pytest.fixture(scope="module")
def repo() -> Repo:
    return load_context(WorkTree(ROOT), dt.date.fromisoformat(TODAY))


def fix(target: Any, changes: Any = None) -> dict[str, Any]:
    return {"event": "corrected", "corrects": target, "changes": {"ref": "BB-2"} if changes is None else changes}


def bad_target(i: int, target: Any) -> Issue:
    return issue(("history", i, "corrects"), "CORRECT-TARGET", target=str(target), index=i)


# --------------------------------------------------------------------- corrections


def test_the_demo_procedures_define_one_correction_event(repo: Repo) -> None:
    assert correction_events(repo.ctx.procedures) == NAMES


def test_a_correction_replaces_the_fields_it_names_and_nothing_else() -> None:
    history = [A, B, fix(0)]
    out = apply_corrections(history, NAMES)
    assert out.entries == [{**A, "ref": "BB-2"}, B, fix(0)]
    assert (out.by_target, out.changed, out.problems) == ({0: 2}, {2: {"ref"}}, [])
    assert history[0] == A  # the history as written is not changed


def test_a_second_correction_of_a_step_applies_on_top_of_the_first() -> None:
    out = apply_corrections([A, fix(0), fix(0, {"date": "2024-03-05"})], NAMES)
    assert out.entries[0] == {**A, "ref": "BB-2", "date": "2024-03-05"}
    assert (out.by_target, out.changed) == ({0: 2}, {1: {"ref"}, 2: {"date"}})


@pytest.mark.parametrize("target", [-1, 2, 3, "0", True, False, None, 0.0])
def test_a_correction_may_name_only_an_earlier_step_by_its_index(target: Any) -> None:
    out = apply_corrections([A, B, fix(target)], NAMES)
    assert out.problems == [bad_target(2, target)]
    assert (out.entries, out.by_target, out.changed) == ([A, B, fix(target)], {}, {})


def test_a_correction_of_a_correction_or_of_an_entry_that_is_no_step_is_refused() -> None:
    out = apply_corrections([A, fix(0), fix(1), "text", fix(3)], NAMES)
    assert out.problems == [bad_target(2, 1), bad_target(4, 3)]
    assert out.entries[0] == {**A, "ref": "BB-2"} and out.by_target == {0: 1}


@pytest.mark.parametrize("changes", [{}, [], "ref", {"event": "notified"}, {"event": "notified", "ref": "x"}])
def test_changes_that_are_no_mapping_of_fields_are_left_to_the_schema(changes: Any) -> None:
    out = apply_corrections([A, fix(0, changes)], NAMES)
    assert (out.entries, out.by_target, out.changed, out.problems) == ([A, fix(0, changes)], {}, {}, [])


def test_an_event_name_that_is_not_text_is_no_correction() -> None:
    odd = {"event": ["corrected"], "corrects": 0, "changes": {"ref": "x"}}
    out = apply_corrections([A, odd, {"corrects": 0}, fix(0)], NAMES)
    assert out.by_target == {0: 3} and out.problems == []


def test_what_a_correction_breaks_is_reported_at_the_correction() -> None:
    applied = Applied([A, B, A, A], by_target={0: 2, 1: 3}, changed={2: {"ref"}, 3: {"resolution"}},
                      problems=[bad_target(3, 9)])
    found = [issue(("history", 0, "ref"), "SCHEMA-FORMAT"),       # the field the correction replaces
             issue(("history", 0, "date"), "TIME-LATE", "warning", due="2024-04-01"),  # another field of it
             issue(("history", 0), "SEQ-NOT-ALLOWED"),             # the step itself
             issue(("history", 1, "resolution"), "ROLE-FIELD"),    # was there before the correction
             issue(("history", 2, "ref"), "SCHEMA-FORMAT"),        # a step nobody corrects
             issue(("unit",), "ORG-UNKNOWN-UNIT"), issue(("history",), "SCHEMA-TYPE")]
    baseline = [issue(("history", 1, "resolution"), "ROLE-FIELD"), issue(("history", 0, "ref"), "SCHEMA-TOO-SHORT")]
    assert relocate(found, baseline, applied) == [
        issue(("history", 2, "changes", "ref"), "SCHEMA-FORMAT"),
        issue(("history", 2), "TIME-LATE", "warning", due="2024-04-01"),  # with its arguments
        issue(("history", 2), "SEQ-NOT-ALLOWED"),
        issue(("history", 1, "resolution"), "ROLE-FIELD"),
        issue(("history", 2, "ref"), "SCHEMA-FORMAT"),
        issue(("unit",), "ORG-UNKNOWN-UNIT"), issue(("history",), "SCHEMA-TYPE"),
        issue(("history", 0, "ref"), "SCHEMA-TOO-SHORT"),  # the corrected step's own form, as written
        bad_target(3, 9)]


# ------------------------------------------------------------- one open case per member


def test_the_versions_linked_by_successor_count_as_one_procedure_either_way(repo: Repo) -> None:
    every = {"hd02-2021", "hd02-2025", "hd02-2026"}
    for start in sorted(every):
        assert versions_of(repo.ctx.procedures, start) == every
    assert versions_of(repo.ctx.procedures, "no-such") == {"no-such"}
    only = {k: v for k, v in repo.ctx.procedures.items() if k != "hd02-2025"}  # the link is broken
    assert versions_of(only, "hd02-2021") == {"hd02-2021"} and versions_of(only, "hd02-2026") == {"hd02-2026"}


def test_the_open_case_of_a_member_under_any_version(repo: Repo) -> None:
    for procedure in ("hd02-2021", "hd02-2025", "hd02-2026"):
        case = open_case_of(repo, "DV-0055", procedure)
        assert case is not None and case.path == "records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-002.yaml"
    assert open_case_of(repo, "DV-0007", "hd02-2026") is None  # VC-2021-007 is closed
    assert open_case_of(repo, "DV-9999", "hd02-2026") is None
    assert open_case_of(repo, "DV-0055", "no-such") is None


def test_a_second_case_is_refused_naming_the_first(repo: Repo) -> None:
    refuse_second_case(repo, "DV-0007", "hd02-2026")  # no open case: nothing raised
    with pytest.raises(HosoError) as raised:
        refuse_second_case(repo, "DV-0055", "hd02-2026")
    where = "SA-2026-002 (records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2026-002.yaml)"
    assert raised.value.render("vi") == (f"đảng viên DV-0055 đã có hồ sơ đang mở {where}; "
                                         "mỗi đảng viên chỉ có một hồ sơ đang mở theo một quy trình")
    assert raised.value.render("en") == (f"member DV-0055 already has an open case {where}; "
                                         "a member has one open case per procedure")


# --------------------------------------------------------------- what of a version judges


def test_the_wording_of_a_procedure_does_not_judge_steps() -> None:
    proc = {"events": {"flagged": {"title": {"vi": "Đưa vào danh sách", "en": "Listed"}, "next": ["a", "b"],
                                   "time": [{"within": {"days": 15}}]}},
            "title": {"vi": "x", "en": "y"}, "lang": {"vi": "x"}}
    assert _judged(proc) == {"events": {"flagged": {"title": None, "next": ["a", "b"],
                                                    "time": [{"within": {"days": 15}}]}},
                             "title": None, "lang": {"vi": "x"}}
    assert _judged([{"vi": "a", "en": "b"}, 1]) == [None, 1] and _judged("x") == "x"


FOLLOWING_2026 = [f"records/lao-cai/{p}.yaml" for p in (
    "xa-son-a/chi-bo-thon-1/SA-2025-001", "xa-son-a/chi-bo-thon-1/SA-2026-001", "xa-son-a/chi-bo-thon-1/SA-2026-003",
    "xa-son-a/chi-bo-thon-1/VC-2025-001", "xa-son-a/chi-bo-thon-3/SA-2026-002", "xa-son-a/chi-bo-thon-3/SA-2026-004",
    "xa-son-a/chi-bo-thon-3/VC-2025-002", "xa-son-c/chi-bo-truong-hoc/SC-2025-001",
    "xa-son-c/chi-bo-truong-hoc/SC-2026-001", "xa-son-c/chi-bo-truong-hoc/SC-2026-002",
    "xa-son-c/chi-bo-truong-hoc/VC-2024-004")]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def versions_change(tmp_path_factory: pytest.TempPathFactory) -> tuple[GitCommit, GitCommit, Context]:
    """The demo, then one commit that edits a rule of hd02-2026, of hd02-2021 (no open case
    follows it) and of hd02-2025 (kept in procedures/old/, its wording and closing day edited
    too), adds hd02-2027, and edits a copy of hd02-2026 outside procedures/. A copy of an open case not named .yaml, or outside records/, is
    no case; nor is a file under records/ that does not parse."""
    repo = copy_demo(tmp_path_factory.mktemp("versions") / "repo")
    shutil.copy(repo / FOLLOWING_2026[0], repo / (FOLLOWING_2026[0] + ".orig"))
    (repo / "archive").mkdir()
    shutil.copy(repo / FOLLOWING_2026[0], repo / "archive/SA-2025-001.yaml")  # outside records/: no case
    (repo / "records/broken.yaml").write_text("procedure: hd02-2026\nhistory: [\n", encoding="utf-8")  # no YAML
    (repo / "other").mkdir()
    shutil.copy(repo / "procedures/hd02-2026.yaml", repo / "other/hd02-2026.yaml")
    (repo / "procedures/old").mkdir()
    (repo / "procedures/hd02-2025.yaml").rename(repo / "procedures/old/hd02-2025.yaml")  # in a folder
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "base")
    limit = "  notify_within_days:\n    value: 15"
    for path in ("procedures/hd02-2026.yaml", "procedures/hd02-2021.yaml", "other/hd02-2026.yaml",
                 "procedures/old/hd02-2025.yaml"):
        _replace(repo / path, limit, "  notify_within_days:\n    value: 45")
    _replace(repo / "procedures/old/hd02-2025.yaml", "title:\n  vi: \"Rà soát", "title:\n  vi: \"Rà soát lại")
    _replace(repo / "procedures/old/hd02-2025.yaml", 'effective_to: "2026-11-22"', 'effective_to: "2026-11-21"')
    shutil.copy(repo / "procedures/old/hd02-2025.yaml", repo / "procedures/hd02-2025.yaml")  # a copy: new file
    shutil.copy(repo / "procedures/hd02-2026.yaml", repo / "procedures/hd02-2027.yaml")
    head = commit(repo, "edits")
    source = gitpython.Repo(repo)
    return GitCommit(source, base), GitCommit(source, head), load_context(GitCommit(source, base), dt.date.fromisoformat(TODAY)).ctx


def test_the_open_cases_that_follow_each_version(versions_change: tuple[GitCommit, GitCommit, Context]) -> None:
    base, _, ctx = versions_change
    assert open_cases_following(base, ctx, "hd02-2026") == FOLLOWING_2026  # sorted, the copies not counted
    assert open_cases_following(base, ctx, "hd02-2025") == ["records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2025-003.yaml"]
    assert open_cases_following(base, ctx, "hd02-2021") == []  # its cases are closed or migrated


def test_only_a_rule_edit_of_a_version_open_cases_follow_is_refused(
        versions_change: tuple[GitCommit, GitCommit, Context]) -> None:
    base, head, ctx = versions_change
    paths = ["other/hd02-2026.yaml", "procedures/hd02-2021.yaml", "procedures/old/hd02-2025.yaml",
             "procedures/hd02-2026.yaml", "procedures/hd02-2027.yaml", FOLLOWING_2026[0] + ".orig"]
    assert edited_open_versions(base, head, paths, ctx) == [
        finding("procedures/old/hd02-2025.yaml", 1, 1, "DIFF-OPEN-VERSION-EDITED", procedure="hd02-2025", count=1,
                case="records/lao-cai/xa-son-a/chi-bo-thon-3/SA-2025-003.yaml"),
        finding("procedures/hd02-2026.yaml", 1, 1, "DIFF-OPEN-VERSION-EDITED", procedure="hd02-2026",
                count=len(FOLLOWING_2026), case=FOLLOWING_2026[0])]



def test_a_procedure_file_that_is_no_mapping_has_no_rules() -> None:
    assert _rules(b"- a\n- b\n", "procedures/x.yaml") is None  # parses, but a list
    assert _rules(b"id: [\n", "procedures/x.yaml") is None  # does not parse
    assert _rules(b"id: x\nsummary: s\n", "procedures/x.yaml") == {"id": "x"}
