"""hd02-2021: the district decides, so the province (one level above, `org/units.yaml`'s explicit
`parent` of the district) hears the appeal. A district officer can neither record nor approve
the appeal's resolution; a provincial one can."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from hoso.checks import resolve_body
from hoso.repository import load_context
from hoso.source import WorkTree
from tests.conftest import ROOT, copy_demo, git
from tests.github_util import review
from tests.pr_util import check_json, commit, hoso, line_of

CASE = "records/van-chan/xa-b/chi-bo-thon-3/VC-2021-007.yaml"  # struck off, appeal upheld
TODAY = "2023-04-25"
DISTRICT_BTV, PROVINCE_BTV = "huyen-btv-2", "tinh-yb-btv-2"  # OF-031 (van-chan), OF-051 (yen-bai)


def test_the_appeal_body_is_one_level_above_the_deciding_body() -> None:
    ctx = load_context(WorkTree(ROOT), dt.date(2026, 11, 27)).ctx
    proc = ctx.procedures["hd02-2021"].proc
    day, unit = dt.date(2023, 4, 20), "van-chan/xa-b/chi-bo-thon-3"
    assert resolve_body(proc, ctx.org, "deciding", unit, day) == "van-chan"
    assert resolve_body(proc, ctx.org, "appeal", unit, day) == "yen-bai"
    assert ctx.org.ancestors(unit) == ["van-chan/xa-b", "van-chan", "yen-bai"]
    # after the merger the province of the district no longer exists: no body, never the district
    assert resolve_body(proc, ctx.org, "appeal", unit, dt.date(2025, 7, 2)) is None


@pytest.fixture
def appeal_pr(tmp_path: Path) -> tuple[Path, str, str]:
    """Base: VC-2021-007 up to the appeal; the pull request adds the appeal's resolution."""
    repo = copy_demo(tmp_path / "repo")
    path = repo / CASE
    full = path.read_text(encoding="utf-8")
    cut = full.index("  - event: appeal_resolved")
    path.write_text(full[:cut], encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    base = commit(repo, "base")
    git(repo, "checkout", "-q", "-b", "change")
    return repo, base, full


def _resolve(repo: Path, full: str, recorder: str) -> str:
    path = repo / CASE
    head = full.replace("  - event: appeal_resolved\n    date: \"2023-04-20\"\n    recorded_by: OF-050",
                        f"  - event: appeal_resolved\n    date: \"2023-04-20\"\n    recorded_by: {recorder}")
    assert head != full or recorder == "OF-050"
    path.write_text(head, encoding="utf-8")
    return commit(repo, "appeal resolved")


def _approvals(repo: Path, base: str, head: str, login: str) -> tuple[int, dict[str, Any]]:
    reviews = repo.parent / "reviews.json"
    reviews.write_text(json.dumps([review(1, login, "APPROVED", head, TODAY)]), encoding="utf-8")
    code, out, err = hoso(repo, "approvals", "--base", base, "--head", head, "--author", "tinh-yb-btv-1",
                          "--reviews", str(reviews), "--today", TODAY, "--format", "json", "--lang", "en")
    assert code in (0, 1), err
    return code, json.loads(out)


def test_the_district_that_decided_cannot_resolve_the_appeal(appeal_pr: tuple[Path, str, str]) -> None:
    repo, base, full = appeal_pr
    _resolve(repo, full, "OF-030")  # Ban Thường vụ Huyện ủy, the body that decided
    code, doc = check_json(repo, base, TODAY)
    line = line_of(repo, "recorded_by: OF-030", CASE)
    found = [f for f in doc["findings"] if f["rule"] == "ROLE-RECORDER"]
    assert code == 1 and [(f["file"], f["line"]) for f in found] == [(CASE, line)]
    assert "yen-bai" in found[0]["message"]


def test_only_the_province_approves_the_appeals_resolution(appeal_pr: tuple[Path, str, str]) -> None:
    repo, base, full = appeal_pr
    head = _resolve(repo, full, "OF-050")
    code, doc = check_json(repo, base, TODAY)
    assert code == 0, doc["findings"]
    [row] = [r for r in doc["required_approvals"] if r["event"] == "appeal_resolved"]
    assert row["unit"] == "yen-bai"
    line = line_of(repo, "event: appeal_resolved", CASE)
    code, refused = _approvals(repo, base, head, DISTRICT_BTV)
    missing = {(f["rule"], f["file"], f["line"]) for f in refused["findings"] if f["rule"] == "APPROVAL-MISSING"}
    assert code == 1 and missing == {("APPROVAL-MISSING", CASE, line)} and refused["satisfied"] is False
    code, accepted = _approvals(repo, base, head, PROVINCE_BTV)
    assert code == 0 and accepted["satisfied"] is True
