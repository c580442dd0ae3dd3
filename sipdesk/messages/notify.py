"""Live notification of new messages and receipts to other running clients.

PostgreSQL: `Listener` keeps its own psycopg connection in a worker thread, LISTENs on the
channel `messaging.send()` and friends NOTIFY on, and calls back with each event within a
fraction of a second — no polling of tables. A dropped connection is re-opened with a growing
pause. SQLite has no such channel: `DataVersionWatcher` compares `PRAGMA data_version`, which
changes whenever another connection commits, and is cheap enough to ask every few seconds.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sipdesk.storage.db import DatabaseUrl
from sipdesk.storage.message_records import CHANNEL

if TYPE_CHECKING:
    import psycopg  # imported by the listener's thread, not when sipdesk starts

log = logging.getLogger("sipdesk.messages.notify")

Event = dict[str, Any]
APPLICATION_NAME = "sipdesk-listener"  # how the listener's connection shows on the server


class Listener:
    """LISTEN for sipdesk events on PostgreSQL in a daemon thread.

    `on_event(event)` runs in the listener thread; a GUI hands it over to its own thread.
    `on_state(connected)` reports a lost or regained connection.
    """

    def __init__(self, url: DatabaseUrl, *, password: str | None,
                 on_event: Callable[[Event], None],
                 on_state: Callable[[bool], None] | None = None,
                 max_pause: float = 5.0) -> None:
        self.url = url
        self._password = password
        self.on_event = on_event
        self.on_state = on_state or (lambda connected: None)
        self.max_pause = max_pause
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sipdesk-listener", daemon=True)
        self._conn: psycopg.Connection[Any] | None = None

    def start(self) -> None:
        self._thread.start()

    def wait_until_listening(self, timeout: float = 5.0) -> bool:
        return self._ready.wait(timeout)

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        params: dict[str, Any] = dict(host=self.url.host, port=self.url.port, dbname=self.url.name,
                                      user=self.url.user, connect_timeout=5, autocommit=True,
                                      application_name=APPLICATION_NAME)
        if self._password:
            params["password"] = self._password
        conn = psycopg.connect(**params)
        conn.execute(f"LISTEN {CHANNEL}")
        return conn

    def _run(self) -> None:
        import psycopg

        pause = 0.2
        while not self._stop.is_set():
            try:
                self._conn = self._connect()
                self.on_state(True)
                self._ready.set()
                pause = 0.2
                while not self._stop.is_set():
                    for note in self._conn.notifies(timeout=0.5):
                        self._deliver(note.payload)
            except psycopg.Error:
                self._ready.clear()
                self.on_state(False)
                log.warning("listener connection lost; reconnecting in %.1f s", pause)
                self._stop.wait(pause)
                pause = min(pause * 2, self.max_pause)
            finally:
                if self._conn is not None:
                    with contextlib.suppress(psycopg.Error):
                        self._conn.close()
                    self._conn = None

    def _deliver(self, payload: str) -> None:
        try:
            event = json.loads(payload)
        except ValueError:
            log.warning("ignored a malformed notification")
            return
        try:
            self.on_event(event)
        except Exception:  # a failing receiver must not stop the listener
            log.exception("notification handler failed")


class DataVersionWatcher:
    """SQLite: has another connection committed since the last look?

    It keeps a connection of its own to the file (`PRAGMA data_version` answers per
    connection), so the app can ask from any one thread at a time — the operation runner's
    worker, never the UI thread. `close()` when done."""

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(str(path), check_same_thread=False)
        self._last = self._version()

    def _version(self) -> int:
        return int(self._connection.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        current = self._version()
        changed = current != self._last
        self._last = current
        return changed

    def close(self) -> None:
        self._connection.close()
