"""The case list as a Qt table model over the database (Anki's browser DataModel habit).

Besides the case data, the "Samtycke" column shows the consent state (warning colour and a
marker 30 days before it lapses), and the case number carries a marker with the tooltip "Något
väntar på dig i ärendet" when `CaseRow.waiting` — both from the row itself, no extra queries.

The model never holds all rows: `rowCount()` is the count for the current filter, and rows are
fetched a page at a time (`sipdesk.desk.cases.fetch_cases`) when the view first asks for one of them
in `data()`. Pages are cached, and only the most recently used ones are kept, so scrolling
through 100,000 cases stays within a few thousand rows in memory. Sorting and a new filter reset
the model (`beginResetModel`/`endResetModel`). No SQL here: the core does the querying.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from sipdesk import clock
from sipdesk.casework.consent import MUST_CONSENT_THEMSELVES, consent_state
from sipdesk.casework.guardians import NEEDS_OWN_CONSENT
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter, CaseRow, SortKey
from sipdesk.storage.models import CaseStatus, User
from ui.paged_rows import PagedRows

log = logging.getLogger("sipdesk.ui.case_list")

PAGE_SIZE = 200

CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_ROLES_SHOWN = frozenset(
    {int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole), int(CASE_ID_ROLE),
     int(Qt.ItemDataRole.DecorationRole), int(Qt.ItemDataRole.ForegroundRole)}
)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)

ModelIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    sort_key: SortKey
    text: Callable[[CaseRow], str]


def consent_text(row: CaseRow, today: dt.date) -> tuple[str, bool]:
    """The consent column: the core's consent state and whether it warns. A case that has
    ended shows nothing — its consent no longer matters."""
    if not row.status.is_open:
        return "", False
    state = consent_state(row.consent_basis, row.consent_valid_until, today=today,
                          adult_on=row.adult_on)
    return state.text, state.warn


COLUMNS: tuple[Column, ...] = (
    Column("Ärendenummer", SortKey.NUMBER, lambda r: r.number),
    Column("Namn", SortKey.NAME, lambda r: r.person_name),
    Column("Personnummer", SortKey.PERSONAL_NUMBER, lambda r: r.personal_number),
    Column("Status", SortKey.STATUS, lambda r: r.status.label),
    Column("Samordningsansvarig", SortKey.COORDINATOR, lambda r: r.coordinator),
    Column("Enhet", SortKey.UNIT, lambda r: r.unit),
    # ISO 8601 is the Swedish date format (SS-ISO 8601): 2026-03-14.
    # An ended case has no next date (sipdesk.desk.next_step); a case closed before closing cleared
    # the stored date may still carry one, and it is not shown.
    Column("Nästa datum", SortKey.NEXT_DATE,
           lambda r: r.next_date.isoformat() if r.next_date and r.status.is_open else ""),
    Column("Samtycke", SortKey.CONSENT, lambda r: consent_text(r, clock.today())[0]),
)
NUMBER_COLUMN = 0
NAME_COLUMN = 1  # takes the room the other columns leave (ui.case_list.view)
NEXT_DATE_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.sort_key is SortKey.NEXT_DATE)
CONSENT_COLUMN = len(COLUMNS) - 1
OVERDUE_COLOR = QColor("#b00020")
OVERDUE_TIP = "Dokumentationen skulle ha varit klar (två arbetsdagar efter mötet)"
_DECORATED = (NUMBER_COLUMN, CONSENT_COLUMN)  # the columns with a marker
WAITING_TIP = "Något väntar på dig i ärendet"
WARN_COLOR = QColor("#9a4a00")


def _marker(color: str, *, size: int = 16) -> QIcon:
    """A round marker with a white "!" (the case list's signals; no image files needed)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(color))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    font = painter.font()
    font.setBold(True)
    font.setPixelSize(size - 5)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), "!")
    painter.end()
    return QIcon(pixmap)


@cache
def waiting_icon() -> QIcon:
    return _marker("#1d5fbf")


@cache
def warning_icon() -> QIcon:
    return _marker("#c46a00")


