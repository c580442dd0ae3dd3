"""Live updates between two running clients: on PostgreSQL the LISTEN/NOTIFY listener (within
one second, issue 4), on SQLite the data_version check; the badge follows, a notification says
the sender and the subject only, and the listener stops with the window."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon
from pytestqt.qtbot import QtBot

from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder, MessageKind
from sipdesk.storage.db import DatabaseUrl, database
from sipdesk.storage.models import User
from tests.factories import make_case, make_person, make_unit, make_user
from tests.ui.conftest import settle
from tests.ui.test_inbox import cell
from ui import live
from ui.inbox.model import STATUS
from ui.live import LiveUpdates, notice_text
from ui.main_window import INBOX_ROW, MainWindow
from ui.session import Session

PERSON_FIRST, PERSON_LAST = "Åsa", "Öberg"
CTRL = Qt.KeyboardModifier.ControlModifier


def open_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # The inbox and Att göra load once the case list has painted (a quick start).
    qtbot.waitUntil(lambda: window.inbox.loaded and window.todo.loaded, timeout=3000)
    settle(qtbot)  # Att göra and the inbox are read in the background
    return window


def inbox_badge(window: MainWindow) -> str:
    return window.navigation.item(INBOX_ROW).text()


def in_another_client(work: Callable[[], Any]) -> Any:
    """Run `work` on a connection of its own, as another sipdesk client would."""
    result: list[Any] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(work())
        except BaseException as exc:  # handed back to the test
            failure.append(exc)
        finally:
            database.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(10)
    if failure:
        raise failure[0]
    return result[0] if result else None


# ---- PostgreSQL ------------------------------------------------------------------------------

@pytest.fixture
def pg_pair(pg_db: peewee.Database, pg_url: DatabaseUrl) -> tuple[Session, Session]:
    unit = make_unit("Hemtjänst Norr")
    anna = make_user("anna.berg", unit=unit, full_name="Anna Berg")
    maria = make_user("maria.holm", unit=unit, full_name="Maria Holm")
    return Session(url=pg_url, user=anna), Session(url=pg_url, user=maria)


def test_postgresql_two_clients_badge_and_receipts_within_a_second(
    pg_pair: tuple[Session, Session], qtbot: QtBot
) -> None:
    """Issue 4, Live notification: A sends; B's badge updates within 1 s, with a notification
    of sender and subject only. B acknowledges with Ctrl+K; A's receipt view updates within
    1 s. B's own acknowledgement does not come back to B as news."""
    anna, maria = pg_pair
    case = make_case(anna.user, make_person(first=PERSON_FIRST, last=PERSON_LAST))
    a_window = open_window(qtbot, anna)
    b_window = open_window(qtbot, maria)
    assert a_window.live.wait_until_listening() and b_window.live.wait_until_listening()
    assert inbox_badge(b_window) == "Inkorg"

    subject = f"Kallelse till SIP-möte {case.number}"
    message = messaging.send(anna.user, subject=subject, body=f"Gäller {PERSON_FIRST} "
                             f"{PERSON_LAST}.", to=[maria.user], case=case,
                             kind=MessageKind.INVITATION, requires_ack=True)
    qtbot.waitUntil(lambda: inbox_badge(b_window) == "Inkorg\n1 oläst · 1 att kvittera",
                    timeout=1000)
    shown = b_window.statusBar().currentMessage()
    assert shown == f"Nytt meddelande från Anna Berg: {subject}"
    assert PERSON_LAST not in shown and case.person.personal_number not in shown
    qtbot.waitUntil(lambda: b_window.navigation.item(2).text() == "Att göra (1)", timeout=2000)

    # A watches the receipts of what she sent.
    a_window.navigation.setCurrentRow(INBOX_ROW)
    a_window.inbox.set_folder(Folder.SENT)
    a_window.inbox.show_message(message.id)
    settle(qtbot)  # the message is read in the background
    assert a_window.inbox.pane.opened is not None
    assert a_window.inbox.pane.opened.ack_summary == "0 av 1 har kvitterat"

    b_window.navigation.setCurrentRow(INBOX_ROW)
    view = b_window.inbox
    view.show_message(message.id)
    settle(qtbot)  # the folder's rows, and the message selected among them
    b_changes: list[bool] = []
    b_window.live.changed.connect(lambda: b_changes.append(True))
    b_window.activateWindow()
    qtbot.waitUntil(b_window.isActiveWindow, timeout=2000)
    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)
    settle(qtbot)  # the kvittens is saved in the background
    assert messaging.ack_summary(message.id) == "1 av 1 har kvitterat"

    def a_sees_it() -> bool:
        opened = a_window.inbox.pane.opened
        return opened is not None and opened.ack_summary == "1 av 1 har kvitterat"

    qtbot.waitUntil(a_sees_it, timeout=1000)
    table = a_window.inbox.pane.receipt_table
    assert cell(table, 0, 0) == "Maria Holm" and cell(table, 0, 3) != "—"
    # Opened from "Väntar på andras kvittens", which is now empty; the pane keeps the message.
    assert a_window.inbox.current_folder() is Folder.AWAITING_OTHERS
    qtbot.waitUntil(lambda: a_window.inbox.model.rowCount() == 0, timeout=1000)
    a_window.inbox.set_folder(Folder.SENT)
    settle(qtbot)
    assert a_window.inbox.model.index(0, STATUS).data() == "1 av 1 kvitterat"
    qtbot.wait(300)
    assert b_changes == []  # B's own Ctrl+K (and its reading) were echoes, not news
    assert inbox_badge(b_window) == "Inkorg"


