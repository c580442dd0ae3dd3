"""Version 18 and the data a database already holds (issue 14, seed 002), on both engines: a
guardian registered before it was one of those who consented — two have joint custody, one
alone sole custody — and a consent the guardians gave for a child, valid past the day before
the 18th birthday, now ends that day, on the consent and on its case."""

from __future__ import annotations

import datetime as dt
import importlib

import peewee

from sipdesk.casework import consent
from sipdesk.casework.consent import ConsentInput, ConsentKind
from sipdesk.storage.models import Case, ContactKind, PersonContact, Principal, PrincipalKind
from tests.factories import PNR_CHILD, make_case, make_person, make_user

version_21 = importlib.import_module("sipdesk.migrations.0021_guardians")


def test_guardians_and_child_consents_from_before_version_21(db: peewee.Database) -> None:
    officer = make_user()
    region = Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    young = make_person("20081119-2392", "Noa", "Lind")  # 18 on 2026-11-19
    mother = PersonContact.create(person=young, kind=ContactKind.GUARDIAN.value, name="Sara")
    father = PersonContact.create(person=young, kind=ContactKind.GUARDIAN.value, name="Ali")
    small = make_person(PNR_CHILD, "Liv", "Ek")
    alone = PersonContact.create(person=small, kind=ContactKind.GUARDIAN.value, name="Eva")
    case = make_case(officer, young)
    given = consent.register_consent(officer, case, ConsentInput(
        kind=ConsentKind.ORAL, given_on=dt.date(2026, 6, 1), covers="Skolan",
        principals=[officer.unit.principal, region], guardians=[mother, father]),
        today=dt.date(2026, 6, 1))
    # As version 20 left them: custody unknown, the consent valid a whole year.
    PersonContact.update(custody="").execute()
    year = dt.date(2027, 6, 1)
    consent.Consent.update(valid_until=year).where(consent.Consent.id == given.id).execute()
    Case.update(consent_valid_until=year).where(Case.id == case.id).execute()

    version_21._custody_of_those_registered(db)
    version_21._end_at_eighteen(db)

    custody = {c.id: c.custody for c in PersonContact.select()}
    assert custody == {mother.id: "joint", father.id: "joint", alone.id: "sole"}
    last = dt.date(2026, 11, 18)
    assert consent.Consent.get_by_id(given.id).valid_until == last
    assert Case.get_by_id(case.id).consent_valid_until == last
    assert version_21._adult_on("20080229-2383") == dt.date(2026, 3, 1)
