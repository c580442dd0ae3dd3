"""Händelselogg: every write in the case and every opening of it, newest first (DOMAIN.md,
Data protection: a log of who read and changed what). Read-only: the app has no way to change
or remove a line, and the database refuses it too.

The lines are read when the tab is first shown (and again after a change while it is shown,
or when next shown), through the operation runner — off the UI thread, and not at all when
the case is opened and the log is never looked at."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import audit
from sipdesk.accounts.audit import LogLine

from ..tables import read_only
from .base import CaseContext, CaseTab
from .log_model import DETAILS, TIME, USER, WHAT, CaseLogModel, format_changes


class LogTab(CaseTab):
    title = "Händelselogg"

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = CaseLogModel(self)
        intro = QLabel("Allt som har hänt i ärendet, nyast först: vem som gjorde vad och när. "
                       "Loggen kan inte ändras.")
        intro.setWordWrap(True)
        self.show_openings = QCheckBox("Visa när ärendet öppnats")
        self.show_openings.setObjectName("show_openings")
        self.show_openings.setChecked(True)
        self.show_openings.toggled.connect(self._openings_toggled)
        self.count_label = QLabel()
        self.count_label.setObjectName("log_count")
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.show_openings)

        self.table = QTableView()
        self.table.setObjectName("case_log")
        self.table.setAccessibleName("Händelselogg")
        self.table.setModel(self.model)
        read_only(self.table, fixed_rows=True)
        header = self.table.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("0")
        for column, chars in ((TIME, 17), (USER, 18), (WHAT, 46)):
            header.resizeSection(column, chars * char)
        header.setSectionResizeMode(DETAILS, QHeaderView.ResizeMode.Stretch)

        self.detail = QLabel()
        self.detail.setObjectName("log_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.table.selectionModel().currentRowChanged.connect(
            lambda _now, _before: self._current_changed())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.count_label)
        self._shown()

    def load(self, context: CaseContext) -> list[LogLine]:
        return audit.case_log(context.case.id)

    def show_data(self, data: object) -> None:
        assert isinstance(data, list)
        self.model.set_lines(data)
        self._shown()

    def _openings_toggled(self, show: bool) -> None:
        self.model.set_show_openings(show)
        self._shown()

    def _shown(self) -> None:
        self._count()
        self._current_changed()

    def _current_changed(self) -> None:
        """The whole of the selected line below the table (cells show one line each)."""
        index = self.table.currentIndex()
        if not index.isValid():
            self.detail.setText("Välj en rad för att se hela händelsen.")
            return
        line = self.model.line(index.row())
        text = f"{line.at:%Y-%m-%d %H:%M}, {line.user}: {line.summary}"
        details = format_changes(line.changes, sep="\n")
        if details:
            text += f"\n{details}"
        self.detail.setText(text)

    def _count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(f"{count} {'händelse' if count == 1 else 'händelser'}")
