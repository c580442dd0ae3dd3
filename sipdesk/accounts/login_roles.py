"""Each sipdesk user's own login on a shared PostgreSQL server (issue 12).

A sipdesk user logs in to PostgreSQL as a login role named like their sipdesk login, a member of
the group role `sipdesk_user` (made by migration 15, which also gives that group its grants and
the row-level-security policies). The server checks the password; the policies keep each login
to the cases `sipdesk.accounts.access` lets them see. On SQLite there are no roles: every
function here does nothing there.

Making and disabling roles needs a connection with the right to (the schema's owner, a
superuser, or an administrator role with CREATEROLE). A password never reaches the server in
clear text: it is hashed (SCRAM-SHA-256) on this machine by libpq first, so neither a statement
log nor `pg_stat_activity` ever holds it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import peewee

from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.storage.db import Engine, database, engine_of

log = logging.getLogger("sipdesk.accounts.login_roles")

GROUP = "sipdesk_user"  # the group role of migration 15


def _identifier(name: str) -> str:
    """`name` as an SQL identifier, quoted; logins are [a-z0-9._-] (auth.validate_login), and a
    double quote is refused outright rather than escaped."""
    if not name or '"' in name or "\x00" in name:
        raise ValidationError("Ogiltigt användarnamn.", field="login")
    return f'"{name}"'


def _literal(text: str) -> str:
    """An SQL string literal (standard_conforming_strings is on since PostgreSQL 9.1)."""
    return "'" + text.replace("'", "''") + "'"


def _hashed(login: str, password: str) -> str:
    """The password as the server stores it (SCRAM-SHA-256), computed here by libpq."""
    connection = database.connection()
    encrypted: bytes = connection.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256")
    return encrypted.decode()


NO_RIGHT = ("Du har inte rätt att ändra inloggningar på databasservern. Kör kommandot som "
            "databasens ägare eller som en administratör med rätten CREATEROLE.")


@contextmanager
def _server_rights() -> Iterator[None]:
    """A refusal by the server (the connection may not make roles) in Swedish."""
    try:
        yield
    except peewee.ProgrammingError as exc:
        if "permission denied" in str(exc) or "must have" in str(exc):
            raise PermissionDenied(NO_RIGHT) from None
        raise


def role_exists(login: str) -> bool:
    row = database.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    return row is not None


def is_postgresql() -> bool:
    return engine_of() is Engine.POSTGRESQL


def create_login_role(login: str, password: str | None) -> bool:
    """Give `login` its server login in the `sipdesk_user` group. A role of that name may exist
    already — roles are per server, and another sipdesk database (a demo, a test copy) may have
    made it: it is reused, made a member of the group and allowed to log in, and its password
    is kept unless one is given. Returns whether the role was new. Nothing on SQLite."""
    if not is_postgresql():
        return False
    name = _identifier(login)
    secret = f" PASSWORD {_literal(_hashed(login, password))}" if password else ""
    with _server_rights():
        if role_exists(login):
            database.execute_sql(f"GRANT {GROUP} TO {name}")
            database.execute_sql(f"ALTER ROLE {name} LOGIN{secret}")
            log.info("existing login role reused")
            return False
        database.execute_sql(f"CREATE ROLE {name} LOGIN{secret} IN ROLE {GROUP}")
    log.info("login role created")
    return True


def ensure_login_roles(logins: Iterable[str], password: str) -> list[str]:
    """Login roles for many users at once (`sipdesk demo`): a new role gets `password`, an
    existing one is reused as it is (its password kept: it may be someone's real login).
    Returns the logins whose roles were made now."""
    if not is_postgresql():
        return []
    made = []
    for login in logins:
        if role_exists(login):
            with _server_rights():
                database.execute_sql(f"GRANT {GROUP} TO {_identifier(login)}")
        elif create_login_role(login, password):
            made.append(login)
    return made


def disable_login_role(login: str) -> None:
    """The user can no longer log in to the server (a deactivated sipdesk user). The role stays:
    it is named in the audit log's history, and a user can be activated again."""
    if not is_postgresql() or not role_exists(login):
        return
    with _server_rights():
        database.execute_sql(f"ALTER ROLE {_identifier(login)} NOLOGIN")
    log.info("login role disabled")
