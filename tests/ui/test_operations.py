"""The operation runner: work off the UI thread, results and errors back on it, one error map."""

from __future__ import annotations

import threading

import peewee
import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.errors import (
    STORAGE_MESSAGE,
    NotFoundError,
    PermissionDenied,
    StorageError,
    ValidationError,
)
from tests.ui.conftest import MessageLog, settle
from ui import operations
from ui.operations import Operation, Progress
from ui.session import Session


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_the_work_runs_off_the_ui_thread_and_the_result_comes_back_on_it(
        qtbot: QtBot, parent: QWidget) -> None:
    threads: dict[str, object] = {}

    def work() -> int:
        threads["work"] = QThread.currentThread()
        return 42

    def done(value: int) -> None:
        threads["success"] = QThread.currentThread()
        threads["value"] = value

    Operation(parent, work).success(done).run()
    settle(qtbot)
    ui_thread = QApplication.instance().thread()  # type: ignore[union-attr]
    assert threads["value"] == 42
    assert threads["success"] is ui_thread
    assert threads["work"] is not ui_thread


def test_a_storage_failure_becomes_the_cores_storage_error_and_says_the_input_is_kept(
        qtbot: QtBot, parent: QWidget, message_log: MessageLog) -> None:
    seen: list[Exception] = []

    def work() -> None:
        raise peewee.OperationalError("server closed the connection unexpectedly")

    Operation(parent, work).failure(seen.append).run()
    settle(qtbot)
    assert isinstance(seen[0], StorageError)

    Operation(parent, work, title="Samtycket sparades inte").run()
    settle(qtbot)
    assert message_log.shown == [("error", "Samtycket sparades inte", STORAGE_MESSAGE)]
    assert "finns kvar" in STORAGE_MESSAGE


def test_a_validation_error_goes_to_its_field_and_a_refusal_to_a_message_box(
        qtbot: QtBot, parent: QWidget, message_log: MessageLog) -> None:
    at_field: list[tuple[str, str]] = []
    box = QLineEdit(parent)
    box.setText("det jag skrev")

    def show(field: str, message: str) -> bool:
        if field != "first_name":
            return False
        at_field.append((field, message))
        return True

    def invalid() -> None:
        raise ValidationError("Förnamnet saknas.", field="first_name")

    def unknown_field() -> None:
        raise ValidationError("Något annat saknas.", field="other")

    def refused() -> None:
        raise PermissionDenied("Du får inte ändra det här ärendet.")

    for work in (invalid, unknown_field, refused):
        Operation(parent, work, title="Sparades inte").fields(show).run()
        settle(qtbot)
    assert at_field == [("first_name", "Förnamnet saknas.")]
    assert message_log.shown == [("warning", "Sparades inte", "Något annat saknas."),
                                 ("warning", "Sparades inte", "Du får inte ändra det här ärendet.")]
    assert box.text() == "det jag skrev"


def test_finally_runs_after_success_and_after_failure(qtbot: QtBot, parent: QWidget) -> None:
    calls: list[str] = []

    def missing() -> None:
        raise NotFoundError("Ärendet finns inte längre.")

    Operation(parent, lambda: 1).finally_(lambda: calls.append("ok")).run()
    Operation(parent, missing).failure(lambda _e: None).finally_(
        lambda: calls.append("failed")).run()
    settle(qtbot)
    assert sorted(calls) == ["failed", "ok"]


def test_a_bug_in_the_work_reaches_the_crash_handler(
        qtbot: QtBot, parent: QWidget, monkeypatch: pytest.MonkeyPatch) -> None:
    caught: list[BaseException] = []
    monkeypatch.setattr("sys.excepthook", lambda _t, exc, _tb: caught.append(exc))

    def buggy() -> None:
        raise KeyError("oops")

    Operation(parent, buggy).run()
    settle(qtbot)
    assert isinstance(caught[0], KeyError)


def test_the_result_is_dropped_quietly_when_the_widget_that_asked_is_gone(qtbot: QtBot) -> None:
    widget = QWidget()
    release = threading.Event()
    called: list[int] = []
    Operation(widget, lambda: release.wait(5) and 1).success(called.append).run()
    widget.deleteLater()
    qtbot.waitUntil(lambda: not _alive(widget))
    release.set()
    settle(qtbot)
    assert called == []
    assert operations.pending() == 0


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:
        return False
    return True


def test_progress_is_shown_and_cancel_stops_the_work_between_steps(
        qtbot: QtBot, parent: QWidget) -> None:
    progress = Progress()
    step = threading.Event()
    finished: list[int] = []

    def work() -> int:
        done = 0
        for done in range(1, 101):
            if progress.cancelled:
                return done - 1
            progress.report(done, 100)
            if done == 3:
                step.set()
                while not progress.cancelled:
                    threading.Event().wait(0.01)
        return done

    Operation(parent, work, title="Skriv ut planer").with_progress(
        progress, "Skriver ut planer …").success(finished.append).run()
    qtbot.waitUntil(step.is_set)
    progress.cancel()  # what the dialog's Avbryt does
    settle(qtbot)
    assert finished == [3]


def test_each_worker_reads_the_same_database(qtbot: QtBot, parent: QWidget,
                                             session: Session) -> None:
    names: list[list[str]] = []
    Operation(parent, lambda: [u.login for u in auth.active_users_with_unit()]).success(
        names.append).run()
    settle(qtbot)
    assert names == [[session.user.login]]
