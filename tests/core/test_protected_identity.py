"""Protected identities (skyddade personuppgifter, issue 12), on both engines: the address is on
no screen's read model, letter, consent form, printed plan or calendar file; the case list
shows the name only to the coordinator and participants; a case opens only with a reason, which
the log keeps; only the coordinator or an administrator marks a person."""

from __future__ import annotations

import datetime as dt
import io

import peewee
import pytest
from pypdf import PdfReader

from reports.consent_form import render_consent_form
from reports.letters import LetterKind, planned_letters, render_letters
from reports.plan import render_plan
from sipdesk.accounts.access import NOT_YOURS
from sipdesk.accounts.audit import AuditEntry
from sipdesk.casework import people, protected
from sipdesk.desk import case_page, cases
from sipdesk.desk.cases import CaseFilter
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.meetings import invitation, meeting
from sipdesk.meetings.calendar_files import calendar_bytes
from sipdesk.meetings.invitation import Meeting, ParticipantKind
from sipdesk.meetings.invitation_start import person_participant
from sipdesk.plans import plan
from sipdesk.storage.models import Person, PrincipalKind, Protection, Role
from tests.factories import make_person, make_unit, make_user
from tests.scenarios import MEETING, NOW, good_draft, kallelse_world

STREET, POSTAL_CODE, CITY = "Hemliggatan 7", "123 45", "Gömstad"
SECRET = (STREET, CITY, "Hemliggatan")


def with_address(world: dict) -> dict:
    person = Person.get_by_id(world["case"].person_id)
    Person.update(address=STREET, postal_code=POSTAL_CODE, city=CITY).where(
        Person.id == person.id).execute()
    world["case"] = cases.get_case(world["case"].id)
    return world


def home_draft(world: dict) -> invitation.InvitationDraft:
    """`good_draft` with the person as the kallelse wizard adds them: with the home address."""
    draft = good_draft(world)
    draft.participants[0] = person_participant(world["case"])
    return draft


def invite(world: dict) -> Meeting:
    row = invitation.send_invitation(world["officer"], world["case"], home_draft(world),
                                     current=NOW)
    assert STREET in row.place  # the copies to forget once the person is protected
    assert any(STREET in p.address for p in invitation.participants_of(row))
    return row


def protect(world: dict) -> None:
    protected.set_protection(world["officer"], world["case"].person_id,
                             Protection.PROTECTED_REGISTRATION)
    world["case"] = cases.get_case(world["case"].id)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def assert_no_address(text: str) -> None:
    for part in SECRET:
        assert part not in text


@pytest.fixture
def invited(db: peewee.Database) -> dict:
    """A planned meeting at the person's home, invited while the address was known; then the
    person is marked protected."""
    world = with_address(kallelse_world())
    world["meeting"] = invite(world)
    protect(world)
    return world


def test_no_address_in_the_letters_and_the_persons_letter_goes_via_the_coordinator(
        invited: dict, tmp_path: object) -> None:
    person_letter = planned_letters(invited["meeting"])[0]
    assert person_letter.kind is LetterKind.PERSON
    assert person_letter.organisation == "c/o Anna Berg, Biståndsenheten"
    assert person_letter.address == (protected.FORWARD_NOTE,)
    assert not person_letter.postal_code_missing
    written = render_letters(invited["meeting"].id, tmp_path, one_file=True,  # type: ignore
                             today=NOW.date())
    text = pdf_text(written[0].read_bytes())
    assert_no_address(text)
    assert "Åsa Öberg" in text and protected.FORWARD_NOTE in text


def test_no_address_in_the_calendar_file(invited: dict) -> None:
    ics = calendar_bytes(Meeting.get_by_id(invited["meeting"].id)).decode("utf-8")
    assert_no_address(ics.replace("\r\n ", ""))


def test_no_address_in_the_consent_form(invited: dict) -> None:
    buffer = io.BytesIO()
    render_consent_form(invited["case"].id, buffer)
    text = pdf_text(buffer.getvalue())
    assert_no_address(text)
    assert protected.HIDDEN_ADDRESS in text


