"""User administration (issue 12): the users, a new user, deactivating and activating a user
again, and a new password — for the admin screen (Arkiv → Användare…, `ui.users`) and the
command line (`sipdesk users …`), which call these same functions.

Only an administrator may: every function refuses anyone else with `PermissionDenied`, whatever
a screen shows. `actor` None is the command line, run by whoever holds the SQLite file or, on
PostgreSQL, by the schema's owner (the server checks that right); `command_line_actor` gives the
sipdesk user instead when the command line is run with a user's own login.

On PostgreSQL each user is also their own login role on the server (`login_roles`), changed in
the same transaction as the user's row, so both change or neither: made in the group
`sipdesk_user` with the password, disabled (NOLOGIN) when the user is deactivated, enabled again,
given a new password. The server keeps the password; on SQLite sipdesk keeps an argon2id hash of
it in the user's row.

Every change writes an audit entry (entity `app_user`): who did what to which account — never
the password or its hash.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import cast

from sipdesk.accounts import login_roles
from sipdesk.accounts.audit import AuditAction, record
from sipdesk.accounts.auth import MIN_PASSWORD, create_user, validate_login
from sipdesk.accounts.password_hash import hash_password
from sipdesk.accounts.setup import propose_initials
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.storage.collation import ordered
from sipdesk.storage.db import database
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import Principal, Role, Unit, User

ADMINISTRATORS_ONLY = "Bara en administratör kan lägga upp användare och ändra deras konton."
NOT_YOURSELF = ("Du kan inte inaktivera dig själv. Be en annan administratör om det, om det "
                "behövs.")

# A PostgreSQL role name is at most 63 bytes (longer ones are cut); a login is ASCII.
ROLE_NAME_MAX = 63
# Names the server keeps for itself, or sipdesk's own group roles (migrations 15 and 16).
RESERVED_LOGINS = frozenset({
    "public", "none", "current_user", "current_role", "session_user", "postgres",
    "sipdesk_user", "sipdesk_retention", "sipdesk_owner",
})
# Passwords every guesser tries first (lower case; also with Swedish letters folded away).
COMMON_PASSWORDS = frozenset({
    "password", "password1", "password123", "passw0rd", "lösenord", "losenord", "lösenord1",
    "losenord1", "qwertyui", "qwerty123", "qwertyuiop", "asdfghjk", "abcd1234", "abc12345",
    "iloveyou", "sommar2024", "sommar2025", "sommar2026", "vinter2025", "vinter2026",
    "hemligt1", "hemligt123", "välkommen", "valkommen", "välkommen1", "valkommen1",
    "sipdesk1", "sipdesk123", "admin123", "administrator",
})
PASSWORDS_DIFFER = "Lösenorden är inte lika — skriv samma lösenord två gånger."
WEAK_PASSWORD = ("Lösenordet är för lätt att gissa. Välj något längre och mindre vanligt — "
                 "gärna några ord i rad, t.ex. ”gul cykel vid sjön”.")


@dataclass(frozen=True)
class UserRow:
    """One line of the admin screen's list."""

    id: int
    login: str
    full_name: str
    initials: str
    profession: str
    unit: str
    principal: str
    role: Role
    active: bool


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    principal: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.principal})"


@dataclass
class NewUser:
    """What the admin screen's form (or the command line) gives for a new user."""

    full_name: str
    login: str
    unit_id: int | None
    role: Role | None
    password: str
    password_repeat: str | None = None  # the screen asks twice; None: not asked twice
    initials: str = ""  # empty: proposed from the name
    profession: str = ""
    phone: str = ""
    email: str = ""


def is_administrator(user: User) -> bool:
    """Whether the menu offers user administration (the core checks again)."""
    return user.active and user.role == Role.ADMINISTRATOR.value


def _require_administrator(actor: User | None) -> None:
    if actor is not None and not is_administrator(actor):
        raise PermissionDenied(ADMINISTRATORS_ONLY)


def command_line_actor() -> User | None:
    """Who the command line acts as: on PostgreSQL the sipdesk user whose own login it runs
    with (then only an administrator may), else None — the schema's owner or IT's role on
    PostgreSQL, whoever holds the file on SQLite."""
    if not login_roles.is_postgresql():
        return None
    (login,) = database.execute_sql("SELECT session_user").fetchone()
    return User.get_or_none(User.login == login)


# ---- reading --------------------------------------------------------------------------------

