"""Passwords on the embedded database (issue 12): argon2id for new hashes, scrypt hashes from
earlier versions upgraded at the next login, the same path for an unknown login as for a wrong
password, and a growing wait after five failed tries in a row."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import logging
import secrets
from pathlib import Path

import peewee
import pytest
import time_machine

from sipdesk.accounts import auth, login_throttle, password_hash
from sipdesk.clock import STOCKHOLM
from sipdesk.errors import AuthError
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind
from sipdesk.storage.models import User
from tests.factories import PASSWORD, make_user


def scrypt_hash(password: str) -> str:
    """A hash exactly as sipdesk 1 stored them: scrypt$N$r$p$salt$digest."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    enc = base64.b64encode
    return f"scrypt$16384$8$1${enc(salt).decode()}${enc(digest).decode()}"


def stored_hash(user: User) -> str:
    return str(User.get_by_id(user.id).password_hash)


def test_a_new_password_is_hashed_with_argon2id() -> None:
    first, second = auth.hash_password("rätt lösen"), auth.hash_password("rätt lösen")
    assert first.startswith("$argon2id$") and first != second  # a new salt each time
    assert "rätt lösen" not in first
    assert auth.verify_password("rätt lösen", first)
    assert not auth.verify_password("fel lösen", first)
    assert not auth.verify_password("rätt lösen", None)
    assert not auth.verify_password("rätt lösen", "$argon2id$trasig")
    assert not password_hash.needs_rehash(first)
    # Made with weaker parameters than today's: replaced at the next login too.
    from argon2 import PasswordHasher

    assert password_hash.needs_rehash(PasswordHasher(time_cost=1, memory_cost=8192).hash("x"))


def test_an_old_scrypt_hash_still_verifies() -> None:
    old = scrypt_hash("rätt lösen")
    assert auth.verify_password("rätt lösen", old)
    assert not auth.verify_password("fel lösen", old)
    assert not auth.verify_password("rätt lösen", "scrypt$trasig")
    assert password_hash.needs_rehash(old)


def test_the_next_login_upgrades_a_scrypt_hash_to_argon2id(sqlite_db: peewee.Database) -> None:
    user = make_user()
    User.update(password_hash=scrypt_hash(PASSWORD)).where(User.id == user.id).execute()

    with pytest.raises(AuthError):
        auth.authenticate("anna.berg", "fel-lösenord")
    assert stored_hash(user).startswith("scrypt$")  # a wrong password changes nothing

    assert auth.authenticate("anna.berg", PASSWORD) == user
    upgraded = stored_hash(user)
    assert upgraded.startswith("$argon2id$")
    assert auth.authenticate("anna.berg", PASSWORD) == user  # and logs in with the new hash
    assert stored_hash(user) == upgraded  # once upgraded, not hashed again at each login


