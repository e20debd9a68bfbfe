"""Dates the procedure counts in: calendar months and Vietnamese working days.

Public holidays come from the ``holidays`` package (Tết and the other lunar holidays included,
with the substitute days off it knows), so the rules stay right as the calendar is updated.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from functools import lru_cache

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later; the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _cal.monthrange(year, month)[1]))


@lru_cache(maxsize=64)
def _holidays(country: str, year: int) -> frozenset[dt.date]:
    import holidays  # imported when a working day is first counted: most runs never need it

    try:
        return frozenset(holidays.country_holidays(country, years=year))
    except NotImplementedError:
        return frozenset()


class WorkCalendar:
    def __init__(self, country: str = "VN", weekend: tuple[str, ...] = ("saturday", "sunday")) -> None:
        self.country = country
        self.weekend = frozenset(WEEKDAYS.index(d) for d in weekend)

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and day not in _holidays(self.country, day.year)

    def add_working_days(self, day: dt.date, n: int) -> dt.date:
        """The ``n``-th working day after ``day`` (``day`` itself does not count)."""
        step = dt.timedelta(days=1)
        while n > 0:
            day += step
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count
