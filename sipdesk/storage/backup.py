"""Backups of a whole sipdesk database, and restoring one into an empty database.

- SQLite: the online backup API (`sqlite3.Connection.backup`), a consistent copy while the app
  keeps working, a few pages at a time so there is progress to show. The copy is a single file
  (rollback journal, not WAL) that SQLite itself has checked (`PRAGMA quick_check`).
- PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` in one transaction (all or
  nothing), see `pg_tools`.

A backup is named by the time it was made and its engine only (`sipdesk-2026-12-04T0930.sqlite3`,
`…T0930.pgdump`) — never by anything in it. It is written under a `.part` name, readable by its
owner only, and gets its real name when complete, so an interrupted backup never looks like a
good one. A restore never overwrites: the target must be empty (a new file; a database whose
sipdesk tables hold no rows).
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import peewee

from sipdesk import clock
from sipdesk.errors import SipError
from sipdesk.storage import audit_chain, pg_tools, schema
from sipdesk.storage.db import DatabaseUrl, Engine, make_database

log = logging.getLogger("sipdesk.storage.backup")

# (done, total): pages copied for SQLite, tables for PostgreSQL.
Progress = Callable[[int, int], None]

SUFFIX = {Engine.SQLITE: ".sqlite3", Engine.POSTGRESQL: ".pgdump"}
_MAGIC = {Engine.SQLITE: b"SQLite format 3\x00", Engine.POSTGRESQL: b"PGDMP"}
_ENGINE_NAME = {Engine.SQLITE: "SQLite", Engine.POSTGRESQL: "PostgreSQL"}


class BackupProblem(SipError):
    """A backup or restore that cannot be done; the message says why in Swedish."""


@dataclass(frozen=True)
class Restored:
    """What a restore brought back: the schema version of the backup, and what that means."""

    state: schema.SchemaStatus

    @property
    def note(self) -> str:
        latest = schema.latest_version()
        if self.state.is_empty:
            return "Obs: den återställda databasen har ingen sipdesk-schemaversion."
        if self.state.unknown:
            newer = len(self.state.applied) + len(self.state.unknown)
            return (f"Obs: säkerhetskopian kommer från en nyare version av sipdesk (schemaversion "
                    f"{newer}, den här versionen känner till {latest}). Uppdatera sipdesk innan "
                    "databasen öppnas.")
        if self.state.pending:
            return (f"Säkerhetskopian har schemaversion {self.state.version}. sipdesk uppdaterar "
                    f"den till version {latest} på vanligt sätt när appen (eller sipdesk "
                    "migrate) öppnar databasen.")
        return f"Schemaversion {latest}, samma som den här versionen av sipdesk."


def backup_name(engine: Engine) -> str:
    """The file name of a backup made now: the time and the engine, nothing from the data."""
    return f"sipdesk-{clock.now():%Y-%m-%dT%H%M}{SUFFIX[engine]}"


def engine_of_file(path: Path) -> Engine | None:
    """Which engine's backup `path` is, by its first bytes; None for anything else."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError:
        return None
    for engine, magic in _MAGIC.items():
        if head.startswith(magic):
            return engine
    return None


def _free_name(out_dir: Path, engine: Engine) -> Path:
    first = out_dir / backup_name(engine)
    target, number = first, 2
    while target.exists() or _part(target).exists():  # more than one backup in a minute
        target = first.with_name(f"{first.name.removesuffix(SUFFIX[engine])}_{number}"
                                 f"{SUFFIX[engine]}")
        number += 1
    return target


def _part(target: Path) -> Path:
    return target.with_name(target.name + ".part")


