"""Kontakter: the local directory of the usual actors (seed 003's contact list).

Organisations and units outside sipdesk — vårdcentral, psykiatri, ASIH, rehab, skola,
tolkförmedling … — with their principal, kind, law and contacts. sipdesk's own users appear in
the directory too. Administrators and unit managers edit it; everyone reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import peewee as pw

from .errors import PermissionDenied, ValidationError
from .models import Law, Principal, PrincipalKind, Role, Unit, User, VersionedModel


class OrganisationKind(StrEnum):
    """What the organisation is, so the kallelse can check who takes part."""

    OUTPATIENT = "outpatient"  # öppenvård: vårdcentral, psykiatrisk öppenvård, ASIH …
    HOSPITAL = "hospital"
    MUNICIPAL_CARE = "municipal_care"
    SOCIAL_SERVICES = "social_services"
    SCHOOL = "school"
    INTERPRETER = "interpreter"  # tolkförmedling
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "outpatient": "Öppenvård (t.ex. vårdcentral, psykiatri, ASIH)",
            "hospital": "Slutenvård",
            "municipal_care": "Kommunal vård och omsorg",
            "social_services": "Socialtjänst",
            "school": "Skola",
            "interpreter": "Tolkförmedling",
            "other": "Annan",
        }[self.value]


class Organisation(VersionedModel):
    what = "Organisationen"
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
    principal, _ = Principal.get_or_create(name=name, defaults={"kind": kind.value})
    return principal


def add_organisation(actor: User, *, name: str, principal: Principal, kind: OrganisationKind,
                     law: Law, phone: str = "", address: str = "") -> Organisation:
    _require_editor(actor)
    if not name.strip():
        raise ValidationError("Ange organisationens namn.", field="name")
    if Organisation.select().where((Organisation.principal == principal)
                                   & (Organisation.name == name.strip())).exists():
        raise ValidationError(f"{name.strip()} finns redan hos {principal.name}.", field="name")
    return Organisation.create(name=name.strip(), principal=principal, kind=kind.value,
                               law=law.value, phone=phone.strip(), address=address.strip())


def add_contact(actor: User, organisation: Organisation, *, name: str, role: str = "",
                phone: str = "", email: str = "", address: str = "") -> Contact:
    _require_editor(actor)
    if not name.strip():
        raise ValidationError("Ange kontaktens namn.", field="name")
    if email.strip() and "@" not in email:
        raise ValidationError("E-postadressen ser inte riktig ut.", field="email")
    if not (phone.strip() or email.strip() or address.strip() or organisation.phone):
        raise ValidationError("Ange minst ett sätt att nå kontakten (telefon, e-post eller "
                              "adress).", field="phone")
    return Contact.create(organisation=organisation, name=name.strip(), role=role.strip(),
                          phone=phone.strip(), email=email.strip(), address=address.strip(),
                          name_key=name.strip().casefold())


def update_contact(actor: User, contact: Contact) -> Contact:
    """Save changes made to a contact read earlier (refused if someone saved in between)."""
    _require_editor(actor)
    contact.name_key = contact.name.strip().casefold()
    contact.save_versioned()
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


def search_directory(text: str = "", *, limit: int = 100) -> list[DirectoryEntry]:
    """Contacts and active users whose name, role or organisation contains `text`."""
    like = f"%{text.strip().replace('%', '').replace('_', '')}%"
    users = (User.select(User, Unit, Principal).join(Unit).join(Principal)
             .where((User.active == True)  # noqa: E712
                    & (User.full_name ** like | User.profession ** like | Unit.name ** like))
             .order_by(User.full_name).limit(limit))
    contacts = (Contact.select(Contact, Organisation, Principal).join(Organisation)
                .join(Principal)
                .where(Contact.name ** like | Contact.role ** like | Organisation.name ** like)
                .order_by(Contact.name).limit(limit))
    entries = [_user_entry(u, u.unit, u.unit.principal) for u in users]
    entries += [_contact_entry(c, c.organisation, c.organisation.principal) for c in contacts]
    return sorted(entries, key=lambda e: e.name.casefold())[:limit]


def entry(kind: EntryKind, entry_id: int) -> DirectoryEntry:
    if kind is EntryKind.USER:
        user = User.get_by_id(entry_id)
        return _user_entry(user, user.unit, user.unit.principal)
    contact = Contact.get_by_id(entry_id)
    return _contact_entry(contact, contact.organisation, contact.organisation.principal)


def organisations() -> list[Organisation]:
    return list(Organisation.select(Organisation, Principal).join(Principal)
                .order_by(Principal.name, Organisation.name))

