"""Arkiv → Skriv ut statistik… (Ctrl+Shift+P), and Skriv ut… on the Statistik page: the report
for the committee (nämnden) as a PDF (issue 15).

The user picks the period and the scope (the whole municipality, a principal or a unit) and
**Skriv ut…** asks where to save it (`file_output.SaveFileDialog`, proposing
"statistik-2026-01-01--2026-12-31.pdf" — the period only, never a person's or a unit's name).
The report is made in the operation runner with a progress dialog — the same
`reports.statistics_report.print_statistics` as `sipdesk print statistik`: the figures the user
may see, an entry in the audit log (who, when, the period and the scope), the file. Then a
message offers to open it, and the dialog closes. A period the core refuses is said at the
period; the dates stay as typed. `finished_print(path)` is emitted for callers and tests (None
when it failed).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from sipdesk.statistics.compute import ScopeChoice, scope_choices
from sipdesk.statistics.period import Period, Scope, report_file_name
from sipdesk.storage.models import User

from .. import file_output, messages
from ..fields import FieldForm
from ..operations import Operation, Progress
from ..statistics.period_picker import PeriodPicker
from ..statistics.view import scope_combo_fill

log = logging.getLogger("sipdesk.ui.statistics_print")

TITLE = "Skriv ut statistik"
INTRO = ("Rapporten för nämnden som PDF: perioden, måtten för hela urvalet och för varje "
         "enhet, och två diagram. Den innehåller bara antal — inga namn eller personnummer — "
         "och antal under 5 skrivs\u00a0<5. Utskriften skrivs i händelseloggen med ditt namn, "
         "perioden och urvalet.")


def _buddy(form: FieldForm, name: str, target: QWidget) -> None:
    """The row's label (its Alt+letter) puts the focus on `target`."""
    box = form.inputs[name].parentWidget()
    label = form.labelForField(box) if box is not None else None
    if isinstance(label, QLabel):
        label.setBuddy(target)


class StatisticsPrintDialog(QDialog):
    finished_print = Signal(object)  # the Path written, or None when it failed

    def __init__(self, user: User, *, period: Period | None = None, scope: Scope | None = None,
                 choices: list[ScopeChoice] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.progress: Progress | None = None
        self.setWindowTitle(TITLE)
        self.setMinimumWidth(620)

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.form = FieldForm()
        self.period = PeriodPicker(period)
        self.form.add("period", "&Period", self.period)
        _buddy(self.form, "period", self.period.quick)
        self.scope = QComboBox()
        self.scope.setAccessibleName("Urval")
        self.form.add("scope", "&Urval", self.scope)
        _buddy(self.form, "scope", self.scope)
        self.period.changed.connect(lambda: self.form.clear_error("period"))
        self.period.changed.connect(lambda: self.period.mark(None))

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("&Skriv ut…",
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setDefault(True)
        self.print_button.clicked.connect(self.start_print)
        cancel = buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(self.form)
        layout.addSpacing(6)
        layout.addWidget(buttons)

        self._wanted = scope
        if choices:
            self._choices_arrived(choices)
        else:
            self.scope.addItem("Hämtar …")
            self.scope.setEnabled(False)
            self.print_button.setEnabled(False)
            Operation(self, lambda: scope_choices(user), title=TITLE) \
                .success(self._choices_arrived).run()
        self.adjustSize()

    @classmethod
    def ask(cls, parent: QWidget, user: User, *, period: Period | None = None,
            scope: Scope | None = None,
            choices: list[ScopeChoice] | None = None) -> StatisticsPrintDialog:
        dialog = cls(user, period=period, scope=scope, choices=choices, parent=parent)
        dialog.open()
        return dialog

    def _choices_arrived(self, choices: list[ScopeChoice]) -> None:
        scope_combo_fill(self.scope, choices, self._wanted)
        self.scope.setEnabled(True)
        self.print_button.setEnabled(True)

    @property
    def chosen_scope(self) -> Scope:
        scope = self.scope.currentData()
        return scope if isinstance(scope, Scope) else Scope.whole()

    # ---- printing ------------------------------------------------------------------------

    def start_print(self) -> None:
        self.form.clear_errors()
        problem = self.period.problem()
        if problem is not None:
            self.form.show_error("period", problem.message)
            self.period.mark(problem.field)
            return
        period = self.period.period()
        path = file_output.SaveFileDialog.ask(self, title=TITLE,
                                              default_name=report_file_name(period))
        if path is None:
            return
        self.print_to(path, period=period, scope=self.chosen_scope)

    def print_to(self, path: Path, *, period: Period, scope: Scope) -> None:
        user = self.user
        progress = self.progress = Progress()

        def work() -> Path:
            from reports.statistics_report import print_statistics  # ReportLab: here, not at start

            print_statistics(user, period=period, scope=scope, target=path,
                             progress=progress.report)
            return path

        self.print_button.setEnabled(False)
        (
            Operation(self, work, title=TITLE)
            .with_progress(progress, "Räknar och skriver rapporten …", cancellable=False)
            .success(self._done)
            .failure(self._failed)
            .finally_(lambda: self.print_button.setEnabled(True))
            .run()
        )

    def _done(self, path: Path) -> None:
        log.info("statistics report saved")
        self.finished_print.emit(path)
        if messages.confirm(self, "Statistiken är sparad",
                            f"Rapporten är sparad som {path.name} i {path.parent}.\n\n"
                            "Vill du öppna den nu?", yes="Öppna", no="Stäng"):
            file_output.open_file(path)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        log.error("statistics report failed: %s", type(exc).__name__)
        self.finished_print.emit(None)
        if getattr(exc, "field", None) in ("start", "end"):
            self.form.show_error("period", getattr(exc, "message", str(exc)))
            return
        messages.warning(self, "Rapporten kunde inte skapas",
                         file_output.failure_text(exc, "statistikrapporten"))
