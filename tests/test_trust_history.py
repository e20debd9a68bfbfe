"""Issue 8, the trust chain: what a pull request may do to a case's header, history and dates.

Each test replays one attack from the issue against a real git repository and real ``hoso``
runs (attacks 6, 7, 8, 10, 12), and asserts the rule id and line that stop it.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from tests.conftest import GIT_ENV, git
from tests.pr_util import (CASE, EVENTS, HEADER, TRANSFER, case_text, check_json, commit, hoso, line_of, make_repo,
                           progress_note, rules, write_case)

TODAY = "2024-11-01"


def _hits(doc: dict[str, object], rule: str) -> list[tuple[str, int]]:
    return [(f["file"], f["line"]) for f in doc["findings"] if f["rule"] == rule]  # type: ignore[attr-defined, index]


def _severity(doc: dict[str, object], rule: str) -> set[str]:
    return {f["severity"] for f in doc["findings"] if f["rule"] == rule}  # type: ignore[attr-defined, index]


# ------------------------------------------------------- attack 6: member_status frozen


def _status(text: str, status: str) -> str:
    return text.replace("member_status: full", f"member_status: {status}")


STATUS_CHANGED = """\
  - event: member_status_changed
    date: "2024-10-10"
    recorded_by: OF-001
    new_status: full
    decision: NQ-09/2024
"""


def test_attack_6_member_status_cannot_be_flipped(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    (repo / CASE).write_text(_status(case_text(EVENTS), "probationary"), encoding="utf-8")
    base = commit(repo, "a probationary member's case")
    (repo / CASE).write_text(case_text(EVENTS), encoding="utf-8")
    commit(repo, "now a full member, so that expulsion becomes possible")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-HEADER-CHANGED") == [(CASE, line_of(repo, "member_status: full"))]


def test_every_header_key_is_frozen(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    (repo / CASE).write_text(case_text(EVENTS).replace("history:\n", "note: added later\nhistory:\n"),
                             encoding="utf-8")
    commit(repo, "a new header key")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-HEADER-CHANGED") == [(CASE, line_of(repo, "note: added later"))]


def test_member_status_changes_through_its_event(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    (repo / CASE).write_text(_status(case_text(EVENTS), "probationary"), encoding="utf-8")
    base = commit(repo, "a probationary member's case")
    (repo / CASE).write_text(_status(case_text(EVENTS + [STATUS_CHANGED]), "probationary"), encoding="utf-8")
    commit(repo, "the cell recognises full membership")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0, doc["findings"]
    assert [(r["event"], r["role"], r["unit"], r["line"]) for r in doc["required_approvals"]] == [
        ("member_status_changed", "chi_uy", "van-chan/xa-a/chi-bo-thon-1",
         line_of(repo, "event: member_status_changed"))]


EXPELLED = "records/van-chan/xa-a/chi-bo-thon-1/VC-2022-001.yaml"
CHANGED_BEFORE_DECISION = """\
  - event: member_status_changed
    date: "2023-06-01"
    recorded_by: OF-001
    new_status: full
    decision: NQ-11/2023
