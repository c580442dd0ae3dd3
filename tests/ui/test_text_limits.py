"""Text limits at the field (issue 13, hostile input): a one-line input stops at its column's
length, and a multi-line text that is too long gets the core's Swedish message under it, with
everything typed still there."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.meetings import invitation
from sipdesk.storage.limits import NOTE_TEXT
from sipdesk.storage.models import Person
from tests.ui.conftest import settle, type_text
from tests.ui.test_meeting_tab import make_world, send, tick
from tests.ui.test_new_case import open_dialog
from ui.dialogs.meeting_cancel import CancelMeetingDialog
from ui.session import Session


def test_a_first_name_stops_at_its_columns_length(sqlite_session: Session,
                                                  qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    qtbot.mouseClick(dialog.new_radio, Qt.MouseButton.LeftButton)
    first_name = dialog.fields["first_name"]
    limit = Person.first_name.max_length
    assert first_name.maxLength() == limit == 100
    first_name.setFocus()
    type_text(qtbot, first_name, "Å" * (limit - 1) + "sa")  # one key too many
    assert first_name.text() == "Å" * (limit - 1) + "s"
    first_name.insert("Lisa")  # pasting stops there too
    assert len(first_name.text()) == limit
    assert dialog.person_form.error_text("first_name") == ""


def test_a_too_long_reason_is_said_at_the_field_and_kept(sqlite_session: Session,
                                                         qtbot: QtBot) -> None:
    """The dialog checks nothing but the core does: its refusal reaches the field through the
    operation runner (`Operation.fields`), and the dialog stays open with the text."""
    world = make_world(sqlite_session)
    send(sqlite_session, world)
    dialog = CancelMeetingDialog(sqlite_session.user, invitation.current_meeting(world["case"]),
                                 current=clock.now())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    text = ("Den enskilde är sjuk och ingen kan komma den dagen.\n" * 80)[:NOTE_TEXT] + "!"
    dialog.reason.setPlainText(text)
    tick(qtbot, dialog.person_told)
    dialog.accept()
    settle(qtbot)
    assert dialog.isVisible()
    assert dialog.form.error_text("reason") == "Skälet får vara högst 4\u00a0000 tecken."
    assert dialog.reason.toPlainText() == text
    assert invitation.current_meeting(world["case"]).status == "planned"
    if os.environ.get("SIPDESK_SCREENSHOTS"):
        dialog.grab().save(os.path.join(os.environ["SIPDESK_SCREENSHOTS"],
                                        "limits-reason.png"))

    dialog.reason.setPlainText(text[:NOTE_TEXT])  # exactly at the limit: saved
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.accept()
        settle(qtbot)
    assert invitation.current_meeting(world["case"]).cancelled_reason == text[:NOTE_TEXT].strip()
