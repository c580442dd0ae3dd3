"""The contact directory as a Qt table model: a list of `DirectoryEntry` rows from
`sipdesk.casework.contacts.search_directory`, replaced as a whole with `set_entries` (the directory
is small, so the rows are held, not paged). Used by the Kontakter page and by the kallelse wizard's
participant search. No SQL here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from sipdesk.casework.contacts import DirectoryEntry, EntryKind

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex

_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren


def account_text(entry: DirectoryEntry) -> str:
    return "Ja" if entry.kind is EntryKind.USER else ""


def principal_kind_text(entry: DirectoryEntry) -> str:
    return {"kommun": "Kommun", "region": "Region"}.get(entry.principal_kind.value, "Annan")


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[DirectoryEntry], str]


COLUMNS: tuple[Column, ...] = (
    Column("Namn", lambda e: e.name),
    Column("Roll", lambda e: e.role),
    Column("Organisation / enhet", lambda e: e.organisation),
    Column("Huvudman", lambda e: e.principal),
    Column("Slag", principal_kind_text),
    Column("Lag", lambda e: e.law.label),
    Column("I sipdesk", account_text),
    Column("Telefon", lambda e: e.phone),
    Column("E-post", lambda e: e.email),
)


def tooltip(entry: DirectoryEntry) -> str:
    lines = [entry.name + (f", {entry.role}" if entry.role else ""),
             f"{entry.organisation} · {entry.principal} ({entry.principal_kind.label}) · "
             f"{entry.law.label}"]
    if entry.outpatient:
        lines.append("Öppenvård")
    if entry.is_interpreter:
        lines.append("Tolkförmedling")
    lines.append("Har konto i sipdesk — får kallelser som meddelande" if entry.has_account
                 else "Har inget konto — kallas med brev, telefon eller e-post")
    return "\n".join(lines)


class DirectoryModel(QAbstractTableModel):
    """Directory entries, one per row; `entry(row)` gives the entry back."""

    def __init__(self, parent: QObject | None = None, *,
                 columns: Sequence[Column] = COLUMNS) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._entries: list[DirectoryEntry] = []

    def set_entries(self, entries: Sequence[DirectoryEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> DirectoryEntry | None:
        return self._entries[row] if 0 <= row < len(self._entries) else None

    def entries(self) -> list[DirectoryEntry]:
        return list(self._entries)

    def row_of(self, kind: EntryKind, entry_id: int) -> int | None:
        for row, entry in enumerate(self._entries):
            if entry.kind is kind and entry.id == entry_id:
                return row
        return None

    # ---- QAbstractTableModel ------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()].text(entry)
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(entry)
        if role == ENTRY_ROLE:
            return entry
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self._columns[section].header
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
