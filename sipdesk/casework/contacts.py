"""Kontakter: the local directory of the usual actors (seed 003's contact list).

Organisations and units outside sipdesk — vårdcentral, psykiatri, ASIH, rehab, skola,
tolkförmedling … — with their principal, kind, law and contacts. sipdesk's own users appear in
the directory too. Administrators and unit managers edit it; everyone reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar

import peewee as pw

from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.collation import ordered, sort_key
from sipdesk.storage.limits import check_texts, fit, search_text, text_problems
from sipdesk.storage.models import Law, Principal, PrincipalKind, Role, Unit, User, VersionedModel


class OrganisationKind(LabelledEnum):
    """What the organisation is, so the kallelse can check who takes part."""

    OUTPATIENT = "outpatient"  # öppenvård: vårdcentral, psykiatrisk öppenvård, ASIH …
    HOSPITAL = "hospital"
    MUNICIPAL_CARE = "municipal_care"
    SOCIAL_SERVICES = "social_services"
    # Under the school law, a principal of kind "other" (sipdesk.meetings.school.SCHOOL_KINDS).
    SCHOOL = "school"
    PRESCHOOL = "preschool"
    STUDENT_HEALTH = "student_health"  # elevhälsan
    INTERPRETER = "interpreter"  # tolkförmedling
    OTHER = "other"

    __labels__: ClassVar[Labels] = {
        "outpatient": "Öppenvård (t.ex. vårdcentral, psykiatri, ASIH)",
        "hospital": "Slutenvård",
        "municipal_care": "Kommunal vård och omsorg",
        "social_services": "Socialtjänst",
        "school": "Skola",
        "preschool": "Förskola",
        "student_health": "Elevhälsa",
        "interpreter": "Tolkförmedling",
        "other": "Annan",
    }


class Organisation(VersionedModel):
    what = "Organisationen"
    labels: ClassVar[dict[str, str]] = {
        "name": "Namn", "principal": "Huvudman", "kind": "Slag", "law": "Lag",
        "phone": "Telefon (växel)", "address": "Adress"}
    name = pw.CharField(max_length=200)
    principal = pw.ForeignKeyField(Principal, on_delete="RESTRICT", backref="organisations")
    principal_id: int
    kind = pw.CharField(max_length=30)
    law = pw.CharField(max_length=20)
    phone = pw.CharField(max_length=50, default="")
    address = pw.CharField(max_length=300, default="")

    class Meta:
        indexes = ((("principal", "name"), True),)


class Contact(VersionedModel):
    what = "Kontakten"
    labels: ClassVar[dict[str, str]] = {
        "organisation": "Organisation", "name": "Namn", "role": "Roll", "phone": "Telefon",
        "email": "E-post", "address": "Adress"}
    organisation = pw.ForeignKeyField(Organisation, on_delete="CASCADE", backref="contacts")
    organisation_id: int
    name = pw.CharField(max_length=200)
    role = pw.CharField(max_length=100, default="")
    phone = pw.CharField(max_length=50, default="")
    email = pw.CharField(max_length=200, default="")
    address = pw.CharField(max_length=300, default="")
    name_key = pw.CharField(max_length=200, index=True)


def can_edit(user: User) -> bool:
    return user.role in (Role.ADMINISTRATOR.value, Role.UNIT_MANAGER.value)


def _require_editor(user: User) -> None:
    if not can_edit(user):
        raise PermissionDenied("Bara administratörer och enhetschefer kan ändra i kontakterna.")


def ensure_principal(name: str, kind: PrincipalKind) -> Principal:
    """The principal with this name, created when new."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("Ange huvudman, t.ex. Region Exempelland.", field="principal")
    check_texts(Principal, {"principal": name}, columns={"principal": "name"})
    principal, _ = Principal.get_or_create(name=name, defaults={"kind": kind.value})
    return principal


def principals() -> list[Principal]:
    """Every principal, by name (for choosing one in the directory's dialogs)."""
    return list(Principal.select().order_by(ordered(Principal.name)))


def organisation_problems(*, name: str, principal_name: str) -> dict[str, str]:
    """Every problem of a new organisation's input at once, by field (empty: all fine)."""
    problems = organisation_input_problems(name=name, principal_name=principal_name)
    if not problems:
        duplicate = organisation_duplicate(name=name, principal_name=principal_name)
        if duplicate:
            problems["name"] = duplicate
    return problems


