"""Upgrades never strand a database (issue 13): every migration from the first schema to today,
on a database with data — one made by today's version 1 and one made by the early build whose
version 1 called the users' table `user` — keeps every row, and the app opens it: its users can
log in, and the case list shows their cases. On both engines."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import peewee
import pytest

from sipdesk.accounts import auth
from sipdesk.desk import schema_check
from sipdesk.desk.cases import CaseFilter, count_cases, fetch_cases
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from tests.faults.conftest import size

HERE = Path(__file__).resolve().parent
EARLY_FIRST_SCRIPT = HERE.parent / "core" / "early_schema" / "0001_initial.py.txt"
FIRST_SCRIPT = schema.MIGRATIONS_DIR / "0001_initial.py"
# Skatteverket's test personal numbers (fictional people).
TEST_NUMBERS = ["19121212-1212", "19390919-2776", "19400203-2791", "19461204-2580",
                "19500101-2388", "19640823-3234"]


def _version_one(url: DatabaseUrl, first_script: Path, scripts: Path) -> peewee.Database:
    """A database as a sipdesk of schema version 1 made it (by the given first script)."""
    from playhouse.migrations import Runner

    scripts.mkdir()
    shutil.copyfile(first_script, scripts / "0001_initial.py")
    db = connect(url)
    Runner(db, str(scripts), table_name=schema.HISTORY_TABLE).up()
    return db


def _fill(db: peewee.Database, users_table: str, cases: int) -> None:
    """What a version-1 desk held: a principal, a unit, two users, persons with a relative, and
    their cases — with plain SQL, as the models of today would not fit that schema."""
    run = db.execute_sql
    run("INSERT INTO principal (name, kind, version) VALUES ('Exempelby kommun', 'kommun', 1)")
    run("INSERT INTO unit (principal_id, name, law, version) VALUES (1, 'Hemtjänst Norr', "
        "'SoL', 1)")
    for login, name in (("anna.berg", "Anna Berg"), ("bo.ek", "Bo Ek")):
        run(f'INSERT INTO "{users_table}" (login, full_name, initials, profession, unit_id, '
            "phone, email, role, active, password_hash, version) VALUES "
            f"('{login}', '{name}', 'XX', '', 1, '', '', 'case_officer', TRUE, NULL, 1)")
    for n in range(cases):
        number = TEST_NUMBERS[n % len(TEST_NUMBERS)][:9] + f"{n:04d}"
        run("INSERT INTO person (personal_number, pnr_short, first_name, last_name, name_key, "
            "name_key_reversed, address, postal_code, city, phone, language, "
            "needs_interpreter, easy_read, picture_support, created_at, updated_at, version) "
            f"VALUES ('{number}', '{number[2:8]}{n:04d}', 'Testperson', 'Nummer{n}', "
            f"'testperson nummer{n}', 'nummer{n} testperson', '', '', '', '', 'svenska', "
            "FALSE, FALSE, FALSE, '2026-01-05 09:00:00', '2026-01-05 09:00:00', 1)")
        run("INSERT INTO person_contact (person_id, kind, name, relation, phone, email, address, "
            f"version) VALUES ({n + 1}, 'relative', 'Närstående {n}', 'dotter', '', '', '', 1)")
        run("INSERT INTO sip_case (number, year, sequence, person_id, unit_id, coordinator_id, "
            "status, next_date, created_at, updated_at, version) VALUES "
            f"('SIP-2026-{n + 1:04d}', 2026, {n + 1}, {n + 1}, 1, {1 + n % 2}, "
            "'need_registered', NULL, '2026-01-05 09:00:00', '2026-01-05 09:00:00', 1)")


def _counts(db: peewee.Database, tables: list[str]) -> dict[str, int]:
    return {table: db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            for table in tables}


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
@pytest.mark.parametrize("build", ["version 1 of today", "the early build (table user)"])
def test_every_migration_from_the_first_schema_keeps_every_row_and_the_app_opens_it(
        engine: str, build: str, tmp_path: Path, request: pytest.FixtureRequest,
        figures: Callable[..., None]) -> None:
    early = build.startswith("the early")
    url = (DatabaseUrl(Engine.SQLITE, path=tmp_path / "gammal.sqlite3") if engine == "sqlite"
           else request.getfixturevalue("blank_pg_url"))
    db = _version_one(url, EARLY_FIRST_SCRIPT if early else FIRST_SCRIPT, tmp_path / "scripts")
    cases = size(12, 2_000)
    try:
        users_table = "user" if early else "app_user"
        _fill(db, users_table, cases)
        before = _counts(db, ["principal", "unit", users_table, "person", "person_contact",
                              "sip_case"])

        applied, _backup = schema.migrate(db, url)

        after = _counts(db, ["principal", "unit", "app_user", "person", "person_contact",
                             "sip_case"])
        assert list(after.values()) == list(before.values()), "every row is kept"
        assert len(applied) == schema.latest_version() - 1
        assert schema.status(db).is_current and schema_check.missing_parts(db) == []
        # The app opens it: its users are there to log in, and each sees their cases.
        users = auth.active_users_with_unit()
        assert [u.login for u in users] == ["anna.berg", "bo.ek"]
        anna = users[0]
        assert count_cases(CaseFilter(), anna) == cases
        shown = fetch_cases(CaseFilter(text="nummer1"), anna, limit=5)
        assert shown and all(row.person_name.startswith("Testperson Nummer1") for row in shown)
        figures(migrations=len(applied),
                rows_kept=sum(after.values()), rows_lost=sum(before.values()) - sum(after.values()))
    finally:
        db.close()
        database.initialize(None)
