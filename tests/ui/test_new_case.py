"""The new case dialog: typing a new person, validation at each field, finding a registered
person, a duplicate refused, the coordinator, and nothing typed lost when the core refuses."""

from __future__ import annotations

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.casework import people
from sipdesk.desk import cases
from sipdesk.storage.models import Case, CaseStatus, Person
from tests.factories import PNR_ADULT, PNR_OTHER, make_person, make_unit, make_user
from tests.ui.conftest import MessageLog, settle, type_text
from ui.dialogs import new_case as new_case_module
from ui.dialogs.new_case import NewCaseDialog
from ui.session import Session


def open_dialog(qtbot: QtBot, session: Session) -> NewCaseDialog:
    dialog = NewCaseDialog(session, auth.active_users_with_unit())  # as the window reads them
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


def fill_new_person(qtbot: QtBot, dialog: NewCaseDialog, number: str = PNR_ADULT) -> None:
    qtbot.mouseClick(dialog.new_radio, Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog.fields["personal_number"], number)
    type_into(qtbot, dialog.fields["first_name"], "Åsa")
    type_into(qtbot, dialog.fields["last_name"], "Öberg")
    type_into(qtbot, dialog.fields["address"], "Storgatan 3")
    type_into(qtbot, dialog.fields["postal_code"], "12345")
    type_into(qtbot, dialog.fields["city"], "Exempelby")
    type_into(qtbot, dialog.fields["phone"], "070-123 45 67")


def test_create_case_for_a_new_person(sqlite_session: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    assert dialog.windowTitle() == "Nytt ärende"
    assert dialog.create_button.text() == "Skapa ärende"
    assert not dialog.create_button.isEnabled()
    fill_new_person(qtbot, dialog, number=PNR_ADULT.replace("-", ""))  # without the dash
    type_into(qtbot, dialog.fields["language"], "finska")
    qtbot.mouseClick(dialog.needs_interpreter, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.easy_read, Qt.MouseButton.LeftButton)
    assert dialog.create_button.isEnabled()
    assert dialog.coordinator.currentText() == "Anna Berg (Hemtjänst Norr)"

    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)

    case = dialog.created_case
    assert case is not None
    stored = cases.get_case(case.id)
    assert stored.status == CaseStatus.NEED_REGISTERED.value
    assert stored.coordinator.id == sqlite_session.user.id
    person = stored.person
    assert (person.personal_number, person.first_name, person.last_name) == (
        PNR_ADULT, "Åsa", "Öberg")
    assert (person.address, person.postal_code, person.city, person.phone) == (
        "Storgatan 3", "123 45", "Exempelby", "070-123 45 67")
    assert person.language == "finska"
    assert person.needs_interpreter and person.easy_read and not person.picture_support


def test_bad_personal_number_shows_the_message_at_the_field(
    sqlite_session: Session, qtbot: QtBot,
) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    fill_new_person(qtbot, dialog, number="19121212-1213")  # wrong check digit
    form = dialog.person_form
    assert form.error_text("personal_number") == (
        "Kontrollsiffran stämmer inte — kontrollera att numret är rätt skrivet."
    )
    assert dialog.fields["personal_number"].text() == "19121212-1213"  # kept as typed
    assert not dialog.create_button.isEnabled()
    assert form.error_text("first_name") == ""

    # Pressing Enter does not create anything while the form is wrong.
    qtbot.keyClick(dialog.fields["city"], Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.created_case is None

    type_into(qtbot, dialog.fields["personal_number"], "1912121")
    assert "ÅÅÅÅMMDD-NNNN" in form.error_text("personal_number")
    type_into(qtbot, dialog.fields["personal_number"], PNR_ADULT)
    assert form.error_text("personal_number") == ""
    assert dialog.create_button.isEnabled()
    assert Case.select().count() == 0


def test_each_field_validates_as_you_type(sqlite_session: Session, qtbot: QtBot) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    fill_new_person(qtbot, dialog)
    form = dialog.person_form
    type_into(qtbot, dialog.fields["postal_code"], "123")
    assert form.error_text("postal_code") == "Postnumret ska ha fem siffror, t.ex. 123 45."
    type_into(qtbot, dialog.fields["postal_code"], "123 45")
    assert form.error_text("postal_code") == ""

    dialog.fields["first_name"].setFocus()
    qtbot.keyClick(dialog.fields["first_name"], Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.fields["first_name"], Qt.Key.Key_Backspace)
    assert form.error_text("first_name") == "Ange förnamn."
    assert not dialog.create_button.isEnabled()
    assert dialog.hint.text()  # says why the button is off

    type_into(qtbot, dialog.fields["language"], "")
    assert form.error_text("language") == "Ange språk (t.ex. svenska)."
    assert dialog.fields["last_name"].text() == "Öberg"  # the rest stays as typed


def test_duplicate_person_is_refused_and_offered(sqlite_session: Session, qtbot: QtBot) -> None:
    existing = make_person(PNR_ADULT, "Åsa", "Öberg")
    dialog = open_dialog(qtbot, sqlite_session)
    fill_new_person(qtbot, dialog, number=PNR_ADULT)
    # Asked in the background a moment after the number was typed.
    qtbot.waitUntil(lambda: dialog.person_form.error_text("personal_number").startswith(
        "Personen finns redan i sipdesk (Åsa Öberg)."), timeout=5000)
    assert not dialog.create_button.isEnabled()
    assert dialog.use_existing_button.isVisible()

    qtbot.mouseClick(dialog.use_existing_button, Qt.MouseButton.LeftButton)
    assert dialog.existing_radio.isChecked()
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=5000)  # searched for it
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.created_case is not None
    assert dialog.created_case.person.id == existing.id
    assert Person.select().count() == 1


