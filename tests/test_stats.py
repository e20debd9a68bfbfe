"""Counting validated cases: flows by unit of the time, rolled up; stages; time; completeness."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from hoso.procedure import Procedure, check_procedure
from hoso.repository import RecordResult, WorkTree
from hoso.stats import (CaseView, case_flows, case_views, completeness, flow_titles, flows, late_steps, rollup, stage_on, stages,
                        step_times, under_help, year_report)
from hoso.validation import validate
from tests.conftest import ROOT, copy_demo
from tests.status_util import article_records

TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[RecordResult], list[CaseView]]:
    root = copy_demo(tmp_path_factory.mktemp("stats") / "repo", records=False)
    article_records(root)
    _, results = validate(WorkTree(root), TODAY)
    return results, case_views(results)


def test_flows_count_at_the_unit_of_the_time_and_every_unit_above(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    _, cases = article
    direct = flows(cases)
    assert direct[("van-chan/xa-a/chi-bo-thon-1", "2021", "listed")] == 2
    assert ("van-chan", "2021", "listed") not in direct  # no case is held by the district itself
    rolled = rollup(direct)
    assert rolled[("van-chan", "2021", "listed")] == 6
    assert rolled[("van-chan", "2022", "listed")] == 6
    assert rolled[("van-chan", "2022", "progress")] == 5
    assert rolled[("van-chan/xa-a", "2021", "listed")] == 4
    # listed in March 2025 in Văn Chấn, moved to Lào Cai on 30 June: stays with Văn Chấn
    assert rolled[("van-chan", "2025", "listed")] == 1
    assert rolled[("lao-cai", "2025", "listed")] == 0


def test_each_flow_counts_a_case_once(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    _, cases = article
    per_case = [Counter(k for _, _, k in case_flows(c)) for c in cases]
    assert all(max(c.values()) == 1 for c in per_case)


def test_stage_and_unit_on_a_day_follow_transfers(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    _, cases = article
    moved = [c for c in cases if c.unit.startswith("lao-cai/")]
    assert len(moved) == 2
    c = next(c for c in moved if c.steps[0].date == dt.date(2025, 3, 3))
    assert stage_on(c, dt.date(2025, 3, 2)) == (None, "van-chan/xa-a/chi-bo-thon-2")
    stage, unit = stage_on(c, dt.date(2025, 6, 1))
    assert unit == "van-chan/xa-a/chi-bo-thon-2" and stage is not None
    assert stage_on(c, dt.date(2025, 7, 1)) == (stage, "lao-cai/xa-son-a/chi-bo-thon-1")
    now = stages(cases)
    assert now[("lao-cai/xa-son-a/chi-bo-thon-1", stage)] == 2  # both moved cases stand there now


def test_under_help_is_the_procedures_stage_set(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    _, cases = article
    end_2021 = rollup(under_help(cases, dt.date(2021, 12, 31)))
    end_2022 = rollup(under_help(cases, dt.date(2022, 12, 31)))
    assert end_2021[("van-chan",)] == 6
    assert end_2022[("van-chan",)] == 7  # six of 2022 and the one 2021 case not yet recognised


def test_late_steps_times_and_completeness(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    _, cases = article
    late = late_steps(cases, 2021)
    assert sum(late.values()) == 1
    ((unit, event),) = late
    assert unit == "van-chan/xa-a/chi-bo-thon-1"
    times = step_times(cases)
    t = times[("van-chan", event)]
    assert t.target == 15 and sorted(t.days)[-1] == 25 and t.median == 7
    done = rollup(completeness(cases))
    assert done[("van-chan", "incomplete")] == 1
    assert done[("van-chan", "complete")] + done[("lao-cai", "complete")] == 12


def test_year_report_has_the_articles_figures(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    _, cases = article
    r2021, r2022 = year_report(cases, 2021, TODAY), year_report(cases, 2022, TODAY)
    assert r2021["listed"][("van-chan",)] == 6
    assert r2022["listed"][("van-chan",)] == 6
    assert r2022["progress"][("van-chan",)] == 5
    assert r2021["late"][("van-chan",)] == 1


def test_flow_titles_come_from_the_procedures() -> None:
    from hoso.repository import load_procedures

    procs, findings = load_procedures(WorkTree(ROOT))
    assert findings == []
    titles = flow_titles(procs.values())
    assert {"listed", "progress", "struck_off", "expelled", "withdrawn"} <= set(titles)


def test_check_procedure_checks_the_names_reporting_uses() -> None:
    import yaml

    data = yaml.safe_load((ROOT / "procedures" / "hd02-2021.yaml").read_text(encoding="utf-8"))
    data["reporting"]["flows"]["listed"]["event"] = "no_such_event"
    data["reporting"]["flows"]["progress"]["end"] = "no_such_end"
    data["reporting"]["under_help"]["stages"].append("no_such_stage")
    problems = check_procedure(Procedure.model_validate(data, strict=False))
    found = {(p[1], p[0]) for p in problems}
    assert ("PROC-UNKNOWN-EVENT", ("reporting", "flows", "listed", "event")) in found
    assert ("PROC-UNKNOWN-END", ("reporting", "flows", "progress", "end")) in found
    assert any(r == "PROC-UNKNOWN-EVENT" and path[:2] == ("reporting", "under_help") for r, path in found)


def test_a_flow_names_an_event_or_an_end(tmp_path: Path) -> None:
    from pydantic import ValidationError

    from hoso.procedure import FlowSpec

    with pytest.raises(ValidationError):
        FlowSpec.model_validate({"event": "a", "end": "b", "title": {"vi": "x", "en": "x"}})
    with pytest.raises(ValidationError):
        FlowSpec.model_validate({"title": {"vi": "x", "en": "x"}})


def test_no_reporting_code_names_an_event_or_end_state() -> None:
    import ast

    from hoso.repository import load_procedures

    procs, _ = load_procedures(WorkTree(ROOT))
    names = {n for c in procs.values() for n in [*c.proc.events, *c.proc.end_states]}
    package = ROOT / "tools" / "hoso"
    files = [package / "stats.py", package / "disclosure.py", package / "commands" / "report.py",
             *sorted((package / "site").glob("*.py"))]
    for path in files:
        literals = {n.value for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)}
        assert literals & names == set(), path


def test_the_publication_has_no_sub_units_and_no_totals(article: tuple[list[RecordResult], list[CaseView]]) -> None:
    """Published tables tie no hidden cell to shown ones: top-level units only, no total row or
    column (the sums the earlier method published are what let a reader work hidden cells out)."""
    from hoso.repository import load_context
    from hoso.site.publish import build

    _, cases = article
    pub = build(cases, load_context(WorkTree(ROOT), TODAY).ctx.procedures, TODAY)
    assert pub.units and all("/" not in u for u in pub.units)
    for t in pub.tables:
        assert not {"all", "total"} & set(t.rows.values + t.cols.values), t.id
