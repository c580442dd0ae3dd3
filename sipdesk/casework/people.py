"""Persons (den enskilde): create, find and change, with validation at each field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from sipdesk.accounts import audit, read_log
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import protected
from sipdesk.errors import ValidationError
from sipdesk.rules import personal_number as pnr
from sipdesk.storage.collation import ordered
from sipdesk.storage.db import Engine, database, engine_of
from sipdesk.storage.limits import check_texts, fit, search_text, text_problems
from sipdesk.storage.models import ContactKind, Person, PersonContact, Protection, User


def name_keys(first_name: str, last_name: str) -> tuple[str, str]:
    first, last = first_name.strip().casefold(), last_name.strip().casefold()
    # Case folding may lengthen a name ("ß" → "ss"): a key longer than its column is cut (a
    # prefix search of that length is never typed).
    return fit(f"{first} {last}", Person.name_key), fit(f"{last} {first}", Person.name_key)


def prefix(field: peewee.Field, text: str) -> peewee.Expression:
    """`field` starts with `text`, case-sensitively, so the index on a case-folded key is used:
    GLOB 'abc*' on SQLite; on PostgreSQL the range `field ~>=~ 'abc' AND field ~<~ 'abd'`,
    which is what the server makes of LIKE 'abc%' for a text_pattern_ops index — but written
    out, because those two operators are LEAKPROOF and LIKE is not: under row-level security
    (migration 16) the server applies a user's LIKE only after the policy, to every row of the
    table, while a leakproof range is looked up in the index first and the policy asked only
    of the rows it finds (a search by a user who sees few cases: ~0.2 s → a few ms on 100,000
    cases)."""
    text = "".join(ch for ch in search_text(text) if ch not in "%_*?[]\\")
    if engine_of() is Engine.SQLITE:
        return peewee.Expression(field, "GLOB", text + "*")
    after = _next_prefix(text)
    from_start = peewee.Expression(field, "~>=~", text)
    if after is None:  # nothing to bound it by: every text starting at '' matches
        return from_start
    return from_start & peewee.Expression(field, "~<~", after)


def _next_prefix(text: str) -> str | None:
    """The smallest string that sorts, byte by byte (text_pattern_ops, UTF-8 — the order of
    code points), after every string starting with `text`: its last character one higher
    (surrogates skipped; a last U+10FFFF dropped and the one before raised). None for ''."""
    chars = list(text)
    while chars:
        code = ord(chars.pop()) + 1
        if code == 0xD800:
            code = 0xE000
        if code <= 0x10FFFF:
            return "".join(chars) + chr(code)
    return None


@dataclass
class PersonInput:
    personal_number: str
    first_name: str
    last_name: str
    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    language: str = "svenska"
    needs_interpreter: bool = False
    easy_read: bool = False
    picture_support: bool = False
    protection: Protection = Protection.NONE  # skyddad identitet (sipdesk.casework.protected)


def person_problems(data: PersonInput, *, today: dt.date | None = None) -> dict[str, str]:
    """Every field's problem at once, in form order, keyed by field name (empty: all fine).

    The new-case dialog uses this to validate as the user types; `validate_person` raises the
    first. A number already registered is not checked here (see `find_by_number`).
    """
    problems: dict[str, str] = {}
    try:
        pnr.parse(data.personal_number, today=today)
    except ValidationError as problem:
        problems["personal_number"] = problem.message
    if not data.first_name.strip():
        problems["first_name"] = "Ange förnamn."
    if not data.last_name.strip():
        problems["last_name"] = "Ange efternamn."
    code = data.postal_code.replace(" ", "")
    if code and not (code.isdigit() and len(code) == 5):
        problems["postal_code"] = "Postnumret ska ha fem siffror, t.ex. 123 45."
    if not data.language.strip():
        problems["language"] = "Ange språk (t.ex. svenska)."
    for name, message in text_problems(Person, {
            "first_name": data.first_name, "last_name": data.last_name, "address": data.address,
            "postal_code": data.postal_code, "city": data.city, "phone": data.phone,
            "language": data.language}).items():
        problems.setdefault(name, message)
    return problems


def validate_person(data: PersonInput, *, today: dt.date | None = None) -> str:
    """Check every field; returns the canonical personal number."""
    for field, message in person_problems(data, today=today).items():
        raise ValidationError(message, field=field)
    return pnr.parse(data.personal_number, today=today).canonical


def find_by_number(text: str, *, actor: User | None = None) -> Person | None:
    """The person with this personal number (any accepted format), if registered. With the
    `actor` who typed it, the look-up is logged (read_log): one statement more."""
    try:
        canonical = pnr.parse(text).canonical
    except ValidationError:
        return None
    person = Person.get_or_none(Person.personal_number == canonical)
    if actor is not None:
        read_log.record_number_search(actor, where="vid registrering av en person",
                                      person_id=person.id if person else None,
                                      hits=int(person is not None))
        if person is not None and not protected.may_see_person(actor, person):
            return protected.masked(person)
    return person


def create_person(data: PersonInput, *, actor: User) -> Person:
    """Register a person (logged); a personal number already registered is refused."""
    canonical = validate_person(data)
    key, key_rev = name_keys(data.first_name, data.last_name)
    if Person.select().where(Person.personal_number == canonical).exists():
        raise ValidationError(
            "Det finns redan en person med det personnumret — sök fram personen i stället.",
            field="personal_number",
        )
    code = data.postal_code.replace(" ", "")
    try:
        with database.atomic():
            person = Person.create(
                personal_number=canonical,
                pnr_short=canonical.replace("-", "")[2:],
                first_name=data.first_name.strip(),
                last_name=data.last_name.strip(),
                name_key=key,
                name_key_reversed=key_rev,
                address=data.address.strip(),
                postal_code=f"{code[:3]} {code[3:]}" if code else "",
                city=data.city.strip(),
                phone=data.phone.strip(),
                language=data.language.strip(),
                needs_interpreter=data.needs_interpreter,
                easy_read=data.easy_read,
                picture_support=data.picture_support,
                protection=data.protection.value,
            )
            protected = ("" if data.protection is Protection.NONE
                         else f" ({data.protection.label})")
            audit.record(actor, action=AuditAction.CREATE, entity="person", entity_id=person.id,
                         summary=f"Person registrerad{protected}")
            return person
    except peewee.IntegrityError:
        # Another user registered the same number a moment ago.
        raise ValidationError(
            "Det finns redan en person med det personnumret — sök fram personen i stället.",
            field="personal_number",
        ) from None


def registered_out_of_sight(data: PersonInput) -> int | None:
    """The id of the person already registered with the typed personal number, when the user
    may not read them — only on PostgreSQL, where a user reads the persons of the cases they
    may see (row-level security, migration 16) and the search cannot find the others. The
    server's helper `sipdesk_person_id_by_number` gives the id and nothing else. None when the
    number is free or the person is one the user can find (on SQLite: always)."""
    canonical = validate_person(data)
    if engine_of() is not Engine.POSTGRESQL:
        return None
    if Person.select().where(Person.personal_number == canonical).exists():
        return None
    found = database.execute_sql("SELECT sipdesk_person_id_by_number(%s)",
                                 (canonical,)).fetchone()[0]
    return int(found) if found is not None else None


def search_persons(text: str, *, limit: int = 20, actor: User | None = None) -> list[Person]:
    """Persons whose name or personal number starts with `text`. With the `actor` who typed
    it, a search by a whole personal number is logged (read_log): one statement more."""
    text = search_text(text).strip()
    if not text:
        return []
    condition = person_search_condition(text)
    number = read_log.as_personal_number(text)
    if actor is not None:
        # A protected person whose name the actor may not see is found only by their whole
        # personal number, and then masked (sipdesk.casework.protected): a match by name or
        # part of a number would tell who they are.
        whole = Person.personal_number == number if number is not None else peewee.SQL("1 = 0")
        condition &= protected.person_name_visible(actor) | whole
    found = list(
        Person.select()
        .where(condition)
        .order_by(ordered(Person.last_name), ordered(Person.first_name))
        .limit(limit)
    )
    if actor is not None and number is not None:
        person = next((p for p in found if p.personal_number == number), None)
        read_log.record_number_search(actor, where="i Nytt ärende",
                                      person_id=person.id if person else None,
                                      hits=int(person is not None))
    if actor is None:
        return found
    return [p if not protected.is_protected(p) or protected.may_see_person(actor, p)
            else protected.masked(p) for p in found]


def person_search_condition(text: str) -> peewee.Expression:
    """Match a person by the start of the name (either order) or of the personal number."""
    digits = pnr.search_digits(text)
    if digits is not None:
        if len(digits) > 8:
            long_form = prefix(Person.personal_number, f"{digits[:8]}-{digits[8:]}")
            return long_form if len(digits) > 10 else long_form | prefix(Person.pnr_short, digits)
        return prefix(Person.pnr_short, digits) | prefix(Person.personal_number, digits)
    key = " ".join(text.casefold().split())
    return prefix(Person.name_key, key) | prefix(Person.name_key_reversed, key)


def add_contact(
    person: Person, *, actor: User, kind: ContactKind, name: str, relation: str = "",
    phone: str = "", email: str = "", address: str = "",
) -> PersonContact:
    """Add a relative, guardian or legal representative (logged)."""
    if not name.strip():
        raise ValidationError("Ange namn på kontaktpersonen.", field="contact_name")
    check_texts(PersonContact, {"contact_name": name, "relation": relation, "phone": phone,
                                "email": email, "address": address},
                columns={"contact_name": "name"})
    with database.atomic():
        contact = PersonContact.create(
            person=person, kind=kind.value, name=name.strip(), relation=relation.strip(),
            phone=phone.strip(), email=email.strip(), address=address.strip(),
        )
        audit.record(actor, action=AuditAction.CREATE, entity="person_contact",
                     entity_id=contact.id, summary=f"{kind.label} tillagd")
    return contact


def contacts_of(person: Person) -> list[PersonContact]:
    """The person's relatives, guardians and legal representatives, guardians first (not a
    former guardian: sipdesk.casework.guardian_removal)."""
    order = peewee.Case(
        PersonContact.kind,
        [(ContactKind.GUARDIAN.value, 0), (ContactKind.LEGAL_REPRESENTATIVE.value, 1)],
        2,
    )
    return list(
        PersonContact.select()
        .where((PersonContact.person == person.id)
               & (PersonContact.kind != ContactKind.FORMER_GUARDIAN.value))
        .order_by(order, ordered(PersonContact.name), PersonContact.id)
    )
