"""Calendar files for a kallelse, on both engines: parsed back with icalendar — two events in
Europe/Stockholm with a VTIMEZONE, no personal data anywhere in the file, stable UIDs, a new
time and a cancellation that update the same events."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import peewee
import pytest
from icalendar import Calendar

from sipdesk.casework import consent, contacts
from sipdesk.errors import ValidationError
from sipdesk.meetings import calendar_files, invitation
from sipdesk.meetings.invitation import InvitationDraft, Meeting, ParticipantInput, ParticipantKind
from sipdesk.storage.models import Case, Law, Person, Principal, PrincipalKind, Role, User
from tests.factories import PNR_ADULT, PNR_OTHER, make_case, make_person, make_unit, make_user

NOW = dt.datetime(2026, 11, 23, 9, 0)
WINTER = dt.datetime(2026, 12, 10, 13, 0)
SUMMER = dt.datetime(2027, 6, 10, 9, 30)
STOCKHOLM = ZoneInfo("Europe/Stockholm")
PURPOSE = "Stödet efter fallet och minnesproblemen"


@pytest.fixture
def officer(db: peewee.Database) -> User:
    user = make_user("anna.berg", unit=make_unit("Biståndsenheten"))
    user.email = "anna.berg@exempelby.se"
    user.save()
    return user


def send(officer: User, *, pnr: str = PNR_ADULT, **changes: object) -> Meeting:
    manager = User.get_or_none(User.login == "maria.holm") or make_user(
        "maria.holm", unit=make_unit("Hemtjänst Norr"), full_name="Maria Holm",
        role=Role.UNIT_MANAGER)
    nurse = User.get_or_none(User.login == "per.nord") or make_user(
        "per.nord", full_name="Per Nord", unit=make_unit(
            "Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
            kind=PrincipalKind.REGION))
    person = make_person(pnr)
    person.address, person.postal_code, person.city = "Storgatan 1", "123 45", "Exempelby"
    person.save()
    case = make_case(officer, Person.get_by_id(person.id))
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Samordning",
        principals=[Principal.get(Principal.name == "Exempelby kommun"),
                    Principal.get(Principal.name == "Region Exempelland")]), today=NOW.date())
    draft = InvitationDraft(
        purpose=PURPOSE,
        participants=[ParticipantInput(ParticipantKind.PERSON, person.full_name)] + [
            ParticipantInput.from_directory(contacts.entry(contacts.EntryKind.USER, u.id))
            for u in (manager, nurse)],
        starts_at=WINTER, staff_meeting_at=WINTER - dt.timedelta(days=3, hours=4),
        staff_meeting_place="Teams")
    for key, value in changes.items():
        setattr(draft, key, value)
    return invitation.send_invitation(officer, Case.get_by_id(case.id), draft, current=NOW)


def parse(meeting: Meeting) -> Calendar:
    return Calendar.from_ical(calendar_files.calendar_bytes(Meeting.get_by_id(meeting.id)))


def test_two_events_in_stockholm_time_with_a_vtimezone(officer: User) -> None:
    calendar = parse(send(officer))
    assert calendar["METHOD"] == "PUBLISH"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Stockholm"]
    sip, staff = calendar.events
    assert sip.start == dt.datetime(2026, 12, 10, 13, 0, tzinfo=STOCKHOLM)
    assert sip.end - sip.start == dt.timedelta(minutes=45)
    assert sip.start.utcoffset() == dt.timedelta(hours=1)  # winter time
    assert sip["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert str(sip.start.tzinfo) == "Europe/Stockholm"
    assert staff.start == dt.datetime(2026, 12, 7, 9, 0, tzinfo=STOCKHOLM)
    assert str(sip["SUMMARY"]).startswith("SIP-möte SIP-2026-")
    assert str(staff["SUMMARY"]) == f"Tjänstemannamöte inför {sip['SUMMARY']}"
    assert str(sip["STATUS"]) == "CONFIRMED"
    assert str(staff["LOCATION"]) == "Teams"
    assert str(sip["ORGANIZER"]) == "mailto:anna.berg@exempelby.se"


def test_summer_time_is_right_too(officer: User) -> None:
    meeting = send(officer, starts_at=SUMMER, staff_meeting_at=SUMMER - dt.timedelta(days=2))
    sip, _staff = parse(meeting).events
    assert sip.start.utcoffset() == dt.timedelta(hours=2)
    assert sip.start.astimezone(dt.UTC) == dt.datetime(2027, 6, 10, 7, 30, tzinfo=dt.UTC)


def test_no_personal_data_in_the_calendar_file(officer: User) -> None:
    """Calendars are shared: no name, personal number, address or purpose; a home meeting is
    only "Hemma hos den enskilde"."""
    meeting = send(officer)
    raw = calendar_files.calendar_bytes(meeting).decode()
    person = Case.get_by_id(meeting.case_id).person
    for private in (person.first_name, person.last_name, person.personal_number,
                    person.personal_number[2:8], "Storgatan", "123 45", "fallet",
                    "minnesproblem"):
        assert private not in raw
    sip = Calendar.from_ical(raw).events[0]
    assert str(sip["LOCATION"]) == "Hemma hos den enskilde"
    assert str(sip["DESCRIPTION"]) == "Se ärendet i sipdesk."
    case_number = Case.get_by_id(meeting.case_id).number
    assert calendar_files.file_name(case_number) == f"sip-mote-{case_number}.ics"


def test_another_place_and_a_video_link(officer: User) -> None:
    meeting = send(officer, place="Kommunhuset, rum 3", place_reason="Hissen är trasig",
                   video_link="https://video.example/sip-42")
    sip, _staff = parse(meeting).events
    assert str(sip["LOCATION"]) == "Kommunhuset, rum 3"
    assert str(sip["DESCRIPTION"]) == (
        "Se ärendet i sipdesk.\nVideolänk: https://video.example/sip-42")


def test_without_staff_meeting_one_event(officer: User) -> None:
    meeting = send(officer, staff_meeting_at=None,
                   staff_meeting_skipped_reason="Alla träffades förra veckan")
    assert len(parse(meeting).events) == 1


def test_uids_are_stable_and_a_new_time_raises_the_sequence(officer: User) -> None:
    meeting = send(officer)
    first = parse(meeting).events
    again = parse(meeting).events
    assert [e["UID"] for e in first] == [e["UID"] for e in again]
    assert first[0]["UID"] != first[1]["UID"]
    assert all(str(e["UID"]).endswith("@sipdesk") for e in first)
    invitation.reschedule(officer, Meeting.get_by_id(meeting.id),
                          starts_at=WINTER + dt.timedelta(days=1), reason="Läkaren är sjuk",
                          current=NOW)
    moved = parse(meeting).events
    assert moved[0]["UID"] == first[0]["UID"]
    assert moved[0]["SEQUENCE"] > first[0]["SEQUENCE"]
    assert moved[0].start == dt.datetime(2026, 12, 11, 13, 0, tzinfo=STOCKHOLM)
    other = send(officer, pnr=PNR_OTHER)
    assert parse(other).events[0]["UID"] != first[0]["UID"]


def test_a_cancelled_meeting_cancels_the_same_events(officer: User) -> None:
    meeting = send(officer)
    before = parse(meeting).events
    invitation.cancel_meeting(officer, Meeting.get_by_id(meeting.id), reason="Sjuk",
                              person_told=True, current=NOW)
    calendar = parse(meeting)
    assert calendar["METHOD"] == "CANCEL"
    assert [e["UID"] for e in calendar.events] == [e["UID"] for e in before]
    for event, earlier in zip(calendar.events, before, strict=True):
        assert str(event["STATUS"]) == "CANCELLED"
        assert event["SEQUENCE"] > earlier["SEQUENCE"]
        assert str(event["SUMMARY"]).startswith("Inställt: ")
        assert event.start == earlier.start


def test_write_to_a_file_or_a_folder(officer: User, tmp_path: Path) -> None:
    meeting = send(officer)
    number = Case.get_by_id(meeting.case_id).number
    into_folder = calendar_files.write_calendar(meeting.id, tmp_path)
    assert into_folder == tmp_path / f"sip-mote-{number}.ics"
    named = calendar_files.write_calendar(meeting.id, tmp_path / "möte.ics")
    assert Calendar.from_ical(named.read_bytes()).events[0]["UID"] == \
        Calendar.from_ical(into_folder.read_bytes()).events[0]["UID"]
    with pytest.raises(ValidationError) as info:
        calendar_files.write_calendar(meeting.id, tmp_path / "möte.txt")
    assert info.value.message == "Kalenderfilen ska sluta på .ics."
