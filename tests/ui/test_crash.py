"""A crash is never silent (issue 10): an error nobody caught shows "Något gick fel" — the
text says that what the user typed is still there and where the log is — and goes to a
rotating log file without personal data (no personal number, no exception message)."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import peewee
import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.conftest import MessageLog
from ui import crash, messages
from ui.crash import CRASH_TITLE, CrashReporter, crash_reporting, safe_traceback

PERSONAL_NUMBER = "19121212-1212"  # Skatteverket's test number, as a user might have typed it


@pytest.fixture
def log_file() -> Path:
    """Where the crash log goes in a test: SIPDESK_LOG_DIR, set for every test to its tmp."""
    return Path(os.environ["SIPDESK_LOG_DIR"]) / "sipdesk.log"


@pytest.fixture
def reporting() -> Iterator[CrashReporter]:
    """The app's crash reporting, as run_gui switches it on (and off again after)."""
    with crash_reporting() as reporter:
        yield reporter


def raising_button(qtbot: QtBot, error: BaseException) -> QPushButton:
    button = QPushButton("Spara")
    qtbot.addWidget(button)

    def save_person() -> None:
        raise error

    button.clicked.connect(save_person)
    return button


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_shows_the_dialog_and_is_logged_without_personal_data(
    qtbot: QtBot, message_log: MessageLog, log_file: Path,
) -> None:
    with crash_reporting():
        button = raising_button(qtbot, ValueError(f"ogiltigt personnummer {PERSONAL_NUMBER}"))
        button.click()

    [(kind, title, text)] = message_log.shown
    assert (kind, title) == ("error", CRASH_TITLE)
    assert title == "Något gick fel"
    assert "oväntat fel" in text
    assert "Uppgifterna du skrivit finns kvar" in text
    assert str(log_file) in text
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "builtins.ValueError" in logged
    assert "in save_person" in logged and "test_crash.py" in logged  # the frames are there
    assert PERSONAL_NUMBER not in logged
    assert "ogiltigt personnummer" not in logged  # no message at all, not only no number


@pytest.mark.qt_no_exception_capture
def test_a_database_error_and_its_cause_leave_their_values_out(
    qtbot: QtBot, message_log: MessageLog, log_file: Path,
) -> None:
    """Database errors quote the refused row: neither it nor the cause's message is logged."""
    def insert() -> None:
        try:
            raise KeyError(PERSONAL_NUMBER)
        except KeyError as missing:
            raise peewee.IntegrityError(
                f"Key (personal_number)=({PERSONAL_NUMBER}) already exists.") from missing

    with crash_reporting():
        button = QPushButton()
        qtbot.addWidget(button)
        button.clicked.connect(insert)
        button.click()

    logged = log_file.read_text(encoding="utf-8")
    assert "peewee.IntegrityError" in logged and "builtins.KeyError" in logged
    assert "direct cause" in logged
    assert PERSONAL_NUMBER not in logged
    assert len(message_log.shown) == 1


