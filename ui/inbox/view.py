"""The Inkorg page: folders on the left, search and the message list above the reading pane.

Folders: Inkorg (with the number of unread), Skickat, Kräver min kvittens and Väntar på andras
kvittens (with their counts). The list is newest first and follows the search as you type
(subject, body, case number, sender); a case filter ("Bara ärende SIP-…") is set from the
reading pane or by the main window. Selecting a message opens it — and marks it read — so the
arrow keys read one message after another.

Commands (also on the page's toolbar): Nytt meddelande (Ctrl+Shift+N — Ctrl+N stays "Nytt
ärende" everywhere), Svara (Ctrl+R), Vidarebefordra (Ctrl+Shift+F), Kvittera (Ctrl+K) and
Makulera (the sender only). Apart from Nytt meddelande they work while the page has focus.

`InboxView(session, load=False)` waits for `load()` before it asks the database anything.
`acted(event, message_id)` tells the live updates which notifications this window caused itself,
so they are not treated as news from elsewhere. `saved` says the user changed something here
(sent, acknowledged, answered, withdrew — not merely read): the main window refreshes the case
list and Att göra.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTableView,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk import invitation, messaging
from sipdesk.db import storage_errors
from sipdesk.errors import NotFoundError, PermissionDenied, SipError, StorageError
from sipdesk.messaging import Badge, Folder

from .. import messages
from ..operations import Operation, report_failure
from ..session import Session
from ..tables import read_only
from ..window_state import read_str, window_state
from .model import CASE, DATE, STATUS, SUBJECT, WHO, MailboxModel, MailFilter, is_received
from .reading_pane import OpenedMessage, ReadingPane, load_message

log = logging.getLogger("sipdesk.ui.inbox")

SEARCH_DELAY_MS = 120
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_SPLITTER = "inbox/splitter"
KEY_WIDTHS = "inbox/column_widths"
DEFAULT_WIDTHS_CHARS = {STATUS: 15, DATE: 17, WHO: 20, CASE: 15}  # the subject takes the rest


def folder_label(folder: Folder, badge: Badge, awaiting_others: int) -> str:
    count = {
        Folder.INBOX: badge.unread,
        Folder.AWAITING_MY_ACK: badge.unacknowledged,
        Folder.AWAITING_OTHERS: awaiting_others,
    }.get(folder, 0)
    return f"{folder.label} ({count})" if count else folder.label


class MailTableView(QTableView):
    """The message list: whole rows, the empty state explained."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""
        read_only(self, fixed_rows=True, stretch_last=False)

    def set_empty_text(self, text: str) -> None:
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self._empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                QRect(area), int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap), self._empty_text,
            )
            painter.end()


