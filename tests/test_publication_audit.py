"""The adversary of docs/cong-bo-so-lieu.md, as a test.

The reader knows how the tables are built, keeps every earlier build, knows the unit tree and
may assume any hidden cell is at least 1. For every hidden cell of every build it computes, by
integer programming (HiGHS through ``scipy.optimize.milp``), the smallest and largest value
consistent with everything published so far:

- the published cells of the build and of every earlier build;
- the sums the tables state (a total and its parts), where a method publishes them;
- a hidden cell is at least 1 (the reader's assumption) and, where the method hides only small
  counts, at most threshold - 1;
- across builds: a closed year never changes, a count of a year or of all years only grows;
- the procedure's order, where it holds in the data: no more cases put on the list, or ended,
  up to a year than were flagged up to that year.

The protection level: no hidden cell may be narrowed to fewer than threshold - 1 values (a
hidden count is only ever known to be one of 1 … threshold - 1). The history is 12 dated
snapshots of the demo, each made by cutting the records at a date and building the status data
through the code the site build runs (:func:`hoso.site.generate`); one full built site is
checked to carry the same data. Run on a small table built the old way, the same reader finds
both leaks of issue 9, so the test can fail.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Hashable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from hoso.disclosure import Equation, protect
from hoso.repository import RECORDS, WorkTree, load_context
from hoso.site import generate, status
from hoso.site.publish import build, settings
from hoso.site.status import DATA, page_path
from hoso.stats import case_views
from hoso.validation import check_records
from tests.conftest import ROOT, TODAY, copy_demo
from tests.site_util import built_site
from tests.status_util import HIDDEN, html_tables

Key = Hashable
CAP = 10**6  # "no upper bound" for a hidden cell the method may hide at any size


@dataclass
class Build:
    """What one published build tells the reader."""

    day: dt.date
    cells: dict[Key, int | None]  # None: hidden
    year: dict[Key, int | None]  # the year a cell counts, None for all years
    equations: list[Equation] = field(default_factory=list)
    at_most: list[tuple[list[Key], list[Key]]] = field(default_factory=list)  # sum(left) <= sum(right)
    hidden_max: int = CAP


@dataclass(frozen=True)
class Finding:
    day: dt.date
    key: Key
    low: int
    high: int


class Reader:
    """The integer programme over every hidden cell of every build."""

    def __init__(self, builds: list[Build], at_least: int) -> None:
        self.builds = builds
        self.vars: dict[tuple[int, Key], int] = {}
        for b, build in enumerate(builds):
            for k, v in build.cells.items():
                if v is None:
                    self.vars[(b, k)] = len(self.vars)
        self.at_least = at_least
        self.rows: list[tuple[dict[int, int], float, float]] = []
        for b, build in enumerate(builds):
            for e in build.equations:
                self._add_terms([(b, e.total, 1)] + [(b, p, -1) for p in e.parts], 0, 0)
            for left, right in build.at_most:
                self._add_terms([(b, k, 1) for k in left] + [(b, k, -1) for k in right], -math.inf, 0)
        self._across()

    def _add_terms(self, terms: list[tuple[int, Key, int]], low: float, high: float) -> None:
        row: dict[int, int] = {}
        const = 0
        for b, k, sign in terms:
            v = self.builds[b].cells.get(k, 0)
            if v is None:
                i = self.vars[(b, k)]
                row[i] = row.get(i, 0) + sign
            else:
                const += sign * v
        row = {i: s for i, s in row.items() if s}
        if row:
            self.rows.append((row, low - const, high - const))

    def _across(self) -> None:
        """Each build against the next one that publishes the cell: a closed year equal, else
        a count that only grows."""
        for b, build in enumerate(self.builds[:-1]):
            for k in build.cells:
                later = next((c for c in range(b + 1, len(self.builds)) if k in self.builds[c].cells), None)
                if later is None:
                    continue
                y = build.year.get(k)
                closed = y is not None and y < build.day.year
                self._add_terms([(b, k, 1), (later, k, -1)], 0 if closed else -math.inf, 0)

    def ranges(self) -> dict[tuple[int, Key], tuple[int, int]]:
        import numpy as np  # imported where it is used: every pytest worker imports this module to collect it
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.vars)
        lower = np.full(n, float(self.at_least))
        upper = np.array([float(self.builds[b].hidden_max) for b, _ in self.vars])
        constraints = []
        if self.rows:
            a = np.zeros((len(self.rows), n))
            for r, (row, _, _) in enumerate(self.rows):
                for i, s in row.items():
                    a[r, i] = s
            constraints = [LinearConstraint(a, [lo for _, lo, _ in self.rows], [hi for _, _, hi in self.rows])]
        out = {}
        for key, i in self.vars.items():
            found = []
            for sign in (1, -1):
                c = np.zeros(n)
                c[i] = sign
                res = milp(c, integrality=np.ones(n), bounds=Bounds(lower, upper), constraints=constraints)
                assert res.status == 0, (key, res.message)  # the true values are always a solution
                found.append(int(round(sign * res.fun)))
            out[key] = (found[0], found[1])
        return out


def audit(builds: list[Build], threshold: int, at_least: int = 1) -> tuple[list[Finding], int]:
    """Hidden cells the reader narrows to fewer than threshold - 1 values, and how many hidden
    cells there were."""
    ranges = Reader(builds, at_least).ranges()
    bad = [Finding(builds[b].day, k, lo, hi) for (b, k), (lo, hi) in ranges.items() if hi - lo < threshold - 2]
    return bad, len(ranges)


# ----------------------------------------------------------------- the demo, as published


def reader_view(data: dict[str, Any], day: dt.date) -> Build:
    """A build of status/data.json as the reader sees it: cells by (table, unit, row, column),
    no stated sums (the method publishes none), hidden cells between 1 and threshold - 1, and
    the procedure's order between the flows."""
    cells: dict[Key, int | None] = {}
    year: dict[Key, int | None] = {}
    for t in data["tables"]:
        rows, cols = ([v["id"] for v in d["values"]] for d in t["dimensions"])
        for r, row in zip(rows, t["cells"]):
            for c, v in zip(cols, row):
                key = (t["id"], t["unit"], r, c)
                cells[key] = v
                year[key] = int(r) if r.isdigit() else None
    return Build(day, cells, year, hidden_max=data["threshold"] - 1)