def test_other_modules_log_exception_keeps_the_message_out_of_the_file(
    reporting: CrashReporter, log_file: Path,
) -> None:
    """Any log.exception in the app goes to the file without the message, even when another
    handler formatted (and cached) the full traceback first."""
    other = logging.getLogger("sipdesk.ui.somewhere")
    try:
        raise peewee.IntegrityError(f"duplicate {PERSONAL_NUMBER}")
    except peewee.IntegrityError:
        record = other.makeRecord(other.name, logging.ERROR, __file__, 1, "save failed", (),
                                  sys.exc_info())
    assert PERSONAL_NUMBER in logging.Formatter().format(record)  # caches record.exc_text
    other.handle(record)
    logged = log_file.read_text(encoding="utf-8")
    assert "save failed" in logged and "peewee.IntegrityError" in logged
    assert PERSONAL_NUMBER not in logged


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_an_error_in_a_worker_thread_shows_the_dialog_on_the_ui_thread(
    qtbot: QtBot, reporting: CrashReporter, message_log: MessageLog, log_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown_on: list[threading.Thread] = []
    record = messages.error

    def error(parent: object, title: str, text: str) -> None:
        shown_on.append(threading.current_thread())
        record(parent, title, text)  # type: ignore[arg-type]

    monkeypatch.setattr(messages, "error", error)

    def fetch() -> None:
        raise RuntimeError(f"no row for {PERSONAL_NUMBER}")

    worker = threading.Thread(target=fetch, name="fetch-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(message_log.shown), timeout=2000)
    assert message_log.shown[0][1] == "Något gick fel"
    assert shown_on == [threading.main_thread()]
    logged = log_file.read_text(encoding="utf-8")
    assert "fetch-worker" in logged and "builtins.RuntimeError" in logged
    assert PERSONAL_NUMBER not in logged


@pytest.mark.qt_no_exception_capture
def test_an_error_while_the_dialog_shows_is_only_logged(
    qtbot: QtBot, reporting: CrashReporter, log_file: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No dialog over the dialog, no endless loop: the second error is written down only."""
    calls: list[str] = []
    button = raising_button(qtbot, ValueError("second"))

    failure = "the dialog itself failed"

    def error(_parent: object, title: str, _text: str) -> None:
        calls.append(title)
        button.click()  # another slot fails while the first dialog is open
        raise RuntimeError(failure)

    monkeypatch.setattr(messages, "error", error)
    raising_button(qtbot, ValueError("first")).click()

    assert calls == ["Något gick fel"]
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("unexpected error in MainThread") == 2
    assert "the crash dialog could not be shown" in logged
    assert "builtins.RuntimeError" in logged and failure not in logged


def test_pytest_qt_still_sees_the_error_when_the_app_is_started_in_a_test(
    qtbot: QtBot, message_log: MessageLog,
) -> None:
    """Nothing is installed at import; started inside a test, the hook passes the error on to
    pytest-qt's capture, and leaving puts the previous hooks back."""
    assert not isinstance(getattr(sys.excepthook, "__self__", None), CrashReporter)
    before_sys, before_threading = sys.excepthook, threading.excepthook
    with qtbot.captureExceptions() as exceptions, crash_reporting():
        raising_button(qtbot, ValueError(PERSONAL_NUMBER)).click()
    assert [type(e[1]) for e in exceptions] == [ValueError]
    assert len(message_log.shown) == 1
    assert (sys.excepthook, threading.excepthook) == (before_sys, before_threading)
    assert not any(isinstance(h, logging.handlers.RotatingFileHandler)
                   for h in logging.getLogger().handlers)


def test_the_log_file_rotates(reporting: CrashReporter, log_file: Path) -> None:
    [handler] = [h for h in logging.getLogger().handlers
                 if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert Path(handler.baseFilename) == log_file
    assert handler.maxBytes == crash.LOG_MAX_BYTES == 1_000_000
    assert handler.backupCount == crash.LOG_BACKUP_COUNT == 5
    assert isinstance(handler.formatter, crash.SafeFormatter)
    chatter = logging.getLogger("sipdesk.ui.test")
    line = "x" * 1000
    for _ in range(crash.LOG_MAX_BYTES // 1000 + 10):
        chatter.info(line)
    assert log_file.with_name("sipdesk.log.1").exists()
    assert log_file.stat().st_size < crash.LOG_MAX_BYTES


def test_safe_traceback_keeps_frames_and_types_only() -> None:
    """The source lines are code and stay; what the program held at run time does not."""
    name = "Anna Berg"
    registered: dict[str, str] = {}
    try:
        try:
            registered[PERSONAL_NUMBER]
        except KeyError:
            raise ValueError(f"{name} {PERSONAL_NUMBER}") from None
    except ValueError as error:
        text = safe_traceback(error)
    assert "test_safe_traceback_keeps_frames_and_types_only" in text
    assert 'raise ValueError(f"{name} {PERSONAL_NUMBER}") from None' in text
    assert text.endswith("builtins.ValueError (message left out)")
    assert "KeyError" not in text  # `from None`: the context is not part of it, as in Python
    assert PERSONAL_NUMBER not in text and name not in text


def test_the_log_folder_is_platformdirs_unless_overridden(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    import platformdirs

    from sipdesk.paths import log_dir

    assert log_dir() == tmp_path / "log"  # the tests' own folder (tests/conftest.py)
    monkeypatch.delenv("SIPDESK_LOG_DIR")
    assert log_dir() == Path(platformdirs.user_log_dir("sipdesk", appauthor=False))
