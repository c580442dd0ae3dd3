"""Building blocks of the dokumentationsstöd's pages: the participants table, a principal's
section of interventions, the rows of actions by others, and small layout helpers.

They show what the core returns and call the core's use cases through the plan dialogs; none
of them queries the database itself.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.plans import plan
from sipdesk.plans.plan import Intervention, InterventionStatus, PlanParticipant
from sipdesk.plans.plan_documentation import OthersValue, PartView
from sipdesk.plans.plan_lists import OtherRow

from ..fields import limited
from ..tables import read_only

HELP_STYLE = ("QLabel { color: #24425f; background: #eef4fb; border-left: 3px solid #7aa7d6;"
              " padding: 6px 10px; }")
MISSING = "saknas"
MISSING_COLOR = QColor("#b00020")
GOOD_STYLE = "color: #1e6b34;"
BAD_STYLE = "color: #b00020;"


def help_label(text: str) -> QLabel:
    """The conversation support of seed 003 step 3, shortened for this page."""
    label = QLabel(text)
    label.setObjectName("page_help")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(HELP_STYLE)
    return label


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def button(text: str, *, name: str, tooltip: str = "") -> QPushButton:
    found = QPushButton(text)
    found.setObjectName(name)
    found.setAutoDefault(False)
    if tooltip:
        found.setToolTip(tooltip)
    return found


def _cell(text: str, *, required: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text if text.strip() or not required else MISSING)
    item.setToolTip(text)
    if required and not text.strip():
        item.setForeground(QBrush(MISSING_COLOR))
        item.setToolTip("Behövs innan planen kan godkännas")
    return item


class KeyTable(QTableWidget):
    """Enter opens the selected row, Delete removes it."""

    open_requested = Signal(int)
    remove_requested = Signal(int)
    _fitting = False
    def fit_rows(self) -> None:
        """Wrap long texts and be as tall as the rows (the page scrolls), again whenever the
        columns change width."""
        if not self._fitting:
            self._fitting = True
            self.setWordWrap(True)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            # A bound slot, not a lambda: Qt drops the connection when the table goes, so a
            # header resized while the wizard is torn down no longer calls into a deleted
            # table ("Internal C++ object already deleted" in the event loop).
            self.horizontalHeader().sectionResized.connect(self._fit_height_later)
        self.fit_height()

    def _fit_height_later(self, *_args: object) -> None:
        """After the layout has settled; the timer goes with the table if it is deleted."""
        QTimer.singleShot(0, self, self.fit_height)

    def fit_height(self) -> None:
        self.resizeRowsToContents()
        least = self.verticalHeader().defaultSectionSize()
        for row in range(self.rowCount()):
            self.setRowHeight(row, max(least, self.rowHeight(row) + 8))
        rows = sum(self.rowHeight(r) for r in range(self.rowCount())) or \
            self.verticalHeader().defaultSectionSize()
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth() + rows + 2
        if self.height() != height:
            self.setFixedHeight(height)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        row = self.currentRow()
        if row >= 0 and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit(row)
            event.accept()
            return
        if row >= 0 and event.key() == Qt.Key.Key_Delete:
            self.remove_requested.emit(row)
            event.accept()
            return
        super().keyPressEvent(event)


def _key_table(columns: tuple[str, ...], *, name: str) -> KeyTable:
    table = KeyTable(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    read_only(table, row_padding=12, alternating=False, highlight_header=True)
    table.doubleClicked.connect(lambda index: table.open_requested.emit(index.row()))
    return table


# ---- participants -----------------------------------------------------------------------------

PARTICIPANT_COLUMNS = ("Namn", "Initialer", "Yrke", "Organisation", "Huvudman", "Kontakt")


class ParticipantsTable(QWidget):
    """Who took part, with what is still missing in red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _key_table(PARTICIPANT_COLUMNS, name="plan_participants")
        self.table.setAccessibleName("Deltagare i planen")
        zero = self.table.fontMetrics().horizontalAdvance("0")
        for column, chars in enumerate((16, 8, 17, 22, 18)):
            self.table.setColumnWidth(column, zero * chars)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rows: list[PlanParticipant] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def show_rows(self, rows: list[PlanParticipant], principal_names: dict[int, str]) -> None:
        self.rows = rows
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            principal = principal_names.get(row.principal_id or 0, "")
            needed = plan.required_fields(row)
            for column, (text, required) in enumerate((
                    (row.name, False), (row.initials, "initials" in needed),
                    (row.profession, "profession" in needed),
                    (row.organisation, "organisation" in needed), (principal, False),
                    (row.contact, "contact" in needed))):
                self.table.setItem(index, column, _cell(text, required=required))
        self.table.fit_rows()

    def selected(self) -> PlanParticipant | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None


# ---- one principal's interventions ------------------------------------------------------------

INTERVENTION_COLUMNS = ("Vad", "För vilket mål", "Enhet", "Ansvarig", "När / hur ofta",
                        "Från – till", "Status")


