"""Each sipdesk user's own login on a shared PostgreSQL server (issue 12).

A sipdesk user logs in to PostgreSQL as a login role named like their sipdesk login, a member of
the group role `sipdesk_user` (made by migration 15, which also gives that group its grants and
the row-level-security policies). The server checks the password; the policies keep each login
to the cases `sipdesk.accounts.access` lets them see. On SQLite there are no roles: every
function here does nothing there.

Making and changing roles needs a connection with the right to: the schema's owner, a
superuser, or a role with CREATEROLE (the command line) does it itself. An administrator in the
app is connected as their own login role, which has no such right: for them the server does it
in `sipdesk_manage_login` (migration 20), which checks that they are a sipdesk administrator and
touches only plain sipdesk logins. A password never reaches the server in clear text: it is
hashed (SCRAM-SHA-256) on this machine by libpq first, so neither a statement log nor
`pg_stat_activity` ever holds it.
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


def not_a_sipdesk_login(login: str) -> str:
    return (f"Det finns redan en inloggning som heter {login} på databasservern, och den hör "
            "inte till sipdesk. Välj ett annat användarnamn.")


def _sqlstate(exc: peewee.DatabaseError) -> str | None:
    """The server's SQLSTATE of a driver error that peewee wrapped (kept as `orig`)."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None)


@contextmanager
def _server_rights(login: str = "") -> Iterator[None]:
    """A refusal by the server in Swedish: the connection may not make roles, or a role of
    that name is no sipdesk login (sipdesk_manage_login)."""
    try:
        yield
    except peewee.DatabaseError as exc:
        state = _sqlstate(exc)
        if state == "42710":  # duplicate_object: a role of that name that is not ours
            raise ValidationError(not_a_sipdesk_login(login), field="login") from None
        if (state == "42501" or "permission denied" in str(exc)
                or "must have" in str(exc)):
            raise PermissionDenied(NO_RIGHT) from None
        raise


def _acts_itself() -> bool:
    """Whether this connection may make and change roles itself (the owner with CREATEROLE, a
    superuser); otherwise the server's `sipdesk_manage_login` does it for an administrator."""
    row = database.execute_sql(
        "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user",
    ).fetchone()
    return bool(row and row[0])


def _refuse_privileged(login: str) -> None:
    """Acting itself, the connection still takes over no role that is more than a login: a
    superuser, a role that may make roles or databases, replicate or pass row-level security,
    or the connection's own role (the owner) or one of its members — the same roles that
    `sipdesk_manage_login` refuses. A plain role of that name is reused (README)."""
    row = database.execute_sql(
        "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls "
        "OR pg_has_role(oid, current_user, 'MEMBER') FROM pg_roles WHERE rolname = %s",
        (login,)).fetchone()
    if row is not None and row[0]:
        raise ValidationError(not_a_sipdesk_login(login), field="login")


def _through_server(login: str, action: str, password: str | None) -> bool:
    """`sipdesk_manage_login` (migration 20): the administrator's change, made by the server."""
    verifier = _hashed(login, password) if password else None
    with _server_rights(login):
        row = database.execute_sql("SELECT sipdesk_manage_login(%s, %s, %s)",
                                   (login, action, verifier)).fetchone()
    return bool(row and row[0])


def role_exists(login: str) -> bool:
    row = database.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
    return row is not None


def is_postgresql() -> bool:
    return engine_of() is Engine.POSTGRESQL


def create_login_role(login: str, password: str | None) -> bool:
    """Give `login` its server login in the `sipdesk_user` group. A role of that name may exist
    already — roles are per server, and another sipdesk database (a demo, a test copy) may have
    made it: it is reused, made a member of the group and allowed to log in, and its password
    is kept unless one is given. Through the server (an administrator in the app) only a role
    that is a plain sipdesk login is reused; another one is refused at the login field. Returns
    whether the role was new. Nothing on SQLite."""
    if not is_postgresql():
        return False
    name = _identifier(login)
    if not _acts_itself():
        made = _through_server(login, "create", password)
        log.info("login role %s", "created" if made else "reused")
        return made
    _refuse_privileged(login)
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
    if not is_postgresql():
        return
    name = _identifier(login)
    if not _acts_itself():
        _through_server(login, "disable", None)
    elif role_exists(login):
        _refuse_privileged(login)
        with _server_rights(login):
            database.execute_sql(f"ALTER ROLE {name} NOLOGIN")
    log.info("login role disabled")


def enable_login_role(login: str) -> None:
    """The user can log in to the server again (a user activated again): the role is allowed
    to log in, in the group — made, without a password, when there is none. Nothing on SQLite."""
    create_login_role(login, None)


def set_login_password(login: str, password: str) -> None:
    """The user's new password on the server (made SCRAM-SHA-256 here first). The role is made
    when there is none (able to log in only if the user is active). Nothing on SQLite."""
    if not is_postgresql():
        return
    name = _identifier(login)
    if not _acts_itself():
        _through_server(login, "password", password)
    else:
        _refuse_privileged(login)
        secret = _literal(_hashed(login, password))
        with _server_rights(login):
            if role_exists(login):
                database.execute_sql(f"ALTER ROLE {name} PASSWORD {secret}")
            else:
                active = database.execute_sql(
                    "SELECT active FROM app_user WHERE login = %s", (login,)).fetchone()
                can = "LOGIN" if active and active[0] else "NOLOGIN"
                database.execute_sql(f"CREATE ROLE {name} {can} PASSWORD {secret} IN ROLE {GROUP}")
    log.info("login role password set")
