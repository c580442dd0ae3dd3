"""`sipdesk backup` and `sipdesk restore` as an IT person runs them, through `ui.main.main`: the
file's name, the refusals (a database with data, the wrong kind of file, a missing or too old
pg_dump), the password kept off the command line, what a restore says about the schema
version. That a restored backup holds every row is in tests/faults/test_backup_restore.py."""

from __future__ import annotations

import logging
import re
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import peewee
import pytest

from sipdesk import demo
from sipdesk.accounts.passwords import store_password
from sipdesk.cli import ProgressLine
from sipdesk.storage import pg_tools, schema
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind, database
from sipdesk.storage.models import Case, Person
from tests.conftest import run_command as cli

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="stand-in programs are sh scripts")


def make_backup(capsys: pytest.CaptureFixture[str], url: DatabaseUrl, out: Path) -> Path:
    code, _out, err = cli(capsys, "backup", "--database", url.url, "--out", str(out))
    assert code == 0, err
    return max(out.iterdir(), key=lambda p: p.stat().st_mtime_ns)


def fake_program(folder: Path, name: str, script: str) -> Path:
    """A stand-in for pg_dump/pg_restore: an sh script."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(0o755)
    return path


@pytest.fixture
def only_these_programs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """PATH holds one (empty) folder and no installer folders are searched."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(pg_tools, "PG_BIN_GLOBS", ())
    return folder


def test_a_backup_is_named_by_its_time_and_engine_only(
    db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo.fill_demo(cases=5, seed=2)
    people = [(p.first_name, p.last_name, p.personal_number) for p in Person.select()]
    out = tmp_path / "backups"
    first = make_backup(capsys, db_url, out)
    second = make_backup(capsys, db_url, out)

    suffix = {Engine.SQLITE: "sqlite3", Engine.POSTGRESQL: "pgdump"}[db_url.engine]
    # The suite's clock stands at 22 November 2026, 12:00 (Stockholm).
    assert re.fullmatch(rf"sipdesk-2026-11-22T12\d\d\.{suffix}", first.name)
    assert re.fullmatch(rf"sipdesk-2026-11-22T12\d\d(_2)?\.{suffix}", second.name)
    assert first != second and first.exists()  # a second backup never replaces the first
    for first_name, last_name, number in people:
        assert not {first_name, last_name, number, number[:8]} & set(re.split(r"[-_.]",
                                                                              first.name))
    if sys.platform != "win32":
        assert first.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only
    assert not list(out.glob("*.part"))


def test_restore_refuses_a_database_that_has_data(
    db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    demo.fill_demo(cases=5, seed=3)
    made = make_backup(capsys, db_url, tmp_path / "backups")
    changed = Person.select().order_by(Person.id).first()
    Person.update(city="Ändrad efter kopian").where(Person.id == changed.id).execute()

    code, _out, err = cli(capsys, "restore", "--database", db_url.url, str(made), "--yes")

    assert code == 1
    assert "Inget har ändrats" in err
    assert ("innehåller redan data" in err if db_url.engine is Engine.POSTGRESQL
            else "finns redan och är inte tom" in err)
    database.initialize(db)
    db.connect(reuse_if_open=True)
    assert Case.select().count() == 5
    assert Person.get_by_id(changed.id).city == "Ändrad efter kopian"


def test_a_postgresql_backup_restores_into_a_migrated_empty_database(
    pg_db: peewee.Database, pg_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], new_pg_database: Callable[[], DatabaseUrl],
) -> None:
    """A database someone ran `sipdesk migrate` on, with no rows yet, counts as empty."""
    demo.fill_demo(cases=4, seed=4)
    made = make_backup(capsys, pg_url, tmp_path / "backups")
    target = new_pg_database()
    assert cli(capsys, "migrate", "--database", target.url)[0] == 0

    code, out, err = cli(capsys, "restore", "--database", target.url, str(made), "--yes")

    assert code == 0, err
    assert f"Schemaversion {schema.latest_version()}, samma som" in out
    restored = database.obj
    restored.connect(reuse_if_open=True)
    try:
        assert restored.execute_sql('SELECT count(*) FROM "sip_case"').fetchone()[0] == 4
    finally:
        restored.close()


def test_a_restore_on_a_server_without_the_backups_roles_makes_them_first(
    pg_db: peewee.Database, pg_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], new_pg_database: Callable[[], DatabaseUrl],
) -> None:
    """Roles are per server: a backup whose tables are granted to a group role restores on a
    server that lacks the role (pg_restore would stop at the GRANT) — the role is made first,
    without login."""
    role = f"sipdesk_test_{uuid.uuid4().hex[:10]}"
    pg_db.execute_sql(f'CREATE ROLE "{role}" NOLOGIN')
    pg_db.execute_sql(f'GRANT SELECT ON principal TO "{role}"')
    made = make_backup(capsys, pg_url, tmp_path / "backups")
    pg_db.connect(reuse_if_open=True)
    pg_db.execute_sql(f'DROP OWNED BY "{role}"')
    pg_db.execute_sql(f'DROP ROLE "{role}"')  # "another server": the role is not there
    target = new_pg_database()
    try:
        code, _out, err = cli(capsys, "restore", "--database", target.url, str(made), "--yes")
        assert code == 0, err
        restored = database.obj
        restored.connect(reuse_if_open=True)
        granted = restored.execute_sql(
            "SELECT has_table_privilege(%s, 'principal', 'SELECT'), "
            "(SELECT rolcanlogin FROM pg_roles WHERE rolname = %s)", (role, role)).fetchone()
        assert granted == (True, False)
        restored.execute_sql(f'DROP OWNED BY "{role}"')
        restored.close()
    finally:
        pg_db.connect(reuse_if_open=True)
        pg_db.execute_sql(f'DROP ROLE IF EXISTS "{role}"')


