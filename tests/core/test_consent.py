"""Consent and menprövning (DOMAIN.md step 2; seeds 000 "Samtycke", 003 step 1, 002 for
children), on both engines."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.accounts import audit
from sipdesk.casework import consent, lifecycle, people
from sipdesk.casework.consent import ConsentInput, ConsentKind, HarmConclusion
from sipdesk.casework.lifecycle import Action, ClosureReason
from sipdesk.errors import ValidationError
from sipdesk.storage.models import Case, CaseStatus, ContactKind, Principal, PrincipalKind, User
from tests.factories import PNR_CHILD, make_case, make_person, make_user

TODAY = dt.date(2026, 11, 22)
S = CaseStatus


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


@pytest.fixture
def case(officer: User) -> Case:
    return make_case(officer)


@pytest.fixture
def principals(officer: User) -> list[Principal]:
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": PrincipalKind.REGION.value})
    return [officer.unit.principal, region]


def oral(chosen: list[Principal], **changes: object) -> ConsentInput:
    values: dict[str, object] = dict(
        kind=ConsentKind.ORAL, given_on=TODAY, principals=chosen,
        covers="Samordning av hemtjänst och hemsjukvård efter fallolyckan",
        exclusions="Inget om ekonomin", relatives_to_invite="Dottern Greta")
    values.update(changes)
    return ConsentInput(**values)  # type: ignore[arg-type]


def test_oral_consent_is_recorded_and_moves_the_case(
    officer: User, case: Case, principals: list[Principal]
) -> None:
    given = consent.register_consent(officer, case, oral(principals), today=TODAY)
    stored = Case.get_by_id(case.id)
    assert stored.status == S.CONSENT_GIVEN.value
    assert (given.kind, given.taken_by.id, given.valid_until) == (
        "oral", officer.id, dt.date(2027, 11, 22))
    assert [p.name for p in consent.principals_of(given)] == [
        "Exempelby kommun", "Region Exempelland"]
    assert lifecycle.check(stored, Action.INVITE, today=TODAY) is None
    log = [line.summary for line in audit.case_log(case.id)]
    assert log[:2] == ["Behov registrerat → Samtycke finns",
                       "Samtycke registrerat (muntligt), gäller till och med 2027-11-22"]


@pytest.mark.parametrize(
    ("given_on", "default_until"),
    [
        (dt.date(2026, 3, 1), dt.date(2027, 3, 1)),
        (dt.date(2024, 2, 29), dt.date(2025, 2, 28)),  # leap day: not 1 March
        (dt.date(2023, 2, 28), dt.date(2024, 2, 28)),
    ],
)
def test_consent_is_valid_at_most_one_year(
    officer: User, case: Case, principals: list[Principal], given_on: dt.date,
    default_until: dt.date,
) -> None:
    """Seed 003: "Samtycket gäller max 1 år" — the default, and never later."""
    too_late = default_until + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, oral(principals, given_on=given_on,
                                                     valid_until=too_late), today=TODAY)
    assert info.value.field == "valid_until"
    assert f"senast {default_until:%Y-%m-%d}" in info.value.message
    given = consent.register_consent(officer, case, oral(principals, given_on=given_on),
                                     today=TODAY)
    assert given.valid_until == default_until


def test_shorter_validity_is_allowed(officer: User, case: Case,
                                     principals: list[Principal]) -> None:
    given = consent.register_consent(
        officer, case, oral(principals, valid_until=dt.date(2027, 1, 31)), today=TODAY)
    assert given.valid_until == dt.date(2027, 1, 31)


@pytest.mark.parametrize(("changes", "field"), [
    ({"covers": "  "}, "covers"),
    ({"principals": []}, "principals"),
    ({"given_on": TODAY + dt.timedelta(days=1)}, "given_on"),
    ({"valid_until": TODAY - dt.timedelta(days=1)}, "valid_until"),
])
def test_bad_consent_input_is_named_and_nothing_is_written(
    officer: User, case: Case, principals: list[Principal], changes: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, oral(principals, **changes), today=TODAY)
    assert info.value.field == field
    assert consent.consents_of(case) == []
    assert Case.get_by_id(case.id).status == S.NEED_REGISTERED.value


def test_child_needs_every_guardians_consent(officer: User,
                                             principals: list[Principal]) -> None:
    """Seed 002: for a child the guardians consent; with two guardians both are needed."""
    child = make_person(PNR_CHILD, "Liv", "Åkesson")
    case = make_case(officer, child)
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, oral(principals), today=TODAY)
    assert info.value.field == "guardians"
    assert "registrera vårdnadshavare" in info.value.message

    mother = people.add_contact(child, actor=officer, kind=ContactKind.GUARDIAN,
                                name="Eva Åkesson")
    father = people.add_contact(child, actor=officer, kind=ContactKind.GUARDIAN,
                                name="Per Åkesson")
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, oral(principals, guardians=[mother]),
                                 today=TODAY)
    assert info.value.message == "Båda vårdnadshavarna behöver samtycka."
    given = consent.register_consent(officer, case,
                                     oral(principals, guardians=[mother, father]), today=TODAY)
    assert sorted(g.guardian.name for g in given.guardian_consents) == [
        "Eva Åkesson", "Per Åkesson"]


def test_renewal_keeps_the_earlier_consent(officer: User, case: Case,
                                           principals: list[Principal]) -> None:
    first = consent.register_consent(officer, case, oral(principals,
                                     given_on=dt.date(2026, 1, 10)), today=TODAY)
    second = consent.register_consent(officer, Case.get_by_id(case.id),
                                      oral(principals[:1]), today=TODAY)
    assert consent.active_consent(case) == second
    assert [c.id for c in consent.consents_of(case)] == [second.id, first.id]
    assert consent.consents_of(case)[1].superseded_by.id == second.id
    assert Case.get_by_id(case.id).consent_valid_until == dt.date(2027, 11, 22)


def test_withdrawal_closes_the_case_and_deletes_nothing(
    officer: User, case: Case, principals: list[Principal]
) -> None:
    """Seed 000 "Avslut": the plan is closed when the person withdraws consent."""
    given = consent.register_consent(officer, case, oral(principals), today=TODAY)
    closure = consent.withdraw_consent(officer, Case.get_by_id(case.id), withdrawn_on=TODAY,
                                       how="Muntligt per telefon", today=TODAY)
    assert closure.reason == ClosureReason.CONSENT_WITHDRAWN.value
    assert ClosureReason.CONSENT_WITHDRAWN.label == "Samtycket återkallat"
    stored = Case.get_by_id(case.id)
    assert stored.status == S.CLOSED.value
    kept = consent.consents_of(stored)
    assert [c.id for c in kept] == [given.id]
    assert (kept[0].withdrawn_on, kept[0].withdrawn_how) == (TODAY, "Muntligt per telefon")
    assert kept[0].covers == given.covers


def test_withdrawal_needs_a_consent_and_how_it_was_told(
    officer: User, case: Case, principals: list[Principal]
) -> None:
    with pytest.raises(ValidationError) as info:
        consent.withdraw_consent(officer, case, withdrawn_on=TODAY, how="Brev", today=TODAY)
    assert "inget samtycke" in info.value.message
    consent.register_consent(officer, case, oral(principals), today=TODAY)
    with pytest.raises(ValidationError) as info:
        consent.withdraw_consent(officer, Case.get_by_id(case.id), withdrawn_on=TODAY, how=" ",
                                 today=TODAY)
    assert info.value.field == "how"


def test_declined_ends_the_case(officer: User, case: Case) -> None:
    """Seed 000: the person says no although the principals see the need — recorded."""
    consent.record_declined(officer, case, declined_on=TODAY,
                            note="Tackade nej vid hembesök, frågad av Anna Berg", today=TODAY)
    stored = Case.get_by_id(case.id)
    assert stored.status == S.DECLINED.value
    assert "Tackade nej vid hembesök" in lifecycle.history(stored)[-1].reason


def test_menprovning_without_harm_lets_the_sip_go_on(officer: User, case: Case) -> None:
    """Seed 000: a person who cannot consent is not denied a SIP — a menprövning is made."""
    consent.record_harm_assessment(
        officer, case, assessed_on=TODAY, conclusion=HarmConclusion.NO_HARM,
        contacts="Sonen Per: mamma har alltid velat ha hjälp hemma.", today=TODAY)
    stored = Case.get_by_id(case.id)
    assert stored.status == S.HARM_ASSESSED.value
    assert lifecycle.check(stored, Action.INVITE, today=TODAY) is None
    assert consent.consent_state(stored.consent_basis, stored.consent_valid_until,
                                 today=TODAY).text == "Menprövning gjord"


def test_menprovning_with_harm_ends_the_case(officer: User, case: Case) -> None:
    consent.record_harm_assessment(
        officer, case, assessed_on=TODAY, conclusion=HarmConclusion.HARM,
        contacts="God man: SIP skulle oroa honom mycket.", today=TODAY)
    stored = Case.get_by_id(case.id)
    assert stored.status == S.REFUSED.value
    assert "skada" in lifecycle.history(stored)[-1].reason


def test_menprovning_needs_who_was_contacted(officer: User, case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        consent.record_harm_assessment(officer, case, assessed_on=TODAY, contacts="",
                                       conclusion=HarmConclusion.NO_HARM, today=TODAY)
    assert info.value.field == "contacts"
    assert Case.get_by_id(case.id).status == S.NEED_REGISTERED.value


@pytest.mark.parametrize(("valid_until", "text", "warn"), [
    (None, "Samtycke saknas", False),
    (dt.date(2027, 6, 1), "Gäller till och med 2027-06-01", False),
    (dt.date(2026, 12, 22), "Går ut om 30 dagar (2026-12-22)", True),
    (dt.date(2026, 11, 23), "Går ut om 1 dag (2026-11-23)", True),
    (dt.date(2026, 11, 21), "Gick ut 2026-11-21", True),
])
def test_consent_state_warns_thirty_days_before_it_lapses(
    valid_until: dt.date | None, text: str, warn: bool
) -> None:
    state = consent.consent_state("consent" if valid_until else None, valid_until, today=TODAY)
    assert (state.text, state.warn) == (text, warn)
