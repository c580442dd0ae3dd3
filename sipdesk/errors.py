"""Errors the core raises, each carrying a Swedish message meant for the user."""

from __future__ import annotations

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


class ConflictError(SipError):
    """Someone else saved the record after it was opened.

    `theirs` holds the values now in the database and `mine` the values the user
    tried to save, so a dialog can show both and nothing typed is lost.
    """

    def __init__(self, *, what: str, mine: dict[str, Any], theirs: dict[str, Any]) -> None:
        super().__init__(
            f"{what} har ändrats av någon annan sedan du öppnade den. "
            "Dina ändringar är inte sparade men finns kvar i formuläret — "
            "jämför med den nya versionen och spara igen."
        )
        self.mine = mine
        self.theirs = theirs


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