def took_in_cases(unit: str) -> bool:
    """Whether the unit tree says cases may have come to ``unit`` from another unit (it, or a
    unit below it, succeeds a dissolved one): there, 'ended <= flagged' is no rule."""
    units = yaml.safe_load((ROOT / "org" / "units.yaml").read_text(encoding="utf-8"))["units"]
    return any(s == unit or s.startswith(unit + "/") for u in units for s in u.get("successors", []))


def procedure_order(build: Build, truth: dict[str, Any], oracle: bool = False) -> None:
    """Up to each year, cases put on the list and cases ended are no more than cases flagged,
    where the true (unpublished) counts satisfy it: in units the unit tree says took in no
    cases from elsewhere, or (``oracle``) in every unit, as a reader who guesses right would."""
    flows = [t for t in truth["tables"] if t["id"] == "flows" and (oracle or not took_in_cases(t["unit"]))]
    for t in flows:
        rows = [v["id"] for v in t["dimensions"][0]["values"]]
        cols = [v["id"] for v in t["dimensions"][1]["values"]]
        for n in range(1, len(rows) + 1):
            upto = rows[:n]
            flagged = [("flows", t["unit"], y, "flagged") for y in upto]
            for group in (["listed"], [c for c in cols if c not in ("flagged", "listed")]):
                left = [("flows", t["unit"], y, c) for y in upto for c in group]
                exact = t["cells"]
                value = {("flows", t["unit"], rows[i], cols[j]): exact[i][j] for i in range(len(rows))
                         for j in range(len(cols))}
                if sum(value[k] for k in left) <= sum(value[k] for k in flagged):
                    build.at_most.append((left, flagged))


CUTS = [dt.date(2021, 6, 30), dt.date(2021, 12, 31), dt.date(2022, 4, 1), dt.date(2022, 9, 30),
        dt.date(2023, 4, 1), dt.date(2023, 10, 31), dt.date(2024, 4, 1), dt.date(2024, 12, 31),
        dt.date(2025, 4, 1), dt.date(2025, 6, 30), dt.date(2026, 4, 1), dt.date.fromisoformat(TODAY)]


def cut(root: Path, day: dt.date) -> None:
    """The records as they stood at ``day``: later steps dropped, a case filed under its unit of
    that day, a case not yet opened gone."""
    for path in sorted((root / "records").rglob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        path.unlink()
        history = [e for e in data["history"] if dt.date.fromisoformat(str(e["date"])) <= day]
        if not history:
            continue
        data["history"] = history
        unit = data["unit"]
        for e in history:
            if isinstance(e.get("to_unit"), str):
                unit = e["to_unit"]
        target = root / "records" / unit / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False),
                          encoding="utf-8")


