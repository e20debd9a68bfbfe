"""The append-only history rules (``hoso.history``), judged in this process on plain values as
`hoso check` hands them over (issue 13, mutation testing): every test asserts the exact list of
findings, rule id, path (which `hoso check` turns into the line) and arguments, so a rule that
points at another event, reports one finding too many or too few, or words it differently fails.
"""

from __future__ import annotations

from typing import Any

from hoso.engine import issue
from hoso.history import first_diff, header_issues, history_issues, same

A = {"event": "flagged", "date": "2024-03-04"}
B = {"event": "list_voted", "date": "2024-03-12", "ballot": {"members_total": 15, "for": 11, "secret": True}}
C = {"event": "help_assigned", "date": "2024-03-20", "helpers": [{"officer": "OF-001"}, {"officer": "OF-002"}]}
D = {"event": "progress_noted", "date": "2024-10-10"}
E = {"event": "progress_noted", "date": "2024-10-11"}


def edited(i: int, event: str, field: str, path: tuple[Any, ...]) -> Any:
    return issue(("history", i - 1) + path, "DIFF-HISTORY-EDITED", field=field, index=i, event=event)


# ------------------------------------------------------------------------------- same


def test_same_values_of_the_same_types_all_the_way_down() -> None:
    assert same(B, {**B, "ballot": dict(B["ballot"])})  # type: ignore[arg-type]
    assert same([], []) and same({}, {}) and same("x", "x") and same(None, None)
    assert same([1, [2, {"a": True}]], [1, [2, {"a": True}]])


def test_same_tells_every_difference() -> None:
    assert not same({"a": 1}, {"b": 1})  # another key
    assert not same({"a": 1}, {"a": 2})  # another value
    assert not same({"a": 1, "b": 2}, {"a": 1, "b": 3})  # the second value differs
    assert not same([1, 2], [1, 3]) and not same([1, 2], [2, 2])
    assert not same([1, 2], [1]) and not same([1], [1, 2]) and not same([], [0])
    assert not same(1, 2) and not same("a", "b") and not same(True, False)
    assert not same({"a": [True]}, {"a": [1]})  # True == 1, but not the same
    assert not same([1], (1,)) and not same({"a": 1}, [("a", 1)])


# ------------------------------------------------------------------------ first_diff


def test_first_diff_points_at_the_first_changed_value_in_the_new_text() -> None:
    assert first_diff(B, {**B, "ballot": {**B["ballot"], "for": 12}}) == ("ballot", "for")  # type: ignore[dict-item]
    assert first_diff({"a": 1, "b": 1}, {"a": 2, "b": 2}) == ("a",)  # the first, not the last
    assert first_diff({"a": 1, "b": 1}, {"a": 1, "b": 2}) == ("b",)
    assert first_diff({"a": 1}, {"a": 1, "n": 0}) == ("n",)  # a key added
    assert first_diff({"a": 1}, {"a": True}) == ("a",)  # same under ==, another type
    assert first_diff(C, {**C, "helpers": [{"officer": "OF-001"}, {"officer": "OF-009"}]}) == ("helpers", 1, "officer")
    assert first_diff([1, 2], [1, 2, 3]) == (2,)  # an item added
    assert first_diff([1, 2], [9, 9]) == (0,)
    assert first_diff([[1], [2]], [[1], [2, 3]]) == (1, 1)


def test_first_diff_of_a_removal_or_another_shape_is_the_container() -> None:
    assert first_diff({"a": 1, "b": 2}, {"a": 1}) == ()  # a key removed: the mapping itself
    assert first_diff([1, 2], [1]) == ()
    assert first_diff({"a": {"b": 1, "c": 2}}, {"a": {"b": 1}}) == ("a",)
    assert first_diff({"a": [1]}, {"a": {"b": 1}}) == ("a",)  # a list became a mapping
    assert first_diff([1], {"a": 1}) == () and first_diff("x", "y") == ()
    assert first_diff({"a": 1}, {"a": 2}, ("history", 3)) == ("history", 3, "a")


# ----------------------------------------------------------------------- header_issues


def test_header_unchanged_whatever_the_history_does() -> None:
    old = {"case": "VC-2024-100", "member": "DV-0100", "history": [A]}
    assert header_issues(old, {**old, "history": [A, B]}) == []
    assert header_issues(old, {"history": [], "member": "DV-0100", "case": "VC-2024-100"}) == []  # key order


