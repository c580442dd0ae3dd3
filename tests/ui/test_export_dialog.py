"""Arkiv → Exportera… (issue 15), driven through the real widgets: the export starts from the
menu, runs in the background with a progress dialog, and the file arrives — read back here;
Avbryt stops it with no file and nothing logged; a period that ends before it starts is said at
the field. On both engines where the data matters."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.export import case_rows
from sipdesk.storage.models import Case
from tests.factories import PNR_CHILD, PNR_OTHER, make_case, make_person
from tests.ui.conftest import MessageLog, settle
from ui import file_output
from ui.dialogs import export_dialog
from ui.dialogs.export_dialog import ExportDialog
from ui.main_window import MainWindow
from ui.operations import Progress
from ui.session import Session

SCREENSHOTS = Path(os.environ.get("SIPDESK_SCREENSHOTS", "")) if os.environ.get(
    "SIPDESK_SCREENSHOTS") else Path(__file__).resolve().parents[2] / "screenshots"


def open_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.case_list_painted, timeout=5000):
        window.show()
    qtbot.waitExposed(window)
    return window


def tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a check box or radio button on its box (a click right of its text misses it)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def menu_action(window: MainWindow, text: str) -> QAction:
    archive = window.menuBar().actions()[0].menu()
    return next(a for a in archive.actions() if a.text() == text)


def save_as(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[dict[str, Any]]:
    """The system's save dialog answers `path`; what it was asked is kept."""
    asked: list[dict[str, Any]] = []

    def ask(_parent: object, **kwargs: Any) -> Path:
        asked.append(kwargs)
        return path

    monkeypatch.setattr(file_output.SaveFileDialog, "ask", classmethod(
        lambda cls, parent, **kwargs: ask(parent, **kwargs)))
    return asked


def exports() -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.action == AuditAction.EXPORT.value))


def test_the_export_starts_from_the_menu_shows_progress_and_writes_the_file(
        session: Session, qtbot: QtBot, tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 15: Arkiv → Exportera… with Med personuppgifter; the work runs in the background,
    reports its progress, and the .xlsx arrives with a row per case — logged with who and how
    many rows (DOMAIN.md, Data protection)."""
    officer = session.user
    for number, first in ((None, "Åsa"), (PNR_OTHER, "Bo"), (PNR_CHILD, "Lo")):
        make_case(officer, make_person(number, first, "Öberg") if number else None)
    opened: list[Path] = []
    monkeypatch.setattr(file_output, "open_file", opened.append)
    target = tmp_path / "arenden.xlsx"
    asked = save_as(monkeypatch, target)
    seen: list[tuple[int, int]] = []

    class Recorded(Progress):
        def report(self, done: int, total: int) -> None:
            seen.append((done, total))
            super().report(done, total)

    monkeypatch.setattr(export_dialog, "Progress", Recorded)
    window = open_window(qtbot, session)

    action = menu_action(window, "Exportera…")
    assert action.shortcut().toString() == "Ctrl+E"
    action.trigger()
    dialog = window.export_dialog
    qtbot.waitExposed(dialog)
    assert dialog.xlsx.isChecked() and not dialog.personal_data.isChecked()
    tick(qtbot, dialog.personal_data)
    assert dialog.personal_data.isChecked()
    with qtbot.waitSignal(dialog.finished_export, timeout=20_000) as finished:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    result = finished.args[0]
    settle(qtbot)

    assert asked[0]["default_name"] == "sipdesk-arenden-2026-11-22.xlsx"
    assert asked[0]["suffix"] == ".xlsx"
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)
    assert result.rows == 3 and result.path == target and target.is_file()
    sheet = openpyxl.load_workbook(target)["Ärenden"]
    assert [c.value for c in sheet[1]][:3] == ["Ärende", "Personnummer", "Namn"]
    numbers = sorted(c.number for c in Case.select())
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == numbers
    assert message_log.shown[-1][0] == "confirm"
    assert message_log.shown[-1][2].startswith(f"3 ärenden exporterades till {target.name}")
    assert opened == [target]
    assert not dialog.isVisible()
    entry = exports()[-1]
    assert entry.user_id == officer.id and '"rows": [null, 3]' in entry.changes


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Each page of rows waits for the gate, so the test can act while the export runs."""
    opened = threading.Event()
    real = case_rows.case_rows

    def held(*args: Any, **kwargs: Any) -> Iterator[list[Any]]:
        for page in real(*args, **kwargs):
            assert opened.wait(20)
            yield page

    monkeypatch.setattr(case_rows, "case_rows", held)
    yield opened
    opened.set()


def test_avbryt_stops_the_export_with_no_file_and_no_log(
        sqlite_session: Session, qtbot: QtBot, tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch, gate: threading.Event) -> None:
    make_case(sqlite_session.user)
    target = tmp_path / "arenden.csv"
    save_as(monkeypatch, target)
    dialog = ExportDialog(sqlite_session.user)
    qtbot.addWidget(dialog)
    dialog.show()
    tick(qtbot, dialog.csv)
    assert dialog.csv.isChecked()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.export_button.isEnabled()

    def progress_dialog() -> QProgressDialog | None:
        found = dialog.findChild(QProgressDialog)
        return found if found is not None and found.isVisible() else None

    qtbot.waitUntil(lambda: progress_dialog() is not None, timeout=5000)
    shown = progress_dialog()
    assert shown is not None and shown.labelText() == "Exporterar ärenden …"
    SCREENSHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    shown.grab().save(str(SCREENSHOTS / "export_progress.png"))
    with qtbot.waitSignal(dialog.finished_export, timeout=20_000) as finished:
        cancel = next(b for b in shown.findChildren(QPushButton) if b.text() == "Avbryt")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
        gate.set()
    settle(qtbot)
    assert finished.args[0].cancelled
    assert message_log.shown[-1] == ("information", "Exportera ärenden",
                                     "Exporten avbröts. Ingen fil sparades.")
    assert not target.exists() and not list(tmp_path.glob(".*.part"))
    assert not exports()
    assert dialog.isVisible() and dialog.export_button.isEnabled()


def test_a_period_that_ends_before_it_starts_is_said_at_the_field(
        sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = save_as(monkeypatch, Path("oanvänd.xlsx"))
    dialog = ExportDialog(sqlite_session.user)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.start.isEnabled()
    tick(qtbot, dialog.use_period)
    assert dialog.start.isEnabled() and dialog.end.isEnabled()
    dialog.start.set_value(dialog.end.value().replace(year=dialog.end.value().year + 1))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("period") == "Periodens slut ligger före dess början."
    assert asked == []
    dialog.start.set_value(dialog.end.value())
    assert dialog.form.error_text("period") == ""


def test_screenshot_of_the_export_dialog(sqlite_session: Session, qtbot: QtBot) -> None:
    dialog = ExportDialog(sqlite_session.user)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tick(qtbot, dialog.use_period)
    tick(qtbot, dialog.personal_data)
    SCREENSHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SCREENSHOTS / "export_dialog.png"))
    assert dialog.windowTitle() == "Exportera ärenden"
