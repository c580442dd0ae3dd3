"""The database: one URL decides the engine.

`sqlite:///path/to/file.sqlite3` is the embedded default; `postgresql://user@host:port/db` a
shared server. A PostgreSQL password never appears in a URL: it is passed in separately (from
the keyring or a dialog). Connection failures become `ConnectionProblem` with a Swedish message.

A server that goes away (a restart, a network that drops) does not break the app until it is
restarted: `ReconnectingPostgresqlDatabase` lets go of a connection the server dropped and opens
a new one at the next statement; a read outside a transaction that met the dropped connection
is tried again on the new one (at most `READ_RETRIES` times), a `BEGIN` too (nothing of the
transaction was sent). A write is never repeated by itself: it fails, and `storage_errors`
turns that failure into `ServerUnreachable` ("Servern svarar inte — det du skrivit finns kvar,
försök igen.") so the UI keeps the form open for the user to try again.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import peewee

from sipdesk import settings
from sipdesk.errors import (
    FILE_GONE_MESSAGE,
    SERVER_GONE_MESSAGE,
    ServerUnreachable,
    SipError,
    StorageError,
)
from sipdesk.paths import default_database_path
from sipdesk.storage import audit_chain, collation, limits
from sipdesk.storage.engine import Engine, database, load_postgresql_driver
from sipdesk.storage.engine import engine_of as engine_of  # re-exported: the core asks db for it

log = logging.getLogger("sipdesk.storage.db")

# The connection type, for callers outside the core that keep one (they import no peewee).
Database = peewee.Database

# WAL lets the list read while a dialog saves. synchronous=FULL: in WAL mode NORMAL survives a
# killed or crashed program but may roll back the last saves on a power cut or an OS crash —
# after the user was told "sparat". A desk PC is switched off mid-work; a lost sentence in a
# plan is a lost commitment to a person. FULL costs one fsync per save (a person saves a few
# times a minute; bulk work such as `sipdesk demo` is one transaction), and nothing measurable
# in the suite or the benchmarks.
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "journal_mode": "wal",
    "busy_timeout": 10_000,
    "synchronous": "full",
}


# A read that met a connection the server had dropped is tried again on a new connection at most
# this many times (a restart drops every connection once; a second drop means it is not back).
READ_RETRIES = 2
# The server said it is going away or cannot take connections yet: admin_shutdown,
# crash_shutdown, cannot_connect_now. Class 08 is "connection exception".
_GONE_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})


def _driver_error(exc: BaseException) -> BaseException | None:
    """The driver's exception behind a peewee one. peewee passes it as the first argument,
    sometimes twice over (a connect inside a statement is wrapped by both)."""
    seen: BaseException | None = exc
    while isinstance(seen, peewee.PeeweeException):
        if seen.args and isinstance(seen.args[0], BaseException):
            seen = seen.args[0]
        else:
            seen = seen.__cause__ or seen.__context__
    return seen


# SQLite's primary result codes for a file that cannot be opened or read: SQLITE_IOERR,
# SQLITE_CANTOPEN (a share that went away).
_SQLITE_GONE_CODES = frozenset({10, 14})


def _out_of_reach(exc: BaseException) -> str | None:
    """The Swedish message when `exc` says the database is out of reach — the server refused
    or dropped the connection, the network is gone, the SQLite file cannot be opened — rather
    than that it refused a statement; None otherwise."""
    driver = _driver_error(exc)
    psycopg = peewee.psycopg  # type: ignore[attr-defined]  # set once a PostgreSQL db is made
    if psycopg is not None and isinstance(driver, psycopg.OperationalError):
        state = driver.sqlstate
        if state is None or state.startswith("08") or state in _GONE_SQLSTATES:
            return SERVER_GONE_MESSAGE
    if isinstance(driver, sqlite3.OperationalError):
        code = getattr(driver, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _SQLITE_GONE_CODES:
            return FILE_GONE_MESSAGE
    return None


def connection_lost(exc: BaseException) -> bool:
    """True when `exc` says the database is out of reach, not that it refused a statement."""
    return _out_of_reach(exc) is not None


def _is_read(sql: str) -> bool:
    """A statement that changes nothing, so trying it again is harmless (`SELECT pg_notify`
    announces a change: not a read)."""
    head = sql.lstrip()[:6].upper()
    return head == "SELECT" and "pg_notify" not in sql


class ReconnectingPostgresqlDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL that survives a server restart or a dropped network.

    peewee keeps a connection it believes open (`is_closed()` stays False) after psycopg marked
    it closed or broken, so every later call failed with "the connection is closed". Here a
    statement first lets go of such a connection (outside a transaction: inside one, the
    transaction is lost and its statements must fail) and peewee opens a new one. peewee's
    `playhouse.shortcuts.ReconnectMixin` matches error texts and retries any statement,
    writes included; this retries only reads and `BEGIN`."""

    def _dropped(self) -> bool:
        """The open connection is one the server (or the network) dropped."""
        state: Any = self._state  # type: ignore[attr-defined]  # peewee's thread-local state
        conn = state.conn
        if state.closed or conn is None:
            return False
        return bool(conn.closed or conn.broken)

    def cursor(self, named_cursor: Any = None) -> Any:
        if self._dropped() and not self.in_transaction():
            log.warning("connection to the server was lost; connecting again")
            self.close()
        return super().cursor(named_cursor)

    def begin(self, isolation_level: Any = None) -> None:
        try:
            super().begin(isolation_level)
        except (peewee.OperationalError, peewee.InterfaceError):
            # Nothing of the transaction was sent: begin it on a new connection.
            if self.transaction_depth() or not self._dropped():
                raise
            super().begin(isolation_level)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        attempt = 0
        while True:
            try:
                return super().execute_sql(sql, params)
            except (peewee.OperationalError, peewee.InterfaceError):
                if (attempt >= READ_RETRIES or self.in_transaction() or not _is_read(sql)
                        or not self._dropped()):
                    raise
                attempt += 1
                log.warning("a read met a dropped connection; reading again (%d)", attempt)