def test_header_changed_added_and_removed_keys_each_at_their_key() -> None:
    old = {"case": "VC-2024-100", "member": "DV-0100", "unit": "u", "history": [A]}
    new = {"case": "VC-2024-100", "member": "DV-0101", "note": "x", "history": [A]}
    assert header_issues(old, new) == [
        issue(("member",), "DIFF-HEADER-CHANGED", field="member", old="DV-0100", new="DV-0101"),
        issue(("note",), "DIFF-HEADER-CHANGED", field="note", old="—", new="x"),
        issue(("unit",), "DIFF-HEADER-CHANGED", field="unit", old="u", new="—"),
    ]


def test_header_value_of_another_type_is_a_change() -> None:
    old = {"case": "VC-2024-100", "year": 1}
    assert header_issues(old, {"case": "VC-2024-100", "year": True}) == [
        issue(("year",), "DIFF-HEADER-CHANGED", field="year", old="1", new="True")]


# ----------------------------------------------------------------------- history_issues


def test_appending_is_the_only_change_allowed() -> None:
    assert history_issues([A, B, C], [A, B, C, D]) == []
    assert history_issues([], [A]) == []
    assert history_issues([A, B], [A, B]) == []


def test_an_edit_names_the_event_its_number_and_the_field() -> None:
    new_b = {**B, "ballot": {**B["ballot"], "for": 12}}  # type: ignore[dict-item]
    assert history_issues([A, B, C], [A, new_b, C, D]) == [edited(2, "list_voted", "ballot.for", ("ballot", "for"))]
    assert history_issues([A], [{**A, "date": "2024-03-05"}]) == [edited(1, "flagged", "date", ("date",))]


def test_an_edit_of_a_whole_entry_that_is_not_a_mapping() -> None:
    assert history_issues(["x"], ["y"]) == [edited(1, "?", "—", ())]
    assert history_issues([{"date": "2024-03-04"}], [{"date": "2024-03-05"}]) == [edited(1, "None", "date", ("date",))]


def test_a_swap_is_one_reordering_at_the_first_moved_event() -> None:
    assert history_issues([A, B, C, D, E], [A, B, C, E, D]) == [
        issue(("history", 4), "DIFF-HISTORY-REORDERED", index=4, event="progress_noted")]
    assert history_issues([A, B, C], [B, A, C]) == [
        issue(("history", 1), "DIFF-HISTORY-REORDERED", index=1, event="flagged")]


def test_an_event_inserted_in_the_middle_is_a_reordering_of_the_next() -> None:
    assert history_issues([A, B, D], [A, B, C, D]) == [
        issue(("history", 3), "DIFF-HISTORY-REORDERED", index=3, event="progress_noted")]


def test_a_removed_last_event_is_reported_at_the_new_last_entry() -> None:
    assert history_issues([A, B, C], [A, B]) == [
        issue(("history", 1), "DIFF-HISTORY-REMOVED", index=3, event="help_assigned")]
    assert history_issues([A, B, C], [A]) == [
        issue(("history", 0), "DIFF-HISTORY-REMOVED", index=2, event="list_voted"),
        issue(("history", 0), "DIFF-HISTORY-REMOVED", index=3, event="help_assigned")]


def test_an_emptied_history_is_reported_at_the_history() -> None:
    assert history_issues([A, B], []) == [
        issue(("history",), "DIFF-HISTORY-REMOVED", index=1, event="flagged"),
        issue(("history",), "DIFF-HISTORY-REMOVED", index=2, event="list_voted")]


def test_an_entry_replaced_by_a_copy_of_another_is_a_removal_not_an_edit() -> None:
    assert history_issues([A, B, C], [A, C, C]) == [
        issue(("history", 1), "DIFF-HISTORY-REMOVED", index=2, event="list_voted")]


def test_a_removed_middle_event_is_a_removal_and_a_move() -> None:
    assert history_issues([A, B, C], [A, C]) == [
        issue(("history", 1), "DIFF-HISTORY-REMOVED", index=2, event="list_voted"),
        issue(("history", 1), "DIFF-HISTORY-REORDERED", index=3, event="help_assigned")]
