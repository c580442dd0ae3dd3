"""The Inkorg page driven like a user: compose and send by typing, switch user, see the badge,
acknowledge with Ctrl+K, see "1 av 1 har kvitterat" as the sender, withdraw with a reason,
bad input at the fields, search as you type, the arrows, and qtmodeltester on the model.

DOMAIN.md "meddelande med kvittens": every recipient acknowledges explicitly; the sender sees
who has; a withdrawn message stays visible, struck through, and needs no kvittens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.desk import message_page
from sipdesk.errors import StorageError
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder, MessageKind
from sipdesk.storage.models import Case, Law, PrincipalKind, User
from tests.factories import PNR_OTHER, make_case, make_person, make_unit, make_user
from tests.ui.conftest import MessageLog, read_cell, settle, type_text, wait_for_operations
from ui.inbox.compose import ComposeDialog
from ui.inbox.model import CASE, STATUS, SUBJECT, UNREAD_MARK, WHO, MailboxModel, MailFilter
from ui.inbox.view import InboxView
from ui.inbox.withdraw import WithdrawDialog
from ui.main_window import INBOX_ROW, MainWindow
from ui.session import Session

CTRL = Qt.KeyboardModifier.ControlModifier


# ---- helpers -------------------------------------------------------------------------------------

def open_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # The inbox and Att göra load once the case list has painted (a quick start).
    qtbot.waitUntil(lambda: window.inbox.loaded and window.todo.loaded, timeout=3000)
    settle(qtbot)  # their counts and first pages are read in the background
    return window


def activate(qtbot: QtBot, widget: QWidget) -> None:
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2000)


def in_modal_dialog(qtbot: QtBot, act: Callable[[QDialog], None]) -> list[int]:
    """Run `act` on the modal dialog the next command opens with exec(); it must close the
    dialog. Should `act` fail, the dialog is closed anyway so the test cannot hang. Returns the
    result of the dialog once it has closed (a QDialog.DialogCode): the dialog itself is gone
    once the events after it have run."""
    results: list[int] = []
    tries = [0]

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) and tries[0] < 200:
            tries[0] += 1  # the command has not opened it yet
            QTimer.singleShot(10, run)
            return
        assert isinstance(dialog, QDialog), "no modal dialog opened"
        try:
            activate(qtbot, dialog)
            act(dialog)
        finally:
            if dialog.isVisible():
                dialog.done(QDialog.DialogCode.Rejected)
            results.append(dialog.result())

    QTimer.singleShot(0, run)
    return results


def label(widget: QWidget, name: str) -> QLabel:
    found = widget.findChild(QLabel, name)
    assert found is not None, name
    return found


def show_inbox(qtbot: QtBot, session: Session) -> InboxView:
    view = InboxView(session)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot)  # the count and first page are read in the background
    return view


def click_row(qtbot: QtBot, view: InboxView, message_id: int) -> None:
    # The rows of a page are fetched when the table first paints them.
    qtbot.waitUntil(lambda: view.model.row_of_message(message_id) is not None, timeout=2000)
    row = view.model.row_of_message(message_id)
    assert row is not None
    rect = view.table.visualRect(view.model.index(row, SUBJECT))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)
    assert view.pane.opened is not None and view.pane.opened.message_id == message_id


def cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def header_text(table: QTableWidget, column: int) -> str:
    item = table.horizontalHeaderItem(column)
    assert item is not None
    return item.text()


def nav_text(window: MainWindow, row: int = INBOX_ROW) -> str:
    return window.navigation.item(row).text()


@pytest.fixture
def karl(colleague: Session) -> Session:
    return colleague


@pytest.fixture
def region_user(sqlite_session: Session) -> User:
    unit = make_unit("Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
                     kind=PrincipalKind.REGION)
    return make_user("per.nord", unit=unit, full_name="Per Nord")


# ---- the whole round: compose, badge, Ctrl+K, receipts ------------------------------------------

def test_compose_send_switch_user_acknowledge_with_ctrl_k_and_sender_sees_it(
    sqlite_session: Session, karl: Session, qtbot: QtBot
) -> None:
    """Issue 4, Tests (GUI): compose and send, switch user, see the badge, acknowledge with
    Ctrl+K, see "1 av 1 har kvitterat" as sender."""
    anna_window = open_window(qtbot, sqlite_session)
    anna_window.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    inbox = anna_window.inbox
    activate(qtbot, inbox)

    def write(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog) and dialog.picker is not None
        assert dialog.picker.search.hasFocus()
        type_text(qtbot, dialog.picker.search, "karl")
        qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)  # picks, never sends
        settle(qtbot)
        assert dialog.isVisible() and dialog.picker.chosen_keys() == [("user", karl.user.id)]
        type_text(qtbot, dialog.subject, "Kallelse till SIP-möte")
        type_text(qtbot, dialog.body, "Hej Karl! Välkommen på tisdag kl. 13.")
        qtbot.mouseClick(dialog.requires_ack, Qt.MouseButton.LeftButton)
        settle(qtbot)
        qtbot.keyClick(dialog.body, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter sends
        settle(qtbot)

    opened = in_modal_dialog(qtbot, write)
    qtbot.keyClick(inbox.table, Qt.Key.Key_N, CTRL | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)  # the recipients are read in the background, then the dialog opens
    assert opened and opened[0] == QDialog.DialogCode.Accepted
    sent = messaging.folder_rows(sqlite_session.user, Folder.SENT)
    assert [(r.subject, r.requires_ack) for r in sent] == [("Kallelse till SIP-möte", True)]
    message_id = sent[0].message_id
    assert "Meddelandet är skickat" in anna_window.statusBar().currentMessage()

    # Karl logs in on the same database: the badge says what waits.
    karl_window = open_window(qtbot, karl)
    assert nav_text(karl_window) == "Inkorg\n1 oläst · 1 att kvittera"
    assert nav_text(karl_window, 2) == "Att göra (1)"
    karl_window.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    view = karl_window.inbox
    assert view.model.rowCount() == 1
    assert view.model.index(0, STATUS).data() == "Kvittera"
    assert view.model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()  # unread
    click_row(qtbot, view, message_id)
    assert nav_text(karl_window) == "Inkorg\n1 att kvittera"  # opened: read, not acknowledged
    assert label(view.pane, "message_body").text() == "Hej Karl! Välkommen på tisdag kl. 13."
    assert view.acknowledge_action.isEnabled()

    activate(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)
    settle(qtbot)
    assert nav_text(karl_window) == "Inkorg"
    assert nav_text(karl_window, 2) == "Att göra"
    assert label(view.pane, "my_ack_state").text() == "✓ Du har kvitterat meddelandet."
    assert view.model.index(0, STATUS).data() == "Kvitterat"
    assert not view.acknowledge_action.isEnabled()
    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)  # twice: nothing more happens
    settle(qtbot)
    assert messaging.ack_summary(message_id) == "1 av 1 har kvitterat"

    # Back to Anna: the Skickat folder shows who has acknowledged.
    activate(qtbot, inbox)
    inbox.set_folder(Folder.SENT)
    settle(qtbot)
    assert inbox.model.index(0, STATUS).data() == "1 av 1 kvitterat"
    assert inbox.model.index(0, WHO).data() == "Karl Lind"
    click_row(qtbot, inbox, message_id)
    assert label(inbox.pane, "ack_summary").text() == "1 av 1 har kvitterat"
    table = inbox.pane.receipt_table
    assert [header_text(table, c) for c in range(4)] == [
        "Mottagare", "Enhet", "Läst", "Kvitterat"]
    assert cell(table, 0, 0) == "Karl Lind"
    assert cell(table, 0, 1) == "Biståndsenheten"
    assert cell(table, 0, 3) not in ("", "—")
    assert not inbox.acknowledge_action.isEnabled()  # the sender has nothing to acknowledge
    assert inbox.withdraw_action.isEnabled()


def test_ctrl_k_twice_before_the_kvittens_is_saved_acknowledges_once(
    sqlite_session: Session, karl: Session, qtbot: QtBot, message_log: MessageLog
) -> None:
    """The kvittens is saved in the background: a second Ctrl+K meanwhile does nothing (no
    "already acknowledged" box)."""
    message = messaging.send(sqlite_session.user, subject="Info", body="Hej", to=[karl.user],
                             requires_ack=True)
    view = show_inbox(qtbot, karl)
    click_row(qtbot, view, message.id)
    activate(qtbot, view)
    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)
    qtbot.keyClick(view.table, Qt.Key.Key_K, CTRL)
    settle(qtbot)
    assert message_log.shown == []
    assert label(view.pane, "my_ack_state").text() == "✓ Du har kvitterat meddelandet."
    assert messaging.ack_summary(message.id) == "1 av 1 har kvitterat"


def test_sender_does_not_see_receipts_as_recipient_and_recipient_sees_none(
    sqlite_session: Session, karl: Session, qtbot: QtBot
) -> None:
    """Only the sender sees who has read and acknowledged (receipts_of is the sender's)."""
    message = messaging.send(sqlite_session.user, subject="Info", body="Hej", to=[karl.user],
                             requires_ack=True)
    view = show_inbox(qtbot, karl)
    click_row(qtbot, view, message.id)
    assert view.pane.findChild(QLabel, "ack_summary") is None
    assert label(view.pane, "sender").text() == "Anna Berg, Hemtjänst Norr"
    assert label(view.pane, "recipients").text() == "Karl Lind"


# ---- withdrawing ------------------------------------------------------------------------------

def test_withdrawn_message_is_struck_through_with_the_reason(
    sqlite_session: Session, karl: Session, qtbot: QtBot, message_log: MessageLog
) -> None:
    """A withdrawn message stays visible to its recipients, struck through, with the reason,
    and no longer needs acknowledgement (DOMAIN: meddelande med kvittens; issue 4)."""
    message = messaging.send(sqlite_session.user, subject="Fel tid", body="Tisdag kl. 13",
                             to=[karl.user], requires_ack=True)
    anna = open_window(qtbot, sqlite_session)
    anna.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    anna.inbox.set_folder(Folder.SENT)
    click_row(qtbot, anna.inbox, message.id)

    def give_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, WithdrawDialog)
        qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
        assert dialog.isVisible()  # no reason: refused at the field
        assert dialog.form.error_text("reason") == "Skriv varför meddelandet makuleras."
        type_text(qtbot, dialog.reason, "Fel dag — en ny kallelse kommer.")
        qtbot.mouseClick(dialog.withdraw_button, Qt.MouseButton.LeftButton)
        settle(qtbot)

    shown = in_modal_dialog(qtbot, give_reason)
    anna.inbox.withdraw_action.trigger()
    assert shown and shown[0] == QDialog.DialogCode.Accepted
    settle(qtbot)  # the message is read again in the background
    assert label(anna.inbox.pane, "withdrawn_reason").text() == (
        "Makulerat: Fel dag — en ny kallelse kommer.")
    assert not anna.inbox.withdraw_action.isEnabled()

    karl_window = open_window(qtbot, karl)
    assert nav_text(karl_window) == "Inkorg\n1 oläst"  # no kvittens owed any more
    karl_window.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    view = karl_window.inbox
    assert view.model.index(0, STATUS).data() == "Makulerat"
    assert view.model.index(0, SUBJECT).data(Qt.ItemDataRole.FontRole).strikeOut()
    click_row(qtbot, view, message.id)
    assert label(view.pane, "withdrawn_reason").text() == (
        "Makulerat: Fel dag — en ny kallelse kommer.")
    assert label(view.pane, "message_subject").font().strikeOut()
    assert label(view.pane, "message_body").font().strikeOut()
    assert not view.acknowledge_action.isEnabled()
    assert view.pane.findChild(QWidget, "acknowledge") is None
    assert message_log.shown == []


