"""First start on an empty database: the municipality, the user's unit and the user. (Users
after the first: `sipdesk.accounts.user_admin`.)"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sipdesk.accounts.auth import create_user, validate_login, validate_password
from sipdesk.errors import ValidationError
from sipdesk.storage.db import database
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import Law, Principal, PrincipalKind, Role, Unit, User


def is_initialized() -> bool:
    """True once the database has at least one user."""
    return User.select().exists()


@dataclass
class SetupInput:
    municipality: str
    unit_name: str
    unit_law: Law
    full_name: str
    initials: str
    profession: str
    login: str
    role: Role = Role.UNIT_MANAGER
    password: str | None = None  # required on SQLite, unused on PostgreSQL
    password_repeat: str | None = None
    phone: str = ""
    email: str = ""


def setup_problems(data: SetupInput, *, needs_password: bool) -> dict[str, str]:
    """Every field's problem at once, in form order, keyed by field name (empty: all fine).

    The setup dialog uses this to validate as the user types; `validate_setup` raises the first.
    """
    problems: dict[str, str] = {}
    if not data.municipality.strip():
        problems["municipality"] = "Ange kommunens namn, t.ex. Exempelby kommun."
    if not data.unit_name.strip():
        problems["unit_name"] = "Ange din enhet, t.ex. Hemtjänst Norr."
    if not data.full_name.strip():
        problems["full_name"] = "Ange ditt namn."
    if not data.initials.strip():
        problems["initials"] = "Ange dina initialer."
    try:
        validate_login(data.login)
    except ValidationError as problem:
        problems["login"] = problem.message
    if needs_password:
        password = data.password or ""
        try:
            validate_password(password)
        except ValidationError as problem:
            problems["password"] = problem.message
        if data.password_repeat is not None and password != data.password_repeat:
            problems["password_repeat"] = "Lösenorden är inte lika."
    texts = {**text_problems(Principal, {"municipality": _municipality(data.municipality)},
                             columns={"municipality": "name"}),
             **text_problems(Unit, {"unit_name": data.unit_name}, columns={"unit_name": "name"}),
             **text_problems(User, {"full_name": data.full_name, "initials": data.initials,
                                    "login": data.login, "profession": data.profession,
                                    "phone": data.phone, "email": data.email})}
    for name, message in texts.items():
        problems.setdefault(name, message)
    return problems


def _municipality(text: str) -> str:
    """The municipality's name as stored: "Exempelby" becomes "Exempelby kommun"."""
    name = text.strip()
    return name if "kommun" in name.casefold() else f"{name} kommun"


def validate_setup(data: SetupInput, *, needs_password: bool) -> None:
    """Every field, first problem first, each with the field it belongs to."""
    for field, message in setup_problems(data, needs_password=needs_password).items():
        raise ValidationError(message, field=field)


def propose_login(full_name: str) -> str:
    """A login proposed from a name: "Åsa Öberg-Ek" → "asa.oberg-ek" (ASCII, lower case)."""
    folded = unicodedata.normalize("NFKD", full_name.casefold().replace("ß", "ss"))
    ascii_only = "".join(c for c in folded if not unicodedata.combining(c))
    words = [re.sub(r"[^a-z0-9_-]", "", word) for word in ascii_only.split()]
    return ".".join(word for word in words if word)[:100]


def propose_initials(full_name: str) -> str:
    """Initials proposed from a name: "Anna-Karin Berg" → "AKB" (at most 10 letters)."""
    parts = [p for p in re.split(r"[\s-]+", full_name.strip()) if p]
    return "".join(p[0] for p in parts if p[0].isalpha()).upper()[:10]


def first_run_setup(data: SetupInput, *, needs_password: bool) -> User:
    """Create the municipality, the unit and the first user in one transaction."""
    if is_initialized():
        raise ValidationError("Databasen är redan upplagd.")
    validate_setup(data, needs_password=needs_password)
    name = _municipality(data.municipality)
    with database.atomic():
        principal = Principal.create(name=name, kind=PrincipalKind.MUNICIPALITY.value)
        unit = Unit.create(
            principal=principal, name=data.unit_name.strip(), law=data.unit_law.value
        )
        return create_user(
            login=data.login, full_name=data.full_name, initials=data.initials, unit=unit,
            role=data.role, profession=data.profession, phone=data.phone, email=data.email,
            password=data.password if needs_password else None,
        )
