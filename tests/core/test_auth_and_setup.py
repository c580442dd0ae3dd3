"""Logging in on SQLite and the first-run setup, on both engines."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.accounts import auth
from sipdesk.accounts.setup import SetupInput, first_run_setup, is_initialized
from sipdesk.errors import AuthError, ValidationError
from sipdesk.storage.models import Law, Principal, Role, Unit, User
from tests.factories import PASSWORD, make_user


def test_log_in_with_the_right_password_only(db: peewee.Database) -> None:
    user = make_user()
    assert auth.authenticate(" Anna.Berg ", PASSWORD) == user
    with pytest.raises(AuthError) as info:
        auth.authenticate("anna.berg", "fel-lösenord")
    assert info.value.message == "Fel användarnamn eller lösenord."
    assert info.value.field == "password"
    with pytest.raises(AuthError):
        auth.authenticate("finns.inte", PASSWORD)


def test_inactive_user_cannot_log_in(db: peewee.Database) -> None:
    user = make_user()
    User.update(active=False).where(User.id == user.id).execute()
    with pytest.raises(AuthError):
        auth.authenticate("anna.berg", PASSWORD)
    with pytest.raises(AuthError) as info:
        auth.user_for_database_login("anna.berg")
    assert "inte upplagd" in info.value.message


def test_database_login_maps_to_the_sipdesk_user(db: peewee.Database) -> None:
    user = make_user()
    assert auth.user_for_database_login("ANNA.BERG") == user


@pytest.mark.parametrize(
    ("login", "ok"),
    [("anna.berg", True), ("ab", True), ("a", False), ("anna berg", False),
     ("åsa.öberg", False), ("x" * 101, False)],
)
def test_login_names(login: str, ok: bool) -> None:
    if ok:
        assert auth.validate_login(login) == login
    else:
        with pytest.raises(ValidationError) as info:
            auth.validate_login(login)
        assert info.value.field == "login"


def test_duplicate_login_is_refused(db: peewee.Database) -> None:
    user = make_user()
    with pytest.raises(ValidationError) as info:
        make_user("anna.berg", unit=user.unit)
    assert info.value.field == "login" and "upptaget" in info.value.message


def setup_input(**changes: object) -> SetupInput:
    values: dict[str, object] = dict(
        municipality="Exempelby", unit_name="Hemtjänst Norr", unit_law=Law.SOL,
        full_name="Maria Holm", initials="MH", profession="Enhetschef", login="maria.holm",
        password="långt lösenord", password_repeat="långt lösenord",
    )
    values.update(changes)
    return SetupInput(**values)  # type: ignore[arg-type]


def test_first_run_setup_creates_municipality_unit_and_user(db: peewee.Database) -> None:
    assert not is_initialized()
    user = first_run_setup(setup_input(), needs_password=True)
    assert is_initialized()
    assert user.role == Role.UNIT_MANAGER
    assert user.unit.name == "Hemtjänst Norr" and user.unit.law == "SoL"
    assert user.unit.principal.name == "Exempelby kommun"
    assert user.unit.principal.kind == "kommun"
    assert auth.authenticate("maria.holm", "långt lösenord") == user
    with pytest.raises(ValidationError):
        first_run_setup(setup_input(login="annan"), needs_password=True)


def test_setup_on_postgresql_needs_no_password(db: peewee.Database) -> None:
    user = first_run_setup(setup_input(password=None, password_repeat=None),
                           needs_password=False)
    assert user.password_hash is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"municipality": " "}, "municipality"),
        ({"unit_name": ""}, "unit_name"),
        ({"full_name": ""}, "full_name"),
        ({"initials": ""}, "initials"),
        ({"login": "Maria Holm"}, "login"),
        ({"password": "kort", "password_repeat": "kort"}, "password"),
        ({"password_repeat": "annat lösenord"}, "password_repeat"),
    ],
)
def test_setup_names_the_bad_field_and_writes_nothing(
    db: peewee.Database, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        first_run_setup(setup_input(**changes), needs_password=True)
    assert info.value.field == field
    assert Principal.select().count() == Unit.select().count() == User.select().count() == 0
