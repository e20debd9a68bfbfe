"""Helpers for the officer-tool tests: whole cases as data, turned into --set options or into
the answers a person would type at the prompts (walking the procedure's field specs)."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pytest

from hoso.cli import main
from hoso.fieldvalues import SCALARS, needed, sub_fields
from hoso.procedure import FieldSpec, Procedure
from hoso.writer import event_order
from hoso.yamlload import load_strict
from tests.conftest import ROOT

UNIT = "van-chan/xa-a/chi-bo-thon-1"
MEMBER = "DV-0500"
TODAY = "2022-12-31"
CASE = "VC-2021-001"


def procedure(pid: str = "hd02-2021") -> Procedure:
    return Procedure.model_validate(load_strict((ROOT / "procedures" / f"{pid}.yaml").read_text()).value)


def ballot(total: int, present: int, for_: int, against: int, **more: Any) -> dict[str, Any]:
    return {"members_total": total, "present": present, "for": for_, "against": against, **more}


OPEN: tuple[str, dict[str, Any]] = ("flagged", {
    "date": "2021-05-04", "recorded_by": "OF-002", "grounds": ["khong-hoan-thanh-2-nam", "neu-guong"],
    "consultations": [{"body": "mat-tran-thon", "date": "2021-04-28", "ref": "BB-01/2021"},
                      {"body": "doan-the", "date": "2021-04-29", "ref": "BB-02/2021"}]})
LISTED = [
    ("list_voted", {"date": "2021-05-12", "recorded_by": "OF-001", "resolution": "NQ-02/2021",
                    "ballot": ballot(15, 13, 11, 2, excluded={"transferred": 1}, invalid=0, secret=True),
                    "result": "passed"}),
    ("list_approved", {"date": "2021-05-20", "recorded_by": "OF-021", "decision": "QĐ-15/2021"}),
    ("notified", {"date": "2021-05-27", "recorded_by": "OF-002", "spoken_by": "OF-001"}),
    ("self_review", {"date": "2021-06-07", "recorded_by": "OF-002", "status": "submitted",
                     "document": "BTKĐ-01/2021", "commitment": True}),
    ("help_assigned", {"date": "2021-06-15", "recorded_by": "OF-001", "resolution": "NQ-05/2021",
                       "helper": "OF-004", "period_start": "2021-06-15"}),
    ("progress_note", {"date": "2021-12-10", "recorded_by": "OF-004", "document": "PGN-01/2021",
                       "note": "Tiến bộ rõ: đi sinh hoạt đều, \"đúng giờ\""}),
]
REVIEW = {"date": "2022-06-20", "recorded_by": "OF-001", "self_review": "BTKĐ-03/2022",
          "helper_assessment": "NX-01/2022", "resolution": "NQ-11/2022"}
REMOVAL = [
    ("final_review", {**REVIEW, "ballot": ballot(15, 14, 12, 2, secret=True), "outcome": "propose_removal"}),
    ("removal_proposed", {"date": "2022-07-05", "recorded_by": "OF-021", "resolution": "NQ-20/2022",
                          "ballot": ballot(5, 5, 4, 1), "result": "passed"}),
    ("verified", {"date": "2022-07-20", "recorded_by": "OF-033", "conclusion": "KL-01/2022"}),
]


def decided(outcome: str) -> tuple[str, dict[str, Any]]:
    return ("decided", {"date": "2022-08-01", "recorded_by": "OF-030", "decision": "QĐ-100/2022",
                        "ballot": ballot(5, 5, 4, 1), "outcome": outcome, "member_received": "2022-08-03"})


# The province (yen-bai), one level above the district that decided, hears the appeal.
APPEAL = [
    ("appeal_filed", {"date": "2022-08-20", "recorded_by": "OF-054", "received": "2022-08-20",
                      "decision_appealed": "QĐ-100/2022"}),
    ("appeal_resolved", {"date": "2022-09-15", "recorded_by": "OF-050", "decision": "QĐ-120/2022",
                         "outcome": "overturned"}),
]

# Every end state of the procedure, and a history that reaches it.
PATHS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "not_listed": [("list_voted", {"date": "2021-05-12", "recorded_by": "OF-001", "resolution": "NQ-02/2021",
                                   "ballot": ballot(15, 13, 5, 8, secret=True), "result": "failed"})],
    "withdrawn": [("withdrawn", {"date": "2021-05-10", "recorded_by": "OF-021", "reason": "opened_in_error",
                                 "decision": "QĐ-01/2021"})],
    "closed_progress": LISTED + [
        ("final_review", {**REVIEW, "ballot": ballot(15, 14, 2, 12, secret=True), "outcome": "progress"}),
        ("progress_recognised", {"date": "2022-07-01", "recorded_by": "OF-022", "decision": "QĐ-40/2022"})],
    "struck_off": LISTED + REMOVAL + [decided("struck_off")],
    "expelled": LISTED + REMOVAL + [decided("expelled")],
    "restored": LISTED + REMOVAL + [decided("struck_off")] + APPEAL,
}


# -------------------------------------------------------------------- options


def set_options(values: dict[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in values.items():
        here = prefix + key
        if isinstance(value, dict):
            out += set_options(value, here + ".")
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            for i, item in enumerate(value):
                out += set_options(item, f"{here}.{i}.")
        elif isinstance(value, list):
            out.append(f"--set={here}={','.join(value)}")
        elif isinstance(value, bool):
            out.append(f"--set={here}={'có' if value else 'không'}")
        else:
            out.append(f"--set={here}={value}")
    return out


# -------------------------------------------------------------------- prompts


def answers(proc: Procedure, specs: dict[str, FieldSpec], values: dict[str, Any], optional: bool) -> list[str]:
    """What a person types, question by question, to give ``values`` (Enter for what they leave out).
    Every needed field has its line, a field with a fixed value (``const``) too."""
    out: list[str] = []
    for name, spec in specs.items():
        must = needed(spec, values)
        if spec.required_when is not None and not must:
            continue
        if not must and not optional:
            continue
        parts = sub_fields(proc, spec)
        objects = spec.type == "list" and spec.item is not None and spec.item.type not in SCALARS
        if name not in values:
            out.append("không" if parts is not None or objects else "")
            continue
        value = values[name]
        if parts is not None:
            out += ([] if must else ["có"]) + answers(proc, parts, value, optional=True)
        elif objects:
            assert spec.item is not None
            floor = proc.amount(spec.min_items) if not must else max(proc.amount(spec.min_items), 1)
            for i, item in enumerate(value):
                out += (["có"] if i >= floor else []) + answers(proc, sub_fields(proc, spec.item) or {}, item, False)
            out.append("không")
        elif isinstance(value, list):
            out.append(",".join(value))
        elif isinstance(value, bool):
            out.append("có" if value else "không")
        else:
            out.append(str(value))
    return out


def event_answers(proc: Procedure, event: str, values: dict[str, Any], skip: tuple[str, ...] = (),
                  confirm: bool = True) -> str:
    """The answers to every question of ``event``, then "có" to the summary (unless ``confirm`` is False)."""
    specs = {k: s for k, s in event_order(proc, event).items() if k not in skip}
    return "\n".join(answers(proc, specs, values, optional=True) + (["có"] if confirm else [])) + "\n"


def run_cli(argv: list[str], stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if stdin is not None:
        assert monkeypatch is not None
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(argv)


def history(repo: Path, case: str = CASE) -> list[dict[str, Any]]:
    path = next(repo.glob(f"records/**/{case}.yaml"))
    return list(load_strict(path.read_text()).value["history"])
