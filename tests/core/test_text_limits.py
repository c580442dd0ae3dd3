"""Text limits and unstorable characters (issue 13, hostile input), on both engines: each text
fits its column or is refused with a Swedish message at its field, never a database error; the
plan's long texts hold 20,000 characters; NUL and control characters are refused; searches
take anything."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.casework import drafts, people
from sipdesk.casework.contacts import search_directory
from sipdesk.desk import cases
from sipdesk.errors import NotFoundError, ValidationError
from sipdesk.meetings.invitation_start import person_participant
from sipdesk.messages import mailbox, messaging
from sipdesk.messages.messaging import Folder
from sipdesk.plans import plan
from sipdesk.storage.limits import LONG_TEXT, UNSTORABLE, max_chars, search_text
from sipdesk.storage.meeting_records import Participant
from sipdesk.storage.models import Person
from sipdesk.storage.plan_records import PlanVersion
from tests.factories import PNR_ADULT, PNR_OTHER, make_case, make_person, make_user
from tests.plan_scenarios import plan_world

TOO_LONG_FIRST_NAME = "Förnamnet får vara högst 100 tecken."


def person_input(**changes: str) -> people.PersonInput:
    data = people.PersonInput(PNR_ADULT, "Åsa", "Öberg")
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def refused(call: object, *args: object, **kwargs: object) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return caught.value


def test_a_text_columns_limit_is_read_from_the_column() -> None:
    assert max_chars(Person.first_name) == Person.first_name.max_length == 100
    assert max_chars(messaging.Message.subject) == messaging.MAX_SUBJECT
    for name in ("current_situation", "what_matters", "can_do_self", "main_goal"):
        assert max_chars(getattr(PlanVersion, name)) >= 20_000


def test_a_first_name_one_past_its_column_is_refused_at_the_field(db: peewee.Database) -> None:
    actor = make_user()
    problem = refused(people.create_person, person_input(first_name="Å" * 101), actor=actor)
    assert (problem.field, problem.message) == ("first_name", TOO_LONG_FIRST_NAME)
    assert people.person_problems(person_input(first_name="Å" * 101))["first_name"] \
        == problem.message
    assert Person.select().count() == 0


def test_a_first_name_exactly_at_its_column_is_stored(db: peewee.Database) -> None:
    person = people.create_person(person_input(first_name="Å" * 100), actor=make_user())
    assert Person.get_by_id(person.id).first_name == "Å" * 100


def test_a_nul_byte_in_a_city_is_refused_on_both_engines(db: peewee.Database) -> None:
    problem = refused(people.create_person, person_input(city="Exempel\x00by"),
                      actor=make_user())
    assert (problem.field, problem.message) == ("city", UNSTORABLE)
    assert Person.select().count() == 0


def test_a_control_character_in_a_name_is_refused_but_a_line_break_in_a_long_text_is_kept(
        db: peewee.Database) -> None:
    world = plan_world()
    problem = refused(people.create_person, person_input(last_name="Öb\x07erg"),
                      actor=world["officer"])
    assert (problem.field, problem.message) == ("last_name", UNSTORABLE)
    text = "Jag vill bo kvar.\n\tOch ha katten kvar.\r\nTack."
    plan.update_fields(world["officer"], world["plan"], {"what_matters": ("", text)})
    assert PlanVersion.get_by_id(world["plan"].id).what_matters == text


def test_a_plan_text_holds_20000_characters_and_not_one_more(db: peewee.Database) -> None:
    world = plan_world()
    words = ("Jag vill kunna bo kvar hemma. " * 700)[:LONG_TEXT]
    assert len(words) == LONG_TEXT >= 20_000
    plan.update_fields(world["officer"], world["plan"], {"main_goal": ("", words)})
    assert PlanVersion.get_by_id(world["plan"].id).main_goal == words
    problem = refused(plan.update_fields, world["officer"], world["plan"],
                      {"current_situation": ("", words + "x")})
    assert problem.field == "current_situation"
    assert problem.message == "Texten får vara högst 20\u00a0000 tecken."
    assert PlanVersion.get_by_id(world["plan"].id).current_situation == ""


def test_a_message_subject_one_past_its_column_or_with_nul_is_refused(
        db: peewee.Database) -> None:
    anna = make_user()
    per = make_user("per.nord", unit=anna.unit, full_name="Per Nord")
    problem = refused(messaging.send, anna, subject="R" * 201, body="Hej", to=[per])
    assert (problem.field, problem.message) == ("subject", "Rubriken får vara högst 200 tecken.")
    problem = refused(messaging.send, anna, subject="Möte\x00", body="Hej", to=[per])
    assert (problem.field, problem.message) == ("subject", UNSTORABLE)
    problem = refused(messaging.send, anna, subject="Möte", body="Hej\x00då", to=[per])
    assert (problem.field, problem.message) == ("body", UNSTORABLE)
    sent = messaging.send(anna, subject="R" * 200, body="Hej", to=[per])
    assert messaging.Message.get_by_id(sent.id).subject == "R" * 200


def test_storage_refuses_what_a_use_case_did_not_check_as_a_validation_error(
        db: peewee.Database) -> None:
    """The last line: a write straight through a model is refused before the driver sees it."""
    problem = refused(Person.create, personal_number=PNR_OTHER, pnr_short="4001167743",
                      first_name="Å" * 101, last_name="Öberg", name_key="x",
                      name_key_reversed="x")
    assert (problem.field, problem.message) == ("first_name", TOO_LONG_FIRST_NAME)
    problem = refused(lambda: Person.update(city="a\x00b").where(Person.id == 0).execute())
    assert problem.field == "city"


def test_a_name_that_grows_when_case_folded_is_stored(db: peewee.Database) -> None:
    """"ß" folds to "ss": the search keys of a 100-character name would not fit their column."""
    person = make_person(first="ß" * 100, last="ẞ" * 100)
    assert people.search_persons("ss" * 10) == [Person.get_by_id(person.id)]


def test_a_participant_made_from_the_longest_name_and_address_fits(db: peewee.Database) -> None:
    actor = make_user()
    person = people.create_person(person_input(first_name="A" * 100, last_name="B" * 100,
                                               address="C" * 200, postal_code="12345",
                                               city="D" * 100), actor=actor)
    row = person_participant(make_case(actor, person))
    assert len(row.name) <= max_chars(Participant.name)
    assert len(row.address) <= max_chars(Participant.address)


@pytest.mark.parametrize(("text", "finds_her"), [
    ("Öberg\x00", True), ("\x00" * 100_000, False), ("\ud800\x01", False),
    ("Ö" * 100_000, False)])
def test_searches_take_any_text_on_both_engines(db: peewee.Database, text: str,
                                                finds_her: bool) -> None:
    """A search never fails: what cannot be stored is not looked for (the rest is; a search
    of wildcards alone is a search for everyone, as before)."""
    actor = make_user()
    case = make_case(actor)
    assert people.search_persons(text) == ([Person.get_by_id(case.person_id)] if finds_her
                                           else [])
    flt = cases.CaseFilter(text=text)
    assert cases.count_cases(flt, actor) == len(cases.fetch_cases(flt, actor))
    assert isinstance(search_directory(text), list)
    assert mailbox.folder_count(actor, Folder.INBOX, text=text) == 0
    with pytest.raises(NotFoundError):
        cases.find_case_by_number(text, visible_to=actor)


def test_a_search_text_loses_its_control_characters_and_is_cut() -> None:
    assert search_text("Ö\x00berg\tÅsa\n") == "Öberg Åsa "
    assert len(search_text("a" * 100_000)) == 200


def test_a_draft_keeps_what_the_record_refuses(db: peewee.Database) -> None:
    """The wizard's draft is where typed text survives: it stores any character."""
    actor = make_user()
    case = make_case(actor)
    drafts.save_draft(actor, case, "kallelse", {"purpose": "Syfte\x00 \ud800 å"})
    assert drafts.load_draft(actor, case, "kallelse") == {"purpose": "Syfte\x00 \ud800 å"}


def test_a_plan_text_started_from_with_nul_is_refused_not_compared(db: peewee.Database) -> None:
    world = plan_world()
    problem = refused(plan.update_fields, world["officer"], world["plan"],
                      {"main_goal": ("Mål\x00", "Mål")})
    assert (problem.field, problem.message) == ("main_goal", UNSTORABLE)