def test_only_the_sender_can_withdraw(sqlite_session: Session, karl: Session,
                                      qtbot: QtBot) -> None:
    message = messaging.send(sqlite_session.user, subject="Info", body="Hej", to=[karl.user])
    view = show_inbox(qtbot, karl)
    click_row(qtbot, view, message.id)
    assert not view.withdraw_action.isEnabled()
    dialog = WithdrawDialog(karl, message.id, "Info")  # and the core says no, at the field
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.reason, "Vill inte")
    dialog.accept()
    settle(qtbot)
    assert dialog.withdrawn is None


# ---- bad input ---------------------------------------------------------------------------------

def compose(qtbot: QtBot, session: Session) -> ComposeDialog:
    # What the inbox reads in the background before it opens the dialog.
    dialog = ComposeDialog(session, message_page.compose_start(session.user))
    qtbot.addWidget(dialog)
    dialog.show()
    activate(qtbot, dialog)
    return dialog


def send_with_ctrl_enter(qtbot: QtBot, dialog: ComposeDialog) -> None:
    qtbot.keyClick(dialog.body, Qt.Key.Key_Return, CTRL)
    settle(qtbot)


def test_empty_message_shows_every_problem_at_its_field(
    sqlite_session: Session, qtbot: QtBot
) -> None:
    """Issue 4, Rules: empty subject or body, no recipients — refused in Swedish, at the field."""
    dialog = compose(qtbot, sqlite_session)
    type_text(qtbot, dialog.case_edit, "SIP-1999-0001")
    send_with_ctrl_enter(qtbot, dialog)
    assert dialog.isVisible() and dialog.sent is None
    assert dialog.form.error_text("recipients") == "Välj minst en mottagare."
    assert dialog.form.error_text("subject") == "Skriv en rubrik."
    assert dialog.form.error_text("body") == "Skriv ett meddelande."
    assert dialog.form.error_text("case") == (
        "Det finns inget ärende med nummer SIP-1999-0001 som du kan se.")
    assert dialog.case_edit.text() == "SIP-1999-0001"  # nothing typed is lost
    assert dialog.picker is not None and dialog.picker.search.hasFocus()
    type_text(qtbot, dialog.subject, "Rubrik")
    assert dialog.form.error_text("subject") == ""  # typing clears the message


