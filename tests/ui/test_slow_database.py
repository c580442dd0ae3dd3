"""On a slow database the window keeps painting (issue 11, "Done when"): the case list (count,
pages, search), the case page and the dialogs' saves (a case dialog's, a contact's, a new
case's) run their SQL in the operation runner, never on the UI thread.

Every statement is made to wait `DELAY` seconds (`tests.queries.recorded(delay=…)`), as on a
shared server over a slow network. A timer ticking every 20 ms on the UI thread stands for the
window's painting: a statement run on the UI thread would stop it for at least `DELAY`. Each test
asserts both the cause (no statement on the UI thread) and the effect (no gap of `DELAY`)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import peewee
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.casework import contacts
from sipdesk.desk import case_forms, case_page
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.factories import PNR_ADULT
from tests.plan_scenarios import fill, more_cases, plan_world
from tests.queries import Statements, recorded
from tests.ui.conftest import settle, type_text
from tests.ui.test_contacts_view import fill_directory
from ui.case_list.model import PAGE_SIZE
from ui.case_list.view import CaseListView
from ui.case_tabs.overview import OverviewTab
from ui.case_view import CaseView
from ui.dialogs.case_dialogs import NeedDialog
from ui.dialogs.contacts_contact import ContactDialog
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.new_case import NewCaseDialog
from ui.session import Session

DELAY = 0.3  # seconds per statement


class Ticker:
    """A 20 ms timer on the UI thread, and the longest it went without ticking."""

    def __init__(self) -> None:
        self.ticks: list[float] = [time.monotonic()]
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.ticks.append(time.monotonic()))
        self.timer.start()

    def longest_gap(self) -> float:
        self.timer.stop()
        self.ticks.append(time.monotonic())
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:], strict=False))


def kept_painting(statements: Statements, ticker: Ticker) -> None:
    assert len(statements) > 0  # the work did reach the (slow) database
    assert statements.on_thread(threading.current_thread().name) == []
    assert ticker.longest_gap() < DELAY


def test_opening_a_case_and_its_tabs_on_a_slow_database(
        sqlite_db: peewee.Database, qtbot: QtBot, tmp_path: Path) -> None:
    world = plan_world()
    fill(world)
    session = Session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "unused"), world["officer"])
    page = case_page.open_case_page(world["officer"], world["case"].id)
    with recorded(delay=DELAY) as statements:
        ticker = Ticker()
        view = CaseView(page, session=session)
        qtbot.addWidget(view)
        view.show()
        settle(qtbot, timeout=30_000)
        for index in range(view.tabs.count()):
            view.tabs.setCurrentIndex(index)
            settle(qtbot, timeout=30_000)
        kept_painting(statements, ticker)
    assert view.tab(OverviewTab).step.text.startswith("Dokumentera planen")


def saved_on_a_slow_database(qtbot: QtBot, dialog: FormDialog) -> None:
    """Save `dialog` (its input already typed) with every statement slow."""
    with recorded(delay=DELAY) as statements:
        ticker = Ticker()
        dialog.accept()
        assert not dialog.ok_button.isEnabled()  # no second save while this one runs
        settle(qtbot, timeout=30_000)
        kept_painting(statements, ticker)


def test_saving_a_dialog_on_a_slow_database(
        sqlite_db: peewee.Database, qtbot: QtBot, tmp_path: Path) -> None:
    world = plan_world()
    session = Session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "unused"), world["officer"])
    dialog = NeedDialog(session, world["case"], case_forms.need_form(world["case"]))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.need, "Jag vill bo kvar hemma.")
    type_text(qtbot, dialog.question, "Hur kan stödet samordnas?")
    saved_on_a_slow_database(qtbot, dialog)
    assert dialog.result_value is not None and dialog.result_value.need == (
        "Jag vill bo kvar hemma.")


def test_the_case_list_searches_and_scrolls_on_a_slow_database(
        sqlite_db: peewee.Database, qtbot: QtBot) -> None:
    world = plan_world()
    more_cases(world["officer"], PAGE_SIZE + 20)  # a second page to scroll to
    with recorded(delay=DELAY) as statements:
        ticker = Ticker()
        view = CaseListView(world["officer"])
        qtbot.addWidget(view)
        view.resize(1000, 400)
        view.show()
        settle(qtbot, timeout=30_000)
        view.filter_bar.status.setCurrentIndex(view.filter_bar.status.findText("Alla statusar"))
        settle(qtbot, timeout=30_000)
        type_text(qtbot, view.filter_bar.search, "Person")
        qtbot.waitUntil(lambda: view.model.case_filter.text == "Person", timeout=5_000)
        settle(qtbot, timeout=30_000)
        view.table.scrollToBottom()  # later pages are read when they come into view
        qtbot.waitUntil(lambda: view.model.is_page_loaded(1), timeout=30_000)
        settle(qtbot, timeout=30_000)
        kept_painting(statements, ticker)
    assert view.model.rowCount() == PAGE_SIZE + 20
    last = view.model.index(PAGE_SIZE + 19, 1).data()
    assert last is not None and last.startswith("Test Person")


def test_saving_a_contact_on_a_slow_database(sqlite_db: peewee.Database, qtbot: QtBot) -> None:
    manager = fill_directory()
    found = contacts.organisations()
    dialog = ContactDialog(manager, contacts.ContactForm(None, found, found[0].id))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(qtbot, dialog.fields["name"], "Jonas Åkerlund")
    saved_on_a_slow_database(qtbot, dialog)
    assert dialog.saved is not None and dialog.saved.name == "Jonas Åkerlund"


def test_creating_a_case_on_a_slow_database(sqlite_session: Session, qtbot: QtBot) -> None:
    dialog = NewCaseDialog(sqlite_session, auth.active_users_with_unit())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.new_radio.setChecked(True)
    for name, text in (("personal_number", PNR_ADULT), ("first_name", "Åsa"),
                       ("last_name", "Öberg")):
        type_text(qtbot, dialog.fields[name], text)
    saved_on_a_slow_database(qtbot, dialog)
    assert dialog.created_case is not None and dialog.created_case.person.first_name == "Åsa"
