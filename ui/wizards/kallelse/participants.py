"""The kallelse wizard's Deltagare page: who is invited, from the case, the directory and by hand,
and how each is reached. What the case allows was read before the wizard opened
(`InvitationStart`), so the list is checked on every change without the database; the
directory search runs in the operation runner, a moment after the typing stops, and an older
answer is dropped."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework import contacts, guardians
from sipdesk.casework.contacts import DirectoryEntry
from sipdesk.errors import StorageError
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import (
    Check,
    HowInvited,
    InvitationDraft,
    ParticipantInput,
)
from sipdesk.meetings.invitation_start import InvitationStart
from sipdesk.storage.models import ContactKind, PersonContact, User

from ...contacts.model import DirectoryModel
from ...fields import for_search
from ...operations import Operation, report_failure
from ...tables import read_only
from .common import (
    CONVENER_TEXT,
    OUTSIDE_WAYS,
    SEARCH_COLUMNS,
    SEARCH_DELAY_MS,
    KallelsePage,
    app,
    directory_participant,
    error_label,
    log,
    relative_participant,
    same_participant,
    show_warnings,
    warning_box,
)

ADD, FOCUS = "add", "focus"  # what Enter or Down asked for before the search's answer came


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
        read_only(self, row_padding=14, alternating=False, highlight_header=True)
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

    def __init__(self, start: InvitationStart, *, convener: User,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = start.case
        self.rules = rules = start.rules
        self.convener = convener
        self.rows: list[ParticipantInput] = []
        self._tried = False
        self._asked = 0  # the latest search asked for: an older answer is dropped
        self._answered = 0
        self._then: str | None = None
        self.setTitle("Steg 2 av 5 · Deltagare")
        self.setSubTitle("Vilka ska kallas? En SIP behöver minst en från hälso- och sjukvården "
                         "(HSL) och en från socialtjänsten eller LSS, och minst en från regionen "
                         "och en från kommunen.")
        self._consent_text = ""
        self._relatives_note = ""
        if rules.by_consent:
            names = ", ".join(rules.principal_names)
            self._consent_text = f"Samtycket omfattar: {names}."
            self._relatives_note = (
                f"Enligt samtycket: {rules.relatives_to_invite}"
                if rules.relatives_to_invite.strip() else
                "Samtycket säger inget om närstående — fråga den enskilde innan du bjuder in.")
            if rules.guardians:
                self._relatives_note += (" Vårdnadshavarna har själva samtyckt och kan alltid "
                                         "bjudas in.")
        else:
            self._consent_text = "Menprövning är gjord — den enskilde kan inte samtycka."

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
        for contact in start.relatives:
            box = QCheckBox(f"{contact.name} — {ContactKind(contact.kind).label.lower()}"
                            + (f" ({contact.relation})" if contact.relation else ""))
            box.setObjectName(f"relative_{contact.id}")
            if not guardians.informed(contact):  # seed 002: one who may not be told
                box.setEnabled(False)
                box.setToolTip(f"{contact.name} {guardians.withheld_reason(contact)} och kan "
                               "inte bjudas in.")
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
        self.interpreter_needed = rules.needs_interpreter
        self.interpreter_choice = QComboBox()
        self.interpreter_choice.setObjectName("interpreter_choice")
        self.add_interpreter_button = QPushButton("Lägg till tolk")
        self.add_interpreter_button.setObjectName("add_interpreter")
        self.add_interpreter_button.setAutoDefault(False)
        self.add_interpreter_button.clicked.connect(self._add_interpreter)
        self._interpreters = start.interpreters if self.interpreter_needed else []
        for entry in self._interpreters:
            self.interpreter_choice.addItem(f"{entry.name} ({entry.organisation})", entry.id)
        language = QLabel(f"Den enskilde talar {rules.language}. Kallelsen bokar tolken — "
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
        self.search = for_search(QLineEdit())
        self.search.setObjectName("participant_search")
        self.search.setPlaceholderText("Sök på namn, roll, enhet, huvudman eller lag")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök deltagare")
        self.results_model = DirectoryModel(self, columns=SEARCH_COLUMNS)
        self.results = QTableView()
        self.results.setObjectName("participant_results")
        self.results.setAccessibleName("Träffar i Kontakter")
        self.results.setModel(self.results_model)
        read_only(self.results, row_padding=8, alternating=False, wrap=True,
                  stretch_last=False, highlight_header=True)
        header = self.results.horizontalHeader()
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

    @property
    def searching(self) -> bool:
        """The results are not yet those of the text in the search field."""
        return self._timer.isActive() or self._answered != self._asked

    def run_search(self, then: str | None = None) -> None:
        """Search Kontakter for the text in the field, in the operation runner; `then` (ADD
        or FOCUS) is done with the answer."""
        self._timer.stop()
        text = self.search.text()
        self._asked += 1
        asked = self._asked
        self._then = then

        def found(entries: list[DirectoryEntry]) -> None:
            if shiboken6.isValid(self) and asked == self._asked:
                self._answered = asked
                self._show_found(entries)

        def failed(exc: Exception) -> None:
            if not shiboken6.isValid(self) or asked != self._asked:
                return
            self._answered = asked
            if not isinstance(exc, StorageError):
                report_failure(self, exc, "Kontakterna kunde inte hämtas")
                return
            log.error("participant search failed: %s", type(exc).__name__)
            self._show_found([])

        # Answered through the application: the wizard may close while a search runs.
        Operation(app(), lambda: contacts.search_directory(text, limit=50)).success(
            found).failure(failed).run()

    def _when_found(self, then: str) -> None:
        """Enter or Down before the answer for the typed text came: do it with the answer."""
        if self._timer.isActive():
            self.run_search(then)
        else:
            self._then = then

    def _show_found(self, found: list[DirectoryEntry]) -> None:
        self.results_model.set_entries(found)
        if found:
            self.results.selectRow(0)
        then, self._then = self._then, None
        if then == ADD and len(found) == 1:
            self._add_result(self.results_model.index(0, 0))
        elif then == FOCUS and found:
            self.results.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if watched is self.search and event.key() == Qt.Key.Key_Down:
            if self.searching:
                self._when_found(FOCUS)
                return True
            if self.results_model.rowCount():
                self.results.setFocus()
                self.results.selectRow(0)
                return True
        # Enter in the search or the results adds a participant; it must not also press
        # the wizard's "Nästa".
        if watched is self.search and enter:
            if self.searching:
                self._when_found(ADD)
            elif self.results_model.rowCount() == 1:
                self._add_result(self.results_model.index(0, 0))
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
        check = invitation.check_participants(self.case, draft, rules=self.rules)
        show_warnings(self.warnings, check.warnings)
        if self._tried:
            self.error.setText("\n".join(check.problems.values()))
            self.error.setVisible(bool(check.problems))
        return check

    def validatePage(self) -> bool:
        self._tried = True
        return self.refresh_check().ok