def meeting_question_to_karl(qtbot: QtBot, session: Session) -> ComposeDialog:
    """A new message to Karl Lind, "Möte" / "Kan du komma?", typed and not yet sent."""
    dialog = compose(qtbot, session)
    assert dialog.picker is not None
    type_text(qtbot, dialog.picker.search, "Karl")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    settle(qtbot)
    type_text(qtbot, dialog.subject, "Möte")
    type_text(qtbot, dialog.body, "Kan du komma?")
    return dialog


def test_inactive_recipient_is_refused_at_the_recipients(
    sqlite_session: Session, karl: Session, qtbot: QtBot
) -> None:
    """Issue 4, Rules: a recipient who is no longer active (deactivated after the dialog
    opened) — refused at the field, everything typed kept."""
    dialog = meeting_question_to_karl(qtbot, sqlite_session)
    assert dialog.picker is not None
    User.update(active=False).where(User.id == karl.user.id).execute()
    send_with_ctrl_enter(qtbot, dialog)
    assert dialog.isVisible() and dialog.sent is None
    assert dialog.form.error_text("recipients") == (
        "Karl Lind är inte längre aktiv och kan inte få meddelanden.")
    assert (dialog.subject.text(), dialog.body.toPlainText()) == ("Möte", "Kan du komma?")
    assert dialog.picker.chosen_keys() == [("user", karl.user.id)]


