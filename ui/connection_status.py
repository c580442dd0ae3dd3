"""The status bar's word on the database connection.

Normally it names the database ("Ansluten till PostgreSQL: server/databas"; for a SQLite file,
its path). When an operation failed because the database was out of reach
(`ui.operations.connection_state()`), it says "Ingen kontakt med servern — försöker igen…" and
asks the database every few seconds, in the runner, until it answers; any operation that
succeeds meanwhile brings the connected text back too. Nothing on screen is cleared while the
server is away: what the window shows stays readable.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from sipdesk.storage.db import DatabaseUrl, Engine, ping

from .operations import Operation, connection_state

PROBE_MS = 3000  # while out of reach: ask again this often (a cheap SELECT 1)


def connected_text(url: DatabaseUrl) -> str:
    if url.engine is Engine.POSTGRESQL:
        return f"Ansluten till PostgreSQL: {url.host}/{url.name}"
    return url.display


def lost_text(url: DatabaseUrl) -> str:
    if url.engine is Engine.POSTGRESQL:
        return "Ingen kontakt med servern — försöker igen…"
    return "Ingen kontakt med databasfilen — försöker igen…"


class ConnectionStatus(QLabel):
    """A permanent status-bar label: a notification shown in the status bar never hides it."""

    def __init__(self, url: DatabaseUrl, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("connection_status")
        self.url = url
        self._asking = False
        self.probe = QTimer(self)
        self.probe.setInterval(PROBE_MS)
        self.probe.timeout.connect(self._ask)
        state = connection_state()
        state.changed.connect(self._show)
        self._show(state.reachable)

    @property
    def reachable(self) -> bool:
        return connection_state().reachable

    def _show(self, reachable: bool) -> None:
        self.setText(connected_text(self.url) if reachable else lost_text(self.url))
        self.setToolTip("" if reachable else
                        "Det du ser i fönstret finns kvar. Det du sparar nu sparas inte — "
                        "försök igen när kontakten är tillbaka.")
        if reachable:
            self.probe.stop()
        elif not self.probe.isActive():
            self.probe.start()

    def _ask(self) -> None:
        """Is the database back? The runner notes the answer (`connection_state`)."""
        if self._asking:
            return
        self._asking = True

        def done() -> None:
            self._asking = False

        Operation(self, ping).failure(lambda _exc: None).finally_(done).run()
