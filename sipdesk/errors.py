"""Errors the core raises, each carrying a Swedish message meant for the user."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


class SipError(Exception):
    """Base for every error with a user-facing Swedish message."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationError(SipError):
    """Bad input; `field` names the input the message belongs to."""


class NotFoundError(SipError):
    """A record the user asked for does not exist (any more)."""


class PermissionDenied(SipError):
    """The acting user may not do this."""


class AuthError(SipError):
    """Login failed."""


@dataclass
class FieldConflict:
    """One field both I and someone else changed, to different values: both sides, nothing
    lost. `label` is the field's Swedish name (as the form says it)."""

    field: str
    mine: Any
    theirs: Any
    label: str = dataclasses.field(default="", compare=False)  # how it is shown, not what clashed


class ConflictError(SipError):
    """Someone else saved the record after it was opened, in a field I changed too.

    `conflicts` holds, for each overlapping field, my value and theirs (edits to different
    fields merge and raise nothing); `theirs` is the whole record as stored now — the base a
    choice is saved against, so a third save in between is noticed again — and `mine` the
    values the user tried to save. `saved_by` and `saved_at` say who saved theirs and when,
    where that is known.
    """

    def __init__(self, *, what: str, mine: dict[str, Any], theirs: dict[str, Any],
                 conflicts: Sequence[FieldConflict] = (), saved_by: str = "",
                 saved_at: dt.datetime | None = None) -> None:
        super().__init__(
            f"{what} har ändrats av någon annan sedan du öppnade den. "
            "Dina ändringar är inte sparade men finns kvar i formuläret — "
            "jämför med den nya versionen och spara igen."
        )
        self.what = what
        self.mine = mine
        self.theirs = theirs
        self.conflicts = list(conflicts)
        self.saved_by = saved_by
        self.saved_at = saved_at


STORAGE_MESSAGE = (
    "Det gick inte att läsa eller spara i databasen. Det du skrivit finns kvar — "
    "kontrollera anslutningen och försök igen."
)


class StorageError(SipError):
    """The database refused or could not be reached (a driver or peewee error, wrapped by
    `sipdesk.storage.db.storage_errors`), so the UI never needs to know the storage library."""

    def __init__(self, message: str = STORAGE_MESSAGE) -> None:
        super().__init__(message)


SERVER_GONE_MESSAGE = "Servern svarar inte — det du skrivit finns kvar, försök igen."
FILE_GONE_MESSAGE = (
    "Databasfilen går inte att nå — det du skrivit finns kvar. Kontrollera att "
    "nätverksenheten är ansluten och försök igen."
)


class ServerUnreachable(StorageError):
    """The database could not be reached, or dropped the connection: a PostgreSQL server that
    restarted or a network that went away (SQLite: a database file on a share that vanished).

    Nothing the failed call wrote is repeated by itself; the next call connects again, so the
    user can simply try again once the server answers. A storage error of another kind (a
    refused statement) stays a plain `StorageError`."""

    def __init__(self, message: str = SERVER_GONE_MESSAGE) -> None:
        super().__init__(message)
