"""Small core helpers the case view uses: validation as you type for withdrawal, "tackar nej"
and menprövning (the same messages the use cases raise), the guardians who consented, the
menprövningar of a case, the principals to choose from, a person's other cases and sorting the
case list by consent — on both engines."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk import clock
from sipdesk.casework import consent, lifecycle, people
from sipdesk.casework.consent import ConsentInput, ConsentKind, HarmConclusion
from sipdesk.casework.lifecycle import ClosureReason
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter, SortKey
from sipdesk.errors import ValidationError
from sipdesk.storage.models import Case, ContactKind, Principal, PrincipalKind, User
from tests.factories import PNR_CHILD, PNR_OTHER, make_case, make_person, make_user

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


def region() -> Principal:
    found, _ = Principal.get_or_create(name="Region Exempelland",
                                       defaults={"kind": PrincipalKind.REGION.value})
    return found


def give(officer: User, case: Case, **changes: object) -> consent.Consent:
    values: dict[str, object] = dict(kind=ConsentKind.ORAL, given_on=TODAY, covers="Stöd hemma",
                                     principals=[officer.unit.principal, region()])
    values.update(changes)
    return consent.register_consent(officer, case, ConsentInput(**values),  # type: ignore[arg-type]
                                    today=TODAY)


def test_withdrawal_problems_match_what_withdraw_raises(officer: User) -> None:
    case = make_case(officer)
    given = give(officer, case, given_on=TODAY - dt.timedelta(days=10))
    assert consent.withdrawal_problems(given, withdrawn_on=TODAY, how="Per telefon",
                                       today=TODAY) == {}
    problems = consent.withdrawal_problems(given, withdrawn_on=TODAY + dt.timedelta(days=1),
                                           how=" ", today=TODAY)
    assert problems == {
        "withdrawn_on": "Datumet kan inte ligga i framtiden.",
        "how": "Skriv hur den enskilde återkallade samtycket, t.ex. muntligt per telefon.",
    }
    early = consent.withdrawal_problems(given, withdrawn_on=TODAY - dt.timedelta(days=11),
                                        how="x", today=TODAY)
    assert early == {"withdrawn_on": "Datumet ligger före samtycket."}
    with pytest.raises(ValidationError) as info:
        consent.withdraw_consent(officer, Case.get_by_id(case.id), withdrawn_on=TODAY, how="",
                                 today=TODAY)
    assert (info.value.field, info.value.message) == ("how", problems["how"])


def test_declined_and_harm_problems(officer: User) -> None:
    assert consent.declined_problems(declined_on=TODAY, note="Sa nej vid besök",
                                     today=TODAY) == {}
    assert set(consent.declined_problems(declined_on=TODAY + dt.timedelta(days=1), note="",
                                         today=TODAY)) == {"declined_on", "note"}
    assert consent.harm_assessment_problems(assessed_on=TODAY, contacts="Dottern",
                                            today=TODAY) == {}
    problems = consent.harm_assessment_problems(assessed_on=TODAY, contacts="", today=TODAY)
    assert list(problems) == ["contacts"]
    case = make_case(officer)
    with pytest.raises(ValidationError) as info:
        consent.record_declined(officer, case, declined_on=TODAY, note=" ", today=TODAY)
    assert info.value.field == "note"
    with pytest.raises(ValidationError) as info:
        consent.record_harm_assessment(officer, case, assessed_on=TODAY, contacts="",
                                       conclusion=HarmConclusion.NO_HARM, today=TODAY)
    assert (info.value.field, info.value.message) == ("contacts", problems["contacts"])


def test_guardians_who_consented_and_harm_assessments(officer: User) -> None:
    child = make_person(PNR_CHILD, "Ella", "Åberg")
    mother = people.add_contact(child, actor=officer, kind=ContactKind.GUARDIAN, name="Mira Åberg")
    father = people.add_contact(child, actor=officer, kind=ContactKind.GUARDIAN, name="Olle Åberg")
    case = make_case(officer, child)
    given = give(officer, case, guardians=[mother, father])
    assert [g.name for g in consent.guardians_who_consented(given)] == ["Mira Åberg", "Olle Åberg"]

    other = make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    assert consent.harm_assessments_of(other) == []
    consent.record_harm_assessment(officer, other, assessed_on=TODAY, contacts="Sonen Per",
                                   conclusion=HarmConclusion.NO_HARM, today=TODAY)
    [made] = consent.harm_assessments_of(other)
    assert (made.contacts, made.assessed_by.full_name) == ("Sonen Per", "Anna Berg")


def test_principal_choices_municipality_first(officer: User) -> None:
    Principal.create(name="Akademiska skolan", kind=PrincipalKind.OTHER.value)
    region()
    assert [p.name for p in consent.principal_choices()] == [
        "Exempelby kommun", "Region Exempelland", "Akademiska skolan"]


def test_cases_of_person_and_sorting_by_consent(officer: User) -> None:
    person = make_person()
    old = make_case(officer, person)
    new = make_case(officer, person)
    make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    assert [c.id for c in cases.cases_of_person(person, exclude=old)] == [new.id]
    assert [c.id for c in cases.cases_of_person(person)] == [new.id, old.id]

    give(officer, old, given_on=TODAY - dt.timedelta(days=300))
    give(officer, new)
    rows = cases.fetch_cases(CaseFilter(), officer, sort=SortKey.CONSENT, descending=True)
    dated = [r.id for r in rows if r.consent_valid_until is not None]
    assert dated == [new.id, old.id]


def test_need_problems_match_what_register_need_raises(officer: User) -> None:
    need = lifecycle.NeedInput(noticed_by=lifecycle.NoticedBy.RELATIVE, noticed_on=TODAY,
                               need="", question="")
    problems = lifecycle.need_problems(need, today=TODAY)
    assert list(problems) == ["need", "question", "noticed_by_name"]
    assert problems["noticed_by_name"] == "Ange vilken närstående som uppmärksammade behovet."
    with pytest.raises(ValidationError) as info:
        lifecycle.register_need(officer, make_case(officer), need, today=TODAY)
    assert (info.value.field, info.value.message) == ("need", problems["need"])
    fine = lifecycle.NeedInput(noticed_by=lifecycle.NoticedBy.STAFF, noticed_on=TODAY,
                               need="Jag klarar inte trappan", question="Hur kan jag bo kvar?",
                               noticed_by_user=officer)
    assert lifecycle.need_problems(fine, today=TODAY) == {}


def test_closure_and_refusal_problems(officer: User) -> None:
    person = make_person()
    old, new = make_case(officer, person), make_case(officer, person)
    stranger = make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    today = clock.today()
    replaced = ClosureReason.REPLACED
    assert lifecycle.closure_problems(old, closed_on=today, reason=replaced,
                                      today=today) == {
        "replaced_by": "Välj den nya SIP som ersätter den här.",
        "person_agreed": "Den enskilde måste ha gått med på att en ny SIP ersätter den här.",
    }
    assert lifecycle.closure_problems(old, closed_on=today, reason=replaced,
                                      replaced_by=stranger, person_agreed=True,
                                      today=today) == {
        "replaced_by": "Den nya SIP:en måste gälla samma person."}
    assert lifecycle.closure_problems(old, closed_on=today, reason=replaced, replaced_by=new,
                                      person_agreed=True, today=today) == {}
    assert list(lifecycle.closure_problems(old, closed_on=today + dt.timedelta(days=1),
                                           reason=ClosureReason.GOALS_MET, today=today)) == [
        "closed_on"]
    with pytest.raises(ValidationError) as info:
        lifecycle.close_case(officer, old, closed_on=today, reason=replaced, replaced_by=new)
    assert info.value.field == "person_agreed"
    assert lifecycle.refusal_problems("  ") == {
        "reason": "Ange skälet till att SIP inte upprättas."}
    assert lifecycle.refusal_problems("Behovet tillgodoses redan") == {}


def test_an_ended_cases_lapsed_consent_does_not_wait_for_anyone(officer: User) -> None:
    """The case list's "Något väntar på dig" marker: a lapsing consent waits for the
    coordinator only while the case is open."""
    open_case, ended = make_case(officer), make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    for case in (open_case, ended):
        give(officer, case, given_on=TODAY - dt.timedelta(days=350))
    lifecycle.close_case(officer, Case.get_by_id(ended.id), closed_on=TODAY,
                         reason=ClosureReason.GOALS_MET, today=TODAY)
    rows = {r.id: r for r in cases.fetch_cases(CaseFilter(), officer, today=TODAY)}
    assert rows[open_case.id].waiting
    assert not rows[ended.id].waiting
