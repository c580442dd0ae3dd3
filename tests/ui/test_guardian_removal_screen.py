"""Removing a guardian from the case overview (seed 002, custody changed), driven like a user: the
"Ta bort…" beside the guardian asks first in Swedish — what happens, that nothing they answered
is deleted, why (the reason at its field) — and warns when the guardian who stays still has
joint custody. Cancelling changes nothing; confirming removes the guardian from the overview
while the Samtycke tab still shows their answer. Another unit's reader sees the button locked.

Rule named here: a removed guardian's answers and consents are kept; only one who may change
the case removes a guardian.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.casework import consent, guardians
from sipdesk.casework.guardians import GuardianInput
from sipdesk.storage.guardian_records import GuardianHow
from sipdesk.storage.models import ContactKind, Custody, Person, PersonContact
from tests.factories import make_case
from tests.ui.conftest import settle, shown_tab, type_text
from ui.case_tabs.consent_tab import ConsentTab
from ui.case_tabs.overview import OverviewTab
from ui.dialogs.guardian_dialog import RemoveGuardianDialog
from ui.session import Session

from .test_case_tabs import button, region, show_case, text_of
from .test_consent_dialogs import drive
from .test_guardian_screens import child, shot  # noqa: F401  (the fixture)


def test_removing_a_guardian_asks_first_and_keeps_what_they_answered(
        sqlite_session: Session, qtbot: QtBot, child: Person,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch) -> None:
    actor = sqlite_session.user
    eva = guardians.add_guardian(actor, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, relation="mamma", address="Björkvägen 3, 123 45 Exempelby"))
    per = guardians.add_guardian(actor, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, relation="pappa", address="Tallstigen 9, 123 46 Exempelby"))
    case = make_case(actor, child)
    consent.register_consent(actor, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=case.created_at.date(), covers="Stödet i skolan",
        principals=[actor.unit.principal, region()], guardian_answers=[
            consent.AnswerInput(eva, True, case.created_at.date(), GuardianHow.PHONE),
            consent.AnswerInput(per, True, case.created_at.date(), GuardianHow.WRITTEN)]))
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    remove = button(overview, f"remove_guardian_{per.id}")
    assert remove.isEnabled()

    def look_then_cancel(dialog: RemoveGuardianDialog) -> None:
        assert dialog.windowTitle() == "Ta bort vårdnadshavare"
        intro = dialog.intro.text()
        assert intro.startswith("Vill du ta bort Per Åkesson som vårdnadshavare för Liv "
                                "Åkesson?")
        assert "Ingenting raderas" in intro and "finns kvar i ärendets historik" in intro
        assert dialog.warning.text().startswith("Eva Åkesson står kvar med gemensam vårdnad.")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
        assert "varför" in dialog.form.error_text("reason")
        assert dialog.result() != QDialog.DialogCode.Accepted
        shot(dialog, "remove_guardian_dialog_empty")
        dialog.reject()

    monkeypatch.setattr(RemoveGuardianDialog, "ask",
                        drive(qtbot, RemoveGuardianDialog, look_then_cancel))
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert PersonContact.get_by_id(per.id).kind == ContactKind.GUARDIAN.value  # nothing changed

    def confirm(dialog: RemoveGuardianDialog) -> None:
        type_text(qtbot, dialog.reason, "Tingsrättens dom 2026-11-01 om ensam vårdnad")
        assert dialog.form.error_text("reason") == ""
        shot(dialog, "remove_guardian_dialog")

    monkeypatch.setattr(RemoveGuardianDialog, "ask", drive(qtbot, RemoveGuardianDialog, confirm))
    overview = shown_tab(qtbot, view, OverviewTab)
    qtbot.mouseClick(button(overview, f"remove_guardian_{per.id}"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert [g.name for g in guardians.guardians_of(child)] == ["Eva Åkesson"]
    overview = shown_tab(qtbot, view, OverviewTab)
    assert overview.findChild(QWidget, f"remove_guardian_{per.id}") is None
    assert button(overview, "add_guardian").isEnabled()  # room for a new guardian
    notes = [label.text() for label in overview.findChildren(QLabel)
             if label.objectName().startswith("paper_note_")]
    assert any(n.startswith("Eva Åkesson har gemensam vårdnad med någon mer") for n in notes)
    assert ("Per Åkesson är inte längre vårdnadshavare. Det hen svarade om samtycke finns kvar "
            "under Samtycke.") in notes
    shot(overview.findChild(QWidget, "contacts_box"), "overview_after_removal")
    tab = shown_tab(qtbot, view, ConsentTab)
    lines = text_of(tab, "consent_guardians").splitlines()
    assert any(line.startswith("Per Åkesson samtycker") for line in lines)  # kept


def test_another_units_reader_cannot_remove_a_guardian(
        sqlite_session: Session, colleague: Session, qtbot: QtBot,
        child: Person) -> None:  # noqa: F811
    """Only one who may change the case removes a guardian: for a colleague of another unit
    who only reads the case the button is locked and says why."""
    guardians.add_guardian(sqlite_session.user, child, GuardianInput(
        "Eva Åkesson", Custody.SOLE, address="Björkvägen 3, 123 45 Exempelby"))
    case = make_case(sqlite_session.user, child)
    [eva] = guardians.guardians_of(child)
    view = show_case(qtbot, colleague, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    remove = button(overview, f"remove_guardian_{eva.id}")
    assert not remove.isEnabled()
    assert "ändra" in remove.toolTip()
