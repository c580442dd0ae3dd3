"""Live updates: other clients' messages and receipts reach this window at once.

PostgreSQL: `sipdesk.messages.notify.Listener` LISTENs in its own thread; each event is handed to
the UI thread through a queued Qt signal (the listener never touches a widget). SQLite: a timer asks
`DataVersionWatcher.changed()` every few seconds, and new inbox rows since the last look are the
news. Either way, an event that concerns the user emits `changed` (the main window refreshes the
badge, the open folder and Att göra — several events in a burst give one refresh), and a new
message to the user shows a notification with the sender and the subject only — never a
person's name or personal number: "Nytt meddelande från Anna Berg: Kallelse SIP-2026-0042".
The tray shows it where there is one, else the status bar.

A window's own actions (reading, acknowledging, withdrawing) come back as notifications too;
`expect_echo(event, message_id)` says so beforehand and that echo is then ignored.

While the desk is locked (`discreet`) a notification says only that a message came: a
subject may name a person, and a locked screen shows nothing personal.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QStatusBar, QStyle, QSystemTrayIcon

from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder
from sipdesk.messages.notify import DataVersionWatcher, Listener
from sipdesk.storage.db import Engine

from .operations import Operation
from .session import Session

log = logging.getLogger("sipdesk.ui.live")

POLL_INTERVAL_MS = 3000  # SQLite: PRAGMA data_version is cheap; every few seconds is enough
COALESCE_MS = 50  # a burst of events (one send to a whole unit) gives one refresh
ECHO_SECONDS = 30.0
NOTICE_MS = 15000
NEWEST_LOOKED_AT = 20  # SQLite: new inbox rows since the last look, at most this many


LOCKED_NOTICE = "Nytt meddelande i sipdesk"  # while the desk is locked: nobody named


def notice_text(sender: str, subject: str) -> str:
    """The notification: sender and subject only."""
    return f"Nytt meddelande från {sender}: {subject}"


class LiveUpdates(QObject):
    """Started by the main window for its session; `stop()` when the window closes."""

    changed = Signal()  # something that concerns the user changed
    notice = Signal(str)  # the text of a notification that was shown
    connection_changed = Signal(bool)  # PostgreSQL: the listener lost or regained the server
    _event_from_thread = Signal(object)
    _state_from_thread = Signal(bool)

    def __init__(self, session: Session, *, status_bar: QStatusBar | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.status_bar = status_bar
        self.listener: Listener | None = None
        self.watcher: DataVersionWatcher | None = None
        self.tray: QSystemTrayIcon | None = None
        self._echoes: dict[tuple[str, int], float] = {}
        self._newest_seen = 0
        self._polling = False  # SQLite: a look is under way in the runner
        self._stopped = False
        self.discreet = False  # the desk is locked: notifications name nobody
        self._was_connected: bool | None = None
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_INTERVAL_MS)
        self.poll_timer.timeout.connect(self.poll)
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(COALESCE_MS)
        self._coalesce.timeout.connect(self.changed)
        # Queued: the slot runs on this object's (the UI) thread, whatever thread emits.
        self._event_from_thread.connect(self._handle_event, Qt.ConnectionType.QueuedConnection)
        self._state_from_thread.connect(self._handle_state, Qt.ConnectionType.QueuedConnection)

    # ---- starting and stopping ------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        return self.session.url.engine

    def start(self) -> None:
        if self.engine is Engine.POSTGRESQL:
            if self.listener is None:
                self.listener = Listener(
                    self.session.url, password=self.session.password,
                    on_event=self._event_from_thread.emit,
                    on_state=self._state_from_thread.emit,
                )
                self.listener.start()
            return
        path = self.session.url.path
        if path is None:
            return
        user = self.session.user

        def watching() -> tuple[DataVersionWatcher, int]:
            watcher = DataVersionWatcher(path)
            rows = messaging.folder_rows(user, Folder.INBOX, limit=1)
            return watcher, rows[0].message_id if rows else 0

        def started(result: tuple[DataVersionWatcher, int]) -> None:
            self.watcher, self._newest_seen = result
            if self._stopped:
                self._close_watcher()
                return
            self.poll_timer.start()

        def failed(exc: Exception) -> None:
            log.error("live updates could not start: %s", type(exc).__name__)

        self._stopped = False
        Operation(self, watching).success(started).failure(failed).run()

    def _close_watcher(self) -> None:
        if self.watcher is not None:
            self.watcher.close()
            self.watcher = None

    def wait_until_listening(self, timeout: float = 5.0) -> bool:
        """PostgreSQL: True once the listener hears the channel (for tests and benchmarks)."""
        return self.listener is not None and self.listener.wait_until_listening(timeout)

    def stop(self) -> None:
        self._stopped = True
        self.poll_timer.stop()
        if not self._polling:  # else the look under way closes it when it is done
            self._close_watcher()
        self._coalesce.stop()
        if self.listener is not None:
            listener, self.listener = self.listener, None
            listener.stop()
        if self.tray is not None:
            self.tray.hide()

    # ---- echoes of this window's own actions ---------------------------------------------

    def expect_echo(self, event: str, message_id: int) -> None:
        now = time.monotonic()
        self._echoes = {k: t for k, t in self._echoes.items() if now - t < ECHO_SECONDS}
        self._echoes[(event, message_id)] = now

    def _is_echo(self, event: str, message_id: int) -> bool:
        stamp = self._echoes.pop((event, message_id), None)
        return stamp is not None and time.monotonic() - stamp < ECHO_SECONDS

    # ---- PostgreSQL -------------------------------------------------------------------------

    def _handle_event(self, event: dict[str, Any]) -> None:
        me = self.session.user.id
        try:
            users = [int(u) for u in event.get("users", [])]
            kind = str(event.get("event", ""))
            message_id = int(event.get("message", 0))
        except (TypeError, ValueError):
            return
        if me not in users or self._is_echo(kind, message_id):
            return
        if kind == "message":
            self._notify_new(message_id)
        self._coalesce.start()

    def _handle_state(self, connected: bool) -> None:
        if connected and self._was_connected is False:
            self._show_status("Aviseringarna fungerar igen.")
            self._coalesce.start()  # what happened meanwhile was not heard
        elif not connected and self._was_connected is not False:
            self._show_status("Kontakten med databasservern för aviseringar bröts — "
                              "sipdesk försöker igen.")
        self._was_connected = connected
        self.connection_changed.emit(connected)

    def _notify_new(self, message_id: int) -> None:
        """PostgreSQL: a new message was announced; read its sender and subject off the UI
        thread (the server may be far away) and show the notice."""
        user = self.session.user

        def shown(row: messaging.MailRow | None) -> None:
            if row is not None and row.sender and not row.withdrawn:
                self.show_notice(LOCKED_NOTICE if self.discreet
                                 else notice_text(row.sender, row.subject))

        def failed(exc: Exception) -> None:
            log.error("reading a new message for the notification failed: %s",
                      type(exc).__name__)

        Operation(self, lambda: messaging.mail_row(user, message_id)).success(shown).failure(
            failed).run()

    # ---- SQLite -----------------------------------------------------------------------------

    def poll(self) -> None:
        """SQLite: has another client committed? Then look for new messages and refresh.
        Asked in the runner (the watcher has its own connection), one look at a time."""
        watcher = self.watcher
        if watcher is None or self._polling:
            return
        user, newest_seen = self.session.user, self._newest_seen

        def look() -> list[messaging.MailRow] | None:
            if not watcher.changed():
                return None
            return [r for r in messaging.folder_rows(user, Folder.INBOX, limit=NEWEST_LOOKED_AT)
                    if r.message_id > newest_seen]

        def looked(fresh: list[messaging.MailRow] | None) -> None:
            if fresh is not None:
                self._news(fresh)

        def failed(exc: Exception) -> None:
            log.error("change check failed: %s", type(exc).__name__)

        def done() -> None:
            self._polling = False
            if self._stopped:
                self._close_watcher()

        self._polling = True
        Operation(self, look).success(looked).failure(failed).finally_(done).run()

    def set_discreet(self, discreet: bool) -> None:
        self.discreet = discreet

    def _news(self, fresh: list[messaging.MailRow]) -> None:
        if fresh:
            self._newest_seen = max(r.message_id for r in fresh)
            if self.discreet:
                self.show_notice(LOCKED_NOTICE if len(fresh) == 1
                                 else f"{len(fresh)} nya meddelanden i sipdesk")
            elif len(fresh) == 1:
                self.show_notice(notice_text(fresh[0].sender, fresh[0].subject))
            else:
                self.show_notice(f"{len(fresh)} nya meddelanden, senast från {fresh[0].sender}: "
                                 f"{fresh[0].subject}")
        self._coalesce.start()

    def show_notice(self, text: str) -> None:
        """A desktop notification where the system has a tray, else the status bar."""
        if QSystemTrayIcon.isSystemTrayAvailable() and QSystemTrayIcon.supportsMessages():
            if self.tray is None:
                app = QApplication.instance()
                style = app.style() if isinstance(app, QApplication) else None
                icon = (style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
                        if style is not None else None)
                self.tray = QSystemTrayIcon(self)
                if icon is not None:
                    self.tray.setIcon(icon)
                self.tray.setToolTip("sipdesk")
                self.tray.show()
            self.tray.showMessage("sipdesk", text, QSystemTrayIcon.MessageIcon.Information,
                                  NOTICE_MS)
        else:
            self._show_status(text)
        self.notice.emit(text)

    def _show_status(self, text: str) -> None:
        if self.status_bar is not None:
            self.status_bar.showMessage(text, NOTICE_MS)
