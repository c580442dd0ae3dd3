"""The users as a Qt table model: the `UserRow`s of `sipdesk.accounts.user_admin.users`, replaced
as a whole with `set_rows` (a municipality has tens or hundreds of users: held, not paged). An
inactive user's row is greyed out and says "Inaktiverad". No SQL here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QPalette
from PySide6.QtWidgets import QApplication

from sipdesk.accounts.user_admin import UserRow

LOGIN_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's login
ModelIndex = QModelIndex | QPersistentModelIndex

_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
ACTIVE, INACTIVE = "Aktiv", "Inaktiverad"


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[UserRow], str]


COLUMNS: tuple[Column, ...] = (
    Column("Namn", lambda u: u.full_name),
    Column("Användarnamn", lambda u: u.login),
    Column("Enhet", lambda u: u.unit),
    Column("Huvudman", lambda u: u.principal),
    Column("Roll", lambda u: u.role.label),
    Column("Status", lambda u: ACTIVE if u.active else INACTIVE),
)


def tooltip(user: UserRow) -> str:
    lines = [f"{user.full_name} ({user.initials})"
             + (f", {user.profession}" if user.profession else ""),
             f"{user.unit} · {user.principal}", user.role.label]
    if not user.active:
        lines.append("Inaktiverad: kan inte logga in och ser inga ärenden")
    return "\n".join(lines)


class UserListModel(QAbstractTableModel):
    """One user per row; `user(row)` gives the row back, `row_of(login)` finds it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[UserRow] = []

    def set_rows(self, rows: Sequence[UserRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def user(self, row: int) -> UserRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, login: str) -> int | None:
        return next((row for row, user in enumerate(self._rows) if user.login == login), None)

    # ---- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        user = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[index.column()].text(user)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(user)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QBrush(QApplication.palette().color(QPalette.ColorRole.PlaceholderText))
        if role == LOGIN_ROLE:
            return user.login
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section].header
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