@contextmanager
def _writing(target: Path) -> Iterator[Path]:
    """A `.part` file readable by its owner only, renamed to `target` when the block succeeds,
    removed when it fails (or is interrupted with Ctrl+C)."""
    part = _part(target)
    try:
        os.close(os.open(part, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise BackupProblem(f"Det går inte att skriva i mappen {target.parent} "
                            f"({exc.strerror}).") from None
    try:
        yield part
        os.replace(part, target)
    except sqlite3.Error as exc:  # a full disk, say; the message is SQLite's own (English)
        log.error("sqlite copy failed: %s", type(exc).__name__)
        raise BackupProblem(f"Kopian kunde inte skrivas till {target.parent}: {exc}. "
                            "Inget halvfärdigt har sparats.") from None
    finally:
        part.unlink(missing_ok=True)


def _prepare_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BackupProblem(f"{out_dir} är en fil — ange en mapp för säkerhetskopiorna.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise BackupProblem(f"Mappen {out_dir} kan inte skapas ({exc.strerror}).") from None


def _copy_sqlite(source: sqlite3.Connection, target: Path, *, journal: str,
                 progress: Progress | None) -> None:
    """The SQLite backup API, about a hundredth of the database per step, then checked.

    The copy is read in one read transaction on the source: the snapshot of the moment it
    began (WAL lets the app go on writing meanwhile). Without it SQLite starts the copy over
    after every write by another connection, and under steady writes never finishes."""
    source.execute("BEGIN")
    try:
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts
        pages = source.execute("PRAGMA page_count").fetchone()[0]
        per_step = max(16, pages // 100)

        def report(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress(total - remaining, total)

        with closing(sqlite3.connect(target)) as dest:
            source.backup(dest, pages=per_step, progress=report)
            dest.execute(f"PRAGMA journal_mode={journal}")
            checked = dest.execute("PRAGMA quick_check").fetchone()[0]
    finally:
        source.rollback()
    if checked != "ok":
        raise BackupProblem("Kopian blev inte hel (SQLite:s kontroll underkände den). "
                            "Försök igen; upprepas felet, kontrollera disken.")


def _open_sqlite_readonly(path: Path, what: str) -> sqlite3.Connection:
    if not path.is_file():
        raise BackupProblem(f"{what} {path} finns inte.")
    # Read-only: a mistyped path never becomes a new, empty database.
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        has_history = source.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            (schema.HISTORY_TABLE,)).fetchone()[0]
    except sqlite3.DatabaseError:
        source.close()
        raise BackupProblem(f"{path} går inte att läsa som en sipdesk-databas.") from None
    if not has_history:
        source.close()
        raise BackupProblem(f"{path} är ingen sipdesk-databas (den saknar schemaversion).")
    return source


def backup_sqlite(url: DatabaseUrl, out_dir: Path, *, progress: Progress | None = None) -> Path:
    """Copy the SQLite database at `url` into `out_dir`; the path of the backup."""
    assert url.path is not None
    source = _open_sqlite_readonly(url.path, "Databasfilen")
    _prepare_out_dir(out_dir)
    target = _free_name(out_dir, Engine.SQLITE)
    with closing(source), _writing(target) as part:
        _copy_sqlite(source, part, journal="DELETE", progress=progress)
    log.info("sqlite backup written")
    return target


def _server_version(db: peewee.Database) -> pg_tools.PgVersion:
    number = db.execute_sql("SHOW server_version_num").fetchone()[0]
    return pg_tools.PgVersion.from_server_number(int(number))


def _counting(total: int, progress: Progress | None) -> Callable[[], None]:
    """A step for `pg_tools.run_verbose`: each table done moves the progress line on."""
    done = 0

    def step() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(min(done, total), total)

    return step


def backup_postgresql(db: peewee.Database, url: DatabaseUrl, password: str | None,
                      out_dir: Path, *, progress: Progress | None = None) -> Path:
    """`pg_dump --format=custom` of the database `db` is connected to (at `url`) into
    `out_dir`; the path of the backup. `password` goes to pg_dump's environment only."""
    if schema.status(db).is_empty:
        raise BackupProblem(f"Databasen {url.name} är ingen sipdesk-databas (den saknar "
                            "schemaversion) — ingen säkerhetskopia gjord.")
    tool = pg_tools.find_tool("pg_dump")
    pg_tools.check_not_older(tool, _server_version(db))
    total = len(db.get_tables())
    _prepare_out_dir(out_dir)
    target = _free_name(out_dir, Engine.POSTGRESQL)
    step = _counting(total, progress)

    with _writing(target) as part:
        pg_tools.run_verbose(
            [str(tool.path), "--format=custom", "--verbose", "--file", str(part),
             *pg_tools.connection_arguments(url), "--dbname", url.name],
            password=password, counts="dumping contents of table", step=step)
        if part.stat().st_size == 0 or engine_of_file(part) is not Engine.POSTGRESQL:
            raise BackupProblem("pg_dump skrev ingen fullständig säkerhetskopia.")
    log.info("postgresql backup written")
    return target


def check_backup_file(file: Path, engine: Engine) -> None:
    """Refuse a file that is not a backup of `engine`'s kind."""
    if not file.is_file():
        raise BackupProblem(f"Säkerhetskopian {file} finns inte.")
    found = engine_of_file(file)
    if found is None:
        raise BackupProblem(f"{file} är ingen säkerhetskopia från sipdesk backup.")
    if found is not engine:
        raise BackupProblem(
            f"{file} är en säkerhetskopia av en {_ENGINE_NAME[found]}-databas och kan bara "
            f"återställas till en {_ENGINE_NAME[found]}-databas, inte {_ENGINE_NAME[engine]}.")


def check_sqlite_target(file: Path, url: DatabaseUrl) -> None:
    """Refuse a restore into an existing, non-empty SQLite file (or one of the wrong kind)."""
    assert url.path is not None
    check_backup_file(file, Engine.SQLITE)
    target = url.path
    wal = Path(f"{target}-wal")
    if target.is_dir():
        raise BackupProblem(f"{target} är en mapp — ange en ny databasfil.")
    if (target.exists() and target.stat().st_size > 0) or (wal.exists()
                                                            and wal.stat().st_size > 0):
        raise BackupProblem(
            f"Databasfilen {target} finns redan och är inte tom. Återställ till en ny fil — "
            "sipdesk skriver aldrig över en databas. Inget har ändrats.")


def restore_sqlite(file: Path, url: DatabaseUrl, *,
                   progress: Progress | None = None) -> Restored:
    """Copy the backup `file` into a new SQLite database at `url` (refused if the file exists
    and is not empty)."""
    assert url.path is not None
    check_sqlite_target(file, url)
    target = url.path
    source = _open_sqlite_readonly(file, "Säkerhetskopian")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # an empty file only, checked above
    with closing(source), _writing(target) as part:
        _copy_sqlite(source, part, journal="WAL", progress=progress)
    restored = make_database(url)
    try:
        restored.connect()
        state = schema.status(restored)
    finally:
        restored.close()
    log.info("sqlite backup restored")
    return Restored(state)


def tables_with_data(db: peewee.Database) -> list[str]:
    """The tables that hold rows, apart from the schema history and the audit chain's head
    (its one row is there from the migration on): a migrated but unused database is empty."""
    found = []
    for table in db.get_tables():
        if table in (schema.HISTORY_TABLE, audit_chain.HEAD_TABLE):
            continue
        if db.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None:
            found.append(table)
    return found


def check_postgresql_target(db: peewee.Database, url: DatabaseUrl) -> None:
    """Refuse a restore into a database whose tables hold rows."""
    full = tables_with_data(db)
    if full:
        raise BackupProblem(
            f"Databasen {url.name} innehåller redan data ({len(full)} tabeller med rader, "
            f"t.ex. {full[0]}). Återställ bara till en tom databas — skapa en ny databas och "
            "försök igen. Inget har ändrats.")


def _make_missing_roles(db: peewee.Database, roles: set[str]) -> None:
    """Roles are per server: on a new server the group roles the backup grants to
    (`sipdesk_user`, `sipdesk_retention`) are made first, without login, or the restore would
    stop at its first GRANT. Refused (no right to create roles): say which to make."""
    existing = {row[0] for row in db.execute_sql(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (sorted(roles),))}
    missing = sorted(roles - existing)
    for role in missing:
        quoted = '"' + role.replace('"', '""') + '"'
        try:
            with db.atomic():
                db.execute_sql(f"CREATE ROLE {quoted} NOLOGIN")
        except peewee.DatabaseError:
            raise BackupProblem(
                "Säkerhetskopian ger rättigheter till roller som saknas på den här servern "
                f"({', '.join(missing)}), och du får inte skapa roller. Be en administratör "
                "skapa dem (CREATE ROLE … NOLOGIN) och försök igen. Inget har ändrats."
            ) from None
        log.info("a role the backup names was made on this server")


def restore_postgresql(db: peewee.Database, file: Path, url: DatabaseUrl,
                       password: str | None, *, progress: Progress | None = None) -> Restored:
    """`pg_restore` the backup `file` into the empty database `db` is connected to (at `url`),
    in one transaction: either all of it is restored or nothing."""
    check_backup_file(file, Engine.POSTGRESQL)
    check_postgresql_target(db, url)
    tool = pg_tools.find_tool("pg_restore")
    # A migrated database without rows: its empty tables make way for the backup's.
    clean = ["--clean", "--if-exists"] if db.get_tables() else []
    listing = pg_tools.list_archive(tool, file)
    total = sum(" TABLE DATA " in line for line in listing)
    _make_missing_roles(db, pg_tools.roles_in_archive(tool, file))
    db.close()  # pg_restore needs no second session of ours beside it
    step = _counting(total, progress)

    pg_tools.run_verbose(
        [str(tool.path), "--no-owner", "--exit-on-error", "--single-transaction", "--verbose",
         *clean, *pg_tools.connection_arguments(url), "--dbname", url.name, str(file)],
        password=password, counts="processing data for table", step=step)
    db.connect(reuse_if_open=True)
    log.info("postgresql backup restored")
    return Restored(schema.status(db))
