"""Warnings for a meeting time picked by hand — DOMAIN.md step 4, "Time: 2–3 weeks ahead in the
normal case; warn below that", on a working day within office hours (08:00–16:30). Public
holidays by their Swedish names (the `holidays` package), the free eves that DOMAIN.md step 8
counts as non-working (julafton, midsommarafton, nyårsafton), weekends. Warnings, never a
refusal: `check_time_and_place` still passes."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine as tm

from sipdesk import clock
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import SHORT_NOTICE_WARNING, default_meeting_times, time_warnings
from tests.core.test_meeting_times import DAYS_THAT_MATTER, travel


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute))


@pytest.mark.parametrize(("starts_at", "warning"), [
    (at(dt.date(2026, 12, 25), 10), "25 december 2026 är juldagen — en helgdag."),
    (at(dt.date(2026, 12, 24), 10), "24 december 2026 är julafton — då är de flesta lediga."),
    (at(dt.date(2026, 12, 31), 10), "31 december 2026 är nyårsafton — då är de flesta lediga."),
    (at(dt.date(2027, 6, 25), 10),
     "25 juni 2027 är midsommarafton — då är de flesta lediga."),
    (at(dt.date(2027, 1, 6), 10), "6 januari 2027 är trettondedag jul — en helgdag."),
    (at(dt.date(2027, 3, 26), 10), "26 mars 2027 är långfredagen — en helgdag."),
    (at(dt.date(2027, 5, 6), 10), "6 maj 2027 är Kristi himmelsfärdsdag — en helgdag."),
    (at(dt.date(2026, 12, 26), 10), "26 december 2026 är annandag jul — en helgdag."),  # a Sat
    (at(dt.date(2027, 1, 9), 10), "9 januari 2027 är en lördag — ingen arbetsdag."),
    (at(dt.date(2027, 1, 10), 10), "10 januari 2027 är en söndag — ingen arbetsdag."),
    (at(dt.date(2027, 1, 11), 7, 30), "Mötet börjar före kontorstid (08:00)."),
    (at(dt.date(2027, 1, 11), 15, 46), "Mötet slutar efter kontorstid (16:30)."),
], ids=str)
def test_a_day_off_or_outside_office_hours_is_named(time_machine: tm.TimeMachineFixture,
                                                    starts_at: dt.datetime,
                                                    warning: str) -> None:
    travel(time_machine, dt.date(2026, 11, 22))  # all of them more than two weeks ahead
    assert time_warnings(starts_at, current=clock.now()) == [warning]


@pytest.mark.parametrize(("starts_at", "minutes"), [
    (at(dt.date(2027, 1, 11), 8), 45),  # opens at 08:00
    (at(dt.date(2027, 1, 11), 15, 45), 45),  # ends at 16:30 sharp
    (at(dt.date(2027, 1, 11), 15, 30), 60),
    (at(dt.date(2026, 12, 23), 10), 45),  # lillejulafton is a working day
], ids=str)
def test_a_working_day_within_office_hours_gets_no_warning(
        time_machine: tm.TimeMachineFixture, starts_at: dt.datetime, minutes: int) -> None:
    travel(time_machine, dt.date(2026, 11, 22))
    assert time_warnings(starts_at, minutes=minutes, current=clock.now()) == []


def test_the_length_decides_whether_it_ends_after_office_hours(
        time_machine: tm.TimeMachineFixture) -> None:
    travel(time_machine, dt.date(2026, 11, 22))
    start = at(dt.date(2027, 1, 11), 15, 45)
    assert time_warnings(start, minutes=60, current=clock.now()) == [
        "Mötet slutar efter kontorstid (16:30)."]


def test_under_two_weeks_ahead_is_the_same_warning_the_check_gives(
        time_machine: tm.TimeMachineFixture) -> None:
    """DOMAIN.md step 4: "2–3 weeks ahead in the normal case; warn below that" — 13 days is
    below, 14 is not; on julafton the day is named as well."""
    travel(time_machine, dt.date(2026, 12, 11))
    now = clock.now()
    assert time_warnings(at(dt.date(2026, 12, 23), 10), current=now) == [SHORT_NOTICE_WARNING]
    assert time_warnings(at(dt.date(2026, 12, 24), 10), current=now) == [  # 13 days
        "24 december 2026 är julafton — då är de flesta lediga.", SHORT_NOTICE_WARNING]
    assert time_warnings(at(dt.date(2026, 12, 28), 10), current=now) == []  # 17 days
    travel(time_machine, dt.date(2026, 12, 14))
    assert time_warnings(at(dt.date(2026, 12, 28), 10), current=clock.now()) == []  # 14 days
    assert time_warnings(at(dt.date(2026, 12, 28), 10),
                         current=clock.now() + dt.timedelta(days=1)) == [SHORT_NOTICE_WARNING]
    assert "två till tre veckor" in SHORT_NOTICE_WARNING


def test_the_check_passes_with_the_warnings_shown(
        time_machine: tm.TimeMachineFixture) -> None:
    """A warning, not a refusal: the time page's check has no problem for juldagen."""
    travel(time_machine, dt.date(2026, 11, 22))
    draft = invitation.InvitationDraft(starts_at=at(dt.date(2026, 12, 25), 10))
    check = invitation.check_time_and_place(None, draft, current=clock.now())  # type: ignore[arg-type]
    assert check.ok
    assert check.warnings == ["25 december 2026 är juldagen — en helgdag."]


@pytest.mark.parametrize("day", DAYS_THAT_MATTER, ids=str)
def test_the_proposals_never_get_a_warning(time_machine: tm.TimeMachineFixture,
                                           day: dt.date) -> None:
    travel(time_machine, day)
    sip, staff = default_meeting_times(clock.today())
    assert time_warnings(sip, current=clock.now()) == []
    assert time_warnings(staff) == []  # the staff meeting may well be sooner: no notice rule