def users(actor: User | None) -> list[UserRow]:
    """Every user, active or not, by name in Swedish order, with unit and principal: one
    query."""
    _require_administrator(actor)
    query = (User.select(User.id, User.login, User.full_name, User.initials, User.profession,
                         User.role, User.active, Unit.name, Principal.name.alias("principal"))
             .join(Unit).join(Principal)
             .order_by(ordered(User.full_name), User.login)
             .tuples())
    rows = cast(Iterable[tuple[int, str, str, str, str, str, bool, str, str]], query)
    return [UserRow(id=id_, login=login, full_name=name, initials=initials,
                    profession=profession, unit=unit, principal=principal, role=Role(role),
                    active=bool(active))
            for id_, login, name, initials, profession, role, active, unit, principal in rows]


def unit_choices(actor: User | None) -> list[UnitChoice]:
    """The units a new user can belong to, by principal and name."""
    _require_administrator(actor)
    query = (Unit.select(Unit.id, Unit.name, Principal.name).join(Principal)
             .order_by(ordered(Principal.name), ordered(Unit.name)).tuples())
    rows = cast(Iterable[tuple[int, str, str]], query)
    return [UnitChoice(id=id_, name=name, principal=principal) for id_, name, principal in rows]


def unit_by_name(name: str) -> Unit:
    """The unit called `name` — or "Huvudman/Enhet" when two principals have a unit of that
    name — with a Swedish message naming the choices when it is unknown or ambiguous (the
    command line names a unit; the screen chooses one)."""
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


# ---- checking the input (no database: the screen asks as the administrator types) ------------

def login_problem(login: str) -> str | None:
    """What is wrong with a new user's login, or None. The same rule on both engines: a login
    must also work as the user's own login role on a PostgreSQL server."""
    try:
        name = validate_login(login)
    except ValidationError as problem:
        return problem.message
    if len(name) > ROLE_NAME_MAX:
        return f"Användarnamnet får vara högst {ROLE_NAME_MAX} tecken."
    if name.startswith("pg_") or name in RESERVED_LOGINS:
        return f"Användarnamnet {name} är reserverat för databasservern. Välj ett annat."
    return None


def _fold(text: str) -> str:
    return text.casefold().translate(str.maketrans("åäö", "aao"))


def _runs_in_order(text: str) -> bool:
    """12345678, abcdefgh, 87654321: each character the one after (or before) the last."""
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return len(steps) == 1 and steps <= {1, -1}


def password_problem(password: str, *, login: str = "", full_name: str = "") -> str | None:
    """What is wrong with a new password, or None: too short, or too easy to guess (one of the
    passwords everyone tries, a run like 12345678, few different characters, or the user's own
    login or name in it)."""
    if len(password) < MIN_PASSWORD:
        return f"Lösenordet måste ha minst {MIN_PASSWORD} tecken."
    folded = _fold(password)
    if (folded in COMMON_PASSWORDS or password.casefold() in COMMON_PASSWORDS
            or len(set(folded)) < 4 or _runs_in_order(folded)):
        return WEAK_PASSWORD
    own = [_fold(login.strip())] if len(login.strip()) >= 3 else []
    own += [_fold(part) for part in re.split(r"[\s.\-_]+", full_name) if len(part) >= 3]
    if any(part in folded for part in own):
        return "Lösenordet får inte innehålla användarnamnet eller namnet."
    return None


def new_user_problems(data: NewUser) -> dict[str, str]:
    """Every field's problem at once, in the form's order, keyed by field name (empty: all
    fine). Whether the login is taken is asked by `add_user` (it needs the database)."""
    problems: dict[str, str] = {}
    if not data.full_name.strip():
        problems["full_name"] = "Skriv användarens för- och efternamn."
    login = login_problem(data.login)
    if login:
        problems["login"] = login
    initials = data.initials.strip() or propose_initials(data.full_name)
    if data.full_name.strip() and not 1 <= len(initials) <= 10:
        problems["initials"] = "Skriv initialer, 1–10 tecken."
    if data.unit_id is None:
        problems["unit"] = "Välj användarens enhet."
    if data.role is None:
        problems["role"] = "Välj en roll."
    password = password_problem(data.password, login=data.login, full_name=data.full_name)
    if password:
        problems["password"] = password
    if data.password_repeat is not None and data.password != data.password_repeat:
        problems["password_repeat"] = PASSWORDS_DIFFER
    if data.email.strip() and "@" not in data.email:
        problems["email"] = "E-postadressen ser inte riktig ut."
    texts = text_problems(User, {"full_name": data.full_name, "initials": data.initials,
                                 "login": data.login, "profession": data.profession,
                                 "phone": data.phone, "email": data.email})
    for name, message in texts.items():
        problems.setdefault(name, message)
    return problems