def test_postgresql_listener_uses_the_session_password_and_stops_with_the_window(
    pg_pair: tuple[Session, Session], qtbot: QtBot
) -> None:
    anna, _maria = pg_pair
    with_password = Session(url=anna.url, user=anna.user, password="hemligt")
    assert "hemligt" not in repr(with_password)
    window = open_window(qtbot, with_password)
    listener = window.live.listener
    assert listener is not None and listener._password == "hemligt"
    assert window.live.wait_until_listening()
    window.close()
    assert window.live.listener is None
    assert not listener._thread.is_alive()


def test_events_for_others_are_ignored_and_bursts_give_one_refresh(
    sqlite_session: Session, qtbot: QtBot
) -> None:
    """The listener's events, handed over as they come from its thread."""
    updates = LiveUpdates(sqlite_session)
    changes: list[bool] = []
    updates.changed.connect(lambda: changes.append(True))
    me = sqlite_session.user.id
    updates._handle_event({"event": "read", "message": 1, "users": [me + 100]})
    updates._handle_event({"event": "bad", "message": "x", "users": [me]})
    qtbot.wait(150)
    assert changes == []
    for message_id in (1, 2, 3):
        updates._handle_event({"event": "acknowledged", "message": message_id, "users": [me]})
    qtbot.waitUntil(lambda: changes == [True], timeout=1000)
    qtbot.wait(150)
    assert changes == [True]
    updates.expect_echo("withdrawn", 7)
    updates._handle_event({"event": "withdrawn", "message": 7, "users": [me]})
    qtbot.wait(150)
    assert changes == [True]


def test_events_from_another_thread_reach_the_ui_thread(sqlite_session: Session,
                                                        qtbot: QtBot) -> None:
    updates = LiveUpdates(sqlite_session)
    seen: list[bool] = []

    def on_changed() -> None:
        seen.append(threading.current_thread() is threading.main_thread())

    updates.changed.connect(on_changed)
    me = sqlite_session.user.id
    thread = threading.Thread(target=lambda: updates._event_from_thread.emit(
        {"event": "read", "message": 1, "users": [me]}))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: seen == [True], timeout=1000)


# ---- SQLite ------------------------------------------------------------------------------------

def looked(qtbot: QtBot, window: MainWindow) -> None:
    """One data_version check, as the poll timer makes it (in the runner), waited for."""
    qtbot.waitUntil(lambda: window.live.watcher is not None, timeout=5000)
    window.live.poll()
    settle(qtbot)


def test_sqlite_another_clients_message_updates_the_badge_and_the_status_bar(
    sqlite_session: Session, colleague: Session, qtbot: QtBot
) -> None:
    """SQLite: the data_version check (every few seconds; called directly here)."""
    window = open_window(qtbot, sqlite_session)
    assert window.live.poll_timer.isActive()
    assert window.live.poll_timer.interval() == 3000
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen: the status bar path
    looked(qtbot, window)
    assert window.statusBar().currentMessage() == ""  # nothing changed yet
    karl = colleague.user

    def send() -> int:
        return messaging.send(User.get_by_id(karl.id), subject="Schema vecka 16",
                              body=f"Om {PERSON_FIRST} {PERSON_LAST}",
                              to=[User.get_by_id(sqlite_session.user.id)], requires_ack=True).id

    message_id = in_another_client(send)
    looked(qtbot, window)
    assert window.statusBar().currentMessage() == "Nytt meddelande från Karl Lind: Schema vecka 16"
    qtbot.waitUntil(lambda: inbox_badge(window) == "Inkorg\n1 oläst · 1 att kvittera",
                    timeout=1000)
    settle(qtbot)  # the inbox's rows are read again in the background
    assert window.inbox.model.message_id(0) == message_id

    in_another_client(lambda: messaging.withdraw(User.get_by_id(karl.id), message_id,
                                                 reason="Fel vecka"))
    looked(qtbot, window)
    qtbot.waitUntil(lambda: inbox_badge(window) == "Inkorg\n1 oläst", timeout=1000)


def test_tray_notification_when_there_is_a_tray(sqlite_session: Session, qtbot: QtBot,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[tuple[str, str]] = []

    class FakeTray:
        MessageIcon = QSystemTrayIcon.MessageIcon

        def __init__(self, _parent: object) -> None:
            self.visible = False

        @staticmethod
        def isSystemTrayAvailable() -> bool:
            return True

        @staticmethod
        def supportsMessages() -> bool:
            return True

        def setIcon(self, _icon: object) -> None: ...

        def setToolTip(self, _text: str) -> None: ...

        def show(self) -> None:
            self.visible = True

        def hide(self) -> None:
            self.visible = False

        def showMessage(self, title: str, text: str, *_args: object) -> None:
            shown.append((title, text))

    monkeypatch.setattr(live, "QSystemTrayIcon", FakeTray)
    updates = LiveUpdates(sqlite_session)
    updates.show_notice(notice_text("Karl Lind", "Uppföljning SIP-2026-0001"))
    assert shown == [("sipdesk", "Nytt meddelande från Karl Lind: Uppföljning SIP-2026-0001")]
    updates.stop()
