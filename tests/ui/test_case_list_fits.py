"""The case list fits a 1280 px wide window (demo walkthrough): every column, "Nästa datum" and
"Samtycke" too, is on screen without scrolling sideways — the name column takes the room left,
the others are as wide as their content needs, and a long text is cut with "…" and shown whole
as a tooltip."""

from __future__ import annotations

import os
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot

from sipdesk import demo
from sipdesk.accounts import auth
from sipdesk.storage.db import DatabaseUrl, Engine
from ui.case_list.model import COLUMNS, NAME_COLUMN
from ui.main_window import MainWindow
from ui.session import Session

SHOTS = Path(os.environ.get("SIPDESK_SHOTS", "/tmp/shots"))


@pytest.fixture
def demo_session(sqlite_db: peewee.Database, tmp_path: Path) -> Session:
    demo.fill_demo(cases=61, seed=1)
    user = auth.user_for_database_login("anna.berg")  # with its unit, as at a login
    return Session(url=DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3"), user=user)


def window_at(qtbot: QtBot, session: Session, width: int) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(width, 800)
    with qtbot.waitSignal(window.case_list_painted, timeout=3000):
        window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.width() == width, timeout=2000)
    return window


def test_every_column_fits_at_1280_px(qtbot: QtBot, demo_session: Session) -> None:
    window = window_at(qtbot, demo_session, 1280)
    view = window.case_list
    bar = view.filter_bar
    bar.status.setCurrentIndex(bar.status.findText("Alla statusar"))
    qtbot.waitUntil(lambda: view.model.rowCount() > 15, timeout=2000)  # her 18 cases
    table = view.table
    qtbot.wait(50)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "case_list_1280.png"))

    assert table.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways to
    header = table.horizontalHeader()
    right = table.viewport().width()
    for column, spec in enumerate(COLUMNS):
        end = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert header.sectionViewportPosition(column) >= 0 and end <= right, spec.header
    assert header.sectionResizeMode(NAME_COLUMN) is QHeaderView.ResizeMode.Stretch
    # Fixed-format columns are shown whole, header included.
    metrics = header.fontMetrics()
    for name in ("Ärendenummer", "Personnummer", "Nästa datum"):
        column = [c.header for c in COLUMNS].index(name)
        assert header.sectionSize(column) > metrics.horizontalAdvance(name), name
        for row in range(min(view.model.rowCount(), 30)):
            text = view.model.index(row, column).data() or ""
            assert table.fontMetrics().horizontalAdvance(text) < header.sectionSize(column)
    # A long name or unit is cut on screen but said whole in its tooltip.
    unit = [c.header for c in COLUMNS].index("Enhet")
    index = view.model.index(0, unit)
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()
    assert table.textElideMode() is Qt.TextElideMode.ElideRight
