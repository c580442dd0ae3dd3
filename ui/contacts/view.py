"""The Kontakter page: the directory of the usual actors and sipdesk's users, searched as you
type over name, role, organisation, principal, law, phone and e-mail.

Administrators and unit managers (`sipdesk.casework.contacts.can_edit`) add organisations and
contacts
and change contacts; everyone else reads, and the buttons say why they are greyed out. Enter or a
double-click on a contact opens "Ändra…"; Down in the search field moves into the table.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework import contacts
from sipdesk.casework.contacts import Contact, DirectoryEntry, EntryKind
from sipdesk.errors import StorageError
from sipdesk.storage.models import Principal, User

from ..dialogs.contacts_contact import ContactDialog
from ..dialogs.contacts_organisation import OrganisationDialog
from ..fields import for_search
from ..operations import Operation, report_failure
from ..tables import read_only
from .model import DirectoryModel

log = logging.getLogger("sipdesk.ui.contacts")

SEARCH_DELAY_MS = 150
LIMIT = 200
READ_ONLY_TIP = "Bara administratörer och enhetschefer kan ändra i kontakterna."
# Name, role and phone get about what they need (in characters of the current font);
# organisation, principal and e-mail share the rest; kind, law and account fit their contents.
FIXED_CHARS = {0: 15, 1: 17, 7: 12}
STRETCHED = (2, 3, 8)


class DirectoryTable(QTableView):
    """Whole rows, one selected; Enter activates; an empty table says why it is empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.empty_text = ""
        read_only(self)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.activated.emit(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(QRect(area), int(Qt.AlignmentFlag.AlignHCenter
                                              | Qt.AlignmentFlag.AlignTop)
                             | int(Qt.TextFlag.TextWordWrap), self.empty_text)
            painter.end()


class ContactsPage(QWidget):
    """"Kontakter" in the main window's navigation."""

    def __init__(self, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.editable = contacts.can_edit(user)

        heading = QLabel("Kontakter")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        intro = QLabel("Organisationer och personer som ni brukar kalla till SIP, och sipdesks "
                       "användare. Användare får kallelser som meddelanden i sipdesk; övriga "
                       "kallas med brev, telefon eller e-post.")
        intro.setWordWrap(True)

        self.search = for_search(QLineEdit())
        self.search.setObjectName("contact_search")
        self.search.setPlaceholderText(
            "Sök på namn, roll, organisation, huvudman, lag, telefon eller e-post")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök kontakt")
        self.count_label = QLabel()
        self.count_label.setObjectName("contact_count")

        self.new_organisation_button = QPushButton("Ny organisation…")
        self.new_organisation_button.setObjectName("new_organisation")
        self.new_contact_button = QPushButton("Ny kontakt…")
        self.new_contact_button.setObjectName("new_contact")
        self.edit_button = QPushButton("Ändra…")
        self.edit_button.setObjectName("edit_contact")
        for button in (self.new_organisation_button, self.new_contact_button, self.edit_button):
            button.setAutoDefault(False)
        self.new_organisation_button.clicked.connect(self.new_organisation)
        self.new_contact_button.clicked.connect(self.new_contact)
        self.edit_button.clicked.connect(self.edit_selected)
        self.read_only_note = QLabel("Du kan söka och läsa. " + READ_ONLY_TIP)
        self.read_only_note.setObjectName("read_only_note")
        self.read_only_note.setEnabled(False)
        self.read_only_note.setVisible(not self.editable)

        self.model = DirectoryModel(self)
        self.table = DirectoryTable()
        self.table.setObjectName("directory_table")
        self.table.setAccessibleName("Kontakter")
        self.table.setModel(self.model)
        zero = self.fontMetrics().horizontalAdvance("0")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(self.model.columnCount()):
            if column in FIXED_CHARS:
                self.table.setColumnWidth(column, zero * FIXED_CHARS[column])
            else:
                header.setSectionResizeMode(
                    column, QHeaderView.ResizeMode.Stretch if column in STRETCHED
                    else QHeaderView.ResizeMode.ResizeToContents)
        self.table.activated.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.read_only_note, 1)
        buttons.addStretch(1)
        buttons.addWidget(self.new_organisation_button)
        buttons.addWidget(self.new_contact_button)
        buttons.addWidget(self.edit_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(search_row)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self.refresh)
        self.search.installEventFilter(self)
        self._reading = 0  # the latest search asked for: an older answer is dropped
        self._down_waiting = False  # Down in the search before its answer was here
        self.refresh()

    # ---- searching --------------------------------------------------------------------------

    def refresh(self, *, then_select: tuple[EntryKind, int] | None = None,
                clear_if_hidden: bool = False) -> None:
        """Search again with the text in the search field, in the operation runner, keeping
        the selected row (or selecting `then_select`; when the search hides it and
        `clear_if_hidden`, the search is cleared to show it)."""
        self._timer.stop()
        selected = self.selected_entry()
        keep = then_select or ((selected.kind, selected.id) if selected is not None else None)
        text = self.search.text()
        self._reading += 1
        reading = self._reading

        def done(found: list[DirectoryEntry]) -> None:
            if reading == self._reading:
                self._show_found(text, found, keep, clear_if_hidden=clear_if_hidden)

        def failed(exc: Exception) -> None:
            if reading != self._reading:
                return
            if not isinstance(exc, StorageError):
                report_failure(self, exc, "Kontakterna kunde inte hämtas")
                return
            log.error("directory search failed: %s", type(exc).__name__)
            self.model.set_entries([])
            self.table.empty_text = ("Kontakterna kunde inte hämtas. Kontrollera anslutningen "
                                     "och sök igen.")
            self.count_label.setText("")
            self._update_buttons()

        Operation(self, lambda: contacts.search_directory(text, limit=LIMIT + 1)).success(
            done).failure(failed).run()

    def _show_found(self, text: str, found: list[DirectoryEntry],
                    keep: tuple[EntryKind, int] | None, *, clear_if_hidden: bool) -> None:
        self.model.set_entries(found[:LIMIT])
        if found:
            shown = min(len(found), LIMIT)
            self.count_label.setText(
                f"Visar de {LIMIT} första — skriv mer för att hitta rätt" if len(found) > LIMIT
                else ("1 träff" if shown == 1 else f"{shown} träffar"))
        else:
            self.count_label.setText("Inga träffar")
        if text.strip():
            self.table.empty_text = f"Ingen kontakt matchar ”{text.strip()}”."
        elif self.editable:
            self.table.empty_text = ("Kontaktlistan är tom. Lägg till vårdcentralen, psykiatrin "
                                     "och de andra ni brukar kalla med ”Ny organisation…”.")
        else:
            self.table.empty_text = "Kontaktlistan är tom."
        if keep is not None and not self.select(*keep) and clear_if_hidden and text:
            self.search.clear()
            self.refresh(then_select=keep)
            return
        self.table.viewport().update()
        self._update_buttons()
        if self._down_waiting:
            self._down_waiting = False
            self._into_list()

    def selected_entry(self) -> DirectoryEntry | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.entry(rows[0].row()) if rows else None

    def select(self, kind: EntryKind, entry_id: int) -> bool:
        row = self.model.row_of(kind, entry_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # ---- editing ------------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        entry = self.selected_entry()
        for button in (self.new_organisation_button, self.new_contact_button):
            button.setEnabled(self.editable)
            button.setToolTip("" if self.editable else READ_ONLY_TIP)
        if not self.editable:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip(READ_ONLY_TIP)
        elif entry is None:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip("Välj en kontakt i listan.")
        elif entry.kind is EntryKind.USER:
            self.edit_button.setEnabled(False)
            self.edit_button.setToolTip(
                f"{entry.name} är användare i sipdesk; användarens uppgifter ändras inte här.")
        else:
            self.edit_button.setEnabled(True)
            self.edit_button.setToolTip(f"Ändra {entry.name} (Enter)")

    def new_organisation(self) -> None:
        if not self.editable:
            return

        def read(principals: list[Principal]) -> None:
            if OrganisationDialog.ask(self, self.user, principals) is not None:
                self.refresh()

        Operation(self, contacts.principals, title="Huvudmännen kunde inte läsas").success(
            read).run()

    def new_contact(self) -> None:
        if not self.editable:
            return
        entry = self.selected_entry()
        beside = entry.id if entry is not None and entry.kind is EntryKind.CONTACT else None

        def saved(contact: Contact) -> None:
            self.search.clear()
            self.refresh(then_select=(EntryKind.CONTACT, contact.id))

        ContactDialog.open_for(self, self.user, beside=beside, then=saved)

    def edit_selected(self) -> None:
        entry = self.selected_entry()
        if not self.editable or entry is None or entry.kind is not EntryKind.CONTACT:
            return

        def saved(contact: Contact) -> None:
            self.refresh(then_select=(EntryKind.CONTACT, contact.id), clear_if_hidden=True)
            self.table.setFocus()

        ContactDialog.open_for(self, self.user, contact_id=entry.id, then=saved)
        self.table.setFocus()

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.table.selectRow(index.row())
            self.edit_selected()

    # ---- events -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down):
            if self._timer.isActive():
                self._down_waiting = True  # typed faster than the pause: search now, then go
                self.refresh()
                return True
            if self.model.rowCount() > 0:
                self._into_list()
                return True
        return super().eventFilter(watched, event)

    def _into_list(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # someone else may have added a contact since the page was last shown
