"""Opening a case costs a constant number of queries, and none on the UI thread (issue 11,
points 1 and 6): the case page reads through core read models (`sipdesk.desk.case_page`, and one per
tab), in the operation runner, and each tab reads its part only when it is shown."""

from __future__ import annotations

import threading
from pathlib import Path

import peewee
from pytestqt.qtbot import QtBot

from sipdesk.desk import case_page
from sipdesk.messages import messaging
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.plan_scenarios import fill, plan_world
from tests.queries import assert_query_count, recorded
from tests.ui.conftest import settle
from ui.case_view import CaseView
from ui.main_window import MainWindow
from ui.session import Session

CASE_OPEN_QUERIES = 10


def many_of_each(world: dict, messages: int = 12) -> None:
    """Fill the plan and send many messages in the case (every write adds log lines too)."""
    fill(world)
    for n in range(messages):
        messaging.send(world["officer"], subject=f"Fråga {n + 1}", body="Hej!",
                       to=[world["manager"]], case=world["case"])


def case_view(qtbot: QtBot, world: dict, tmp_path: Path) -> CaseView:
    """The case as the main window opens it (the opening read and logged), shown on Översikt."""
    session = Session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "unused"), world["officer"])
    view = CaseView(case_page.open_case_page(world["officer"], world["case"].id),
                    session=session)
    qtbot.addWidget(view)
    view.show()
    settle(qtbot)
    return view


def opening_costs(qtbot: QtBot, world: dict, tmp_path: Path) -> int:
    with recorded() as statements:
        view = case_view(qtbot, world, tmp_path)
    view.close()
    return len(statements)


def test_the_query_counter_sees_every_statement(sqlite_db: peewee.Database) -> None:
    with assert_query_count(2) as statements:
        sqlite_db.execute_sql("SELECT 1")
        sqlite_db.execute_sql("SELECT 2")
    assert statements.on_thread(threading.current_thread().name) == ["SELECT 1", "SELECT 2"]


def test_opening_a_case_costs_the_same_whatever_it_holds(
        sqlite_db: peewee.Database, qtbot: QtBot, tmp_path: Path) -> None:
    world = plan_world()
    small = opening_costs(qtbot, world, tmp_path)
    many_of_each(world)
    large = opening_costs(qtbot, world, tmp_path)
    assert small == large <= CASE_OPEN_QUERIES, (small, large)


def test_the_tabs_read_their_parts_off_the_ui_thread(
        sqlite_db: peewee.Database, qtbot: QtBot, tmp_path: Path) -> None:
    world = plan_world()
    many_of_each(world, messages=3)
    view = case_view(qtbot, world, tmp_path)
    ui_thread = threading.current_thread().name
    with recorded() as statements:
        for index in range(view.tabs.count()):
            view.tabs.setCurrentIndex(index)
            settle(qtbot)
        view.reload()  # what a save in a tab asks for
        settle(qtbot)
    assert len(statements) > 0  # the counter saw the work, wherever it ran
    assert statements.on_thread(ui_thread) == []


def test_the_main_window_opens_a_case_off_the_ui_thread(
        sqlite_db: peewee.Database, qtbot: QtBot, tmp_path: Path) -> None:
    world = plan_world()
    window = MainWindow(Session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "unused"),
                                world["officer"]))
    qtbot.addWidget(window)
    window.show()
    settle(qtbot)
    with recorded() as statements:
        window.open_case(world["case"].id)
        settle(qtbot)
    assert window.case_view is not None and window.case_view.case_id == world["case"].id
    logged = [(thread, sql) for thread, sql in statements.seen if 'audit_entry' in sql]
    assert logged and all(thread != threading.current_thread().name for thread, _ in logged)
