"""What the case view's dialogs open with (`sipdesk.desk.case_forms`), read before they open."""

from __future__ import annotations

import peewee
import pytest

from sipdesk import clock
from sipdesk.casework import consent, lifecycle, people
from sipdesk.casework.consent import ConsentInput, ConsentKind
from sipdesk.casework.lifecycle import NeedInput, NoticedBy
from sipdesk.desk import case_forms
from sipdesk.errors import NotFoundError
from sipdesk.storage.models import ContactKind, Principal, PrincipalKind
from tests.factories import PNR_CHILD, make_case, make_person, make_unit, make_user


def test_a_first_consent_proposes_my_principal_and_the_regions_and_the_needs_question(
        db: peewee.Database) -> None:
    user = make_user()
    case = make_case(user)
    region = Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    lifecycle.register_need(user, case, NeedInput(
        noticed_by=NoticedBy.STAFF, noticed_by_user=user, noticed_on=clock.today(),
        need="Trappan", question="Hur kan jag bo kvar?"))
    form = case_forms.consent_form(user, case)
    assert form.previous is None
    assert form.chosen == {user.unit.principal_id, region.id}
    assert form.question == "Hur kan jag bo kvar?"
    assert [p.id for p in form.principals] == [p.id for p in consent.principal_choices()]
    assert [u.id for u in form.users] == [user.id]
    assert form.guardians == []


def test_renewing_proposes_the_principals_of_the_consent_in_force(db: peewee.Database) -> None:
    user = make_user()
    case = make_case(user)
    region = Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    given = consent.register_consent(user, case, ConsentInput(
        kind=ConsentKind.ORAL, given_on=clock.today(), covers="Stöd hemma",
        principals=[region]))
    form = case_forms.consent_form(user, case)
    assert form.previous is not None and form.previous.id == given.id
    assert form.chosen == {region.id}
    assert case_forms.withdraw_form(case).id == given.id


def test_a_childs_guardians_are_read_with_the_consent_form(db: peewee.Database) -> None:
    user = make_user()
    child = make_person(PNR_CHILD, first="Liv", last="Ek")
    case = make_case(user, child)
    guardian = people.add_contact(child, actor=user, kind=ContactKind.GUARDIAN, name="Eva Ek")
    form = case_forms.consent_form(user, case)
    assert [g.id for g in form.guardians] == [guardian.id]
    data = ConsentInput(kind=ConsentKind.ORAL, given_on=clock.today(), covers="Skolan",
                        principals=form.principals[:1])
    # The same rule with the guardians read before, and read now.
    assert consent.consent_input_problems(form.person, data, guardians=form.guardians,
                                          today=clock.today()) == consent.consent_problems(
        case, data, today=clock.today())
    assert "guardians" in consent.consent_problems(case, data, today=clock.today())


def test_nothing_to_withdraw_is_said(db: peewee.Database) -> None:
    case = make_case(make_user())
    with pytest.raises(NotFoundError, match="inget samtycke att återkalla"):
        case_forms.withdraw_form(case)


def test_need_closure_and_harm_forms(db: peewee.Database) -> None:
    user = make_user()
    other = make_user("karl.lind", unit=make_unit("Biståndsenheten"), full_name="Karl Lind")
    person = make_person()
    case = make_case(user, person)
    newer = make_case(user, person)
    assert case_forms.need_form(case).existing is None
    assert {u.id for u in case_forms.need_form(case).users} == {user.id, other.id}
    assert [c.id for c in case_forms.closure_form(user, case).others] == [newer.id]
    assert {u.id for u in case_forms.harm_form().users} == {user.id, other.id}
