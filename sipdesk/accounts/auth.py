"""Users and logging in. On SQLite a user logs in with a password stored as an argon2id hash
(`password_hash`; older scrypt hashes are upgraded at login) and repeated failures are slowed
down (`login_throttle`); on PostgreSQL the server checks the password and the database user is
the sipdesk login."""

from __future__ import annotations

import logging
import re

from sipdesk.accounts import login_throttle
from sipdesk.accounts.password_hash import (
    hash_password,
    needs_rehash,
    spend_a_check,
    verify_password,
)
from sipdesk.errors import AuthError, ValidationError
from sipdesk.storage.collation import ordered
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind, check_connection
from sipdesk.storage.limits import check_texts
from sipdesk.storage.models import Role, Unit, User

__all__ = ["hash_password", "verify_password"]  # re-exported: demo data and tests hash here

log = logging.getLogger("sipdesk.accounts.auth")

_LOGIN = re.compile(r"^[a-z0-9._-]{2,100}$")
MIN_PASSWORD = 8
WRONG_LOGIN = "Fel användarnamn eller lösenord."


class LoginWait(AuthError):
    """Too many failed tries: the next one is allowed in `seconds`."""

    def __init__(self, seconds: int) -> None:
        unit = "sekund" if seconds == 1 else "sekunder"
        super().__init__(
            f"För många felaktiga försök. Vänta {seconds} {unit} och försök sedan igen.",
            field="password",
        )
        self.seconds = seconds


def validate_login(login: str) -> str:
    login = login.strip().lower()
    if not _LOGIN.match(login):
        raise ValidationError(
            "Användarnamnet ska vara 2–100 tecken: små bokstäver a–z, siffror, punkt, "
            "bindestreck eller understreck.",
            field="login",
        )
    return login


def validate_password(password: str, repeated: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            f"Lösenordet måste ha minst {MIN_PASSWORD} tecken.", field="password"
        )
    if repeated is not None and password != repeated:
        raise ValidationError("Lösenorden är inte lika.", field="password_repeat")


def create_user(
    *,
    login: str,
    full_name: str,
    initials: str,
    unit: Unit,
    role: Role,
    profession: str = "",
    phone: str = "",
    email: str = "",
    password: str | None = None,
) -> User:
    """Create a user; validates every field with a Swedish message."""
    check_texts(User, {"login": login, "full_name": full_name, "profession": profession,
                       "phone": phone, "email": email})
    login = validate_login(login)
    if not full_name.strip():
        raise ValidationError("Ange för- och efternamn.", field="full_name")
    initials = initials.strip().upper()
    if not 1 <= len(initials) <= 10:
        raise ValidationError("Ange initialer (1–10 tecken).", field="initials")
    if email and "@" not in email:
        raise ValidationError("E-postadressen ser inte riktig ut.", field="email")
    if User.select().where(User.login == login).exists():
        raise ValidationError(f"Användarnamnet {login} är upptaget.", field="login")
    return User.create(
        login=login,
        full_name=full_name.strip(),
        initials=initials,
        unit=unit,
        role=role.value,
        profession=profession.strip(),
        phone=phone.strip(),
        email=email.strip(),
        password_hash=hash_password(password) if password else None,
    )


def active_users() -> list[User]:
    query = User.select().where(User.active == True)  # noqa: E712
    return list(query.order_by(ordered(User.full_name)))


def authenticate(login: str, password: str) -> User:
    """The active user with this login and password (SQLite), or AuthError; with its unit
    loaded (the status bar shows it).

    An unknown or inactive login takes the same path, and the same time, as a wrong password
    (a check against a dummy hash). After five failed tries in a row the next is allowed only
    after a growing wait (`login_throttle`: LoginWait). A hash from an earlier version (scrypt)
    or with older parameters is replaced by a new argon2id hash here, while the password is at
    hand."""
    key = login.strip().lower()
    waiting = login_throttle.wait_left(key)
    if waiting:
        raise LoginWait(waiting)
    user = _with_unit(key)
    stored = user.password_hash if user is not None and user.active else None
    if stored:
        right = verify_password(password, stored)
    else:
        spend_a_check(password)
        right = False
    if user is None or not right:
        login_throttle.failed(key, user.id if user is not None else None)
        raise AuthError(WRONG_LOGIN, field="password")
    login_throttle.succeeded(key)
    assert stored is not None
    if needs_rehash(stored):
        user.password_hash = hash_password(password)
        User.update(password_hash=user.password_hash).where(User.id == user.id).execute()
        log.info("password hash of user %s upgraded", user.id)
    return user


def unlock_desk(user: User, url: DatabaseUrl, password: str) -> None:
    """The locked desk opens for the logged-in user's password, or AuthError (LoginWait after
    five wrong tries, as at the login).

    On SQLite that is the sipdesk password, checked as at the login. On PostgreSQL it is the
    password the server accepts for the session's database user, checked by connecting with it
    (a server that asks for no password — `trust` in pg_hba.conf — accepts any: the README
    tells IT to require one). A server that cannot be reached raises its ConnectionProblem:
    the desk stays locked and says why."""
    if url.engine is Engine.SQLITE:
        authenticate(user.login, password)
        return
    key = f"server {url.keyring_key}"
    waiting = login_throttle.wait_left(key)
    if waiting:
        raise LoginWait(waiting)
    try:
        check_connection(url, password)
    except ConnectionProblem as problem:
        if problem.kind not in (ProblemKind.WRONG_PASSWORD, ProblemKind.PASSWORD_NEEDED):
            raise
        login_throttle.failed(key, user.id)
        raise AuthError(WRONG_LOGIN, field="password") from None
    login_throttle.succeeded(key)


def user_for_database_login(login: str) -> User:
    """The sipdesk user matching a PostgreSQL login (the server already checked the password),
    with its unit loaded."""
    user = _with_unit(login)
    if user is None or not user.active:
        raise AuthError(
            f"Databasanvändaren {login} är inte upplagd som användare i sipdesk. "
            "Be en administratör lägga upp dig.",
        )
    return user


def _with_unit(login: str) -> User | None:
    return (User.select(User, Unit).join(Unit)
            .where(User.login == login.strip().lower()).get_or_none())


def active_users_with_unit() -> list[User]:
    """Active users by name, each with its unit loaded in the same query (the login list)."""
    query = (
        User.select(User, Unit)
        .join(Unit)
        .where(User.active == True)  # noqa: E712
        .order_by(ordered(User.full_name))
    )
    return list(query)
