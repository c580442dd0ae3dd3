"""Att göra as a Qt table model: the rows of `sipdesk.desk.todo.todo_for`, oldest first.

The list is short (what waits for one person), so it is held whole and fetched again on
`refresh()`. Overdue rows are red and bold.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from sipdesk import clock
from sipdesk.desk import todo
from sipdesk.desk.todo import Target, TodoRow
from sipdesk.errors import StorageError
from sipdesk.storage.models import User
from ui.operations import Operation, report_failure

log = logging.getLogger("sipdesk.ui.todo")

ModelIndex = QModelIndex | QPersistentModelIndex
WHAT, CASE, SINCE = range(3)
HEADERS = ("Vad", "Ärende", "Sedan")
OVERDUE_COLOR = QColor("#b00020")
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)


def since_text(since: dt.date, today: dt.date) -> str:
    """"2026-03-12 (i dag)", "… (i går)", "… (5 dagar sedan)", or a date ahead as it is."""
    days = (today - since).days
    if days == 0:
        return f"{since.isoformat()} (i dag)"
    if days == 1:
        return f"{since.isoformat()} (i går)"
    if days > 1:
        return f"{since.isoformat()} ({days} dagar sedan)"
    return since.isoformat()


class TodoModel(QAbstractTableModel):
    count_changed = Signal(int)
    load_failed = Signal(str)

    def __init__(self, user: User, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._user = user
        self._rows: list[TodoRow] = []
        self._today = clock.today()
        self._reading = 0  # the latest read asked for
        bold = QFont()
        bold.setBold(True)
        self._bold = bold

    def refresh(self, *, today: dt.date | None = None) -> None:
        """Read what waits for the user again, in the operation runner; the rows shown stay
        until the new ones are here (`count_changed`). An older answer is dropped."""
        self._today = day = today or clock.today()
        self._reading += 1
        reading, user = self._reading, self._user

        def done(rows: list[TodoRow]) -> None:
            if reading == self._reading:
                self._show(rows)

        def failed(exc: Exception) -> None:
            if reading != self._reading:
                return
            if not isinstance(exc, StorageError):
                report_failure(None, exc, "Att göra kunde inte hämtas")
                return
            log.error("todo query failed: %s", type(exc).__name__)
            # What was shown stays readable (a server away for a while clears nothing).
            self.load_failed.emit("Det gick inte att hämta Att göra från databasen. "
                                  "Kontrollera anslutningen och tryck F5.")

        Operation(self, lambda: todo.todo_for(user, today=day)).success(done).failure(
            failed).run()

    def _show(self, rows: list[TodoRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()
        self.count_changed.emit(len(rows))

    def row(self, row: int) -> TodoRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.row(index.row())
        if item is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == WHAT:
                return item.what
            if column == CASE:
                return item.case_number or "Inget ärende"
            if column == SINCE:
                return since_text(item.since, self._today)
            return None
        if role == Qt.ItemDataRole.FontRole and item.overdue:
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and item.overdue:
            return QBrush(OVERDUE_COLOR)
        if role == Qt.ItemDataRole.ToolTipRole:
            where = ("Öppnar meddelandet i Inkorg" if item.target is Target.MESSAGE
                     else "Öppnar ärendet")
            tip = f"{where}. Försenat." if item.overdue else f"{where}."
            return f"{item.detail}\n{tip}" if item.detail else tip
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