def snapshot(root: Path, day: dt.date) -> tuple[dict[str, Any], dict[str, Any]]:
    """(published data.json, exact counts) of a build at ``day``. The published data is the status
    section's data.json, the page generate() hands the site build (the last test below holds the
    built site to generate()); the exact counts are the same build with nothing hidden, for the
    procedure order a reader might guess and for checking the reader's ranges hold the truth.
    One validation serves both (the guide pages, which carry no counts, are not generated)."""
    source = WorkTree(root)
    repo = load_context(source, day)
    results = check_records(repo, source.list(RECORDS))
    published = json.loads(status.pages(repo, results, "vi")[DATA])
    conf = replace(settings(repo.ctx.procedures), threshold=1)
    return published, build(case_views(results), repo.ctx.procedures, day, conf).to_json(True, {})


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[dt.date, dict[str, Any], dict[str, Any]]]:
    """(day, published data.json, exact counts) for each of the 12 snapshots."""
    out = []
    for day in CUTS:
        root = copy_demo(tmp_path_factory.mktemp(f"cut-{day}") / "repo")
        cut(root, day)
        out.append((day, *snapshot(root, day)))
    return out


def test_the_history_publishes_something_and_hides_something(
        history: list[tuple[dt.date, dict[str, Any], dict[str, Any]]]) -> None:
    assert len(history) >= 12
    published = [d for _, d, _ in history if d["tables"]]
    assert len(published) >= 8
    hidden = sum(v is None for d in published for t in d["tables"] for row in t["cells"] for v in row)
    assert hidden >= 50, hidden


def builds_of(history: list[tuple[dt.date, dict[str, Any], dict[str, Any]]], order: bool = False,
              oracle: bool = False) -> list[Build]:
    out = []
    for day, published, exact in history:
        build = reader_view(published, day)
        if order:
            procedure_order(build, exact, oracle)
        out.append(build)
    return out


def ranges_hold_the_truth(builds: list[Build], history: list[tuple[dt.date, dict[str, Any], dict[str, Any]]]
                          ) -> dict[tuple[int, Key], tuple[int, int]]:
    ranges = Reader(builds, 1).ranges()
    for (b, key), (lo, hi) in ranges.items():
        truth = reader_view(history[b][2], history[b][0]).cells[key]
        assert truth is not None and lo <= truth <= hi, (key, lo, hi, truth)
    return ranges


@pytest.mark.parametrize("order", [False, True], ids=["threat-model", "with-procedure-order"])
def test_no_hidden_cell_can_be_narrowed_across_12_builds(
        history: list[tuple[dt.date, dict[str, Any], dict[str, Any]]], order: bool) -> None:
    """The reader of the threat model (every earlier build, 'at least 1', the method), and the
    same reader also using the procedure's order where the unit tree lets him know it holds."""
    builds = builds_of(history, order)
    threshold = history[-1][1]["threshold"]
    ranges = ranges_hold_the_truth(builds, history)
    bad, count = audit(builds, threshold)
    assert count >= 50
    assert bad == [], bad[:5]
    # every hidden cell keeps the whole range the page states: 1 … threshold - 1
    assert set(ranges.values()) == {(1, threshold - 1)}
    if order:
        assert any(b.at_most for b in builds)  # the order was used


# Measured with a reader who also guesses the procedure's order right where the unit tree does
# not tell it holds (Lào Cai took in Văn Chấn's cases): 6 of 84 hidden cells (three Lào Cai 2025
# cells, in two builds) lose one value of four, none is pinned. docs/cong-bo-so-lieu.md says so.
ORDER_NARROWED = 6


def test_a_reader_who_guesses_the_order_right_narrows_few_cells_and_pins_none(
        history: list[tuple[dt.date, dict[str, Any], dict[str, Any]]]) -> None:
    builds = builds_of(history, order=True, oracle=True)
    threshold = history[-1][1]["threshold"]
    ranges_hold_the_truth(builds, history)
    bad, count = audit(builds, threshold)
    assert all(f.high - f.low >= threshold - 3 for f in bad), bad  # one value fewer at most
    assert len(bad) <= ORDER_NARROWED, bad
    assert {f.key[1] for f in bad} <= {"lao-cai"}


