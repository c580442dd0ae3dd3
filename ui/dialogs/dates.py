"""A date field in Swedish form (2026-03-14) that says so when a date is out of range.

Qt's QDateEdit quietly refuses a date past its maximum: the digits typed just do not appear. For
the consent's "at most one year" rule the user needs to know why, so `DateEdit` emits
`refused(QDate)` when the user types or steps past the maximum (or before the minimum); the dialog
shows the rule at the field.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator, QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget

DATE_FORMAT = "yyyy-MM-dd"
_UP_KEYS = (Qt.Key.Key_Up, Qt.Key.Key_PageUp)
_DOWN_KEYS = (Qt.Key.Key_Down, Qt.Key.Key_PageDown)


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class DateEdit(QDateEdit):
    """yyyy-MM-dd with a calendar; `refused` when the user tries a date outside the range."""

    refused = Signal(QDate)

    def __init__(self, day: dt.date, *, minimum: dt.date | None = None,
                 maximum: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.set_range(minimum, maximum)
        self.setDate(to_qdate(day))

    def set_range(self, minimum: dt.date | None, maximum: dt.date | None) -> None:
        self.setMinimumDate(to_qdate(minimum or dt.date(1900, 1, 1)))
        self.setMaximumDate(to_qdate(maximum or dt.date(2999, 12, 31)))

    def value(self) -> dt.date:
        return from_qdate(self.date())

    def set_value(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))

    # ---- noticing a refused date ----------------------------------------------------------

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        result = super().validate(text, pos)
        if result[0] == QValidator.State.Invalid:
            typed = QDate.fromString(text, DATE_FORMAT)
            if typed.isValid() and not self.minimumDate() <= typed <= self.maximumDate():
                self.refused.emit(typed)
        return result

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in _UP_KEYS and self.date() >= self.maximumDate():
            self.refused.emit(self.maximumDate().addDays(1))
        elif event.key() in _DOWN_KEYS and self.date() <= self.minimumDate():
            self.refused.emit(self.minimumDate().addDays(-1))
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.angleDelta().y() > 0 and self.date() >= self.maximumDate():
            self.refused.emit(self.maximumDate().addDays(1))
        super().wheelEvent(event)
