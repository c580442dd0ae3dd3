"""Samtycke: the consent in force, the menprövningar, and every earlier consent (renewed or
withdrawn — nothing is deleted), with the consent actions and the printed consent form.

"Skriv ut samtyckesblankett…" asks where to save (`samtycke-SIP-2026-0001.pdf`: the case number,
never a name), renders the PDF off the UI thread (ReportLab is imported only then) and offers to
open it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.casework.consent import is_child
from sipdesk.casework.consent_page import ConsentPage, ConsentRow, HarmRow, consent_page
from sipdesk.casework.lifecycle import Action

from .. import file_output
from ..tables import read_only
from . import actions
from .base import (
    NOT_GIVEN,
    WARN_STYLE,
    CaseContext,
    CaseTab,
    Details,
    format_date,
    lock_if_read_only,
    scrolling,
    set_page,
    value_label,
)

log = logging.getLogger("sipdesk.ui.consent_tab")

HISTORY_HEADERS = ("Givet", "Slag", "Gällde till och med", "Taget av", "Huvudmän", "Sedan")
PRINT_TEXT = "Skriv ut samtyckesblankett…"


def consent_file_name(case_number: str) -> str:
    """`samtycke-SIP-2026-0001.pdf`: the case number only, no personal data."""
    return f"samtycke-{case_number}.pdf"



def consent_forms_note(context: CaseContext) -> str:
    """For a child (seed 002): one consent form for each guardian who may be told
    (reports.consent_form) and none, with the reason, for one who may not. Empty for an adult."""
    from sipdesk.casework import guardians
    from sipdesk.storage.models import ContactKind

    registered = [c for c in context.contacts if c.kind == ContactKind.GUARDIAN.value]
    paper = guardians.paper_for(context.person, on=context.today, guardians=registered)
    if not paper.child:
        return ""
    lines = ([f"En blankett till varje vårdnadshavare: "
              f"{' och '.join(g.name for g in paper.guardians)}"] if paper.guardians else
             ["Två tomma blanketter, en till varje vårdnadshavare"])
    lines += [f"Ingen blankett till {w.name}: {w.why}" for w in paper.withheld]
    return ". ".join(lines) + "."


def render_consent_form(case_id: int, path: Path) -> Path:
    """Runs in a worker thread: ReportLab is imported here, when the user prints."""
    from reports.consent_form import render_consent_form as render

    render(case_id, path)
    return path


class ConsentTab(CaseTab):
    title = "Samtycke"

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.consent_button = QPushButton()
        self.consent_button.setObjectName("consent_register")
        self.withdraw_button = QPushButton()
        self.harm_button = QPushButton()
        self.declined_button = QPushButton()
        self.print_button = QPushButton(PRINT_TEXT)
        self.print_button.setObjectName("print_consent")
        self.print_button.setToolTip("Spara samtyckesblanketten som PDF, att skriva ut och "
                                     "skriva under")
        self.consent_button.clicked.connect(self._register)
        self.withdraw_button.clicked.connect(lambda: self._run(Action.WITHDRAW_CONSENT))
        self.harm_button.clicked.connect(lambda: self._run(Action.HARM_ASSESSED))
        self.declined_button.clicked.connect(lambda: self._run(Action.DECLINE))
        self.print_button.clicked.connect(self.print_form)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.consent_button, self.withdraw_button, self.harm_button,
                       self.declined_button, self.print_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.print_status = QLabel()
        self.print_status.setObjectName("print_status")
        self.print_status.hide()

        self._scroll = scrolling(QWidget())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 0)
        layout.setSpacing(8)
        layout.addLayout(buttons)
        layout.addWidget(self.print_status)
        layout.addWidget(self._scroll, 1)
        self.printing = False

    # ---- showing ------------------------------------------------------------------------------

    def load(self, context: CaseContext) -> ConsentPage:
        return consent_page(context.case, context.today)

    def show_data(self, data: object) -> None:
        assert isinstance(data, ConsentPage)
        context = self.context
        current = data.current
        self.consent_button.setText("Förnya samtycke…" if current else "Registrera samtycke…")
        self.consent_button.setEnabled(True)
        self.consent_button.setToolTip("")
        lock_if_read_only(self.consent_button, context)
        for button, action in ((self.withdraw_button, Action.WITHDRAW_CONSENT),
                               (self.harm_button, Action.HARM_ASSESSED),
                               (self.declined_button, Action.DECLINE)):
            state = data.actions[action]
            button.setObjectName(f"consent_{action.value}")
            button.setText(actions.button_text(
                action, child=is_child(context.person, context.today)))
            button.setEnabled(state.allowed)
            button.setToolTip("" if state.allowed else state.why_not)
            lock_if_read_only(button, context)
        self.print_button.setEnabled(not self.printing)
        forms = consent_forms_note(context)
        self.print_button.setToolTip("Spara samtyckesblanketten som PDF, att skriva ut och "
                                     "skriva under" + (f". {forms}" if forms else ""))
        lock_if_read_only(self.print_button, context)

        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 4, 0, 12)
        column.setSpacing(16)
        if data.pending:
            column.addWidget(self._pending(data))
        column.addWidget(self._current(context, data))
        if data.assessments:
            column.addWidget(self._assessments(data.assessments))
        column.addWidget(self._history(data.earlier))
        column.addStretch(1)
        set_page(self._scroll, page)

    def _current(self, context: CaseContext, data: ConsentPage) -> QGroupBox:
        box = QGroupBox("Samtycket som gäller")
        box.setObjectName("current_consent")
        rows = Details(box)
        current, state = data.current, data.current_state
        if current is None or state is None:
            if data.harm_based:
                text = "Inget samtycke — en menprövning är grunden för SIP:en (se nedan)."
            elif not context.status.is_open:
                text = "Inget samtycke gäller."
            else:
                text = ("Inget samtycke är registrerat. Samtycke behövs innan kallelse — eller en "
                        "menprövning om den enskilde inte kan samtycka.")
            rows.span(value_label(text, name="no_consent", wrap=True))
            return box
        rows.text("Slag:", current.kind, name="consent_kind")
        rows.text("Givet:", format_date(current.given_on), name="consent_given_on")
        rows.text("Taget av:", current.taken_by, name="consent_taken_by")
        rows.text("Gäller:", current.covers, name="consent_covers")
        names = "\n".join(current.principals)
        rows.text("Huvudmän som får delta:", names or NOT_GIVEN, name="consent_principals")
        rows.text("Gäller inte:", current.exclusions or "Inget angivet",
                  name="consent_exclusions")
        rows.text("Närstående att bjuda in:", current.relatives_to_invite or "Inga angivna",
                  name="consent_relatives")
        until = format_date(current.valid_until)
        if not context.status.is_open:
            pass
        elif state.days_left is not None and state.days_left >= 0:
            until += f" ({state.days_left} {'dag' if state.days_left == 1 else 'dagar'} kvar)"
        elif state.days_left is not None:
            until += " — har gått ut, förnya samtycket"
        valid = value_label(until, name="consent_valid_until")
        if state.warn and context.status.is_open:
            valid.setStyleSheet(WARN_STYLE)
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(valid)
        line.addStretch(1)
        rows.add("Gäller till och med:", holder)
        if current.guardians:
            rows.text("Vårdnadshavare:", "\n".join(current.guardians),
                      name="consent_guardians")
            rows.text("Barnets egen inställning:",
                      current.child_view or "Inget antecknat (barnet behöver inte ha någon "
                                            "åsikt)", name="consent_child_view")
        if data.adulthood:
            adult = value_label(data.adulthood, name="consent_adulthood", wrap=True)
            adult.setStyleSheet(WARN_STYLE)
            rows.span(adult)
        return box

    def _pending(self, data: ConsentPage) -> QGroupBox:
        box = QGroupBox("Vårdnadshavarnas svar som väntar")
        box.setObjectName("pending_answers")
        rows = Details(box)
        rows.span(value_label(
            "Samtycket registreras när alla vårdnadshavare har sagt ja. Hittills:",
            name="pending_intro", wrap=True))
        rows.span(value_label("\n".join(data.pending), name="pending_list", wrap=True))
        return box

    def _assessments(self, assessments: list[HarmRow]) -> QGroupBox:
        box = QGroupBox("Menprövning")
        box.setObjectName("harm_assessments")
        rows = Details(box)
        for index, item in enumerate(assessments):
            rows.text(f"{format_date(item.assessed_on)}:",
                      f"{item.conclusion}\n"
                      f"Bedömd av {item.assessed_by}. Kontakter: {item.contacts}",
                      name=f"harm_{index}")
        return box

    def _history(self, earlier: list[ConsentRow]) -> QGroupBox:
        box = QGroupBox("Tidigare samtycken")
        box.setObjectName("consent_history")
        column = QVBoxLayout(box)
        if not earlier:
            column.addWidget(value_label("Inga tidigare samtycken.", name="no_history"))
            return box
        table = QTableWidget(len(earlier), len(HISTORY_HEADERS))
        table.setObjectName("consent_history_table")
        table.setHorizontalHeaderLabels(list(HISTORY_HEADERS))
        read_only(table, row_padding=None, alternating=False, wrap=True, stretch_last=False,
                  highlight_header=True)
        for row, item in enumerate(earlier):
            values = (
                format_date(item.given_on), item.kind, format_date(item.valid_until),
                item.taken_by, "\n".join(item.principals), item.became,
            )
            for col, text in enumerate(values):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                table.setItem(row, col, cell)
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(HISTORY_HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + sum(
            table.rowHeight(r) for r in range(table.rowCount())) + 4
        table.setFixedHeight(min(height, 320))
        column.addWidget(table)
        return box

    # ---- commands ---------------------------------------------------------------------------

    def _register(self) -> None:
        actions.give_consent(self, self.context, lambda _saved: self.changed.emit())

    def _run(self, action: Action) -> None:
        actions.run_action(self, self.context, action, then=self.changed.emit)

    def print_form(self) -> None:
        """Ask where to save the consent form, then render it in the background."""
        if self.printing:
            return
        path = file_output.SaveFileDialog.ask(self, title="Spara samtyckesblanketten",
                                 default_name=consent_file_name(self.context.case.number))
        if path is None:
            return
        self.printing = True
        self.print_button.setEnabled(False)
        self.print_status.setText("Skapar samtyckesblanketten…")
        self.print_status.show()
        case_id, user = self.context.case.id, self.context.user

        def render() -> Path:
            read_log.record_output(user, Output.CONSENT_FORM, case_id=case_id,
                                   entity_id=case_id)
            return render_consent_form(case_id, path)

        file_output.save_document(self, file_output.CONSENT_FORM, render, path,
                                  done=self._done_printing)

    def _done_printing(self) -> None:
        self.printing = False
        self.print_status.hide()
        self.print_button.setEnabled(not self.context.read_only)
