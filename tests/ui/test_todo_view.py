"""The Att göra page: what needs me today, each kind of row, overdue in red and bold, and one
click (or Enter) opening the right place — a message in the inbox, a consent in its case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import consent
from sipdesk.desk.todo import Target
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder, Message, MessageKind
from sipdesk.storage.models import Case, Principal, PrincipalKind
from tests.factories import PNR_OTHER, make_case, make_person
from tests.ui.conftest import settle, wait_for_operations
from ui.main_window import INBOX_ROW, TODO_ROW, MainWindow
from ui.session import Session
from ui.todo.model import CASE, SINCE, WHAT, TodoModel, since_text
from ui.todo.view import EMPTY_TEXT, TodoView


def open_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    # The inbox and Att göra load once the case list has painted (a quick start).
    qtbot.waitUntil(lambda: window.inbox.loaded and window.todo.loaded, timeout=3000)
    settle(qtbot)  # Att göra and the inbox are read in the background
    return window


def give_consent(session: Session, case: Case, *, on: dt.date) -> None:
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": PrincipalKind.REGION.value})
    consent.register_consent(session.user, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=on, covers="Samordning av insatserna",
        principals=[region]), today=on)


@pytest.fixture
def waiting(sqlite_session: Session, colleague: Session) -> dict[str, object]:
    """Anna has one of each: a kvittens to give, a message others have not acknowledged for
    days, and a consent that lapses soon on a case she coordinates."""
    anna, karl = sqlite_session.user, colleague.user
    today = clock.today()
    case = make_case(anna)
    lapsing = make_case(anna, make_person(PNR_OTHER, "Greta", "Lund"))
    give_consent(sqlite_session, lapsing, on=today - dt.timedelta(days=350))
    to_ack = messaging.send(karl, subject="Kallelse till SIP-möte", body="Välkommen",
                            to=[anna], case=case, kind=MessageKind.INVITATION, requires_ack=True)
    unanswered = messaging.send(anna, subject="Uppföljning", body="Passar tisdag?", to=[karl],
                                case=case, requires_ack=True)
    # Sent ten days ago: well past the reminder's two working days.
    Message.update(sent_at=clock.now() - dt.timedelta(days=10)).where(
        Message.id == unanswered.id).execute()
    return {"case": case, "lapsing": lapsing, "to_ack": to_ack, "unanswered": unanswered}


def rows_of(model: TodoModel) -> list[tuple[str, str]]:
    return [(model.index(r, WHAT).data(), model.index(r, CASE).data())
            for r in range(model.rowCount())]


def test_todo_model_passes_qtmodeltester(sqlite_session: Session, waiting: dict,
                                         qtmodeltester: object) -> None:
    model = TodoModel(sqlite_session.user)
    model.refresh()
    wait_for_operations()
    assert model.rowCount() == 3
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_rows_of_each_kind_and_overdue_in_red_bold(sqlite_session: Session, waiting: dict,
                                                  qtbot: QtBot) -> None:
    """Issue 4, Reminders: messages waiting for my kvittens, messages others have not
    acknowledged after N working days, consents lapsing within 30 days (DOMAIN step 2: consent
    holds at most a year)."""
    view = TodoView(sqlite_session)
    qtbot.addWidget(view)
    view.show()
    settle(qtbot)  # what waits is read in the background
    case, lapsing = waiting["case"], waiting["lapsing"]
    until = consent.one_year_after(clock.today() - dt.timedelta(days=350))
    assert sorted(rows_of(view.model)) == sorted([
        ("1 mottagare har inte kvitterat: Uppföljning", case.number),
        (f"Samtycket går ut {until:%Y-%m-%d}", lapsing.number),
        ("Kvittera: Kallelse till SIP-möte", case.number),
    ])
    model = view.model
    for row in range(model.rowCount()):
        item = model.row(row)
        assert item is not None
        font = model.index(row, WHAT).data(Qt.ItemDataRole.FontRole)
        color = model.index(row, SINCE).data(Qt.ItemDataRole.ForegroundRole)
        if item.what.startswith("1 mottagare"):
            assert item.overdue and font.bold() and color.color() == QColor("#b00020")
            assert model.index(row, SINCE).data().endswith("(10 dagar sedan)")
        else:
            assert font is None and color is None
    assert view.count == 3


def test_click_on_a_kvittens_row_opens_the_message_in_the_inbox(
    sqlite_session: Session, waiting: dict, qtbot: QtBot
) -> None:
    window = open_window(qtbot, sqlite_session)
    assert window.navigation.item(TODO_ROW).text() == "Att göra (3)"
    window.navigation.setCurrentRow(TODO_ROW)
    table = window.todo.table
    row = next(r for r in range(window.todo.model.rowCount())
               if window.todo.model.row(r).target_id == waiting["to_ack"].id)  # type: ignore[union-attr]
    rect = table.visualRect(window.todo.model.index(row, WHAT))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)  # the message is read in the background
    assert window.navigation.currentRow() == INBOX_ROW
    assert window.stack.currentWidget() is window.inbox
    assert window.inbox.current_folder() is Folder.AWAITING_MY_ACK
    opened = window.inbox.pane.opened
    assert opened is not None and opened.subject == "Kallelse till SIP-möte"
    assert window.inbox.acknowledge_action.isEnabled()
    window.inbox.acknowledge_action.trigger()
    settle(qtbot)  # Att göra is read again in the background
    assert window.navigation.item(TODO_ROW).text() == "Att göra (2)"  # done: gone from the list


def test_enter_on_an_unacknowledged_row_opens_it_among_the_sent(
    sqlite_session: Session, waiting: dict, qtbot: QtBot
) -> None:
    window = open_window(qtbot, sqlite_session)
    window.navigation.setCurrentRow(TODO_ROW)
    model, table = window.todo.model, window.todo.table
    row = next(r for r in range(model.rowCount())
               if model.row(r).target_id == waiting["unanswered"].id  # type: ignore[union-attr]
               and model.row(r).target is Target.MESSAGE)  # type: ignore[union-attr]
    table.setFocus()
    table.setCurrentIndex(model.index(row, WHAT))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    settle(qtbot)  # the message is read in the background
    assert window.inbox.current_folder() is Folder.AWAITING_OTHERS
    opened = window.inbox.pane.opened
    assert opened is not None and opened.viewer_is_sender
    assert opened.ack_summary == "0 av 1 har kvitterat"


def test_a_lapsing_consent_opens_its_case(sqlite_session: Session, waiting: dict,
                                          qtbot: QtBot) -> None:
    window = open_window(qtbot, sqlite_session)
    window.navigation.setCurrentRow(TODO_ROW)
    model, table = window.todo.model, window.todo.table
    row = next(r for r in range(model.rowCount())
               if model.row(r).target is Target.CASE_CONSENT)  # type: ignore[union-attr]
    rect = table.visualRect(model.index(row, CASE))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)  # the case is read in the background
    view = window.case_view
    assert view is not None and view.case_id == waiting["lapsing"].id
    assert window.stack.currentWidget() is view
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    if "Samtycke" in titles:  # the case tabs: the consent tab is the one shown
        assert view.tabs.tabText(view.tabs.currentIndex()) == "Samtycke"


def test_nothing_waiting_says_so(sqlite_session: Session, qtbot: QtBot) -> None:
    view = TodoView(sqlite_session)
    qtbot.addWidget(view)
    view.show()
    settle(qtbot)  # what waits is read in the background
    assert view.count == 0 and EMPTY_TEXT == "Inget väntar på dig just nu."


def test_since_is_said_plainly() -> None:
    today = dt.date(2026, 3, 14)
    assert since_text(today, today) == "2026-03-14 (i dag)"
    assert since_text(dt.date(2026, 3, 13), today) == "2026-03-13 (i går)"
    assert since_text(dt.date(2026, 3, 4), today) == "2026-03-04 (10 dagar sedan)"
    assert since_text(dt.date(2026, 3, 20), today) == "2026-03-20"


def test_a_meeting_row_opens_the_kallelse_tab(sqlite_session: Session, waiting: dict,
                                              qtbot: QtBot,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers missing, calls not made, a meeting soon, a deviation: the Kallelse tab."""
    from sipdesk.desk.todo import TodoRow

    window = open_window(qtbot, sqlite_session)
    case = waiting["lapsing"]
    row = TodoRow("2 av 3 har inte svarat på kallelsen till 2026-12-10", case.id, case.number,
                  clock.today(), Target.CASE_MEETING, case.id)
    monkeypatch.setattr(window.todo.model, "row", lambda index: row)
    with qtbot.waitSignal(window.todo.open_meeting, timeout=1000) as signal:
        window.todo._open_row(0)
    assert signal.args == [case.id]
    settle(qtbot)
    view = window.case_view
    assert view is not None and view.case_id == case.id
    assert view.tabs.tabText(view.tabs.currentIndex()) == "Kallelse"


