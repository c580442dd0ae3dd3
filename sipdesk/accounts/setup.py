"""First start on an empty database: the municipality, the user's unit and the user; and the
user administration of the command line (`sipdesk users add/deactivate`)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sipdesk.accounts import login_roles
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


# ---- user administration (`sipdesk users add/deactivate`) -------------------------------------

def unit_by_name(name: str) -> Unit:
    """The unit called `name` — or "Huvudman/Enhet" when two principals have a unit of that
    name — with a Swedish message naming the choices when it is unknown or ambiguous."""
    wanted = name.strip()
    principal_name, _, unit_name = wanted.rpartition("/")
    query = Unit.select(Unit, Principal).join(Principal)
    if principal_name:
        query = query.where((Principal.name == principal_name.strip())
                            & (Unit.name == unit_name.strip()))
    else:
        query = query.where(Unit.name == wanted)
    found = list(query)
    if len(found) == 1:
        return found[0]
    if found:
        choices = ", ".join(f"{u.principal.name}/{u.name}" for u in found)
        raise ValidationError(f"Flera enheter heter {wanted}: skriv en av {choices}.",
                              field="unit")
    names = ", ".join(sorted(u.name for u in Unit.select(Unit.name)))
    raise ValidationError(f"Det finns ingen enhet som heter {wanted}. Enheterna: {names}.",
                          field="unit")


def add_user(*, login: str, full_name: str, unit: Unit, role: Role, password: str | None,
             initials: str = "", profession: str = "", phone: str = "",
             email: str = "") -> User:
    """A new sipdesk user and — on PostgreSQL — their login role on the server, both or neither
    (one transaction; PostgreSQL makes roles transactionally). On SQLite the password is kept as
    a hash in the user's row; on PostgreSQL only the server keeps it."""
    postgresql = login_roles.is_postgresql()
    if password is not None:
        validate_password(password)
    elif not postgresql:
        raise ValidationError("Ange ett lösenord för den nya användaren.", field="password")
    with database.atomic():
        user = create_user(
            login=login, full_name=full_name,
            initials=initials or propose_initials(full_name), unit=unit, role=role,
            profession=profession, phone=phone, email=email,
            password=None if postgresql else password)
        login_roles.create_login_role(user.login, password)
    return user


def deactivate_user(login: str) -> User:
    """The user can no longer log in: inactive in sipdesk (the core then shows them no case,
    sipdesk.accounts.access) and, on PostgreSQL, their login role disabled (NOLOGIN). Their
    name stays on everything they wrote."""
    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise ValidationError(f"Det finns ingen användare {login.strip()}.", field="login")
    with database.atomic():
        User.update(active=False, version=User.version + 1).where(User.id == user.id).execute()
        login_roles.disable_login_role(user.login)
    return User.get_by_id(user.id)