class CaseListModel(QAbstractTableModel):
    """Cases matching a `CaseFilter`, seen by `user`, in pages of `page_size` rows."""

    count_changed = Signal(int)
    load_failed = Signal(str)  # a Swedish message; the rows stay empty until the next reset

    def __init__(
        self, user: User, parent: QObject | None = None, *, page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._user = user
        self._filter = CaseFilter()
        self._sort_key = SortKey.NUMBER
        self._descending = True
        self._rows: PagedRows[CaseRow] = PagedRows(
            self, page_size=page_size, count=self._count,
            page=lambda offset, limit: cases.fetch_cases(
                self._filter, self._user, sort=self._sort_key, descending=self._descending,
                offset=offset, limit=limit),
            failed=self._report_failure, counted=self._counted, arrived=self._arrived)
        self._today = clock.today()  # for the consent column; renewed at each refresh
        self.none_at_all = False  # no cases at all (read with the count when it is 0)
        # A search text the user has just typed and whose count has not run yet: a search by
        # personal number is logged once, not at every refresh of the same list.
        self._new_search = ""
        self._consent_cells: dict[tuple[Any, ...], tuple[str, bool]] = {}

    # ---- state ------------------------------------------------------------------------

    @property
    def case_filter(self) -> CaseFilter:
        return self._filter

    @property
    def sort_key(self) -> SortKey:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    def set_filter(self, flt: CaseFilter) -> None:
        """Show the cases matching `flt` (counts them again; rows are fetched when shown)."""
        if flt.text.strip() != self._filter.text.strip():
            self._new_search = flt.text.strip()
        self._filter = flt
        self._rows.reset()  # another list: a failure shows none of the old rows

    def refresh(self) -> None:
        """Count again and fetch the first page in the background, e.g. after a case was
        created; the rows shown stay until the new ones are here (`count_changed`)."""
        self._rows.reset(keep_on_failure=True)

    def _count(self) -> int:
        """In the worker: the cases matching the filter; when none do, also whether there are
        any cases at all (the empty list says which)."""
        flt = self._filter
        new_search = bool(self._new_search) and self._new_search == flt.text.strip()
        if new_search:
            self._new_search = ""
        count = cases.count_cases(flt, self._user, new_search=new_search)
        self.none_at_all = count == 0 and cases.count_cases(CaseFilter(), self._user) == 0
        return count

    def _counted(self, count: int) -> None:
        self.beginResetModel()
        self._today = clock.today()
        self._consent_cells.clear()
        self.endResetModel()
        self.count_changed.emit(count)

    def _arrived(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(COLUMNS) - 1))

    @property
    def loading(self) -> bool:
        """A new count is on its way (a search, a refresh)."""
        return self._rows.loading

    def is_page_loaded(self, page: int) -> bool:
        return page in self._rows.pages

    def first_page_ready(self) -> bool:
        """True once the rows of the first page are here (or there are none to show)."""
        return not self._rows.loading and (
            self._rows.count == 0 or self._rows.failed or 0 in self._rows.pages)

    def case_id(self, row: int) -> int:
        """The id of the case shown in `row` (fetches its page if needed)."""
        case_row = self._rows.row(row)
        if case_row is None:
            raise IndexError(row)
        return case_row.id

    def row_of_case(self, case_id: int) -> int | None:
        """The row of `case_id` among the rows already fetched, if it is one of them (a refresh
        fetches the first page with its count)."""
        return self._rows.find(lambda case_row: case_row.id == case_id)

    def _report_failure(self, exc: Exception, first: bool) -> None:
        # The exception type only: its text may quote the search, which can be a name.
        log.error("case list query failed: %s", type(exc).__name__)
        if first:
            self.load_failed.emit(
                "Det gick inte att hämta ärendena från databasen. "
                "Kontrollera anslutningen och tryck F5 för att försöka igen."
            )

    # ---- fetching -----------------------------------------------------------------------

    # ---- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows.count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every visible cell on each paint: the cheap test first.
        if role not in _ROLES_SHOWN or not index.isValid():
            return None
        column = index.column()
        if (role == _DECORATION and column not in _DECORATED) or (
                role == _FOREGROUND and column not in (CONSENT_COLUMN, NEXT_DATE_COLUMN)):
            return None
        case_row = self._rows.row(index.row())
        if case_row is None or column >= len(COLUMNS):
            return None
        if role == CASE_ID_ROLE:
            return case_row.id
        if column == NUMBER_COLUMN:
            return self._number_data(case_row, role)
        if column == CONSENT_COLUMN:
            return self._consent_data(case_row, role)
        if column == NEXT_DATE_COLUMN and role in (_FOREGROUND, _TOOLTIP):
            # Once the meeting is held, the next date is the documentation deadline: red when
            # passed.
            overdue = (case_row.status in (CaseStatus.MEETING_HELD, CaseStatus.DOCUMENTATION)
                       and case_row.next_date is not None and case_row.next_date < self._today)
            if not overdue:
                return None
            return OVERDUE_COLOR if role == _FOREGROUND else OVERDUE_TIP
        return COLUMNS[column].text(case_row)

    def _number_data(self, case_row: CaseRow, role: int) -> Any:
        """The case number, marked when something in the case waits for the user."""
        if role == _DECORATION:
            return waiting_icon() if case_row.waiting else None
        if role == _TOOLTIP and case_row.waiting:
            return f"{case_row.number}: {WAITING_TIP}"
        return case_row.number

    def _consent_data(self, case_row: CaseRow, role: int) -> Any:
        """The consent state; lapsing within 30 days or lapsed gets a colour and a marker."""
        key = (case_row.status.is_open, case_row.consent_basis, case_row.consent_valid_until,
               case_row.adult_on)
        cell = self._consent_cells.get(key)
        if cell is None:  # few distinct values: worked out once per refresh
            cell = self._consent_cells[key] = consent_text(case_row, self._today)
        text, warn = cell
        if role == _DECORATION:
            return warning_icon() if warn else None
        if role == _FOREGROUND:
            return WARN_COLOR if warn else None
        if role == _TOOLTIP and text == MUST_CONSENT_THEMSELVES:
            return NEEDS_OWN_CONSENT
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section].header  # the tooltip: whole when a narrow header cuts it
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        key = COLUMNS[column].sort_key
        descending = order == Qt.SortOrder.DescendingOrder
        if key is self._sort_key and descending == self._descending:
            return
        self._sort_key, self._descending = key, descending
        # The count does not change with the order: only the fetched rows are dropped.
        self.beginResetModel()
        self._rows.clear()
        self.endResetModel()
