"""Swedish working days: weekdays that are neither public holidays nor the de-facto free eves.

Public holidays come from `holidays` (Sweden); midsommarafton, julafton and nyårsafton are added,
since DOMAIN.md step 8 counts them as non-working days for the documentation deadline.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache


@lru_cache(maxsize=64)
def _free_days(year: int) -> frozenset[dt.date]:
    import holidays  # ~150 ms to import: only when a date is first checked, not at start-up

    days = set(holidays.country_holidays("SE", years=year).keys())
    days.add(dt.date(year, 12, 24))  # julafton
    days.add(dt.date(year, 12, 31))  # nyårsafton
    # midsommarafton: the Friday between 19 and 25 June
    june19 = dt.date(year, 6, 19)
    days.add(june19 + dt.timedelta(days=(4 - june19.weekday()) % 7))
    return frozenset(days)


def is_workday(day: dt.date) -> bool:
    """True for Monday–Friday that is not a Swedish public holiday or free eve."""
    return day.weekday() < 5 and day not in _free_days(day.year)


def add_workdays(start: dt.date, count: int) -> dt.date:
    """The date `count` working days after `start` (before it, for a negative count).

    `add_workdays(meeting, 2)` is the documentation deadline: two working days after the
    meeting, whatever kind of day the meeting itself was on.
    """
    step = 1 if count >= 0 else -1
    day = start
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if is_workday(day):
            remaining -= 1
    return day


def workday_on_or_after(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the next working day."""
    return day if is_workday(day) else add_workdays(day, 1)


def workday_on_or_before(day: dt.date) -> dt.date:
    """`day` itself if it is a working day, else the working day before it."""
    return day if is_workday(day) else add_workdays(day, -1)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def one_year_after(day: dt.date) -> dt.date:
    """The same date next year; 29 February gives 28 February (a consent "for at most one
    year" and the yearly follow-up must not pass the day a year later)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)
