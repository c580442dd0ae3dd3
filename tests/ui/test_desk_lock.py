"""The desk locks itself (issue 12): after the chosen idle time or with Ctrl+L every window is
covered — the main window and an open dialog — with nothing personal left to see, not even in a
title; what the user typed in the dialog is kept; only the user's password unlocks it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from sipdesk import settings
from sipdesk.storage.models import Person
from tests.factories import PASSWORD, make_case, make_person
from tests.ui.conftest import type_text
from tests.ui.test_main_window import open_window
from ui.desk_lock import LOCKED_TITLE, WRONG_PASSWORD, LockCover
from ui.dialogs.new_case import NewCaseDialog
from ui.live import LOCKED_NOTICE
from ui.main_window import MainWindow
from ui.session import Session

WAIT_MS = 5000
SCREENSHOT = Path("/tmp/lock.png")


@pytest.fixture
def person() -> Person:
    """Someone whose name the case list shows until the desk locks."""
    return make_person("19400116-7743", "Greta", "Åkesson")


@pytest.fixture
def dialog(sqlite_session: Session, qtbot: QtBot, person: Person) -> Iterator[NewCaseDialog]:
    """The main window with a case in its list, and "Nytt ärende" open over it (modal, as
    `exec()` runs it) with a new person half typed in."""
    make_case(sqlite_session.user, person)
    window = open_window(qtbot, sqlite_session)
    new_case = NewCaseDialog(sqlite_session, [sqlite_session.user], window)
    new_case.setModal(True)
    new_case.show()
    qtbot.waitExposed(new_case)
    qtbot.mouseClick(new_case.new_radio, Qt.MouseButton.LeftButton)
    type_text(qtbot, new_case.fields["first_name"], "Märta")
    type_text(qtbot, new_case.fields["last_name"], "Lindqvist")
    new_case.fields["last_name"].setFocus()
    yield new_case
    new_case.close()


def main_window(dialog: QWidget) -> MainWindow:
    window = dialog.parentWidget()
    assert isinstance(window, MainWindow)
    return window


def covers_by_window(window: MainWindow) -> dict[QWidget, LockCover]:
    return {cover.parentWidget(): cover for cover in window.desk_lock.covers()}


def only_the_cover_shows(window: QWidget, cover: LockCover) -> bool:
    """The window's pixels are the cover's alone: nothing behind it shows through."""
    assert cover.isVisible() and cover.geometry() == window.rect()
    return window.grab().toImage() == cover.grab().toImage()


def unlock_with(qtbot: QtBot, cover: LockCover, password: str) -> None:
    cover.password.clear()
    type_text(qtbot, cover.password, password)
    qtbot.keyClick(cover.password, Qt.Key.Key_Return)


def test_idle_time_locks_every_window_and_the_password_opens_them_as_they_were(
    dialog: NewCaseDialog, qtbot: QtBot, person: Person,
) -> None:
    window = main_window(dialog)
    assert window.desk_lock.idle_ms == 10 * 60_000  # the default: ten minutes
    window.desk_lock.set_idle_ms(50)  # as if ten minutes had passed with nobody at the desk
    qtbot.waitUntil(lambda: window.desk_lock.locked, timeout=WAIT_MS)

    covers = covers_by_window(window)
    assert window in covers and dialog in covers
    for covered, cover in covers.items():
        assert covered.windowTitle() == LOCKED_TITLE  # the taskbar and Alt+Tab name nobody
        assert only_the_cover_shows(covered, cover)
    window.grab().save(str(SCREENSHOT))
    dialog.grab().save(str(SCREENSHOT.with_name("lock-dialog.png")))
    shown = " ".join(label.text() for label in covers[dialog].findChildren(QWidget)
                     if hasattr(label, "text") and isinstance(label.text(), str))
    assert "AB" in shown and "Anna" not in shown and person.first_name not in shown

    # Typing or clicking behind the cover changes nothing.
    type_text(qtbot, dialog.fields["last_name"], "xyz")
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.fields["last_name"].text() == "Lindqvist"

    # A wrong password: still locked, a Swedish message at the field, the field ready again.
    cover = covers[dialog]
    unlock_with(qtbot, cover, "fel-lösenord")
    qtbot.waitUntil(lambda: cover.message.isVisible(), timeout=WAIT_MS)
    assert cover.message.text() == WRONG_PASSWORD
    assert window.desk_lock.locked and only_the_cover_shows(dialog, cover)
    assert cover.password.isEnabled()

    unlock_with(qtbot, cover, PASSWORD)
    qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=WAIT_MS)
    assert not [c for c in window.findChildren(LockCover) if c.isVisible()]
    assert not [c for c in dialog.findChildren(LockCover) if c.isVisible()]
    assert window.windowTitle() == "Anna Berg – sipdesk"
    assert dialog.windowTitle() == "Nytt ärende"
    assert dialog.isVisible()
    assert dialog.fields["first_name"].text() == "Märta"
    assert dialog.fields["last_name"].text() == "Lindqvist"
    assert dialog.fields["last_name"].hasFocus() or dialog.focusWidget() is dialog.fields[
        "last_name"]  # back where the user was typing
    assert not dialog.fields["last_name"].visibleRegion().isEmpty()


def test_ctrl_l_locks_at_once_from_the_window_and_from_a_dialog(
    dialog: NewCaseDialog, qtbot: QtBot,
) -> None:
    window = main_window(dialog)
    qtbot.keyClick(dialog.fields["last_name"], Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.desk_lock.locked
    assert dialog.fields["last_name"].text() == "Lindqvist"  # no "l" typed into the field
    unlock_with(qtbot, covers_by_window(window)[dialog], PASSWORD)
    qtbot.waitUntil(lambda: not window.desk_lock.locked, timeout=WAIT_MS)

    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    assert window.lock_action in window.menuBar().actions()[0].menu().actions()  # Arkiv
    window.lock_action.trigger()
    assert window.desk_lock.locked
    assert only_the_cover_shows(window, covers_by_window(window)[window])


def test_input_restarts_the_idle_time_and_the_setting_chooses_it(
    sqlite_session: Session, qtbot: QtBot,
) -> None:
    settings.set_value("lock_minutes", 3)
    window = open_window(qtbot, sqlite_session)
    lock = window.desk_lock
    assert lock.idle_ms == 3 * 60_000
    lock._idle.stop()  # as if the time had nearly run out: only input starts it again
    qtbot.keyClick(window.case_list.table, Qt.Key.Key_Down)
    assert lock._idle.isActive() and lock._idle.remainingTime() > 2 * 60_000
    lock._idle.stop()
    qtbot.mouseMove(window.case_list.table.viewport())
    assert lock._idle.isActive()
    assert not lock.locked


def test_a_window_that_opens_while_locked_is_covered_before_it_shows(
    sqlite_session: Session, qtbot: QtBot,
) -> None:
    window = open_window(qtbot, sqlite_session)
    window.desk_lock.lock()
    late = NewCaseDialog(sqlite_session, [sqlite_session.user], window)
    qtbot.addWidget(late)
    late.show()
    assert late.windowTitle() == LOCKED_TITLE
    assert only_the_cover_shows(late, covers_by_window(window)[late])


def test_notifications_name_nobody_while_locked(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(qtbot, sqlite_session)
    shown: list[str] = []
    window.live.notice.connect(shown.append)
    row: Any = SimpleNamespace(message_id=10_000, sender="Karl Lind",
                               subject="Greta Åkesson: kallelse")
    window.desk_lock.lock()
    window.live._news([row])
    assert shown == [LOCKED_NOTICE]
    assert "Greta" not in window.statusBar().currentMessage()