def test_an_unknown_login_takes_the_same_path_as_a_wrong_password(
    sqlite_db: peewee.Database, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each costs one argon2 check with the same parameters and ends in the same message, so
    neither the answer nor its time tells whether the login exists."""
    anna = make_user()
    inactive = make_user("olle.ek", full_name="Olle Ek", unit=anna.unit)
    User.update(active=False).where(User.id == inactive.id).execute()
    real = password_hash._hasher()
    checked: list[str] = []

    class Counting:
        def verify(self, hash_: str, password: str) -> bool:
            checked.append(hash_.split("$")[3])  # the parameters, m=…,t=…,p=…
            return real.verify(hash_, password)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(password_hash, "_hasher", Counting)
    messages = []
    for login in ("anna.berg", "finns.inte", "olle.ek"):
        with pytest.raises(AuthError) as refused:
            auth.authenticate(login, "fel-lösenord" if login == "anna.berg" else PASSWORD)
        messages.append((refused.value.message, refused.value.field))
    assert messages == [("Fel användarnamn eller lösenord.", "password")] * 3
    assert checked == ["m=19456,t=2,p=1"] * 3


def test_after_five_failed_tries_a_growing_wait_is_logged_without_the_login(
    sqlite_db: peewee.Database, caplog: pytest.LogCaptureFixture,
) -> None:
    user = make_user()
    start = dt.datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM)
    caplog.set_level(logging.INFO, logger="sipdesk.accounts")
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(login_throttle.FREE_TRIES):
            with pytest.raises(AuthError) as refused:
                auth.authenticate("anna.berg", "fel-lösenord")
            assert not isinstance(refused.value, auth.LoginWait)

        # The sixth try waits a second — even with the right password, which is not checked.
        with pytest.raises(auth.LoginWait) as waiting:
            auth.authenticate("anna.berg", PASSWORD)
        assert waiting.value.seconds == 1
        assert waiting.value.message == (
            "För många felaktiga försök. Vänta 1 sekund och försök sedan igen.")
        assert waiting.value.field == "password"

        traveller.shift(1)
        with pytest.raises(AuthError):
            auth.authenticate("anna.berg", "fel-igen")  # the sixth failure: two seconds
        with pytest.raises(auth.LoginWait) as waiting:
            auth.authenticate("anna.berg", PASSWORD)
        assert waiting.value.seconds == 2
        assert "Vänta 2 sekunder" in waiting.value.message
        for expected in (4, 8, 16):
            traveller.shift(waiting.value.seconds)
            with pytest.raises(AuthError):
                auth.authenticate("anna.berg", "fel-igen")
            with pytest.raises(auth.LoginWait) as waiting:
                auth.authenticate("anna.berg", PASSWORD)
            assert waiting.value.seconds == expected

        # Another login is not held up by Anna's.
        make_user("olle.ek", full_name="Olle Ek", unit=user.unit)
        assert auth.authenticate("olle.ek", PASSWORD).login == "olle.ek"

        traveller.shift(16)
        assert auth.authenticate("Anna.Berg", PASSWORD) == user
        for _ in range(login_throttle.FREE_TRIES - 1):  # the count starts over after a login
            with pytest.raises(AuthError) as refused:
                auth.authenticate("anna.berg", "fel-lösenord")
            assert not isinstance(refused.value, auth.LoginWait)

    logged = [r.getMessage() for r in caplog.records if r.name.startswith("sipdesk.accounts")]
    assert f"login failed for user {user.id} (5 in a row): next try in 1 s" in logged
    assert any("next try in 16 s" in line for line in logged)
    assert not [line for line in logged if "anna" in line.lower() or "berg" in line.lower()]


def test_the_wait_stops_growing_at_five_minutes(sqlite_db: peewee.Database) -> None:
    make_user()
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM), tick=False) as t:
        for _ in range(20):
            t.shift(login_throttle.wait_left("anna.berg"))
            with pytest.raises(AuthError):
                auth.authenticate("anna.berg", "fel-lösenord")
        assert login_throttle.wait_left("anna.berg") == 300


def test_the_locked_desk_opens_for_the_users_own_password_only(
    sqlite_db: peewee.Database, tmp_path: Path,
) -> None:
    user = make_user()
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")
    auth.unlock_desk(user, url, PASSWORD)
    with pytest.raises(AuthError) as refused:
        auth.unlock_desk(user, url, "fel-lösenord")
    assert refused.value.field == "password"


def test_on_postgresql_the_server_checks_the_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """The server's answer decides; a wrong one counts towards the wait; a server that cannot
    be reached says so (and keeps the desk locked) instead of "wrong password"."""
    server = DatabaseUrl(Engine.POSTGRESQL, host="sip-db.exempelby.se", name="sip",
                         user="anna.berg")
    user = User(id=7, login="anna.berg")
    answers: list[ConnectionProblem | None] = []

    def check(url: DatabaseUrl, password: str | None = None) -> None:
        assert url == server
        problem = answers.pop(0)
        if problem is not None:
            raise problem

    monkeypatch.setattr(auth, "check_connection", check)
    answers.append(None)
    auth.unlock_desk(user, server, "rätt")
    answers.append(ConnectionProblem(ProblemKind.WRONG_PASSWORD, "Fel lösenord för anna.berg."))
    with pytest.raises(AuthError) as refused:
        auth.unlock_desk(user, server, "fel")
    assert refused.value.message == "Fel användarnamn eller lösenord."
    down = ConnectionProblem(ProblemKind.SERVER_DOWN, "Det gick inte att nå databasservern.")
    answers.append(down)
    with pytest.raises(ConnectionProblem) as unreachable:
        auth.unlock_desk(user, server, "rätt")
    assert unreachable.value is down
    with time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=STOCKHOLM), tick=False):
        for _ in range(login_throttle.FREE_TRIES - 1):
            answers.append(ConnectionProblem(ProblemKind.WRONG_PASSWORD, "Fel."))
            with pytest.raises(AuthError):
                auth.unlock_desk(user, server, "fel")
        with pytest.raises(auth.LoginWait):
            auth.unlock_desk(user, server, "rätt")  # the server is not even asked
    assert answers == []