def test_a_missing_pg_dump_is_named_in_swedish(
    pg_db: peewee.Database, pg_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], only_these_programs: Path,
) -> None:
    code, _out, err = cli(capsys, "backup", "--database", pg_url.url, "--out",
                         str(tmp_path / "backups"))
    assert code == 1
    assert "Programmet pg_dump hittades inte" in err
    assert "postgresql-client" in err
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


@posix_only
def test_a_pg_dump_older_than_the_server_is_refused_before_it_runs(
    pg_db: peewee.Database, pg_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], only_these_programs: Path,
) -> None:
    fake_program(only_these_programs, "pg_dump", 'echo "pg_dump (PostgreSQL) 9.6.24"\n')
    code, _out, err = cli(capsys, "backup", "--database", pg_url.url, "--out",
                         str(tmp_path / "backups"))
    assert code == 1
    assert "är version 9.6, men databasservern kör PostgreSQL" in err
    assert not list((tmp_path / "backups").glob("*"))


@posix_only
def test_a_failing_pg_dump_leaves_no_file_that_looks_like_a_backup(
    pg_db: peewee.Database, pg_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], only_these_programs: Path,
) -> None:
    # Answers --version as a new pg_dump, otherwise writes half a dump and fails.
    fake_program(only_these_programs, "pg_dump", """
case "$1" in --version) echo "pg_dump (PostgreSQL) 99.0"; exit 0;; esac
while [ "$1" != "--file" ]; do shift; done
printf 'PGDMP half' > "$2"
echo 'pg_dump: error: connection to server lost' >&2
exit 1
""")
    code, _out, err = cli(capsys, "backup", "--database", pg_url.url, "--out",
                         str(tmp_path / "backups"))
    assert code == 1
    assert "pg_dump misslyckades" in err and "connection to server lost" in err
    assert list((tmp_path / "backups").iterdir()) == []


@posix_only
def test_the_newest_pg_dump_on_the_machine_is_chosen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, only_these_programs: Path,
) -> None:
    for version, folder in ((16, only_these_programs), (15, tmp_path / "pg" / "15" / "bin"),
                            (17, tmp_path / "pg" / "17" / "bin")):
        fake_program(folder, "pg_dump", f'echo "pg_dump (PostgreSQL) {version}.2"\n')
    monkeypatch.setattr(pg_tools, "PG_BIN_GLOBS", (str(tmp_path / "pg" / "*" / "bin"),))
    tool = pg_tools.find_tool("pg_dump")
    assert (tool.version, tool.path) == (pg_tools.PgVersion(17),
                                         tmp_path / "pg" / "17" / "bin" / "pg_dump")


