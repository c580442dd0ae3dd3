"""Shared fixtures: every test gets its own data and config folders, an in-memory keyring and,
through `db`, a migrated database — a temporary SQLite file or a fresh PostgreSQL database on
the local server. No test touches a real user's state.

PostgreSQL: `SIPDESK_TEST_PG` (default postgresql://root@127.0.0.1:5432/test) names a server
where the test user may create databases. In CI (CI=true) a missing server fails the run;
elsewhere the PostgreSQL half of each storage test is skipped with the reason.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import peewee
import psycopg
import pytest
import time_machine
from keyring.backend import KeyringBackend

from sipdesk.accounts import login_throttle
from sipdesk.clock import STOCKHOLM
from sipdesk.storage import schema
from sipdesk.storage.audit_chain import GENESIS
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database, parse_url

PG_ADMIN_URL = os.environ.get("SIPDESK_TEST_PG", "postgresql://root@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


# The day every test starts on, unless it travels elsewhere itself (the `time_machine`
# fixture, or `travel_to` below). Tests never read the real date: the suite gives the same
# answers on any day the machine thinks it is. A Sunday in late November 2026, before the
# fixed meeting times in tests/scenarios.py (Monday 23 November 09:00).
SUITE_NOW = dt.datetime(2026, 11, 22, 12, 0, tzinfo=STOCKHOLM)


def pytest_configure(config: pytest.Config) -> None:
    """Collection, module constants and session fixtures see SUITE_NOW too."""
    traveller = time_machine.travel(SUITE_NOW, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


@pytest.fixture(autouse=True)
def frozen_clock() -> Iterator[time_machine.Traveller]:
    """sipdesk.clock (and every other reader of the time) sees SUITE_NOW, ticking on from it,
    so timers and timeouts still run; the zone is Stockholm whatever the machine's zone is."""
    with time_machine.travel(SUITE_NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def isolated_user_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MemoryKeyring]:
    """Data and config folders in tmp, no database from the environment, a fake keyring."""
    monkeypatch.setenv("SIPDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SIPDESK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("SIPDESK_LOG_DIR", str(tmp_path / "log"))
    monkeypatch.delenv("SIPDESK_DATABASE", raising=False)
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def no_failed_logins() -> Iterator[None]:
    """The count of failed logins lives in the process (`login_throttle`): each test starts
    with none, whatever the tests before it typed."""
    login_throttle.forget_all()
    yield
    login_throttle.forget_all()


def _pg_admin_conninfo() -> str:
    url = parse_url(PG_ADMIN_URL)
    return f"host={url.host} port={url.port} user={url.user} dbname={url.name} connect_timeout=3"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[DatabaseUrl]:
    """A fresh PostgreSQL database for this test session, migrated once, dropped at the end."""
    try:
        admin = psycopg.connect(_pg_admin_conninfo(), autocommit=True)
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}".strip()
        if IN_CI:
            pytest.fail(message + " — CI must run the PostgreSQL tests.", pytrace=False)
        pytest.skip(message)
    name = f"sipdesk_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = parse_url(PG_ADMIN_URL)
    url = DatabaseUrl(Engine.POSTGRESQL, host=base.host, port=base.port, name=name, user=base.user)
    db = connect(url)
    schema.migrate(db, url)
    db.close()
    yield url
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def new_pg_database() -> Iterator[Callable[[], DatabaseUrl]]:
    """A maker of brand-new PostgreSQL databases without any schema, dropped afterwards."""
    from tests.pg_databases import new_pg_databases

    with new_pg_databases("sipdesk_new") as make:
        yield make


@pytest.fixture
def blank_pg_url(new_pg_database: Callable[[], DatabaseUrl]) -> DatabaseUrl:
    """A brand-new PostgreSQL database without any schema, dropped afterwards."""
    return new_pg_database()


