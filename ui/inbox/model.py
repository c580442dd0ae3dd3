"""One mailbox folder as a Qt table model over the database (the case list's habit).

`rowCount()` is `messaging.folder_count` for the folder, the search text and the case filter;
rows come a page at a time from `messaging.folder_rows` when the view first asks for them, newest
first. In the sent folders each page also fetches its recipients in one query
(`messaging.recipients_of`) for the "Till" column and the kvittens progress. Unread rows are
bold, withdrawn ones struck through; the first column says in a word what the message wants.
No SQL here: the core does the querying.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from sipdesk import clock
from sipdesk.messages import messaging
from sipdesk.messages.messaging import AckEnded, Folder, MailRow, Recipients
from sipdesk.storage.models import User
from ui.operations import Operation
from ui.paged_rows import PagedRows

log = logging.getLogger("sipdesk.ui.inbox")

PAGE_SIZE = 100

MESSAGE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ModelIndex = QModelIndex | QPersistentModelIndex

STATUS, DATE, WHO, SUBJECT, CASE = range(5)
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
)
NEEDS_ACK_COLOR = QColor("#b00020")
UNREAD_COLOR = QColor("#1f5fae")
UNREAD_MARK = "●"  # bold rows say it too; screen readers get "Oläst"
DONE_COLOR = QColor("#2e7d32")


def is_received(folder: Folder) -> bool:
    return folder in (Folder.INBOX, Folder.AWAITING_MY_ACK)


def headers(folder: Folder) -> tuple[str, ...]:
    return ("Status", "Datum", "Från" if is_received(folder) else "Till", "Ämne", "Ärende")


def to_text(recipients: Recipients | None) -> str:
    """"Maria Holm", "Maria Holm och Per Nord", "Maria Holm och 3 till"."""
    if recipients is None or not recipients.names:
        return ""
    names = recipients.names
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} och {names[1]}"
    return f"{names[0]} och {len(names) - 1} till"


def status_text(row: MailRow, recipients: Recipients | None, *, received: bool,
                ended: AckEnded | None = None) -> str:
    """What the message wants, in a word or two. A message whose kvittens is no longer asked
    for (`ended`: overtaken, case ended, meeting passed) says so instead of "Kvittera"."""
    if row.withdrawn:
        return "Makulerat"
    if received:
        if row.requires_ack:
            if row.acknowledged:
                return "Kvitterat"
            return ended.label if ended is not None else "Kvittera"
        return "" if row.read else UNREAD_MARK
    if row.requires_ack and ended is not None:
        return ended.label
    if row.requires_ack and recipients is not None:
        return f"{recipients.acknowledged} av {recipients.total} kvitterat"
    return ""


@dataclass(frozen=True)
class MailFilter:
    folder: Folder = Folder.INBOX
    text: str = ""
    case_id: int | None = None


def _font(*, bold: bool = False, strike: bool = False) -> QFont:
    font = QFont()
    font.setBold(bold)
    font.setStrikeOut(strike)
    return font


class MailboxModel(QAbstractTableModel):
    """The messages of one folder for `user`, matching a `MailFilter`, in pages."""

    count_changed = Signal(int)
    load_failed = Signal(str)

    def __init__(
        self, user: User, parent: QObject | None = None, *, page_size: int = PAGE_SIZE,
    ) -> None:
        super().__init__(parent)
        self._user = user
        self._filter = MailFilter()
        self._rows: PagedRows[MailRow] = PagedRows(
            self, page_size=page_size, count=self._fetch_count, page=self._fetch_page,
            failed=self._report_failure, counted=self._counted, arrived=self._arrived,
            dropped=self._forget, extras=self._fetch_extras, keep=self._keep_extras)
        self._recipients: dict[int, Recipients] = {}
        self._ended: dict[int, AckEnded] = {}
        self._fonts = {
            (bold, strike): _font(bold=bold, strike=strike)
            for bold in (False, True) for strike in (False, True)
        }

    # ---- state ----------------------------------------------------------------------------

    @property
    def mail_filter(self) -> MailFilter:
        return self._filter

    @property
    def folder(self) -> Folder:
        return self._filter.folder

    def set_filter(self, flt: MailFilter) -> None:
        folder_changed = flt.folder is not self._filter.folder
        self._filter = flt
        self._rows.reset()  # another list: a failure shows none of the old rows
        if folder_changed:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, CASE)

    def refresh(self) -> None:
        """Count again and fetch the first page in the background (a new message, a receipt, a
        new filter); the rows shown stay until the new ones are here (`count_changed`)."""
        self._rows.reset(keep_on_failure=True)

    def _counted(self, count: int) -> None:
        self.beginResetModel()
        self.endResetModel()
        self.count_changed.emit(count)

    def _arrived(self, first: int, last: int) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, CASE))

    @property
    def loading(self) -> bool:
        """A new count is on its way (a search, a refresh)."""
        return self._rows.loading

    def message_id(self, row: int) -> int | None:
        mail = self._rows.row(row)
        return mail.message_id if mail is not None else None

    def mail(self, row: int) -> MailRow | None:
        return self._rows.row(row)

    def row_of_message(self, message_id: int) -> int | None:
        """The row of a message among the rows fetched so far."""
        return self._rows.find(lambda mail: mail.message_id == message_id)

    def update_message(self, message_id: int) -> None:
        """Fetch one row again (read, acknowledged, withdrawn) without resetting the list, in
        the background."""
        if self.row_of_message(message_id) is None:
            return
        user, folder = self._user, self.folder

        def work() -> tuple[MailRow | None, dict[int, Recipients], dict[int, AckEnded]]:
            fresh = messaging.mail_row(user, message_id)
            recipients = ({} if is_received(folder)
                          else messaging.recipients_of([message_id]))
            return fresh, recipients, messaging.ended_kvittens([message_id])

        def done(result: tuple[MailRow | None, dict[int, Recipients],
                               dict[int, AckEnded]]) -> None:
            fresh, recipients, ended = result
            row = self.row_of_message(message_id)
            if fresh is None or row is None or folder is not self.folder:
                return
            self._recipients.update(recipients)
            self._ended.pop(message_id, None)
            self._ended.update(ended)
            if not is_received(folder):
                # As sent: keep the sender's view of the row (mail_row prefers the received
                # one).
                fresh = dataclasses.replace(fresh, read=True, acknowledged=False)
            self._rows.replace(row, fresh)
            self.dataChanged.emit(self.index(row, 0), self.index(row, CASE))

        Operation(self, work).success(done).failure(self._rows.fail).run()

    # ---- fetching -------------------------------------------------------------------------

    def _fetch_count(self) -> int:
        flt = self._filter
        return messaging.folder_count(self._user, flt.folder, text=flt.text, case_id=flt.case_id)

    def _fetch_page(self, offset: int, limit: int) -> list[MailRow]:
        flt = self._filter
        return messaging.folder_rows(self._user, flt.folder, text=flt.text, case_id=flt.case_id,
                                     offset=offset, limit=limit)

    def _fetch_extras(self, rows: list[MailRow]) -> object:
        """With a page, in the same background step: its recipients (sent mail) and the
        kvittenser that ended."""
        ids = [r.message_id for r in rows]
        recipients = ({} if is_received(self._filter.folder)
                      else messaging.recipients_of(ids))
        return recipients, messaging.ended_kvittens(ids)

    def _keep_extras(self, extra: object) -> None:
        assert isinstance(extra, tuple)
        recipients: dict[int, Recipients] = extra[0]
        ended: dict[int, AckEnded] = extra[1]
        self._recipients.update(recipients)
        self._ended.update(ended)

    def _forget(self, rows: list[MailRow]) -> None:
        for mail in rows:
            self._recipients.pop(mail.message_id, None)
            self._ended.pop(mail.message_id, None)

    def _report_failure(self, exc: Exception, first: bool) -> None:
        # The type only: the text may quote the search or a subject.
        log.error("mailbox query failed: %s", type(exc).__name__)
        if first:
            self.load_failed.emit(
                "Det gick inte att hämta meddelandena från databasen. "
                "Kontrollera anslutningen och tryck F5 för att försöka igen."
            )

    # ---- QAbstractTableModel --------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows.count

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else CASE + 1

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        mail = self._rows.row(index.row())
        if mail is None:
            return None
        column = index.column()
        received = is_received(self.folder)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(mail, column, received=received)
        if role == Qt.ItemDataRole.FontRole:
            return self._fonts[(received and not mail.read, mail.withdrawn)]
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            status = status_text(mail, self._recipients.get(mail.message_id), received=received,
                                 ended=self._ended.get(mail.message_id))
            if status == "Kvittera":
                return QBrush(NEEDS_ACK_COLOR)
            if status == "Kvitterat":
                return QBrush(DONE_COLOR)
            if status == UNREAD_MARK:
                return QBrush(UNREAD_COLOR)
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(mail, column, received=received)
            return "Oläst" if text == UNREAD_MARK else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(mail, received=received)
        if role == MESSAGE_ID_ROLE:
            return mail.message_id
        return None

    def _text(self, mail: MailRow, column: int, *, received: bool) -> str:
        if column == STATUS:
            return status_text(mail, self._recipients.get(mail.message_id), received=received,
                               ended=self._ended.get(mail.message_id))
        if column == DATE:
            return f"{mail.sent_at:%Y-%m-%d %H:%M}"
        if column == WHO:
            return mail.sender if received else to_text(self._recipients.get(mail.message_id))
        if column == SUBJECT:
            return mail.subject
        if column == CASE:
            return mail.case_number
        return ""

    def _tooltip(self, mail: MailRow, *, received: bool) -> str:
        parts = [mail.kind.label]
        ended = self._ended.get(mail.message_id)
        if mail.withdrawn:
            parts.append("makulerat")
        elif ended is not None and mail.requires_ack and not mail.acknowledged:
            parts.append(f"behöver inte kvitteras längre ({ended.label.lower()})")
        elif received and mail.requires_ack:
            parts.append("du har kvitterat" if mail.acknowledged else "kräver din kvittens")
        elif not received and mail.requires_ack:
            recipients = self._recipients.get(mail.message_id)
            if recipients is not None:
                parts.append(f"{recipients.acknowledged} av {recipients.total} har kvitterat")
                if recipients.waiting:
                    parts.append("inte kvitterat: " + messaging.waiting_text(
                        recipients.waiting, clock.today()))
        if received and not mail.read:
            parts.append("oläst")
        text = ", ".join(parts)
        return text[:1].upper() + text[1:]

    def headerData(
        self, section: int, orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section <= CASE
        ):
            return headers(self.folder)[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
