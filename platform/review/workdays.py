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


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``):
    how many working days a submission has waited."""
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


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
