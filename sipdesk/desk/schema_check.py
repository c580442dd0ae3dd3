"""After an upgrade: is the database the one today's sipdesk reads? (issue 13)

Migrations run one by one and each may succeed, yet a database can still be off — an early build
edited its first script in place, so databases it made never got what was later written into
that script. Rather than saying "uppdaterad" and then refusing the database at the next read,
the start compares every table and column the models expect with the database and, if something
is missing, says so together with the backup copy's name.

It sits on top of the core because it must know every model, and models live in every layer.
"""

from __future__ import annotations

from pathlib import Path

import peewee

# Imported for their models: each layer's tables must be known to the check.
from sipdesk.accounts import audit  # noqa: F401
from sipdesk.casework import consent, contacts, drafts, lifecycle, need  # noqa: F401
from sipdesk.meetings import convene, evaluation, meeting  # noqa: F401
from sipdesk.plans import child_voice  # noqa: F401
from sipdesk.storage import (  # noqa: F401
    guardian_records,
    meeting_records,
    message_records,
    plan_records,
)
from sipdesk.storage.db import BaseModel, ConnectionProblem, ProblemKind
from sipdesk.storage.models import VersionedModel

BASES = (VersionedModel,)  # shared columns only, no table of their own


def all_models() -> list[type[BaseModel]]:
    """Every table the app reads, found as the subclasses of the models' base."""
    found: list[type[BaseModel]] = []
    waiting: list[type[BaseModel]] = list(BaseModel.__subclasses__())
    while waiting:
        model = waiting.pop()
        waiting.extend(model.__subclasses__())
        if model not in BASES and model not in found:
            found.append(model)
    return sorted(found, key=lambda model: model._meta.table_name)


def missing_parts(db: peewee.Database) -> list[str]:
    """The tables and columns the app expects that the database lacks ("table" or
    "table.column"), in table order; empty when the database is what the app reads."""
    tables = set(db.get_tables())
    missing: list[str] = []
    for model in all_models():
        table = model._meta.table_name
        if table not in tables:
            missing.append(table)
            continue
        have = {column.name for column in db.get_columns(table)}
        missing.extend(f"{table}.{field.column_name}"
                       for field in model._meta.sorted_fields
                       if field.column_name not in have)
    return missing


def check_after_migration(db: peewee.Database, backup: Path | None) -> None:
    """Raise `ConnectionProblem(WRONG_SCHEMA)` naming what is missing and where the backup is,
    instead of letting the app start on a database it cannot read."""
    missing = missing_parts(db)
    if not missing:
        return
    shown = ", ".join(missing[:5]) + (f" och {len(missing) - 5} till" if len(missing) > 5 else "")
    where = (f"Säkerhetskopian från före uppdateringen finns här: {backup}. "
             if backup is not None else
             "Återställ databasen från er senaste säkerhetskopia. ")
    raise ConnectionProblem(
        ProblemKind.WRONG_SCHEMA,
        "Databasen uppdaterades, men den ser fortfarande inte ut som sipdesk väntar sig "
        f"(saknas: {shown}). Den används inte nu, så att inget blir fel. {where}"
        "Kontakta den som ansvarar för sipdesk hos er och ta med det här meddelandet.",
    )
