"""What the user does in the window shows at once in Att göra, the inbox badge and the case
list (demo walkthrough): the live updates ignore the window's own writes, so the main window
refreshes all three on its `data_changed` — approving a plan part, reopening a plan, answering
in the inbox."""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import User
from tests.core.test_plan import approve_all, fill_plan
from tests.ui.conftest import MessageLog, settle, shown_tab, type_text
from tests.ui.documentation_support import drive_dialog, stored, world_with_plan
from ui.case_tabs.plan_tab import PlanTab
from ui.dialogs.plan_reason import ReopenDialog
from ui.main_window import TODO_ROW, MainWindow
from ui.session import Session


@pytest.fixture
def sqlite_url(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def window_of(qtbot: QtBot, url: DatabaseUrl, user: User) -> MainWindow:
    window = MainWindow(Session(url=url, user=auth.user_for_database_login(user.login)))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.todo.loaded and window.inbox.loaded, timeout=3000)
    settle(qtbot)  # Att göra and the inbox are read in the background
    window.live.stop()  # what follows must show without the live updates
    return window


def todo_texts(window: MainWindow) -> list[str]:
    model = window.todo.model
    return [model.row(r).what for r in range(model.rowCount())]  # type: ignore[union-attr]


def test_approving_my_part_clears_the_request_from_att_gora_at_once(
        qtbot: QtBot, sqlite_url: DatabaseUrl) -> None:
    world = world_with_plan()
    version = fill_plan(world)
    for user, principal in ((world["manager"], world["kommun"]),
                            (world["nurse"], world["region_p"])):
        plan.mark_part_finished(user, stored(version.id), principal.id)
    plan.request_approval(world["officer"], stored(version.id))
    plan.approve(world["manager"], stored(version.id), world["kommun"].id)
    window = window_of(qtbot, sqlite_url, world["nurse"])
    asking = [t for t in todo_texts(window) if t.startswith("Kvittera: Godkänn planen")]
    assert asking, todo_texts(window)
    badge_before = window.inbox.badge.unacknowledged
    assert badge_before >= 1

    window.open_case(world["case"].id)

    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None
    tab = shown_tab(qtbot, window.case_view, PlanTab)
    qtbot.mouseClick(tab.approve_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert stored(version.id).locked

    # No waiting: the approval was the kvittens of the request (DOMAIN step 8).
    assert not [t for t in todo_texts(window) if t.startswith("Kvittera: Godkänn planen")]
    assert window.inbox.badge.unacknowledged == badge_before - 1
    todo_item = window.navigation.item(TODO_ROW).text()
    count = window.todo.count
    assert todo_item == (f"Att göra ({count})" if count else "Att göra")


def test_reopening_clears_plan_approved_from_my_att_gora_at_once(
        qtbot: QtBot, sqlite_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch,
        message_log: MessageLog) -> None:
    world = world_with_plan()
    approve_all(world, fill_plan(world))  # the last approver tells Anna "Planen är godkänd"
    window = window_of(qtbot, sqlite_url, world["officer"])
    assert [t for t in todo_texts(window) if t.startswith("Kvittera: Planen är godkänd")]

    window.open_case(world["case"].id)

    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None
    tab = shown_tab(qtbot, window.case_view, PlanTab)
    drive_dialog(monkeypatch, qtbot, ReopenDialog,
                 lambda dialog: type_text(qtbot, dialog.reason, "Fel tid för duschen"))
    qtbot.mouseClick(tab.reopen_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not stored(world["plan"].id).locked

    assert not [t for t in todo_texts(window) if t.startswith("Kvittera: Planen är godkänd")]


def test_any_save_in_the_case_view_refreshes_the_list_the_inbox_and_att_gora(
        qtbot: QtBot, sqlite_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    """One place: every tab, wizard and dialog of the case ends in the view's `case_changed`,
    which the main window turns into `data_changed` — all three pages are read again."""
    world = world_with_plan()
    window = window_of(qtbot, sqlite_url, world["officer"])
    refreshed: list[str] = []
    for page, name in ((window.case_list, "Ärenden"), (window.inbox, "Inkorg"),
                       (window.todo, "Att göra")):
        monkeypatch.setattr(page, "refresh", lambda name=name: refreshed.append(name))
    window.open_case(world["case"].id)
    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None
    with qtbot.waitSignal(window.data_changed, timeout=1000):
        window.case_view.reload()  # what a tab does after it saved something
    assert sorted(refreshed) == ["Att göra", "Inkorg", "Ärenden"]
