"""Writing a message: new, reply or forward (`ComposeDialog.ask`).

Recipients are picked from the active users and units by typing part of a name (a unit means
everyone active in it when the message is sent); a case is optional and written as its number.
Ctrl+Enter sends. Whatever the core refuses — no subject or body, no recipients, a recipient who
is no longer active, a case the sender may not see — appears in Swedish at its field, and
nothing typed is lost. A reply goes to the other party and keeps subject and case; a forward
goes only to people in the sender's own organisation and keeps the link to the case.

The dialog reads nothing itself: the opener reads a `ComposeStart` (the recipients it offers, what
a reply or forward keeps) through the operation runner and hands it over, and "Skicka" checks and
sends in one operation — a refusal or a failed send leaves everything typed where it was.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.desk import message_page
from sipdesk.desk.message_page import ComposeStart
from sipdesk.errors import (
    PermissionDenied,
    ServerUnreachable,
    SipError,
    StorageError,
    ValidationError,
)
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Message, UnitChoice
from sipdesk.storage.models import Unit, User

from .. import messages
from ..fields import FieldForm, for_search, limited
from ..operations import Operation, report_failure
from ..session import Session

log = logging.getLogger("sipdesk.ui.compose")

CHOICE_ROLE = Qt.ItemDataRole.UserRole + 1
MAX_MATCHES = 50
READ_ONLY_STYLE = "background: palette(window);"  # kept from the original: not for typing
NOT_SENT = "Meddelandet skickades inte"

# What a send answers: the problems of a new message's fields (nothing sent), or the message.
Outcome = tuple[dict[str, str], Message | None]


@dataclass(frozen=True)
class Choice:
    """A possible recipient: a user, or a whole unit."""

    kind: str  # "user" or "unit"
    id: int
    label: str
    search_text: str

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.id)


def user_choice(user: User) -> Choice:
    label = f"{user.full_name} ({user.unit.name})"
    return Choice("user", user.id, label,
                  f"{user.full_name} {user.unit.name} {user.profession}".casefold())


def unit_choice(choice: UnitChoice) -> Choice:
    people = "1 aktiv" if choice.active_users == 1 else f"{choice.active_users} aktiva"
    label = f"{choice.unit.name} — hela enheten ({people})"
    return Choice("unit", choice.unit.id, label,
                  f"{choice.unit.name} {choice.principal} enhet".casefold())


class RecipientPicker(QWidget):
    """Search as you type, pick with Enter or a click; the chosen ones below, Delete removes."""

    changed = Signal()

    def __init__(self, choices: list[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._chosen: dict[tuple[str, int], Choice] = {}
        self.search = for_search(QLineEdit())
        self.search.setObjectName("recipient_search")
        self.search.setPlaceholderText("Skriv namn eller enhet och tryck Enter")
        self.search.setAccessibleName("Sök mottagare")
        self.search.setClearButtonEnabled(True)
        self.matches = QListWidget()
        self.matches.setObjectName("recipient_matches")
        self.matches.setAccessibleName("Mottagare som matchar")
        self.matches.setMaximumHeight(self.fontMetrics().height() * 8)
        self.matches.hide()
        self.chosen = QListWidget()
        self.chosen.setObjectName("chosen_recipients")
        self.chosen.setAccessibleName("Valda mottagare")
        self.chosen.setFlow(QListWidget.Flow.LeftToRight)
        self.chosen.setWrapping(True)
        self.chosen.setSpacing(3)
        self.chosen.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.chosen.setMaximumHeight(self.fontMetrics().height() * 4 + 12)
        self.chosen.setToolTip("Markera och tryck Delete för att ta bort en mottagare")
        self.chosen.hide()
        self.none_label = QLabel("Inga mottagare valda än.")
        self.none_label.setObjectName("no_recipients")
        self.none_label.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.search)
        layout.addWidget(self.matches)
        layout.addWidget(self.none_label)
        layout.addWidget(self.chosen)
        self.search.textChanged.connect(self._filter)
        self.search.installEventFilter(self)
        self.matches.installEventFilter(self)
        self.chosen.installEventFilter(self)
        self.matches.itemActivated.connect(self._add_item)
        self.matches.itemClicked.connect(self._add_item)
        self.chosen.itemDoubleClicked.connect(self._remove_item)

    # ---- state ---------------------------------------------------------------------------

    def chosen_keys(self) -> list[tuple[str, int]]:
        return list(self._chosen)

    def add(self, choice: Choice) -> None:
        if choice.key in self._chosen:
            return
        self._chosen[choice.key] = choice
        item = QListWidgetItem(f"{choice.label}  ✕")
        item.setData(CHOICE_ROLE, choice.key)
        item.setToolTip("Dubbelklicka eller tryck Delete för att ta bort")
        self.chosen.addItem(item)
        self._update_visibility()
        self.changed.emit()

    def remove(self, key: tuple[str, int]) -> None:
        if self._chosen.pop(key, None) is None:
            return
        for row in range(self.chosen.count()):
            if self.chosen.item(row).data(CHOICE_ROLE) == key:
                self.chosen.takeItem(row)
                break
        self._update_visibility()
        self.changed.emit()

    # ---- reacting ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        plain = not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if watched is self.search:
            if enter and plain:
                # Enter picks the highlighted match (or the only one) — it never sends.
                item = self.matches.currentItem() or (
                    self.matches.item(0) if self.matches.count() >= 1 else None)
                if item is not None and self.matches.isVisible():
                    self._add_item(item)
                return True
            if key == Qt.Key.Key_Down and self.matches.isVisible() and self.matches.count():
                self.matches.setFocus(Qt.FocusReason.OtherFocusReason)
                self.matches.setCurrentRow(max(self.matches.currentRow(), 0))
                return True
        elif watched is self.matches and enter and plain:
            item = self.matches.currentItem()
            if item is not None:
                self._add_item(item)
            return True
        elif watched is self.chosen and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            item = self.chosen.currentItem()
            if item is not None:
                self._remove_item(item)
            return True
        return super().eventFilter(watched, event)

    def _filter(self, text: str) -> None:
        self.matches.clear()
        words = text.casefold().split()
        if not words:
            self.matches.hide()
            return
        shown = 0
        for choice in self._choices:
            if choice.key in self._chosen or not all(w in choice.search_text for w in words):
                continue
            item = QListWidgetItem(choice.label)
            item.setData(CHOICE_ROLE, choice.key)
            self.matches.addItem(item)
            shown += 1
            if shown >= MAX_MATCHES:
                break
        if shown == 0:
            item = QListWidgetItem("Ingen aktiv användare eller enhet matchar.")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.matches.addItem(item)
        else:
            self.matches.setCurrentRow(0)
        self.matches.show()

    def _add_item(self, item: QListWidgetItem) -> None:
        key = item.data(CHOICE_ROLE)
        if not key:
            return
        for choice in self._choices:
            if choice.key == tuple(key):
                self.add(choice)
                break
        self.search.clear()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _remove_item(self, item: QListWidgetItem) -> None:
        key = item.data(CHOICE_ROLE)
        if key:
            self.remove(tuple(key))

    def _update_visibility(self) -> None:
        self.chosen.setVisible(bool(self._chosen))
        self.none_label.setVisible(not self._chosen)


class ComposeDialog(QDialog):
    """Nytt meddelande, Svara or Vidarebefordra, from what `message_page.compose_start` read."""

    def __init__(self, session: Session, start: ComposeStart,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.start = start
        self.sent: Message | None = None
        self._sending = False
        self.setObjectName("compose_dialog")
        replying, forwarding = start.reply_to is not None, start.forward is not None
        if replying:
            self.setWindowTitle("Svara")
        elif forwarding:
            self.setWindowTitle("Vidarebefordra")
        else:
            self.setWindowTitle("Nytt meddelande")

        self._users: dict[int, User] = {u.id: u for u in start.users}
        self._units: dict[int, Unit] = {c.unit.id: c.unit for c in start.units}
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        # Recipients: fixed for a reply, own organisation only for a forward.
        self.picker: RecipientPicker | None = None
        self.case_users_button: QPushButton | None = None
        if replying:
            fixed = QLabel(start.reply_target)
            fixed.setObjectName("reply_recipient")
            self.form.add("recipients", "Till", fixed)
        else:
            self.picker = RecipientPicker([user_choice(u) for u in start.users]
                                          + [unit_choice(c) for c in start.units])
            self.picker.changed.connect(lambda: self.form.clear_error("recipients"))
            self.form.add("recipients", "Till *", self.picker)
            # The red frame of a refusal belongs on the search field, not on every child.
            self.form.inputs["recipients"] = self.picker.search
            if start.case_id is not None and not forwarding:
                self.case_users_button = QPushButton("Lägg till ärendets användare")
                self.case_users_button.setObjectName("add_case_users")
                self.case_users_button.setAutoDefault(False)
                self.case_users_button.setToolTip(
                    "Samordningsansvarig och alla som skickat eller fått meddelanden i ärendet")
                self.case_users_button.clicked.connect(self._add_case_users)
                row = QHBoxLayout()
                row.addWidget(self.case_users_button)
                row.addStretch(1)
                self.form.addRow("", row)
            if forwarding:
                note = QLabel("Bara till personer i din egen organisation.")
                note.setEnabled(False)
                self.form.addRow("", note)

        self.subject = limited(QLineEdit(), Message.subject)
        self.subject.setObjectName("subject")
        self.subject.setAccessibleName("Rubrik")
        self.subject.setPlaceholderText("Skriv aldrig personens namn eller personnummer här")
        if start.original is not None:
            prefix = "Sv: " if replying else "Vb: "
            original = start.original_subject
            self.subject.setText(original if original.startswith(prefix)
                                 else f"{prefix}{original}")
            self.subject.setReadOnly(True)
            self.subject.setStyleSheet(READ_ONLY_STYLE)
        self.subject.textEdited.connect(lambda _t: self.form.clear_error("subject"))
        self.form.add("subject", "Rubrik" if self.subject.isReadOnly() else "Rubrik *",
                      self.subject)

        self.body = QPlainTextEdit()
        self.body.setObjectName("body")
        self.body.setAccessibleName("Meddelande")
        self.body.setTabChangesFocus(True)
        self.body.setMinimumHeight(self.fontMetrics().height() * 10)
        if forwarding:
            self.body.setPlaceholderText("En rad till mottagarna (valfritt) — "
                                         "det vidarebefordrade meddelandet läggs till under.")
        self.body.textChanged.connect(lambda: self.form.clear_error("body"))
        self.form.add("body", "Meddelande" if forwarding else "Meddelande *", self.body)

        self.case_edit = for_search(QLineEdit())
        self.case_edit.setObjectName("case")
        self.case_edit.setAccessibleName("Ärendenummer")
        self.case_edit.setPlaceholderText("Ärendenummer, t.ex. SIP-2026-0042 "
                                          "(tomt: inget ärende)")
        if start.case_number:
            self.case_edit.setText(start.case_number)
        if start.original is not None:
            self.case_edit.setReadOnly(True)
            self.case_edit.setStyleSheet(READ_ONLY_STYLE)
        self.case_edit.textEdited.connect(lambda _t: self.form.clear_error("case"))
        self.form.add("case", "Ärende", self.case_edit)

        self.requires_ack = QCheckBox("Kräver kvittens — mottagarna bekräftar att de läst")
        self.requires_ack.setObjectName("requires_ack")
        if forwarding:
            self.requires_ack.setChecked(start.requires_ack)
            self.requires_ack.setEnabled(False)
        self.form.add("requires_ack", "", self.requires_ack)

        self.buttons = QDialogButtonBox()
        self.send_button = self.buttons.addButton("Skicka", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("send")
        self.send_button.setToolTip("Skicka meddelandet (Ctrl+Enter)")
        cancel = self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        for button in (self.send_button, cancel):
            # Enter in a field must never send half a message: Ctrl+Enter does.
            button.setAutoDefault(False)
            button.setDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        hint = QLabel("Ctrl+Enter skickar")
        hint.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(hint, 1)
        bottom.addWidget(self.buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addLayout(bottom)
        self.resize(max(self.sizeHint().width(), 640), max(self.sizeHint().height(), 520))
        if self.picker is not None:
            self.picker.search.setFocus()
        else:
            self.body.setFocus()

    # ---- running it ---------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session,
            start: ComposeStart) -> Message | None:
        """Show the dialog; the sent message, or None when the user cancelled."""
        dialog = cls(session, start, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.sent
            return None
        finally:
            dialog.deleteLater()

    # ---- recipients -----------------------------------------------------------------------

    def _add_case_users(self) -> None:
        assert self.picker is not None
        for user_id in self.start.case_users:
            if user_id in self._users:
                self.picker.add(user_choice(self._users[user_id]))

    # ---- sending --------------------------------------------------------------------------

    def reject(self) -> None:
        if self._sending:
            return  # the message is on its way: its answer comes to this dialog
        typed = self.body.toPlainText().strip() or (
            self.start.original is None and self.subject.text().strip())
        if typed and not messages.confirm(
            self, "Slänga meddelandet?", "Det du har skrivit skickas inte och sparas inte.",
            yes="Släng meddelandet", no="Fortsätt skriva",
        ):
            return
        super().reject()

    def accept(self) -> None:
        """Skicka: check and send in one operation; the problems show at their fields."""
        if self._sending:
            return
        self.form.clear_errors()
        self._sending = True
        self.send_button.setEnabled(False)

        def done() -> None:
            self._sending = False
            self.send_button.setEnabled(True)

        Operation(self, self._sending_work(), title=NOT_SENT).success(self._sent).failure(
            self._send_failed).finally_(done).run()

    def _sent(self, outcome: Outcome) -> None:
        problems, sent = outcome
        if problems:
            for name, text in problems.items():
                self.form.show_error(name, text)
            self._focus_field(next(iter(problems)))
            return
        self.sent = sent
        log.info("message sent")
        super().accept()

    def _send_failed(self, problem: Exception) -> None:
        if isinstance(problem, StorageError):
            log.error("sending a message failed: %s", type(problem).__name__)
            messages.error(self, NOT_SENT, problem.message if isinstance(
                problem, ServerUnreachable) else
                "Det gick inte att spara i databasen. Det du skrivit finns kvar — "
                "kontrollera anslutningen och försök igen.")
        elif isinstance(problem, SipError):
            self._show_problem(problem)
        else:
            report_failure(self, problem, NOT_SENT)

    def _chosen(self) -> tuple[list[User], list[Unit]]:
        if self.picker is None:
            return [], []
        keys = self.picker.chosen_keys()
        return ([self._users[i] for kind, i in keys if kind == "user"],
                [self._units[i] for kind, i in keys if kind == "unit"])

    def _sending_work(self) -> Callable[[], Outcome]:
        """What "Skicka" runs in the background, from what is typed now. A new message: every
        problem of its fields at once (the core's messages), else sent. A reply or a forward
        has one field to fill: the core says what is wrong on sending."""
        me, start = self.session.user, self.start
        subject, body = self.subject.text(), self.body.toPlainText()
        number = self.case_edit.text()
        requires_ack = self.requires_ack.isChecked()
        users, units = self._chosen()
        reply_to, forward = start.reply_to, start.forward

        def sending() -> Outcome:
            if reply_to is not None:
                return {}, messaging.reply(me, messaging.open_message(me, reply_to), body=body,
                                           requires_ack=requires_ack)
            if forward is not None:
                if not users:
                    raise ValidationError("Välj minst en mottagare.", field="recipients")
                return {}, messaging.forward(me, messaging.open_message(me, forward), to=users,
                                             note=body)
            problems = message_page.compose_problems(me, subject=subject, body=body, to=users,
                                                     to_units=units, case_number=number)
            if problems:
                return problems, None
            return {}, messaging.send(me, subject=subject, body=body, to=users, to_units=units,
                                      case=message_page.message_case(me, number),
                                      requires_ack=requires_ack)

        return sending

    def _show_problem(self, problem: SipError) -> None:
        """At its field when the core names one; otherwise in a message box."""
        if problem.field and self.form.show_error(problem.field, problem.message):
            self._focus_field(problem.field)
            return
        title = ("Du har inte behörighet" if isinstance(problem, PermissionDenied)
                 else NOT_SENT)
        messages.warning(self, title, problem.message)

    def _focus_field(self, name: str) -> None:
        widget = {"recipients": self.picker.search if self.picker else None,
                  "subject": self.subject, "body": self.body,
                  "case": self.case_edit}.get(name)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
