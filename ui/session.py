"""Who is logged in to which database: handed from the start-up flow to the main window."""

from __future__ import annotations

from dataclasses import dataclass, field

from sipdesk.storage.db import DatabaseUrl
from sipdesk.storage.models import User


@dataclass
class Session:
    url: DatabaseUrl
    user: User
    # The database server password the session connected with, if any: the live updates open
    # their own connection with it. Kept in memory only, and out of repr() and logs.
    password: str | None = field(default=None, repr=False)

    @property
    def status_text(self) -> str:
        """Status-bar text: user and unit (no personal data of any person); the database and
        whether it answers are beside it (`ui.connection_status`)."""
        unit = self.user.unit
        who = f"{self.user.full_name} ({self.user.initials})"
        return f"{who}  ·  {unit.name}"