def period_text(item: Intervention) -> str:
    if not item.starts_on and not item.ends_on:
        return ""
    start = item.starts_on.isoformat() if item.starts_on else ""
    end = item.ends_on.isoformat() if item.ends_on else ""
    return f"{start} – {end}".strip(" –") if start and end else (
        f"från {start}" if start else f"till {end}")


class PrincipalSection(QGroupBox):
    """A principal's part: its interventions, who writes them, finished or not, and — for
    those who may write it — add, change, remove, "Vi gör inget" and "Markera delen som klar"."""

    add_requested = Signal(int, bool)  # principal id, no action
    edit_requested = Signal(int, int)  # principal id, intervention id
    remove_requested = Signal(int, int)
    finish_requested = Signal(int)

    def __init__(self, part: PartView, items: list[Intervention], *, read_only: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        own, writable = part.own, part.writable
        self.title_label = heading(part.name)
        self.title_label.setObjectName("section_title")
        self.principal_id = part.principal_id
        self.setObjectName(f"section_{part.principal_id}")
        self.items = items
        if own:
            who = "Din huvudmans del — du skriver den."
        elif writable:
            who = ("Du skriver för huvudmannens räkning (ingen av deras deltagare har konto i "
                   "sipdesk).")
        else:
            who = "Skrivs av huvudmannens egna deltagare — du kan läsa."
        state = (f"Klar {part.finished_at:%Y-%m-%d}"
                 + (f" ({part.finished_by})" if part.finished_by else "")
                 if part.finished_at else "Inte klar ännu")
        self.state = QLabel(f"{who}  ·  {state}")
        self.state.setObjectName("section_state")
        self.state.setWordWrap(True)
        self.table = _key_table(INTERVENTION_COLUMNS, name=f"interventions_{part.principal_id}")
        zero = self.table.fontMetrics().horizontalAdvance("0")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, chars in enumerate((0, 16, 13, 13, 15, 12, 12)):
            if chars:
                self.table.setColumnWidth(column, zero * chars)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setRowCount(len(items))
        for index, item in enumerate(items):
            texts = ((item.what, "", "", "", "", "", "Vi gör inget") if item.no_action else
                     (item.what, item.goal, item.unit, item.responsible, item.how_often,
                      period_text(item), InterventionStatus(item.status).label))
            for column, text in enumerate(texts):
                self.table.setItem(index, column, _cell(text))
        # Long texts wrap: the table is as tall as its rows (the page scrolls), nothing cut.
        self.table.fit_rows()
        self.empty = QLabel("Inget skrivet ännu. Skriv insatserna — eller en mening om att ni "
                            "inte gör något.")
        self.empty.setObjectName("section_empty")
        self.empty.setStyleSheet(BAD_STYLE)
        self.empty.setVisible(not items)

        self.add_button = button("Lägg till insats…", name=f"add_{part.principal_id}")
        self.none_button = button("Vi gör inget…", name=f"no_action_{part.principal_id}",
                                  tooltip="Skriv en mening om att ni inte gör något just nu")
        self.edit_button = button("Ändra…", name=f"edit_{part.principal_id}")
        self.remove_button = button("Ta bort", name=f"remove_{part.principal_id}")
        self.finish_button = button("Markera delen som klar", name=f"finish_{part.principal_id}")
        self.add_button.clicked.connect(lambda: self.add_requested.emit(self.principal_id, False))
        self.none_button.clicked.connect(lambda: self.add_requested.emit(self.principal_id, True))
        self.edit_button.clicked.connect(self._edit_selected)
        self.remove_button.clicked.connect(self._remove_selected)
        self.finish_button.clicked.connect(lambda: self.finish_requested.emit(self.principal_id))
        self.table.open_requested.connect(lambda _row: self._edit_selected())
        self.table.remove_requested.connect(lambda _row: self._remove_selected())
        buttons = QHBoxLayout()
        for found in (self.add_button, self.none_button, self.edit_button, self.remove_button):
            buttons.addWidget(found)
        buttons.addStretch(1)
        buttons.addWidget(self.finish_button)
        may = writable and not read_only
        for found in (self.add_button, self.none_button, self.edit_button, self.remove_button,
                      self.finish_button):
            found.setVisible(may)
        if may:
            self.finish_button.setEnabled(bool(items) and part.finished_at is None)
            self.finish_button.setToolTip(
                "Delen är redan klar" if part.finished_at else
                "" if items else "Skriv minst en insats — eller att ni inte gör något — först")
            self.edit_button.setEnabled(bool(items))
            self.remove_button.setEnabled(bool(items))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.state)
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)

    def _selected_id(self) -> int | None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.items):
            row = 0 if len(self.items) == 1 else -1
        return self.items[row].id if 0 <= row < len(self.items) else None

    def _edit_selected(self) -> None:
        found = self._selected_id()
        if found is not None and self.edit_button.isVisible():
            self.edit_requested.emit(self.principal_id, found)

    def _remove_selected(self) -> None:
        found = self._selected_id()
        if found is not None and self.remove_button.isVisible():
            self.remove_requested.emit(self.principal_id, found)


