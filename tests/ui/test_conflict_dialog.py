"""The conflict dialog, driven with the mouse and keyboard: someone else saved the same field of
a contact while it was open. Each choice — "Behåll min", "Ta deras", "Slå ihop för hand" —
ends with that value in the database; going back keeps what was typed; a third save made
while the user chose is caught again; an intervention clash opens the same dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QRadioButton
from pytestqt.qtbot import QtBot

from sipdesk.casework import contacts
from sipdesk.casework.contacts import Contact
from sipdesk.storage.models import User
from tests.ui.conftest import settle, type_text
from tests.ui.test_contacts_view import fill_directory
from ui.dialogs.conflict_dialog import MERGE, ConflictDialog
from ui.dialogs.contacts_contact import ContactDialog
from ui.session import Session

MINE = "Kurator och samordnare"
THEIRS = "Socionom"


def someone_else_saves(manager: User, contact_id: int, role: str) -> None:
    other = contacts.get_contact(contact_id)
    other.role = role
    contacts.update_contact(manager, other)


def open_editor(qtbot: QtBot, manager: User, contact: Contact) -> ContactDialog:
    editor = ContactDialog(manager, contacts.contact_form(contact_id=contact.id))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def type_role(qtbot: QtBot, editor: ContactDialog, text: str) -> None:
    edit: QLineEdit = editor.fields["role"]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


def save_and_get_conflict(qtbot: QtBot, editor: ContactDialog) -> ConflictDialog:
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: editor.findChild(ConflictDialog) is not None, timeout=5000)
    dialog = editor.findChild(ConflictDialog)
    assert isinstance(dialog, ConflictDialog)
    qtbot.waitExposed(dialog)
    return dialog


def click_choice(qtbot: QtBot, dialog: ConflictDialog, choice: str) -> None:
    button = dialog.findChild(QRadioButton, f"{choice}_role")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def contact_world(sqlite_session: Session) -> tuple[User, Contact]:
    manager = fill_directory()
    return manager, contacts.get_contact(contacts.search_directory("Eva Läkare")[0].id)


@pytest.mark.parametrize(("choice", "expected"), [
    ("mine", MINE), ("theirs", THEIRS), (MERGE, f"{THEIRS}, {MINE.lower()}")])
def test_each_choice_ends_with_its_value_stored(
        qtbot: QtBot, contact_world: tuple[User, Contact], choice: str, expected: str) -> None:
    manager, contact = contact_world
    editor = open_editor(qtbot, manager, contact)
    someone_else_saves(manager, contact.id, THEIRS)
    type_role(qtbot, editor, MINE)
    type_text(qtbot, editor.fields["phone"], "010-555 55 55")  # another field: merges

    dialog = save_and_get_conflict(qtbot, editor)
    mine_box = dialog.findChild(QPlainTextEdit, "mine_role")
    theirs_box = dialog.findChild(QPlainTextEdit, "theirs_role")
    assert mine_box is not None and theirs_box is not None
    assert (mine_box.toPlainText(), theirs_box.toPlainText()) == (MINE, THEIRS)
    assert mine_box.isReadOnly() and theirs_box.isReadOnly()
    assert dialog.findChild(QRadioButton, "mine_role") is not None
    assert not dialog.ok_button.isEnabled()  # a choice first
    click_choice(qtbot, dialog, choice)
    if choice == MERGE:
        merge = dialog.findChild(QPlainTextEdit, "merge_role")
        assert merge is not None and merge.isVisible() and merge.toPlainText() == MINE
        assert theirs_box.isVisible()  # theirs stays beside it
        merge.selectAll()
        qtbot.keyClick(merge, Qt.Key.Key_Delete)
        qtbot.keyClicks(merge, expected)
    with qtbot.waitSignal(editor.accepted, timeout=5000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
    stored = contacts.get_contact(contact.id)
    assert (stored.role, stored.phone) == (expected, "010-555 55 55")


def test_going_back_keeps_my_text_and_a_third_save_is_caught_again(
        qtbot: QtBot, contact_world: tuple[User, Contact]) -> None:
    manager, contact = contact_world
    editor = open_editor(qtbot, manager, contact)
    someone_else_saves(manager, contact.id, THEIRS)
    type_role(qtbot, editor, MINE)

    dialog = save_and_get_conflict(qtbot, editor)
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.findChild(ConflictDialog) is None, timeout=5000)
    assert editor.isVisible() and editor.fields["role"].text() == MINE  # nothing lost

    dialog = save_and_get_conflict(qtbot, editor)  # asked again: still not saved
    someone_else_saves(manager, contact.id, "Läkare, ST")  # a third save while I choose
    click_choice(qtbot, dialog, "mine")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: editor.findChild(ConflictDialog) is not None, timeout=5000)
    again = editor.findChild(ConflictDialog)
    assert isinstance(again, ConflictDialog)
    theirs_box = again.findChild(QPlainTextEdit, "theirs_role")
    assert theirs_box is not None and theirs_box.toPlainText() == "Läkare, ST"
    assert contacts.get_contact(contact.id).role == "Läkare, ST"  # not overwritten unseen
    click_choice(qtbot, again, "mine")
    with qtbot.waitSignal(editor.accepted, timeout=5000):
        qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
    assert contacts.get_contact(contact.id).role == MINE
    QApplication.processEvents()