def test_the_built_site_carries_the_same_data(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The history above went through generate(); the real site build writes that same data
    (both languages) and its pages show exactly those cells."""
    site = built_site(tmp_path_factory)
    expected = generate(ROOT, dt.date.fromisoformat(TODAY), "vi")[DATA]
    assert (site / DATA).read_text(encoding="utf-8") == expected
    data = json.loads(expected)
    assert data["tables"]
    for t in data["tables"]:
        page = site / page_path(t["unit"]).removesuffix(".md") / "index.html"
        rows = [v["id"] for v in t["dimensions"][0]["values"]]
        want = {r: [HIDDEN if v is None else str(v) for v in row] for r, row in zip(rows, t["cells"])}
        assert any(shown == want for _, _, shown in html_tables(page.read_text(encoding="utf-8"))), page


# ------------------------------------------------------------- the old method: it leaks

DISTRICT, COMMUNES = "d", ("d/a", "d/b", "d/c")


def old_build(day: dt.date, counts: dict[tuple[str, str], int], years: list[str]) -> Build:
    """One flow of a district and its communes published the earlier way: a year column and
    an all-years total per unit, the district the sum of its communes, cells from 1 to 2
    hidden and more hidden by secondary suppression (hoso.disclosure.protect)."""
    units = [DISTRICT, *COMMUNES]
    cells: dict[Key, int] = {}
    for u in COMMUNES:
        for y in years:
            cells[(u, y)] = counts.get((u, y), 0)
        cells[(u, "all")] = sum(cells[(u, y)] for y in years)
    for y in [*years, "all"]:
        cells[(DISTRICT, y)] = sum(cells[(u, y)] for u in COMMUNES)
    eqs = [Equation((u, "all"), tuple((u, y) for y in years)) for u in units]
    eqs += [Equation((DISTRICT, y), tuple((u, y) for u in COMMUNES)) for y in [*years, "all"]]
    hidden = protect(cells, eqs, 3, cost=lambda k: (-str(k[0]).count("/"), cells[k]))
    published: dict[Key, int | None] = {k: None if k in hidden else v for k, v in cells.items()}
    year: dict[Key, int | None] = {k: None if k[1] == "all" else int(k[1]) for k in cells}
    return Build(day, published, year, eqs)


OLD_2025 = {("d/a", "2023"): 1, ("d/a", "2024"): 4, ("d/b", "2023"): 1, ("d/b", "2024"): 5,
            ("d/c", "2023"): 1, ("d/c", "2024"): 6, ("d/b", "2025"): 5, ("d/c", "2025"): 5}


def test_the_old_method_leaks_to_the_at_least_one_bound() -> None:
    """One build: the district's 2023 total is 3 and its three communes show '—': with 'each is
    at least 1', each is exactly 1."""
    build = old_build(dt.date(2025, 6, 30), OLD_2025, ["2023", "2024", "2025"])
    assert all(build.cells[(u, "2023")] is None for u in COMMUNES) and build.cells[(DISTRICT, "2023")] == 3
    bad, _ = audit([build], threshold=3, at_least=1)
    assert {f.key for f in bad} >= {(u, "2023") for u in COMMUNES}
    assert all((f.low, f.high) == (1, 1) for f in bad if f.key in {(u, "2023") for u in COMMUNES})
    none, _ = audit([build], threshold=3, at_least=0)  # without the assumption, this build alone holds
    assert not {f.key for f in none} & {(u, "2023") for u in COMMUNES}


def test_the_old_method_leaks_to_differencing_builds() -> None:
    """Two builds, no assumption at all: commune a's total goes from 5 to 6 while its closed
    years stay as they were, so its hidden 2025 cell is 1."""
    first = old_build(dt.date(2025, 6, 30), OLD_2025, ["2023", "2024", "2025"])
    second = old_build(dt.date(2025, 12, 31), {**OLD_2025, ("d/a", "2025"): 1}, ["2023", "2024", "2025"])
    assert first.cells[("d/a", "all")] == 5 and second.cells[("d/a", "all")] == 6
    assert first.cells[("d/a", "2025")] == 0 and second.cells[("d/a", "2025")] is None
    alone, _ = audit([second], threshold=3, at_least=0)
    assert ("d/a", "2025") not in {f.key for f in alone}
    bad, _ = audit([first, second], threshold=3, at_least=0)
    found = {(f.day, f.key): (f.low, f.high) for f in bad}
    assert found[(second.day, ("d/a", "2025"))] == (1, 1)