def test_a_send_that_fails_in_the_database_keeps_what_was_typed(
    sqlite_session: Session, karl: Session, qtbot: QtBot, message_log: MessageLog,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The message is sent in the background; when the database fails, the dialog stays open
    with everything typed, says so, and sending again works."""
    dialog = meeting_question_to_karl(qtbot, sqlite_session)
    assert dialog.picker is not None

    def broken(*_args: object, **_kwargs: object) -> None:
        raise StorageError()

    with monkeypatch.context() as patched:
        patched.setattr(messaging, "send", broken)
        send_with_ctrl_enter(qtbot, dialog)
    assert dialog.isVisible() and dialog.sent is None
    assert message_log.shown[-1][:2] == ("error", "Meddelandet skickades inte")
    assert (dialog.subject.text(), dialog.body.toPlainText()) == ("Möte", "Kan du komma?")
    assert dialog.picker.chosen_keys() == [("user", karl.user.id)]
    assert dialog.send_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        send_with_ctrl_enter(qtbot, dialog)
    assert dialog.sent is not None
    assert messaging.folder_count(karl.user, Folder.INBOX) == 1


def test_case_the_sender_cannot_see_is_refused_at_the_case(
    sqlite_session: Session, region_user: User, qtbot: QtBot
) -> None:
    """Issue 4, Rules: a message to a case the sender cannot see (DOMAIN, Data protection)."""
    case = make_case(sqlite_session.user)
    region = Session(url=sqlite_session.url, user=region_user)
    dialog = compose(qtbot, region)
    assert dialog.picker is not None
    type_text(qtbot, dialog.picker.search, "Anna")
    qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
    settle(qtbot)
    type_text(qtbot, dialog.subject, "Fråga")
    type_text(qtbot, dialog.body, "Hej")
    type_text(qtbot, dialog.case_edit, case.number.lower())
    send_with_ctrl_enter(qtbot, dialog)
    assert dialog.isVisible() and dialog.sent is None
    # told as if there were no such case: typing numbers reveals nothing (Data protection)
    assert dialog.form.error_text("case") == (
        f"Det finns inget ärende med nummer {case.number.lower()} som du kan se.")
    assert messaging.folder_count(sqlite_session.user, Folder.INBOX) == 0


def test_recipients_by_typing_units_and_removing(
    sqlite_session: Session, karl: Session, qtbot: QtBot
) -> None:
    """A unit as recipient means its active users; Delete removes a chosen recipient."""
    make_user("lena.strand", unit=karl.user.unit, full_name="Lena Strand")
    dialog = compose(qtbot, sqlite_session)
    picker = dialog.picker
    assert picker is not None
    type_text(qtbot, picker.search, "bistånd")
    labels = [picker.matches.item(i).text() for i in range(picker.matches.count())]
    assert labels == ["Karl Lind (Biståndsenheten)", "Lena Strand (Biståndsenheten)",
                      "Biståndsenheten — hela enheten (2 aktiva)"]
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    settle(qtbot)
    qtbot.keyClick(picker.matches, Qt.Key.Key_Down)
    settle(qtbot)
    qtbot.keyClick(picker.matches, Qt.Key.Key_Down)
    settle(qtbot)
    qtbot.keyClick(picker.matches, Qt.Key.Key_Return)
    settle(qtbot)
    assert picker.chosen_keys() == [("unit", karl.user.unit_id)]
    type_text(qtbot, picker.search, "karl")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    settle(qtbot)
    assert len(picker.chosen_keys()) == 2
    picker.chosen.setCurrentRow(1)
    settle(qtbot)
    qtbot.keyClick(picker.chosen, Qt.Key.Key_Delete)
    settle(qtbot)
    assert picker.chosen_keys() == [("unit", karl.user.unit_id)]
    type_text(qtbot, picker.search, "xyz")
    assert picker.matches.item(0).text() == "Ingen aktiv användare eller enhet matchar."
    picker.search.clear()
    type_text(qtbot, dialog.subject, "Till hela enheten")
    type_text(qtbot, dialog.body, "Hej alla")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        send_with_ctrl_enter(qtbot, dialog)
    assert dialog.sent is not None
    assert messaging.recipients_of([dialog.sent.id])[dialog.sent.id].names == (
        "Karl Lind", "Lena Strand")


def test_cancel_after_typing_asks_first(sqlite_session: Session, qtbot: QtBot,
                                        message_log: MessageLog) -> None:
    dialog = compose(qtbot, sqlite_session)
    type_text(qtbot, dialog.body, "Ett utkast")
    message_log.confirm_answer = False
    qtbot.keyClick(dialog.body, Qt.Key.Key_Escape)
    settle(qtbot)
    assert dialog.isVisible() and dialog.body.toPlainText() == "Ett utkast"
    assert message_log.shown[-1][1] == "Slänga meddelandet?"


# ---- reading --------------------------------------------------------------------------------

@pytest.fixture
def mailbox(sqlite_session: Session, karl: Session) -> Iterator[dict[str, object]]:
    anna, karl_user = sqlite_session.user, karl.user
    case = make_case(anna)
    other = make_case(anna, make_person(PNR_OTHER, "Greta", "Lund"))
    first = messaging.send(karl_user, subject="Första", body="Ett", to=[anna], case=case)
    second = messaging.send(karl_user, subject="Andra", body="<b>Två</b> & tre", to=[anna])
    third = messaging.send(karl_user, subject="Tredje", body="Tre", to=[anna], case=other,
                           kind=MessageKind.FOLLOW_UP, requires_ack=True)
    yield {"case": case, "other": other, "first": first, "second": second, "third": third}


def test_arrows_move_between_messages_and_opening_marks_read(
    sqlite_session: Session, mailbox: dict, qtbot: QtBot
) -> None:
    window = open_window(qtbot, sqlite_session)
    assert nav_text(window) == "Inkorg\n3 olästa · 1 att kvittera"
    window.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    view = window.inbox
    subjects = [view.model.index(r, SUBJECT).data() for r in range(3)]
    assert subjects == ["Tredje", "Andra", "Första"]  # newest first
    assert view.model.index(1, STATUS).data() == UNREAD_MARK
    assert view.model.index(1, STATUS).data(Qt.ItemDataRole.AccessibleTextRole) == "Oläst"
    click_row(qtbot, view, mailbox["third"].id)
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settle(qtbot)
    assert view.pane.opened is not None and view.pane.opened.subject == "Andra"
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settle(qtbot)
    assert view.pane.opened is not None and view.pane.opened.subject == "Första"
    assert nav_text(window) == "Inkorg\n1 att kvittera"
    assert not view.model.index(1, SUBJECT).data(Qt.ItemDataRole.FontRole).bold()
    qtbot.keyClick(view.table, Qt.Key.Key_Up)
    settle(qtbot)
    assert view.pane.opened is not None and view.pane.opened.subject == "Andra"
    window.refresh_messages()  # e.g. news from another client: the selection stays
    assert view.table.currentIndex().row() == 1
    assert view.pane.opened is not None and view.pane.opened.subject == "Andra"
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    settle(qtbot)
    assert view.pane.opened is not None and view.pane.opened.subject == "Första"


def test_body_is_shown_as_plain_text(sqlite_session: Session, mailbox: dict,
                                     qtbot: QtBot) -> None:
    """User text is never interpreted as rich text."""
    view = show_inbox(qtbot, sqlite_session)
    click_row(qtbot, view, mailbox["second"].id)
    body = label(view.pane, "message_body")
    assert body.textFormat() == Qt.TextFormat.PlainText
    assert body.text() == "<b>Två</b> & tre"
    assert label(view.pane, "case_number").text() == "Inget ärende (administrativt meddelande)"


def test_search_as_you_type_and_the_case_filter(sqlite_session: Session, mailbox: dict,
                                                qtbot: QtBot) -> None:
    view = show_inbox(qtbot, sqlite_session)
    assert view.count_label.text() == "3 meddelanden"
    type_text(qtbot, view.search, "tre")  # subject "Tredje" and the body "… & tre"
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=1000)
    view.search.clear()
    type_text(qtbot, view.search, mailbox["case"].number)  # case number
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=1000)
    assert view.model.index(0, CASE).data() == mailbox["case"].number
    view.search.clear()
    type_text(qtbot, view.search, "Karl")  # sender
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=1000)
    type_text(qtbot, view.search, "xyz")
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=1000)
    assert view.count_label.text() == "0 meddelanden"
    view.search.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() == 3, timeout=1000)

    click_row(qtbot, view, mailbox["third"].id)
    view.only_case_action.trigger()
    settle(qtbot)
    assert view.case_chip.text() == f"Bara ärende {mailbox['other'].number}"
    assert view.model.rowCount() == 1
    qtbot.mouseClick(view.clear_case_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert view.model.rowCount() == 3 and view.case_chip.isHidden()


def test_folders_have_counts_and_empty_states(sqlite_session: Session, mailbox: dict,
                                             qtbot: QtBot) -> None:
    view = show_inbox(qtbot, sqlite_session)
    texts = [view.folders.item(i).text() for i in range(view.folders.count())]
    assert texts == ["Inkorg (3)", "Skickat", "Kräver min kvittens (1)",
                     "Väntar på andras kvittens"]
    view.set_folder(Folder.AWAITING_MY_ACK)
    settle(qtbot)
    assert [view.model.index(r, SUBJECT).data() for r in range(view.model.rowCount())] == [
        "Tredje"]
    view.set_folder(Folder.SENT)
    settle(qtbot)
    assert view.model.rowCount() == 0
    assert view.table._empty_text.startswith("Du har inte skickat några meddelanden")
    assert view.model.headerData(WHO, Qt.Orientation.Horizontal) == "Till"


def test_open_case_from_the_reading_pane(sqlite_session: Session, mailbox: dict,
                                         qtbot: QtBot) -> None:
    window = open_window(qtbot, sqlite_session)
    window.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    click_row(qtbot, window.inbox, mailbox["first"].id)
    button = window.inbox.pane.open_case_button
    assert button.text() == "Öppna ärendet"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None and window.case_view.case_id == mailbox["case"].id
    assert window.stack.currentWidget() is window.case_view


def test_reply_keeps_the_thread_and_forward_stays_in_the_organisation(
    sqlite_session: Session, karl: Session, region_user: User, mailbox: dict, qtbot: QtBot
) -> None:
    view = show_inbox(qtbot, sqlite_session)
    click_row(qtbot, view, mailbox["first"].id)

    def answer(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog)
        assert label(dialog, "reply_recipient").text() == "Karl Lind"
        assert dialog.subject.text() == "Sv: Första" and dialog.subject.isReadOnly()
        assert dialog.case_edit.text() == mailbox["case"].number
        assert dialog.body.hasFocus()
        send_with_ctrl_enter(qtbot, dialog)  # empty: the core's message at the body
        assert dialog.form.error_text("body") == "Skriv ett meddelande."
        type_text(qtbot, dialog.body, "Tack, jag kommer.")
        send_with_ctrl_enter(qtbot, dialog)

    activate(qtbot, view)
    shown = in_modal_dialog(qtbot, answer)
    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL)
    settle(qtbot)  # what the reply keeps is read in the background, then the dialog opens
    assert shown and shown[0] == QDialog.DialogCode.Accepted

    karl_view = show_inbox(qtbot, karl)
    reply_id = karl_view.model.message_id(0)
    assert reply_id is not None
    click_row(qtbot, karl_view, reply_id)
    assert label(karl_view.pane, "thread_title").text() == "Konversationen (2 meddelanden)"

    def forward(dialog: QDialog) -> None:
        assert isinstance(dialog, ComposeDialog) and dialog.picker is not None
        type_text(qtbot, dialog.picker.search, "Per")
        assert dialog.picker.matches.item(0).text() == (
            "Ingen aktiv användare eller enhet matchar.")  # the region is another organisation
        dialog.picker.search.clear()
        type_text(qtbot, dialog.picker.search, "Anna")
        qtbot.keyClick(dialog.picker.search, Qt.Key.Key_Return)
        settle(qtbot)
        send_with_ctrl_enter(qtbot, dialog)

    activate(qtbot, karl_view)
    shown = in_modal_dialog(qtbot, forward)
    qtbot.keyClick(karl_view.table, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    settle(qtbot)
    assert shown and shown[0] == QDialog.DialogCode.Accepted
    forwarded = messaging.folder_rows(sqlite_session.user, Folder.INBOX)[0]
    assert forwarded.subject == "Vb: Sv: Första" and forwarded.case_id == mailbox["case"].id


# ---- the model --------------------------------------------------------------------------------

def test_mailbox_model_passes_qtmodeltester(session: Session, qtmodeltester: object) -> None:
    """Both engines; received and sent folders; pages smaller than the list."""
    unit = make_unit("Biståndsenheten")
    karl = make_user("karl.lind", unit=unit, full_name="Karl Lind")
    anna = session.user
    for number in range(7):
        messaging.send(karl, subject=f"Meddelande {number}", body="Text", to=[anna],
                       requires_ack=number % 2 == 0)
    sent = messaging.send(anna, subject="Svar", body="Text", to=[karl], requires_ack=True)
    messaging.withdraw(anna, sent.id, reason="Fel")
    model = MailboxModel(anna, page_size=3)
    model.set_filter(MailFilter(folder=Folder.INBOX))
    wait_for_operations()
    assert model.rowCount() == 7
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    # across pages, oldest last (a page is read when a row of it is first asked for)
    assert read_cell(model, 6, SUBJECT) == "Meddelande 0"
    model.set_filter(MailFilter(folder=Folder.SENT))
    wait_for_operations()
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert read_cell(model, 0, STATUS) == "Makulerat"
    assert read_cell(model, 0, 0, Qt.ItemDataRole.FontRole).strikeOut()


def test_message_list_tooltip_and_empty_point(sqlite_session: Session, mailbox: dict,
                                              qtbot: QtBot) -> None:
    view = show_inbox(qtbot, sqlite_session)
    assert view.model.index(0, SUBJECT).data(Qt.ItemDataRole.ToolTipRole) == (
        "Uppföljning, kräver din kvittens, oläst")
    request = messaging.send(User.get_by_id(mailbox["third"].sender_id), subject="Behov",
                             body="SIP behövs", to=[sqlite_session.user],
                             kind=MessageKind.REQUEST_TO_CONVENE)
    view.refresh()
    settle(qtbot)
    assert view.model.message_id(0) == request.id
    assert view.model.index(0, SUBJECT).data(Qt.ItemDataRole.ToolTipRole) == (
        "Begäran om SIP, oläst")
    # A click below the rows selects nothing and leaves the pane as it was.
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(10, view.table.viewport().height() - 5))
    assert view.pane.opened is None


def test_case_filter_from_the_main_window_case(sqlite_session: Session, mailbox: dict,
                                               qtbot: QtBot) -> None:
    view = show_inbox(qtbot, sqlite_session)
    case: Case = mailbox["case"]
    view.set_case_filter((case.id, case.number))
    settle(qtbot)
    assert view.model.rowCount() == 1 and view.model.index(0, SUBJECT).data() == "Första"


def test_messages_load_after_the_case_list_has_painted(sqlite_session: Session, mailbox: dict,
                                                      qtbot: QtBot) -> None:
    """The start is not slowed by the inbox: nothing is asked before the first paint."""
    window = MainWindow(sqlite_session)
    qtbot.addWidget(window)
    assert not window.inbox.loaded and not window.todo.loaded
    assert nav_text(window) == "Inkorg"
    with qtbot.waitSignal(window.case_list_painted, timeout=3000):
        window.show()
    qtbot.waitUntil(lambda: nav_text(window) == "Inkorg\n3 olästa · 1 att kvittera",
                    timeout=2000)
    qtbot.waitUntil(window.live.poll_timer.isActive, timeout=2000)  # live updates, after the paint


def test_main_window_shows_one_cases_messages(sqlite_session: Session, mailbox: dict,
                                              qtbot: QtBot) -> None:
    window = open_window(qtbot, sqlite_session)
    case: Case = mailbox["other"]
    window.show_case_messages(case.id, case.number)
    settle(qtbot)
    assert window.stack.currentWidget() is window.inbox
    assert window.inbox.case_chip.text() == f"Bara ärende {case.number}"
    assert [window.inbox.model.index(r, SUBJECT).data()
            for r in range(window.inbox.model.rowCount())] == ["Tredje"]
