"""The one database handle of the core and which engine is behind it.

Kept apart from `sipdesk.storage.db` (connecting, URLs, errors) so that modules `db` itself uses
when it
connects — the Swedish collation — can ask for the engine without importing `db` back (a core
without import cycles, issue 11). `sipdesk.storage.db` re-exports every name here.
"""

from __future__ import annotations

from enum import StrEnum

import peewee

# The handle every model uses; `db.connect` points it at the open database.
database = peewee.DatabaseProxy()


class Engine(StrEnum):
    SQLITE = "sqlite"
    POSTGRESQL = "postgresql"


def engine_of(db: peewee.Database | None = None) -> Engine:
    target = db if db is not None else database.obj
    return Engine.POSTGRESQL if isinstance(target, peewee.PostgresqlDatabase) else Engine.SQLITE


def load_postgresql_driver() -> None:
    """Give peewee its PostgreSQL driver, psycopg, if it was imported without it (see
    `sipdesk/__init__.py`): the names peewee's psycopg 3 adapter reads, set as peewee's own
    import would have set them. Called before a PostgreSQL database is made."""
    if peewee.psycopg is not None:  # type: ignore[attr-defined]
        return
    import psycopg
    from psycopg.pq import TransactionStatus
    from psycopg.types.json import Json, Jsonb

    peewee.psycopg = psycopg  # type: ignore[attr-defined]
    peewee.TransactionStatus = TransactionStatus  # type: ignore[attr-defined]
    peewee.Json_pg3 = Json  # type: ignore[attr-defined]
    peewee.Jsonb_pg3 = Jsonb  # type: ignore[attr-defined]
    adapter = peewee.Psycopg3Adapter
    adapter.txn_idle = TransactionStatus.IDLE
    adapter.txn_inerror = TransactionStatus.INERROR
    adapter.txn_unknown = TransactionStatus.UNKNOWN
