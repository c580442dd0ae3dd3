"""When to meet — DOMAIN.md step 4, seeds 000 and 003: the times the kallelse wizard proposes
and the demo books (a Swedish working day within office hours, the SIP meeting two to three
weeks ahead, the staff meeting about a week before it), and the warnings for a time picked by
hand.

Split from `sipdesk.meetings.invitation` (issue 11: no module over ~500 lines), which re-exports
every name.
"""

from __future__ import annotations

import datetime as dt

from sipdesk.rules.workdays import (
    FREE_EVES,
    WEEKDAYS,
    add_workdays,
    free_day_name,
    is_workday,
    long_date,
    workday_on_or_after,
)
from sipdesk.storage.meeting_records import DEFAULT_MINUTES

NORMAL_NOTICE_DAYS = 14  # seed 003: two to three weeks ahead in the normal case
LONGEST_NOTICE_DAYS = 21  # … to three weeks: the default never goes further
# Office hours, Stockholm wall-clock (the clock's naive times): a meeting starts at 08:00 at the
# earliest and ends by 16:30, so a 45-minute meeting starts at 15:45 at the latest.
OFFICE_OPENS = dt.time(8, 0)
OFFICE_CLOSES = dt.time(16, 30)
SIP_MEETING_TIME = dt.time(10, 0)
STAFF_MEETING_TIME = dt.time(9, 0)
STAFF_MEETING_WORKDAYS_BEFORE = 5  # about a week before the SIP meeting


# ---- when to meet -----------------------------------------------------------------------------
#
# The proposals the kallelse wizard starts from and the demo books with: always a Swedish working
# day (no weekend, public holiday or free eve such as julafton) and within office hours.

def in_office_hours(starts_at: dt.datetime, minutes: int = DEFAULT_MINUTES) -> bool:
    """True when a meeting of `minutes` starting then is on a working day within office hours."""
    day = starts_at.date()
    return (is_workday(day) and starts_at.time() >= OFFICE_OPENS
            and starts_at + dt.timedelta(minutes=minutes)
            <= dt.datetime.combine(day, OFFICE_CLOSES))


SHORT_NOTICE_WARNING = ("Mötet ligger mindre än två veckor fram — normalt kallar man två till "
                        "tre veckor i förväg.")


def time_warnings(starts_at: dt.datetime, *, minutes: int = DEFAULT_MINUTES,
                  current: dt.datetime | None = None) -> list[str]:
    """What to tell the convener about a time picked by hand — warnings, never a refusal:
    a public holiday, free eve or weekend; outside office hours; under two weeks ahead (DOMAIN
    step 4: "2–3 weeks ahead in the normal case; warn below that"). The proposals
    (`default_meeting_times`) never get one."""
    warnings = []
    day = starts_at.date()
    holiday = free_day_name(day)
    if holiday in FREE_EVES:
        warnings.append(f"{long_date(day)} är {holiday} — då är de flesta lediga.")
    elif holiday is not None:
        warnings.append(f"{long_date(day)} är {holiday} — en helgdag.")
    elif not is_workday(day):
        warnings.append(f"{long_date(day)} är en {WEEKDAYS[day.weekday()]} — ingen arbetsdag.")
    elif starts_at.time() < OFFICE_OPENS:
        warnings.append(f"Mötet börjar före kontorstid ({OFFICE_OPENS:%H:%M}).")
    elif starts_at + dt.timedelta(minutes=minutes) > dt.datetime.combine(day, OFFICE_CLOSES):
        warnings.append(f"Mötet slutar efter kontorstid ({OFFICE_CLOSES:%H:%M}).")
    if current is not None and current < starts_at and is_short_notice(starts_at, current):
        warnings.append(SHORT_NOTICE_WARNING)
    return warnings


def is_short_notice(starts_at: dt.datetime, current: dt.datetime) -> bool:
    """Under two weeks ahead (seed 003: two to three weeks in the normal case)."""
    return starts_at.date() < current.date() + dt.timedelta(days=NORMAL_NOTICE_DAYS)


def default_start(today: dt.date) -> dt.datetime:
    """The SIP meeting: two weeks ahead (seed 003: two to three weeks), or the first working
    day after that, at 10:00. Holidays last at most a few days, so it stays within three weeks."""
    day = workday_on_or_after(today + dt.timedelta(days=NORMAL_NOTICE_DAYS))
    return dt.datetime.combine(day, SIP_MEETING_TIME)


def default_staff_meeting(starts_at: dt.datetime, current: dt.datetime) -> dt.datetime:
    """The staff meeting (seed 000): about a week (five working days) before the SIP meeting at
    09:00, but not before the next working day. When the SIP meeting is that soon, the same day
    just before it, if office hours allow."""
    day = max(add_workdays(starts_at.date(), -STAFF_MEETING_WORKDAYS_BEFORE),
              add_workdays(current.date(), 1))
    proposal = dt.datetime.combine(day, STAFF_MEETING_TIME)
    if proposal + dt.timedelta(minutes=DEFAULT_MINUTES) <= starts_at:
        return proposal
    just_before = starts_at - dt.timedelta(minutes=DEFAULT_MINUTES)
    if just_before > current and in_office_hours(just_before):
        return just_before
    return proposal  # nothing fits: the wizard's check asks for another time or a reason


def default_meeting_times(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(SIP meeting, staff meeting) proposed on `today`: both on working days within office
    hours, the SIP meeting 14–21 days ahead and the staff meeting before it."""
    sip = default_start(today)
    return sip, default_staff_meeting(sip, dt.datetime.combine(today, OFFICE_OPENS))
