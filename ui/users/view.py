"""Arkiv → Användare… (Ctrl+Shift+U, administrators only): who may log in to sipdesk.

The list shows every user — name, login, unit, principal, role, and whether they are active —
with the inactive ones greyed out. Below it: **Lägg upp användare…** (Ctrl+N; `AddUserDialog`),
**Nytt lösenord…** and **Inaktivera…** (asked first) or, for an inactive user, **Aktivera igen**.
An administrator cannot deactivate themselves (the button says why). Each change is made by
the core (`sipdesk.accounts.user_admin`, in the runner) — which refuses anyone but an
administrator, whatever this screen does, and logs the change — then the list is read again
with the changed user selected and a line says what happened.

On PostgreSQL the same change is made to the user's own login on the database server; the
texts say so.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import user_admin
from sipdesk.accounts.user_admin import UserRow
from sipdesk.storage.db import Engine
from sipdesk.storage.models import User

from .. import messages
from ..operations import Operation
from ..session import Session
from ..tables import read_only
from .forms import AddUserDialog, NewPasswordDialog
from .model import COLUMNS, UserListModel

log = logging.getLogger("sipdesk.ui.users")

TITLE = "Användare"
READ_FAILED = "Användarna kunde inte läsas"
NOT_YOURSELF_TIP = "Du kan inte inaktivera dig själv."
STRETCHED = (2, 3)  # unit and principal share the room left; the others fit their contents


class UsersDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("users_dialog")
        self.setWindowTitle(TITLE)
        self.actor: User = session.user
        self.server = session.url.engine is Engine.POSTGRESQL
        self.resize(900, 520)

        intro = QLabel(
            "Här lägger du upp nya användare, ger nya lösenord och inaktiverar den som har "
            "slutat. En inaktiverad användare kan inte logga in och ser inga ärenden, men det "
            "hen har skrivit finns kvar och hen kan aktiveras igen."
            + (" Det du gör här gäller också användarens egen inloggning på databasservern."
               if self.server else ""))
        intro.setWordWrap(True)
        intro.setObjectName("intro")

        self.model = UserListModel(self)
        self.table = read_only(QTableView(), stretch_last=False)
        self.table.setObjectName("users")
        self.table.setAccessibleName("Användare")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if column in STRETCHED
                else QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)

        self.add_button = QPushButton("&Lägg upp användare…")
        self.add_button.setObjectName("add_user")
        self.add_button.setToolTip("Lägg upp en ny användare (Ctrl+N)")
        self.add_button.clicked.connect(self.add_user)
        QShortcut(QKeySequence("Ctrl+N"), self, self.add_user)
        self.password_button = QPushButton("&Nytt lösenord…")
        self.password_button.setObjectName("new_password")
        self.password_button.clicked.connect(self.new_password)
        self.active_button = QPushButton("&Inaktivera…")
        self.active_button.setObjectName("toggle_active")
        self.active_button.clicked.connect(self.toggle_active)
        close = QPushButton("Stäng")
        close.setObjectName("close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        for button in (self.add_button, self.password_button, self.active_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.password_button)
        buttons.addWidget(self.active_button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self._update_buttons()
        self.reload()

    @classmethod
    def ask(cls, parent: QWidget, session: Session) -> UsersDialog:
        dialog = cls(session, parent)
        dialog.open()
        return dialog

    # ---- the list ----------------------------------------------------------------------------

    def reload(self, *, select: str | None = None) -> None:
        """Read the users again (in the runner); `select` the row of that login after."""
        actor = self.actor
        wanted = select or self._selected_login()
        Operation(self, lambda: user_admin.users(actor), title=READ_FAILED).success(
            lambda rows: self._show(rows, wanted)).run()

    def _show(self, rows: list[UserRow], login: str | None) -> None:
        self.model.set_rows(rows)
        row = self.model.row_of(login) if login else None
        if row is None and rows:
            row = 0
        if row is not None:
            self.table.selectRow(row)
            self.table.setCurrentIndex(self.model.index(row, 0))
        self._update_buttons()

    def selected(self) -> UserRow | None:
        index = self.table.currentIndex()
        return self.model.user(index.row()) if index.isValid() else None

    def _selected_login(self) -> str | None:
        user = self.selected()
        return user.login if user is not None else None

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        user = self.selected()
        self.password_button.setEnabled(user is not None)
        if user is None or user.active:
            self.active_button.setText("&Inaktivera…")
            self.active_button.setToolTip("Användaren kan inte logga in och ser inga ärenden")
        else:
            self.active_button.setText("&Aktivera igen")
            self.active_button.setToolTip("Användaren kan logga in igen med sitt lösenord")
        yourself = user is not None and user.id == self.actor.id and user.active
        self.active_button.setEnabled(user is not None and not yourself)
        if yourself:
            self.active_button.setToolTip(NOT_YOURSELF_TIP)

    def _done(self, text: str, login: str) -> None:
        self.status.setText(text)
        self.reload(select=login)

    # ---- the commands --------------------------------------------------------------------------

    def add_user(self) -> None:
        where = " — också på databasservern" if self.server else ""

        def added(user: User) -> None:
            self._done(f"{user.full_name} ({user.login}) är upplagd och kan logga in{where}.",
                       user.login)

        AddUserDialog.open_for(self, self.actor, server=self.server, then=added)

    def new_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        if NewPasswordDialog.ask(self, self.actor, user, server=self.server) is not None:
            self._done(f"{user.full_name} har ett nytt lösenord.", user.login)

    def toggle_active(self) -> None:
        user, actor = self.selected(), self.actor
        if user is None:
            return
        if user.active:
            if not messages.confirm(
                    self, "Inaktivera användare",
                    f"{user.full_name} ({user.login}) kan då inte logga in och ser inga "
                    "ärenden. Det hen har skrivit finns kvar, och du kan aktivera hen igen.",
                    yes="Inaktivera"):
                return
            self._run(lambda: user_admin.deactivate_user(actor, user.login),
                      f"{user.full_name} är inaktiverad och kan inte logga in.", user.login,
                      title="Användaren kunde inte inaktiveras")
        else:
            self._run(lambda: user_admin.reactivate_user(actor, user.login),
                      f"{user.full_name} är aktiv igen och kan logga in.", user.login,
                      title="Användaren kunde inte aktiveras")

    def _run(self, work: Any, done: str, login: str, *, title: str) -> None:
        self.active_button.setEnabled(False)
        (Operation(self, work, title=title)
         .success(lambda _user: self._done(done, login))
         .finally_(self._update_buttons)
         .run())
