"""Arkiv → Skriv ut statistik… (issue 15), driven through the real widgets: the report for the
committee is made in the background with its progress, read back from the PDF here, written in
the audit log with who, the period and the scope (and no personal data); the proposed file name
carries the period only; a period the core refuses is said at the field. The Statistik page's
Skriv ut… opens the same dialog with the page's period and scope."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk.accounts.audit import AuditAction, AuditEntry
from tests.ui.conftest import MessageLog, settle
from tests.ui.test_export_dialog import menu_action, save_as
from tests.ui.test_statistics_page import (
    SOUTH_DAYS,
    choose_scope,
    open_statistics,
    open_window,
    type_year,
    world,
)
from ui import file_output
from ui.dialogs import statistics_print_dialog
from ui.dialogs.statistics_print_dialog import StatisticsPrintDialog
from ui.operations import Progress
from ui.session import Session


def printed() -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.action == AuditAction.PRINT.value,
                                          AuditEntry.entity == "statistics"))


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_is_printed_from_the_menu_with_progress_and_logged(
        session: Session, qtbot: QtBot, tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Arkiv → Skriv ut statistik… (Ctrl+Shift+P): a unit's report, made in the background
    with its progress; the PDF holds the unit's figures and no personal data, and the print is
    in the audit log with who, the period and the unit (DOMAIN.md, Data protection)."""
    w = world(session)
    opened: list[Path] = []
    monkeypatch.setattr(file_output, "open_file", opened.append)
    target = tmp_path / "rapport.pdf"
    asked = save_as(monkeypatch, target)
    seen: list[tuple[int, int]] = []

    class Recorded(Progress):
        def report(self, done: int, total: int) -> None:
            seen.append((done, total))
            super().report(done, total)

    monkeypatch.setattr(statistics_print_dialog, "Progress", Recorded)
    window = open_window(qtbot, session)
    action = menu_action(window, "Skriv ut statistik…")
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    action.trigger()
    dialog = window.statistics_print_dialog
    qtbot.waitExposed(dialog)
    settle(qtbot)  # the scopes to choose among
    assert dialog.period.quick.currentText() == "I år"
    labels = [dialog.scope.itemText(i).strip() for i in range(dialog.scope.count())]
    dialog.scope.setFocus()
    for _ in range(labels.index("Hemtjänst Söder")):
        qtbot.keyClick(dialog.scope, Qt.Key.Key_Down)
    assert dialog.chosen_scope.name == "Hemtjänst Söder"
    assert printed() == []

    with qtbot.waitSignal(dialog.finished_print, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert finished.args[0] == target and target.is_file()
    assert asked[0]["default_name"] == "statistik-2026-01-01--2026-11-22.pdf"
    assert seen == [(1, 3), (2, 3), (3, 3)]
    text = pdf_text(target)
    assert "2026-01-01 – 2026-11-22" in text and "Hemtjänst Söder" in text
    assert "Hemtjänst Norr" not in text
    assert f"Startade ärenden {len(SOUTH_DAYS)}" in text.replace("\n", " ")
    for number in w.numbers:
        assert number not in text and number.replace("-", "") not in text
    assert "Öberg" not in text
    [entry] = printed()
    assert entry.user_id == session.user.id and entry.case_id is None
    assert entry.entity_id == w.south.id
    assert entry.summary == ("Statistikrapporten skrevs ut: 2026-01-01 – 2026-11-22, "
                             "Hemtjänst Söder")
    assert message_log.shown[-1][:2] == ("confirm", "Statistiken är sparad")
    assert opened == [target]
    assert not dialog.isVisible()


def test_a_bad_period_is_said_at_the_field_and_nothing_is_printed(
        sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        tmp_path: Path) -> None:
    world(sqlite_session)
    asked = save_as(monkeypatch, tmp_path / "x.pdf")
    dialog = StatisticsPrintDialog(sqlite_session.user)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    type_year(qtbot, dialog.period.end, "2025")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("period") == "Slutdatumet ligger före startdatumet."
    assert dialog.period.end.value() == dt.date(2025, 11, 22)  # as typed
    assert asked == [] and printed() == []
    type_year(qtbot, dialog.period.end, "2026")
    assert dialog.form.error_text("period") == ""


def test_skriv_ut_on_the_page_opens_the_dialog_with_its_period_and_scope(
        sqlite_session: Session, qtbot: QtBot) -> None:
    world(sqlite_session)
    window = open_window(qtbot, sqlite_session)
    page = open_statistics(qtbot, window)
    choose_scope(qtbot, page, "Hemtjänst Norr")
    page.period.quick.setFocus()
    with qtbot.waitSignal(page.figures_shown, timeout=20_000):
        qtbot.keyClick(page.period.quick, Qt.Key.Key_Down)  # Förra året
    settle(qtbot)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    dialog = page.print_dialog
    qtbot.waitExposed(dialog)
    assert dialog.period.period() == page.period.period()
    assert dialog.period.quick.currentText() == "Förra året"
    assert dialog.chosen_scope == page.chosen_scope
    assert dialog.scope.currentText().strip() == "Hemtjänst Norr"
    # The menu's command uses the page's choice too, once the page has been used.
    dialog.reject()
    window.show_print_statistics()
    assert window.statistics_print_dialog.chosen_scope == page.chosen_scope


def test_a_file_that_cannot_be_written_is_said_plainly(
        sqlite_session: Session, qtbot: QtBot, tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder that is gone: a Swedish message about where to save, no crash; the dialog stays
    open with the choices made."""
    world(sqlite_session)
    save_as(monkeypatch, tmp_path / "borta" / "rapport.pdf")
    dialog = StatisticsPrintDialog(sqlite_session.user)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot)
    with qtbot.waitSignal(dialog.finished_print, timeout=30_000) as finished:
        qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert finished.args[0] is None
    assert message_log.shown[-1][0] == "warning"
    assert message_log.shown[-1][2].startswith("Det gick inte att spara filen där.")
    assert dialog.isVisible() and dialog.print_button.isEnabled()
