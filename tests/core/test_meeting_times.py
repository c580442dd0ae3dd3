"""When to meet — DOMAIN.md step 4, "Time: 2–3 weeks ahead in the normal case; book 45 minutes,
at most one hour", and "propose time and place for a staff meeting before the SIP meeting".

The proposals the kallelse wizard starts from, and every meeting the demo books, fall on Swedish
working days (no weekend, public holiday or free eve) within office hours, whatever day it is.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
import time_machine as tm

from sipdesk import clock, demo
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import (
    DEFAULT_MINUTES,
    LONGEST_NOTICE_DAYS,
    MAX_MINUTES,
    NORMAL_NOTICE_DAYS,
    OFFICE_CLOSES,
    OFFICE_OPENS,
    Meeting,
    default_meeting_times,
    default_staff_meeting,
    in_office_hours,
)
from sipdesk.plans.plan import PlanVersion
from sipdesk.rules.workdays import is_workday
from sipdesk.storage.models import Case

# The days that matter: the Friday a week before midsommarafton, julafton, nyårsafton, a leap
# day, and days whose "two weeks ahead" is itself a holiday (juldagen, midsommarafton,
# långfredag followed by annandag påsk).
DAYS_THAT_MATTER = (
    dt.date(2027, 6, 18),
    dt.date(2026, 12, 24),
    dt.date(2026, 12, 31),
    dt.date(2028, 2, 29),
    dt.date(2026, 12, 11),
    dt.date(2027, 6, 11),
    dt.date(2027, 3, 12),
)


def travel(machine: tm.TimeMachineFixture, day: dt.date, hour: int = 12) -> None:
    machine.move_to(dt.datetime.combine(day, dt.time(hour, 0), tzinfo=clock.STOCKHOLM))


@pytest.mark.parametrize("day", DAYS_THAT_MATTER, ids=str)
def test_time_2_3_weeks_ahead_on_a_working_day_and_the_staff_meeting_before_it(
        time_machine: tm.TimeMachineFixture, day: dt.date) -> None:
    """DOMAIN.md step 4: "Time: 2–3 weeks ahead in the normal case; book 45 minutes, at most
    one hour" — and a staff meeting before the SIP meeting, both on working days."""
    travel(time_machine, day)
    assert clock.today() == day
    sip, staff = default_meeting_times(clock.today())
    assert NORMAL_NOTICE_DAYS == 14 and LONGEST_NOTICE_DAYS == 21
    assert NORMAL_NOTICE_DAYS <= (sip.date() - day).days <= LONGEST_NOTICE_DAYS
    assert is_workday(sip.date()) and is_workday(staff.date())
    assert in_office_hours(sip, DEFAULT_MINUTES) and in_office_hours(sip, MAX_MINUTES)
    assert in_office_hours(staff)
    assert day < staff.date() < sip.date()


def test_the_proposals_skip_holidays_and_free_eves() -> None:
    # Two weeks after 11 December 2026 is juldagen: Monday 28 December instead.
    sip, _ = default_meeting_times(dt.date(2026, 12, 11))
    assert sip == dt.datetime(2026, 12, 28, 10, 0)
    # Two weeks after 11 June 2027 is midsommarafton: Monday 28 June instead.
    assert default_meeting_times(dt.date(2027, 6, 11))[0] == dt.datetime(2027, 6, 28, 10, 0)
    # A week before Friday 2 July 2027 is midsommarafton: the staff meeting is the day before.
    sip, staff = default_meeting_times(dt.date(2027, 6, 18))
    assert sip == dt.datetime(2027, 7, 2, 10, 0)
    assert staff == dt.datetime(2027, 6, 24, 9, 0)


def test_office_hours_end_at_half_past_four() -> None:
    """A 45-minute meeting starts at 08:00 at the earliest and 15:45 at the latest."""
    monday = dt.date(2026, 11, 23)
    assert dt.time(8, 0) == OFFICE_OPENS and dt.time(16, 30) == OFFICE_CLOSES
    assert in_office_hours(dt.datetime.combine(monday, dt.time(8, 0)))
    assert in_office_hours(dt.datetime.combine(monday, dt.time(15, 45)))
    assert not in_office_hours(dt.datetime.combine(monday, dt.time(15, 46)))
    assert not in_office_hours(dt.datetime.combine(monday, dt.time(7, 0)))
    assert not in_office_hours(dt.datetime(2026, 12, 25, 10, 0))  # juldagen, a Friday


def test_a_staff_meeting_for_a_sip_meeting_very_soon_is_the_same_morning() -> None:
    """Short notice: no room for a week between them, but still before the SIP meeting."""
    current = dt.datetime(2026, 11, 23, 9, 0)  # Monday
    sip = dt.datetime(2026, 11, 24, 13, 0)  # Tuesday afternoon
    assert default_staff_meeting(sip, current) == dt.datetime(2026, 11, 24, 9, 0)
    sip = dt.datetime(2026, 11, 24, 9, 30)  # Tuesday morning: just before it
    assert default_staff_meeting(sip, current) == dt.datetime(2026, 11, 24, 8, 45)
    sip = dt.datetime(2026, 11, 26, 13, 0)  # Thursday: the next working day is free
    assert default_staff_meeting(sip, current) == dt.datetime(2026, 11, 24, 9, 0)


@pytest.mark.parametrize(("seed", "day"), [
    (1, dt.date(2026, 12, 3)),  # meetings two weeks ahead reach juldagen
    (2, dt.date(2027, 6, 10)),  # … and midsommarafton
    (3, dt.date(2027, 1, 7)),  # meetings held lately were around trettondedag jul
], ids=str)
def test_the_demo_books_meetings_on_working_days_in_office_hours(
        db: peewee.Database, time_machine: tm.TimeMachineFixture, seed: int,
        day: dt.date) -> None:
    """DOMAIN.md step 4 in the demo too: no meeting, staff meeting or follow-up on a weekend,
    a holiday or a free eve, none outside office hours."""
    travel(time_machine, day, hour=7)
    demo.fill_demo(cases=48, seed=seed)  # 48 cases: all twelve made through the real flow
    meetings = list(Meeting.select())
    assert len(meetings) >= 12
    for m in meetings:
        assert in_office_hours(m.starts_at, m.minutes), m.starts_at
        assert m.staff_meeting_at is not None and in_office_hours(m.staff_meeting_at)
        assert m.staff_meeting_at < m.starts_at
    follow_ups = [v.follow_up_date for v in PlanVersion.select()]
    next_dates = [c.next_date for c in Case.select()]
    assert any(follow_ups) and any(next_dates)
    assert all(is_workday(d) for d in follow_ups + next_dates if d is not None)
    upcoming = [m for m in meetings if m.status == invitation.MeetingStatus.PLANNED.value
                and m.starts_at.date() > day]
    assert upcoming and all((m.starts_at.date() - day).days >= 14 for m in upcoming)
