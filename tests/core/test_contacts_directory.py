"""The contact directory's additions for the Kontakter page and the kallelse tab, on both
engines: problems by field for the dialogs, editing a contact with the same rules as adding one,
search by principal, law, phone and e-mail, the interpreters proposed in the kallelse, and
reading back a meeting's staff record, mobile team check, surveys and deviations."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.casework import consent, contacts
from sipdesk.casework.contacts import EntryKind, OrganisationKind
from sipdesk.errors import NotFoundError, ValidationError
from sipdesk.meetings import invitation, meeting
from sipdesk.meetings.invitation import InvitationDraft, ParticipantInput, ParticipantKind
from sipdesk.meetings.meeting import StaffMeetingInput
from sipdesk.storage.models import Law, Principal, PrincipalKind, Role
from tests.factories import make_case, make_unit, make_user

NOW = dt.datetime(2026, 11, 23, 9, 0)
MEETING = dt.datetime(2026, 12, 10, 13, 0)


@pytest.fixture
def directory(db: peewee.Database) -> dict:
    manager = make_user("maria.holm", unit=make_unit("Hemtjänst Norr"), full_name="Maria Holm",
                        role=Role.UNIT_MANAGER)
    nurse_unit = make_unit("Vårdcentralen Exempelby", law=Law.HSL,
                           principal="Region Exempelland", kind=PrincipalKind.REGION)
    nurse = make_user("per.nord", unit=nurse_unit, full_name="Per Nord")
    region = Principal.get(Principal.name == "Region Exempelland")
    psych = contacts.add_organisation(manager, name="Psykiatrimottagningen", principal=region,
                                      kind=OrganisationKind.OUTPATIENT, law=Law.HSL,
                                      phone="010-123 00 00")
    doctor = contacts.add_contact(manager, psych, name="Eva Läkare", role="Läkare",
                                  email="eva.lakare@region.example")
    tolk = contacts.add_organisation(
        manager, name="Tolkförmedlingen", principal=contacts.ensure_principal(
            "Tolkförmedlingen Väst", PrincipalKind.OTHER),
        kind=OrganisationKind.INTERPRETER, law=Law.OTHER, phone="010-999 99 99")
    interpreter = contacts.add_contact(manager, tolk, name="Ali Tolk", role="Tolk")
    return {"manager": manager, "nurse": nurse, "psych": psych, "doctor": doctor,
            "interpreter": interpreter, "region": region}


def test_contact_problems_come_all_at_once_by_field(directory: dict) -> None:
    assert contacts.contact_problems(None, name="", email="fel") == {
        "organisation": "Välj vilken organisation kontakten hör till.",
        "name": "Ange kontaktens namn.",
        "email": "E-postadressen ser inte riktig ut.",
    }
    # The organisation's switchboard is enough to reach the contact.
    assert contacts.contact_problems(directory["psych"], name="Ny Läkare") == {}
    no_phone = contacts.add_organisation(
        directory["manager"], name="Rehab Exempelby", principal=directory["region"],
        kind=OrganisationKind.OUTPATIENT, law=Law.HSL)
    assert "phone" in contacts.contact_problems(no_phone, name="Ny Sjukgymnast")


def test_editing_a_contact_keeps_the_rules_of_adding_one(directory: dict) -> None:
    contact = contacts.get_contact(directory["doctor"].id)
    contact.name = "   "
    with pytest.raises(ValidationError) as info:
        contacts.update_contact(directory["manager"], contact)
    assert info.value.field == "name"
    contact = contacts.get_contact(directory["doctor"].id)
    contact.name = " Eva Överläkare "
    contact.phone = "010-123 45 67"
    contacts.update_contact(directory["manager"], contact)
    found = contacts.search_directory("överläk")
    assert [(e.name, e.phone) for e in found] == [("Eva Överläkare", "010-123 45 67")]


def test_get_contact_that_is_gone(directory: dict) -> None:
    with pytest.raises(NotFoundError):
        contacts.get_contact(99999)


def test_organisation_problems_and_duplicates(directory: dict) -> None:
    assert contacts.organisation_problems(name="", principal_name=" ") == {
        "name": "Ange organisationens namn.",
        "principal": "Ange huvudman, t.ex. Region Exempelland."}
    assert contacts.organisation_problems(
        name="Psykiatrimottagningen", principal_name="Region  Exempelland") == {
        "name": "Psykiatrimottagningen finns redan hos Region Exempelland."}
    assert contacts.organisation_problems(name="ASIH", principal_name="Region Exempelland") == {}
    assert [p.name for p in contacts.principals()] == [
        "Exempelby kommun", "Region Exempelland", "Tolkförmedlingen Väst"]


def test_the_duplicate_is_asked_apart_from_what_needs_no_database(directory: dict) -> None:
    """The dialog checks the typing without the database, and asks about a duplicate in the
    background: the two together are `organisation_problems`."""
    assert contacts.organisation_input_problems(
        name="Psykiatrimottagningen", principal_name="Region Exempelland") == {}
    assert contacts.organisation_duplicate(
        name=" Psykiatrimottagningen", principal_name="Region  Exempelland") == (
        "Psykiatrimottagningen finns redan hos Region Exempelland.")
    assert contacts.organisation_duplicate(name="ASIH", principal_name="Region Exempelland") == ""
    assert contacts.organisation_duplicate(name="Psykiatrimottagningen", principal_name="") == ""


def test_the_contact_dialog_opens_with_the_contact_or_the_organisation_beside(
        directory: dict) -> None:
    doctor, psych = directory["doctor"], directory["psych"]
    editing = contacts.contact_form(contact_id=doctor.id)
    assert editing.contact is not None and editing.contact.id == doctor.id
    assert editing.organisation_id == psych.id
    assert [o.id for o in editing.organisations] == [o.id for o in contacts.organisations()]
    beside = contacts.contact_form(beside=doctor.id)
    assert beside.contact is None and beside.organisation_id == psych.id
    assert contacts.contact_form().organisation_id is None
    with pytest.raises(NotFoundError):
        contacts.contact_form(contact_id=doctor.id + 1000)


@pytest.mark.parametrize(("text", "expected"), [
    ("region exempel", ["Eva Läkare", "Per Nord"]),  # the principal
    ("HSL", ["Eva Läkare", "Per Nord"]),  # the law
    ("sol", ["Maria Holm"]),
    ("eva.lakare@", ["Eva Läkare"]),  # e-mail
    ("010-999", ["Ali Tolk"]),  # the phone, the organisation's when the contact has none
    ("ÄKARE", ["Eva Läkare"]),  # Swedish letters fold on SQLite too
    ("psykiatri läkare", ["Eva Läkare"]),  # every word, in any field
    ("psykiatri sjuksköterska", []),
])
def test_directory_search_by_principal_law_phone_and_email(
    directory: dict, text: str, expected: list[str],
) -> None:
    assert [e.name for e in contacts.search_directory(text)] == expected


def test_interpreters_are_the_contacts_at_interpreter_services(directory: dict) -> None:
    found = contacts.interpreters()
    assert [(e.name, e.kind, e.is_interpreter, e.phone) for e in found] == [
        ("Ali Tolk", EntryKind.CONTACT, True, "010-999 99 99")]


def test_reading_back_a_meetings_records(directory: dict) -> None:
    officer = make_user("anna.berg", unit=make_unit("Biståndsenheten"))
    case = make_case(officer)
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Samordning",
        principals=[Principal.get(Principal.name == "Exempelby kommun"), directory["region"]]),
        today=NOW.date())
    draft = InvitationDraft(
        purpose="Samordna stödet", starts_at=MEETING, staff_meeting_skipped_reason="Behövs inte",
        participants=[
            ParticipantInput(ParticipantKind.PERSON, "Åsa Öberg"),
            ParticipantInput.from_directory(contacts.entry(EntryKind.USER,
                                                           directory["manager"].id)),
            ParticipantInput.from_directory(contacts.entry(EntryKind.USER,
                                                           directory["nurse"].id))])
    held = invitation.send_invitation(officer, case, draft, current=NOW)
    assert meeting.staff_record_of(held) is None
    assert meeting.mobile_team_check_of(held) is None
    assert meeting.surveys_of(held) == [] and meeting.deviations_of(held) == []
    meeting.record_staff_meeting(officer, held, StaffMeetingInput(
        held_on=NOW.date(), chair="Per Nord", note_taker="Maria Holm",
        writes_situation="Maria Holm", writes_main_goal="Per Nord"))
    meeting.record_mobile_team_check(officer, held, {"medicines": True})
    meeting.add_status_survey(officer, held, profession="Biståndshandläggare",
                              notes="Klarar inte att handla själv")
    people = invitation.participants_of(held)
    meeting.mark_held(officer, held, {p.id: p.name != "Per Nord" for p in people},
                      current=MEETING + dt.timedelta(hours=1))
    record = meeting.staff_record_of(held)
    assert record is not None and record.chair == "Per Nord"
    check = meeting.mobile_team_check_of(held)
    assert check is not None and check.medicines and not check.chronic_diagnoses
    assert [s.profession for s in meeting.surveys_of(held)] == ["Biståndshandläggare"]
    assert [d.principal_name for d in meeting.deviations_of(held)] == ["Region Exempelland"]
