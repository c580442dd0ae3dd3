"""The Att göra page: what needs me today, each row opening the right place with one click.

A message that waits for my kvittens, or that others have not acknowledged, opens in the
inbox (`open_message`); a consent that lapses opens the case (`open_consent`); a plan's
deadline or follow-up opens the case on its plan (`open_plan`). Enter does the
same as a click. Overdue rows are red and bold. `TodoView(session, load=False)` asks the
database nothing until `load()`.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.desk.todo import Target

from ..session import Session
from ..tables import read_only
from .model import CASE, SINCE, WHAT, TodoModel

EMPTY_TEXT = "Inget väntar på dig just nu."


class TodoTable(QTableView):
    activated_row = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        read_only(self, row_padding=12, stretch_last=False)
        self.setMouseTracking(True)
        self.viewport().setCursor(Qt.CursorShape.PointingHandCursor)
        self.clicked.connect(self._clicked)

    def size_columns(self) -> None:
        """After the model is set: the text column takes the room left by the others."""
        header = self.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("0")
        header.setSectionResizeMode(WHAT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(CASE, 16 * char)
        header.resizeSection(SINCE, 26 * char)

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.activated_row.emit(index.row())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated_row.emit(self.currentIndex().row())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(QRect(area), int(Qt.AlignmentFlag.AlignHCenter
                                              | Qt.AlignmentFlag.AlignTop), EMPTY_TEXT)
            painter.end()


class TodoView(QWidget):
    """The "Att göra" page."""

    open_message = Signal(int)  # message id
    open_consent = Signal(int)  # case id
    open_plan = Signal(int)  # case id: documentation deadline or follow-up (the Planen tab)
    open_meeting = Signal(int)  # case id: answers, calls, meetings, deviations (Kallelse tab)
    count_changed = Signal(int)

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 load: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        heading = QLabel("Att göra")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        self.intro = QLabel("Det här väntar på dig. Klicka på en rad för att ta hand om den.")
        self.intro.setObjectName("todo_intro")
        self.intro.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("todo_error")
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.model = TodoModel(session.user, self)
        self.table = TodoTable()
        self.table.setObjectName("todo_table")
        self.table.setAccessibleName("Att göra")
        self.table.setModel(self.model)
        self.table.size_columns()
        self.table.activated_row.connect(self._open_row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)
        self.model.count_changed.connect(self.count_changed)
        self.model.load_failed.connect(self._show_error)
        self.loaded = False
        if load:
            self.load()

    @property
    def count(self) -> int:
        return self.model.rowCount()

    def load(self) -> None:
        """The first look (once): the main window calls it after the case list has painted."""
        if not self.loaded:
            self.refresh()

    def refresh(self) -> None:
        self.loaded = True
        self.error_label.hide()
        self.model.refresh()

    def _open_row(self, row: int) -> None:
        item = self.model.row(row)
        if item is None:
            return
        if item.target is Target.MESSAGE:
            self.open_message.emit(item.target_id)
        elif item.target is Target.CASE_PLAN:
            self.open_plan.emit(item.target_id)
        elif item.target is Target.CASE_MEETING:
            self.open_meeting.emit(item.target_id)
        else:
            self.open_consent.emit(item.target_id)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
