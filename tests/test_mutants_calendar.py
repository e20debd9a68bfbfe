"""Calendar arithmetic mutation testing found untested (issue 13): months added across year
ends, and zero or negative working days (the day itself, even when it is a day off)."""

from __future__ import annotations

import datetime as dt

import pytest

from hoso.calendar import WorkCalendar, add_months

D = dt.date.fromisoformat


@pytest.mark.parametrize(("day", "months", "expected"), [
    ("2024-01-15", 12, "2025-01-15"),   # January + 12: the month index is exactly 12
    ("2024-01-10", 24, "2026-01-10"),   # January + 24: two years, not one
    ("2024-11-30", 27, "2027-02-28"),   # three year ends, into a 28-day February
    ("2024-01-31", 1, "2024-02-29"),    # the month's last day when it has no 31st
    ("2024-12-31", 2, "2025-02-28"),
    ("2024-03-04", 12, "2025-03-04"),   # the final review's year, as the demo case counts it
])
def test_add_months_across_year_ends(day: str, months: int, expected: str) -> None:
    assert add_months(D(day), months) == D(expected)


def test_zero_working_days_after_a_day_off_is_that_day() -> None:
    """Sunday 27/4/2025 + 0 working days is Sunday itself, not the next working day."""
    assert WorkCalendar().add_working_days(D("2025-04-27"), 0) == D("2025-04-27")


def test_negative_working_days_do_not_go_back() -> None:
    """Monday 28/4/2025 - 1 would be the make-up Saturday 26/4; the function counts forward only."""
    assert WorkCalendar().add_working_days(D("2025-04-28"), -1) == D("2025-04-28")
