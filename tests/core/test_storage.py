"""Storage: the database URL, the embedded SQLite settings, PostgreSQL failures in Swedish,
schema versions and optimistic locking — on both engines where a database is involved."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import peewee
import psycopg
import pytest

from sipdesk import settings
from sipdesk.errors import ConflictError
from sipdesk.paths import default_database_path
from sipdesk.storage import schema
from sipdesk.storage.db import (
    ConnectionProblem,
    DatabaseUrl,
    Engine,
    ProblemKind,
    _pg_problem,
    check_connection,
    connect,
    database,
    make_database,
    parse_url,
    resolve_url,
)
from sipdesk.storage.models import Person, Principal
from tests.factories import make_person
from tests.waiting import pause


def test_url_order_cli_then_environment_then_setting_then_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert resolve_url(None) == DatabaseUrl(Engine.SQLITE, path=default_database_path())
    settings.set_value("database_url", "postgresql://saved@server.example:5433/sip")
    assert resolve_url(None).user == "saved"
    monkeypatch.setenv("SIPDESK_DATABASE", "postgresql://fromenv@db.example/sip")
    assert resolve_url(None).user == "fromenv"
    assert resolve_url(f"sqlite:///{tmp_path}/cli.sqlite3").path == tmp_path / "cli.sqlite3"


def test_default_database_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    assert default_database_path() == tmp_path / "data" / "sipdesk.sqlite3"


def test_urls_parse_to_engine_and_server() -> None:
    url = parse_url("postgresql://anna@db.kommun.example:5433/sip")
    assert (url.engine, url.user, url.host, url.port, url.name) == (
        Engine.POSTGRESQL, "anna", "db.kommun.example", 5433, "sip")
    assert url.display == "PostgreSQL: anna@db.kommun.example:5433/sip"
    assert parse_url("sqlite:////var/sip/data.sqlite3").path == Path("/var/sip/data.sqlite3")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://anna:hemligt@db/sip", "Skriv inte lösenordet i databasadressen"),
        ("postgresql://anna@db/", "saknar databasnamn"),
        ("mysql://anna@db/sip", "Okänd databasadress"),
        ("sqlite://", "saknar filnamn"),
    ],
)
def test_bad_database_urls_are_refused_in_swedish(url: str, message: str) -> None:
    with pytest.raises(ConnectionProblem) as info:
        parse_url(url)
    assert info.value.kind is ProblemKind.BAD_URL
    assert message in info.value.message
    assert "hemligt" not in info.value.message


def test_embedded_sqlite_has_foreign_keys_wal_busy_timeout_and_full_sync(
        sqlite_db: peewee.Database) -> None:
    """synchronous=FULL (2): a save the user was told about survives a power cut too."""
    pragma = {name: sqlite_db.execute_sql(f"PRAGMA {name}").fetchone()[0]
              for name in ("foreign_keys", "journal_mode", "busy_timeout", "synchronous")}
    assert pragma == {"foreign_keys": 1, "journal_mode": "wal", "busy_timeout": 10_000,
                      "synchronous": 2}


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("inte en databas " * 100)
    with pytest.raises(ConnectionProblem) as info:
        connect(DatabaseUrl(Engine.SQLITE, path=junk))
    assert info.value.kind is ProblemKind.NOT_A_FILE


def test_unreachable_postgresql_server_says_so() -> None:
    url = DatabaseUrl(Engine.POSTGRESQL, host="127.0.0.1", port=1, name="sip", user="anna")
    with pytest.raises(ConnectionProblem) as info:
        check_connection(url)
    assert info.value.kind is ProblemKind.SERVER_DOWN
    assert "Det gick inte att nå databasservern 127.0.0.1:1" in info.value.message


def test_missing_postgresql_database_says_so(pg_url: DatabaseUrl) -> None:
    url = DatabaseUrl(Engine.POSTGRESQL, host=pg_url.host, port=pg_url.port,
                      name="finns_inte_alls", user=pg_url.user)
    with pytest.raises(ConnectionProblem) as info:
        check_connection(url)
    assert info.value.kind is ProblemKind.NO_DATABASE
    assert "Databasen finns_inte_alls finns inte" in info.value.message


def test_wrong_postgresql_password_message() -> None:
    # The local test server trusts every login, so the server's own wording is used here.
    url = DatabaseUrl(Engine.POSTGRESQL, host="db", port=5432, name="sip", user="anna")
    error = psycopg.OperationalError(
        'connection failed: FATAL:  password authentication failed for user "anna"')
    problem = _pg_problem(error, url)
    assert problem.kind is ProblemKind.WRONG_PASSWORD
    assert problem.message == "Fel lösenord för användaren anna. Försök igen."


# ---- schema versions -----------------------------------------------------------------------

def test_new_database_is_at_the_latest_schema(db: peewee.Database) -> None:
    state = schema.status(db)
    assert state.is_current
    assert state.version == schema.latest_version()


def test_database_from_a_newer_sipdesk_is_refused(db: peewee.Database) -> None:
    db.execute_sql(
        f"INSERT INTO {schema.HISTORY_TABLE} (name, applied) VALUES ('9999_future', "
        "CURRENT_TIMESTAMP)")
    try:
        with pytest.raises(ConnectionProblem) as info:
            schema.check_not_newer(schema.status(db))
        assert info.value.kind is ProblemKind.WRONG_SCHEMA
        assert "nyare version av sipdesk" in info.value.message
    finally:
        db.execute_sql(f"DELETE FROM {schema.HISTORY_TABLE} WHERE name = '9999_future'")


NEXT_MIGRATION = '''"""Test-only: a later schema version adds a column."""
from peewee import CharField


def up(migrator, db):
    migrator.migrate(migrator.add_column("person", "nickname", CharField(default="")))
'''


def test_older_sqlite_database_is_migrated_after_a_backup_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_dir = tmp_path / "migrations_v1"
    old_dir.mkdir()
    for script in schema.MIGRATIONS_DIR.glob("[0-9]*.py"):
        shutil.copy(script, old_dir)
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "older.sqlite3")
    monkeypatch.setattr(schema, "MIGRATIONS_DIR", old_dir)
    opened = connect(url)
    schema.migrate(opened, url)
    make_person()
    opened.close()

    (old_dir / "9000_add_nickname.py").write_text(NEXT_MIGRATION)
    opened = connect(url)
    state = schema.status(opened)
    assert state.pending == ["9000_add_nickname"]
    applied, backup = schema.migrate(opened, url)
    opened.close()
    database.initialize(None)

    assert applied == ["9000_add_nickname"]
    assert backup is not None and backup.exists() and backup != url.path
    assert "backup" in backup.name and "Öberg" not in backup.name
    with sqlite3.connect(backup) as old, sqlite3.connect(url.path) as new:
        old_columns = {row[1] for row in old.execute("PRAGMA table_info(person)")}
        new_columns = {row[1] for row in new.execute("PRAGMA table_info(person)")}
        assert "nickname" not in old_columns
        assert "nickname" in new_columns
        assert old.execute("SELECT count(*) FROM person").fetchone()[0] == 1


# ---- optimistic locking ----------------------------------------------------------------------

def test_saving_over_someone_elses_change_is_refused_and_nothing_is_lost(
    db: peewee.Database,
) -> None:
    person = make_person()
    mine = Person.get_by_id(person.id)
    theirs = Person.get_by_id(person.id)

    theirs.phone = "070-111 11 11"
    theirs.save_versioned()
    mine.phone = "070-222 22 22"
    with pytest.raises(ConflictError) as info:
        mine.save_versioned()

    assert "har ändrats av någon annan" in info.value.message
    assert info.value.mine["phone"] == "070-222 22 22"  # what I typed is kept
    assert info.value.theirs["phone"] == "070-111 11 11"  # and what they saved is shown
    stored = Person.get_by_id(person.id)
    assert stored.phone == "070-111 11 11"
    assert stored.version == 2


def test_versioned_save_bumps_the_version_each_time(db: peewee.Database) -> None:
    person = make_person()
    for expected, city in enumerate(("Exempelby", "Åby", "Östby"), start=2):
        person.city = city
        person.save_versioned()
        assert person.version == expected
    stored = Person.get_by_id(person.id)
    assert (stored.city, stored.version) == ("Östby", 4)


def test_a_sqlite_transaction_that_reads_first_waits_for_another_writer_instead_of_failing(
        tmp_path: Path, sqlite_db: peewee.Database) -> None:
    """Two connections (two workers, or another program): while one use case reads and then
    writes in its transaction, the other commits. The first still saves — it waited for the
    lock at BEGIN — instead of failing with "database is locked"."""
    other = make_database(DatabaseUrl(Engine.SQLITE, path=Path(sqlite_db.database)))
    other.connect()
    failures: list[BaseException] = []

    def write_meanwhile() -> None:
        try:
            other.execute_sql("INSERT INTO principal (name, kind, version) VALUES "
                              "('Grannby kommun', 'kommun', 1)")
        except BaseException as exc:  # handed to the test
            failures.append(exc)

    with sqlite_db.atomic():
        before = Principal.select().count()  # the read that starts a deferred snapshot
        writer = threading.Thread(target=write_meanwhile)
        writer.start()
        pause(0.3)  # the other connection tries to commit now
        Principal.create(name="Exempelby kommun", kind="kommun")
    writer.join(20)
    other.close()
    assert failures == []
    assert before == 0 and Principal.select().count() == 2
