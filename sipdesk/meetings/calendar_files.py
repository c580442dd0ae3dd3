"""Calendar files (.ics) for a kallelse: the SIP meeting and the staff meeting before it, for
Outlook or any other calendar (RFC 5545; METHOD from RFC 5546).

Calendars are shared and synced to phones, so an event carries no personal data: the summary
names the case by number only ("SIP-möte SIP-2026-0042"), a meeting in the person's home is
"Hemma hos den enskilde" without the address, and the description only points to sipdesk —
never the purpose, which often says something about the person's health — plus the video link,
which the participants need. Times are Europe/Stockholm with a VTIMEZONE, so Outlook places
them right whatever zone the computer is set to.

The UID is stable per meeting (and differs between the SIP meeting and the staff meeting), so
importing a newer file updates the event; SEQUENCE follows the meeting's version, which a new
time or a cancellation raises. A cancelled meeting gives METHOD:CANCEL and STATUS:CANCELLED
with the same UIDs, so calendars that imported it mark it cancelled.

icalendar (~100 ms to import) is loaded when a file is made, not when this module is imported.
"""

from __future__ import annotations

import datetime as dt
import uuid
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sipdesk import clock
from sipdesk.errors import NotFoundError, ValidationError
from sipdesk.meetings.invitation import DEFAULT_MINUTES, HOME, Meeting, MeetingStatus
from sipdesk.meetings.invitation_draft import CHILD_HOME
from sipdesk.storage.models import Case, User

if TYPE_CHECKING:
    from icalendar import Calendar, Event

TIMEZONE = "Europe/Stockholm"
PRODID = "-//sipdesk//SIP-möte//SV"
# A staff meeting has a proposed start only; book it as long as a SIP meeting normally is.
STAFF_MEETING_MINUTES = DEFAULT_MINUTES
DESCRIPTION = "Se ärendet i sipdesk."
# Fixed namespace for the UIDs (uuid5 of the meeting's identity): stable for a meeting, opaque,
# and different between databases because the creation time is part of it.
_UID_NAMESPACE = uuid.UUID("0b6f4d0e-5a3c-4a8e-9a55-3c1c6f1d2b7e")


class Which(StrEnum):
    SIP_MEETING = "sip"
    STAFF_MEETING = "staff"


def event_uid(meeting: Meeting, which: Which) -> str:
    identity = f"{meeting.id}/{meeting.created_at.isoformat()}/{which.value}"
    return f"{uuid.uuid5(_UID_NAMESPACE, identity)}@sipdesk"


def local(moment: dt.datetime) -> dt.datetime:
    """Stored times are Swedish wall-clock time without a zone."""
    zone = ZoneInfo(TIMEZONE)
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def file_name(case_number: str) -> str:
    """No personal data: the case number only."""
    return f"sip-mote-{case_number}.ics"


def summary(meeting: Meeting, case_number: str, which: Which) -> str:
    what = "SIP-möte" + (" (uppföljning)" if meeting.follow_up else "")
    text = (f"{what} {case_number}" if which is Which.SIP_MEETING
            else f"Tjänstemannamöte inför {what} {case_number}")
    return ("Inställt: " + text) if meeting.status == MeetingStatus.CANCELLED.value else text


def location(meeting: Meeting, which: Which) -> str:
    if which is Which.STAFF_MEETING:
        return meeting.staff_meeting_place
    # Never the home address: calendars are shared with colleagues and synced to phones.
    if meeting.at_home:
        return CHILD_HOME if meeting.place.startswith(CHILD_HOME) else HOME
    return meeting.place


def _event(meeting: Meeting, which: Which, *, case_number: str, organizer: User,
           stamp: dt.datetime) -> Event:
    from icalendar import Event, vCalAddress

    if which is Which.SIP_MEETING:
        start, minutes = meeting.starts_at, meeting.minutes
    else:
        assert meeting.staff_meeting_at is not None
        start, minutes = meeting.staff_meeting_at, STAFF_MEETING_MINUTES
    cancelled = meeting.status == MeetingStatus.CANCELLED.value
    event = Event()
    event.add("uid", event_uid(meeting, which))
    event.add("dtstamp", stamp)
    event.add("sequence", max(meeting.version - 1, 0))
    event.add("dtstart", local(start))
    event.add("dtend", local(start + dt.timedelta(minutes=minutes)))
    event.add("summary", summary(meeting, case_number, which))
    event.add("location", location(meeting, which))
    description = DESCRIPTION
    if which is Which.SIP_MEETING and meeting.video_link:
        description += f"\nVideolänk: {meeting.video_link}"
    event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if organizer.email:
        address = vCalAddress(f"mailto:{organizer.email}")
        address.params["cn"] = organizer.full_name
        event.add("organizer", address)
    return event


def meeting_calendar(meeting: Meeting, *, stamp: dt.datetime | None = None) -> Calendar:
    """The SIP meeting, and the staff meeting when one is proposed, as one calendar."""
    from icalendar import Calendar

    case = Case.get_by_id(meeting.case_id)
    organizer = User.get_by_id(meeting.created_by_id)
    stamp = stamp or clock.utc_now().replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    cancelled = meeting.status == MeetingStatus.CANCELLED.value
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    which = [Which.SIP_MEETING] + ([Which.STAFF_MEETING] if meeting.staff_meeting_at else [])
    for part in which:
        calendar.add_component(_event(meeting, part, case_number=case.number,
                                      organizer=organizer, stamp=stamp))
    # Only the rules around the meetings: a VTIMEZONE from 1970 to 2038 would be 20 kB.
    first = min(meeting.starts_at, meeting.staff_meeting_at or meeting.starts_at).date()
    calendar.add_missing_timezones(first_date=first - dt.timedelta(days=366),
                                   last_date=meeting.starts_at.date() + dt.timedelta(days=366))
    return calendar


def calendar_bytes(meeting: Meeting, *, stamp: dt.datetime | None = None) -> bytes:
    return meeting_calendar(meeting, stamp=stamp).to_ical()


def write_calendar(meeting_id: int, target: str | Path) -> Path:
    """Write the meeting's .ics to `target`: a file, or a folder to put sip-mote-….ics in."""
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise NotFoundError("Mötet finns inte längre.")
    path = Path(target)
    if path.is_dir():
        path = path / file_name(Case.get_by_id(meeting.case_id).number)
    elif path.suffix.lower() != ".ics":
        raise ValidationError("Kalenderfilen ska sluta på .ics.", field="target")
    path.write_bytes(calendar_bytes(meeting))
    return path