def _first_problem(problems: dict[str, str]) -> None:
    for field, message in problems.items():
        raise ValidationError(message, field=field)


# ---- the changes -----------------------------------------------------------------------------

def _account(user: User) -> str:
    return f"{user.full_name} ({user.login})"


def _user_by_login(login: str) -> User:
    user = User.get_or_none(User.login == login.strip().lower())
    if user is None:
        raise ValidationError(f"Det finns ingen användare {login.strip()}.", field="login")
    return user


def add_user(actor: User | None, data: NewUser) -> User:
    """A new user and — on PostgreSQL — their login role on the server, a member of
    `sipdesk_user` with the password: both or neither (one transaction; PostgreSQL makes roles
    transactionally). A login that is taken is said at the login field."""
    _require_administrator(actor)
    _first_problem(new_user_problems(data))
    unit = Unit.select(Unit, Principal).join(Principal).where(Unit.id == data.unit_id).first()
    if unit is None:
        raise ValidationError("Enheten finns inte längre. Välj en annan.", field="unit")
    assert data.role is not None
    postgresql = login_roles.is_postgresql()
    with database.atomic():
        user = create_user(
            login=data.login, full_name=data.full_name,
            initials=data.initials.strip() or propose_initials(data.full_name), unit=unit,
            role=data.role, profession=data.profession, phone=data.phone, email=data.email,
            password=None if postgresql else data.password)
        login_roles.create_login_role(user.login, data.password)
        record(actor, action=AuditAction.CREATE, entity="app_user", entity_id=user.id,
               summary=f"Användare upplagd: {_account(user)}, {unit.name}, {data.role.label}",
               changes={"role": [None, data.role.value], "unit": [None, unit.id]})
    user.unit = unit
    return user


def _set_active(actor: User | None, login: str, active: bool) -> User:
    _require_administrator(actor)
    user = _user_by_login(login)
    if not active and actor is not None and user.id == actor.id:
        raise ValidationError(NOT_YOURSELF)
    with database.atomic():
        if user.active != active:
            User.update(active=active, version=User.version + 1).where(
                User.id == user.id).execute()
            record(actor, action=AuditAction.STATE, entity="app_user", entity_id=user.id,
                   summary=("Användare aktiverad igen: " if active
                            else "Användare inaktiverad: ") + _account(user),
                   changes={"active": [user.active, active]})
        # Also when nothing changed in sipdesk: the server's login follows the user.
        if active:
            login_roles.enable_login_role(user.login)
        else:
            login_roles.disable_login_role(user.login)
    return User.get_by_id(user.id)


def deactivate_user(actor: User | None, login: str) -> User:
    """The user can no longer log in: inactive in sipdesk (the core then shows them no case,
    `sipdesk.accounts.access`) and, on PostgreSQL, their login role disabled (NOLOGIN). Their
    name stays on everything they wrote. An administrator cannot deactivate themselves."""
    return _set_active(actor, login, False)


def reactivate_user(actor: User | None, login: str) -> User:
    """The user can log in again with the password they had (on PostgreSQL the role may log in
    again; a role that was never made is made, without a password)."""
    return _set_active(actor, login, True)


def set_password(actor: User | None, login: str, password: str,
                 repeated: str | None = None) -> User:
    """A new password for the user: on SQLite a new argon2id hash in their row, on PostgreSQL
    their login role's password on the server (hashed on this machine first)."""
    _require_administrator(actor)
    user = _user_by_login(login)
    problem = password_problem(password, login=user.login, full_name=user.full_name)
    if problem:
        raise ValidationError(problem, field="password")
    if repeated is not None and repeated != password:
        raise ValidationError(PASSWORDS_DIFFER,
                              field="password_repeat")
    with database.atomic():
        if login_roles.is_postgresql():
            login_roles.set_login_password(user.login, password)  # the server keeps it
            stored = None
        else:
            stored = hash_password(password)
        User.update(password_hash=stored, version=User.version + 1).where(
            User.id == user.id).execute()
        record(actor, action=AuditAction.UPDATE, entity="app_user", entity_id=user.id,
               summary=f"Nytt lösenord för {_account(user)}")
    return User.get_by_id(user.id)
