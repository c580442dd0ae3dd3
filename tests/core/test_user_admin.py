"""User administration (issue 12): an administrator adds a user, deactivates and activates them
again and gives them a new password — on the admin screen and the command line, through
`sipdesk.accounts.user_admin`. On both engines: the user can log in afterwards (SQLite: the
argon2id hash in their row; PostgreSQL: their own login role in sipdesk_user, with the
password's SCRAM verifier), or cannot once deactivated. Anyone but an administrator is refused
by the core. Each change is in the audit log — who did what to which account, never the
password. Bad input is refused with a Swedish message at its field, and nothing changes.

On PostgreSQL an administrator in the app is connected as their own login role, which may not
make roles: the server's `sipdesk_manage_login` (migration 20) does it for them, and refuses
anyone else and any role that is not a plain sipdesk login."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import peewee
import psycopg
import pytest

from sipdesk.accounts import auth, user_admin
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.accounts.user_admin import ADMINISTRATORS_ONLY, NewUser
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.storage.db import DatabaseUrl, Engine, database, engine_of
from sipdesk.storage.models import Role, Unit, User
from tests.factories import make_unit, make_user
from tests.server_logins import (
    LoginRoles,
    connected_as,
    connects,
    login_roles_dropped,
    logs_in,
    on_server,
)

PASSWORD = "gul cykel vid sjön"
NEW_PASSWORD = "blå båt i hamnen"


@pytest.fixture
def roles(db: peewee.Database, db_url: DatabaseUrl) -> Iterator[LoginRoles]:
    """The logins the test makes; on PostgreSQL their roles are dropped afterwards."""
    with login_roles_dropped(db_url) as made:
        yield made


@pytest.fixture
def admin(db: peewee.Database) -> User:
    return make_user("eva.admin", role=Role.ADMINISTRATOR, full_name="Eva Admin",
                     unit=make_unit("Kansliet"))


def _new(name: str, unit: Unit, **changes: object) -> NewUser:
    data = NewUser(full_name="Lena Strand", login=name, unit_id=unit.id, role=Role.STAFF,
                   password=PASSWORD, password_repeat=PASSWORD, profession="Undersköterska")
    for name, value in changes.items():
        setattr(data, name, value)
    return data


def _entries() -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.entity == "app_user")
                .order_by(AuditEntry.id))


def _never_the_password(entries: list[AuditEntry], *passwords: str) -> None:
    for entry in entries:
        text = json.dumps([entry.summary, entry.changes], ensure_ascii=False)
        assert not any(password in text for password in passwords)
        assert "argon2" not in text and "SCRAM" not in text


def test_an_administrator_adds_a_user_who_can_log_in(
        admin: User, roles: LoginRoles, db_url: DatabaseUrl) -> None:
    """Issue 12: the admin screen's "Lägg upp användare" — on PostgreSQL a login role in
    sipdesk_user; on SQLite an argon2id hash."""
    login = roles.new("lena.strand")
    unit = make_unit("Hemtjänst Norr")
    user = user_admin.add_user(admin, _new(login, unit))
    assert (user.full_name, user.initials, user.role, user.active) == (
        "Lena Strand", "LS", Role.STAFF.value, True)
    if db_url.engine is Engine.SQLITE:
        assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    else:
        assert user.password_hash is None  # the server keeps the password
    assert logs_in(db_url, login, PASSWORD)
    assert not logs_in(db_url, login, NEW_PASSWORD)
    [entry] = _entries()
    assert (entry.user_id, entry.action, entry.entity_id, entry.case_id) == (
        admin.id, AuditAction.CREATE.value, user.id, None)
    assert entry.summary == f"Användare upplagd: Lena Strand ({login}), Hemtjänst Norr, Personal"
    _never_the_password([entry], PASSWORD)
    assert [row.login for row in user_admin.users(admin)] == ["eva.admin", login]


def test_deactivated_they_cannot_log_in_and_activated_again_they_can(
        admin: User, roles: LoginRoles, db_url: DatabaseUrl) -> None:
    login = roles.new("lena.strand")
    user_admin.add_user(admin, _new(login, make_unit("Hemtjänst Norr")))
    assert not user_admin.deactivate_user(admin, login).active
    assert not logs_in(db_url, login, PASSWORD)
    if db_url.engine is Engine.POSTGRESQL:
        held = on_server(db_url, login)
        assert held is not None and not held.can_log_in  # NOLOGIN: no psql either
    assert user_admin.reactivate_user(admin, login).active
    assert logs_in(db_url, login, PASSWORD)
    _created, deactivated, reactivated = _entries()
    assert [(e.action, e.user_id) for e in (deactivated, reactivated)] == [
        (AuditAction.STATE.value, admin.id)] * 2
    assert deactivated.summary == f"Användare inaktiverad: Lena Strand ({login})"
    assert reactivated.summary == f"Användare aktiverad igen: Lena Strand ({login})"
    assert json.loads(deactivated.changes) == {"active": [True, False]}
    # Doing it twice changes nothing and logs nothing more.
    user_admin.reactivate_user(admin, login)
    assert len(_entries()) == 3


def test_a_new_password_replaces_the_old_one(
        admin: User, roles: LoginRoles, db_url: DatabaseUrl) -> None:
    login = roles.new("lena.strand")
    user_admin.add_user(admin, _new(login, make_unit("Hemtjänst Norr")))
    user_admin.set_password(admin, login, NEW_PASSWORD, NEW_PASSWORD)
    assert logs_in(db_url, login, NEW_PASSWORD)
    assert not logs_in(db_url, login, PASSWORD)
    entry = _entries()[-1]
    assert (entry.action, entry.user_id, entry.summary) == (
        AuditAction.UPDATE.value, admin.id, f"Nytt lösenord för Lena Strand ({login})")
    _never_the_password(_entries(), PASSWORD, NEW_PASSWORD)


def test_only_an_administrator_may_and_nothing_changes_otherwise(
        admin: User, roles: LoginRoles, db_url: DatabaseUrl) -> None:
    """The core refuses a non-administrator (and a deactivated administrator), whatever the
    screen shows: the same Swedish sentence from every function."""
    unit = make_unit("Hemtjänst Norr")
    officer = make_user("anna.berg", unit=unit)
    former = make_user("gammal.admin", role=Role.ADMINISTRATOR, full_name="Gammal Admin",
                       unit=unit)
    user_admin.deactivate_user(admin, "gammal.admin")
    login = roles.new("lena.strand")
    calls: list[Callable[[User], object]] = [
        user_admin.users, user_admin.unit_choices,
        lambda actor: user_admin.add_user(actor, _new(login, unit)),
        lambda actor: user_admin.deactivate_user(actor, "anna.berg"),
        lambda actor: user_admin.reactivate_user(actor, "gammal.admin"),
        lambda actor: user_admin.set_password(actor, "eva.admin", NEW_PASSWORD)]
    for actor in (officer, User.get_by_id(former.id)):
        for call in calls:
            with pytest.raises(PermissionDenied) as refused:
                call(actor)
            assert refused.value.message == ADMINISTRATORS_ONLY
    assert not User.select().where(User.login == login).exists()
    assert User.get(User.login == "anna.berg").active
    assert logs_in(db_url, "eva.admin", "hemligt123") or db_url.engine is Engine.POSTGRESQL
    if db_url.engine is Engine.POSTGRESQL:
        assert on_server(db_url, login) is None
    assert len(_entries()) == 1  # only the administrator's own deactivation


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"full_name": "  "}, "full_name", "Skriv användarens för- och efternamn."),
    ({"login": "Åsa Öberg"}, "login", "Användarnamnet ska vara 2–100 tecken"),
    ({"login": "pg_lena"}, "login", "Användarnamnet pg_lena är reserverat"),
    ({"login": "sipdesk_user"}, "login", "Användarnamnet sipdesk_user är reserverat"),
    ({"login": "l" * 64}, "login", "Användarnamnet får vara högst 63 tecken."),
    ({"password": "kort1", "password_repeat": "kort1"}, "password",
     "Lösenordet måste ha minst 8 tecken."),
    ({"password": "12345678", "password_repeat": "12345678"}, "password",
     "Lösenordet är för lätt att gissa"),
    ({"password": "Lösenord1", "password_repeat": "Lösenord1"}, "password",
     "Lösenordet är för lätt att gissa"),
    ({"password": "aaaabbbb1", "password_repeat": "aaaabbbb1"}, "password",
     "Lösenordet är för lätt att gissa"),
    ({"password": "strand-2026!", "password_repeat": "strand-2026!"}, "password",
     "Lösenordet får inte innehålla användarnamnet eller namnet."),
    ({"password_repeat": "något annat"}, "password_repeat", "Lösenorden är inte lika"),
    ({"unit_id": None}, "unit", "Välj användarens enhet."),
    ({"role": None}, "role", "Välj en roll."),
])
def test_bad_input_is_refused_at_its_field(
        admin: User, db_url: DatabaseUrl, changes: dict[str, object], field: str,
        message: str) -> None:
    unit = make_unit("Hemtjänst Norr")
    data = _new("lena.strand", unit, **changes)
    assert user_admin.new_user_problems(data)[field].startswith(message)
    with pytest.raises(ValidationError) as refused:
        user_admin.add_user(admin, data)
    assert (refused.value.field, refused.value.message.startswith(message)) == (field, True)
    assert User.select().count() == 1 and _entries() == []


def test_a_login_that_is_taken_is_said_at_the_login_field(
        admin: User, roles: LoginRoles) -> None:
    login = roles.new("lena.strand")
    unit = make_unit("Hemtjänst Norr")
    user_admin.add_user(admin, _new(login, unit))
    with pytest.raises(ValidationError) as refused:
        user_admin.add_user(admin, _new(login.upper(), unit, full_name="Lena Annan"))
    assert refused.value.field == "login"
    assert refused.value.message == f"Användarnamnet {login} är upptaget."
    assert User.select().count() == 2 and len(_entries()) == 1


def test_an_administrator_cannot_deactivate_themselves(admin: User) -> None:
    with pytest.raises(ValidationError, match="Du kan inte inaktivera dig själv"):
        user_admin.deactivate_user(admin, "eva.admin")
    assert User.get_by_id(admin.id).active


def test_a_weak_new_password_is_refused_at_its_field(admin: User) -> None:
    make_user("anna.berg")
    for password, field in (("hemligt1", "password"), ("anna.berg99", "password"),
                            (NEW_PASSWORD, "password_repeat")):
        with pytest.raises(ValidationError) as refused:
            user_admin.set_password(admin, "anna.berg", password, "inte samma")
        assert refused.value.field == field
    assert _entries() == []


def test_the_list_shows_every_user_in_swedish_order_with_unit_and_role(
        admin: User) -> None:
    unit = make_unit("Hemtjänst Norr")
    make_user("orjan.ek", unit=unit, full_name="Örjan Ek")
    make_user("asa.ek", unit=unit, full_name="Åsa Ek", role=Role.UNIT_MANAGER)
    make_user("zorro.ek", unit=unit, full_name="Zorro Ek")
    user_admin.deactivate_user(admin, "zorro.ek")
    rows = user_admin.users(admin)
    assert [row.full_name for row in rows] == ["Eva Admin", "Zorro Ek", "Åsa Ek", "Örjan Ek"]
    asa = rows[2]
    assert (asa.unit, asa.role, asa.active) == ("Hemtjänst Norr", Role.UNIT_MANAGER, True)
    assert not rows[1].active
    assert [c.name for c in user_admin.unit_choices(admin)] == ["Hemtjänst Norr", "Kansliet"]


# ---- PostgreSQL: the administrator's own login role, and the server's function ---------------

@pytest.fixture
def admin_login(pg_db: peewee.Database, pg_url: DatabaseUrl) -> Iterator[tuple[LoginRoles, User]]:
    """An administrator with their own login role (made by the owner, as `sipdesk users add`
    makes it), and an officer with theirs."""
    with login_roles_dropped(pg_url) as made:
        owner = None  # the command line, as the owner
        kansliet = make_unit("Kansliet")
        admin = user_admin.add_user(owner, NewUser(
            full_name="Eva Admin", login=made.new("eva.admin"), unit_id=kansliet.id,
            role=Role.ADMINISTRATOR, password=PASSWORD))
        user_admin.add_user(owner, NewUser(
            full_name="Anna Berg", login=made.new("anna.berg"), unit_id=kansliet.id,
            role=Role.CASE_OFFICER, password=PASSWORD))
        yield made, admin


def test_an_administrator_connected_as_themselves_manages_logins_through_the_server(
        pg_db: peewee.Database, pg_url: DatabaseUrl,
        admin_login: tuple[LoginRoles, User]) -> None:
    """The administrator's login role has no right to make roles (no CREATEROLE); the server's
    sipdesk_manage_login makes, disables, enables and sets the password for them."""
    made, admin = admin_login
    login = made.new("lena.strand")
    unit_id = Unit.get(Unit.name == "Kansliet").id
    with connected_as(pg_db, pg_url, admin.login):
        (create_role,) = database.execute_sql(
            "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user",
        ).fetchone()
        assert create_role is False
        me = auth.user_for_database_login(admin.login)
        user_admin.add_user(me, NewUser(full_name="Lena Strand", login=login, unit_id=unit_id,
                                        role=Role.STAFF, password=PASSWORD))
        assert logs_in(pg_url, login, PASSWORD)
        user_admin.set_password(me, login, NEW_PASSWORD)
        assert logs_in(pg_url, login, NEW_PASSWORD)
        user_admin.deactivate_user(me, login)
        assert not connects(pg_url, login)
        user_admin.reactivate_user(me, login)
        assert logs_in(pg_url, login, NEW_PASSWORD)
        assert [e.user_id for e in _entries()][-4:] == [me.id] * 4


def test_the_server_refuses_anyone_but_an_administrator_and_any_role_but_a_sipdesk_login(
        pg_db: peewee.Database, pg_url: DatabaseUrl,
        admin_login: tuple[LoginRoles, User]) -> None:
    made, admin = admin_login
    officer = next(name for name in made.names if name.endswith(".anna.berg"))
    # Someone else's role on the same server that is no sipdesk login, with a sipdesk user of
    # the same name in this database: the administrator cannot take it over.
    stranger = made.new("annan.app")
    database.execute_sql(f'CREATE ROLE "{stranger}" LOGIN')
    User.insert(login=stranger, full_name="Annan App", initials="AA", role=Role.STAFF.value,
                unit=admin.unit_id).execute()
    owner = database.execute_sql("SELECT current_user").fetchone()[0]
    with (psycopg.connect(host=pg_url.host, port=pg_url.port, dbname=pg_url.name,
                          user=officer) as connection,
          pytest.raises(psycopg.errors.InsufficientPrivilege)):
        connection.execute("SELECT sipdesk_manage_login(%s, 'disable', NULL)", (admin.login,))
    with psycopg.connect(host=pg_url.host, port=pg_url.port, dbname=pg_url.name,
                         user=admin.login) as connection:
        for login, action in ((stranger, "password"), (stranger, "enable"),
                              (owner, "disable")):
            with pytest.raises(psycopg.Error) as refused:
                connection.execute("SELECT sipdesk_manage_login(%s, %s, %s)",
                                   (login, action, "SCRAM-SHA-256$4096:c2FsdA==$a:b"))
            assert refused.value.sqlstate in ("42710", "42704")  # not ours / no such user
            connection.rollback()
        with pytest.raises(psycopg.errors.InvalidParameterValue):  # never a clear password
            connection.execute("SELECT sipdesk_manage_login(%s, 'password', 'hemligt-123')",
                               (officer,))
    assert connects(pg_url, stranger) and connects(pg_url, owner)
    # Through the app, said at the login field.
    with connected_as(pg_db, pg_url, admin.login):
        me = auth.user_for_database_login(admin.login)
        with pytest.raises(ValidationError) as refused:
            user_admin.set_password(me, stranger, NEW_PASSWORD)
        assert refused.value.field == "login" and "hör inte till sipdesk" in refused.value.message


def test_the_owner_does_not_take_over_a_privileged_role_either(
        pg_db: peewee.Database, pg_url: DatabaseUrl) -> None:
    """The command line acts itself as the owner, but still not on a superuser's role."""
    owner = database.execute_sql("SELECT current_user").fetchone()[0]
    User.insert(login=owner, full_name="Ägare", initials="Ä", role=Role.STAFF.value,
                unit=make_unit("Kansliet")).execute()
    with pytest.raises(ValidationError, match="hör inte till sipdesk"):
        user_admin.set_password(None, owner, NEW_PASSWORD)
    with pytest.raises(ValidationError, match="hör inte till sipdesk"):
        user_admin.deactivate_user(None, owner)
    assert engine_of() is Engine.POSTGRESQL and connects(pg_url, owner)
