"""Answering a kallelse from the inbox (issue 5: answers by users go through the inbox)."""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from sipdesk.meetings import invitation
from sipdesk.messages import messaging
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.scenarios import NOW, good_draft, kallelse_world
from tests.ui.conftest import settle
from ui.inbox.answer import SubstituteDialog
from ui.inbox.view import InboxView
from ui.session import Session


@pytest.fixture
def invited(sqlite_db: peewee.Database, tmp_path: Path) -> dict:
    world = kallelse_world()
    world["meeting"] = invitation.send_invitation(world["officer"], world["case"],
                                                  good_draft(world), current=NOW)
    world["message_id"] = messaging.folder_rows(world["nurse"], messaging.Folder.INBOX)[0] \
        .message_id
    url = DatabaseUrl(Engine.SQLITE, path=Path(str(sqlite_db.database)))
    world["session"] = Session(url=url, user=world["nurse"])
    return world


def open_message(qtbot: QtBot, world: dict) -> InboxView:
    view = InboxView(world["session"])
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    view.show_message(world["message_id"])
    settle(qtbot)  # the message is read in the background
    return view


def my_place(world: dict) -> invitation.Participant:
    found = invitation.invitation_for(world["nurse"], world["message_id"])
    assert found is not None
    return found


def test_i_answer_that_i_come_and_the_convener_gets_it(qtbot: QtBot, invited: dict) -> None:
    view = open_message(qtbot, invited)
    state = view.pane.findChild(QLabel, "my_answer_state")
    assert state is not None and state.text() == "Ditt svar på kallelsen: Inget svar än."
    qtbot.mouseClick(view.pane.coming_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the message is read again in the background
    assert my_place(invited).answer == invitation.Answer.COMING.value
    state = view.pane.findChild(QLabel, "my_answer_state")
    assert state is not None and state.text() == "Ditt svar på kallelsen: Kommer."
    reply = messaging.folder_rows(invited["officer"], messaging.Folder.INBOX)[0]
    assert reply.subject.startswith("Sv: Kallelse")


def test_i_cannot_come_and_name_a_substitute(qtbot: QtBot, invited: dict,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    def fill(parent: object, session: Session, message_id: int, **kwargs: bool) -> bool:
        dialog = SubstituteDialog(session, message_id, **kwargs)
        qtbot.addWidget(dialog)
        dialog.submit()  # no name yet: refused at the field
        settle(qtbot)  # the answer is sent in the background
        assert dialog.form.error_text("substitute_name").startswith("Den som inte kan komma")
        qtbot.keyClicks(dialog.name, "Lisa Ek")
        qtbot.keyClicks(dialog.contact, "010-111 22 33")
        dialog.submit()
        settle(qtbot)
        return dialog.answered

    monkeypatch.setattr(SubstituteDialog, "ask", staticmethod(fill))
    view = open_message(qtbot, invited)
    qtbot.mouseClick(view.pane.not_coming_button, Qt.MouseButton.LeftButton)
    place = my_place(invited)
    assert (place.answer, place.substitute_name, place.substitute_contact) == (
        "not_coming", "Lisa Ek", "010-111 22 33")