def test_the_keyring_password_reaches_pg_dump_only_through_its_environment(
    pg_db: peewee.Database, pg_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    secret = "Hemligt-lösen-8472"
    assert store_password(pg_url, secret)  # as the app saved it (the test server ignores it)
    started: list[tuple[list[str], dict[str, str] | None]] = []
    real_popen = subprocess.Popen

    class Recording(real_popen):  # type: ignore[valid-type, misc]
        def __init__(self, args: Any, *more: Any, **options: Any) -> None:
            started.append(([str(a) for a in args], options.get("env")))
            super().__init__(args, *more, **options)

    monkeypatch.setattr(subprocess, "Popen", Recording)
    caplog.set_level(logging.DEBUG)

    make_backup(capsys, pg_url, tmp_path / "backups")

    dumps = [(argv, env) for argv, env in started if "--format=custom" in argv]
    assert len(dumps) == 1
    argv, env = dumps[0]
    assert env is not None and env["PGPASSWORD"] == secret
    assert all(secret not in arg for _argv, _env in started for arg in _argv)
    assert "--no-password" in argv  # never waits for a terminal a scheduled job lacks
    assert secret not in caplog.text
    out, err = capsys.readouterr()
    assert secret not in out + err


def with_history(path: Path, change: str) -> None:
    with closing(sqlite3.connect(path)) as conn:
        conn.execute(change)
        conn.commit()


@pytest.mark.parametrize(("change", "says"), [
    ("INSERT INTO schema_migration (name, applied) VALUES ('0099_from_the_future', "
     "'2027-01-01')", "nyare version av sipdesk"),
    ("DELETE FROM schema_migration WHERE id = (SELECT max(id) FROM schema_migration)",
     "uppdaterar den till version"),
])
def test_a_restore_says_whether_the_backup_is_from_a_newer_or_older_sipdesk(
    sqlite_db: peewee.SqliteDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    change: str, says: str,
) -> None:
    source = Path(sqlite_db.database)
    sqlite_db.close()
    with_history(source, change)
    made = make_backup(capsys, DatabaseUrl(Engine.SQLITE, path=source), tmp_path / "backups")
    target = DatabaseUrl(Engine.SQLITE, path=tmp_path / "ny" / "restored.sqlite3")

    code, out, err = cli(capsys, "restore", "--database", target.url, str(made), "--yes")

    assert code == 0, err
    assert says in out
    assert target.path is not None and target.path.stat().st_size > 0


def test_restore_refuses_what_is_not_a_backup_of_its_kind(
    sqlite_db: peewee.SqliteDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    made = make_backup(capsys, DatabaseUrl(Engine.SQLITE, path=Path(sqlite_db.database)),
                       tmp_path / "backups")
    notes = tmp_path / "anteckningar.txt"
    notes.write_text("inte en säkerhetskopia")
    new_file = f"sqlite:///{tmp_path / 'ny.sqlite3'}"
    # Never contacted: the file is refused first.
    server = "postgresql://sipdesk@db.example.invalid:5432/sipdesk"

    answers = [cli(capsys, "restore", "--database", url, str(file), "--yes")
               for url, file in ((new_file, notes), (server, made),
                                 (new_file, tmp_path / "finns-inte.sqlite3"))]

    assert [code for code, _out, _err in answers] == [1, 1, 1]
    assert "ingen säkerhetskopia från sipdesk backup" in answers[0][2]
    assert "kan bara återställas till en SQLite-databas" in answers[1][2]
    assert "finns inte" in answers[2][2]
    assert not (tmp_path / "ny.sqlite3").exists()


def test_restore_in_a_script_needs_yes(
    sqlite_db: peewee.SqliteDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = make_backup(capsys, DatabaseUrl(Engine.SQLITE, path=Path(sqlite_db.database)),
                       tmp_path / "backups")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    code, _out, err = cli(capsys, "restore", "--database", f"sqlite:///{tmp_path / 'ny.sqlite3'}",
                         str(made))
    assert code == 1
    assert "--yes" in err
    assert not (tmp_path / "ny.sqlite3").exists()


@pytest.mark.parametrize("terminal", [True, False])
def test_the_progress_line(terminal: bool, capsys: pytest.CaptureFixture[str],
                           monkeypatch: pytest.MonkeyPatch) -> None:
    """On a terminal one line rewritten in place; in a scheduled job's log a line a quarter."""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: terminal)
    line = ProgressLine("Säkerhetskopierar", unit="tabeller")
    for done in range(0, 41):
        line(done, 40)
    line.end()
    err = capsys.readouterr().err
    if terminal:
        assert err.count("\r") == 41 and err.endswith("100 % (40 av 40 tabeller)\n")
    else:
        assert err.splitlines() == [f"Säkerhetskopierar: {p} % ({p * 40 // 100} av 40 tabeller)"
                                    for p in (25, 50, 75, 100)]


def test_a_scheduled_backup_without_a_password_says_where_to_keep_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No keyring entry and no terminal to ask on (cron, Task Scheduler)."""
    import sipdesk.cli

    def needs_password(url: DatabaseUrl, password: str | None = None) -> peewee.Database:
        raise ConnectionProblem(ProblemKind.PASSWORD_NEEDED, "Servern kräver ett lösenord.")

    monkeypatch.setattr(sipdesk.cli, "connect", needs_password)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    code, _out, err = cli(capsys, "backup", "--database",
                         "postgresql://backup@db.example.invalid:5432/sipdesk",
                         "--out", str(tmp_path / "backups"))
    assert code == 1
    assert "Servern kräver ett lösenord" in err
    assert "nyckelringen för kontot som kör jobbet" in err and ".pgpass" in err
    assert not (tmp_path / "backups").exists()
