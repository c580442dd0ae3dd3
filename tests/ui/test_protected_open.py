"""Opening a protected person's case (skyddade personuppgifter, issue 12): the window asks
"Varför öppnar du ärendet?" first — Avbryt leaves the case unopened and unlogged, a reason opens
it and goes into the log — and the overview shows no address."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.casework import protected
from sipdesk.storage.models import Case, Person, Protection
from tests.factories import make_case, make_person
from tests.ui.conftest import settle, shown_tab, type_text
from tests.ui.documentation_support import drive_dialog
from tests.ui.test_case_tabs import button, show_case, text_of
from tests.ui.test_main_window import open_window
from ui.case_tabs.overview import OverviewTab
from ui.case_view import CaseView
from ui.dialogs.protected_dialogs import OpenReasonDialog, ProtectionDialog
from ui.session import Session


def protected_case(session: Session) -> Case:
    case = make_case(session.user, make_person())
    Person.update(address="Hemliggatan 7", postal_code="123 45", city="Gömstad",
                  protection=Protection.PROTECTED_REGISTRATION.value).where(
        Person.id == case.person_id).execute()
    return case


def when_asked(answer: Callable[[OpenReasonDialog], None]) -> QTimer:
    """Answer the reason dialog once it is shown (it runs its own event loop)."""
    timer = QTimer()
    timer.setInterval(20)

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, OpenReasonDialog) and widget.isVisible():
                timer.stop()
                answer(widget)
                return

    timer.timeout.connect(look)
    timer.start()
    return timer


def openings(case: Case) -> list[str]:
    return [e.summary for e in AuditEntry.select().where(
        (AuditEntry.case == case.id) & (AuditEntry.action == AuditAction.OPEN.value))]


def test_cancel_leaves_the_case_unopened(sqlite_session: Session, qtbot: QtBot) -> None:
    case = protected_case(sqlite_session)
    window = open_window(qtbot, sqlite_session)
    asked: list[str] = []

    def cancel(dialog: OpenReasonDialog) -> None:
        asked.append(dialog.windowTitle())
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    timer = when_asked(cancel)
    window.open_case(case.id)
    settle(qtbot)
    timer.stop()
    assert asked == ["Skyddad identitet"]
    assert window.stack.currentWidget() is window.case_list
    assert openings(case) == []


def test_a_reason_opens_the_case_logged_and_without_the_address(
        sqlite_session: Session, qtbot: QtBot) -> None:
    case = protected_case(sqlite_session)
    window = open_window(qtbot, sqlite_session)
    said: list[str] = []

    def give_reason(dialog: OpenReasonDialog) -> None:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # nothing written yet
        said.append(dialog.form.errors["reason"].text())
        type_text(qtbot, dialog.reason, "Förbereder SIP-mötet")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    timer = when_asked(give_reason)
    window.open_case(case.id)
    settle(qtbot)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), CaseView), timeout=5000)
    settle(qtbot)
    timer.stop()
    assert said == ["Skriv varför du öppnar ärendet."]
    assert openings(case) == ["Ärendet öppnat (skyddad identitet). Skäl: Förbereder SIP-mötet"]
    view = window.stack.currentWidget()
    address = view.findChild(QLabel, "address")
    assert address is not None and address.text() == protected.HIDDEN_ADDRESS
    shown = " ".join(label.text() for label in view.findChildren(QLabel))
    assert "Hemliggatan" not in shown and "Gömstad" not in shown


def test_the_coordinator_marks_the_person_protected_from_the_overview(
        sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    case = make_case(sqlite_session.user, make_person())
    Person.update(address="Hemliggatan 7", postal_code="123 45", city="Gömstad").where(
        Person.id == case.person_id).execute()

    def choose(dialog: ProtectionDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findText("Skyddad folkbokföring"))

    drive_dialog(monkeypatch, qtbot, ProtectionDialog, choose)
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "address") == "Hemliggatan 7\n123 45 Gömstad"
    qtbot.mouseClick(button(overview, "mark_protection"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "protection") == "Skyddad folkbokföring"
    assert text_of(overview, "address") == protected.HIDDEN_ADDRESS
    assert Person.get_by_id(case.person_id).protection == "skyddad_folkbokforing"


def test_a_colleague_who_is_not_the_coordinator_has_no_marking_button(
        colleague: Session, sqlite_session: Session, qtbot: QtBot) -> None:
    case = make_case(sqlite_session.user, make_person())
    view = show_case(qtbot, colleague, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert overview.findChild(QPushButton, "mark_protection") is None
