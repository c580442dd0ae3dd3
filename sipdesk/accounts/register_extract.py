"""Registerutdrag: who has read or changed a person's data (GDPR art. 15, a data-subject
request). An administrator's answer, from the audit log.

For one person: every entry about the person (registered, searched for by personal number,
a contact added) and every entry on any of their cases (opened, changed, printed, exported),
oldest first — who, of which unit, when, what. Only an administrator may take one (the core
refuses anyone else, whatever the screen shows), and taking one is itself logged. Three
statements: the person, the entries with their users and cases, the log entry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

import peewee as pw

from sipdesk import clock
from sipdesk.accounts.audit import AuditAction, AuditEntry, record
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.rules import personal_number as pnr
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, Person, PersonContact, Role, Unit, User

ADMINISTRATORS_ONLY = "Bara en administratör kan ta fram ett registerutdrag."


@dataclass(frozen=True)
class ExtractLine:
    at: dt.datetime
    who: str  # "Anna Berg (Hemtjänst Norr)", or "sipdesk" for the command line
    action: AuditAction
    what: str  # the log's summary: never a personal number
    case_number: str  # "" when the entry is about the person, not a case


@dataclass(frozen=True)
class RegisterExtract:
    person_id: int
    person_name: str
    personal_number: str
    made_at: dt.datetime
    made_by: str
    lines: list[ExtractLine]


def _require_administrator(actor: User) -> None:
    if not actor.active or actor.role != Role.ADMINISTRATOR.value:
        raise PermissionDenied(ADMINISTRATORS_ONLY)


def register_extract(actor: User, personal_number: str) -> RegisterExtract:
    """The extract for the person with this personal number (any accepted format)."""
    _require_administrator(actor)
    canonical = pnr.parse(personal_number).canonical  # ValidationError at the field
    person = Person.get_or_none(Person.personal_number == canonical)
    if person is None:
        raise ValidationError("Ingen person med det personnumret finns i sipdesk.",
                              field="personal_number")
    cases = Case.select(Case.id).where(Case.person == person.id)
    contacts = PersonContact.select(PersonContact.id).where(PersonContact.person == person.id)
    about_person = (
        ((AuditEntry.entity == "person") & (AuditEntry.entity_id == person.id))
        | ((AuditEntry.entity == "person_contact") & AuditEntry.entity_id.in_(contacts)))
    query = (
        AuditEntry.select(AuditEntry.at, AuditEntry.action, AuditEntry.summary, User.full_name,
                          Unit.name, Case.number)
        .join(User, pw.JOIN.LEFT_OUTER, on=(AuditEntry.user == User.id))
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(User.unit == Unit.id))
        .switch(AuditEntry)
        .join(Case, pw.JOIN.LEFT_OUTER, on=(AuditEntry.case == Case.id))
        .where(AuditEntry.case.in_(cases) | about_person)
        .order_by(AuditEntry.at, AuditEntry.id)
        .tuples()
    )
    rows = cast(Iterable[tuple[dt.datetime, str, str, str | None, str | None, str | None]],
                query)
    lines = [
        ExtractLine(at=at, who=f"{name} ({unit})" if name else "sipdesk",
                    action=AuditAction(action), what=summary, case_number=number or "")
        for at, action, summary, name, unit, number in rows
    ]
    with database.atomic():
        record(actor, action=AuditAction.OPEN, entity="person", entity_id=person.id,
               summary="Registerutdrag taget")
    return RegisterExtract(
        person_id=person.id, person_name=person.full_name, personal_number=canonical,
        made_at=clock.now(), made_by=actor.full_name, lines=lines)
