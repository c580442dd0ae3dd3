"""The period of the statistics: a quick choice ("I år", "Förra året", "Senaste 12 månaderna")
and the two dates it fills in, from and to (both included). Editing a date by hand makes the
choice "Eget urval". Used by the Statistik page and by Arkiv → Skriv ut statistik….

`problem()` is the core's own check (`sipdesk.statistics.period.check_period`) as a Swedish
message with the date it is about, so the page and the dialog show it at the field; the dates
typed stay as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from sipdesk import clock
from sipdesk.errors import ValidationError
from sipdesk.statistics.period import (
    Period,
    check_period,
    last_twelve_months,
    last_year,
    this_year_so_far,
)

from ..dialogs.dates import DateEdit
from ..fields import INVALID_STYLE

CUSTOM = "Eget urval"
QUICK: tuple[tuple[str, Callable[[dt.date], Period]], ...] = (
    ("I år", this_year_so_far),
    ("Förra året", last_year),
    ("Senaste 12 månaderna", last_twelve_months),
)


class PeriodPicker(QWidget):
    """[I år ▾]  från [2026-01-01]  till och med [2026-11-22]"""

    changed = Signal()  # either date changed (a quick choice changes both at once: one signal)

    def __init__(self, period: Period | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        today = clock.today()
        period = period or this_year_so_far(today)
        self.quick = QComboBox()
        self.quick.setAccessibleName("Snabbval av period")
        for text, _make in QUICK:
            self.quick.addItem(text)
        self.quick.addItem(CUSTOM)
        self.start = DateEdit(period.start)
        self.start.setAccessibleName("Periodens första dag")
        self.end = DateEdit(period.end)
        self.end.setAccessibleName("Periodens sista dag")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.quick)
        row.addSpacing(6)
        row.addWidget(QLabel("från"))
        row.addWidget(self.start)
        row.addWidget(QLabel("till och med"))
        row.addWidget(self.end)
        row.addStretch(1)
        self._setting = False
        self._show_choice()
        self.quick.activated.connect(self._quick_chosen)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._date_edited)
        self.setTabOrder(self.quick, self.start)
        self.setTabOrder(self.start, self.end)

    def period(self) -> Period:
        return Period(self.start.value(), self.end.value())

    def set_period(self, period: Period) -> None:
        self._setting = True
        try:
            self.start.set_value(period.start)
            self.end.set_value(period.end)
        finally:
            self._setting = False
        self._show_choice()
        self.changed.emit()

    def problem(self) -> ValidationError | None:
        """What is wrong with the dates (the core's rule), or None."""
        try:
            check_period(self.period())
        except ValidationError as problem:
            return problem
        return None

    def mark(self, field: str | None) -> None:
        """A red frame on the date the message is about ("start" or "end"), none for None."""
        for name, edit in (("start", self.start), ("end", self.end)):
            edit.setStyleSheet(INVALID_STYLE if name == field else "")

    # ---- internals ------------------------------------------------------------------------

    def _quick_chosen(self, index: int) -> None:
        if index < len(QUICK):
            self.set_period(QUICK[index][1](clock.today()))

    def _date_edited(self) -> None:
        if self._setting:
            return
        self._show_choice()
        self.changed.emit()

    def _show_choice(self) -> None:
        """The quick choice that gives these dates, else "Eget urval"."""
        today, period = clock.today(), self.period()
        found = next((i for i, (_text, make) in enumerate(QUICK) if make(today) == period),
                     len(QUICK))
        self.quick.setCurrentIndex(found)
