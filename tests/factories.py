"""Small builders for test data: fictional names, Skatteverket test personal numbers."""

from __future__ import annotations

from sipdesk.accounts.auth import create_user
from sipdesk.casework import people
from sipdesk.desk import cases
from sipdesk.storage.models import Case, Law, Person, Principal, PrincipalKind, Role, Unit, User

# Skatteverket test personal numbers (resources/testpersonnummer.txt).
PNR_ADULT = "19400107-9120"
PNR_OTHER = "19400116-7743"
PNR_CHILD = "20170101-2393"
PASSWORD = "hemligt123"


def make_unit(name: str = "Hemtjänst Norr", *, law: Law = Law.SOL,
              principal: str = "Exempelby kommun",
              kind: PrincipalKind = PrincipalKind.MUNICIPALITY) -> Unit:
    owner, _ = Principal.get_or_create(name=principal, defaults={"kind": kind.value})
    return Unit.create(principal=owner, name=name, law=law.value)


def make_user(login: str = "anna.berg", *, unit: Unit | None = None,
              role: Role = Role.CASE_OFFICER, full_name: str = "Anna Berg") -> User:
    return create_user(
        login=login, full_name=full_name, initials="".join(p[0] for p in full_name.split()),
        unit=unit or make_unit(), role=role, profession="Biståndshandläggare", password=PASSWORD,
        phone="0000-12 34 56", email=f"{login}@exempelby.example",
    )


def make_person(number: str = PNR_ADULT, first: str = "Åsa", last: str = "Öberg") -> Person:
    actor = User.select().order_by(User.id).first() or make_user("registrator")
    return people.create_person(people.PersonInput(number, first, last), actor=actor)


def make_case(actor: User, person: Person | None = None) -> Case:
    return cases.create_case(actor, person=person or make_person())
