"""The desk locks itself: after `lock_minutes` without input, or at once with Ctrl+L.

Locked, every sipdesk window — the main window and each open dialog or wizard, also one that
opens while locked — is covered by a `LockCover`: an opaque child widget over the whole window
(menus, toolbar and status bar included) with only "sipdesk är låst", the logged-in user's
initials and a password field. The windows themselves stay as they were, so what the user had
typed in a dialog is there after unlocking. Hiding the dialogs instead would end a dialog run
with `exec()`; covering them keeps it waiting. Each window's title becomes "sipdesk – låst"
(the taskbar and Alt+Tab show titles) and comes back after unlocking; new-message notifications
name neither sender nor subject while locked (`LiveUpdates.discreet`).

Any cover's password field unlocks all of them (the top window's is the one a modal dialog
leaves usable). The password is checked in the operation runner by `auth.unlock_desk`: on
SQLite the user's sipdesk password, with the same growing wait after five wrong tries as at the
login; on PostgreSQL the server password of the session's database user, by connecting.

Idle means no keyboard, mouse, wheel or touch input to any sipdesk window: an event filter on
the application restarts a single-shot timer on each. While locked the same filter drops all
input to anything outside a cover, and every shortcut, so nothing behind it can be typed into,
clicked, hovered for a tooltip or triggered.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QEvent, QKeyCombination, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from sipdesk import settings
from sipdesk.accounts import auth
from sipdesk.errors import AuthError, SipError

from .operations import Operation
from .session import Session

log = logging.getLogger("sipdesk.ui.lock")

LOCKED_TITLE = "sipdesk – låst"
LOCK_KEY = QKeyCombination(Qt.KeyboardModifier.ControlModifier, Qt.Key.Key_L)
WRONG_PASSWORD = "Fel lösenord. sipdesk är fortfarande låst – försök igen."
PANEL_WIDTH = 340
CHECK_FAILED = "Det gick inte att kontrollera lösenordet just nu. Försök igen."

_T = QEvent.Type
# Input that shows someone is at the desk.
ACTIVITY = frozenset({
    _T.KeyPress, _T.MouseButtonPress, _T.MouseButtonDblClick, _T.MouseMove, _T.Wheel,
    _T.TouchBegin, _T.TouchUpdate, _T.TabletPress, _T.TabletMove, _T.InputMethod,
})
# While locked, these reach only the covers.
BLOCKED = ACTIVITY | {
    _T.KeyRelease, _T.MouseButtonRelease, _T.TouchEnd, _T.TabletRelease, _T.ShortcutOverride,
    _T.ContextMenu, _T.ToolTip, _T.WhatsThis, _T.StatusTip, _T.HoverEnter, _T.HoverMove,
    _T.DragEnter, _T.DragMove, _T.Drop,
}
NOT_COVERED = (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


class LockCover(QWidget):
    """What a locked window shows: nothing of what is behind it."""

    submitted = Signal(object, str)  # (this cover, the typed password)

    def __init__(self, window: QWidget, *, initials: str) -> None:
        super().__init__(window)
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)  # opaque: the window's background colour, no content

        title = QLabel("sipdesk är låst")
        title.setObjectName("lock_title")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        who = QLabel(f"Inloggad: {initials}")
        who.setObjectName("lock_who")
        hint = QLabel("Skriv ditt lösenord för att fortsätta.")
        hint.setObjectName("lock_hint")

        self.password = QLineEdit()
        self.password.setObjectName("unlock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Lösenord")
        self.password.setPlaceholderText("Lösenord")
        self.password.returnPressed.connect(self.submit)
        self.password.textEdited.connect(lambda _text: self.show_message(""))
        self.unlock_button = QPushButton("Lås upp")
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.clicked.connect(self.submit)
        self.message = QLabel()
        self.message.setObjectName("unlock_message")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()

        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        panel = QWidget()
        panel.setFixedWidth(PANEL_WIDTH)  # a wrapped message gets its height for this width
        column = self._column = QVBoxLayout(panel)
        column.addWidget(title)
        column.addWidget(who)
        column.addWidget(hint)
        column.addLayout(row)
        column.addWidget(self.message)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)

    def submit(self) -> None:
        if self.password.isEnabled():
            self.submitted.emit(self, self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.unlock_button.setText("Kontrollerar …" if busy else "Lås upp")

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        # The centred panel takes its size hint, which knows nothing of wrapping: the height
        # the wrapped message needs at the panel's width.
        margins = self._column.contentsMargins()
        width = PANEL_WIDTH - margins.left() - margins.right()
        self.message.setMinimumHeight(self.message.heightForWidth(width) if text else 0)
        self.message.setVisible(bool(text))


class DeskLock(QObject):
    """Locks every sipdesk window of `session` after idle time or on `lock()`."""

    locked_changed = Signal(bool)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.locked = False
        self._checking = False
        self._covers: dict[QWidget, LockCover] = {}
        self._titles: dict[QWidget, str] = {}
        self._focus: dict[QWidget, QWidget | None] = {}
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(lambda: self.lock(reason="idle"))
        self.set_minutes(int(settings.get("lock_minutes")))
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    # ---- the idle time ----------------------------------------------------------------------

    def set_minutes(self, minutes: int) -> None:
        """Lock after `minutes` (1–60) without input, counted from now."""
        self.set_idle_ms(min(max(minutes, 1), 60) * 60_000)

    def set_idle_ms(self, milliseconds: int) -> None:
        self._idle.setInterval(milliseconds)
        if not self.locked:
            self._idle.start()

    @property
    def idle_ms(self) -> int:
        return self._idle.interval()

    def stop(self) -> None:
        """The window closes: no more locking, no more filtering."""
        self._idle.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    # ---- locking and unlocking --------------------------------------------------------------

    def lock(self, *, reason: str = "asked") -> None:
        if self.locked:
            return
        self.locked = True
        self._idle.stop()
        QToolTip.hideText()
        for _ in range(10):  # an open menu or drop-down list (nested ones close one by one)
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible():
                self._cover(widget)
        log.info("desk locked (%s)", reason)
        self.locked_changed.emit(True)

    def unlock(self) -> None:
        if not self.locked:
            return
        for window, cover in self._covers.items():
            if not shiboken6.isValid(window):
                continue
            window.setWindowTitle(self._titles.get(window, window.windowTitle()))
            if shiboken6.isValid(cover):
                cover.hide()
                cover.deleteLater()
            focus = self._focus.get(window)
            if focus is not None and shiboken6.isValid(focus):
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._covers.clear()
        self._titles.clear()
        self._focus.clear()
        self.locked = False
        self._checking = False
        self._idle.start()
        log.info("desk unlocked")
        self.locked_changed.emit(False)

    def covers(self) -> list[LockCover]:
        return [c for w, c in self._covers.items() if shiboken6.isValid(w) and shiboken6.isValid(c)]

    def _cover(self, window: QWidget) -> None:
        if (window in self._covers or not window.isWindow()
                or window.windowType() in NOT_COVERED):
            return
        self._titles[window] = window.windowTitle()
        self._focus[window] = window.focusWidget()
        window.setWindowTitle(LOCKED_TITLE)
        cover = LockCover(window, initials=self.session.user.initials)
        cover.setGeometry(window.rect())
        cover.set_busy(self._checking)
        cover.submitted.connect(self._check)
        cover.show()
        cover.raise_()
        cover.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self._covers[window] = cover

    def _check(self, cover: LockCover, password: str) -> None:
        if self._checking:
            return
        if not password:
            cover.show_message("Skriv ditt lösenord.")
            return
        self._set_checking(True)
        user, url = self.session.user, self.session.url
        (
            Operation(self, lambda: auth.unlock_desk(user, url, password))
            .success(lambda _none: self.unlock())
            .failure(lambda problem: self._refused(cover, problem))
            .run()
        )

    def _refused(self, cover: LockCover, problem: Exception) -> None:
        self._set_checking(False)
        if isinstance(problem, auth.LoginWait):
            text = problem.message
        elif isinstance(problem, AuthError):
            text = WRONG_PASSWORD
        elif isinstance(problem, SipError):
            text = problem.message  # e.g. the server cannot be reached
        else:
            log.error("unlock check failed: %s", type(problem).__name__)
            text = CHECK_FAILED
        if shiboken6.isValid(cover):
            cover.show_message(text)
            cover.password.setFocus(Qt.FocusReason.OtherFocusReason)
            cover.password.selectAll()

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        for cover in self.covers():
            cover.set_busy(checking)

    # ---- the filter on every event ----------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.locked:
            if kind in ACTIVITY:
                self._idle.start()
                if (kind == _T.KeyPress and isinstance(event, QKeyEvent)
                        and event.keyCombination() == LOCK_KEY):
                    # Ctrl+L from any window, a modal dialog too (the menu's shortcut is the
                    # main window's only).
                    self.lock(reason="Ctrl+L")
                    return True
            return False
        if kind == _T.Shortcut:
            return True
        if not isinstance(watched, QWidget):
            return False  # events to the platform windows reach the widgets, checked below
        if kind == _T.Show and watched.isWindow():
            self._cover(watched)  # before the window first paints
        elif kind == _T.Resize and watched in self._covers:
            self._covers[watched].setGeometry(watched.rect())
        elif kind in BLOCKED and not self._inside_cover(watched):
            return True
        return False

    def _inside_cover(self, widget: QWidget) -> bool:
        covers = set(self._covers.values())
        current: QWidget | None = widget
        while current is not None:
            if current in covers:
                return True
            current = current.parentWidget()
        return False
