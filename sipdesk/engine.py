"""The one database handle of the core and which engine is behind it.

Kept apart from `sipdesk.db` (connecting, URLs, errors) so that modules `db` itself uses when it
connects — the Swedish collation — can ask for the engine without importing `db` back (a core
without import cycles, issue 11). `sipdesk.db` re-exports every name here.
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