def test_duplicate_registered_meanwhile_keeps_the_form(
    sqlite_session: Session, qtbot: QtBot,
) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    fill_new_person(qtbot, dialog, number=PNR_OTHER)
    assert dialog.create_button.isEnabled()
    make_person(PNR_OTHER, "Bo", "Ek")  # a colleague registers the same person just now
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the case is created in the background
    assert dialog.isVisible() and dialog.created_case is None
    assert dialog.person_form.error_text("personal_number").startswith("Personen finns redan")
    assert dialog.fields["first_name"].text() == "Åsa"
    assert dialog.fields["address"].text() == "Storgatan 3"
    assert Case.select().count() == 0


def test_find_a_registered_person(sqlite_session: Session, qtbot: QtBot) -> None:
    make_person(PNR_ADULT, "Åsa", "Öberg")
    wanted = make_person(PNR_OTHER, "Åke", "Öberg")
    dialog = open_dialog(qtbot, sqlite_session)
    assert dialog.existing_radio.isChecked()
    assert dialog.focusWidget() is dialog.search
    type_text(qtbot, dialog.search, "öberg")
    qtbot.waitUntil(lambda: dialog.results.count() == 2, timeout=2000)
    assert not dialog.create_button.isEnabled()  # two matches: the user chooses
    dialog.results.setCurrentRow(
        [dialog.results.item(i).text().startswith("Åke") for i in range(2)].index(True)
    )
    assert dialog.create_button.isEnabled()
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
    assert dialog.created_case is not None
    assert dialog.created_case.person.id == wanted.id


def test_no_match_offers_to_register_with_the_number(
    sqlite_session: Session, qtbot: QtBot,
) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    qtbot.keyClicks(dialog.search, PNR_ADULT)
    qtbot.waitUntil(dialog.register_button.isVisible, timeout=2000)
    assert dialog.search_hint.text() == (
        f"Ingen person med personnumret {PNR_ADULT} finns i sipdesk.")
    qtbot.mouseClick(dialog.register_button, Qt.MouseButton.LeftButton)
    assert dialog.new_radio.isChecked()
    assert dialog.fields["personal_number"].text() == PNR_ADULT
    assert dialog.focusWidget() is dialog.fields["first_name"]


def test_coordinator_can_be_someone_else(sqlite_session: Session, qtbot: QtBot) -> None:
    colleague = make_user("karl.lind", unit=make_unit("Biståndsenheten"), full_name="Karl Lind")
    make_person(PNR_ADULT, "Åsa", "Öberg")
    dialog = open_dialog(qtbot, sqlite_session)
    assert [dialog.coordinator.itemText(i) for i in range(dialog.coordinator.count())] == [
        "Anna Berg (Hemtjänst Norr)", "Karl Lind (Biståndsenheten)",
    ]
    dialog.coordinator.setCurrentIndex(1)
    type_text(qtbot, dialog.search, "åsa")
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=2000)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.created_case is not None
    stored = cases.get_case(dialog.created_case.id)
    assert stored.coordinator.id == colleague.id
    assert stored.unit.name == "Biståndsenheten"


def test_database_error_keeps_everything_typed(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
    message_log: MessageLog,
) -> None:
    dialog = open_dialog(qtbot, sqlite_session)
    fill_new_person(qtbot, dialog)

    def broken(*_args: object, **_kwargs: object) -> Case:
        raise peewee.OperationalError("database is locked")

    monkeypatch.setattr(new_case_module.cases, "create_case_for_new_person", broken)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.isVisible()
    assert message_log.shown and message_log.shown[0][0] == "error"
    assert "finns kvar" in message_log.shown[0][2]
    assert dialog.fields["personal_number"].text() == PNR_ADULT
    assert dialog.fields["city"].text() == "Exempelby"
    assert people.find_by_number(PNR_ADULT) is None


def test_ask_returns_none_when_cancelled(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(NewCaseDialog, "exec", lambda self: NewCaseDialog.DialogCode.Rejected)
    assert NewCaseDialog.ask(None, sqlite_session, auth.active_users_with_unit()) is None
