"""The peewee models of the foundation: principals, units, users, persons, cases.

Every editable record carries `version`; `save_versioned()` refuses to overwrite a change made
by someone else since the record was read (optimistic locking). Schema changes are made by the
numbered scripts in `migrations/`, never by `create_tables` on a live database.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, ClassVar

import peewee as pw

from sipdesk import clock
from sipdesk.errors import ConflictError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel


class PrincipalKind(LabelledEnum):
    MUNICIPALITY = "kommun"
    REGION = "region"
    OTHER = "other"

    __labels__: ClassVar[Labels] = {
        "kommun": "Kommun", "region": "Region", "other": "Annan huvudman",
    }


class Law(StrEnum):
    HSL = "HSL"
    SOL = "SoL"
    LSS = "LSS"
    SCHOOL = "school"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"school": "Skollagen", "other": "Annan"}.get(self.value, self.value)


class Role(LabelledEnum):
    CASE_OFFICER = "case_officer"
    UNIT_MANAGER = "unit_manager"
    STAFF = "staff"
    ADMINISTRATOR = "administrator"

    __labels__: ClassVar[Labels] = {
        "case_officer": "Biståndshandläggare",
        "unit_manager": "Enhetschef",
        "staff": "Personal",
        "administrator": "Administratör",
    }


class ConsentBasis(StrEnum):
    """What lets the SIP work go on (kept on the case for the list): the person's consent, or a
    menprövning that found SIP does not harm them (DOMAIN.md step 3)."""

    CONSENT = "consent"
    HARM_ASSESSMENT = "harm_assessment"


class CaseStatus(StrEnum):
    """The states of a SIP case (DOMAIN.md, "The life of a case")."""

    NEED_REGISTERED = "need_registered"
    CONSENT_GIVEN = "consent_given"
    HARM_ASSESSED = "harm_assessed"
    INVITED = "invited"
    MEETING_CANCELLED = "meeting_cancelled"
    MEETING_HELD = "meeting_held"
    DOCUMENTATION = "documentation"
    PLAN_APPROVED = "plan_approved"
    FOLLOW_UP_PLANNED = "follow_up_planned"
    CLOSED = "closed"
    DECLINED = "declined"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self not in (CaseStatus.CLOSED, CaseStatus.DECLINED, CaseStatus.REFUSED)


_STATUS_LABELS = {
    CaseStatus.NEED_REGISTERED: "Behov registrerat",
    CaseStatus.CONSENT_GIVEN: "Samtycke finns",
    CaseStatus.HARM_ASSESSED: "Menprövning gjord",
    CaseStatus.INVITED: "Kallad",
    CaseStatus.MEETING_CANCELLED: "Möte inställt",
    CaseStatus.MEETING_HELD: "Möte hållet",
    CaseStatus.DOCUMENTATION: "Dokumentation pågår",
    CaseStatus.PLAN_APPROVED: "Plan godkänd",
    CaseStatus.FOLLOW_UP_PLANNED: "Uppföljning planerad",
    CaseStatus.CLOSED: "Avslutat",
    CaseStatus.DECLINED: "Avböjt",
    CaseStatus.REFUSED: "SIP blev inte av",  # plain words, not a decision (lifecycle.REFUSE)
}

FIRST_STATUS = CaseStatus.NEED_REGISTERED


class ContactKind(LabelledEnum):
    RELATIVE = "relative"
    GUARDIAN = "guardian"
    LEGAL_REPRESENTATIVE = "legal_representative"

    __labels__: ClassVar[Labels] = {
        "relative": "Närstående",
        "guardian": "Vårdnadshavare",
        "legal_representative": "God man / förvaltare",
    }


def now() -> dt.datetime:
    """Local wall-clock time without microseconds (what users read and compare)."""
    return clock.now()


class VersionedModel(BaseModel):
    """A record with an optimistic-lock version number."""

    version = pw.IntegerField(default=1)
    what: ClassVar[str] = "Posten"

    def save_versioned(self) -> None:
        """Save the changed fields unless someone else saved since this copy was read."""
        cls = type(self)
        if self.id is None:
            self.save()
            return
        dirty = [f for f in self.dirty_fields if f.name != "version"]
        changes: dict[Any, Any] = {f: getattr(self, f.name) for f in dirty}
        if "updated_at" in cls._meta.fields:
            changes[cls._meta.fields["updated_at"]] = now()
        changes[cls.version] = cls.version + 1
        updated = (
            cls.update(changes)
            .where((cls.id == self.id) & (cls.version == self.version))
            .execute()
        )
        if updated != 1:
            current = cls.get_or_none(cls.id == self.id)
            theirs = current.__data__ if current is not None else {}
            raise ConflictError(what=self.what, mine=dict(self.__data__), theirs=dict(theirs))
        for field, value in changes.items():
            if field.name == "updated_at":
                setattr(self, field.name, value)
        self.version += 1
        self._dirty.clear()  # type: ignore[attr-defined]


class Principal(VersionedModel):
    what = "Huvudmannen"
    name = pw.CharField(max_length=200, unique=True)
    kind = pw.CharField(max_length=20)


class Unit(VersionedModel):
    what = "Enheten"
    principal = pw.ForeignKeyField(Principal, backref="units", on_delete="RESTRICT")
    principal_id: int  # the foreign key column, for type checkers
    name = pw.CharField(max_length=200)
    law = pw.CharField(max_length=20)

    class Meta:
        indexes = ((("principal", "name"), True),)


class User(VersionedModel):
    what = "Användaren"
    login = pw.CharField(max_length=100, unique=True)
    full_name = pw.CharField(max_length=200)
    initials = pw.CharField(max_length=10)
    profession = pw.CharField(max_length=100, default="")
    unit = pw.ForeignKeyField(Unit, backref="users", on_delete="RESTRICT")
    unit_id: int
    phone = pw.CharField(max_length=50, default="")
    email = pw.CharField(max_length=200, default="")
    role = pw.CharField(max_length=30)
    active = pw.BooleanField(default=True)
    password_hash = pw.CharField(max_length=300, null=True)

    class Meta:
        table_name = "app_user"  # "user" is reserved in PostgreSQL


class Person(VersionedModel):
    what = "Personuppgifterna"
    personal_number = pw.CharField(max_length=13, unique=True)  # canonical YYYYMMDD-NNNN
    pnr_short = pw.CharField(max_length=10, index=True)  # YYMMDDNNNN, for searching
    first_name = pw.CharField(max_length=100)
    last_name = pw.CharField(max_length=100)
    # Case-folded "first last" and "last first" for prefix search on either name.
    name_key = pw.CharField(max_length=210, index=True)
    name_key_reversed = pw.CharField(max_length=210, index=True)
    address = pw.CharField(max_length=200, default="")
    postal_code = pw.CharField(max_length=10, default="")
    city = pw.CharField(max_length=100, default="")
    phone = pw.CharField(max_length=50, default="")
    language = pw.CharField(max_length=50, default="svenska")
    needs_interpreter = pw.BooleanField(default=False)
    easy_read = pw.BooleanField(default=False)
    picture_support = pw.BooleanField(default=False)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class PersonContact(VersionedModel):
    """A relative, guardian or legal representative of a person."""

    what = "Kontaktpersonen"
    person = pw.ForeignKeyField(Person, backref="contacts", on_delete="CASCADE")
    person_id: int
    kind = pw.CharField(max_length=30)
    name = pw.CharField(max_length=200)
    relation = pw.CharField(max_length=100, default="")
    phone = pw.CharField(max_length=50, default="")
    email = pw.CharField(max_length=200, default="")
    address = pw.CharField(max_length=300, default="")


class Case(VersionedModel):
    what = "Ärendet"
    number = pw.CharField(max_length=20, unique=True)  # SIP-2026-0042
    year = pw.IntegerField()
    sequence = pw.IntegerField()
    person = pw.ForeignKeyField(Person, backref="cases", on_delete="RESTRICT")
    person_id: int
    unit = pw.ForeignKeyField(Unit, backref="cases", on_delete="RESTRICT")
    unit_id: int
    coordinator = pw.ForeignKeyField(User, backref="coordinated_cases", on_delete="RESTRICT")
    coordinator_id: int
    status = pw.CharField(max_length=30, default=FIRST_STATUS.value)
    next_date = pw.DateField(null=True)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)
    # Kept by sipdesk.casework.consent so the case list shows consent in the same single query:
    # a ConsentBasis (or None), and the last day a consent is valid.
    consent_basis = pw.CharField(max_length=20, null=True)
    consent_valid_until = pw.DateField(null=True)

    class Meta:
        table_name = "sip_case"  # "case" is an SQL keyword
        indexes = (
            (("year", "sequence"), True),
            (("status",), False),
            (("coordinator",), False),
            (("unit",), False),
        )


ALL_MODELS: list[type[BaseModel]] = [Principal, Unit, User, Person, PersonContact, Case]
