"""The case list page: the filter bar over a table of cases.

The table is sortable by clicking a header; the sort column and order, the scope, the status
filter and the widths the user dragged are remembered between sessions (window state, not
preferences). The columns fit the window without scrolling sideways (`fit_columns`, at 1280 px
too): the name column takes the room the others leave, a column of fixed format (case number,
personal number, date) is as wide as that format, the others as wide as the rows on screen need
— and when the window is too narrow they give way down to a minimum, their texts cut with "…"
and shown whole as a tooltip. Enter or
a double-click opens the case (`open_case`). `first_painted` is emitted once, the first time the
table has painted with its first page of rows (used by the smoke test and the start-up
benchmark).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
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

from sipdesk.desk.cases import CaseFilter, Scope
from sipdesk.storage.models import User

from ..tables import paint_empty_text, read_only
from ..window_state import read_int, read_str, window_state
from .filter_bar import OPEN_ONLY, CaseFilterBar
from .model import COLUMNS, NAME_COLUMN, NEXT_DATE_COLUMN, NUMBER_COLUMN, CaseListModel

log = logging.getLogger("sipdesk.ui.case_list")

KEY_SORT_COLUMN = "case_list/sort_column"
KEY_SORT_ORDER = "case_list/sort_order"
# Only the widths the user dragged, as "column=width,…" (the old key held every width, the
# ones that made the list scroll sideways at 1280 px among them: it is not read any more).
KEY_WIDTHS = "case_list/user_column_widths"
KEY_SCOPE = "case_list/scope"
KEY_STATUS = "case_list/status"


def _column(header: str) -> int:
    return [c.header for c in COLUMNS].index(header)


PNR_COLUMN, STATUS_COLUMN = _column("Personnummer"), _column("Status")
COORDINATOR_COLUMN, UNIT_COLUMN = _column("Samordningsansvarig"), _column("Enhet")
CONSENT_COLUMN = _column("Samtycke")
# Columns of a fixed format: as wide as the widest text of that format (an icon before it where
# the column has a marker).
FIXED_SAMPLES = {NUMBER_COLUMN: ("SIP-2026-0000", True), PNR_COLUMN: ("19121212-1212", False),
                 NEXT_DATE_COLUMN: ("2026-12-31", False)}
# Formats no cell can exceed: a personal number, an ISO date (a case number may outgrow its
# sample: a year's 10,000th case).
EXACT_FORMATS = {PNR_COLUMN, NEXT_DATE_COLUMN}
# When the window is too narrow for every column's content, these give way, group by group,
# down to their minimum (in widths of "0"): names and units first, then the status, the consent
# last (its date matters).
GIVE_WAY: tuple[tuple[int, ...], ...] = (
    (COORDINATOR_COLUMN, UNIT_COLUMN), (STATUS_COLUMN,), (CONSENT_COLUMN,))
MIN_CHARS = {COORDINATOR_COLUMN: 10, UNIT_COLUMN: 10, STATUS_COLUMN: 12, CONSENT_COLUMN: 16}
NAME_MIN_CHARS = 14
MAX_CHARS = 36  # a very long unit name does not take the whole row
CELL_PADDING = 14  # beside the text in a cell, px
ROWS_MEASURED = 60  # about two screens of rows: what fitting the columns looks at


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
    width_changed = Signal()  # the viewport got wider or narrower: the columns fit again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""
        self._painted = False
        self._viewport_width = -1
        # Fixed row heights: the view never measures 100,000 rows.
        read_only(self, fixed_rows=True)
        header = self.horizontalHeader()
        # Fitting a column measures this many rows from the top of the screen, not Qt's
        # default 1,000: with 100,000 cases that alone cost most of the start-up.
        header.setResizeContentsPrecision(ROWS_MEASURED)
        header.setHighlightSections(False)
        header.setSortIndicatorShown(True)
        self.arrow_style = SortArrowStyle()  # kept: the header does not own its style
        header.setStyle(self.arrow_style)
        header.setSectionsClickable(True)
        header.setStretchLastSection(False)  # the name column stretches (CaseListView)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.doubleClicked.connect(self._open_index)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.viewport().width() != self._viewport_width:
            self._viewport_width = self.viewport().width()
            self.width_changed.emit()

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
        paint_empty_text(self, self._empty_text)
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
        self._fitting = False
        self._user_widths: dict[int, int] = {}  # the columns the user dragged wider or narrower
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
        self._enter_waiting = False  # Enter in the search, before its count was here
        self.filter_bar.search.returnPressed.connect(self._search_entered)
        self.filter_bar.search.installEventFilter(self)
        self.model.count_changed.connect(self._count_changed)
        self.model.load_failed.connect(self._show_error)
        self.table.open_requested.connect(self._open_row)
        self.table.first_painted.connect(self.first_painted)
        header = self.table.horizontalHeader()
        header.sortIndicatorChanged.connect(self._remember_sort)
        header.sectionResized.connect(self._remember_widths)
        self.table.width_changed.connect(self.fit_columns)
        self.model.count_changed.connect(lambda _count: self.fit_columns())
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
        # The filter is already applied (the bar announces at once on Enter); while its count
        # is on its way, this waits for it. One match: open it; several: go to the first, so
        # Enter again opens it.
        if self.model.loading:
            self._enter_waiting = True
            return
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
        if self._enter_waiting:
            self._enter_waiting = False
            self._search_entered()

    def _empty_text(self) -> str:
        flt = self.model.case_filter
        if flt.text.strip():
            return ("Inga ärenden matchar sökningen. "
                    "Kontrollera stavningen, eller välj Alla och Alla statusar.")
        if self.model.none_at_all:
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
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch if column == NAME_COLUMN
                else QHeaderView.ResizeMode.Interactive)
        for pair in read_str(state, KEY_WIDTHS, "").split(","):
            column_text, _, width_text = pair.partition("=")
            if column_text.isdigit() and width_text.isdigit():
                column = int(column_text)
                if 0 <= column < len(COLUMNS) and column != NAME_COLUMN:
                    self._user_widths[column] = max(40, min(int(width_text), 1000))
        self.fit_columns()
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

    def _remember_widths(self, column: int, _old: int, new: int) -> None:
        if self._fitting or column == NAME_COLUMN:
            return  # not the user's doing
        self._user_widths[column] = new
        window_state().setValue(
            KEY_WIDTHS, ",".join(f"{c}={w}" for c, w in sorted(self._user_widths.items())))

    # ---- fitting the columns to the window --------------------------------------------------

    def fit_columns(self) -> None:
        """Every column on screen without scrolling sideways, as far as the window allows."""
        header = self.table.horizontalHeader()
        available = self.table.viewport().width()
        if available <= 0 or header.count() != len(COLUMNS):
            return
        char = self.table.fontMetrics().horizontalAdvance("0")
        want: dict[int, int] = {}
        least: dict[int, int] = {}
        for column in range(len(COLUMNS)):
            if column == NAME_COLUMN:
                continue
            if column in self._user_widths:
                want[column] = least[column] = self._user_widths[column]
                continue
            need = min(max(self._header_need(column), self._content_need(column)),
                       MAX_CHARS * char)
            want[column] = need
            least[column] = min(need, MIN_CHARS[column] * char) if column in MIN_CHARS else need
        excess = sum(want.values()) + NAME_MIN_CHARS * char - available
        for group in GIVE_WAY:
            if excess <= 0:
                break
            room = sum(want[c] - least[c] for c in group)
            if room <= 0:
                continue
            take = min(excess, room)
            taken = 0
            for position, c in enumerate(group):
                share = (take - taken if position == len(group) - 1
                         else take * (want[c] - least[c]) // room)
                want[c] -= share
                taken += share
            excess -= take
        self._fitting = True
        try:
            for column, width in want.items():
                if header.sectionSize(column) != width:
                    header.resizeSection(column, width)
        finally:
            self._fitting = False

    def _header_need(self, column: int) -> int:
        """The header's text, its margins and room for the sort arrow."""
        header = self.table.horizontalHeader()
        style = header.style()
        margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        arrow = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header)
        text = header.fontMetrics().horizontalAdvance(COLUMNS[column].header)
        return text + 4 * margin + arrow

    def _content_need(self, column: int) -> int:
        """The widest text among the rows on screen (`ROWS_MEASURED` from the top); for a
        fixed format, its widest text — and for a format that cannot vary (`EXACT_FORMATS`),
        only that, without measuring the rows (it is read at every start)."""
        sample = FIXED_SAMPLES.get(column)
        need = 0
        if sample is None or column not in EXACT_FORMATS:
            need = self.table.sizeHintForColumn(column) + CELL_PADDING // 2
        if sample is not None:
            text, marked = sample
            icon = self.table.iconSize().width() if self.table.iconSize().isValid() else 0
            icon = icon or self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
            need = max(need, self.table.fontMetrics().horizontalAdvance(text) + CELL_PADDING
                       + (icon + 4 if marked else 0))
        return need