class InboxView(QWidget):
    """The "Inkorg" page."""

    open_case = Signal(int)
    badge_changed = Signal(object)  # messaging.Badge
    acted = Signal(str, int)  # a notification this window caused: (event, message id)
    saved = Signal()  # the user sent, acknowledged, answered or withdrew something
    status_message = Signal(str)

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 load: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        self.badge = Badge(0, 0)
        self._case_filter: tuple[int, str] | None = None

        self.folders = QListWidget()
        self.folders.setObjectName("folders")
        self.folders.setAccessibleName("Mappar")
        self.folders.setSpacing(1)
        self.folders.setStyleSheet("QListWidget::item { padding: 5px 8px; }")
        for folder in Folder:
            item = QListWidgetItem(folder.label)
            item.setData(FOLDER_ROLE, folder.value)
            self.folders.addItem(item)
        self.folders.setFixedWidth(
            self.fontMetrics().horizontalAdvance("Väntar på andras kvittens (999)") + 36)

        self.search = QLineEdit()
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
        self.pane.open_case.connect(self.open_case)
        self.pane.acknowledge_requested.connect(self.acknowledge)
        self.pane.answer_requested.connect(self.answer_invitation)
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

        self._restore_layout()
        self._opening = 0  # the latest message asked for: an older answer is dropped
        self._enter_waiting = False  # Enter in the search, before its rows were here
        self._focus_waiting = False  # a message opened from elsewhere: focus the list after
        self.model.count_changed.connect(self._count_changed)
        self.model.load_failed.connect(self._show_error)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.horizontalHeader().sectionResized.connect(self._remember_widths)
        self.splitter.splitterMoved.connect(self._remember_splitter)
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
            "Nytt meddelande…", "Ctrl+Shift+N", self.new_message,
            tip="Skriv ett nytt meddelande", window_wide=True)
        self.new_message_action.setIconText("Nytt meddelande")
        self.reply_action = self._action("Svara…", "Ctrl+R", self.reply, tip="Svara avsändaren")
        self.forward_action = self._action(
            "Vidarebefordra…", "Ctrl+Shift+F", self.forward_message,
            tip="Skicka vidare till någon i din organisation")
        self.acknowledge_action = self._action(
            "Kvittera", "Ctrl+K", self.acknowledge,
            tip="Bekräfta att du har läst meddelandet")
        self.withdraw_action = self._action(
            "Makulera…", None, self.withdraw, tip="Dra tillbaka ett meddelande du har skickat")
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
        item = self.folders.currentItem()
        return Folder(item.data(FOLDER_ROLE)) if item is not None else Folder.INBOX

    def set_folder(self, folder: Folder) -> None:
        for row in range(self.folders.count()):
            if self.folders.item(row).data(FOLDER_ROLE) == folder.value:
                self.folders.setCurrentRow(row)
                return

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
        for row in range(self.folders.count()):
            item = self.folders.item(row)
            item.setText(folder_label(Folder(item.data(FOLDER_ROLE)), badge, awaiting))
        self.folders.item(0).setToolTip(
            "Inga olästa meddelanden" if not badge.unread
            else "1 oläst meddelande" if badge.unread == 1
            else f"{badge.unread} olästa meddelanden")
        self.badge = badge
        self.badge_changed.emit(badge)

    def show_message(self, message_id: int) -> None:
        """Open one message (from Att göra) in the folder where it needs the user: selected when
        it is among the rows fetched, shown in the pane in any case."""
        user = self.session.user
        try:
            before = messaging.mail_row(user, message_id)
            opened = load_message(user, message_id)
        except (NotFoundError, PermissionDenied) as problem:
            self.pane.clear(problem.message)
            self._update_actions()
            return
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

    # ---- commands -------------------------------------------------------------------------

    # The dialogs are imported when first used: not on the way to the first painted window.

    def new_message(self) -> None:
        from .compose import ComposeDialog

        sent = ComposeDialog.ask(self, self.session)
        self._after_sending(sent)

    def reply(self) -> None:
        message = self._shown_message()
        if message is None:
            return
        from .compose import ComposeDialog

        self._after_sending(ComposeDialog.ask(self, self.session, reply_to=message))

    def forward_message(self) -> None:
        message = self._shown_message()
        if message is None:
            return
        from .compose import ComposeDialog

        self._after_sending(ComposeDialog.ask(self, self.session, forward=message))

    def acknowledge(self) -> None:
        opened = self.pane.opened
        if opened is None or not self.acknowledge_action.isEnabled():
            return
        try:
            with storage_errors():
                messaging.acknowledge(self.session.user, opened.message_id)
        except StorageError as exc:
            log.error("acknowledging failed: %s", type(exc).__name__)
            messages.error(self, "Kvittera", "Det gick inte att spara kvittensen. Försök igen.")
            return
        except SipError as problem:
            messages.information(self, "Kvittera", problem.message)
            return
        self.acted.emit("acknowledged", opened.message_id)
        self.model.update_message(opened.message_id)
        self._open(opened.message_id, reload=True)
        self.refresh_counts()
        self.status_message.emit("Meddelandet är kvitterat.")
        self.saved.emit()

    def answer_invitation(self, coming: bool) -> None:
        """Answer a kallelse: recorded on the meeting, and a reply goes to the convener."""
        opened = self.pane.opened
        if opened is None:
            return
        if coming:
            try:
                invitation.answer_invitation(self.session.user, opened.message_id,
                                             invitation.Answer.COMING)
            except SipError as problem:
                messages.information(self, "Svara på kallelsen", problem.message)
                return
        else:
            from .answer import SubstituteDialog

            if not SubstituteDialog.ask(self, self.session, opened.message_id):
                return
        self.acted.emit("answered", opened.message_id)
        # The answer is the kvittens too (invitation.register_answer): the row says so at once.
        self.model.update_message(opened.message_id)
        self._open(opened.message_id, reload=True)
        self.refresh_counts()
        self.status_message.emit("Ditt svar är skickat till den som kallade.")
        self.saved.emit()

    def withdraw(self) -> None:
        opened = self.pane.opened
        if opened is None or not self.withdraw_action.isEnabled():
            return
        from .withdraw import WithdrawDialog

        done = WithdrawDialog.ask(self, self.session, message_id=opened.message_id,
                                  subject=opened.subject)
        if done is None:
            return
        self.acted.emit("withdrawn", opened.message_id)
        self.model.update_message(opened.message_id)
        self._open(opened.message_id, reload=True)
        self.refresh_counts()
        self.status_message.emit("Meddelandet är makulerat.")
        self.saved.emit()

    # ---- internals ------------------------------------------------------------------------

    def _shown_message(self) -> messaging.Message | None:
        opened = self.pane.opened
        if opened is None:
            return None
        try:
            return messaging.open_message(self.session.user, opened.message_id)
        except (NotFoundError, PermissionDenied) as problem:
            messages.warning(self, "Meddelandet kan inte visas", problem.message)
            return None

    def _after_sending(self, sent: messaging.Message | None) -> None:
        if sent is None:
            return
        self.status_message.emit("Meddelandet är skickat.")
        if self.current_folder() in (Folder.SENT, Folder.AWAITING_OTHERS):
            self.model.refresh()
        self.refresh_counts()
        self.saved.emit()

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

        def failed(problem: Exception) -> None:
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

        def loaded(opened: OpenedMessage) -> None:
            if opening == self._opening:
                self._opened(message_id, opened, mark_read=was_unread and not reload)

        Operation(self, lambda: load_message(user, message_id)).success(loaded).failure(
            failed).run()

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

    # ---- remembering the layout -----------------------------------------------------------

    def _restore_layout(self) -> None:
        state = window_state()
        char = self.fontMetrics().horizontalAdvance("0")
        stored = read_str(state, KEY_WIDTHS, "").split(",")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
        for column, chars in DEFAULT_WIDTHS_CHARS.items():
            try:
                width = int(stored[column])
            except (IndexError, ValueError):
                width = chars * char
            header.resizeSection(column, max(40, min(width, 1000)))
        sizes = [int(s) for s in read_str(state, KEY_SPLITTER, "").split(",") if s.isdigit()]
        if len(sizes) == 2 and all(sizes):
            self.splitter.setSizes(sizes)
        else:
            self.splitter.setSizes([300, 420])

    def _remember_widths(self, _column: int, _old: int, _new: int) -> None:
        header = self.table.horizontalHeader()
        widths = [str(header.sectionSize(c)) for c in range(CASE + 1)]
        window_state().setValue(KEY_WIDTHS, ",".join(widths))

    def _remember_splitter(self, _pos: int, _index: int) -> None:
        window_state().setValue(KEY_SPLITTER, ",".join(str(s) for s in self.splitter.sizes()))
