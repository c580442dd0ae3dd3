""""Jag kan inte komma" from the inbox (demo walkthrough): the whole Swedish message shows at the
Ersättare field — the dialog grows for it — and the required field is marked with *, like every
other form (seed 000: whoever cannot come names a substitute)."""

from __future__ import annotations

import os
from pathlib import Path

import peewee
import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from sipdesk.meetings import invitation
from sipdesk.messages import messaging
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.scenarios import NOW, good_draft, kallelse_world
from tests.ui.conftest import settle
from ui.inbox.answer import SubstituteDialog
from ui.session import Session

SHOTS = Path(os.environ.get("SIPDESK_SHOTS", "/tmp/shots"))
MESSAGE = "Den som inte kan komma utser en ersättare — skriv ersättarens namn."


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


def fully_visible(dialog: SubstituteDialog, label: QLabel) -> bool:
    """The label is shown at the height its text needs, inside the dialog."""
    needed = label.heightForWidth(label.width()) if label.wordWrap() else \
        label.sizeHint().height()
    bottom = label.mapTo(dialog, label.rect().bottomLeft()).y()
    return label.isVisible() and label.height() >= needed and bottom <= dialog.height()


def test_the_missing_substitute_message_is_shown_whole_at_the_field(
        qtbot: QtBot, invited: dict) -> None:
    dialog = SubstituteDialog(invited["session"], invited["message_id"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    form_label = dialog.form.labelForField(dialog.form.inputs["substitute_name"].parentWidget())
    assert isinstance(form_label, QLabel) and form_label.text() == "Ersättare *"
    assert dialog.findChild(QLabel, "required_note").text() == (
        "Fält markerade med * måste fyllas i.")
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "answer_before_send.png"))

    dialog.submit()  # no name yet: refused at the field, nothing sent
    settle(qtbot)  # the answer is sent in the background
    qtbot.wait(20)
    error = dialog.form.errors["substitute_name"]
    assert dialog.form.error_text("substitute_name") == MESSAGE
    assert fully_visible(dialog, error)
    assert not dialog.answered
    dialog.grab().save(str(SHOTS / "answer_error.png"))

    qtbot.keyClicks(dialog.name, "Lisa Ek")
    assert dialog.form.error_text("substitute_name") == ""  # fixed: the message goes
    qtbot.keyClicks(dialog.contact, "010-111 22 33")
    dialog.submit()
    settle(qtbot)
    assert dialog.answered
    place = invitation.invitation_for(invited["nurse"], invited["message_id"])
    assert place is not None and place.substitute_name == "Lisa Ek"
