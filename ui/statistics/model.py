"""The Statistik page's table: one row per figure (`sipdesk.statistics.rows.ROWS`, the same
names and wording as the printed report), the first column its name, then the whole selection,
then one column per unit — or per month (`Columns`).

Every value is written as the report writes it, masked (`Statistics.hidden`, the core's one
decision): a count from 1 to 4, or one that would give such a count away by subtraction, is
"<5"; a share or median over fewer than five is "underlag <5". The tooltip of a figure, on its
name and on each value, says how it is counted. A figure that describes a moment (open at the
end of the period, consents that lapse) has "—" in a month's column.

The model holds a computed `Statistics` (read in the background by the page); it asks the
database nothing.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from sipdesk.statistics.figures import Figures, Statistics
from sipdesk.statistics.masking import Hidden
from sipdesk.statistics.period import ScopeKind, month_label
from sipdesk.statistics.rows import MASK_NOTE, ROWS, Row

Index = QModelIndex | QPersistentModelIndex
NAME_COLUMN = 0
WHOLE_COLUMN = 1
WHOLE_HEADING = "Hela urvalet"
__all__ = ["MASK_NOTE", "Columns", "StatisticsModel"]


class Columns(Enum):
    UNITS = "Per enhet"
    MONTHS = "Per månad"


class StatisticsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.statistics: Statistics | None = None
        self.columns = Columns.UNITS
        # (heading, tooltip, figures, is a month, its hidden cells)
        self._columns: list[tuple[str, str, Figures, bool, Hidden]] = []

    # ---- filling --------------------------------------------------------------------------

    def set_statistics(self, statistics: Statistics | None) -> None:
        self.beginResetModel()
        self.statistics = statistics
        self._columns = self._build_columns()
        self.endResetModel()

    def set_columns(self, columns: Columns) -> None:
        if columns is self.columns:
            return
        self.beginResetModel()
        self.columns = columns
        self._columns = self._build_columns()
        self.endResetModel()

    def _build_columns(self) -> list[tuple[str, str, Figures, bool, Hidden]]:
        stats = self.statistics
        if stats is None:
            return []
        hidden = stats.hidden
        if stats.scope.kind is ScopeKind.UNIT:
            # One unit: its column is the whole selection, named after it so the user sees
            # whose figures they are (a second column would only repeat it).
            tip = next((f"{u.unit} ({u.principal})" for u in stats.units), stats.scope_label)
            found = [(stats.scope_label, tip, stats.total, False, hidden.whole)]
        else:
            found = [(WHOLE_HEADING, stats.scope_label, stats.total, False, hidden.whole)]
        if self.columns is Columns.MONTHS:
            found += [(month_label(month), month_label(month), figures, True,
                       hidden.month(month)) for month, figures in stats.months]
        elif stats.scope.kind is not ScopeKind.UNIT:
            found += [(unit.unit, f"{unit.unit} ({unit.principal})", unit.figures, False,
                       hidden.unit(unit.unit_id)) for unit in stats.units]
        return found

    # ---- reading --------------------------------------------------------------------------

    def row_of(self, index: int) -> Row:
        return ROWS[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 — Qt's signature
        if parent.isValid() or self.statistics is None:
            return 0
        return len(ROWS)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.statistics is None:
            return 0
        return 1 + len(self._columns)

    def text(self, row: int, column: int) -> str:
        """The cell as shown: the figure's name, or its masked value."""
        figure = ROWS[row]
        if column == NAME_COLUMN:
            return figure.label
        _heading, _tip, figures, month, hidden = self._columns[column - 1]
        if month and figure.snapshot:
            return "—"
        return figure.text(figures, hidden)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.statistics is None:
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(ROWS) and 0 <= column <= len(self._columns)):
            return None
        figure = ROWS[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NAME_COLUMN:
                return f"{figure.label}: {figure.how}"
            heading, text = self._columns[column - 1][0], self.text(row, column)
            tip = f"{figure.label}, {heading}: {text}\n\n{figure.how}"
            return f"{tip}\n\n{MASK_NOTE}" if "<5" in text else tip
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return figure.how
        if role == Qt.ItemDataRole.TextAlignmentRole and column != NAME_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not (
                0 <= section <= len(self._columns)):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Mått" if section == NAME_COLUMN else self._columns[section - 1][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return ("Vad som räknas (håll muspekaren över ett mått för hur det räknas)"
                    if section == NAME_COLUMN else self._columns[section - 1][1])
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
