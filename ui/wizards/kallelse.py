"""The kallelse wizard (DOMAIN.md step 4; seeds 000 "Kallelse", 002 §3.1, 003 step 2): the
purpose, the participants, time and place, the staff meeting, then review and send.

One class per page (Picard's setup wizard habit); each page validates itself in `validatePage`
through the core's checks (`sipdesk.invitation.check_*`): a problem blocks the page and shows
at its field in red, a warning is shown in a yellow box and does not block. Nothing is stored
until "Skicka" (`invitation.send_invitation`, one transaction); until then what is typed lives
in an `InvitationDraft` that is saved as a draft (`sipdesk.drafts`) on every page change and on
closing, so it survives closing the window, the app or a crash. Opening the wizard again offers
"Fortsätt där du var" or "Börja om". After sending, the last page shows the call/letter list and
offers the letters and the calendar file.

`KallelseWizard.ask(parent, session, case)` runs it and returns the meeting, or None.
`follow_up=True` invites to a follow-up (issue 6) with its own draft.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sipdesk import attendance, consent, contacts, drafts, invitation, lifecycle, people
from sipdesk.contacts import DirectoryEntry, EntryKind
from sipdesk.db import storage_errors
from sipdesk.errors import ConflictError, PermissionDenied, SipError, StorageError, ValidationError
from sipdesk.invitation import (
    DEFAULT_MINUTES,
    HOME,
    MAX_MINUTES,
    Check,
    HowInvited,
    InvitationDraft,
    Meeting,
    ParticipantInput,
    ParticipantKind,
    default_staff_meeting,
    default_start,
)
from sipdesk.models import Case, ContactKind, PersonContact, User, now

from .. import messages
from ..contacts.model import COLUMNS as DIRECTORY_COLUMNS
from ..contacts.model import Column, DirectoryModel
from ..dialogs.meeting_common import from_qdatetime, to_qdatetime
from ..fields import ERROR_STYLE, FieldForm
from ..session import Session
from . import outputs

log = logging.getLogger("sipdesk.ui.kallelse")

DRAFT_NAME = "kallelse"
CONVENER_TEXT = "Du som kallar"
FOLLOW_UP_DRAFT_NAME = "kallelse_uppfoljning"
PAGE_KEY = "wizard_page"  # which page the user was on, kept beside the draft
WARNING_STYLE = ("QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
                 " border-radius: 4px; padding: 6px 8px; }")
SEARCH_DELAY_MS = 150

# How someone without an account can be invited (users always get a message in sipdesk).
OUTSIDE_WAYS = (HowInvited.LETTER, HowInvited.PHONE, HowInvited.EMAIL)
SEARCH_COLUMNS = tuple(
    Column("Enhet", c.text) if c.header == "Organisation / enhet" else c
    for c in DIRECTORY_COLUMNS
    if c.header in ("Namn", "Roll", "Organisation / enhet", "Huvudman", "Lag", "I sipdesk"))


# ---- small helpers -----------------------------------------------------------------------------

def default_way(phone: str, address: str, email: str) -> HowInvited:
    """A letter when there is an address, else a call, else e-mail."""
    if address.strip():
        return HowInvited.LETTER
    if phone.strip():
        return HowInvited.PHONE
    return HowInvited.EMAIL if email.strip() else HowInvited.LETTER


def home_address(case: Case) -> str:
    person = case.person
    town = " ".join(x for x in (person.postal_code, person.city) if x)
    return ", ".join(x for x in (person.address, town) if x)


def person_participant(case: Case) -> ParticipantInput:
    person = case.person
    address = home_address(case)
    return ParticipantInput(ParticipantKind.PERSON, person.full_name, role="Den enskilde",
                            phone=person.phone, address=address,
                            how_invited=default_way(person.phone, address, ""))


def relative_participant(contact: PersonContact) -> ParticipantInput:
    kind = ContactKind(contact.kind)
    role = kind.label + (f" ({contact.relation})" if contact.relation else "")
    return ParticipantInput(ParticipantKind.RELATIVE, contact.name, role=role,
                            phone=contact.phone, email=contact.email, address=contact.address,
                            how_invited=default_way(contact.phone, contact.address,
                                                    contact.email))


def directory_participant(entry: DirectoryEntry) -> ParticipantInput:
    participant = ParticipantInput.from_directory(entry)
    if not entry.has_account:
        participant.how_invited = default_way(entry.phone, entry.address, entry.email)
    return participant


def same_participant(a: ParticipantInput, b: ParticipantInput) -> bool:
    if a.user_id is not None or b.user_id is not None:
        return a.user_id == b.user_id
    if a.contact_id is not None or b.contact_id is not None:
        return a.contact_id == b.contact_id
    return a.kind is b.kind and a.name.casefold() == b.name.casefold()


def warning_box(name: str) -> QLabel:
    """A yellow box for warnings: shown, never blocking."""
    box = QLabel()
    box.setObjectName(name)
    box.setWordWrap(True)
    box.setStyleSheet(WARNING_STYLE)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.hide()
    return box


def show_warnings(box: QLabel, warnings: list[str]) -> None:
    box.setText("\n".join(f"⚠ {w}" for w in warnings))
    box.setVisible(bool(warnings))


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def row_visible(form: FieldForm, name: str, visible: bool) -> None:
    """Show or hide the form row of input `name` (its label, input and message)."""
    box = form.errors[name].parentWidget()
    assert box is not None
    form.setRowVisible(box, visible)


def fmt(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d kl. %H:%M}" if moment else ""


# ---- the pages ---------------------------------------------------------------------------------

class KallelsePage(QWizardPage):
    """A page that reads and writes its part of the wizard's draft."""

    def kallelse(self) -> KallelseWizard:
        wizard = self.wizard()
        assert isinstance(wizard, KallelseWizard)
        return wizard

    def load(self, draft: InvitationDraft) -> None:
        """Show the draft's values."""

    def store(self, draft: InvitationDraft) -> None:
        """Write what is on the page into the draft."""