class ExistingFileSqliteDatabase(peewee.SqliteDatabase):
    """SQLite that opens the database file only if it is there (`mode=rw`).

    The runner opens a connection for each job. Were the file's share to vanish, plain SQLite
    would make a new, empty database where the file was (on the bare mount point), and the app
    would go on as if every case were gone; here the open fails instead, as "Databasfilen går
    inte att nå" (`storage_errors`). `connect` makes a new database's file first."""

    def _connect(self) -> sqlite3.Connection:
        if self.database == ":memory:":
            return super()._connect()  # type: ignore[misc]
        uri = Path(self.database).resolve().as_uri() + "?mode=rw"
        conn = sqlite3.connect(uri, timeout=self._timeout,  # type: ignore[attr-defined]
                               isolation_level=None, uri=True, **self.connect_params)
        try:
            self._add_conn_hooks(conn)  # type: ignore[attr-defined]
        except Exception:
            conn.close()
            raise
        return conn


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
        # Transactions begin IMMEDIATE: one that reads before it writes (most use cases) would
        # otherwise fail at once with "database is locked" when another connection — a second
        # worker, another program — committed in between; the busy timeout cannot help a
        # deferred transaction whose snapshot went stale. IMMEDIATE waits its turn instead.
        return ExistingFileSqliteDatabase(str(url.path), pragmas=SQLITE_PRAGMAS, timeout=10,
                                          lock_type="IMMEDIATE")
    params: dict[str, Any] = {
        "host": url.host,
        "port": url.port,
        "user": url.user,
        "connect_timeout": 5,
        "application_name": "sipdesk",
        # No server-side prepared statements: after a few runs PostgreSQL switches a prepared
        # search to a generic plan that cannot use the prefix indexes (3× slower keystrokes).
        "prepare_threshold": None,
        # No JIT compilation: sipdesk's statements run in milliseconds, but under row-level
        # security the planner prices them high enough that PostgreSQL would compile them
        # first, for 0.3–1.5 s each (migration 23 also sets it for the database).
        "options": "-c jit=off",
        # A network that drops without a word (no reset from the other end): notice within
        # about half a minute instead of TCP's quarter of an hour. Keepalives while waiting for
        # an answer; tcp_user_timeout for data the server never acknowledged.
        "keepalives": 1,
        "keepalives_idle": 15,
        "keepalives_interval": 5,
        "keepalives_count": 3,
        "tcp_user_timeout": 30_000,
    }
    if password:
        params["password"] = password
    load_postgresql_driver()
    return ReconnectingPostgresqlDatabase(url.name, prefer_psycopg3=True, **params)


def connect(url: DatabaseUrl, password: str | None = None) -> peewee.Database:
    """Open the database and bind the models to it. Raises ConnectionProblem."""
    if url.engine is Engine.SQLITE:
        assert url.path is not None
        if url.path.exists() and not url.path.is_file():
            raise ConnectionProblem(ProblemKind.NOT_A_FILE, f"{url.path} är inte en databasfil.")
        url.path.parent.mkdir(parents=True, exist_ok=True)
        if not url.path.exists():  # a new database: its file, which later opens need
            sqlite3.connect(url.path).close()
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
    audit_chain.install(db)
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
    for the log), so callers outside the core handle one error type and never import peewee:
    `ServerUnreachable` when the database is out of reach, else a plain `StorageError`.
    Errors the core raises itself (`SipError`) pass through unchanged."""
    try:
        yield
    except (peewee.DatabaseError, peewee.InterfaceError) as exc:
        gone = _out_of_reach(exc)
        if gone is not None:
            log.error("database out of reach: %s", type(exc).__name__)
            raise ServerUnreachable(gone) from exc
        log.error("storage error: %s", type(exc).__name__)
        raise StorageError() from exc


def ping() -> None:
    """Ask the database for nothing: raises when it cannot be reached (the UI asks while it
    waits for a server to come back)."""
    database.execute_sql("SELECT 1")


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
