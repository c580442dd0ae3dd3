"""The Inkorg page's folder list: Inkorg (with the number of unread), Skickat, Kräver min
kvittens and Väntar på andras kvittens (with their counts)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from sipdesk.messages.messaging import Badge, Folder

FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1


def folder_label(folder: Folder, badge: Badge, awaiting_others: int) -> str:
    count = {
        Folder.INBOX: badge.unread,
        Folder.AWAITING_MY_ACK: badge.unacknowledged,
        Folder.AWAITING_OTHERS: awaiting_others,
    }.get(folder, 0)
    return f"{folder.label} ({count})" if count else folder.label


class FolderList(QListWidget):
    """One row per folder, the counts shown once they are read (`show_counts`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("folders")
        self.setAccessibleName("Mappar")
        self.setSpacing(1)
        self.setStyleSheet("QListWidget::item { padding: 5px 8px; }")
        for folder in Folder:
            item = QListWidgetItem(folder.label)
            item.setData(FOLDER_ROLE, folder.value)
            self.addItem(item)
        self.setFixedWidth(
            self.fontMetrics().horizontalAdvance("Väntar på andras kvittens (999)") + 36)

    def current_folder(self) -> Folder:
        item = self.currentItem()
        return Folder(item.data(FOLDER_ROLE)) if item is not None else Folder.INBOX

    def set_folder(self, folder: Folder) -> None:
        for row in range(self.count()):
            if self.item(row).data(FOLDER_ROLE) == folder.value:
                self.setCurrentRow(row)
                return

    def show_counts(self, badge: Badge, awaiting_others: int) -> None:
        for row in range(self.count()):
            item = self.item(row)
            item.setText(folder_label(Folder(item.data(FOLDER_ROLE)), badge, awaiting_others))
        self.item(0).setToolTip(
            "Inga olästa meddelanden" if not badge.unread
            else "1 oläst meddelande" if badge.unread == 1
            else f"{badge.unread} olästa meddelanden")
