"""The one set-up of a read-only table: whole rows are selected, one at a time; nothing is edited
in place; Tab leaves the table; no row numbers; left-aligned headings; rows a line of text high.

    self.table = read_only(QTableView(), row_padding=10)

Works for any QTableView, QTableWidget included; each table keeps its own names, columns and
widths. The options keep each table looking as it did (`highlight_header` for the tables that
mark the selected row's columns in the heading, `wrap` for cells of several lines).
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

TableT = TypeVar("TableT", bound=QTableView)


def read_only(table: TableT, *, row_padding: int | None = 10, alternating: bool = True,
              wrap: bool = False, stretch_last: bool = True, fixed_rows: bool = False,
              highlight_header: bool = False) -> TableT:
    """Set `table` up as a read-only list of rows (see the module) and return it.
    `row_padding`: rows this many pixels taller than a line (None: Qt's own height);
    `fixed_rows`: the rows are never measured (a long list stays fast)."""
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(alternating)
    table.setWordWrap(wrap)
    table.setTabKeyNavigation(False)
    table.setCornerButtonEnabled(False)
    vertical = table.verticalHeader()
    vertical.hide()
    if fixed_rows:
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    if row_padding is not None:
        vertical.setDefaultSectionSize(table.fontMetrics().height() + row_padding)
    header = table.horizontalHeader()
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    header.setHighlightSections(highlight_header)
    header.setStretchLastSection(stretch_last)
    return table


def paint_empty_text(table: QAbstractItemView, text: str) -> None:
    """From a table's `paintEvent`: `text` in the placeholder colour at the top of an empty
    table ("Inga ärenden …", "Inga meddelanden …"), so an empty list says why."""
    model = table.model()
    if model is None or model.rowCount() != 0 or not text:
        return
    painter = QPainter(table.viewport())
    painter.setPen(table.palette().placeholderText().color())
    area = table.viewport().rect().adjusted(24, 24, -24, -24)
    painter.drawText(
        QRect(area), int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        | int(Qt.TextFlag.TextWordWrap), text,
    )
    painter.end()