def organisation_input_problems(*, name: str, principal_name: str) -> dict[str, str]:
    """The problems that need no database: for checking as the user types."""
    problems: dict[str, str] = {}
    if not name.strip():
        problems["name"] = "Ange organisationens namn."
    if not " ".join(principal_name.split()):
        problems["principal"] = "Ange huvudman, t.ex. Region Exempelland."
    for field, message in {**text_problems(Organisation, {"name": name}),
                           **text_problems(Principal, {"principal": principal_name},
                                           columns={"principal": "name"})}.items():
        problems.setdefault(field, message)
    return problems


def organisation_duplicate(*, name: str, principal_name: str) -> str:
    """What to say when the principal already has an organisation of that name ("" if not)."""
    principal = " ".join(principal_name.split())
    if organisation_input_problems(name=name, principal_name=principal_name):
        return ""  # nothing to compare until the input itself is right
    if name.strip() and principal and Organisation.select().join(Principal).where(
            (Principal.name == principal) & (Organisation.name == name.strip())).exists():
        return f"{name.strip()} finns redan hos {principal}."
    return ""


def add_organisation(actor: User, *, name: str, principal: Principal, kind: OrganisationKind,
                     law: Law, phone: str = "", address: str = "") -> Organisation:
    _require_editor(actor)
    if not name.strip():
        raise ValidationError("Ange organisationens namn.", field="name")
    check_texts(Organisation, {"name": name, "phone": phone, "address": address})
    if Organisation.select().where((Organisation.principal == principal)
                                   & (Organisation.name == name.strip())).exists():
        raise ValidationError(f"{name.strip()} finns redan hos {principal.name}.", field="name")
    return Organisation.create(name=name.strip(), principal=principal, kind=kind.value,
                               law=law.value, phone=phone.strip(), address=address.strip())


def add_contact(actor: User, organisation: Organisation, *, name: str, role: str = "",
                phone: str = "", email: str = "", address: str = "") -> Contact:
    _require_editor(actor)
    for field, message in contact_problems(organisation, name=name, phone=phone, email=email,
                                           address=address).items():
        raise ValidationError(message, field=field)
    check_texts(Contact, {"role": role})
    return Contact.create(organisation=organisation, name=name.strip(), role=role.strip(),
                          phone=phone.strip(), email=email.strip(), address=address.strip(),
                          name_key=fit(name.strip().casefold(), Contact.name_key))


def update_contact(actor: User, contact: Contact) -> Contact:
    """Save changes made to a contact read earlier: only the fields changed since it was read,
    each on condition it still holds the value read — someone else's change of other fields
    merges; the same field changed by both is a `ConflictError` with both sides. After a
    conflict, `contact.rebase(...)` with the stored values the user chose over."""
    _require_editor(actor)
    organisation = Organisation.get_by_id(contact.organisation_id)
    for field, message in contact_problems(organisation, name=contact.name, phone=contact.phone,
                                           email=contact.email,
                                           address=contact.address).items():
        raise ValidationError(message, field=field)
    check_texts(Contact, {"role": contact.role})
    for name in ("name", "role", "phone", "email", "address"):
        setattr(contact, name, getattr(contact, name).strip())
    contact.name_key = fit(contact.name.casefold(), Contact.name_key)
    contact.save_versioned()
    return contact


def contact_problems(organisation: Organisation | None, *, name: str, phone: str = "",
                     email: str = "", address: str = "") -> dict[str, str]:
    """Every problem of a contact's input at once, by field, in form order (empty: fine)."""
    problems: dict[str, str] = {}
    if organisation is None:
        problems["organisation"] = "Välj vilken organisation kontakten hör till."
    if not name.strip():
        problems["name"] = "Ange kontaktens namn."
    if not (phone.strip() or email.strip() or address.strip()
            or (organisation is not None and organisation.phone)):
        problems["phone"] = "Ange minst ett sätt att nå kontakten (telefon, e-post eller adress)."
    if email.strip() and "@" not in email:
        problems["email"] = "E-postadressen ser inte riktig ut."
    for field, message in text_problems(Contact, {"name": name, "phone": phone, "email": email,
                                                  "address": address}).items():
        problems.setdefault(field, message)
    return problems


def get_contact(contact_id: int) -> Contact:
    """A contact with its organisation, read for editing."""
    contact = Contact.get_or_none(Contact.id == contact_id)
    if contact is None:
        raise NotFoundError("Kontakten finns inte längre — någon kan ha tagit bort den.")
    return contact


class EntryKind(StrEnum):
    CONTACT = "contact"
    USER = "user"


