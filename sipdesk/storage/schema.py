"""Schema versions: the numbered scripts in `migrations/`, run by playhouse.migrations.

The app checks the schema on start: an empty database is created, an older one is migrated
(SQLite: after a backup copy), and a newer one (written by a newer sipdesk) is refused.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import peewee

from sipdesk import clock
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind, analyze

if TYPE_CHECKING:
    from playhouse.migrations import Runner

log = logging.getLogger("sipdesk.storage.schema")

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"  # sipdesk/migrations
HISTORY_TABLE = "schema_migration"


@dataclass(frozen=True)
class SchemaStatus:
    applied: list[str]
    pending: list[str]
    unknown: list[str]  # applied by a newer sipdesk: their files are not here

    @property
    def is_empty(self) -> bool:
        return not self.applied

    @property
    def is_current(self) -> bool:
        return not self.pending and not self.unknown

    @property
    def version(self) -> int:
        return len(self.applied)


def _runner(db: peewee.Database) -> Runner:
    # playhouse.migrations imports peewee's PostgreSQL extension and psycopg (~140 ms): only
    # when migrating, not at every start.
    from playhouse.migrations import Runner

    return Runner(db, str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def latest_version() -> int:
    return len(list(MIGRATIONS_DIR.glob("[0-9]*.py")))


def status(db: peewee.Database) -> SchemaStatus:
    """The scripts applied, pending and unknown (applied by a newer sipdesk), as
    playhouse.migrations' `Runner.status()` tells them — read here from its history table
    directly, because every start asks and the runner is slow to import."""
    files = sorted((path.stem for path in MIGRATIONS_DIR.glob("[0-9]*.py")), key=_number)
    applied: set[str] = set()
    if db.table_exists(HISTORY_TABLE):
        applied = {row[0] for row in db.execute_sql(f'SELECT name FROM "{HISTORY_TABLE}"')}
    return SchemaStatus(
        applied=[name for name in files if name in applied],
        pending=[name for name in files if name not in applied],
        unknown=sorted(applied - set(files), key=_number),
    )


def _number(name: str) -> tuple[int, str]:
    """A script's place in the order: its leading number ("0003_…" → 3)."""
    digits = name.split("_", 1)[0]
    return (int(digits) if digits.isdigit() else 0, name)


def check_not_newer(state: SchemaStatus) -> None:
    if state.unknown:
        raise ConnectionProblem(
            ProblemKind.WRONG_SCHEMA,
            "Databasen har skapats av en nyare version av sipdesk "
            f"(schemaversion {len(state.applied) + len(state.unknown)}, den här versionen "
            f"känner till {latest_version()}). Uppdatera sipdesk innan du öppnar den.",
        )


def backup_sqlite(path: Path) -> Path:
    """Copy a SQLite database consistently (backup API) next to the original."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    source = sqlite3.connect(str(path))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    log.info("backup written before migration")
    return target


def _repair_early_names(db: peewee.Database) -> None:
    """Before any script: the early builds' version 1 named the users' table `user` (the script
    was later edited in place to say `app_user`). Version 2 on creates foreign keys to
    `app_user`, which PostgreSQL refuses while the table has its old name — so the rename of
    version 13 must also happen before the scripts run. It is the same rename; version 13 then
    finds nothing to do (and still repairs a SQLite database already past version 2)."""
    tables = set(db.get_tables())
    if "user" in tables and "app_user" not in tables:
        with db.atomic():
            db.execute_sql('ALTER TABLE "user" RENAME TO app_user')
        log.info("renamed the early build's users' table")


def migrate(db: peewee.Database, url: DatabaseUrl) -> tuple[list[str], Path | None]:
    """Apply pending migrations; returns their names and the backup copy (SQLite, if any)."""
    state = status(db)
    check_not_newer(state)
    if not state.pending:
        return [], None
    backup = None
    if url.engine is Engine.SQLITE and not state.is_empty and url.path is not None:
        backup = backup_sqlite(url.path)
    _repair_early_names(db)
    applied = _runner(db).up()
    log.info("applied %d migration(s)", len(applied))
    analyze(db)
    return applied, backup
