"""Arkiv → Registerutdrag… (issue 12): only an administrator's menu has it; the administrator
types a personal number and sees every event about the person — a wrong number is said at the
field with the text kept — and saves the list as a PDF, which is logged too. The core refuses
anyone else, whatever a screen does."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter
from sipdesk.storage.models import Role
from tests.factories import PNR_ADULT, make_case, make_person, make_unit, make_user
from tests.ui.conftest import MessageLog, settle, type_text, wait_for_operations
from ui import file_output
from ui.case_list.model import CaseListModel
from ui.dialogs.register_extract_dialog import RegisterExtractDialog
from ui.main_window import MainWindow
from ui.session import Session

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def _menu_texts(window: MainWindow) -> list[str]:
    archive = window.menuBar().actions()[0].menu()
    return [a.text() for a in archive.actions() if isinstance(a, QAction)]


def test_only_an_administrator_has_the_menu(sqlite_session: Session, qtbot: QtBot) -> None:
    window = MainWindow(sqlite_session)
    qtbot.addWidget(window)
    assert "Registerutdrag…" not in _menu_texts(window)
    admin = make_user("admin", role=Role.ADMINISTRATOR, full_name="Ada Admin",
                      unit=make_unit("Kansliet"))
    admins = MainWindow(Session(url=sqlite_session.url, user=admin))
    qtbot.addWidget(admins)
    assert "Registerutdrag…" in _menu_texts(admins)
    settle(qtbot)


def test_the_administrator_sees_and_prints_who_read_the_person(
        sqlite_session: Session, qtbot: QtBot, tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    officer = sqlite_session.user
    case = make_case(officer, make_person())
    cases.open_case(officer, case.id)
    admin = make_user("admin", role=Role.ADMINISTRATOR, full_name="Ada Admin",
                      unit=make_unit("Kansliet"))
    dialog = RegisterExtractDialog(admin)
    qtbot.addWidget(dialog)
    dialog.show()

    type_text(qtbot, dialog.number, "1940")
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("personal_number").startswith("Skriv personnumret som")
    assert dialog.number.text() == "1940" and not dialog.print_button.isEnabled()

    dialog.number.clear()
    type_text(qtbot, dialog.number, PNR_ADULT)
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    settle(qtbot)
    assert dialog.form.error_text("personal_number") == ""
    assert "Åsa Öberg" in dialog.person.text()
    rows = [[dialog.table.item(r, c).text() for c in range(4)]
            for r in range(dialog.table.rowCount())]
    assert ["Anna Berg (Hemtjänst Norr)", "Öppnad: Ärendet öppnat", case.number] in [
        row[1:] for row in rows]
    SCREENSHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SCREENSHOTS / "register_extract_dialog.png"))

    pdf = tmp_path / "utdrag.pdf"
    monkeypatch.setattr(file_output.SaveFileDialog, "ask", classmethod(lambda *a, **k: pdf))
    monkeypatch.setattr(file_output, "open_file", lambda path: None)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert message_log.shown[-1][1] == "Registerutdraget är sparat"
    printed = AuditEntry.select().where(AuditEntry.action == AuditAction.PRINT.value).get()
    assert (printed.user_id, printed.summary) == (admin.id, "Registerutdraget skrevs ut")


def test_anyone_else_is_refused_by_the_core(sqlite_session: Session, qtbot: QtBot,
                                           message_log: MessageLog) -> None:
    make_case(sqlite_session.user, make_person())
    dialog = RegisterExtractDialog(sqlite_session.user)
    qtbot.addWidget(dialog)
    type_text(qtbot, dialog.number, PNR_ADULT)
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert message_log.texts()[-1] == "Bara en administratör kan ta fram ett registerutdrag."
    assert dialog.table.rowCount() == 0


def test_the_case_list_logs_a_search_by_personal_number_once(sqlite_session: Session) -> None:
    """Typed in the case list's search: one entry, written in the worker; counting the same
    list again (a refresh, a live update) does not log it again, a name search never."""
    person = make_person()
    make_case(sqlite_session.user, person)
    model = CaseListModel(sqlite_session.user)
    for text in ("Åsa", "19400107-9120"):
        model.set_filter(CaseFilter(text=text))
        wait_for_operations()
    model.refresh()
    wait_for_operations()
    assert model.rowCount() == 1
    searches = list(AuditEntry.select().where(AuditEntry.action == AuditAction.SEARCH.value))
    assert [(e.entity_id, e.user_id) for e in searches] == [(person.id, sqlite_session.user.id)]
