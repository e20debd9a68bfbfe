"""Working days as Vietnam counts them, through the holidays package's own working-day functions:
weekends, Tết, 30/4–1/5, 2/9, the substitute days off, and the make-up Saturdays that are
working days (2025-04-26 and 2026-08-22)."""

from __future__ import annotations

import datetime as dt
import re
from importlib.metadata import version

import pytest

from hoso.calendar import WorkCalendar
from tests.conftest import ROOT

D = dt.date.fromisoformat
VN = WorkCalendar()


def test_the_pinned_holidays_version_is_installed() -> None:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pinned = re.findall(r'"(holidays[=<>!~][^"]*)"', text)
    assert pinned == [f"holidays=={version('holidays')}"]


@pytest.mark.parametrize(("day", "working"), [
    ("2025-04-26", True),    # Saturday made a working day (for Friday 2 May 2025)
    ("2025-05-02", False),   # the day off it pays for
    ("2026-08-22", True),    # Saturday made a working day (for Monday 31 August 2026)
    ("2026-08-31", False),
    ("2026-09-01", False), ("2026-09-02", False),   # National Day, two days
    ("2025-04-30", False), ("2025-05-01", False),   # Reunification Day, Labour Day
    ("2025-01-27", False), ("2025-01-31", False), ("2025-02-03", True),  # Tết Ất Tỵ: 27/1–31/1; back on Mon 3/2
    ("2026-02-16", False), ("2026-02-20", False), ("2026-02-23", True),  # Tết Bính Ngọ: 16/2–20/2
    ("2025-04-27", False),   # an ordinary Sunday
])
def test_working_days(day: str, working: bool) -> None:
    assert VN.is_working_day(D(day)) is working


def test_counting_across_the_april_holidays() -> None:
    # Fri 25/4/2025 + 1 is the make-up Saturday; then Mon 28, Tue 29; 30/4, 1/5, 2/5 off; Mon 5/5
    assert VN.add_working_days(D("2025-04-25"), 1) == D("2025-04-26")
    assert VN.add_working_days(D("2025-04-25"), 4) == D("2025-05-05")
    assert VN.working_days_between(D("2025-04-25"), D("2025-05-05")) == 4


def test_counting_across_tet_and_national_day() -> None:
    # Fri 23/1/2025 + 3: Fri 24, then Tết to Fri 31/1 (with the weekend), Mon 3/2 and Tue 4/2
    assert VN.add_working_days(D("2025-01-23"), 3) == D("2025-02-04")
    # Thu 20/8/2026 + 3: Fri 21, the make-up Sat 22, Mon 24
    assert VN.add_working_days(D("2026-08-20"), 3) == D("2026-08-24")
    # Fri 28/8/2026 + 1: Mon 31/8 (day off), 1/9 and 2/9 (National Day) are skipped: Thu 3/9
    assert VN.add_working_days(D("2026-08-28"), 1) == D("2026-09-03")


def test_the_day_itself_does_not_count() -> None:
    assert VN.add_working_days(D("2025-04-26"), 0) == D("2025-04-26")
    assert VN.working_days_between(D("2025-05-05"), D("2025-05-05")) == 0
    assert VN.working_days_between(D("2025-05-06"), D("2025-05-05")) == 0


def test_a_country_without_holidays_counts_weekends_only() -> None:
    plain = WorkCalendar("ZZ")
    assert plain.add_working_days(D("2025-04-25"), 1) == D("2025-04-28")
    assert plain.working_days_between(D("2025-04-25"), D("2025-05-05")) == 6
