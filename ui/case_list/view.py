"""The case list page: the filter bar over a table of cases.

The table is sortable by clicking a header; column widths, the sort column and order, the scope
and the status filter are remembered between sessions (window state, not preferences). Enter or
a double-click opens the case (`open_case`). `first_painted` is emitted once, the first time the
table has painted with its first page of rows (used by the smoke test and the start-up
benchmark).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, QRect, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionHeader,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.cases import CaseFilter, Scope, count_cases
from sipdesk.models import User

from ..window_state import read_int, read_str, window_state
from .filter_bar import OPEN_ONLY, CaseFilterBar
from .model import COLUMNS, CaseListModel

log = logging.getLogger("sipdesk.ui.case_list")

KEY_SORT_COLUMN = "case_list/sort_column"
KEY_SORT_ORDER = "case_list/sort_order"
KEY_WIDTHS = "case_list/column_widths"
KEY_SCOPE = "case_list/scope"
KEY_STATUS = "case_list/status"

# Roughly what each column needs, in characters of the current font ("0" wide).
DEFAULT_WIDTHS_CHARS = (15, 22, 15, 20, 20, 28, 12)


_FLIPPED = {
    QStyleOptionHeader.SortIndicator.SortUp: QStyleOptionHeader.SortIndicator.SortDown,
    QStyleOptionHeader.SortIndicator.SortDown: QStyleOptionHeader.SortIndicator.SortUp,
}


class SortArrowStyle(QProxyStyle):
    """The header's sort arrow as people read it (Explorer, Finder, Excel): ▲ when the
    smallest comes first (A → Ö, SIP-2026-0001 first), ▼ when the largest does. Qt's header
    asks for its "up" arrow for a descending order, so Fusion showed ▲ over a list that runs
    from the newest case down."""

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if (element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow
                and isinstance(option, QStyleOptionHeader)):
            flipped = QStyleOptionHeader(option)
            flipped.sortIndicator = _FLIPPED.get(option.sortIndicator, option.sortIndicator)
            option = flipped
        super().drawPrimitive(element, option, painter, widget)


class CaseTableView(QTableView):
    """The table: one row per case, whole rows selected, Enter opens, empty state explained."""

    open_requested = Signal(int)  # row
    first_painted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""
        self._painted = False
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setCornerButtonEnabled(False)
        self.setTabKeyNavigation(False)
        vertical = self.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        self.arrow_style = SortArrowStyle()  # kept: the header does not own its style
        header.setStyle(self.arrow_style)
        header.setSectionsClickable(True)
        header.setStretchLastSection(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.doubleClicked.connect(self._open_index)

    def set_empty_text(self, text: str) -> None:
        """What the empty table says (e.g. why there is nothing to show)."""
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._open_index(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is None:
            return
        if model.rowCount() == 0 and self._empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                QRect(area), int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap), self._empty_text,
            )
            painter.end()
        if not self._painted and isinstance(model, CaseListModel) and model.first_page_ready():
            self._painted = True
            self.first_painted.emit()

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(index.row())


class CaseListView(QWidget):
    """The "Ärenden" page: filter bar, table and the count."""

    open_case = Signal(int)  # case id
    first_painted = Signal()

    def __init__(self, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        state = window_state()
        scope_value = read_str(state, KEY_SCOPE, Scope.MINE.value)
        scope = Scope(scope_value) if scope_value in Scope._value2member_map_ else Scope.MINE
        self.filter_bar = CaseFilterBar(
            scope=scope, status=read_str(state, KEY_STATUS, OPEN_ONLY),
        )
        self.model = CaseListModel(user, self)
        self.table = CaseTableView()
        self.table.setObjectName("case_table")
        self.table.setAccessibleName("Ärendelista")
        self.table.setModel(self.model)
        self.error_label = QLabel()
        self.error_label.setObjectName("case_list_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.error_label)
        layout.addWidget(self.table, 1)

        self._restore_columns()
        self.filter_bar.filter_changed.connect(self._filter_changed)
        self.filter_bar.search.returnPressed.connect(self._search_entered)
        self.filter_bar.search.installEventFilter(self)
        self.model.count_changed.connect(self._count_changed)
        self.model.load_failed.connect(self._show_error)
        self.table.open_requested.connect(self._open_row)
        self.table.first_painted.connect(self.first_painted)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._remember_sort)
        header.sectionResized.connect(self._remember_widths)
        self.model.set_filter(self.filter_bar.current_filter())

    # ---- what the main window uses ---------------------------------------------------

    def refresh(self) -> None:
        """Count and fetch again (after a new case, or when the user presses F5)."""
        self.error_label.hide()
        self.model.refresh()

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def select_case(self, case_id: int) -> bool:
        """Select the row of `case_id` if it is among the rows fetched so far."""
        row = self.model.row_of_case(case_id)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    # ---- reacting -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down arrow in the search field moves into the list, onto the first case.
        if (
            watched is self.filter_bar.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self.filter_bar.apply_now()
            self._focus_first_row()
            return True
        return super().eventFilter(watched, event)

    def _filter_changed(self, flt: CaseFilter) -> None:
        self.error_label.hide()
        self.model.set_filter(flt)
        state = window_state()
        state.setValue(KEY_SCOPE, flt.scope.value)
        state.setValue(KEY_STATUS, self.filter_bar.status_key())

    def _search_entered(self) -> None:
        # The filter is already applied (the bar announces at once on Enter). One match: open
        # it; several: go to the first, so Enter again opens it.
        count = self.model.rowCount()
        if count == 1:
            self._open_row(0)
        elif count > 1:
            self._focus_first_row()

    def _focus_first_row(self) -> None:
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.selectRow(0)

    def _open_row(self, row: int) -> None:
        try:
            case_id = self.model.case_id(row)
        except IndexError:
            return
        self.open_case.emit(case_id)

    def _count_changed(self, count: int) -> None:
        self.filter_bar.set_count(count)
        self.table.set_empty_text(self._empty_text() if count == 0 else "")

    def _empty_text(self) -> str:
        flt = self.model.case_filter
        if flt.text.strip():
            return ("Inga ärenden matchar sökningen. "
                    "Kontrollera stavningen, eller välj Alla och Alla statusar.")
        if count_cases(CaseFilter(), self.user) == 0:
            return "Det finns inga ärenden ännu. Skapa det första med Nytt ärende (Ctrl+N)."
        if flt.scope is Scope.MINE:
            return ("Du är inte samordningsansvarig för något ärende som matchar filtret. "
                    "Välj Enhetens eller Alla för att se fler ärenden.")
        if flt.scope is Scope.UNIT:
            return "Enheten har inga ärenden som matchar filtret."
        if flt.statuses or flt.open_only:
            return "Inga ärenden har den valda statusen."
        return "Det finns inga ärenden ännu. Skapa det första med Nytt ärende (Ctrl+N)."

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    # ---- remembering columns ----------------------------------------------------------------

    def _restore_columns(self) -> None:
        state = window_state()
        header = self.table.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("0")
        stored = read_str(state, KEY_WIDTHS, "").split(",")
        for column, default_chars in enumerate(DEFAULT_WIDTHS_CHARS[: len(COLUMNS) - 1]):
            try:
                width = int(stored[column])
            except (IndexError, ValueError):
                width = default_chars * char
            header.resizeSection(column, max(40, min(width, 1000)))
        column = read_int(state, KEY_SORT_COLUMN, 0)
        if not 0 <= column < len(COLUMNS):
            column = 0
        order = (
            Qt.SortOrder.AscendingOrder if read_str(state, KEY_SORT_ORDER, "desc") == "asc"
            else Qt.SortOrder.DescendingOrder
        )
        header.setSortIndicator(column, order)
        self.model.sort(column, order)
        self.table.setSortingEnabled(True)

    def _remember_sort(self, column: int, order: Qt.SortOrder) -> None:
        state = window_state()
        state.setValue(KEY_SORT_COLUMN, column)
        state.setValue(
            KEY_SORT_ORDER, "asc" if order == Qt.SortOrder.AscendingOrder else "desc"
        )

    def _remember_widths(self, _column: int, _old: int, _new: int) -> None:
        header = self.table.horizontalHeader()
        widths = [str(header.sectionSize(c)) for c in range(len(COLUMNS) - 1)]
        window_state().setValue(KEY_WIDTHS, ",".join(widths))