class PurposePage(KallelsePage):
    """1 Syfte: the purpose and the question(s), required, in plain words."""

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Steg 1 av 5 · Syfte")
        self.setSubTitle("Varför ska ni träffas, och vilka frågor ska mötet svara på? Skriv med "
                         "vanliga ord — den enskilde ska kunna läsa det.")
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.purpose = QPlainTextEdit()
        self.purpose.setObjectName("purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setPlaceholderText(
            "t.ex. Hur kan hemtjänsten och vårdcentralen hjälpa till så att du kan bo kvar hemma "
            "efter fallet? Vem gör vad när du kommer hem från sjukhuset?")
        self.purpose.setAccessibleName("Syfte och frågor")
        self.form.add("purpose", "Syfte och frågor *", self.purpose)
        need = lifecycle.need_of(case)
        self.use_question = QPushButton("Använd frågan från behovet")
        self.use_question.setObjectName("use_question")
        self.use_question.setAutoDefault(False)
        self._question = need.question if need is not None else ""
        if need is not None:
            reminder = QLabel(f"Behovet, med den enskildes ord: {need.need}\n"
                              f"Frågan SIP:en ska besvara: {need.question}")
            reminder.setObjectName("need_reminder")
            reminder.setWordWrap(True)
            reminder.setTextFormat(Qt.TextFormat.PlainText)
            reminder.setEnabled(False)
            self.form.addRow("", reminder)
            button_row = QHBoxLayout()
            button_row.addWidget(self.use_question)
            button_row.addStretch(1)
            self.form.addRow("", button_row)
            self.use_question.clicked.connect(self._use_question)
        else:
            self.use_question.hide()
        self.purpose.textChanged.connect(lambda: self.form.clear_error("purpose"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)

    def _use_question(self) -> None:
        if self.purpose.toPlainText().strip():
            self.purpose.appendPlainText(self._question)
        else:
            self.purpose.setPlainText(self._question)
        self.purpose.setFocus()

    def initializePage(self) -> None:
        self.purpose.setFocus()

    def load(self, draft: InvitationDraft) -> None:
        self.purpose.setPlainText(draft.purpose)

    def store(self, draft: InvitationDraft) -> None:
        draft.purpose = self.purpose.toPlainText()

    def validatePage(self) -> bool:
        draft = self.kallelse().collect()
        check = invitation.check_purpose(draft)
        self.form.clear_errors()
        for name, message in check.problems.items():
            self.form.show_error(name, message)
        if not check.ok:
            self.purpose.setFocus()
        return check.ok


class ParticipantsTable(QTableWidget):
    """Who is invited: name, role, principal, unit, law, and how (a choice for those without
    an account). Delete removes the selected row."""

    COLUMNS = ("Namn", "Roll", "Huvudman", "Enhet", "Lag", "Kallas via")
    remove_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(self.COLUMNS), parent)
        self.setObjectName("participants")
        self.setAccessibleName("Deltagare")
        self.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setTabKeyNavigation(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        header = self.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(True)
        zero = self.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate((18, 20, 17, 20, 7)):
            self.setColumnWidth(column, zero * chars)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.currentRow() >= 0:
            self.remove_requested.emit(self.currentRow())
            event.accept()
            return
        super().keyPressEvent(event)


class ParticipantsPage(KallelsePage):
    """2 Deltagare: the person, relatives the consent allows, an interpreter when needed, and
    participants from Kontakter. Refuses to continue without HSL + SoL/LSS and region +
    municipality, or with a principal the consent does not cover (the core's message)."""

    def __init__(self, case: Case, *, convener: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.convener = convener
        self.rows: list[ParticipantInput] = []
        self._tried = False
        self.setTitle("Steg 2 av 5 · Deltagare")
        self.setSubTitle("Vilka ska kallas? En SIP behöver minst en från hälso- och sjukvården "
                         "(HSL) och en från socialtjänsten eller LSS, och minst en från regionen "
                         "och en från kommunen.")
        active = consent.active_consent(case)
        self._consent_text = ""
        self._relatives_note = ""
        if case.consent_basis == "consent" and active is not None:
            names = ", ".join(p.name for p in consent.principals_of(active))
            self._consent_text = f"Samtycket omfattar: {names}."
            self._relatives_note = (
                f"Enligt samtycket: {active.relatives_to_invite}"
                if active.relatives_to_invite.strip() else
                "Samtycket säger inget om närstående — fråga den enskilde innan du bjuder in.")
            self._allowed_relatives = active.relatives_to_invite
        else:
            self._consent_text = "Menprövning är gjord — den enskilde kan inte samtycka."
            self._allowed_relatives = ""

        # The list of who is invited.
        self.table = ParticipantsTable()
        self.table.remove_requested.connect(self.remove_row)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.remove_button = QPushButton("Ta bort")
        self.remove_button.setObjectName("remove_participant")
        self.remove_button.setToolTip("Ta bort den valda deltagaren (Delete)")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(lambda: self.remove_row(self.table.currentRow()))
        self.count_label = QLabel()
        self.count_label.setObjectName("participant_count")
        self.error = error_label("participants_error")
        self.warnings = warning_box("participants_warnings")

        # Relatives from the person's contacts.
        relatives_box = QGroupBox("Närstående och företrädare")
        relatives_column = QVBoxLayout(relatives_box)
        self.relative_boxes: dict[int, QCheckBox] = {}
        self._relatives: dict[int, PersonContact] = {}
        for contact in people.contacts_of(case.person):
            box = QCheckBox(f"{contact.name} — {ContactKind(contact.kind).label.lower()}"
                            + (f" ({contact.relation})" if contact.relation else ""))
            box.setObjectName(f"relative_{contact.id}")
            box.toggled.connect(lambda on, c=contact: self._relative_toggled(c, on))
            relatives_column.addWidget(box)
            self.relative_boxes[contact.id] = box
            self._relatives[contact.id] = contact
        if not self._relatives:
            none = QLabel("Inga närstående är registrerade på personen.")
            none.setEnabled(False)
            relatives_column.addWidget(none)
        if self._relatives_note:
            note = QLabel(self._relatives_note)
            note.setObjectName("relatives_note")
            note.setWordWrap(True)
            note.setEnabled(False)
            relatives_column.addWidget(note)
        relatives_column.addStretch(1)

        # An interpreter, when the person does not speak Swedish (seed 003).
        self.interpreter_box = QGroupBox("Tolk")
        interpreter_column = QVBoxLayout(self.interpreter_box)
        self.interpreter_needed = invitation.person_needs_interpreter(case)
        self.interpreter_choice = QComboBox()
        self.interpreter_choice.setObjectName("interpreter_choice")
        self.add_interpreter_button = QPushButton("Lägg till tolk")
        self.add_interpreter_button.setObjectName("add_interpreter")
        self.add_interpreter_button.setAutoDefault(False)
        self.add_interpreter_button.clicked.connect(self._add_interpreter)
        self._interpreters = contacts.interpreters() if self.interpreter_needed else []
        for entry in self._interpreters:
            self.interpreter_choice.addItem(f"{entry.name} ({entry.organisation})", entry.id)
        language = QLabel(f"Den enskilde talar {case.person.language}. Kallelsen bokar tolken — "
                          "en närstående eller personal får aldrig tolka.")
        language.setWordWrap(True)
        interpreter_column.addWidget(language)
        if self._interpreters:
            row = QHBoxLayout()
            row.addWidget(self.interpreter_choice, 1)
            row.addWidget(self.add_interpreter_button)
            interpreter_column.addLayout(row)
        else:
            missing = QLabel("Det finns ingen tolkförmedling under Kontakter. Be en enhetschef "
                             "eller administratör lägga till den, eller sök fram tolken nedan.")
            missing.setObjectName("no_interpreters")
            missing.setWordWrap(True)
            missing.setEnabled(False)
            interpreter_column.addWidget(missing)
        interpreter_column.addStretch(1)
        self.interpreter_box.setVisible(self.interpreter_needed)

        # Search in Kontakter.
        search_box = QGroupBox("Lägg till från Kontakter")
        search_column = QVBoxLayout(search_box)
        self.search = QLineEdit()
        self.search.setObjectName("participant_search")
        self.search.setPlaceholderText("Sök på namn, roll, enhet, huvudman eller lag")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök deltagare")
        self.results_model = DirectoryModel(self, columns=SEARCH_COLUMNS)
        self.results = QTableView()
        self.results.setObjectName("participant_results")
        self.results.setAccessibleName("Träffar i Kontakter")
        self.results.setModel(self.results_model)
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.setTabKeyNavigation(False)
        self.results.verticalHeader().hide()
        self.results.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.results.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Name and role as wide as they need; organisation and principal share the rest.
        zero = self.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate((14, 13)):
            self.results.setColumnWidth(column, zero * chars)
        for column, mode in ((2, QHeaderView.ResizeMode.Stretch),
                             (3, QHeaderView.ResizeMode.Stretch),
                             (4, QHeaderView.ResizeMode.ResizeToContents),
                             (5, QHeaderView.ResizeMode.ResizeToContents)):
            header.setSectionResizeMode(column, mode)
        self.results.doubleClicked.connect(self._add_result)
        self.add_button = QPushButton("Lägg till")
        self.add_button.setObjectName("add_participant")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(lambda: self._add_result(self.results.currentIndex()))
        self.search_hint = QLabel(self._consent_text)
        self.search_hint.setObjectName("consent_principals")
        self.search_hint.setWordWrap(True)
        self.search_hint.setEnabled(False)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.add_button)
        search_column.addLayout(search_row)
        search_column.addWidget(self.results, 1)
        search_column.addWidget(self.search_hint)

        list_row = QHBoxLayout()
        list_row.addWidget(self.count_label, 1)
        list_row.addWidget(self.remove_button)
        side = QVBoxLayout()
        side.addWidget(relatives_box)
        side.addWidget(self.interpreter_box)
        lower = QHBoxLayout()
        lower.addWidget(search_box, 2)
        lower.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(list_row)
        layout.addWidget(self.error)
        layout.addWidget(self.warnings)
        layout.addLayout(lower, 4)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(self._timer.start)
        self.search.installEventFilter(self)
        self.results.installEventFilter(self)

    # ---- the draft ------------------------------------------------------------------------

    def initial_rows(self, *, follow_up: bool = False) -> list[ParticipantInput]:
        """A new kallelse: the person, the convener (who always takes part) and the relatives
        the consent names. A follow-up also starts with the latest approved plan's
        participants and the previous meeting's invitees (DOMAIN step 10: remove those no
        longer involved)."""
        rows = [person_participant(self.case), directory_participant(
            contacts.entry(EntryKind.USER, self.convener.id))]
        if follow_up:
            for candidate in attendance.follow_up_invitees(self.case):
                if not any(same_participant(candidate, row) for row in rows):
                    rows.append(candidate)
        allowed = self._allowed_relatives.casefold()
        for contact in self._relatives.values():
            candidate = relative_participant(contact)
            if allowed and contact.name.casefold() in allowed \
                    and not any(same_participant(candidate, row) for row in rows):
                rows.append(candidate)
        return rows

    def load(self, draft: InvitationDraft) -> None:
        self.rows = list(draft.participants)
        self._rebuild()

    def store(self, draft: InvitationDraft) -> None:
        draft.participants = list(self.rows)

    def initializePage(self) -> None:
        self.run_search()
        self.search.setFocus()

    # ---- adding and removing --------------------------------------------------------------

    def add(self, participant: ParticipantInput) -> bool:
        if any(same_participant(participant, row) for row in self.rows):
            self.count_label.setText(f"{participant.name} är redan med.")
            return False
        self.rows.append(participant)
        self._rebuild()
        self.table.selectRow(len(self.rows) - 1)
        return True

    def remove_row(self, row: int) -> None:
        if 0 <= row < len(self.rows) and self.rows[row].user_id == self.convener.id:
            self.count_label.setText("Du som kallar är alltid med på mötet.")
            return
        if 0 <= row < len(self.rows):
            del self.rows[row]
            self._rebuild()
            if self.rows:
                self.table.selectRow(min(row, len(self.rows) - 1))

    def _relative_toggled(self, contact: PersonContact, on: bool) -> None:
        candidate = relative_participant(contact)
        present = [i for i, row in enumerate(self.rows) if same_participant(candidate, row)]
        if on and not present:
            self.add(candidate)
        elif not on and present:
            self.remove_row(present[0])

    def _add_interpreter(self) -> None:
        chosen = self.interpreter_choice.currentData()
        for entry in self._interpreters:
            if entry.id == chosen:
                self.add(directory_participant(entry))

    def _add_result(self, index: QModelIndex) -> None:
        entry = self.results_model.entry(index.row()) if index.isValid() else None
        if entry is not None:
            self.add(directory_participant(entry))

    def _search_entered(self) -> None:
        self.run_search()
        if self.results_model.rowCount() == 1:
            self._add_result(self.results_model.index(0, 0))

    def run_search(self) -> None:
        self._timer.stop()
        try:
            with storage_errors():
                found = contacts.search_directory(self.search.text(), limit=50)
        except StorageError as exc:
            log.error("participant search failed: %s", type(exc).__name__)
            found = []
        self.results_model.set_entries(found)
        if found:
            self.results.selectRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.search and event.key() == Qt.Key.Key_Down:
            if self._timer.isActive():
                self.run_search()
            if self.results_model.rowCount():
                self.results.setFocus()
                self.results.selectRow(0)
                return True
        # Enter in the search or the results adds a participant; it must not also press
        # the wizard's "Nästa".
        if watched is self.search and enter:
            self._search_entered()
            return True
        if watched is self.results and enter:
            self._add_result(self.results.currentIndex())
            return True
        return super().eventFilter(watched, event)

    # ---- showing ----------------------------------------------------------------------------

    def _rebuild(self) -> None:
        table = self.table
        table.setRowCount(len(self.rows))
        for row, p in enumerate(self.rows):
            law = p.law.label if p.law else ""
            principal = p.principal_name
            for column, text in enumerate((p.name, p.role or p.kind.label, principal,
                                           p.unit_name, law)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
            if p.user_id is not None:
                table.removeCellWidget(row, 5)
                table.setItem(row, 5, QTableWidgetItem(
                    CONVENER_TEXT if p.user_id == self.convener.id else HowInvited.MESSAGE.label))
            else:
                table.setItem(row, 5, QTableWidgetItem(""))
                combo = QComboBox()
                combo.setObjectName(f"how_{row}")
                combo.setAccessibleName(f"Hur {p.name} kallas")
                for way in OUTSIDE_WAYS:
                    combo.addItem(way.label, way.value)
                combo.setCurrentIndex(combo.findData(p.how.value))
                combo.currentIndexChanged.connect(
                    lambda _i, r=row, c=combo: self._way_changed(r, c))
                table.setCellWidget(row, 5, combo)
        # The relatives' boxes follow the list (also when a draft is loaded).
        for contact_id, box in self.relative_boxes.items():
            candidate = relative_participant(self._relatives[contact_id])
            box.blockSignals(True)
            box.setChecked(any(same_participant(candidate, r) for r in self.rows))
            box.blockSignals(False)
        with_account = sum(1 for p in self.rows
                           if p.user_id is not None and p.user_id != self.convener.id)
        self.count_label.setText(
            f"{len(self.rows)} deltagare, varav {with_account} får kallelsen i sipdesk"
            if self.rows else "Ingen är kallad än.")
        self._selection_changed()
        self.refresh_check()

    def _way_changed(self, row: int, combo: QComboBox) -> None:
        if 0 <= row < len(self.rows):
            self.rows[row].how_invited = HowInvited(combo.currentData())

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(0 <= self.table.currentRow() < len(self.rows)
                                      and bool(self.table.selectedItems()))

    def refresh_check(self) -> Check:
        """Warnings always; the problems once the user has tried to continue."""
        draft = InvitationDraft(participants=list(self.rows))
        check = invitation.check_participants(self.case, draft)
        show_warnings(self.warnings, check.warnings)
        if self._tried:
            self.error.setText("\n".join(check.problems.values()))
            self.error.setVisible(bool(check.problems))
        return check

    def validatePage(self) -> bool:
        self._tried = True
        return self.refresh_check().ok


class TimePlacePage(KallelsePage):
    """3 Tid och plats: two to three weeks ahead, 45 minutes (at most 60), at home unless there
    is a reason; a shorter notice needs a reason too."""

    def __init__(self, case: Case, *, clock: Callable[[], dt.datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.clock = clock
        self.setTitle("Steg 3 av 5 · Tid och plats")
        self.setSubTitle("Kalla två till tre veckor i förväg och boka 45 minuter, högst en "
                         "timme. Mötet hålls hemma hos den enskilde om det inte finns skäl "
                         "för en annan plats.")
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.starts_at = QDateTimeEdit()
        self.starts_at.setObjectName("starts_at")
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts_at.setDateTime(to_qdatetime(default_start(clock().date())))
        self.weekday = QLabel()
        self.weekday.setObjectName("weekday")
        # What the chosen time means — a holiday, a weekend, outside office hours, short
        # notice — is said right under it: a warning, not a refusal (invitation.time_warnings).
        self.warnings = warning_box("time_warnings")
        when = QWidget()
        when_column = QVBoxLayout(when)
        when_column.setContentsMargins(0, 0, 0, 0)
        when_column.setSpacing(4)
        when_row = QHBoxLayout()
        when_row.addWidget(self.starts_at)
        when_row.addWidget(self.weekday)
        when_row.addStretch(1)
        when_column.addLayout(when_row)
        when_column.addWidget(self.warnings)
        self.form.add("starts_at", "Dag och tid *", when)
        self.form.inputs["starts_at"] = self.starts_at  # the red frame on the input itself
        self.short_notice_reason = QLineEdit()
        self.short_notice_reason.setObjectName("short_notice_reason")
        self.short_notice_reason.setPlaceholderText("t.ex. Hemgång från sjukhuset på fredag")
        self.form.add("short_notice_reason", "Skäl till kort varsel *", self.short_notice_reason)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("minutes")
        self.minutes.setRange(15, MAX_MINUTES)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(" minuter")
        self.minutes.setToolTip(f"Boka {DEFAULT_MINUTES} minuter, högst en timme.")
        self.minutes.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        length = QWidget()
        length_row = QHBoxLayout(length)
        length_row.setContentsMargins(0, 0, 0, 0)
        length_row.addWidget(self.minutes)
        length_row.addWidget(QLabel(f"högst {MAX_MINUTES} minuter"))
        length_row.addStretch(1)
        self.form.add("minutes", "Längd", length)
        self.form.inputs["minutes"] = self.minutes

        self.at_home = QRadioButton(HOME)
        self.at_home.setObjectName("at_home")
        self.elsewhere = QRadioButton("Annan plats")
        self.elsewhere.setObjectName("elsewhere")
        self._place_group = QButtonGroup(self)
        self._place_group.addButton(self.at_home)
        self._place_group.addButton(self.elsewhere)
        self.at_home.setChecked(True)
        address = home_address(case)
        self.home_address = QLabel(address or "Adressen saknas — kontrollera den under "
                                              "Översikt innan kallelsen skickas.")
        self.home_address.setObjectName("home_address")
        self.home_address.setEnabled(False)
        place = QWidget()
        place_column = QVBoxLayout(place)
        place_column.setContentsMargins(0, 0, 0, 0)
        place_column.setSpacing(2)
        home_row = QHBoxLayout()
        home_row.addWidget(self.at_home)
        home_row.addWidget(self.home_address)
        home_row.addStretch(1)
        place_column.addLayout(home_row)
        place_column.addWidget(self.elsewhere)
        self.form.addRow("Plats", place)
        self.place = QLineEdit()
        self.place.setObjectName("place")
        self.place.setPlaceholderText("t.ex. Vårdcentralen Exempelby, rum 3")
        self.form.add("place", "Annan plats *", self.place)
        self.place_reason = QLineEdit()
        self.place_reason.setObjectName("place_reason")
        self.place_reason.setPlaceholderText("t.ex. Den enskilde vill inte ha möte hemma")
        self.form.add("place_reason", "Skäl till annan plats *", self.place_reason)
        self.video_link = QLineEdit()
        self.video_link.setObjectName("video_link")
        self.video_link.setPlaceholderText("https://… (om någon deltar på video)")
        self.form.add("video_link", "Videolänk", self.video_link)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)

        self.starts_at.dateTimeChanged.connect(lambda _v: self._changed("starts_at"))
        self.short_notice_reason.textEdited.connect(
            lambda _t: self._changed("short_notice_reason"))
        self.minutes.valueChanged.connect(lambda _v: self._changed("minutes"))
        self.at_home.toggled.connect(lambda _on: self._changed("place"))
        self.place.textEdited.connect(lambda _t: self._changed("place"))
        self.place_reason.textEdited.connect(lambda _t: self._changed("place_reason"))
        self.video_link.textEdited.connect(lambda _t: self._changed("video_link"))
        self._update()

    def load(self, draft: InvitationDraft) -> None:
        if draft.starts_at is not None:
            self.starts_at.setDateTime(to_qdatetime(draft.starts_at))
        self.minutes.setValue(draft.minutes)
        other = bool(draft.place.strip()) and draft.place.strip() != HOME
        (self.elsewhere if other else self.at_home).setChecked(True)
        self.place.setText(draft.place if other else "")
        self.place_reason.setText(draft.place_reason)
        self.video_link.setText(draft.video_link)
        self.short_notice_reason.setText(draft.short_notice_reason)
        self._update()

    def store(self, draft: InvitationDraft) -> None:
        draft.starts_at = from_qdatetime(self.starts_at.dateTime())
        draft.minutes = self.minutes.value()
        draft.place = self.place.text() if self.elsewhere.isChecked() else ""
        draft.place_reason = self.place_reason.text() if self.elsewhere.isChecked() else ""
        draft.video_link = self.video_link.text()
        draft.short_notice_reason = (self.short_notice_reason.text()
                                     if self.short_notice_visible() else "")

    def short_notice_visible(self) -> bool:
        return invitation.is_short_notice(from_qdatetime(self.starts_at.dateTime()),
                                          self.clock())

    def _changed(self, name: str) -> None:
        self.form.clear_error(name)
        self._update()

    def _update(self) -> None:
        start = from_qdatetime(self.starts_at.dateTime())
        days = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
        self.weekday.setText(f"{days[start.weekday()]} · slutar kl. "
                             f"{start + dt.timedelta(minutes=self.minutes.value()):%H:%M}")
        row_visible(self.form, "short_notice_reason", self.short_notice_visible())
        other = self.elsewhere.isChecked()
        for name in ("place", "place_reason"):
            row_visible(self.form, name, other)
        draft = InvitationDraft()
        self.store(draft)
        show_warnings(self.warnings, invitation.check_time_and_place(
            self.case, draft, current=self.clock()).warnings)

    def validatePage(self) -> bool:
        draft = self.kallelse().collect()
        check = invitation.check_time_and_place(self.case, draft, current=self.clock())
        if self.elsewhere.isChecked() and not draft.place.strip():
            check.problems.setdefault("place", "Skriv var mötet hålls.")
        self.form.clear_errors()
        for name, message in check.problems.items():
            if not self.form.show_error(name, message):
                self.form.show_error("starts_at", message)
        show_warnings(self.warnings, check.warnings)
        if not check.ok:
            self.form.inputs[next(iter(check.problems))].setFocus()
        return check.ok


class StaffMeetingPage(KallelsePage):
    """4 Tjänstemannamöte: propose time and place for the staff meeting before the SIP meeting,
    or skip it with a reason (seed 000)."""

    def __init__(self, *, clock: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.setTitle("Steg 4 av 5 · Tjänstemannamöte")
        self.setSubTitle("Föreslå tid och plats för ett tjänstemannamöte före SIP-mötet. Där "
                         "utses ordförande, och ni bestämmer vem som skriver vad.")
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.skip = QCheckBox("Hoppa över tjänstemannamötet")
        self.skip.setObjectName("skip_staff_meeting")
        self.form.addRow("", self.skip)
        self.at = QDateTimeEdit()
        self.at.setObjectName("staff_meeting_at")
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.form.add("staff_meeting_at", "Dag och tid *", self.at)
        self.place = QLineEdit()
        self.place.setObjectName("staff_meeting_place")
        self.place.setPlaceholderText("t.ex. Teams, eller Biståndsenhetens samtalsrum")
        self.form.add("staff_meeting_place", "Plats *", self.place)
        self.reason = QLineEdit()
        self.reason.setObjectName("staff_meeting_skipped_reason")
        self.reason.setPlaceholderText("t.ex. Alla berörda träffades förra veckan")
        self.form.add("staff_meeting_skipped_reason", "Skäl att hoppa över *", self.reason)
        self.sip_time = QLabel()
        self.sip_time.setObjectName("sip_time")
        self.sip_time.setEnabled(False)
        self.form.addRow("", self.sip_time)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self._visited = False  # a time is proposed once the page has been shown
        self._edited_by_user = False  # otherwise it follows the SIP meeting's time
        self.skip.toggled.connect(self._update)
        self.at.dateTimeChanged.connect(lambda _v: self._edited())
        self.place.textEdited.connect(lambda _t: self.form.clear_error("staff_meeting_place"))
        self.reason.textEdited.connect(lambda _t: self.form.clear_error("staff_meeting_at"))
        self._update()

    def _edited(self) -> None:
        self._edited_by_user = True
        self.form.clear_error("staff_meeting_at")

    def initializePage(self) -> None:
        starts_at = self.kallelse().collect().starts_at
        if starts_at is not None:
            if not self._edited_by_user:
                self.at.blockSignals(True)
                self.at.setDateTime(to_qdatetime(default_staff_meeting(starts_at, self.clock())))
                self.at.blockSignals(False)
            self.sip_time.setText(f"SIP-mötet: {fmt(starts_at)}")
        self._visited = True
        (self.reason if self.skip.isChecked() else self.place).setFocus()

    def _update(self) -> None:
        skipped = self.skip.isChecked()
        for name in ("staff_meeting_at", "staff_meeting_place"):
            row_visible(self.form, name, not skipped)
        row_visible(self.form, "staff_meeting_skipped_reason", skipped)
        self.form.clear_errors()

    def load(self, draft: InvitationDraft) -> None:
        skipped = draft.staff_meeting_at is None and bool(draft.staff_meeting_skipped_reason)
        self.skip.setChecked(skipped)
        if draft.staff_meeting_at is not None:
            self.at.setDateTime(to_qdatetime(draft.staff_meeting_at))
            self._visited = self._edited_by_user = True
        self.place.setText(draft.staff_meeting_place)
        self.reason.setText(draft.staff_meeting_skipped_reason)
        self._update()

    def store(self, draft: InvitationDraft) -> None:
        if self.skip.isChecked():
            draft.staff_meeting_at = None
            draft.staff_meeting_place = ""
            draft.staff_meeting_skipped_reason = self.reason.text()
        else:
            draft.staff_meeting_at = (from_qdatetime(self.at.dateTime()) if self._visited
                                      else None)
            draft.staff_meeting_place = self.place.text()
            draft.staff_meeting_skipped_reason = ""

    def validatePage(self) -> bool:
        draft = self.kallelse().collect()
        check = invitation.check_staff_meeting(draft)
        if self.skip.isChecked() and "staff_meeting_at" in check.problems:
            check.problems["staff_meeting_skipped_reason"] = check.problems.pop(
                "staff_meeting_at")
        self.form.clear_errors()
        for name, message in check.problems.items():
            self.form.show_error(name, message)
        if not check.ok:
            self.form.inputs[next(iter(check.problems))].setFocus()
        return check.ok


class ReviewPage(KallelsePage):
    """5 Granska och skicka: everything on one page; "Skicka" stores and sends in one
    transaction (`invitation.send_invitation`)."""

    def __init__(self, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.setTitle("Steg 5 av 5 · Granska och skicka")
        self.setSubTitle("Kontrollera kallelsen. När du trycker på Skicka sparas mötet, de med "
                         "konto i sipdesk får kallelsen som meddelande att kvittera, och du får "
                         "en lista över vilka du ska ringa eller skriva till.")
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.warnings = warning_box("review_warnings")
        self.error = error_label("send_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        wizard = self.kallelse()
        draft = wizard.collect()
        self.error.hide()
        check = invitation.check_all(self.case, draft, current=wizard.clock())
        show_warnings(self.warnings, check.warnings)
        self.summary.setText(summary_html(self.case, draft,
                                          convener_id=wizard.session.user.id))

    def validatePage(self) -> bool:
        return self.kallelse().send()


class SentPage(KallelsePage):
    """After sending: who got a message, and the call/letter list (seed 003); letters and the
    calendar file when those parts are installed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Kallelsen är skickad")
        self.setSubTitle("Ärendet har status Kallad. Ring eller skriv till dem som inte har "
                         "konto i sipdesk, och bocka av dem under fliken Kallelse i ärendet.")
        self.messaged = QLabel()
        self.messaged.setObjectName("messaged")
        self.messaged.setWordWrap(True)
        self.call_list = QTableWidget(0, 4)
        self.call_list.setObjectName("call_list")
        self.call_list.setAccessibleName("Att ringa eller skriva till")
        self.call_list.setHorizontalHeaderLabels(["Namn", "Kallas via", "Telefon",
                                                  "Adress / e-post"])
        self.call_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.call_list.verticalHeader().hide()
        self.call_list.horizontalHeader().setStretchLastSection(True)
        self.call_list.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.call_list.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.letters_button = QPushButton("Skriv ut brev…")
        self.letters_button.setObjectName("print_letters")
        self.letters_button.setAutoDefault(False)
        self.letters_button.clicked.connect(self._print_letters)
        self.calendar_button = QPushButton("Spara kalenderfil…")
        self.calendar_button.setObjectName("save_calendar")
        self.calendar_button.setAutoDefault(False)
        self.calendar_button.clicked.connect(self._save_calendar)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.letters_button)
        buttons.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.messaged)
        layout.addWidget(QLabel("Att ringa eller skriva till:"))
        layout.addWidget(self.call_list, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        meeting = self.kallelse().meeting
        if meeting is None:
            return
        everyone = invitation.participants_of(meeting)
        with_account = [p.name for p in everyone
                        if p.has_account and p.user_id != meeting.created_by_id]
        self.messaged.setText(
            ("Kallelsen har gått som meddelande att kvittera till " + ", ".join(with_account)
             + ".") if with_account else "Ingen av deltagarna har konto i sipdesk.")
        calls = invitation.call_list(meeting)
        self.call_list.setRowCount(len(calls))
        for row, p in enumerate(calls):
            where = p.email if p.how_invited == HowInvited.EMAIL.value else p.address
            for column, text in enumerate((p.name, HowInvited(p.how_invited).label, p.phone,
                                           where)):
                self.call_list.setItem(row, column, QTableWidgetItem(text))
        self.letters_button.setVisible(outputs.letters_available() and any(
            p.how_invited == HowInvited.LETTER.value for p in calls))
        self.calendar_button.setVisible(outputs.calendar_available())

    def _print_letters(self) -> None:
        meeting = self.kallelse().meeting
        if meeting is not None:
            outputs.print_letters(self, meeting, case_number=self.kallelse().case.number)

    def _save_calendar(self) -> None:
        meeting = self.kallelse().meeting
        if meeting is not None:
            outputs.save_calendar(self, meeting, case_number=self.kallelse().case.number)


def summary_html(case: Case, draft: InvitationDraft, *, convener_id: int | None = None) -> str:
    """The review page's text; everything the user typed is escaped."""
    e = html.escape
    place, _home = invitation.place_of(case, draft)
    rows = []
    for p in draft.participants:
        where = ", ".join(x for x in (p.role or p.kind.label, p.unit_name, p.principal_name,
                                      p.law.label if p.law else "") if x)
        how = CONVENER_TEXT if p.user_id is not None and p.user_id == convener_id else p.how.label
        rows.append(f"<li><b>{e(p.name)}</b> — {e(where)} · <i>{e(how)}</i></li>")
    parts = [
        f"<h3 style='margin-bottom:2px'>{'Uppföljning av ' if draft.follow_up else ''}SIP-möte "
        f"i ärende {e(case.number)}</h3>",
        f"<p><b>Syfte:</b> {e(draft.purpose.strip())}</p>",
        f"<p><b>Tid:</b> {e(fmt(draft.starts_at))}, {draft.minutes} minuter<br>"
        f"<b>Plats:</b> {e(place)}"
        + (f"<br><b>Skäl till annan plats:</b> {e(draft.place_reason)}"
           if draft.place_reason.strip() else "")
        + (f"<br><b>Skäl till kort varsel:</b> {e(draft.short_notice_reason)}"
           if draft.short_notice_reason.strip() else "")
        + (f"<br><b>Videolänk:</b> {e(draft.video_link)}" if draft.video_link.strip() else "")
        + "</p>",
        ("<p><b>Tjänstemannamöte:</b> "
         + (f"{e(fmt(draft.staff_meeting_at))}, {e(draft.staff_meeting_place)}"
            if draft.staff_meeting_at else
            f"hoppas över ({e(draft.staff_meeting_skipped_reason)})") + "</p>"),
        f"<p><b>Deltagare ({len(draft.participants)}):</b></p><ul>{''.join(rows)}</ul>",
    ]
    return "".join(parts)


# ---- the wizard --------------------------------------------------------------------------------

class KallelseWizard(QWizard):
    """Kalla till SIP-möte: five pages and a last one after sending."""

    PURPOSE, PARTICIPANTS, TIME_PLACE, STAFF_MEETING, REVIEW, SENT = range(6)
    sent = Signal(object)  # the Meeting, once stored and sent

    def __init__(self, session: Session, case: Case, *, draft: InvitationDraft | None = None,
                 follow_up: bool = False, clock: Callable[[], dt.datetime] = now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case = case
        self.follow_up = follow_up
        self.clock = clock
        self.meeting: Meeting | None = None
        self.draft_name = FOLLOW_UP_DRAFT_NAME if follow_up else DRAFT_NAME
        self.setObjectName("kallelse_wizard")
        self.setWindowTitle(f"{'Kalla till uppföljning' if follow_up else 'Kalla till SIP-möte'}"
                            f" — {case.number}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, "< Tillbaka")
        self.setButtonText(QWizard.WizardButton.NextButton, "Nästa >")
        self.setButtonText(QWizard.WizardButton.CommitButton, "Skicka")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Stäng")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Avbryt")

        self.purpose_page = PurposePage(case)
        self.participants_page = ParticipantsPage(case, convener=session.user)
        self.time_page = TimePlacePage(case, clock=clock)
        self.staff_page = StaffMeetingPage(clock=clock)
        self.review_page = ReviewPage(case)
        self.sent_page = SentPage()
        self.pages: list[KallelsePage] = [self.purpose_page, self.participants_page,
                                          self.time_page, self.staff_page, self.review_page,
                                          self.sent_page]
        for page_id, page in enumerate(self.pages):
            self.setPage(page_id, page)

        if follow_up:
            self.participants_page.setSubTitle(
                "Deltagarna i den senast godkända planen och de som kallades till förra mötet "
                "är redan med. Ta bort den som inte längre är med och lägg till nya. "
                + self.participants_page.subTitle())
        if draft is None:
            draft = InvitationDraft(
                participants=self.participants_page.initial_rows(follow_up=follow_up),
                follow_up=follow_up)
        draft.follow_up = follow_up
        self.draft = draft
        for page in self.pages:
            page.load(draft)
        # What the wizard holds before the user does anything: not worth a draft.
        self._untouched = self._fingerprint(self.collect().to_json())
        # On every page change; not on the -1 QWizard switches to when it closes (reset).
        self.currentIdChanged.connect(self._page_changed)
        self.resize(1040, 740)

    # ---- running it -------------------------------------------------------------------------

    @classmethod
    def ask_resume(cls, parent: QWidget | None) -> bool:
        """A draft exists: continue it (True) or start over (False)."""
        return messages.confirm(
            parent, "Påbörjad kallelse",
            "Du har en kallelse som inte är skickad i det här ärendet. Vill du fortsätta där "
            "du var, eller börja om från början?",
            yes="Fortsätt där du var", no="Börja om")

    @classmethod
    def prepare(cls, parent: QWidget | None, session: Session, case: Case, *,
                follow_up: bool = False, clock: Callable[[], dt.datetime] = now
                ) -> KallelseWizard:
        """The wizard for `case`, with the saved draft if the user wants to continue it."""
        name = FOLLOW_UP_DRAFT_NAME if follow_up else DRAFT_NAME
        saved = drafts.load_draft(session.user, case, name)
        draft: InvitationDraft | None = None
        page = 0
        if saved is not None and cls.ask_resume(parent):
            data = dict(saved)
            page = int(data.pop(PAGE_KEY, 0) or 0)
            try:
                draft = InvitationDraft.from_json(data)
            except (TypeError, ValueError, KeyError) as exc:
                log.warning("an unreadable kallelse draft was ignored: %s", type(exc).__name__)
                page = 0
        wizard = cls(session, case, draft=draft, follow_up=follow_up, clock=clock, parent=parent)
        wizard.resume_page = min(page, cls.REVIEW)
        return wizard

    resume_page = 0

    def start(self) -> None:
        """Show the first page, or walk forward to the page of the continued draft (stopping
        at the first page that has a problem)."""
        self.restart()
        while self.currentId() < self.resume_page:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session, case: Case, *,
            follow_up: bool = False) -> Meeting | None:
        """Run the wizard; the meeting when the kallelse was sent, otherwise None."""
        wizard = cls.prepare(parent, session, case, follow_up=follow_up)
        try:
            wizard.start()
            wizard.exec()
            return wizard.meeting
        finally:
            wizard.deleteLater()

    # ---- the draft --------------------------------------------------------------------------

    def collect(self) -> InvitationDraft:
        """The draft with what every page shows right now."""
        for page in self.pages:
            page.store(self.draft)
        self.draft.follow_up = self.follow_up
        return self.draft

    def draft_data(self) -> dict[str, Any]:
        data = self.collect().to_json()
        data[PAGE_KEY] = max(0, min(self.currentId(), self.REVIEW))
        return data

    def _page_changed(self, page_id: int) -> None:
        if page_id >= 0:
            self.save_draft()

    @staticmethod
    def _fingerprint(data: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in data.items() if k != PAGE_KEY}, default=str,
                          sort_keys=True, ensure_ascii=False)

    def save_draft(self) -> None:
        """Keep what is typed (not after sending: then the draft is gone, and not while the
        wizard is as it opened: an earlier draft the user chose not to continue stays)."""
        if self.meeting is not None:
            return
        data = self.draft_data()
        if self._fingerprint(data) == self._untouched:
            return
        try:
            with storage_errors():
                drafts.save_draft(self.session.user, self.case, self.draft_name, data)
        except StorageError as exc:
            log.error("saving the kallelse draft failed: %s", type(exc).__name__)

    def reject(self) -> None:
        self.save_draft()
        super().reject()

    # ---- sending ------------------------------------------------------------------------------

    def send(self) -> bool:
        draft = self.collect()
        page = self.review_page
        try:
            with storage_errors():
                meeting = invitation.send_invitation(self.session.user, self.case, draft,
                                                     current=self.clock())
        except StorageError as exc:
            log.error("sending a kallelse failed: %s", type(exc).__name__)
            messages.error(self, "Kallelsen kunde inte skickas",
                           "Det gick inte att spara i databasen. Ingenting är skickat och det "
                           "du skrivit finns kvar — kontrollera anslutningen och försök igen.")
            return False
        except ValidationError as problem:
            page.error.setText(problem.message + where_to_fix(problem.field))
            page.error.show()
            return False
        except (PermissionDenied, ConflictError) as problem:
            page.error.setText(problem.message)
            page.error.show()
            return False
        except SipError as problem:
            page.error.setText(problem.message)
            page.error.show()
            return False
        self.meeting = meeting
        try:
            with storage_errors():
                drafts.delete_draft(self.session.user, self.case, self.draft_name)
        except StorageError as exc:
            log.error("deleting the kallelse draft failed: %s", type(exc).__name__)
        log.info("kallelse sent")
        self.sent.emit(meeting)
        return True


_FIELD_PAGES = {
    "purpose": "Syfte", "participants": "Deltagare", "principals": "Deltagare",
    "relatives": "Deltagare", "interpreter": "Deltagare", "contact_details": "Deltagare",
    "starts_at": "Tid och plats", "short_notice_reason": "Tid och plats",
    "minutes": "Tid och plats", "place_reason": "Tid och plats", "video_link": "Tid och plats",
    "staff_meeting_at": "Tjänstemannamöte", "staff_meeting_place": "Tjänstemannamöte",
}


def where_to_fix(field: str | None) -> str:
    page = _FIELD_PAGES.get(field or "")
    return f" Gå tillbaka till sidan {page} och rätta det." if page else ""
