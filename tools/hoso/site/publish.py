"""What the status pages and ``status/data.json`` publish, and nothing more.

The method (docs/cong-bo-so-lieu.md states the reader it holds against and why):

- only **top-level units** (a district, a province), and only those that held at least
  ``publish_min_cases`` cases up to the end of the last published year;
- only **closed years**: year Y appears once ``publish_after_days`` have passed after it ends,
  and a closed year is never recounted, so a later build adds rows and changes none;
- **fixed shapes**: every year from the oldest procedure's first year to the last closed year,
  every flow the procedures define, whether or not anything happened;
- **no totals, no sub-units, no current-state tables, no medians**: no published number is the
  sum of others, so no equation ties a hidden cell to shown ones, in one build or across builds;
- a count from 1 to ``threshold - 1`` is hidden (``None``): a hidden cell is only ever known to
  lie in [1, threshold - 1], which is the documented protection level.

Built from :mod:`hoso.stats` (exact counts); only event names, flows, units and years reach a
cell key.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from hoso.base import Text
from hoso.disclosure import DEFAULT_THRESHOLD, suppress
from hoso.recordmodel import Compiled
from hoso.stats import CaseView, flow_titles, flows, late_steps

DEFAULT_MIN_CASES = 10
DEFAULT_AFTER_DAYS = 90
SCHEMA = "hoso-status/1"
LATE = "late"


@dataclass(frozen=True)
class Dimension:
    name: str
    values: list[str]
    titles: dict[str, Text] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name,
                "values": [{"id": v, **({"title": self.titles[v].model_dump()} if v in self.titles else {})}
                           for v in self.values]}


@dataclass(frozen=True)
class Table:
    """A unit's table: rows × columns of published counts (None: hidden, between 1 and
    threshold - 1)."""

    id: str
    unit: str
    title: Text
    rows: Dimension
    cols: Dimension
    cells: list[list[int | None]]

    def value(self, row: str, col: str) -> int | None:
        return self.cells[self.rows.values.index(row)][self.cols.values.index(col)]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "unit": self.unit, "title": self.title.model_dump(),
                "dimensions": [self.rows.to_json(), self.cols.to_json()], "cells": self.cells}


@dataclass(frozen=True)
class Settings:
    threshold: int = DEFAULT_THRESHOLD
    min_cases: int = DEFAULT_MIN_CASES
    after_days: int = DEFAULT_AFTER_DAYS


@dataclass
class Publication:
    settings: Settings
    through: int | None  # the last published (closed) year; None: nothing closed yet
    years: list[str]
    units: list[str]
    tables: list[Table]

    @property
    def threshold(self) -> int:
        return self.settings.threshold

    def table(self, table_id: str, unit: str) -> Table:
        return next(t for t in self.tables if t.id == table_id and t.unit == unit)

    def to_json(self, synthetic: bool, names: dict[str, str]) -> dict[str, Any]:
        s = self.settings
        return {
            "schema": SCHEMA,
            "synthetic": synthetic,
            "published_through": None if self.through is None else f"{self.through}-12-31",
            "threshold": s.threshold,
            "min_cases": s.min_cases,
            "hidden": {"value": None, "means": {"vi": f"một số từ 1 đến {s.threshold - 1}",
                                                "en": f"a count from 1 to {s.threshold - 1}"}},
            "units": [{"id": u, "name": names.get(u, u)} for u in self.units],
            "tables": [t.to_json() for t in self.tables],
        }


def settings(procs: dict[str, Compiled]) -> Settings:
    """The strictest of every procedure's settings: the highest threshold, the largest minimum
    unit size and the longest wait."""
    def most(name: str, default: int) -> int:
        return max([c.proc.setting(name, default) for c in procs.values()] + [default])

    return Settings(most("disclosure_threshold", DEFAULT_THRESHOLD), most("publish_min_cases", DEFAULT_MIN_CASES),
                    most("publish_after_days", DEFAULT_AFTER_DAYS))


def last_closed_year(today: dt.date, after_days: int) -> int:
    year = today.year - 1
    while dt.date(year + 1, 1, 1) + dt.timedelta(days=after_days) > today:
        year -= 1
    return year


def build(cases: list[CaseView], procs: dict[str, Compiled], today: dt.date, conf: Settings | None = None) -> Publication:
    conf = conf or settings(procs)
    first = min((c.proc.effective_from.year for c in procs.values()), default=today.year)
    through = last_closed_year(today, conf.after_days)
    if through < first:
        return Publication(conf, None, [], [], [])
    years = [str(y) for y in range(first, through + 1)]
    units = [u for u, n in sorted(case_counts(cases, through).items()) if n >= conf.min_cases]
    titles = flow_titles(procs.values())
    flow_counts: Counter[tuple[str, str, str]] = Counter()
    for (u, y, f), n in flows(cases).items():
        flow_counts[(root(u), y, f)] += n
    flow_dim = Dimension("flow", list(titles), titles)
    year_dim = Dimension("year", years)
    late_dim = Dimension("measure", [LATE], {LATE: Text(vi="Số bước ghi trễ hạn", en="Steps recorded late")})
    late_by_year = {y: late_steps(cases, int(y)) for y in years}  # once, not once per unit
    tables = []
    for u in units:
        rolled = _sum_by_root(flow_counts, u)
        tables.append(_table("flows", u, Text(vi="Số trường hợp theo năm", en="Cases per year"), year_dim, flow_dim,
                             lambda y, f: rolled[(y, f)], conf.threshold))
        late = {y: sum(n for (unit, _), n in late_by_year[y].items() if root(unit) == u) for y in years}
        tables.append(_table("late", u, Text(vi="Bước ghi trễ hạn theo năm", en="Steps recorded late, per year"),
                             year_dim, late_dim, lambda y, _: late[y], conf.threshold))
    return Publication(conf, through, years, units, tables)


def root(unit: str) -> str:
    return unit.split("/", 1)[0]


def case_counts(cases: list[CaseView], through: int) -> Counter[str]:
    """Cases each top-level unit held, with a step dated up to the end of ``through``."""
    out: Counter[str] = Counter()
    for c in cases:
        for r in {root(s.unit) for s in c.steps if s.date is not None and s.date.year <= through}:
            out[r] += 1
    return out


def _sum_by_root(counts: Counter[tuple[str, str, str]], unit: str) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for (u, y, f), n in counts.items():
        if u == unit:
            out[(y, f)] += n
    return out


def _table(table_id: str, unit: str, title: Text, rows: Dimension, cols: Dimension, count: Any,
           threshold: int) -> Table:
    cells = [[suppress(int(count(r, c)), threshold) for c in cols.values] for r in rows.values]
    return Table(table_id, unit, title, rows, cols, cells)


def small_counts(p: Publication) -> list[tuple[str, str, str, str, int]]:
    """Published counts in [1, threshold - 1]: must be empty."""
    return [(t.id, t.unit, r, c, v) for t in p.tables for r, row in zip(t.rows.values, t.cells)
            for c, v in zip(t.cols.values, row) if v is not None and 1 <= v < p.threshold]
