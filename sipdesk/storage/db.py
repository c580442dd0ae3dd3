"""The database: one URL decides the engine.

`sqlite:///path/to/file.sqlite3` is the embedded default; `postgresql://user@host:port/db` a
shared server. A PostgreSQL password never appears in a URL: it is passed in separately (from
the keyring or a dialog). Connection failures become `ConnectionProblem` with a Swedish message.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import peewee

from sipdesk import settings
from sipdesk.errors import SipError, StorageError
from sipdesk.paths import default_database_path
from sipdesk.storage import collation, limits
from sipdesk.storage.engine import Engine, database, load_postgresql_driver
from sipdesk.storage.engine import engine_of as engine_of  # re-exported: the core asks db for it

log = logging.getLogger("sipdesk.storage.db")

# The connection type, for callers outside the core that keep one (they import no peewee).
Database = peewee.Database

SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "busy_timeout": 10_000,
    "synchronous": "normal",
}


class BaseModel(peewee.Model):
    """Every write goes through `insert`, `insert_many` or `update` (peewee's `save` and
    `create` too), and each refuses a text that does not fit its column or holds a character
    that is never stored (`limits.write_problem`): a ValidationError, the same on both engines,
    never a driver's error — whatever a use case forgot to check."""

    id = peewee.AutoField()  # declared so type checkers see it

    class Meta:
        database = database
        legacy_table_names = False

    @classmethod
    def _refuse_unstorable(cls, values: Mapping[Any, Any]) -> None:
        problem = limits.write_problem(cls, values)
        if problem is not None:
            log.warning("refused a text for %s.%s", cls.__name__, problem.field)
            raise problem

    @classmethod
    def insert(cls, __data: Any = None, **insert: Any) -> Any:
        cls._refuse_unstorable({**(__data or {}), **insert})
        return super().insert(__data, **insert)

    @classmethod
    def update(cls, __data: Any = None, **update: Any) -> Any:
        cls._refuse_unstorable({**(__data or {}), **update})
        return super().update(__data, **update)

    @classmethod
    def insert_many(cls, rows: Iterable[Any], fields: Sequence[Any] | None = None) -> Any:
        rows = list(rows)
        for row in rows:
            cls._refuse_unstorable(row if isinstance(row, Mapping)
                                   else dict(zip(fields or (), row, strict=False)))
        return super().insert_many(rows, fields)


@dataclass(frozen=True)
class DatabaseUrl:
    """A parsed database URL. `display` is safe to show and log (no password, ever)."""

    engine: Engine
    path: Path | None = None
    host: str = "localhost"
    port: int = 5432
    name: str = ""
    user: str = ""

    @property
    def display(self) -> str:
        if self.engine is Engine.SQLITE:
            return f"SQLite: {self.path}"
        return f"PostgreSQL: {self.user}@{self.host}:{self.port}/{self.name}"

    @property
    def url(self) -> str:
        if self.engine is Engine.SQLITE:
            return f"sqlite:///{self.path}"
        return f"postgresql://{self.user}@{self.host}:{self.port}/{self.name}"

    @property
    def keyring_key(self) -> str:
        """The keyring entry for this server and user (never contains the password)."""
        return f"{self.user}@{self.host}:{self.port}/{self.name}"


class ProblemKind(StrEnum):
    BAD_URL = "bad_url"
    SERVER_DOWN = "server_down"
    WRONG_PASSWORD = "wrong_password"
    PASSWORD_NEEDED = "password_needed"
    NO_DATABASE = "no_database"
    NOT_A_FILE = "not_a_file"
    WRONG_SCHEMA = "wrong_schema"
    OTHER = "other"