def test_dokumentera_planen_from_the_held_meeting(
        sqlite_db: object, tmp_path: Path, qtbot: QtBot,
        time_machine: time_machine.TimeMachineFixture) -> None:
    """DOMAIN step 8 (the plan within two working days of the meeting): once the meeting is
    marked held, Att göra shows its coordinator "Dokumentera planen" with the deadline — the
    meeting on Thursday 10 December 2026, the plan due on Monday the 14th — before any plan
    exists."""
    from sipdesk.clock import STOCKHOLM
    from sipdesk.storage.db import DatabaseUrl, Engine
    from tests.scenarios import MEETING, held_meeting, kallelse_world

    world = kallelse_world()
    held_meeting(world)
    time_machine.move_to(dt.datetime(2026, 12, 11, 9, 0, tzinfo=STOCKHOLM))
    view = TodoView(Session(url=DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3"),
                            user=world["officer"]))
    qtbot.addWidget(view)
    view.resize(1000, 300)
    view.show()
    settle(qtbot)  # what waits is read in the background
    case = world["case"]
    assert ("Dokumentera planen — den ska vara klar 2026-12-14", case.number) in rows_of(
        view.model)
    row = next(r for r in range(view.model.rowCount())
               if view.model.index(r, WHAT).data().startswith("Dokumentera planen"))
    assert view.model.index(row, SINCE).data().startswith(f"{MEETING:%Y-%m-%d}")
