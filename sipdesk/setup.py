"""First start on an empty database: the municipality, the user's unit and the user."""

from __future__ import annotations

from dataclasses import dataclass

from .auth import create_user, validate_login, validate_password
from .db import database
from .errors import ValidationError
from .models import Law, Principal, PrincipalKind, Role, Unit, User


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


def validate_setup(data: SetupInput, *, needs_password: bool) -> None:
    """Every field, first problem first, each with the field it belongs to."""
    municipality = data.municipality.strip()
    if not municipality:
        raise ValidationError("Ange kommunens namn, t.ex. Exempelby kommun.", field="municipality")
    if not data.unit_name.strip():
        raise ValidationError("Ange din enhet, t.ex. Hemtjänst Norr.", field="unit_name")
    if not data.full_name.strip():
        raise ValidationError("Ange ditt namn.", field="full_name")
    if not data.initials.strip():
        raise ValidationError("Ange dina initialer.", field="initials")
    validate_login(data.login)
    if needs_password:
        validate_password(data.password or "", data.password_repeat)


def first_run_setup(data: SetupInput, *, needs_password: bool) -> User:
    """Create the municipality, the unit and the first user in one transaction."""
    if is_initialized():
        raise ValidationError("Databasen är redan upplagd.")
    validate_setup(data, needs_password=needs_password)
    name = data.municipality.strip()
    if "kommun" not in name.casefold():
        name = f"{name} kommun"
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
