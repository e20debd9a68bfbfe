"""The canonical writer: every value reads back through the strict loader as exactly itself."""

from __future__ import annotations

from typing import Any

import pytest

from hoso.writer import event_lines, flow, indent_event, scalar
from hoso.yamlload import load_strict
from tests.record_util import procedure

TRICKY = ["yes", "No", "on", "null", "~", "010", "1:30", "2021-05-04", "1e3", "0x1A", ".inf", "a: b", "#x", " lead",
          "trail ", "QĐ-15/2021", "BB-01/2021", "Số 3, thôn 1", "[x]", "{y}", "line\nbreak", "tab\there", "\"q\"",
          "'s'", "-", "- x", "?", "@at", "`tick`", "", "true", "FALSE", "NQ 02", "a,b", "x#y", "ĐẢNG", "%25"]


@pytest.mark.parametrize("text", TRICKY)
def test_a_string_reads_back_as_itself(text: str) -> None:
    assert load_strict(f"k: {scalar(text)}\nl: [{scalar(text)}]\nm: {{a: {scalar(text)}}}\n").value == \
        {"k": text, "l": [text], "m": {"a": text}}


def test_plain_where_the_demo_records_are_plain() -> None:
    assert [scalar(v) for v in ("NQ-02/2021", "mat-tran-thon", "OF-001", 15, True)] == \
        ["NQ-02/2021", "mat-tran-thon", "OF-001", "15", "true"]
    assert scalar("2021-05-04") == '"2021-05-04"'


def test_an_event_in_canonical_key_order() -> None:
    proc = procedure()
    entry: dict[str, Any] = {"note": "x", "result": "passed", "ballot": {"secret": True, "for": 11, "present": 13,
                                                                        "against": 2, "members_total": 15},
                             "resolution": "NQ-02/2021", "recorded_by": "OF-001", "date": "2021-05-12",
                             "event": "list_voted"}
    lines = indent_event(event_lines(proc, entry), 2, 4)
    assert lines == [
        "  - event: list_voted",
        '    date: "2021-05-12"',
        "    recorded_by: OF-001",
        "    resolution: NQ-02/2021",
        "    ballot: {members_total: 15, present: 13, for: 11, against: 2, secret: true}",
        "    result: passed",
        "    note: x",
    ]
    assert flow(["a", "b"], None, proc) == "[a, b]"


def test_append_keeps_windows_line_endings() -> None:
    from hoso.writer import append_event

    proc = procedure()
    text = ("case: VC-2021-001\r\nprocedure: hd02-2021\r\nunit: u\r\nmember: DV-1\r\nmember_status: full\r\n"
            "history:\r\n  - event: flagged  # hand note\r\n    date: \"2021-05-04\"\r\n")
    done = append_event(text, {"event": "list_approved", "date": "2021-05-20"}, proc, "records/u/VC-2021-001.yaml", False)
    assert not done.rewritten
    assert done.text == text + "  - event: list_approved\r\n    date: \"2021-05-20\"\r\n"