def test_no_address_in_the_case_pages_read_model(invited: dict) -> None:
    page = case_page.open_case_page(invited["officer"], invited["case"].id, reason="Planering")
    assert (page.case.person.address, page.case.person.postal_code,
            page.case.person.city) == ("", "", "")
    again = case_page.read_case_page(invited["case"].id)
    assert again.case.person.address == ""
    rows = invitation.participants_of(invited["meeting"])
    assert all(STREET not in p.address for p in rows)


def test_no_address_in_the_printed_plan_written_before_the_person_was_marked(
        db: peewee.Database) -> None:
    world = with_address(kallelse_world())
    row = invite(world)
    meeting.mark_held(world["officer"], row, {p.id: True for p in invitation.participants_of(row)},
                      current=MEETING + dt.timedelta(hours=1))
    world["meeting"] = Meeting.get_by_id(row.id)
    version = plan.start_documentation(world["officer"], world["meeting"])
    assert any(STREET in p.contact for p in plan.participants(version))  # written down
    protect(world)
    buffer = io.BytesIO()
    render_plan(version.id, buffer)  # the staff plan: the participants' contact details
    text = pdf_text(buffer.getvalue())
    assert_no_address(text)
    assert "Åsa Öberg" in text


@pytest.fixture
def listed(invited: dict) -> dict:
    """Besides the invited: a colleague of the municipality, who may see the case (own
    principal) but neither coordinates it nor is invited, and an administrator."""
    invited["colleague"] = make_user("kim.kollega", unit=make_unit("Hemtjänst Söder"),
                                     full_name="Kim Kollega")
    invited["admin"] = make_user("admin", role=Role.ADMINISTRATOR, full_name="Ada Admin",
                                 unit=make_unit("IT"))
    return invited


def row_for(user: object, case_id: int) -> cases.CaseRow:
    rows = cases.fetch_cases(CaseFilter(), user)  # type: ignore[arg-type]
    return next(row for row in rows if row.id == case_id)


def test_the_case_list_masks_the_name_for_others_than_coordinator_and_participants(
        listed: dict) -> None:
    case_id = listed["case"].id
    for who in ("officer", "nurse"):  # the coordinator; a participant of another principal
        row = row_for(listed[who], case_id)
        assert (row.person_name, row.personal_number) == ("Åsa Öberg", "19400107-9120")
    for who in ("colleague", "admin"):
        row = row_for(listed[who], case_id)
        assert row.person_name == protected.MASKED_NAME
        assert "9120" not in row.personal_number and "Öberg" not in row.person_name


def test_a_search_by_name_or_number_finds_a_protected_person_only_for_those_who_see_the_name(
        listed: dict) -> None:
    case = listed["case"]
    for text in ("Öberg", "Åsa Ö", "19400107-9120", "4001079120"):
        for who, found in (("officer", 1), ("nurse", 1), ("colleague", 0), ("admin", 0)):
            user = listed[who]
            assert cases.count_cases(CaseFilter(text=text), user) == found, (text, who)
            rows = cases.fetch_cases(CaseFilter(text=text), user)
            assert [row.id for row in rows] == [case.id] * found
    # By case number, the colleague finds it — masked.
    rows = cases.fetch_cases(CaseFilter(text=case.number), listed["colleague"])
    assert [(row.id, row.person_name) for row in rows] == [(case.id, protected.MASKED_NAME)]


def test_opening_needs_a_reason_and_the_log_keeps_it(listed: dict) -> None:
    case_id, colleague = listed["case"].id, listed["colleague"]
    for reason in (None, "   "):
        with pytest.raises(ValidationError) as refused:
            cases.open_case(colleague, case_id, reason=reason)
        assert refused.value.field == "reason" and "skäl" in refused.value.message.casefold()
    cases.open_case(colleague, case_id, reason="Förbereder  mötet")
    entry = (AuditEntry.select().where(AuditEntry.user == colleague.id)
             .order_by(AuditEntry.id.desc()).get())
    assert entry.case_id == case_id
    assert "Skäl: Förbereder mötet" in entry.summary
    assert STREET not in entry.summary + entry.changes


