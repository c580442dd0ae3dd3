"""The users' own login roles on the PostgreSQL test server, for tests of user administration.

Roles are per server, not per database: a test names its logins uniquely (`unique_login`) and
drops every role it made (`LoginRoles`). What the server holds for a login is read as the test
server's superuser (`on_server`): whether it may log in, whether it is in `sipdesk_user`, and its
SCRAM-SHA-256 verifier, which `scram_matches` checks against a password the way the server does
(the test server trusts 127.0.0.1, so logging in there would not check the password).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import peewee
import psycopg

from sipdesk.accounts import auth
from sipdesk.errors import AuthError
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database, parse_url
from tests.conftest import PG_ADMIN_URL


def unique_login(name: str) -> str:
    """`name` with a prefix of this run, e.g. t3fa9c1.lena.strand."""
    return f"t{uuid.uuid4().hex[:6]}.{name}"


def _superuser(url: DatabaseUrl) -> psycopg.Connection:
    admin = parse_url(PG_ADMIN_URL)
    return psycopg.connect(host=url.host, port=url.port, dbname=url.name, user=admin.user,
                           autocommit=True, connect_timeout=5)


@dataclass(frozen=True)
class ServerLogin:
    can_log_in: bool
    in_group: bool  # a member of sipdesk_user
    verifier: str | None


def on_server(url: DatabaseUrl, login: str) -> ServerLogin | None:
    """What the server holds for `login`, or None when there is no such role."""
    with _superuser(url) as connection:
        row = connection.execute(
            "SELECT rolcanlogin, pg_has_role(oid, 'sipdesk_user', 'MEMBER'), rolpassword "
            "FROM pg_authid WHERE rolname = %s", (login,)).fetchone()
    return ServerLogin(*row) if row is not None else None


def scram_matches(verifier: str | None, password: str) -> bool:
    """Whether `password` is the one the server's SCRAM-SHA-256 verifier was made from
    (RFC 5802: the stored key is H(HMAC(Hi(password, salt, i), "Client Key")))."""
    if not verifier or not verifier.startswith("SCRAM-SHA-256$"):
        return False
    iterations_salt, keys = verifier.removeprefix("SCRAM-SHA-256$").split("$")
    iterations, salt = iterations_salt.split(":")
    stored_key = keys.split(":")[0]
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt),
                                 int(iterations))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    return base64.b64encode(hashlib.sha256(client_key).digest()).decode() == stored_key


def connects(url: DatabaseUrl, login: str) -> bool:
    """Whether the server lets `login` in (NOLOGIN refuses even where it trusts the host)."""
    try:
        with psycopg.connect(host=url.host, port=url.port, dbname=url.name, user=login,
                             connect_timeout=5):
            return True
    except psycopg.OperationalError as refused:
        assert "not permitted to log in" in str(refused), refused
        return False


@dataclass
class LoginRoles:
    """The logins a test makes; on PostgreSQL each is unique to the run and its role is dropped
    when the test ends (`login_roles_dropped`). On SQLite a login is just the name."""

    url: DatabaseUrl
    names: list[str] = field(default_factory=list)

    def new(self, name: str) -> str:
        login = unique_login(name) if self.url.engine is Engine.POSTGRESQL else name
        self.names.append(login)
        return login


@contextmanager
def login_roles_dropped(url: DatabaseUrl) -> Iterator[LoginRoles]:
    roles = LoginRoles(url)
    try:
        yield roles
    finally:
        if roles.names and url.engine is Engine.POSTGRESQL:
            with _superuser(url) as connection:
                connection.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE usename = ANY(%s)", (roles.names,))
                for name in roles.names:
                    connection.execute(f'DROP ROLE IF EXISTS "{name}"')


@contextmanager
def connected_as(owner: peewee.Database, url: DatabaseUrl, login: str) -> Iterator[None]:
    """The models bound to the database as `login`'s own role (what the app does on a shared
    server), then bound back to the owner's connection `owner`."""
    database.close()
    connect(DatabaseUrl(url.engine, host=url.host, port=url.port, name=url.name, user=login))
    try:
        yield
    finally:
        database.close()
        database.initialize(owner)


def logs_in(url: DatabaseUrl, login: str, password: str) -> bool:
    """Whether `login` can log in with `password`: SQLite checks it itself; on PostgreSQL the
    server must let the role in and hold this password for it, and the app must know them."""
    if url.engine is Engine.SQLITE:
        try:
            auth.authenticate(login, password)
        except AuthError:
            return False
        return True
    held = on_server(url, login)
    if held is None or not held.in_group or not connects(url, login):
        return False
    try:
        auth.user_for_database_login(login)
    except AuthError:
        return False
    return scram_matches(held.verifier, password)