"""


def _validate(repo: Path) -> list[tuple[str, str, int]]:
    code, out, err = hoso(repo, "validate", "--format", "json", "--today", "2026-11-27", "--lang", "en")
    assert code in (0, 1), err
    return [(f["rule"], f["file"], f["line"]) for f in json.loads(out)["findings"]
            if f["severity"] == "error" and f["file"] == EXPELLED]


def test_replay_uses_the_status_from_its_event_on(tmp_path: Path) -> None:
    """Expulsion needs a full member at that point: the status event before it makes it so."""
    repo, _ = make_repo(tmp_path)
    path = repo / EXPELLED
    text = path.read_text(encoding="utf-8")
    path.write_text(_status(text, "probationary"), encoding="utf-8")
    line = next(i for i, s in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "event: decided" in s)
    assert _validate(repo) == [("SEQ-MEMBER-STATUS", EXPELLED, line)]
    path.write_text(_status(text, "probationary").replace("  - event: decided\n",
                                                          CHANGED_BEFORE_DECISION + "  - event: decided\n"),
                    encoding="utf-8")
    assert _validate(repo) == []


# ------------------------------------------------------- attack 8: True == 1


def test_attack_8_true_rewritten_as_one_is_an_edit(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    edited = list(EVENTS)
    edited[1] = edited[1].replace("secret: true}", "secret: 1}")
    write_case(repo, edited)
    commit(repo, "secret: 1")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-HISTORY-EDITED") == [(CASE, line_of(repo, "secret: 1}"))]


def test_types_are_compared_recursively(tmp_path: Path) -> None:
    from hoso.history import history_issues, same

    assert not same(True, 1) and not same("0", 0) and not same(1.0, 1) and not same(0, False)
    assert same({"a": [1, {"b": True}]}, {"a": [1, {"b": True}]})
    assert not same({"a": [1, {"b": True}]}, {"a": [1, {"b": 1}]})
    assert not same([1], [1, 1]) and not same({"a": 1}, {"a": 1, "b": 2})
    issues = history_issues([{"event": "x", "n": "0"}], [{"event": "x", "n": 0}])
    assert [(i.rule, i.path) for i in issues] == [("DIFF-HISTORY-EDITED", ("history", 0, "n"))]
    repo, base = make_repo(tmp_path)
    edited = list(EVENTS)
    edited[0] = edited[0].replace("date: \"2024-03-04\"", "date: \"2024-03-04\"\n    note: \"0\"")
    write_case(repo, edited)
    base2 = commit(repo, "a note that is text")
    edited[0] = edited[0].replace('note: "0"', "note: 0")
    write_case(repo, edited)
    commit(repo, "the same note as a number")
    code, doc = check_json(repo, base2, TODAY)
    assert _hits(doc, "DIFF-HISTORY-EDITED") == [(CASE, line_of(repo, "note: 0"))]


# ------------------------------------------------------- attack 7: back-dating


def _commit_dated(repo: Path, message: str, day: str) -> str:
    env = {**os.environ, **GIT_ENV, "GIT_COMMITTER_DATE": f"{day}T12:00:00+07:00",
           "GIT_AUTHOR_DATE": f"{day}T12:00:00+07:00"}
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True, env=env)
    subprocess.run(["git", "commit", "-q", "--allow-empty", "-m", message], cwd=repo, check=True, env=env)
    return git(repo, "rev-parse", "HEAD").strip()


def test_attack_7_back_dated_event_warns_then_fails(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    base = _commit_dated(repo, "main on 2024-11-01", "2024-11-01")
    write_case(repo, EVENTS + [progress_note("2024-09-01")])  # 61 days before the base commit
    commit(repo, "a late note")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0
    assert _hits(doc, "DIFF-BACKDATED") == [(CASE, line_of(repo, '"2024-09-01"'))]
    assert _severity(doc, "DIFF-BACKDATED") == {"warning"}

    git(repo, "checkout", "-q", "-b", "older", base)
    write_case(repo, EVENTS + [progress_note("2024-04-20")])  # 195 days before
    commit(repo, "a very late note")
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    assert _hits(doc, "DIFF-BACKDATED") == [(CASE, line_of(repo, '"2024-04-20"'))]
    assert _severity(doc, "DIFF-BACKDATED") == {"error"}


def test_back_dating_limits_are_settings_of_the_base(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    with (repo / "hoso.yaml").open("a", encoding="utf-8") as fh:
        fh.write("backdate_warning_days: 300\nbackdate_error_days: 400\n")
    base = _commit_dated(repo, "main with wider limits", "2024-11-01")
    write_case(repo, EVENTS + [progress_note("2024-04-20")])
    commit(repo, "a very late note")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and "DIFF-BACKDATED" not in rules(doc)


def test_recent_event_is_not_back_dated(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    base = _commit_dated(repo, "main", "2024-10-20")
    write_case(repo, EVENTS + [progress_note("2024-10-10")])
    commit(repo, "a note")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0 and "DIFF-BACKDATED" not in rules(doc)


# ------------------------------------------------------- attack 10: transfers


SA_CASE = "records/lao-cai/xa-son-a/chi-bo-thon-1/SA-2026-003.yaml"


def _transfer(repo: Path, to_unit: str) -> str:
    target = f"records/{to_unit}/SA-2026-003.yaml"
    (repo / target).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", SA_CASE, target)
    text = (repo / target).read_text(encoding="utf-8")
    text += f"""\
  - event: transferred
    date: "2026-11-10"
    recorded_by: OF-021
    to_unit: {to_unit}
    order: QĐ-77/2026
