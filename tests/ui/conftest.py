"""Fixtures for the GUI tests: window state in a temporary folder, message boxes that record
instead of blocking, and logged-in sessions on a migrated database.

pytest-qt's `qapp` provides the QApplication; no test makes its own.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import peewee
import pytest
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Role
from tests.factories import make_unit, make_user
from ui import messages
from ui.session import Session

HERE = Path(__file__).resolve().parent
T = TypeVar("T", bound=QWidget)


# The offscreen platform plugin (used headless and in CI) says this when a top-level window is
# shown; it is about the plugin, not about sipdesk, so it does not fail a GUI test.
OFFSCREEN_NOTICE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOTICE))


@pytest.fixture(autouse=True)
def window_state_in_tmp(tmp_path: Path) -> Iterator[Path]:
    """QSettings (window geometry, columns, filters) go to a folder of this test only."""
    folder = tmp_path / "qsettings"
    folder.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type `text` into `widget` key by key, like qtbot.keyClicks, Swedish letters included:
    QTest has no key for a lower-case å, ä or ö (it aborts), so those are sent as the key
    events a keyboard makes."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        key = Qt.Key(ord(char.upper())) if ord(char.upper()) < 0x100 else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            )


@dataclass
class MessageLog:
    """Message boxes shown during a test: (kind, title, text)."""

    shown: list[tuple[str, str, str]] = field(default_factory=list)
    confirm_answer: bool = True

    def texts(self) -> list[str]:
        return [text for _kind, _title, text in self.shown]


@pytest.fixture(autouse=True)
def message_log(monkeypatch: pytest.MonkeyPatch) -> MessageLog:
    """No modal message box may block a test: they are recorded instead."""
    log = MessageLog()

    def recorder(kind: str):  # type: ignore[no-untyped-def]
        def show(_parent: object, title: str, text: str) -> None:
            log.shown.append((kind, title, text))
        return show

    def confirm(_parent: object, title: str, text: str, **_kwargs: object) -> bool:
        log.shown.append(("confirm", title, text))
        return log.confirm_answer

    for kind in ("information", "warning", "error"):
        monkeypatch.setattr(messages, kind, recorder(kind))
    monkeypatch.setattr(messages, "confirm", confirm)
    return log


def _session(url: DatabaseUrl) -> Session:
    unit = make_unit("Hemtjänst Norr")
    user = make_user("anna.berg", unit=unit, full_name="Anna Berg")
    return Session(url=url, user=user)


@pytest.fixture
def session(db: peewee.Database, db_url: DatabaseUrl) -> Session:
    """Anna Berg (case officer, Hemtjänst Norr) logged in, on SQLite and on PostgreSQL."""
    return _session(db_url)


@pytest.fixture
def sqlite_session(sqlite_db: peewee.Database, tmp_path: Path) -> Session:
    """Anna Berg logged in on a SQLite file: for flows that are about the widgets."""
    return _session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3"))


@pytest.fixture
def colleague(sqlite_session: Session) -> Session:
    """Karl Lind, another case officer in another unit (the same SQLite database)."""
    unit = make_unit("Biståndsenheten")
    user = make_user("karl.lind", unit=unit, full_name="Karl Lind", role=Role.CASE_OFFICER)
    return Session(url=sqlite_session.url, user=user)


def settle(qtbot: QtBot, timeout: int = 10_000) -> None:
    """Wait until every operation started through `ui.operations` has delivered its result on
    the UI thread (saves and loads run in the background, as on a slow shared server)."""
    from ui import operations

    qtbot.waitUntil(lambda: operations.pending() == 0, timeout=timeout)


def wait_for_operations(timeout: float = 10.0) -> None:
    """`settle` without a qtbot: process events until every background operation has delivered
    its result (a model's count and pages are read in the background)."""
    import time

    from PySide6.QtCore import QEventLoop

    from ui import operations

    app = QApplication.instance() or QApplication([])
    deadline = time.monotonic() + timeout
    while operations.pending():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        assert time.monotonic() < deadline, "background operations did not finish"
    app.processEvents()


def read_cell(model: Any, row: int, column: int,
              role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
    """A cell as the view gets it once its page is here: asking for it fetches the page."""
    model.data(model.index(row, column), role)
    wait_for_operations()
    return model.data(model.index(row, column), role)


def shown_tab(qtbot: QtBot, view: Any, tab_class: type[T]) -> T:
    """A tab of a case view, brought to the front and read: a tab reads its part of the case in
    the background when it is shown, and a tab not on screen keeps what it showed last."""
    tab = view.tab(tab_class)
    view.tabs.setCurrentWidget(tab)
    settle(qtbot)
    return tab


# --- statements on the UI thread (issue 11, "Done when": no ui/ action touches the database on
# the GUI thread) ----------------------------------------------------------------------------
#
# Every GUI test watches the statements run on the UI thread while a `ui/` function is on the
# stack (a test's own set-up through the core or the factories is not a ui action). Any such
# statement fails the test, naming the ui/ line that ran it: move it into the operation runner.
# SIPDESK_UI_SQL_REPORT=path appends every such statement (test, ui line) to that file.

_UI_DIR = str(Path(__file__).resolve().parents[2] / "ui") + "/"

def _ui_caller() -> str | None:
    """The innermost `ui/` frame on the stack, as 'ui/…/file.py:line in function'."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(_UI_DIR):
            return f"ui/{name[len(_UI_DIR):]}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back  # type: ignore[assignment]
    return None


@pytest.fixture(autouse=True)
def ui_thread_statements(request: pytest.FixtureRequest,
                         monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The ui/ lines that ran a statement on the UI thread during the test."""
    seen: list[str] = []
    original = peewee.Database.execute_sql

    def execute_sql(self: peewee.Database, sql: str, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is threading.main_thread():
            caller = _ui_caller()
            if caller is not None:
                seen.append(caller)
        return original(self, sql, *args, **kwargs)

    monkeypatch.setattr(peewee.Database, "execute_sql", execute_sql)
    yield seen
    report = os.environ.get("SIPDESK_UI_SQL_REPORT")
    if report and seen:
        with open(report, "a", encoding="utf-8") as out:
            out.writelines(f"{request.node.nodeid}\t{caller}\n" for caller in seen)
    offending = sorted(set(seen))
    assert not offending, (
        "SQL ran on the UI thread (move it into the operation runner, ui/operations.py):\n"
        + "\n".join(offending))
