"""Arkiv → Exportera… (Ctrl+E): the cases as a spreadsheet for the municipality's own follow-up
(issue 15).

The user picks Excel or CSV, optionally a period (the cases open at some time in it) and
whether the file holds personal data (*Med personuppgifter*: the person's name and personal
number, and the coordinator — never a protected person's, never an address), then **Exportera…**
asks where to save it (`file_output.SaveFileDialog`, a name with the date only, never a person's).
The export (`sipdesk.export.case_files.export_cases`) runs in the operation runner with a
progress dialog that **Avbryt** stops: a stopped export leaves no file and nothing in the log.
When it is done, a message says how many cases were written and offers to open the file; the
dialog closes. `finished(result)` is emitted for callers and tests either way.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk import clock
from sipdesk.export.case_files import ExportResult, Format, default_file_name, export_cases
from sipdesk.export.case_rows import Period
from sipdesk.statistics.period import Period as StatisticsPeriod
from sipdesk.storage.models import User

from .. import file_output, messages
from ..fields import FieldForm
from ..operations import Operation, Progress
from .dates import DateEdit

log = logging.getLogger("sipdesk.ui.export")

TITLE = "Exportera ärenden"
FILTERS = {Format.XLSX: "Excel-filer (*.xlsx)", Format.CSV: "CSV-filer (*.csv)"}
PERSONAL_NOTE = ("Med personuppgifter kommer den enskildes namn och personnummer och "
                 "samordningsansvarig med. Exporten skrivs i händelseloggen med ditt namn och "
                 "antalet ärenden. Personer med skyddad identitet visas aldrig med namn, och "
                 "ingen adress kommer med.")


class ExportDialog(QDialog):
    finished_export = Signal(object)  # the ExportResult, or None when it failed

    def __init__(self, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.progress: Progress | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(600)

        intro = QLabel("En rad per ärende som du får se, med datum, status, enhet, huvudmän "
                       "och tider (dagar till samtycke och möte, dokumenterad inom två "
                       "arbetsdagar, dagar till godkänd plan) — för uppföljning i Excel.")
        intro.setWordWrap(True)

        self.form = FieldForm()
        formats = QWidget()
        row = QVBoxLayout(formats)
        row.setContentsMargins(0, 0, 0, 0)
        self.xlsx = QRadioButton("E&xcel (.xlsx)")
        self.csv = QRadioButton("&CSV för Excel (.csv, semikolon)")
        self.xlsx.setChecked(True)
        self._formats = QButtonGroup(self)
        for button in (self.xlsx, self.csv):
            self._formats.addButton(button)
            row.addWidget(button)
        self.form.add("format", "Format", formats)

        period = QWidget()
        rows = QVBoxLayout(period)
        rows.setContentsMargins(0, 0, 0, 0)
        today = clock.today()
        self.use_period = QCheckBox("&Bara ärenden som var öppna någon gång under perioden")
        self.start = DateEdit(dt.date(today.year, 1, 1))
        self.start.setAccessibleName("Periodens första dag")
        self.end = DateEdit(today)
        self.end.setAccessibleName("Periodens sista dag")
        dates = QHBoxLayout()
        dates.addWidget(QLabel("från"))
        dates.addWidget(self.start)
        dates.addWidget(QLabel("till och med"))
        dates.addWidget(self.end)
        dates.addStretch(1)
        rows.addWidget(self.use_period)
        rows.addLayout(dates)
        self.use_period.toggled.connect(self._period_toggled)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(lambda _day: self.form.clear_error("period"))
        self._period_toggled(False)
        self.form.add("period", "Period", period)

        self.personal_data = QCheckBox("&Med personuppgifter (namn och personnummer)")
        self.form.add("personal_data", "Personuppgifter", self.personal_data)
        note = QLabel(PERSONAL_NOTE)
        note.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("&Exportera…",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        cancel = buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addWidget(note)
        layout.addSpacing(6)
        layout.addWidget(buttons)
        self.adjustSize()

    @classmethod
    def ask(cls, parent: QWidget, user: User, *,
            period: StatisticsPeriod | None = None) -> ExportDialog:
        """Open the dialog; `period` (from the Statistik page) ticks "Bara ärenden som var
        öppna …" with its dates."""
        dialog = cls(user, parent)
        if period is not None:
            dialog.use_period.setChecked(True)
            dialog.start.set_value(period.start)
            dialog.end.set_value(period.end)
        dialog.open()
        return dialog

    # ---- what the user chose -------------------------------------------------------------

    def _period_toggled(self, on: bool) -> None:
        self.start.setEnabled(on)
        self.end.setEnabled(on)
        self.form.clear_error("period")

    @property
    def chosen_format(self) -> Format:
        return Format.CSV if self.csv.isChecked() else Format.XLSX

    @property
    def period(self) -> Period:
        if not self.use_period.isChecked():
            return Period()
        return Period(self.start.value(), self.end.value())

    # ---- exporting -----------------------------------------------------------------------

    def start_export(self) -> None:
        self.form.clear_errors()
        period = self.period
        if period.start and period.end and period.end < period.start:
            self.form.show_error("period", "Periodens slut ligger före dess början.")
            return
        fmt = self.chosen_format
        path = file_output.SaveFileDialog.ask(
            self, title=TITLE, default_name=default_file_name(fmt, today=clock.today()),
            file_filter=FILTERS[fmt], suffix=fmt.suffix)
        if path is None:
            return
        self.export_to(path, fmt=fmt, period=period)

    def export_to(self, path: Path, *, fmt: Format, period: Period) -> None:
        user, personal_data = self.user, self.personal_data.isChecked()
        progress = self.progress = Progress()

        def work() -> ExportResult:
            return export_cases(user, path, fmt=fmt, personal_data=personal_data,
                                period=period, progress=progress.report,
                                cancelled=lambda: progress.cancelled)

        self.export_button.setEnabled(False)
        (
            Operation(self, work, title=TITLE)
            .with_progress(progress, "Exporterar ärenden …")
            .success(self._done)
            .failure(self._failed)
            .finally_(lambda: self.export_button.setEnabled(True))
            .run()
        )

    def _done(self, result: ExportResult) -> None:
        self.finished_export.emit(result)
        if result.cancelled:
            messages.information(self, TITLE, "Exporten avbröts. Ingen fil sparades.")
            return
        log.info("cases exported")
        count = "1 ärende" if result.rows == 1 else f"{result.rows} ärenden"
        if messages.confirm(self, "Exporten är klar",
                            f"{count} exporterades till {result.path.name} i "
                            f"{result.path.parent}.\n\nVill du öppna filen nu?",
                            yes="Öppna", no="Stäng"):
            file_output.open_file(result.path)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        log.error("export failed: %s", type(exc).__name__)
        self.finished_export.emit(None)
        messages.warning(self, "Exporten kunde inte göras",
                         file_output.failure_text(exc, "exporten"))