def test_a_person_without_protection_opens_without_a_reason(db: peewee.Database) -> None:
    world = kallelse_world()
    assert cases.open_case(world["officer"], world["case"].id).id == world["case"].id


def test_only_the_coordinator_or_an_administrator_marks_a_person(listed: dict) -> None:
    person_id = listed["case"].person_id
    with pytest.raises(PermissionDenied) as refused:
        protected.set_protection(listed["colleague"], person_id, Protection.NONE)
    assert refused.value.message == protected.NOT_PERMITTED
    outsider = make_user("olle.ut", full_name="Olle Utanför", unit=make_unit(
        "Vårdcentral Grannby", principal="Region Grannland", kind=PrincipalKind.REGION))
    with pytest.raises(PermissionDenied) as refused:
        protected.set_protection(outsider, person_id, Protection.NONE)
    assert refused.value.message == NOT_YOURS
    protected.set_protection(listed["admin"], person_id, Protection.FICTITIOUS_IDENTITY)
    assert Person.get_by_id(person_id).protection == "fingerade_personuppgifter"
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).get()
    assert entry.user_id == listed["admin"].id
    assert entry.summary == "Skyddad identitet: Fingerade personuppgifter"


def test_a_new_meeting_for_a_protected_person_copies_no_address(invited: dict) -> None:
    person = invitation.participants_of(invited["meeting"])
    assert [p for p in person if p.kind == ParticipantKind.PERSON.value]
    assert person_participant(invited["case"]).address == ""
    place, at_home = invitation.place_of(invited["case"], good_draft(invited))
    assert at_home and place == protected.HOME_PLACE == invitation.HOME


def _others_beside(world: dict) -> list[int]:
    """Three more cases of the coordinator, for people around the protected one in the
    alphabet, born before her (Skatteverket test numbers)."""
    from sipdesk.demo import skatteverket_test_numbers

    taken = {p.personal_number for p in Person.select(Person.personal_number)}
    numbers = [n for n in skatteverket_test_numbers() if n not in taken and n < "1940"][:3]
    made = []
    for number, (first, last) in zip(numbers, (("Bo", "Ahl"), ("Cia", "Berg"),
                                              ("Dan", "Trulsson")), strict=True):
        person = make_person(number, first, last)
        made.append(cases.create_case(world["officer"], person=person).id)
    return made


def test_sorting_by_name_or_number_tells_nothing_of_a_masked_row(listed: dict) -> None:
    """Skyddade personuppgifter: sorted by name, a masked row takes the place of what it
    shows ("Skyddad identitet"), not of the real name — Öberg would sort last, and the place
    would say whose case it is. Sorted by personal number, it sorts before every number. The
    coordinator sees the real order."""
    _others_beside(listed)
    case_id = listed["case"].id

    def names(user: object, sort: cases.SortKey, descending: bool = False) -> list[str]:
        return [row.person_name for row in cases.fetch_cases(
            CaseFilter(), user, sort=sort, descending=descending)]  # type: ignore[arg-type]

    assert names(listed["officer"], cases.SortKey.NAME) == [
        "Bo Ahl", "Cia Berg", "Dan Trulsson", "Åsa Öberg"]
    for who in ("colleague", "admin"):
        assert names(listed[who], cases.SortKey.NAME) == [
            "Bo Ahl", "Cia Berg", protected.MASKED_NAME, "Dan Trulsson"], who
        assert names(listed[who], cases.SortKey.NAME, descending=True) == [
            "Dan Trulsson", protected.MASKED_NAME, "Cia Berg", "Bo Ahl"], who
        # The protected person is born 1940, after the others: by number the masked row
        # sorts before every number, not last.
        by_number = cases.fetch_cases(CaseFilter(), listed[who],
                                      sort=cases.SortKey.PERSONAL_NUMBER, descending=False)
        assert by_number[0].id == case_id, who
        assert by_number[0].personal_number == protected.MASKED_NUMBER
    real = cases.fetch_cases(CaseFilter(), listed["officer"], sort=cases.SortKey.PERSONAL_NUMBER,
                             descending=False)
    assert real[-1].id == case_id


