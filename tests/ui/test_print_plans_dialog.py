"""Bulk printing with a progress dialog (ui/dialogs/print_plans_dialog.py), on both engines: all
plans written and reported; Avbryt and Esc stop after the file being written, with whole files
only and the count in the message."""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

import reports.plan as plan_pdf
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.storage.models import User
from tests.plan_scenarios import approve_all, clone_plan, fill, more_cases, plan_world
from tests.ui.conftest import MessageLog
from tests.waiting import pause
from ui.dialogs.print_plans_dialog import PrintPlansJob, print_plans_with_progress

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
PLANS = 8


@pytest.fixture
def plan_ids(db: peewee.Database) -> list[int]:
    world = plan_world()
    source = approve_all(world, fill(world))
    return [source.id] + [clone_plan(source, case).id
                          for case in more_cases(world["officer"], PLANS - 1)]


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    widget.resize(600, 400)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def slow_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each real PDF takes a little longer, so a click can land between two files."""
    real = plan_pdf._render

    def slower(*args: object, **kwargs: object) -> None:
        pause(0.15)
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_pdf, "_render", slower)


def _printer() -> User:
    return User.select().order_by(User.id).first()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_all_plans_are_written_and_counted(
        qtbot: QtBot, window: QWidget, plan_ids: list[int], tmp_path: Path,
        message_log: MessageLog) -> None:
    folder = tmp_path / "planer"
    job = print_plans_with_progress(window, plan_ids, folder,
                                    user=_printer())
    assert job.dialog.isVisible() and job.dialog.windowTitle() == "Skriv ut planer"
    with qtbot.waitSignal(job.finished, timeout=60_000) as stopped:
        pass
    assert stopped.args == [PLANS, PLANS]
    assert len(files_in(folder)) == PLANS
    assert all(name.startswith("plan-SIP-") and name.endswith("-v1.pdf")
               for name in files_in(folder))
    # Every plan printed is in the audit log, on its case, with who printed it (issue 12).
    printed = list(AuditEntry.select().where(AuditEntry.action == AuditAction.PRINT.value))
    assert sorted(e.entity_id for e in printed) == sorted(plan_ids)
    assert {e.user_id for e in printed} == {_printer().id}
    assert all(e.case_id is not None and e.summary == "Planen skrevs ut" for e in printed)
    assert message_log.shown == [("information", "Skriv ut planer",
                                  f"{PLANS} planer skrevs till {folder}.")]
    assert not job.dialog.isVisible()


def cancel_button(dialog: QProgressDialog) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == "Avbryt")


def test_avbryt_stops_after_the_file_being_written(
        qtbot: QtBot, window: QWidget, plan_ids: list[int], tmp_path: Path,
        message_log: MessageLog, slow_files: None) -> None:
    folder = tmp_path / "planer"
    job: PrintPlansJob = print_plans_with_progress(window, plan_ids, folder,
                                    user=_printer())
    qtbot.waitUntil(lambda: job.dialog.value() >= 2, timeout=30_000)
    assert f"{job.dialog.value()} av {PLANS} klara" in job.dialog.labelText()
    SCREENSHOTS.mkdir(exist_ok=True)
    job.dialog.grab().save(str(SCREENSHOTS / "print_plans_dialog.png"))
    with qtbot.waitSignal(job.finished, timeout=30_000) as stopped:
        qtbot.mouseClick(cancel_button(job.dialog), Qt.MouseButton.LeftButton)
    written, total = stopped.args
    assert total == PLANS and 2 <= written < PLANS
    assert len(files_in(folder)) == written  # whole files only, no ".part" left behind
    assert message_log.shown == [("information", "Skriv ut planer",
                                  f"Utskriften avbröts. {written} av {PLANS} planer skrevs "
                                  f"till {folder}.")]


def test_escape_cancels_too(
        qtbot: QtBot, window: QWidget, plan_ids: list[int], tmp_path: Path,
        message_log: MessageLog, slow_files: None) -> None:
    folder = tmp_path / "planer"
    job = print_plans_with_progress(window, plan_ids, folder,
                                    user=_printer())
    qtbot.waitUntil(lambda: job.dialog.value() >= 1, timeout=30_000)
    with qtbot.waitSignal(job.finished, timeout=30_000) as stopped:
        qtbot.keyClick(job.dialog, Qt.Key.Key_Escape)
    written, _total = stopped.args
    assert 1 <= written < PLANS and len(files_in(folder)) == written
    assert message_log.texts()[0].startswith("Utskriften avbröts.")


def test_a_failure_is_reported_with_what_was_written(
        qtbot: QtBot, window: QWidget, plan_ids: list[int], tmp_path: Path,
        message_log: MessageLog, monkeypatch: pytest.MonkeyPatch) -> None:
    real = plan_pdf._render
    calls: list[int] = []

    def third_fails(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise OSError("disk full")
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_pdf, "_render", third_fails)
    folder = tmp_path / "planer"
    job = print_plans_with_progress(window, plan_ids, folder,
                                    user=_printer())
    with qtbot.waitSignal(job.finished, timeout=60_000) as stopped:
        pass
    assert stopped.args == [2, PLANS]
    assert len(files_in(folder)) == 2
    kind, _title, text = message_log.shown[0]
    assert kind == "error" and text.startswith("Utskriften stannade:")
    assert f"2 av {PLANS} planer skrevs till {folder}." in text


def test_the_main_window_prints_every_plan_from_the_arkiv_menu(
        qtbot: QtBot, plan_ids: list[int], tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from sipdesk.accounts import auth
    from sipdesk.storage.db import DatabaseUrl, Engine
    from ui.main_window import MainWindow
    from ui.session import Session

    officer = auth.user_for_database_login("anna.berg")  # with its unit, as at a login
    window = MainWindow(Session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "unused"), officer))
    qtbot.addWidget(window)
    folder = tmp_path / "alla"
    folder.mkdir()
    monkeypatch.setattr(window, "ask_folder", lambda: folder)
    assert window.print_plans_action.text() == "Skriv ut alla planer…"
    window.print_plans_action.trigger()
    # Which plans there are is read in the background; then the job starts.
    qtbot.waitUntil(lambda: getattr(window, "print_job", None) is not None, timeout=10_000)
    with qtbot.waitSignal(window.print_job.finished, timeout=60_000) as stopped:
        pass
    assert stopped.args == [PLANS, PLANS]  # the latest version of each case with a plan
    assert len(files_in(folder)) == PLANS
