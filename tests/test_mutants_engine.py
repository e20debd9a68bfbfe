"""The engine and the per-step rules judged in this process on the real hd02-2021 procedure and
roster (issue 13, mutation testing): what a finding says (the roles it names, the steps it
allows), asserted exactly, so a rule that names the wrong thing fails."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hoso.checks import Context, check_case, role_titles
from hoso.engine import _names, issue
from hoso.messages import L
from hoso.repository import WorkTree, load_context
from tests.conftest import ROOT

UNIT = "van-chan/xa-a/chi-bo-thon-1"


@pytest.fixture(scope="module")
def ctx() -> Context:
    return load_context(WorkTree(ROOT), dt.date(2023, 12, 31)).ctx


def case(history: list[dict[str, Any]]) -> dict[str, Any]:
    return {"case": "VC-2021-009", "procedure": "hd02-2021", "unit": UNIT, "member": "DV-0009",
            "member_status": "full", "history": history}


FLAGGED = {"event": "flagged", "date": "2021-05-04", "recorded_by": "OF-002", "grounds": ["tai-pham"],
           "consultations": [{"body": "mat-tran-thon", "date": "2021-04-28", "ref": "BB-1"}]}
NOTIFIED = {"event": "notified", "date": "2021-05-27", "recorded_by": "OF-002", "spoken_by": "OF-001"}


def test_a_role_is_named_by_its_title_and_code(ctx: Context) -> None:
    proc = ctx.procedures["hd02-2021"].proc
    assert role_titles(proc, ["bi_thu", "chi_uy"]) == L("Bí thư chi bộ (bi_thu) / Ủy viên chi ủy (chi_uy)",
                                                        "Cell secretary (bi_thu) / Cell committee member (chi_uy)")
    assert role_titles(proc, ["nobody"]) == L("nobody", "nobody")  # a code the procedure does not define


def test_a_step_not_allowed_names_the_steps_that_are(ctx: Context) -> None:
    found = [i for i in check_case(case([FLAGGED, NOTIFIED]), ctx).issues if i.rule == "SEQ-NOT-ALLOWED"]
    assert found == [issue(("history", 1, "event"), "SEQ-NOT-ALLOWED", event="notified", stage="flagged",
                           allowed="list_voted, withdrawn, transferred, corrected, migrated, member_status_changed")]


def test_no_step_allowed_is_said_as_a_dash() -> None:
    """Every demo procedure allows a correction at any stage; a procedure without one can leave
    nothing allowed, and the message then says "—", not an empty list."""
    assert _names([]) == "—" and _names(["a"]) == "a" and _names(["a", "b"]) == "a, b"