def test_the_new_case_search_finds_a_protected_person_by_name_only_for_those_who_see_it(
        listed: dict) -> None:
    """Skyddade personuppgifter in the new-case dialog's person search (people.search_persons,
    people.find_by_number): the coordinator and the invited find the person by name or part of
    the number, as before; anyone else only by the whole personal number — to open a new case
    for them — and then sees "Skyddad identitet", no address and no phone."""
    person_id = listed["case"].person_id
    Person.update(phone="070-111 22 33").where(Person.id == person_id).execute()
    for who in ("officer", "nurse"):
        for text in ("Öberg", "Åsa", "194001", "19400107-9120"):
            found = people.search_persons(text, actor=listed[who])
            assert [(p.id, p.full_name) for p in found] == [(person_id, "Åsa Öberg")], (who, text)
    for who in ("colleague", "admin"):
        user = listed[who]
        for text in ("Öberg", "Åsa Ö", "194001", "4001079"):
            assert people.search_persons(text, actor=user) == [], (who, text)
        for text in ("19400107-9120", "194001079120", "400107-9120"):
            [hit] = people.search_persons(text, actor=user)
            assert (hit.id, hit.full_name, hit.personal_number) == (
                person_id, protected.MASKED_NAME, "19400107-9120"), (who, text)
            assert (hit.address, hit.city, hit.phone, hit.last_name) == ("", "", "", "")
        typed = people.find_by_number("19400107-9120", actor=user)
        assert typed is not None and typed.full_name == protected.MASKED_NAME
        assert typed.phone == "" and typed.address == ""
        # A new case for them is theirs as registered, not the masked copy.
        case = cases.create_case(user, person=typed)
        assert Person.get_by_id(case.person_id).first_name == "Åsa"
    assert Person.get_by_id(person_id).first_name == "Åsa"  # the copies were never saved


def test_lifting_the_protection_gives_planned_meetings_their_address_back(
        invited: dict) -> None:
    """Skyddade personuppgifter lifted (set_protection to "Inget skydd"): nothing stays half
    hidden — the planned meeting at home says the address again and the person's participant
    row has it (a letter or call list made now is complete), the letter goes to the person
    again, not via the coordinator, the name shows in everyone's list and no reason is asked.
    A meeting already held keeps "Hemma hos den enskilde", as it was then."""
    world, planned = invited, Meeting.get_by_id(invited["meeting"].id)
    assert planned.place == protected.HOME_PLACE
    held = Meeting.create(case=world["case"], purpose="Förra mötet", starts_at=NOW,
                          place=protected.HOME_PLACE, at_home=True, created_by=world["officer"],
                          status=invitation.MeetingStatus.HELD.value)
    version = planned.version
    protected.set_protection(world["officer"], world["case"].person_id, Protection.NONE)
    planned = Meeting.get_by_id(planned.id)
    assert planned.place == f"{protected.HOME_PLACE} ({STREET}, {POSTAL_CODE} {CITY})"
    assert planned.version == version + 1  # a window showing the meeting sees the change
    person_row = next(p for p in invitation.participants_of(planned)
                      if p.kind == ParticipantKind.PERSON.value)
    assert person_row.address == f"{STREET}, {POSTAL_CODE} {CITY}"
    assert Meeting.get_by_id(held.id).place == protected.HOME_PLACE
    letter = planned_letters(planned)[0]
    assert letter.kind is LetterKind.PERSON and STREET in " ".join(letter.address)
    colleague = make_user("kim.kollega", unit=make_unit("Hemtjänst Söder"),
                          full_name="Kim Kollega")
    assert row_for(colleague, world["case"].id).person_name == "Åsa Öberg"
    assert cases.open_case(colleague, world["case"].id).id == world["case"].id  # no reason
    # Marked again, the copies are forgotten again.
    protect(world)
    assert Meeting.get_by_id(planned.id).place == protected.HOME_PLACE
