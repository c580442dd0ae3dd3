"""Arkiv → Registerutdrag…: an administrator answers "who has read my data?" (GDPR art. 15).

The administrator types the person's personal number and presses **Visa**; the core
(`sipdesk.accounts.register_extract`, in the runner) refuses anyone else, says at the field when
the number is wrong or unknown, and returns every audit entry about the person and their cases.
The list shows time, who, what and case; **Skriv ut…** saves the same list as a PDF (letterhead,
"Sida X av Y") through `file_output`, and the print is logged too. Only shown in the menu for an
administrator — the core's refusal is what holds.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.accounts.register_extract import RegisterExtract, register_extract
from sipdesk.storage.models import Role, User

from .. import file_output
from ..fields import FieldForm
from ..operations import Operation
from ..tables import read_only

log = logging.getLogger("sipdesk.ui.register_extract")

TITLE = "Registerutdrag"
COLUMNS = ("Tid", "Vem", "Vad", "Ärende")
EXTRACT = file_output.Document("Registerutdraget är sparat", "Registerutdraget är sparat",
                               "det", "Registerutdraget kunde inte skapas",
                               "registerutdraget")


def may_take_extracts(user: User) -> bool:
    """Whether the menu offers it (the core checks again)."""
    return user.active and user.role == Role.ADMINISTRATOR.value


class RegisterExtractDialog(QDialog):
    def __init__(self, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.extract: RegisterExtract | None = None
        self.setWindowTitle(TITLE)
        self.resize(820, 520)

        intro = QLabel("Vem har läst eller ändrat en persons uppgifter i sipdesk? Skriv "
                       "personens personnummer. Utdraget visar varje händelse i loggen om "
                       "personen och personens ärenden, och kan skrivas ut och skickas till "
                       "personen.")
        intro.setWordWrap(True)
        self.form = FieldForm()
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.number = QLineEdit()
        self.number.setPlaceholderText("ÅÅÅÅMMDD-NNNN")
        self.number.returnPressed.connect(self.show_extract)
        self.show_button = QPushButton("Visa")
        self.show_button.clicked.connect(self.show_extract)
        line.addWidget(self.number, 1)
        line.addWidget(self.show_button)
        self.form.add("personal_number", "Personnummer", row)
        self.form.inputs["personal_number"] = self.number

        self.person = QLabel()
        self.person.setWordWrap(True)
        self.table = read_only(QTableWidget(0, len(COLUMNS)), wrap=True, stretch_last=False)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        for column in range(len(COLUMNS)):  # "Vad" takes the room left, the others fit
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 2
                                        else QHeaderView.ResizeMode.ResizeToContents)

        buttons = QDialogButtonBox()
        self.print_button = buttons.addButton("Skriv ut…",
                                              QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.setEnabled(False)
        self.print_button.clicked.connect(self.print_extract)
        close = buttons.addButton("Stäng", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.person)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget, user: User) -> RegisterExtractDialog:
        dialog = cls(user, parent)
        dialog.open()
        return dialog

    def show_extract(self) -> None:
        number, user = self.number.text(), self.user
        self.form.clear_errors()
        self.show_button.setEnabled(False)
        (
            Operation(self, lambda: register_extract(user, number), title=TITLE)
            .fields(self.form.show_error)
            .success(self._show)
            .finally_(lambda: self.show_button.setEnabled(True))
            .run()
        )

    def _show(self, extract: RegisterExtract) -> None:
        self.extract = extract
        count = len(extract.lines)
        self.person.setText(
            f"<b>{extract.person_name}</b> — {count} "
            f"{'händelse' if count == 1 else 'händelser'} i loggen, äldst först.")
        self.table.setRowCount(count)
        for row, line in enumerate(extract.lines):
            cells = (f"{line.at:%Y-%m-%d %H:%M}", line.who,
                     f"{line.action.label}: {line.what}", line.case_number)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.print_button.setEnabled(True)

    def print_extract(self) -> None:
        extract, user = self.extract, self.user
        if extract is None:
            return
        from reports.register_extract import extract_file_name  # ReportLab: when printing

        path = file_output.SaveFileDialog.ask(
            self, title="Spara registerutdraget",
            default_name=extract_file_name(extract.person_id, f"{extract.made_at:%Y-%m-%d}"))
        if path is None:
            return

        def render() -> Path:
            from reports.register_extract import render_register_extract

            read_log.record_output(user, Output.REGISTER_EXTRACT, case_id=None,
                                   entity_id=extract.person_id)
            render_register_extract(extract, path)
            return path

        file_output.save_document(self, EXTRACT, render, path)