"""
    (repo / target).write_text(text, encoding="utf-8")
    return target


def test_attack_10_transfer_to_another_communes_cell_is_refused(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    target = _transfer(repo, "lao-cai/xa-son-c/chi-bo-truong-hoc")
    commit(repo, "move the case to another commune's cell")
    code, doc = check_json(repo, base, "2026-11-27")
    assert code == 1
    assert _hits(doc, "DIFF-TRANSFER-TARGET") == [(target, line_of(repo, "to_unit: lao-cai", target))]


def test_transfer_to_any_unit_of_the_kind_when_a_setting_allows_it(tmp_path: Path) -> None:
    repo, _ = make_repo(tmp_path)
    with (repo / "hoso.yaml").open("a", encoding="utf-8") as fh:
        fh.write("transfer_to_any_unit_of_kind: true\n")
    base = commit(repo, "any cell may receive")
    target = _transfer(repo, "lao-cai/xa-son-c/chi-bo-truong-hoc")
    commit(repo, "move the case to another commune's cell")
    code, doc = check_json(repo, base, "2026-11-27")
    assert "DIFF-TRANSFER-TARGET" not in rules(doc), doc["findings"]
    assert [(r["event"], r["role"], r["unit"]) for r in doc["required_approvals"]] == [
        ("transferred", "dang_uy", "lao-cai/xa-son-a"), ("transferred", "dang_uy", "lao-cai/xa-son-c")]
    assert {r["line"] for r in doc["required_approvals"]} == {line_of(repo, "event: transferred", target)}


def test_transfer_to_a_successor_needs_both_sides(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    moved = "records/lao-cai/xa-son-a/chi-bo-thon-1/VC-2024-100.yaml"
    (repo / moved).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", CASE, moved)
    write_case(repo, EVENTS + [TRANSFER], moved)
    commit(repo, "transfer")
    code, doc = check_json(repo, "main", "2025-07-02")
    assert code == 0, doc["findings"]
    assert [(r["event"], r["role"], r["unit"]) for r in doc["required_approvals"]] == [
        ("transferred", "dang_uy", "van-chan/xa-a"), ("transferred", "dang_uy", "lao-cai/xa-son-a")]


# ------------------------------------------------------- attack 12: a lone carriage return


def test_attack_12_lone_cr_hides_an_event_in_a_comment_line(tmp_path: Path) -> None:
    repo, base = make_repo(tmp_path)
    hidden = progress_note().replace("\n", "\r")
    text = case_text(EVENTS) + "  # checked by the cell\r" + hidden + "\n"
    (repo / CASE).write_bytes(text.encode("utf-8"))
    commit(repo, "a comment")
    shown = subprocess.run(["git", "show", f"HEAD:{CASE}"], cwd=repo, check=True, capture_output=True).stdout
    assert shown.count(b"\n") == case_text(EVENTS).count("\n") + 1  # one line for git and the forge
    code, doc = check_json(repo, base, TODAY)
    assert code == 1
    line = case_text(EVENTS).count("\n") + 1
    hits = [(f["file"], f["line"], f["column"]) for f in doc["findings"] if f["rule"] == "YAML-CONTROL-CHAR"]
    assert hits == [(CASE, line, len("  # checked by the cell") + 1)]
    assert doc["required_approvals"] == []

    code, out, _ = hoso(repo, "validate", "--format", "json", "--today", TODAY, "--lang", "en")
    found = [(f["file"], f["line"]) for f in json.loads(out)["findings"] if f["rule"] == "YAML-CONTROL-CHAR"]
    assert code == 1 and found == [(CASE, line)]


def test_control_and_bidi_characters_are_refused_where_they_stand(tmp_path: Path) -> None:
    from hoso.repository import parse

    for ch, rule in (("\x1b", "YAML-CONTROL-CHAR"), ("\x85", "YAML-CONTROL-CHAR"), ("\u2028", "YAML-CONTROL-CHAR"),
                     ("\u202e", "YAML-BIDI"), ("\u2066", "YAML-BIDI"), ("\x7f", "YAML-CONTROL-CHAR")):
        text = HEADER.replace("member: DV-0100", f"member: DV-0100 # ab{ch}c") + EVENTS[0]
        parsed = parse(CASE, text.encode("utf-8"), fast=True)
        assert [(f.rule, f.line, f.column) for f in parsed.findings] == [
            (rule, 5, len("member: DV-0100 # ab") + 1)], repr(ch)
    ok = parse(CASE, (HEADER + EVENTS[0]).replace("\n", "\r\n").encode("utf-8"))
    assert ok.ok  # CRLF stays accepted
    tab = parse(CASE, (HEADER + EVENTS[0]).replace("# DỮ", "#\tDỮ").encode("utf-8"))
    assert tab.ok


def test_parser_and_git_count_the_same_lines() -> None:
    """Defence in depth behind YAML-CONTROL-CHAR: a line break the parser sees and git does not."""
    from hoso.yamlload import YamlError, _Builder

    for text in ("a: 1\rb: 2\n", "a: 1\x85b: 2\n", "a: 1\u2028b: 2\n"):
        try:
            _Builder().build(text)
        except YamlError as exc:
            assert (exc.rule, exc.args_) == ("YAML-LINE-COUNT", {"parsed": 2, "shown": 1})
        else:
            raise AssertionError(repr(text))
    for text in ("a: 1\n", "a: 1", "a: 1\r\nb: 2\r\n", "", "# c\n\n"):
        _Builder().build(text)
