"""The one clock: every part of sipdesk asks here for today's date and the current time.

sipdesk is used in Sweden, and its dates have Swedish meaning (a consent lapses at the end of
a Swedish day, a documentation deadline counts Swedish working days, a meeting at 09:00 is
09:00 in Stockholm). So "now" is Stockholm wall-clock time whatever zone the computer is set
to, and it is stored without a zone (naive), the way users read and compare it. A PC set to
UTC at 23:30 on 31 December is already on 1 January here.

Tests freeze this clock with time-machine (it patches `datetime.now`, which these functions
read); no other module calls `date.today()` or `datetime.now()` — `git grep` keeps that true.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> dt.datetime:
    """Stockholm wall-clock time, without microseconds or zone (what users read and compare)."""
    return dt.datetime.now(STOCKHOLM).replace(tzinfo=None, microsecond=0)


def precise_now() -> dt.datetime:
    """Stockholm wall-clock time with microseconds, for file names and ordering."""
    return dt.datetime.now(STOCKHOLM).replace(tzinfo=None)


def utc_now() -> dt.datetime:
    """The current instant in UTC, zone-aware (for calendar-file stamps)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in Stockholm."""
    return now().date()


def in_stockholm(moment: dt.datetime) -> dt.datetime:
    """A stored (naive, Stockholm wall-clock) time, or an aware one, as aware Stockholm time."""
    return moment.replace(tzinfo=STOCKHOLM) if moment.tzinfo is None else moment.astimezone(
        STOCKHOLM)