class ConnectionProblem(SipError):
    """The database could not be opened; `kind` says why, the message says it in Swedish."""

    def __init__(self, kind: ProblemKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def parse_url(url: str) -> DatabaseUrl:
    """Parse a database URL; refuse one that carries a password."""
    parts = urlsplit(url.strip())
    if parts.scheme == "sqlite":
        raw = unquote(parts.path)
        if parts.netloc:
            raw = unquote(parts.netloc) + raw
        # sqlite:///relative and sqlite:////absolute: strip the one slash that separates.
        raw = raw[1:] if raw.startswith("//") else raw
        if raw in ("", "/"):
            raise ConnectionProblem(ProblemKind.BAD_URL, "Databasadressen saknar filnamn.")
        return DatabaseUrl(Engine.SQLITE, path=Path(raw).expanduser())
    if parts.scheme in ("postgresql", "postgres"):
        if parts.password:
            raise ConnectionProblem(
                ProblemKind.BAD_URL,
                "Skriv inte lösenordet i databasadressen — sipdesk frågar efter det "
                "och kan spara det i systemets nyckelring.",
            )
        name = parts.path.lstrip("/")
        if not name:
            raise ConnectionProblem(ProblemKind.BAD_URL, "Databasadressen saknar databasnamn.")
        try:
            port = parts.port or 5432
        except ValueError:
            raise ConnectionProblem(ProblemKind.BAD_URL, "Portnumret är ogiltigt.") from None
        return DatabaseUrl(
            Engine.POSTGRESQL,
            host=parts.hostname or "localhost",
            port=port,
            name=unquote(name),
            user=unquote(parts.username or os.environ.get("USER", "")),
        )
    raise ConnectionProblem(
        ProblemKind.BAD_URL,
        "Okänd databasadress. Använd sqlite:///sökväg eller postgresql://användare@server:port/databas.",
    )


def resolve_url(cli_url: str | None = None) -> DatabaseUrl:
    """The database to use: --database, then SIPDESK_DATABASE, then the saved setting,
    then the embedded default in the user's data folder."""
    for candidate in (cli_url, os.environ.get("SIPDESK_DATABASE"), settings.get("database_url")):
        if candidate:
            return parse_url(candidate)
    return DatabaseUrl(Engine.SQLITE, path=default_database_path())


def _pg_problem(exc: Exception, url: DatabaseUrl) -> ConnectionProblem:
    text = str(exc).lower()
    if "password authentication failed" in text:
        return ConnectionProblem(
            ProblemKind.WRONG_PASSWORD,
            f"Fel lösenord för användaren {url.user}. Försök igen.",
        )
    if "no password supplied" in text or "password is required" in text:
        return ConnectionProblem(ProblemKind.PASSWORD_NEEDED, "Servern kräver ett lösenord.")
    if "does not exist" in text and "database" in text:
        return ConnectionProblem(
            ProblemKind.NO_DATABASE,
            f"Databasen {url.name} finns inte på servern {url.host}. "
            "Kontrollera namnet eller be er administratör skapa den.",
        )
    if "role" in text and "does not exist" in text:
        return ConnectionProblem(
            ProblemKind.WRONG_PASSWORD,
            f"Användaren {url.user} finns inte på databasservern.",
        )
    if any(s in text for s in ("connection refused", "could not connect", "timeout", "timed out",
                                "no route", "name or service not known", "could not translate")):
        return ConnectionProblem(
            ProblemKind.SERVER_DOWN,
            f"Det gick inte att nå databasservern {url.host}:{url.port}. "
            "Kontrollera adressen och att servern är igång.",
        )
    return ConnectionProblem(ProblemKind.OTHER, "Det gick inte att ansluta till databasen.")


def make_database(url: DatabaseUrl, password: str | None = None) -> peewee.Database:
    """A peewee database for `url`, not yet connected."""
    if url.engine is Engine.SQLITE:
        assert url.path is not None
        return peewee.SqliteDatabase(str(url.path), pragmas=SQLITE_PRAGMAS, timeout=10)
    params: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.user,
        "connect_timeout": 5,
        "application_name": "sipdesk",
        # No server-side prepared statements: after a few runs PostgreSQL switches a prepared
        # search to a generic plan that cannot use the prefix indexes (3× slower keystrokes).
        "prepare_threshold": None,
    }
    if password:
        params["password"] = password
    load_postgresql_driver()
    return peewee.PostgresqlDatabase(url.name, prefer_psycopg3=True, **params)


def connect(url: DatabaseUrl, password: str | None = None) -> peewee.Database:
    """Open the database and bind the models to it. Raises ConnectionProblem."""
    if url.engine is Engine.SQLITE:
        assert url.path is not None
        if url.path.exists() and not url.path.is_file():
            raise ConnectionProblem(ProblemKind.NOT_A_FILE, f"{url.path} är inte en databasfil.")
        url.path.parent.mkdir(parents=True, exist_ok=True)
    db = make_database(url, password)
    try:
        db.connect(reuse_if_open=True)
        if url.engine is Engine.SQLITE:
            db.execute_sql("SELECT count(*) FROM sqlite_master")
    except peewee.DatabaseError as exc:
        db.close()
        if url.engine is Engine.SQLITE:
            raise ConnectionProblem(
                ProblemKind.NOT_A_FILE, f"{url.path} går inte att öppna som sipdesk-databas."
            ) from None
        raise _pg_problem(exc, url) from None
    collation.install(db)
    database.initialize(db)
    log.info("connected to %s database", url.engine.value)
    return db


def check_connection(url: DatabaseUrl, password: str | None = None) -> None:
    """Open and close a connection without binding the models. Raises ConnectionProblem."""
    db = make_database(url, password)
    try:
        db.connect()
        db.execute_sql("SELECT 1")
    except peewee.DatabaseError as exc:
        raise _pg_problem(exc, url) from None
    finally:
        db.close()


@contextmanager
def storage_errors() -> Iterator[None]:
    """Turn a storage failure inside the block into the core's `StorageError` (the cause kept
    for the log), so callers outside the core handle one error type and never import peewee.
    Errors the core raises itself (`SipError`) pass through unchanged."""
    try:
        yield
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        log.error("storage error: %s", type(exc).__name__)
        raise StorageError() from exc


def analyze(db: peewee.Database | None = None) -> None:
    """Refresh the planner's statistics after a bulk change (a migration, `sipdesk demo`, an
    import), so the first searches on a new database are planned as well as later ones:
    PostgreSQL's `ANALYZE` (autovacuum would get there, minutes later), SQLite's
    `PRAGMA optimize` (it analyses only the tables whose statistics are missing or stale)."""
    target = db if db is not None else database.obj
    if engine_of(target) is Engine.POSTGRESQL:
        target.execute_sql("ANALYZE")
    else:
        target.execute_sql("PRAGMA optimize")
    log.info("planner statistics refreshed")
