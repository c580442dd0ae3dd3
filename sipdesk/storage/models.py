"""The peewee models of the foundation: principals, units, users, persons, cases.

Every editable record carries `version`; `save_versioned()` (`compare_and_set`) writes only the
fields the user changed, each on condition it still holds the value the user loaded, in the
UPDATE statement itself: edits of different fields merge, the same field changed by someone else
is a `ConflictError` with both sides (optimistic locking per field). Schema changes are made by the
numbered scripts in `migrations/`, never by `create_tables` on a live database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, ClassVar

import peewee as pw

from sipdesk import clock
from sipdesk.errors import ConflictError, FieldConflict, NotFoundError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel


class PrincipalKind(LabelledEnum):
    MUNICIPALITY = "kommun"
    REGION = "region"
    OTHER = "other"

    __labels__: ClassVar[Labels] = {
        "kommun": "Kommun", "region": "Region", "other": "Annan huvudman",
    }


class Protection(LabelledEnum):
    """A person's protected identity (skyddade personuppgifter); see sipdesk.casework.protected."""

    NONE = "none"
    CONFIDENTIALITY_MARK = "sekretessmarkering"
    PROTECTED_REGISTRATION = "skyddad_folkbokforing"
    FICTITIOUS_IDENTITY = "fingerade_personuppgifter"

    __labels__: ClassVar[Labels] = {
        "none": "Inget skydd",
        "sekretessmarkering": "Sekretessmarkering",
        "skyddad_folkbokforing": "Skyddad folkbokföring",
        "fingerade_personuppgifter": "Fingerade personuppgifter",
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
    # A guardian removed from the child's record (custody changed): kept, because their answers
    # and the consents they gave rest on the row (sipdesk.casework.guardian_removal).
    FORMER_GUARDIAN = "former_guardian"

    __labels__: ClassVar[Labels] = {
        "relative": "Närstående",
        "guardian": "Vårdnadshavare",
        "legal_representative": "God man / förvaltare",
        "former_guardian": "Tidigare vårdnadshavare",
    }


class Custody(LabelledEnum):
    """How a child's guardian holds custody (vårdnad): with the other parent, alone, or as a
    särskilt förordnad vårdnadshavare appointed by a court (sipdesk.casework.guardians)."""

    JOINT = "joint"
    SOLE = "sole"
    APPOINTED = "appointed"

    __labels__: ClassVar[Labels] = {
        "joint": "Gemensam vårdnad",
        "sole": "Ensam vårdnad",
        "appointed": "Särskilt förordnad vårdnadshavare",
    }


class InformationBlock(LabelledEnum):
    """Why a guardian may not receive information about the child: no letter or copy is
    produced for them (sipdesk.casework.guardians)."""

    NONE = ""
    PROTECTED_ADDRESS = "protected_address"
    RESTRAINING_ORDER = "restraining_order"
    OTHER = "other"

    __labels__: ClassVar[Labels] = {
        "": "Får information",
        "protected_address": "Skyddad adress",
        "restraining_order": "Kontaktförbud",
        "other": "Annat beslut",
    }


def now() -> dt.datetime:
    """Local wall-clock time without microseconds (what users read and compare)."""
    return clock.now()


_UNKNOWN = object()  # a field whose loaded value this copy never saw
_ATTEMPTS = 8  # merges in a row before giving up (each one means yet another save in between)


def compare_and_set(model: type[BaseModel], row_id: int, *, loaded: Mapping[str, Any],
                    new: Mapping[str, Any], what: str, labels: Mapping[str, str] | None = None,
                    strict: Iterable[str] = ()) -> bool:
    """Save the fields of `new` that differ from `loaded` (what the user started from) in one
    statement, `UPDATE … SET <changed>, version = version + 1 WHERE id = ? AND <each changed
    column> = <its loaded value>`: someone else's save of other fields merges, a field both
    changed to different values raises `ConflictError` with both sides (nothing written).

    A field someone else already set to my value is left as it is — unless it is in `strict`
    (a state: two people making the same move is still a clash). Keys are field names (a
    foreign key by its field name, holding the id). Returns whether anything was written;
    raises NotFoundError when the row is gone.
    """
    fields = model._meta.fields
    changes = {name: value for name, value in new.items() if value != loaded.get(name)}
    strict = set(strict)
    base = dict(loaded)
    for _attempt in range(_ATTEMPTS):
        if not changes:
            return False
        condition = model._meta.primary_key == row_id
        for name in changes:
            column, was = fields[name], base.get(name)
            condition &= column.is_null() if was is None else (column == was)
        values: dict[Any, Any] = {fields[name]: value for name, value in changes.items()}
        if "version" in fields:
            values[fields["version"]] = fields["version"] + 1
        if "updated_at" in fields:
            values[fields["updated_at"]] = now()
        if model.update(values).where(condition).execute() == 1:
            return True
        current = model.get_or_none(model._meta.primary_key == row_id)
        if current is None:
            raise NotFoundError(f"{what} finns inte längre — någon kan ha tagit bort den.")
        stored = current.__data__
        clashes = [
            FieldConflict(name, mine, stored.get(name), (labels or {}).get(name, name))
            for name, mine in changes.items()
            if stored.get(name) != base.get(name) and (stored.get(name) != mine or name in strict)
        ]
        if labels and any(c.field in labels for c in clashes):
            # A derived column (a search key) clashes with the field it comes from: show that.
            clashes = [c for c in clashes if c.field in labels]
        if clashes:
            saved_at = stored.get("updated_at")  # when theirs was saved, where it is kept
            raise ConflictError(what=what, mine=dict(changes), theirs=dict(stored),
                                conflicts=clashes,
                                saved_at=saved_at if isinstance(saved_at, dt.datetime) else None)
        # Only other fields (or mine, set to the same value) moved: merge and try again.
        changes = {name: value for name, value in changes.items() if stored.get(name) != value}
        base.update({name: stored.get(name) for name in changes})
    raise ConflictError(what=what, mine=dict(changes), theirs={})


class VersionedModel(BaseModel):
    """A record with a version number, saved field by field with compare-and-set.

    A copy remembers each field's value as loaded, the moment the field is first changed;
    `save_versioned()` writes only what changed, each field on condition it still holds that
    value (`compare_and_set`), and the version goes up by one — so two people editing
    different fields of one record both keep their edits, and only the same field changed to
    different values is a conflict.
    """

    version = pw.IntegerField(default=1)
    what: ClassVar[str] = "Posten"
    labels: ClassVar[dict[str, str]] = {}  # Swedish field names for a conflict
    strict: ClassVar[tuple[str, ...]] = ()  # fields where the same change twice still clashes

    def __setattr__(self, name: str, value: Any) -> None:
        if name in type(self)._meta.fields:
            dirty = self.__dict__.get("_dirty")
            if dirty is not None and name not in dirty:
                self.__dict__.setdefault("_loaded", {})[name] = self.__data__.get(name, _UNKNOWN)
        super().__setattr__(name, value)

    def loaded_values(self) -> dict[str, Any]:
        """The changed fields' values as this copy was loaded (before the user's change)."""
        return dict(self.__dict__.get("_loaded", {}))

    def rebase(self, stored: Mapping[str, Any]) -> None:
        """After a conflict: compare the next save with `stored` (the values saved by someone
        else) — my values stay; a third save in between is then seen again."""
        loaded = self.__dict__.setdefault("_loaded", {})
        for name, value in stored.items():
            if name in type(self)._meta.fields and name not in ("id", "version"):
                loaded[name] = value
                self._dirty.add(name)  # type: ignore[attr-defined]

    def save_versioned(self, *, loaded: Mapping[str, Any] | None = None) -> None:
        """Save the changed fields unless someone else changed the same field since this copy
        was read (`loaded` overrides what the copy remembers). Afterwards the copy holds the
        stored row: my changes and anything merged from others."""
        cls = type(self)
        if self.id is None:
            self.save()
            return
        skip = {"id", "version", "updated_at"}
        base = {**self.loaded_values(), **(loaded or {})}
        names = [f.name for f in self.dirty_fields if f.name not in skip]
        if any(base.get(name, _UNKNOWN) is _UNKNOWN for name in names):
            # Never seen as loaded (a copy made by hand): the whole row's version decides.
            updated = (cls.update({cls._meta.fields[n]: self.__data__[n] for n in names}
                                  | {cls.version: cls.version + 1})
                       .where((cls.id == self.id) & (cls.version == self.version)).execute())
            if updated != 1:
                current = cls.get_or_none(cls.id == self.id)
                theirs = dict(current.__data__) if current is not None else {}
                raise ConflictError(what=self.what, mine=dict(self.__data__), theirs=theirs,
                                    conflicts=[FieldConflict(n, self.__data__[n], theirs.get(n),
                                                             self.labels.get(n, n))
                                               for n in names])
        else:
            try:
                compare_and_set(cls, self.id, loaded={n: base[n] for n in names},
                                new={n: self.__data__[n] for n in names}, what=self.what,
                                labels=self.labels, strict=self.strict)
            except ConflictError as conflict:
                conflict.mine = dict(self.__data__)
                raise
        stored = cls.get_or_none(cls.id == self.id)
        if stored is not None:
            for name, value in stored.__data__.items():
                if self.__data__.get(name) != value:
                    self.__rel__.pop(name, None)
                self.__data__[name] = value
        self._dirty.clear()  # type: ignore[attr-defined]
        self.__dict__.pop("_loaded", None)


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
    labels: ClassVar[dict[str, str]] = {
        "first_name": "Förnamn", "last_name": "Efternamn", "address": "Adress",
        "postal_code": "Postnummer", "city": "Ort", "phone": "Telefon", "language": "Språk",
        "needs_interpreter": "Behöver tolk", "easy_read": "Lättläst",
        "picture_support": "Bildstöd"}
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
    # A Protection value (migration 17).
    protection = pw.CharField(max_length=30, default=Protection.NONE.value)
    created_at = pw.DateTimeField(default=now)
    updated_at = pw.DateTimeField(default=now)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class PersonContact(VersionedModel):
    """A relative, guardian or legal representative of a person. A child's guardian also has
    custody, a language and interpreter need of their own, and may be one who must not receive
    information about the child (migration 21, sipdesk.casework.guardians)."""

    what = "Kontaktpersonen"
    labels: ClassVar[dict[str, str]] = {
        "kind": "Slag", "name": "Namn", "relation": "Relation", "phone": "Telefon",
        "email": "E-post", "address": "Adress", "custody": "Vårdnad", "language": "Språk",
        "needs_interpreter": "Behöver tolk", "information_block": "Får inte information",
        "information_block_note": "Beslut om information"}
    person = pw.ForeignKeyField(Person, backref="contacts", on_delete="CASCADE")
    person_id: int
    kind = pw.CharField(max_length=30)
    name = pw.CharField(max_length=200)
    relation = pw.CharField(max_length=100, default="")
    phone = pw.CharField(max_length=50, default="")
    email = pw.CharField(max_length=200, default="")
    address = pw.CharField(max_length=300, default="")
    # For a guardian (migration 21): a Custody value ("" for other contacts), their own language
    # and interpreter need, and an InformationBlock value with a short note of the decision.
    custody = pw.CharField(max_length=20, default="")
    language = pw.CharField(max_length=50, default="svenska")
    needs_interpreter = pw.BooleanField(default=False)
    information_block = pw.CharField(max_length=30, default="")
    information_block_note = pw.CharField(max_length=200, default="")


class Case(VersionedModel):
    what = "Ärendet"
    labels: ClassVar[dict[str, str]] = {
        "status": "Status", "coordinator": "Samordningsansvarig", "next_date": "Nästa datum",
        "consent_basis": "Samtycke", "consent_valid_until": "Samtycket gäller till och med"}
    strict: ClassVar[tuple[str, ...]] = ("status",)  # a move of the case happens once
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
