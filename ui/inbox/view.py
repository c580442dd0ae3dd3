"""The Inkorg page: folders on the left, search and the message list above the reading pane.

Folders: Inkorg (with the number of unread), Skickat, Kräver min kvittens and Väntar på andras
kvittens (with their counts). The list is newest first and follows the search as you type
(subject, body, case number, sender); a case filter ("Bara ärende SIP-…") is set from the
reading pane or by the main window. Selecting a message opens it — and marks it read — so the
arrow keys read one message after another.

Commands (also on the page's toolbar): Nytt meddelande (Ctrl+Shift+N — Ctrl+N stays "Nytt
ärende" everywhere), Svara (Ctrl+R), Vidarebefordra (Ctrl+Shift+F), Kvittera (Ctrl+K) and
Makulera (the sender only). Apart from Nytt meddelande they work while the page has focus.

Everything is read in the operation runner; what the commands do with a message is in
`commands`, the folder list in `folders` and the message list in `mail_table`.

`InboxView(session, load=False)` waits for `load()` before it asks the database anything.
`expecting(event, message_id)` tells the live updates, before a change is saved, which
notification this window is about to cause, so its echo is not treated as news from elsewhere
(the change runs in the background: its echo may arrive before its answer). `acted(event,
message_id)` says the change is done (Att göra reads again). `saved` says the user changed
something here (sent, acknowledged, answered, withdrew — not merely read): the main window
refreshes the case list and Att göra.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.desk.message_page import OpenedMessage, opened_message
from sipdesk.errors import NotFoundError, PermissionDenied, StorageError
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Badge, Folder, MailRow

from ..fields import for_search
from ..operations import Operation, report_failure
from ..session import Session
from .commands import MessageCommands
from .folders import FolderList
from .mail_table import MailTableView, restore_layout
from .model import MailboxModel, MailFilter, is_received
from .reading_pane import ReadingPane

log = logging.getLogger("sipdesk.ui.inbox")

SEARCH_DELAY_MS = 120


class InboxView(QWidget):
    """The "Inkorg" page."""

    open_case = Signal(int)
    badge_changed = Signal(object)  # messaging.Badge
    expecting = Signal(str, int)  # a notification this window is about to cause
    acted = Signal(str, int)  # a change this window made to a message: (event, message id)
    saved = Signal()  # the user sent, acknowledged, answered or withdrew something
    status_message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 load: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        self.badge = Badge(0, 0)
        self._case_filter: tuple[int, str] | None = None

        self.folders = FolderList()

        self.search = for_search(QLineEdit())
        self.search.setObjectName("mail_search")
        self.search.setPlaceholderText("Sök i rubrik, text, ärendenummer eller avsändare")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök meddelande")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filter)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_entered)
        self.search.installEventFilter(self)

        self.case_chip = QLabel()
        self.case_chip.setObjectName("case_filter")
        self.case_chip.setStyleSheet(
            "padding: 2px 8px; border-radius: 9px; background: #e3ecf7; color: #1d3d63;")
        self.clear_case_button = QToolButton()
        self.clear_case_button.setObjectName("clear_case_filter")
        self.clear_case_button.setText("Visa alla ärenden")
        self.clear_case_button.clicked.connect(lambda: self.set_case_filter(None))
        self.case_chip.hide()
        self.clear_case_button.hide()
        self.count_label = QLabel()
        self.count_label.setObjectName("mail_count")

        self.model = MailboxModel(session.user, self)
        self.table = MailTableView()
        self.table.setObjectName("mail_table")
        self.table.setAccessibleName("Meddelanden")
        self.table.setModel(self.model)
        self.pane = ReadingPane()
        self.commands = MessageCommands(self)
        self.pane.open_case.connect(self.open_case)
        self.pane.acknowledge_requested.connect(self.commands.acknowledge)
        self.pane.answer_requested.connect(self.commands.answer_invitation)
        self.error_label = QLabel()
        self.error_label.setObjectName("mail_error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()

        self._build_actions()
        toolbar = QToolBar("Meddelanden")
        toolbar.setObjectName("inbox_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.new_message_action, self.reply_action, self.forward_action,
                       self.acknowledge_action, self.withdraw_action, self.only_case_action):
            toolbar.addAction(action)
        self.toolbar = toolbar

        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.case_chip)
        search_row.addWidget(self.clear_case_button)
        search_row.addSpacing(8)
        search_row.addWidget(self.count_label)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("inbox_splitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.pane)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)

        right = QVBoxLayout()
        right.setSpacing(6)
        right.addWidget(toolbar)
        right.addLayout(search_row)
        right.addWidget(self.error_label)
        right.addWidget(self.splitter, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(self.folders)
        layout.addLayout(right, 1)

        restore_layout(self.table, self.splitter, char=self.fontMetrics().horizontalAdvance("0"))
        self._opening = 0  # the latest message asked for: an older answer is dropped
        self._enter_waiting = False  # Enter in the search, before its rows were here
        self._focus_waiting = False  # a message opened from elsewhere: focus the list after
        self.model.count_changed.connect(self._count_changed)
        self.model.load_failed.connect(self._show_error)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.folders.setCurrentRow(0)
        self.folders.currentRowChanged.connect(lambda _row: self._apply_filter())
        self._update_actions()
        self.loaded = False
        if load:
            self.load()

    # ---- building -----------------------------------------------------------------------

    def _action(self, text: str, shortcut: str | None, slot: object, *,
                tip: str, window_wide: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            keys = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)
            tip = f"{tip} ({keys})"
        action.setToolTip(tip)
        action.setShortcutContext(
            Qt.ShortcutContext.WindowShortcut if window_wide
            else Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_message_action = self._action(
            "Nytt meddelande…", "Ctrl+Shift+N", self.commands.new_message,
            tip="Skriv ett nytt meddelande", window_wide=True)
        self.new_message_action.setIconText("Nytt meddelande")
        self.reply_action = self._action("Svara…", "Ctrl+R", self.commands.reply,
                                         tip="Svara avsändaren")
        self.forward_action = self._action(
            "Vidarebefordra…", "Ctrl+Shift+F", self.commands.forward,
            tip="Skicka vidare till någon i din organisation")
        self.acknowledge_action = self._action(
            "Kvittera", "Ctrl+K", self.commands.acknowledge,
            tip="Bekräfta att du har läst meddelandet")
        self.withdraw_action = self._action(
            "Makulera…", None, self.commands.withdraw,
            tip="Dra tillbaka ett meddelande du har skickat")
        self.only_case_action = self._action(
            "Bara det här ärendet", None, self._filter_on_shown_case,
            tip="Visa bara meddelanden i samma ärende")

    # ---- what the main window uses ----------------------------------------------------

    def load(self) -> None:
        """The first count and page, and the folder counts (once; `refresh` after that). The
        main window calls it after the case list has painted, to keep the start quick."""
        if self.loaded:
            return
        self.loaded = True
        self._apply_filter()
        self.refresh_counts()

    def current_folder(self) -> Folder:
        return self.folders.current_folder()

    def set_folder(self, folder: Folder) -> None:
        self.folders.set_folder(folder)

    def set_case_filter(self, case: tuple[int, str] | None) -> None:
        """Show only the messages of one case (id, number), or of every case (None)."""
        self._case_filter = case
        self.case_chip.setVisible(case is not None)
        self.clear_case_button.setVisible(case is not None)
        if case is not None:
            self.case_chip.setText(f"Bara ärende {case[1]}")
        self._apply_filter()

    def refresh(self) -> None:
        """Everything again: counts, the list (keeping the selected message) and the pane."""
        if not self.loaded:
            self.load()
            return
        self.error_label.hide()
        shown = self.pane.opened.message_id if self.pane.opened is not None else None
        self.model.refresh()
        if shown is not None:
            self._select_quietly(shown)
            self._open(shown, reload=True)
        self.refresh_counts()

    def refresh_counts(self) -> None:
        """The folders' counts and the badge, read in the operation runner."""
        user = self.session.user

        def failed(exc: Exception) -> None:
            if isinstance(exc, StorageError):
                log.error("mailbox counts failed: %s", type(exc).__name__)
            else:
                report_failure(self, exc)

        Operation(self, lambda: (messaging.badge(user),
                                 messaging.folder_count(user, Folder.AWAITING_OTHERS))).success(
            lambda counts: self._show_counts(*counts)).failure(failed).run()

    def _show_counts(self, badge: messaging.Badge, awaiting: int) -> None:
        self.folders.show_counts(badge, awaiting)
        self.badge = badge
        self.badge_changed.emit(badge)

    def show_message(self, message_id: int) -> None:
        """Open one message (from Att göra) in the folder where it needs the user: read in the
        operation runner, selected when it is among the rows fetched, shown in the pane in any
        case (an answer to an older click is dropped). Its row is read first: whether opening
        it will mark it read, which the live updates are told before."""
        self._opening += 1
        opening, user = self._opening, self.session.user

        def failed(problem: Exception) -> None:
            self._open_failed(opening, problem)

        def loaded(before: MailRow | None, opened: OpenedMessage) -> None:
            if opening == self._opening:
                self._show_opened(before, opened)

        def found(before: MailRow | None) -> None:
            if opening != self._opening:
                return
            if before is not None and not before.read:  # received, and opening marks it read
                self.expecting.emit("read", message_id)
            Operation(self, lambda: opened_message(user, message_id)).success(
                lambda opened: loaded(before, opened)).failure(failed).run()

        Operation(self, lambda: messaging.mail_row(user, message_id)).success(found).failure(
            failed).run()

    def _show_opened(self, before: MailRow | None, opened: OpenedMessage) -> None:
        message_id = opened.message_id
        if before is not None and not before.read and not opened.viewer_is_sender:
            self.acted.emit("read", message_id)
        live = opened.withdrawn_reason is None and not opened.ack_ended
        if opened.viewer_is_sender:
            folder = Folder.AWAITING_OTHERS if live and opened.requires_ack else Folder.SENT
        else:
            folder = (Folder.AWAITING_MY_ACK if live and opened.requires_ack
                      and not opened.acknowledged else Folder.INBOX)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._case_filter = None
        self.case_chip.hide()
        self.clear_case_button.hide()
        self.folders.blockSignals(True)
        self.set_folder(folder)
        self.folders.blockSignals(False)
        self.pane.show_message(opened)
        self._apply_filter()  # selects the shown message when it is among the rows
        self._update_actions()
        self.refresh_counts()
        # Into the list once its rows are here and the message is selected: a list taking the
        # focus with nothing current would open its first message instead.
        self._focus_waiting = True

    # ---- after a command (ui/inbox/commands.py) ---------------------------------------------

    def message_changed(self, event: str, message_id: int, status: str) -> None:
        """A command changed a message (acknowledged, answered, withdrawn): its row, the pane
        when it still shows it, and the counts are read again; the live updates (`acted`) and
        the main window (`saved`) are told."""
        self.acted.emit(event, message_id)
        self.model.update_message(message_id)
        if self.pane.opened is not None and self.pane.opened.message_id == message_id:
            self._open(message_id, reload=True)
        self.refresh_counts()
        self.status_message.emit(status)
        self.saved.emit()

    def after_sending(self, sent: messaging.Message | None) -> None:
        if sent is None:
            return
        self.status_message.emit("Meddelandet är skickat.")
        if self.current_folder() in (Folder.SENT, Folder.AWAITING_OTHERS):
            self.model.refresh()
        self.refresh_counts()
        self.saved.emit()

    # ---- internals ------------------------------------------------------------------------

    def _apply_filter(self) -> None:
        self._search_timer.stop()
        self.error_label.hide()
        flt = MailFilter(
            folder=self.current_folder(), text=self.search.text(),
            case_id=self._case_filter[0] if self._case_filter else None,
        )
        self.model.set_filter(flt)  # the rows come in the background: `_count_changed`

    def _search_entered(self) -> None:
        self._apply_filter()
        self._enter_waiting = True  # to the first message once the rows are here

    def _to_first_message(self) -> None:
        if self.model.rowCount() > 0:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            self.table.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Down arrow in the search field moves into the list, onto the first message.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.model.rowCount() > 0
        ):
            self._search_entered()
            return True
        return super().eventFilter(watched, event)

    def _select_quietly(self, message_id: int) -> None:
        """Select a message's row without opening it again (it is already in the pane)."""
        row = self.model.row_of_message(message_id)
        selection = self.table.selectionModel()
        selection.blockSignals(True)
        if row is None:
            selection.clear()
        else:
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(index)
        selection.blockSignals(False)
        self.table.viewport().update()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        message_id = self.model.message_id(current.row())
        if message_id is None:
            return
        if self.pane.opened is not None and self.pane.opened.message_id == message_id:
            return
        self._open(message_id)

    def _open(self, message_id: int, *, reload: bool = False) -> None:
        """Read a message in the operation runner and show it (an answer to an older click is
        dropped); opening an unread message marks it read."""
        row = self.model.row_of_message(message_id)
        mail = self.model.mail(row) if row is not None else None
        was_unread = mail is not None and is_received(self.model.folder) and not mail.read
        self._opening += 1
        opening, user = self._opening, self.session.user
        if was_unread and not reload:
            self.expecting.emit("read", message_id)

        def loaded(opened: OpenedMessage) -> None:
            if opening == self._opening:
                self._opened(message_id, opened, mark_read=was_unread and not reload)

        Operation(self, lambda: opened_message(user, message_id)).success(loaded).failure(
            lambda problem: self._open_failed(opening, problem)).run()

    def _open_failed(self, opening: int, problem: Exception) -> None:
        if opening != self._opening:
            return
        if isinstance(problem, (NotFoundError, PermissionDenied)):
            self.pane.clear(problem.message)
            self._update_actions()
        elif isinstance(problem, StorageError):
            log.error("opening a message failed: %s", type(problem).__name__)
            self._show_error("Det gick inte att hämta meddelandet. Kontrollera "
                             "anslutningen och tryck F5 för att försöka igen.")
        else:
            report_failure(self, problem)

    def _opened(self, message_id: int, opened: OpenedMessage, *, mark_read: bool) -> None:
        self.pane.show_message(opened)
        self._update_actions()
        if mark_read:
            self.acted.emit("read", message_id)
            self.model.update_message(message_id)
            self.refresh_counts()

    def _update_actions(self) -> None:
        opened = self.pane.opened
        has = opened is not None
        live = has and opened is not None and opened.withdrawn_reason is None
        needs_ack = bool(live and opened and not opened.viewer_is_sender
                         and opened.requires_ack and not opened.acknowledged
                         and not opened.ack_ended)
        self.reply_action.setEnabled(live)
        self.forward_action.setEnabled(has)
        self.acknowledge_action.setEnabled(needs_ack)
        self.withdraw_action.setEnabled(bool(live and opened and opened.viewer_is_sender))
        self.only_case_action.setEnabled(bool(has and opened and opened.case_id is not None))

    def _filter_on_shown_case(self) -> None:
        opened = self.pane.opened
        if opened is not None and opened.case_id is not None:
            self.set_case_filter((opened.case_id, opened.case_number))

    def _count_changed(self, count: int) -> None:
        """The rows of a new filter (or a refresh) are here: count, empty text, and the message
        in the pane selected when it is among them."""
        self.count_label.setText("1 meddelande" if count == 1 else f"{count} meddelanden")
        self.table.set_empty_text(self._empty_text() if count == 0 else "")
        shown = self.pane.opened.message_id if self.pane.opened is not None else None
        if shown is not None:
            self._select_quietly(shown)
        if self._enter_waiting:
            self._enter_waiting = False
            self._to_first_message()
        if self._focus_waiting:
            self._focus_waiting = False
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _empty_text(self) -> str:
        flt = self.model.mail_filter
        if flt.text.strip() or flt.case_id is not None:
            return "Inga meddelanden matchar sökningen."
        return {
            Folder.INBOX: "Du har inga meddelanden ännu.",
            Folder.SENT: "Du har inte skickat några meddelanden ännu. "
                         "Skriv ett med Nytt meddelande (Ctrl+Shift+N).",
            Folder.AWAITING_MY_ACK: "Inget väntar på din kvittens.",
            Folder.AWAITING_OTHERS: "Alla har kvitterat dina meddelanden.",
        }[flt.folder]

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
