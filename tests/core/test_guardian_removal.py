"""Removing a child's guardian when custody changes (seed 002; sipdesk.casework.guardian_removal),
on both engines.

Rules named here:
- **a removed guardian's answers and consents are kept** — the guardian is kept as a former
  guardian; the consent in force stays (the guardians who remain gave it too), and the history
  names who answered; from then on the former guardian does not decide, gets no paper and is
  not offered in the kallelse, and their answer waiting for a consent no longer counts;
- **only one who may change the case removes a guardian** (`access.require_can_change`), on an
  open case, with the reason written down (audit entry);
- after one of two guardians with joint custody is removed, a new consent asks for the custody
  to be put right (the rule "both guardians must consent").
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.accounts import access, audit
from sipdesk.casework import consent, guardian_answers, guardian_removal, guardians, people
from sipdesk.casework.consent_page import consent_page
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.casework.guardian_removal import former_guardians_of, remove_guardian
from sipdesk.casework.lifecycle import ClosureReason, close_case
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.storage.guardian_records import GuardianAnswer, GuardianHow
from sipdesk.storage.models import (
    Case,
    ContactKind,
    Person,
    PersonContact,
    Principal,
    PrincipalKind,
    User,
)
from tests.core.test_guardians import TODAY, consent_input, father, mother, yes
from tests.factories import PNR_CHILD, PNR_OTHER, make_case, make_person, make_unit, make_user


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


@pytest.fixture
def principals(officer: User) -> list[Principal]:
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": PrincipalKind.REGION.value})
    return [officer.unit.principal, region]


@pytest.fixture
def child(officer: User) -> Person:
    return make_person(PNR_CHILD, "Liv", "Åkesson")


def test_a_removed_guardians_answers_and_consents_are_kept(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Custody changed (the mother has sole custody now): the father is removed. Nothing he
    answered is deleted — his row stays as a former guardian, his yes stays on the consent,
    which is still in force — but he no longer decides, gets no paper and is not offered in the
    kallelse."""
    eva, per = mother(officer, child), father(officer, child)
    case = make_case(officer, child)
    given = consent.register_consent(officer, case, consent_input(
        principals, guardian_answers=[yes(eva), yes(per, GuardianHow.WRITTEN)]), today=TODAY)

    removed = remove_guardian(officer, case, PersonContact.get_by_id(per.id),
                              reason="Tingsrättens dom 2026-11-01: ensam vårdnad för mamman")
    assert removed.kind == ContactKind.FORMER_GUARDIAN.value
    assert PersonContact.get_by_id(per.id).name == "Per Åkesson"  # kept
    assert [g.id for g in guardians.guardians_of(child)] == [eva.id]
    assert [g.id for g in former_guardians_of(child.id)] == [per.id]
    assert per.id not in {c.id for c in people.contacts_of(child)}  # not in the kallelse
    assert [g.name for g in guardians.paper_for(child, on=TODAY).guardians] == ["Eva Åkesson"]
    # His answer and the consent resting on it are as they were.
    answers = guardian_answers.answers_of_consents([given.id])[given.id]
    assert [(a.guardian.name, a.consents) for a in answers] == [
        ("Eva Åkesson", True), ("Per Åkesson", True)]
    assert [g.name for g in consent.guardians_who_consented(given)] == [
        "Eva Åkesson", "Per Åkesson"]
    assert consent.active_consent(case).id == given.id
    page = consent_page(Case.get_by_id(case.id), TODAY)
    assert page.current is not None and any("Per Åkesson" in g for g in page.current.guardians)
    # The audit entry says why, on the case.
    entry = next(e for e in audit.case_log(case.id) if e.summary.startswith("Vårdnadshavare"))
    assert entry.summary.startswith("Vårdnadshavare borttagen (Tingsrättens dom 2026-11-01")
    assert "svar och samtycken finns kvar" in entry.summary


def test_a_removed_guardians_waiting_answer_no_longer_counts(
        officer: User, child: Person) -> None:
    """A no from a guardian who has since lost custody is kept, but no longer waits for the
    consent: only the child's guardians decide."""
    eva, per = mother(officer, child), father(officer, child)
    case = make_case(officer, child)
    guardian_answers.record_guardian_answers(officer, case, [
        yes(eva), AnswerInput(per, False, TODAY, GuardianHow.ORAL, "Vill inte")], today=TODAY)
    assert set(guardian_answers.pending_answers(case)) == {eva.id, per.id}
    remove_guardian(officer, case, PersonContact.get_by_id(per.id), reason="Ny dom om vårdnad")
    assert set(guardian_answers.pending_answers(case)) == {eva.id}
    assert GuardianAnswer.select().where(GuardianAnswer.guardian == per.id).count() == 1


def test_after_removing_one_of_two_joint_guardians_the_custody_is_put_right(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Both guardians must consent: with one guardian left who still has joint custody a new
    consent asks for the other; once the custody is changed to sole, hers is enough."""
    eva, per = mother(officer, child), father(officer, child)
    case = make_case(officer, child)
    remove_guardian(officer, case, PersonContact.get_by_id(per.id), reason="Ny dom om vårdnad")
    problems = consent.consent_problems(case, consent_input(principals,
                                                            guardian_answers=[yes(eva)]),
                                        today=TODAY)
    assert "gemensam vårdnad" in problems["guardians"]
    guardians.update_guardian(officer, PersonContact.get_by_id(eva.id), guardians.GuardianInput(
        "Eva Åkesson", guardians.Custody.SOLE, relation="mamma", phone="070-111 22 33",
        address="Björkvägen 3, 123 45 Exempelby"))
    consent.register_consent(officer, case, consent_input(principals,
                                                          guardian_answers=[yes(eva)]),
                             today=TODAY)


def test_only_one_who_may_change_the_case_removes_a_guardian(
        officer: User, child: Person) -> None:
    """The change rule (access.require_can_change): a colleague of another unit of the same
    municipality reads the case but may not remove a guardian; nor may anyone once the case has
    ended. The reason is asked for at its field; a contact who is no guardian is not found."""
    eva = mother(officer, child)
    case = make_case(officer, child)
    reader = make_user("lena.strand", unit=make_unit("Äldreboendet Sol"),
                       full_name="Lena Strand")
    assert access.can_see(reader, case) and not access.can_change(reader, case)
    with pytest.raises(PermissionDenied):
        remove_guardian(reader, case, PersonContact.get_by_id(eva.id), reason="Ny dom")
    with pytest.raises(ValidationError) as info:
        remove_guardian(officer, case, PersonContact.get_by_id(eva.id), reason="  ")
    assert info.value.field == "reason" and "varför" in info.value.message
    aunt = people.add_contact(child, actor=officer, kind=ContactKind.RELATIVE, name="Moster Ann")
    with pytest.raises(NotFoundError):
        remove_guardian(officer, case, aunt, reason="Fel")
    other_child = make_person(PNR_OTHER, "Bo", "Ek")
    with pytest.raises(NotFoundError):  # a guardian of another child, through this case
        remove_guardian(officer, make_case(officer, other_child),
                        PersonContact.get_by_id(eva.id), reason="Fel")
    close_case(officer, case, closed_on=dt.date(2026, 11, 22),
               reason=ClosureReason.GOALS_MET, today=dt.date(2026, 11, 22))
    with pytest.raises(PermissionDenied):
        remove_guardian(officer, Case.get_by_id(case.id), PersonContact.get_by_id(eva.id),
                        reason="Ny dom")
    assert PersonContact.get_by_id(eva.id).kind == ContactKind.GUARDIAN.value
    assert guardian_removal.removal_problems("x" * 201)["reason"]
