"""Users and logging in. On SQLite a user logs in with a password stored as a salted scrypt
hash; on PostgreSQL the server checks the password and the database user is the sipdesk login."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets

from sipdesk.errors import AuthError, ValidationError
from sipdesk.storage.collation import ordered
from sipdesk.storage.limits import check_texts
from sipdesk.storage.models import Role, Unit, User

_N, _R, _P = 2**14, 8, 1
_LOGIN = re.compile(r"^[a-z0-9._-]{2,100}$")
MIN_PASSWORD = 8


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    enc = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${enc(salt).decode()}${enc(digest).decode()}"


def verify_password(password: str, stored: str | None) -> bool:
    if not stored or not stored.startswith("scrypt$"):
        return False
    try:
        _, n, r, p, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


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
    loaded (the status bar shows it)."""
    user = _with_unit(login)
    if user is None or not user.active or not verify_password(password, user.password_hash):
        raise AuthError("Fel användarnamn eller lösenord.", field="password")
    return user


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
