"""The Händelselogg as a read-only Qt table model over `sipdesk.accounts.audit.case_log`.

Columns: time, user, what happened, details (old → new values of the fields that changed, in
Swedish). Newest first, as the core returns it. Nothing can be edited or removed: the flags
allow selecting only, and the model has no setData/removeRows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from sipdesk.accounts.audit import AuditAction, LogLine, field_label
from sipdesk.casework.consent import ConsentKind, HarmConclusion
from sipdesk.casework.lifecycle import ClosureReason, NoticedBy
from sipdesk.storage.models import CaseStatus

ModelIndex = QModelIndex | QPersistentModelIndex

HEADERS = ("Tid", "Användare", "Händelse", "Detaljer")
TIME, USER, WHAT, DETAILS = range(4)
DETAILS_SHOWN = 160  # characters in the cell; the tooltip has all of it

# Values stored as codes, shown as words.
_VALUE_LABELS: dict[str, Any] = {
    "status": CaseStatus,
    "noticed_by": NoticedBy,
    "reason": ClosureReason,
    "kind": ConsentKind,
    "conclusion": HarmConclusion,
}
# Values that are record ids: the summary names the record; the details only say it changed.
_ID_FIELDS = {"noticed_by_user", "coordinator", "overall_principal"}


def _value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    enum = _VALUE_LABELS.get(field)
    if enum is not None:
        try:
            return str(enum(value).label)
        except ValueError:
            pass
    if isinstance(value, str) and "T" in value[:11]:
        try:
            return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            pass
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    return " ".join(str(value).split())  # line breaks of free text on one line


def format_changes(changes: dict[str, list[Any]], *, sep: str = "; ") -> str:
    """`Status: Behov registrerat → Samtycke finns; Gäller till och med: 2027-03-14`."""
    parts = []
    for field, pair in changes.items():
        label = field_label(field)
        old, new = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        if old in (None, "") and new in (None, ""):
            continue  # nothing was written there
        if field in _ID_FIELDS:
            parts.append(f"{label}: {'angiven' if old in (None, '') else 'ändrad'}")
        elif old is None or old == "":
            parts.append(f"{label}: {_value_text(field, new)}")
        else:
            parts.append(f"{label}: {_value_text(field, old)} → {_value_text(field, new)}")
    return sep.join(parts)


def action_text(line: LogLine) -> str:
    """What happened: the core's summary (already in Swedish)."""
    return line.summary


class CaseLogModel(QAbstractTableModel):
    """The lines of one case's Händelselogg, newest first; optionally without the openings."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[LogLine] = []
        self._lines: list[LogLine] = []
        self._details: list[str] = []
        self._show_openings = True

    def set_lines(self, lines: Sequence[LogLine]) -> None:
        self.beginResetModel()
        self._all = list(lines)
        self._apply()
        self.endResetModel()

    def set_show_openings(self, show: bool) -> None:
        if show == self._show_openings:
            return
        self.beginResetModel()
        self._show_openings = show
        self._apply()
        self.endResetModel()

    @property
    def show_openings(self) -> bool:
        return self._show_openings

    def _apply(self) -> None:
        self._lines = [line for line in self._all
                       if self._show_openings or line.action is not AuditAction.OPEN]
        self._details = [format_changes(line.changes) for line in self._lines]

    def line(self, row: int) -> LogLine:
        return self._lines[row]

    # ---- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line = self._lines[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TIME:
                return line.at.strftime("%Y-%m-%d %H:%M")
            if column == USER:
                return line.user
            if column == WHAT:
                return action_text(line)
            if column == DETAILS:
                details = self._details[index.row()]
                return details if len(details) <= DETAILS_SHOWN \
                    else details[:DETAILS_SHOWN - 1] + "…"
        elif role == Qt.ItemDataRole.ToolTipRole:
            if column == WHAT:
                return action_text(line)
            if column == DETAILS and self._details[index.row()]:
                return self._details[index.row()]
            if column == TIME:
                return line.at.strftime("%Y-%m-%d %H:%M:%S")
        elif role == Qt.ItemDataRole.AccessibleTextRole:
            return self.data(index, Qt.ItemDataRole.DisplayRole)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)
