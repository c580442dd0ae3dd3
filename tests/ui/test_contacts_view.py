"""The Kontakter page: the directory model, search as you type, and who may edit — the
organisation and contact dialogs with validation at the field and a concurrent change that
loses nothing typed (both engines where something is stored)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from sipdesk.casework import contacts
from sipdesk.casework.contacts import ContactForm, EntryKind, OrganisationKind
from sipdesk.storage.models import Law, Principal, PrincipalKind, Role, User
from tests.factories import make_unit, make_user
from tests.ui.conftest import MessageLog, settle, type_text
from ui.contacts import view as view_module
from ui.contacts.model import COLUMNS, DirectoryModel
from ui.contacts.view import READ_ONLY_TIP, ContactsPage
from ui.dialogs.contacts_contact import ContactDialog
from ui.dialogs.contacts_organisation import OrganisationDialog
from ui.session import Session


def fill_directory() -> User:
    """A unit manager, a region nurse with an account, psychiatry with a doctor."""
    manager = make_user("maria.holm", unit=make_unit("Hemtjänst Söder"), full_name="Maria Holm",
                        role=Role.UNIT_MANAGER)
    make_user("per.nord", full_name="Per Nord", unit=make_unit(
        "Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
        kind=PrincipalKind.REGION))
    region = Principal.get(Principal.name == "Region Exempelland")
    psych = contacts.add_organisation(manager, name="Psykiatrimottagningen", principal=region,
                                      kind=OrganisationKind.OUTPATIENT, law=Law.HSL,
                                      phone="010-123 00 00")
    contacts.add_contact(manager, psych, name="Eva Läkare", role="Läkare")
    return manager


def open_page(qtbot: QtBot, user: User) -> ContactsPage:
    page = ContactsPage(user)
    qtbot.addWidget(page)
    page.resize(1030, 600)
    page.show()
    settle(qtbot)
    qtbot.waitExposed(page)
    settle(qtbot)  # the directory is searched in the background
    return page


def names(page: ContactsPage) -> list[str]:
    return [e.name for e in page.model.entries()]


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    settle(qtbot)
    type_text(qtbot, edit, text)


def test_model_passes_qtmodeltester(sqlite_session: Session, qtmodeltester: Any) -> None:
    fill_directory()
    model = DirectoryModel()
    qtmodeltester.check(model)
    model.set_entries(contacts.search_directory(""))
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))]
    assert headers == ["Namn", "Roll", "Organisation / enhet", "Huvudman", "Slag", "Lag",
                       "I sipdesk", "Telefon", "E-post"]
    doctor = model.row_of(EntryKind.CONTACT, contacts.search_directory("läkare")[0].id)
    assert doctor is not None
    row = [model.index(doctor, c).data() for c in range(len(COLUMNS))]
    assert row == ["Eva Läkare", "Läkare", "Psykiatrimottagningen", "Region Exempelland",
                   "Region", "HSL", "", "010-123 00 00", ""]
    assert "Har inget konto" in model.index(doctor, 0).data(Qt.ItemDataRole.ToolTipRole)


def test_search_as_you_type_over_users_and_contacts(sqlite_session: Session,
                                                    qtbot: QtBot) -> None:
    fill_directory()
    page = open_page(qtbot, sqlite_session.user)
    assert names(page) == ["Anna Berg", "Eva Läkare", "Maria Holm", "Per Nord"]
    assert page.count_label.text() == "4 träffar"
    type_text(qtbot, page.search, "läk")
    qtbot.waitUntil(lambda: names(page) == ["Eva Läkare"], timeout=2000)
    assert page.count_label.text() == "1 träff"
    type_into(qtbot, page.search, "region")  # the principal: the region's people
    qtbot.waitUntil(lambda: names(page) == ["Eva Läkare", "Per Nord"], timeout=2000)
    type_into(qtbot, page.search, "sol")  # a law
    qtbot.waitUntil(lambda: names(page) == ["Anna Berg", "Maria Holm"], timeout=2000)
    type_into(qtbot, page.search, "ÖVERLÄKARE")
    qtbot.waitUntil(lambda: names(page) == [], timeout=2000)
    assert page.count_label.text() == "Inga träffar"
    assert page.table.empty_text == "Ingen kontakt matchar ”ÖVERLÄKARE”."
    # Down from the search field goes to the first row.
    type_into(qtbot, page.search, "per")
    qtbot.keyClick(page.search, Qt.Key.Key_Down)
    settle(qtbot)
    assert names(page) == ["Per Nord"]
    assert page.table.hasFocus() and page.selected_entry() is not None


def test_others_read_only_with_the_reason(sqlite_session: Session, qtbot: QtBot,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Administrators and unit managers edit the directory; everyone reads it."""
    fill_directory()
    opened: list[object] = []
    monkeypatch.setattr(ContactDialog, "ask", classmethod(lambda *a, **k: opened.append(k)))
    page = open_page(qtbot, sqlite_session.user)  # Anna Berg, case officer
    assert page.read_only_note.isVisible()
    for button in (page.new_organisation_button, page.new_contact_button, page.edit_button):
        assert not button.isEnabled()
        assert button.toolTip() == READ_ONLY_TIP
    row = page.model.row_of(EntryKind.CONTACT, contacts.search_directory("läkare")[0].id)
    assert row is not None
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, 0))
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    settle(qtbot)
    assert opened == []