@dataclass(frozen=True)
class DirectoryEntry:
    kind: EntryKind
    id: int
    name: str
    role: str
    organisation: str
    principal_id: int
    principal: str
    principal_kind: PrincipalKind
    law: Law
    outpatient: bool
    is_interpreter: bool
    phone: str
    email: str
    address: str

    @property
    def has_account(self) -> bool:
        return self.kind is EntryKind.USER


def _user_entry(user: User, unit: Unit, principal: Principal) -> DirectoryEntry:
    kind = PrincipalKind(principal.kind)
    law = Law(unit.law)
    return DirectoryEntry(
        EntryKind.USER, user.id, user.full_name, user.profession, unit.name, principal.id,
        principal.name, kind, law,
        outpatient=kind is PrincipalKind.REGION and law is Law.HSL, is_interpreter=False,
        phone=user.phone, email=user.email, address="")


def _contact_entry(contact: Contact, org: Organisation, principal: Principal) -> DirectoryEntry:
    kind = OrganisationKind(org.kind)
    return DirectoryEntry(
        EntryKind.CONTACT, contact.id, contact.name, contact.role, org.name, principal.id,
        principal.name, PrincipalKind(principal.kind), Law(org.law),
        outpatient=kind is OrganisationKind.OUTPATIENT,
        is_interpreter=kind is OrganisationKind.INTERPRETER,
        phone=contact.phone or org.phone, email=contact.email,
        address=contact.address or org.address)


def _matches(entry: DirectoryEntry, words: list[str]) -> bool:
    haystack = " ".join((entry.name, entry.role, entry.organisation, entry.principal,
                         entry.law.value, entry.phone, entry.email)).casefold()
    return all(word in haystack for word in words)


def search_directory(text: str = "", *, limit: int = 100) -> list[DirectoryEntry]:
    """Contacts and active users matching every word of `text` in their name, role,
    organisation, principal ("region" finds the region's people), law, phone or e-mail.

    The directory is small (a municipality's usual actors), so the matching is done here with
    Python's case folding: SQLite's LIKE folds only A–Z, and "öberg" must find "Öberg".
    """
    words = search_text(text).casefold().split()
    users = (User.select(User, Unit, Principal).join(Unit).join(Principal)
             .where(User.active == True))  # noqa: E712
    contacts = Contact.select(Contact, Organisation, Principal).join(Organisation).join(Principal)
    entries = [_user_entry(u, u.unit, u.unit.principal) for u in users]
    entries += [_contact_entry(c, c.organisation, c.organisation.principal) for c in contacts]
    found = [e for e in entries if _matches(e, words)]
    return sorted(found, key=lambda e: (sort_key(e.name), sort_key(e.organisation)))[:limit]


def entry(kind: EntryKind, entry_id: int) -> DirectoryEntry:
    if kind is EntryKind.USER:
        user = User.get_by_id(entry_id)
        return _user_entry(user, user.unit, user.unit.principal)
    contact = Contact.get_by_id(entry_id)
    return _contact_entry(contact, contact.organisation, contact.organisation.principal)


def organisations() -> list[Organisation]:
    return list(Organisation.select(Organisation, Principal).join(Principal)
                .order_by(ordered(Principal.name), ordered(Organisation.name)))



@dataclass(frozen=True)
class ContactForm:
    """What "Ny kontakt…" and "Ändra…" open with."""

    contact: Contact | None  # the contact to change (None: a new one)
    organisations: list[Organisation]  # each with its principal (`organisations()`)
    organisation_id: int | None  # chosen when the dialog opens


def contact_form(*, contact_id: int | None = None, beside: int | None = None) -> ContactForm:
    """`contact_id`: change that contact. Otherwise a new contact, at the organisation of the
    contact `beside` (the one selected in the list) when given."""
    contact = get_contact(contact_id) if contact_id is not None else None
    if contact is not None:
        organisation_id: int | None = contact.organisation_id
    elif beside is not None:
        near = Contact.get_or_none(Contact.id == beside)
        organisation_id = near.organisation_id if near is not None else None
    else:
        organisation_id = None
    return ContactForm(contact, organisations(), organisation_id)


def interpreters() -> list[DirectoryEntry]:
    """The contacts at interpreter services (tolkförmedling), to propose in the kallelse."""
    rows = (Contact.select(Contact, Organisation, Principal).join(Organisation).join(Principal)
            .where(Organisation.kind == OrganisationKind.INTERPRETER.value)
            .order_by(ordered(Organisation.name), ordered(Contact.name)))
    return [_contact_entry(c, c.organisation, c.organisation.principal) for c in rows]