def run_command(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`sipdesk ARGV` as the command line runs it: exit code, stdout, stderr. The database
    connection is closed afterwards — each command is its own process in real life."""
    from ui.main import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    if database.obj is not None:
        database.obj.close()
    return code, out, err


_DELETE_UP_TO = 5_000


def truncate_all(db: peewee.Database) -> None:
    """Empty every table for the next test. The audit log refuses deletes, even to its owner
    (migration 0015): replica mode (a superuser's setting) runs no trigger — neither that guard
    nor the foreign keys' — and the chain starts again from its first link. Only the tables that
    hold rows are emptied, by DELETE up to `_DELETE_UP_TO` rows (a TRUNCATE makes new files on
    the server: ~0.4 s a test, for the few rows most tests leave). The tables' sequences start
    from 1 again, as `RESTART IDENTITY` would."""
    keep = {schema.HISTORY_TABLE, "audit_chain_head"}
    tables = [t for t in db.get_tables() if t not in keep]
    if not tables:
        return
    probe = " UNION ALL ".join(
        f'SELECT %s, (SELECT count(*) FROM (SELECT 1 FROM "{t}" LIMIT {_DELETE_UP_TO + 1}) r)'
        for t in tables)
    counts = db.execute_sql(probe, tables).fetchall()
    large = [f'"{t}"' for t, n in counts if n > _DELETE_UP_TO]
    db.execute_sql("SET session_replication_role = replica")
    try:
        for table in (t for t, n in counts if 0 < n <= _DELETE_UP_TO):
            db.execute_sql(f'DELETE FROM "{table}"')
        if large:  # a benchmark's bulk data
            db.execute_sql(f"TRUNCATE {', '.join(large)} CASCADE")
        db.execute_sql("SELECT setval(s.oid, 1, false) FROM pg_class s "
                       "JOIN pg_depend d ON d.objid = s.oid AND d.deptype IN ('a', 'i') "
                       "JOIN pg_class t ON t.oid = d.refobjid "
                       "WHERE s.relkind = 'S' AND t.relname = ANY(%s) "
                       "AND t.relnamespace = to_regnamespace(current_schema())",
                       (tables,))
        db.execute_sql("UPDATE audit_chain_head SET seq = 0, hash = %s", (GENESIS,))
    finally:
        db.execute_sql("SET session_replication_role = DEFAULT")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database migrated once; each test gets a copy (much faster than
    running every migration again)."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    url = DatabaseUrl(Engine.SQLITE, path=path)
    created = connect(url)
    schema.migrate(created, url)
    created.close()
    database.initialize(None)
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> DatabaseUrl:
    """The URL of an empty, migrated database on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(sqlite_template, path)
        return DatabaseUrl(Engine.SQLITE, path=path)
    return request.getfixturevalue("pg_url")


def background_work_done() -> None:
    """Wait for the UI's worker threads (the operation runner's pool) to finish what they are
    doing, so no read of a test is still running when its database goes away."""
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        assert QThreadPool.globalInstance().waitForDone(20_000), "background work still running"


def _bound(url: DatabaseUrl) -> Iterator[peewee.Database]:
    opened = connect(url)
    yield opened
    background_work_done()
    if url.engine is Engine.POSTGRESQL:
        opened.close()
        opened.connect()
        truncate_all(opened)
    opened.close()
    database.initialize(None)


@pytest.fixture
def db(db_url: DatabaseUrl) -> Iterator[peewee.Database]:
    """Models bound to an empty, migrated database (SQLite file or PostgreSQL)."""
    yield from _bound(db_url)


@pytest.fixture
def pg_db(pg_url: DatabaseUrl) -> Iterator[peewee.Database]:
    """Models bound to the empty, migrated PostgreSQL database (for PostgreSQL-only features)."""
    yield from _bound(pg_url)


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[peewee.Database]:
    """A migrated SQLite database, for tests that are about the embedded engine only."""
    path = tmp_path / "only.sqlite3"
    shutil.copyfile(sqlite_template, path)
    opened = connect(DatabaseUrl(Engine.SQLITE, path=path))
    yield opened
    background_work_done()
    opened.close()
    database.initialize(None)