# ---- actions by others ------------------------------------------------------------------------

class OthersEditor(QWidget):
    """Rows of who / what / when, and "Inga åtgärder av andra". A row is saved once it has both
    who and what; a row that has only one of them stays on screen and says so."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[QLineEdit, QLineEdit, QLineEdit, QToolButton]] = []
        self.read_only = False
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(6)
        for column, text in enumerate(("Vem", "Vad", "När")):
            self.grid.addWidget(heading(text), 0, column)
        self.grid.setColumnStretch(0, 2)
        self.grid.setColumnStretch(1, 4)
        self.grid.setColumnStretch(2, 2)
        self.add_button = button("Lägg till åtgärd", name="add_other")
        self.add_button.clicked.connect(self._add_clicked)
        self.none = QCheckBox("Inga åtgärder av andra än kommun och region")
        self.none.setObjectName("others_none")
        self.none.toggled.connect(lambda _c: self.changed.emit())
        self.incomplete = QLabel("En rad sparas när både vem och vad är ifyllda.")
        self.incomplete.setObjectName("others_incomplete")
        self.incomplete.setStyleSheet("color: palette(placeholder-text);")
        self.incomplete.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.incomplete)
        layout.addWidget(self.none)

    def _add_clicked(self) -> None:
        self.add_row("", "", "")
        self.rows[-1][0].setFocus()

    def add_row(self, who: str, what: str, when: str) -> None:
        line = len(self.rows) + 1
        edits = []
        for column, (text, name, placeholder) in enumerate((
                (who, "who", "t.ex. Dottern Greta"), (what, "what", "t.ex. Handlar på lördagar"),
                (when, "when", "t.ex. varje vecka"))):
            edit = limited(QLineEdit(), getattr(plan.OtherAction, name))
            edit.setText(text)
            edit.setObjectName(f"other_{name}_{line - 1}")
            edit.setPlaceholderText(placeholder)
            edit.textEdited.connect(self._edited)
            self.grid.addWidget(edit, line, column)
            edits.append(edit)
        remove = QToolButton()
        remove.setText("✕")
        remove.setObjectName(f"other_remove_{line - 1}")
        remove.setToolTip("Ta bort raden")
        remove.setAccessibleName("Ta bort raden")
        self.grid.addWidget(remove, line, 3)
        for edit in edits:
            edit.setReadOnly(self.read_only)
        remove.setVisible(not self.read_only)
        entry = (edits[0], edits[1], edits[2], remove)
        remove.clicked.connect(lambda: self._remove(entry))
        self.rows.append(entry)
        self._check_incomplete()

    def _remove(self, entry: tuple[QLineEdit, QLineEdit, QLineEdit, QToolButton]) -> None:
        values = [(w.text(), t.text(), n.text()) for w, t, n, _r in self.rows if
                  (w, t, n, _r) != entry]
        self._rebuild(values)
        self.changed.emit()

    def _edited(self, _text: str) -> None:
        self._check_incomplete()
        self.changed.emit()

    def _check_incomplete(self) -> None:
        self.incomplete.setVisible(any(bool(w.text().strip()) != bool(t.text().strip())
                                       for w, t, _n, _r in self.rows))

    def _rebuild(self, values: list[OtherRow]) -> None:
        for entry in self.rows:
            for widget in entry:
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []
        for who, what, when in values:
            self.add_row(who, what, when)
        self._check_incomplete()

    # ---- the value the saver reads and writes ----------------------------------------------

    def value(self) -> OthersValue:
        complete = tuple((w.text().strip(), t.text().strip(), n.text().strip())
                         for w, t, n, _r in self.rows if w.text().strip() and t.text().strip())
        return complete, self.none.isChecked()

    def set_value(self, value: OthersValue) -> None:
        """Show the stored rows; rows still being written (only who or what) are kept."""
        rows, none = value
        unfinished = [(w.text(), t.text(), n.text()) for w, t, n, _r in self.rows
                      if bool(w.text().strip()) != bool(t.text().strip())]
        self._rebuild([*rows, *unfinished])
        self.none.blockSignals(True)
        self.none.setChecked(none)
        self.none.blockSignals(False)

    def set_read_only(self, read_only: bool) -> None:
        self.read_only = read_only
        for who, what, when, remove in self.rows:
            for edit in (who, what, when):
                edit.setReadOnly(read_only)
            remove.setVisible(not read_only)
        self.add_button.setVisible(not read_only)
        self.none.setEnabled(not read_only)


def others_text(value: OthersValue) -> str:
    rows, none = value
    if none and not rows:
        return "Inga åtgärder av andra"
    if not rows:
        return "(tomt)"
    return "; ".join(f"{who}: {what}" + (f" ({when})" if when else "")
                     for who, what, when in rows)
