"""Logging in on the embedded (SQLite) database: choose yourself in the list, type the password.

The password is checked off the UI thread (argon2id is deliberately slow). A wrong password is
said at the password field; the chosen user stays chosen. On PostgreSQL there is no such
dialog: the connection to the server is the login. After "Byt användare…" (`preselect=False`)
nobody is chosen: the list does not point at the person who just logged out.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import auth
from sipdesk.errors import AuthError, SipError
from sipdesk.storage.models import User
from ui.fields import FieldForm
from ui.operations import Operation

log = logging.getLogger("sipdesk.ui.login")

WRONG_PASSWORD = "Fel lösenord. Försök igen – tänk på stora och små bokstäver."
CHOOSE_YOURSELF = "Välj dig själv i listan."


class LoginDialog(QDialog):
    """`result_value` holds the logged-in User once accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        users: Sequence[User],
        last_login: str = "",
        database_label: str = "",
        preselect: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Logga in – sipdesk")
        self.setObjectName("login_dialog")
        self.setMinimumWidth(420)
        self.result_value: User | None = None
        self.busy = False

        intro = QLabel("Välj dig själv i listan och skriv ditt lösenord.")
        intro.setWordWrap(True)

        self.user_combo = QComboBox()
        self.user_combo.setObjectName("user")
        for user in users:
            # Users come with their unit loaded (auth.active_users_with_unit): no query here.
            self.user_combo.addItem(f"{user.full_name} – {user.unit.name}", user.login)
        self.user_combo.setPlaceholderText("Välj dig själv")
        if preselect:
            index = self.user_combo.findData(last_login) if last_login else -1
            self.user_combo.setCurrentIndex(max(index, 0))
        else:
            self.user_combo.setCurrentIndex(-1)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        # Enter in the password field always logs in, also after a message at the field has
        # taken the default button's role away (a second press while busy is ignored).
        self.password.returnPressed.connect(self.submit)

        self.form = FieldForm()
        self.form.add("user", "Användare", self.user_combo)
        self.form.add("password", "Lösenord", self.password)

        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton(
            "Logga in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.login_button.setObjectName("log_in")
        self.login_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            "Avbryt", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancel")
        self.login_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        if database_label:
            where = QLabel(f"Databas: {database_label}")
            where.setObjectName("database_label")
            where.setWordWrap(True)
            where.setStyleSheet("color: palette(placeholder-text);")
            layout.addWidget(where)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.password.textEdited.connect(lambda _text: self.form.clear_error("password"))
        self.user_combo.currentIndexChanged.connect(lambda _i: self.form.clear_error("password"))
        self.user_combo.currentIndexChanged.connect(lambda _i: self.form.clear_error("user"))
        if preselect:
            # The usual case is the same person as last time: straight to the password.
            self.password.setFocus()
        else:
            self.user_combo.setFocus()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        users: Sequence[User],
        last_login: str = "",
        database_label: str = "",
        preselect: bool = True,
    ) -> User | None:
        """The user who logged in, or None when the user cancels."""
        dialog = cls(parent, users=users, last_login=last_login, database_label=database_label,
                     preselect=preselect)
        dialog.exec()
        return dialog.result_value

    def submit(self) -> None:
        if self.busy:
            return
        login = self.user_combo.currentData()
        if not login:
            self.form.show_error("user", CHOOSE_YOURSELF)
            self.user_combo.setFocus()
            return
        if not self.password.text():
            self.form.show_error("password", "Skriv ditt lösenord.")
            self.password.setFocus()
            return
        password = self.password.text()
        self._set_busy(True)
        app = QCoreApplication.instance()
        assert app is not None
        (
            Operation(app, lambda: auth.authenticate(str(login), password))
            .success(self._succeeded)
            .failure(self._failed)
            .run()
        )

    def _succeeded(self, user: User) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        self.result_value = user
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        if isinstance(exc, auth.LoginWait):
            message = exc.message  # too many wrong tries: how long to wait
        elif isinstance(exc, AuthError):
            # The user was picked from the list, so it is the password that is wrong.
            message = WRONG_PASSWORD
        elif isinstance(exc, SipError):
            message = exc.message
        else:
            log.error("login failed: %s", type(exc).__name__)
            message = "Det gick inte att logga in just nu. Försök igen."
        self.form.show_error("password", message)
        self.password.setFocus()
        self.password.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.login_button.setEnabled(not busy)
        self.login_button.setDefault(True)  # a disabled button loses its default role: Enter
        self.login_button.setText("Loggar in …" if busy else "Logga in")
        self.user_combo.setEnabled(not busy)
        self.password.setEnabled(not busy)

    def reject(self) -> None:
        if self.busy:
            return
        super().reject()