def test_editors_add_and_change_contacts_but_not_users(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = fill_directory()
    calls: list[dict[str, object]] = []

    def fake_ask(_cls: object, _parent: object, _user: User, data: ContactForm) -> None:
        # The dialog opens with the contact (or the organisation) read first.
        calls.append({"contact_id": data.contact.id} if data.contact is not None
                     else {"organisation_id": data.organisation_id})

    monkeypatch.setattr(view_module.ContactDialog, "ask", classmethod(fake_ask))
    page = open_page(qtbot, manager)
    assert not page.read_only_note.isVisible()
    assert page.new_organisation_button.isEnabled() and page.new_contact_button.isEnabled()
    assert not page.edit_button.isEnabled()
    page.select(EntryKind.USER, manager.id)
    assert not page.edit_button.isEnabled()
    assert "användare i sipdesk" in page.edit_button.toolTip()
    doctor = contacts.search_directory("läkare")[0]
    page.select(EntryKind.CONTACT, doctor.id)
    assert page.edit_button.isEnabled()
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    page.table.doubleClicked.emit(page.table.currentIndex())
    qtbot.mouseClick(page.new_contact_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    organisation = contacts.get_contact(doctor.id).organisation_id
    # Edit twice (button, Enter/double-click), then a new contact at the same organisation.
    assert calls[:1] == [{"contact_id": doctor.id}]
    assert calls[-1] == {"organisation_id": organisation}


def test_new_organisation_with_validation_at_the_field(session: Session, qtbot: QtBot) -> None:
    manager = fill_directory()
    dialog = OrganisationDialog(manager, contacts.principals())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("name") == "Ange organisationens namn."
    assert dialog.form.error_text("principal") == "Ange huvudman, t.ex. Region Exempelland."
    type_into(qtbot, dialog.name, "Psykiatrimottagningen")
    dialog.principal.setFocus()
    type_text(qtbot, dialog.principal.lineEdit(), "Region Exempelland")
    # Asked in the background once the typing pauses.
    qtbot.waitUntil(lambda: dialog.form.error_text("name") == (
        "Psykiatrimottagningen finns redan hos Region Exempelland."), timeout=5000)
    assert not dialog.principal_kind.isEnabled()  # a known principal: its kind is locked
    assert dialog.principal_kind.currentData() == PrincipalKind.REGION.value
    type_into(qtbot, dialog.name, "ASIH Exempelby")
    assert dialog.form.error_text("name") == ""
    assert dialog.law.currentData() == Law.HSL.value  # öppenvård acts under HSL
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrganisationKind.SCHOOL.value))
    assert dialog.law.currentData() == Law.SCHOOL.value
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrganisationKind.OUTPATIENT.value))
    type_into(qtbot, dialog.phone, "010-123 40 00")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
    created = dialog.created
    assert created is not None
    assert (created.name, created.kind, created.law, created.phone) == (
        "ASIH Exempelby", "outpatient", "HSL", "010-123 40 00")
    assert created.principal.name == "Region Exempelland"


def test_new_principal_takes_the_chosen_kind(session: Session, qtbot: QtBot) -> None:
    manager = fill_directory()
    dialog = OrganisationDialog(manager, contacts.principals())
    qtbot.addWidget(dialog)
    type_into(qtbot, dialog.name, "Tolkförmedlingen")
    dialog.kind.setCurrentIndex(dialog.kind.findData(OrganisationKind.INTERPRETER.value))
    dialog.principal.setFocus()
    type_text(qtbot, dialog.principal.lineEdit(), "Tolkbolaget AB")
    assert dialog.principal_kind.isEnabled()
    dialog.principal_kind.setCurrentIndex(dialog.principal_kind.findData("other"))
    dialog.accept()
    settle(qtbot)
    assert dialog.result() == OrganisationDialog.DialogCode.Accepted
    assert [e.name for e in contacts.interpreters()] == []  # no contact there yet
    assert Principal.get(Principal.name == "Tolkbolaget AB").kind == "other"


def test_new_contact_and_change_with_validation_at_the_field(
    session: Session, qtbot: QtBot, message_log: MessageLog,
) -> None:
    manager = fill_directory()
    psych = contacts.organisations()[0]
    dialog = ContactDialog(manager, ContactForm(None, contacts.organisations(), psych.id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.fields["name"].hasFocus, timeout=2000)
    assert "växeln: 010-123 00 00" in dialog.switchboard.text()
    type_text(qtbot, dialog.fields["email"], "jonas")
    assert dialog.form.error_text("email") == "E-postadressen ser inte riktig ut."
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("name") == "Ange kontaktens namn."
    assert dialog.isVisible()
    type_text(qtbot, dialog.fields["email"], "@region.example")
    type_text(qtbot, dialog.fields["name"], "Jonas Åkerlund")
    type_text(qtbot, dialog.fields["role"], "Kurator")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
    saved = dialog.saved
    assert saved is not None
    found = contacts.search_directory("åkerlund")
    assert [(e.name, e.role, e.email, e.phone) for e in found] == [
        ("Jonas Åkerlund", "Kurator", "jonas@region.example", "010-123 00 00")]

    # Changing it, while someone else saves another field of the same contact in between:
    # both changes stay, no question asked (the same field: tests/ui/test_conflict_dialog.py).
    editor = ContactDialog(manager, contacts.contact_form(contact_id=saved.id))
    qtbot.addWidget(editor)
    assert editor.fields["name"].text() == "Jonas Åkerlund"
    other = contacts.get_contact(saved.id)
    other.role = "Socionom"
    contacts.update_contact(manager, other)
    type_into(qtbot, editor.fields["phone"], "010-123 00 55")
    with qtbot.waitSignal(editor.accepted, timeout=2000):
        editor.accept()
        settle(qtbot)
    stored = contacts.get_contact(saved.id)
    assert (stored.phone, stored.role) == ("010-123 00 55", "Socionom")
