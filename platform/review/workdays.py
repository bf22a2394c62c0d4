"""Working days in China, with the State Council's make-up working days (调休).

``holidays`` (PyPI, its ``China`` calendar) is used rather than ``chinese-calendar``: it is
maintained release by release and, at 0.108, carries 2026's official schedule including the
weekend make-up days (e.g. Sunday 2026-09-20 and Saturday 2026-10-10 are working days), while
``chinese-calendar`` 1.11.0 stops at 2026 and raises for later years. Years not yet announced
fall back to the statutory holidays, which is the best anyone can know in advance.
"""

from __future__ import annotations

import datetime
import functools

import holidays
from django.conf import settings


@functools.lru_cache(maxsize=8)
def _calendar(year: int) -> holidays.HolidayBase:
    return holidays.China(years=year)


def is_working_day(day: datetime.date) -> bool:
    return _calendar(day.year).is_working_day(day)


@functools.lru_cache(maxsize=64)
def _year_counts(year: int) -> tuple[int, ...]:
    """``counts[i]``: working days of ``year`` from 1 January up to and including its day ``i + 1``."""
    counts, running, day = [], 0, datetime.date(year, 1, 1)
    while day.year == year:
        running += is_working_day(day)
        counts.append(running)
        day += datetime.timedelta(days=1)
    return tuple(counts)


def _working_days_through(day: datetime.date, since_year: int) -> int:
    """Working days from 1 January of ``since_year`` up to and including ``day``."""
    whole_years = sum(_year_counts(year)[-1] for year in range(since_year, day.year))
    return whole_years + _year_counts(day.year)[day.timetuple().tm_yday - 1]


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``):
    how many working days a submission (or a citizen's letter) has waited. Counted from per-year
    tables, so statistics over thousands of items do not walk the calendar day by day."""
    if end <= start:
        return 0
    return _working_days_through(end, start.year) - _working_days_through(start, start.year)


def overdue_limit() -> int:
    return int(getattr(settings, "ZQ_REVIEW_OVERDUE_WORKING_DAYS", 2))


def is_overdue(submitted: datetime.date, today: datetime.date) -> bool:
    """A submission is overdue once more working days than the limit have passed without a decision."""
    return working_days_between(submitted, today) > overdue_limit()


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The ``days``-th working day after ``start``: the statutory deadline of something received on
    ``start`` (依申请公开 20 working days, 找错 3, a mailbox's own limit), on the same calendar."""
    day, left = start, max(0, days)
    while left:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day
