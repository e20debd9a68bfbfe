"""Dates the procedure counts in: calendar months and Vietnamese working days.

Working days come from the ``holidays`` package's own working-day functions (Tết and the other
lunar holidays, the substitute days off, and the Saturdays the State makes working days), so
the rules stay right as the calendar is updated. Its version is pinned in pyproject.toml:
deadlines depend on it.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import sys
import types
from functools import lru_cache
from pathlib import Path
from typing import Any

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


@lru_cache(maxsize=16)
def _country(country: str, weekend: frozenset[int]) -> Any:
    """The ``holidays`` calendar of a country (None when the package has none), with the
    procedure's weekend. Its own working-day functions know the substitute days off and the
    make-up Saturdays the State moves (2025-04-26 and 2026-08-22 are working days)."""
    holidays = _holidays()  # imported when a working day is first counted: most runs never need it
    entity = _entity(holidays, country)
    try:
        calendar = entity() if entity is not None else holidays.country_holidays(country)
    except NotImplementedError:
        return None
    if set(calendar.weekend) != set(weekend):
        calendar.weekend = set(weekend)
    return calendar


def _holidays() -> Any:
    """The ``holidays`` package, imported without :mod:`importlib.metadata`. The package's
    ``__init__`` imports ``holidays.version``, which asks importlib.metadata for the package's own
    version: an import of about 75 ms, a fifth of a command's start-up, for a string hoso never
    reads. A stand-in ``holidays.version`` holds the same string, read from the installed
    package's ``METADATA``; where that is not found, or holidays is already imported, the
    package's own module is used."""
    if "holidays" not in sys.modules and "holidays.version" not in sys.modules:
        version = _installed_version("holidays")
        if version is not None:
            stand_in = types.ModuleType("holidays.version")
            stand_in.__version__ = version  # type: ignore[attr-defined]
            sys.modules["holidays.version"] = stand_in
    import holidays

    return holidays


def _installed_version(package: str) -> str | None:
    """The ``Version:`` of ``package``'s ``*.dist-info/METADATA`` beside it (one such folder),
    or None."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations))).parent
        found = list(folder.glob(f"{package}-*.dist-info/METADATA"))
        if len(found) != 1:
            return None
        with found[0].open(encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("Version:"):
                    return line.split(":", 1)[1].strip() or None
                if not line.strip():  # the headers end at the first empty line
                    return None
    except (ImportError, OSError, ValueError):
        return None
    return None


def _entity(holidays: Any, country: str) -> Any:
    """The country's class from its own module of the ``holidays`` package, without
    ``holidays.countries`` (whose package imports every country of the world: most of a small
    run's start-up). ``None``: ask ``holidays.country_holidays``, which finds it by the package."""
    import importlib.util

    try:
        from holidays.registry import COUNTRIES

        module = next((m for m, names in COUNTRIES.items() if country in names[1:]), None)
        if module is None:
            return None
        name = f"holidays.countries.{module}"
        mod = sys.modules.get(name)
        if mod is None:
            spec = importlib.util.spec_from_file_location(name, Path(holidays.__file__).parent / "countries" / f"{module}.py")
            if spec is None or spec.loader is None:
                return None
            mod = importlib.util.module_from_spec(spec)
            sys.modules[name] = mod
            try:
                spec.loader.exec_module(mod)
            except BaseException:
                del sys.modules[name]
                raise
        return getattr(mod, country, None)
    except (ImportError, OSError, AttributeError):
        return None


class WorkCalendar:
    def __init__(self, country: str = "VN", weekend: tuple[str, ...] = ("saturday", "sunday")) -> None:
        self.country = country
        self.weekend = frozenset(WEEKDAYS.index(d) for d in weekend)

    @property
    def _calendar(self) -> Any:
        return _country(self.country, self.weekend)

    def is_working_day(self, day: dt.date) -> bool:
        calendar = self._calendar
        if calendar is None:
            return day.weekday() not in self.weekend
        return bool(calendar.is_working_day(day))

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``day`` itself does not count)."""
        if n <= 0:
            return day
        calendar = self._calendar
        if calendar is None:
            step = dt.timedelta(days=1)
            while n > 0:
                day += step
                n -= self.is_working_day(day)
            return day
        result: dt.date = calendar.get_nth_working_day(day, n)
        return result

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        if end <= start:
            return 0
        calendar = self._calendar
        first = start + dt.timedelta(days=1)
        if calendar is None:
            return sum(self.is_working_day(first + dt.timedelta(days=i)) for i in range((end - start).days))
        return int(calendar.get_working_days_count(first, end))
