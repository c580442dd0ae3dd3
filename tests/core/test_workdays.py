"""Swedish working days — DOMAIN.md step 8: documentation is due within two working days after
the meeting; public holidays and midsommarafton, julafton and nyårsafton are not working days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sipdesk.rules.workdays import add_workdays, is_workday, workdays_between

D = dt.date


@pytest.mark.parametrize(
    ("meeting", "deadline", "why"),
    [
        (D(2026, 11, 23), D(2026, 11, 25), "an ordinary Monday"),
        (D(2026, 11, 26), D(2026, 11, 30), "Thursday: the weekend is skipped"),
        (D(2026, 4, 2), D(2026, 4, 8), "Easter: långfredagen and annandag påsk"),
        (D(2026, 5, 13), D(2026, 5, 18), "Kristi himmelsfärdsdag"),
        (D(2026, 6, 18), D(2026, 6, 23), "midsommarafton and midsommardagen"),
        (D(2026, 12, 23), D(2026, 12, 29), "julafton, juldagen, annandag jul"),
        (D(2026, 12, 30), D(2027, 1, 5), "nyårsafton and nyårsdagen"),
        (D(2027, 1, 5), D(2027, 1, 8), "trettondedag jul"),
        (D(2026, 11, 22), D(2026, 11, 24), "a meeting on a Sunday"),
    ],
)
def test_documentation_deadline_two_working_days_after_meeting(
    meeting: dt.date, deadline: dt.date, why: str
) -> None:
    assert add_workdays(meeting, 2) == deadline, why


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 6, 19),  # midsommarafton
        D(2025, 6, 20),  # midsommarafton
        D(2026, 12, 24),  # julafton
        D(2026, 12, 31),  # nyårsafton
        D(2026, 6, 6),  # nationaldagen (a Saturday in 2026)
        D(2027, 6, 6),  # nationaldagen (a Sunday)
        D(2028, 6, 6),  # nationaldagen on a Tuesday
        D(2026, 5, 1),  # första maj
        D(2026, 1, 1),
        D(2026, 1, 6),
    ],
)
def test_public_holidays_and_free_eves_are_not_working_days(day: dt.date) -> None:
    assert not is_workday(day)


def test_day_after_midsommar_weekend_is_a_working_day() -> None:
    assert is_workday(D(2026, 6, 22))
    assert is_workday(D(2026, 6, 18))


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))


@given(start=days, count=st.integers(min_value=0, max_value=60))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(
    start: dt.date, count: int
) -> None:
    end = add_workdays(start, count)
    assert workdays_between(start, end) == count
    if count:
        assert is_workday(end)
        assert end > start
    else:
        assert end == start


@given(start=days, count=st.integers(min_value=1, max_value=60))
def test_going_back_undoes_going_forward_from_a_working_day(start: dt.date, count: int) -> None:
    workday = add_workdays(start, 1)
    assert add_workdays(add_workdays(workday, count), -count) == workday
