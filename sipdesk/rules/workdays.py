"""Swedish working days: weekdays that are neither public holidays nor the de-facto free eves.

Public holidays come from `holidays` (Sweden); midsommarafton, julafton and nyårsafton are added,
since DOMAIN.md step 8 counts them as non-working days for the documentation deadline.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
          "september", "oktober", "november", "december")
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
FREE_EVES = frozenset({"julafton", "nyårsafton", "midsommarafton"})


def _in_a_sentence(name: str) -> str:
    """"Juldagen" → "juldagen"; "Kristi himmelsfärdsdag" keeps its name's capital."""
    return name if name.startswith("Kristi") else name[:1].lower() + name[1:]


@lru_cache(maxsize=64)
def _free_day_names(year: int) -> dict[dt.date, str]:
    """Every free day of `year` with its Swedish name in lower case ("juldagen")."""
    import holidays  # ~150 ms to import: only when a date is first checked, not at start-up

    names = {day: _in_a_sentence(name) for day, name in
             holidays.country_holidays("SE", years=year, language="sv").items()}
    names[dt.date(year, 12, 24)] = "julafton"
    names[dt.date(year, 12, 31)] = "nyårsafton"
    # midsommarafton: the Friday between 19 and 25 June
    june19 = dt.date(year, 6, 19)
    names[june19 + dt.timedelta(days=(4 - june19.weekday()) % 7)] = "midsommarafton"
    return names


@lru_cache(maxsize=64)
def _free_days(year: int) -> frozenset[dt.date]:
    return frozenset(_free_day_names(year))


def free_day_name(day: dt.date) -> str | None:
    """The Swedish name of the public holiday or free eve on `day` ("juldagen", "julafton"),
    None on other days (weekends included)."""
    return _free_day_names(day.year).get(day)


def long_date(day: dt.date) -> str:
    """"25 december 2026"."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


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
