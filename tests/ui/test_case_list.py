"""The case list: the paged model (on both engines), filtering, sorting and remembering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from sipdesk import clock, demo
from sipdesk.accounts import access
from sipdesk.casework import people
from sipdesk.demo import skatteverket_test_numbers
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter, Scope, SortKey
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case, CaseStatus, Role, User
from tests.factories import make_unit, make_user
from tests.ui.conftest import read_cell, settle, wait_for_operations
from ui.case_list import model as model_module
from ui.case_list.filter_bar import SEARCH_PLACEHOLDER, count_text
from ui.case_list.model import COLUMNS, CaseListModel
from ui.case_list.view import CaseListView
from ui.session import Session

FIRST_NAMES = ("Åsa", "Bertil", "Cecilia", "David", "Elsa", "Fredrik", "Greta", "Hugo")
LAST_NAMES = ("Öberg", "Lind", "Ek", "Åkesson", "Berg", "Holm", "Strand", "Falk")


def fictional_numbers(count: int) -> list[str]:
    """Skatteverket's test personal numbers (nobody real has them), in a fixed order."""
    return sorted(skatteverket_test_numbers())[:count]


def make_people_and_cases(
    count: int, *, coordinators: list[User], actor: User,
) -> list[Case]:
    """`count` cases for `count` persons, coordinators taken in turn, names in a fixed cycle."""
    made = []
    for index, number in enumerate(fictional_numbers(count)):
        person = people.create_person(people.PersonInput(
            number, FIRST_NAMES[index % len(FIRST_NAMES)],
            LAST_NAMES[(index // len(FIRST_NAMES)) % len(LAST_NAMES)],
        ), actor=actor)
        made.append(cases.create_case(
            actor, person=person, coordinator=coordinators[index % len(coordinators)],
        ))
    return made


def display(model: CaseListModel, row: int, column: int) -> Any:
    return read_cell(model, row, column)


def column_of(header: str) -> int:
    return [c.header for c in COLUMNS].index(header)


# ---- the model, on SQLite and PostgreSQL -------------------------------------------------------


def test_qtmodeltester_with_data(session: Session, qtmodeltester: Any) -> None:
    make_people_and_cases(25, coordinators=[session.user], actor=session.user)
    model = CaseListModel(session.user, page_size=7)
    model.set_filter(CaseFilter())
    wait_for_operations()
    assert model.rowCount() == 25
    qtmodeltester.check(model)
    model.sort(column_of("Namn"), Qt.SortOrder.AscendingOrder)
    wait_for_operations()
    qtmodeltester.check(model)


def test_columns_show_case_data(session: Session) -> None:
    [case] = make_people_and_cases(1, coordinators=[session.user], actor=session.user)
    Case.update(next_date=dt.date(2026, 3, 14)).where(Case.id == case.id).execute()
    model = CaseListModel(session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(len(COLUMNS))] == [
        "Ärendenummer", "Namn", "Personnummer", "Status", "Samordningsansvarig", "Enhet",
        "Nästa datum", "Samtycke",
    ]
    assert [display(model, 0, c) for c in range(len(COLUMNS))] == [
        case.number, "Åsa Öberg", fictional_numbers(1)[0], "Behov registrerat", "Anna Berg",
        "Hemtjänst Norr", "2026-03-14", "Samtycke saknas",
    ]
    assert model.case_id(0) == case.id


def test_rows_are_fetched_a_page_at_a_time(
    session: Session, monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = make_people_and_cases(23, coordinators=[session.user], actor=session.user)
    fetched: list[tuple[int, int]] = []
    real_fetch: Callable[..., Any] = cases.fetch_cases

    def counting_fetch(*args: Any, **kwargs: Any) -> Any:
        fetched.append((kwargs["offset"], kwargs["limit"]))
        return real_fetch(*args, **kwargs)

    monkeypatch.setattr(model_module.cases, "fetch_cases", counting_fetch)
    model = CaseListModel(session.user, page_size=10)
    model.set_filter(CaseFilter())
    wait_for_operations()
    assert model.rowCount() == 23
    assert fetched == [(0, 10)]  # the count comes with the first page; the rest when shown
    assert display(model, 0, 0) == made[-1].number  # newest first
    assert display(model, 9, 0) == made[-10].number
    assert fetched == [(0, 10)]
    assert display(model, 22, 0) == made[0].number
    assert fetched == [(0, 10), (20, 10)]
    assert model.is_page_loaded(0) and not model.is_page_loaded(1)
    assert display(model, 23, 0) is None  # past the end


def test_sorting_by_each_column(session: Session) -> None:
    colleague = make_user("karl.lind", unit=make_unit("Biståndsenheten"), full_name="Karl Lind")
    make_people_and_cases(12, coordinators=[session.user, colleague], actor=session.user)
    model = CaseListModel(session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    for column in range(len(COLUMNS)):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            model.sort(column, order)
            wait_for_operations()
            assert model.sort_key is COLUMNS[column].sort_key
            values = [display(model, row, column) for row in range(model.rowCount())]
            assert len(values) == 12
            if column in (column_of("Ärendenummer"), column_of("Personnummer"),
                          column_of("Samordningsansvarig"), column_of("Enhet")):
                expected = sorted(values, reverse=order == Qt.SortOrder.DescendingOrder)
                assert values == expected, COLUMNS[column].header

    model.sort(column_of("Namn"), Qt.SortOrder.AscendingOrder)
    wait_for_operations()
    names = [display(model, row, column_of("Namn")) for row in range(12)]
    keys = [(n.split()[1], n.split()[0]) for n in names]
    assert keys == sorted(keys)  # by last name, then first name


def test_sort_resets_the_model(session: Session, qtbot: QtBot) -> None:
    make_people_and_cases(3, coordinators=[session.user], actor=session.user)
    model = CaseListModel(session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    display(model, 0, 0)
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.sort(column_of("Namn"), Qt.SortOrder.AscendingOrder)
        wait_for_operations()
    assert not model.is_page_loaded(0)


def test_scope_and_status_filters(session: Session) -> None:
    other_unit = make_unit("Biståndsenheten")
    colleague = make_user("karl.lind", unit=other_unit, full_name="Karl Lind")
    made = make_people_and_cases(6, coordinators=[session.user, colleague], actor=session.user)
    Case.update(status=CaseStatus.CLOSED.value).where(Case.id == made[0].id).execute()
    model = CaseListModel(session.user)

    model.set_filter(CaseFilter(scope=Scope.MINE))
    wait_for_operations()
    assert model.rowCount() == 3
    mine = {model.case_id(r) for r in range(3)}
    assert mine == {c.id for c in made if c.coordinator_id == session.user.id}  # type: ignore[attr-defined]
    model.set_filter(CaseFilter(scope=Scope.UNIT))
    wait_for_operations()
    assert model.rowCount() == 3  # the colleague's cases belong to the colleague's unit
    model.set_filter(CaseFilter(scope=Scope.ALL))
    wait_for_operations()
    assert model.rowCount() == 6
    model.set_filter(CaseFilter(scope=Scope.ALL, open_only=True))
    wait_for_operations()
    assert model.rowCount() == 5
    model.set_filter(CaseFilter(statuses=frozenset({CaseStatus.CLOSED})))
    wait_for_operations()
    assert model.rowCount() == 1 and model.case_id(0) == made[0].id


def test_database_failure_shows_a_message_not_a_crash(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_people_and_cases(2, coordinators=[session.user], actor=session.user)
    model = CaseListModel(session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()

    def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise peewee.OperationalError("server closed the connection")

    shown = [display(model, row, 0) for row in (0, 1)]
    assert None not in shown
    monkeypatch.setattr(model_module.cases, "fetch_cases", broken)
    with qtbot.waitSignal(model.load_failed, timeout=1000) as failed:
        model.refresh()  # F5 on a server that has gone away
    assert "F5" in failed.args[0]
    with qtbot.assertNotEmitted(model.load_failed):
        # What was on screen stays readable (issue 13: nothing cleared on failure), and the
        # failure is reported once, not once per cell.
        assert [display(model, row, 0) for row in (0, 1)] == shown


# ---- the page: widgets on SQLite ------------------------------------------------------------


def show_list(qtbot: QtBot, session: Session) -> CaseListView:
    view = CaseListView(session.user)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot)  # the count and first page are read in the background
    return view


def test_filter_bar_texts(sqlite_session: Session, qtbot: QtBot) -> None:
    view = show_list(qtbot, sqlite_session)
    bar = view.filter_bar
    assert bar.search.placeholderText() == SEARCH_PLACEHOLDER
    assert [bar.status.itemText(i) for i in range(3)] == [
        "Alla statusar", "Pågående", "Behov registrerat",
    ]
    assert bar.status.count() == 2 + len(CaseStatus)
    assert [b.text() for b in bar.scope_buttons.buttons()] == ["Mina ärenden", "Enhetens", "Alla"]
    assert bar.count_label.text() == "0 ärenden"
    assert count_text(1) == "1 ärende"
    assert count_text(100000) == "100\u00a0000 ärenden"


def search_for(qtbot: QtBot, view: CaseListView, text: str) -> None:
    """Type `text` into the cleared search field and wait until the list shows its result."""
    view.filter_bar.search.clear()
    qtbot.keyClicks(view.filter_bar.search, text)
    qtbot.waitUntil(lambda: view.model.case_filter.text == text, timeout=2000)
    settle(qtbot)


def test_search_as_you_type(sqlite_session: Session, qtbot: QtBot) -> None:
    made = make_people_and_cases(20, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    assert view.filter_bar.count_label.text() == "20 ärenden"

    search_for(qtbot, view, "cecilia")
    assert view.model.rowCount() == 3
    assert view.filter_bar.count_label.text() == "3 ärenden"
    assert all(display(view.model, r, 1).startswith("Cecilia") for r in range(3))

    search_for(qtbot, view, made[4].number)
    assert view.model.rowCount() == 1
    assert view.model.case_id(0) == made[4].id

    number = fictional_numbers(20)[2]
    search_for(qtbot, view, number.replace("-", ""))
    assert view.model.rowCount() == 1
    assert display(view.model, 0, 2) == number
    born = number[:8]  # the start of a number: everyone born that day
    search_for(qtbot, view, born)
    same_day = [n for n in fictional_numbers(20) if n.startswith(born)]
    assert view.model.rowCount() == len(same_day)

    search_for(qtbot, view, "lind cecilia")  # last name first works too
    assert view.model.rowCount() == 1

    search_for(qtbot, view, "Zlatan")
    assert view.model.rowCount() == 0
    assert view.filter_bar.count_label.text() == "0 ärenden"
    assert "Inga ärenden matchar sökningen" in view.table._empty_text


def test_search_waits_for_a_pause_in_typing(sqlite_session: Session, qtbot: QtBot) -> None:
    make_people_and_cases(3, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    announced: list[object] = []
    view.filter_bar.filter_changed.connect(announced.append)
    qtbot.keyClicks(view.filter_bar.search, "åsa")
    assert announced == []  # nothing queried for each letter
    qtbot.waitUntil(lambda: len(announced) == 1, timeout=1000)
    qtbot.wait(200)
    assert len(announced) == 1


def test_mina_arenden_scope(sqlite_session: Session, qtbot: QtBot) -> None:
    colleague = make_user("karl.lind", unit=make_unit("Biståndsenheten"), full_name="Karl Lind",
                          role=Role.CASE_OFFICER)
    make_people_and_cases(10, coordinators=[sqlite_session.user, colleague],
                          actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    bar = view.filter_bar
    all_button = bar.findChild(QToolButton, "scope_all")
    mine_button = bar.findChild(QToolButton, "scope_mine")
    qtbot.mouseClick(all_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 10, timeout=1000)
    qtbot.mouseClick(mine_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 5, timeout=1000)
    assert bar.count_label.text() == "5 ärenden"
    coordinator_column = column_of("Samordningsansvarig")
    assert {display(view.model, r, coordinator_column) for r in range(5)} == {"Anna Berg"}


def test_status_filter_pagaende(sqlite_session: Session, qtbot: QtBot) -> None:
    made = make_people_and_cases(4, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    Case.update(status=CaseStatus.CLOSED.value).where(Case.id == made[1].id).execute()
    view = show_list(qtbot, sqlite_session)
    bar = view.filter_bar
    assert bar.status.currentText() == "Pågående"  # the default: open cases
    assert view.model.rowCount() == 3
    bar.status.setCurrentIndex(bar.status.findText("Alla statusar"))
    settle(qtbot)
    assert view.model.rowCount() == 4
    bar.status.setCurrentIndex(bar.status.findText("Avslutat"))
    settle(qtbot)
    assert view.model.rowCount() == 1 and view.model.case_id(0) == made[1].id


def test_enter_and_double_click_open_the_case(sqlite_session: Session, qtbot: QtBot) -> None:
    made = make_people_and_cases(3, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    view.table.setFocus()
    view.table.selectRow(1)
    with qtbot.waitSignal(view.open_case, timeout=1000) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [made[1].id]

    rect = view.table.visualRect(view.model.index(2, 1))
    with qtbot.waitSignal(view.open_case, timeout=1000) as opened:
        # A real double-click starts with a press, which QTest's mouseDClick leaves out.
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mousePress(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [made[0].id]


def test_enter_in_search_opens_a_single_match(sqlite_session: Session, qtbot: QtBot) -> None:
    made = make_people_and_cases(3, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    qtbot.keyClicks(view.filter_bar.search, made[2].person.personal_number)
    with qtbot.waitSignal(view.open_case, timeout=1000) as opened:
        qtbot.keyClick(view.filter_bar.search, Qt.Key.Key_Return)
    assert opened.args == [made[2].id]


def test_first_painted_once(sqlite_session: Session, qtbot: QtBot) -> None:
    make_people_and_cases(2, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = CaseListView(sqlite_session.user)
    qtbot.addWidget(view)
    painted: list[bool] = []
    view.first_painted.connect(lambda: painted.append(True))
    with qtbot.waitSignal(view.first_painted, timeout=2000):
        view.show()
    assert view.model.is_page_loaded(0)
    view.table.viewport().repaint()
    assert painted == [True]


def test_empty_list_explains_itself(sqlite_session: Session, qtbot: QtBot) -> None:
    view = show_list(qtbot, sqlite_session)
    assert view.table._empty_text == (
        "Det finns inga ärenden ännu. Skapa det första med Nytt ärende (Ctrl+N).")
    other = make_user("karl.lind", unit=sqlite_session.user.unit, full_name="Karl Lind")
    make_people_and_cases(1, coordinators=[other], actor=other)
    view.model.refresh()
    wait_for_operations()
    assert "samordningsansvarig" in view.table._empty_text  # there are cases, none of mine
    with qtbot.waitSignal(view.first_painted, timeout=2000, raising=False):
        view.table.viewport().repaint()


def test_sort_and_column_widths_are_remembered(sqlite_session: Session, qtbot: QtBot) -> None:
    """A width the user dragged is kept (the name column takes the room left: not dragged)."""
    make_people_and_cases(3, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    header = view.table.horizontalHeader()
    name_column, unit_column = column_of("Namn"), column_of("Enhet")
    header.resizeSection(unit_column, 321)
    x = header.sectionViewportPosition(name_column) + 20
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert view.model.sort_key is SortKey.NAME
    order = header.sortIndicatorOrder()
    view.close()

    again = show_list(qtbot, sqlite_session)
    again_header = again.table.horizontalHeader()
    assert again_header.sectionSize(unit_column) == 321
    assert again_header.sortIndicatorSection() == name_column
    assert again_header.sortIndicatorOrder() == order
    assert again.model.sort_key is SortKey.NAME


def test_scope_and_status_are_remembered(sqlite_session: Session, qtbot: QtBot) -> None:
    view = show_list(qtbot, sqlite_session)
    qtbot.mouseClick(view.filter_bar.findChild(QToolButton, "scope_unit"),
                     Qt.MouseButton.LeftButton)
    view.filter_bar.status.setCurrentIndex(view.filter_bar.status.findText("Kallad"))
    view.close()
    again = show_list(qtbot, sqlite_session)
    assert again.filter_bar.scope() is Scope.UNIT
    assert again.filter_bar.status.currentText() == "Kallad"
    assert again.model.case_filter.statuses == frozenset({CaseStatus.INVITED})


def test_model_index_helpers(sqlite_session: Session) -> None:
    make_people_and_cases(2, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    model = CaseListModel(sqlite_session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(QModelIndex()) is None
    with pytest.raises(IndexError):
        model.case_id(5)
    assert model.row_of_case(model.case_id(1)) == 1


# ---- consent column and the "something waits for you" marker ---------------------------------


def role(model: CaseListModel, row: int, column: int, which: Qt.ItemDataRole) -> Any:
    return read_cell(model, row, column, which)


def test_consent_column_warns_30_days_before_it_lapses(session: Session) -> None:
    """DOMAIN step 2 / issue 3: the case list shows consent state and warns on lapsing
    consent (30 days before), from the row itself."""
    made = make_people_and_cases(4, coordinators=[session.user], actor=session.user)
    today = clock.today()
    Case.update(consent_basis="consent", consent_valid_until=today + dt.timedelta(days=200)) \
        .where(Case.id == made[0].id).execute()
    Case.update(consent_basis="consent", consent_valid_until=today + dt.timedelta(days=12)) \
        .where(Case.id == made[1].id).execute()
    Case.update(consent_basis="harm_assessment").where(Case.id == made[2].id).execute()
    Case.update(consent_basis="consent", consent_valid_until=today + dt.timedelta(days=12),
                status=CaseStatus.CLOSED.value).where(Case.id == made[3].id).execute()
    model = CaseListModel(session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    consent_column = column_of("Samtycke")
    by_case = {model.case_id(r): r for r in range(model.rowCount())}

    far = by_case[made[0].id]
    assert display(model, far, consent_column) == (
        f"Gäller till och med {today + dt.timedelta(days=200):%Y-%m-%d}")
    assert role(model, far, consent_column, Qt.ItemDataRole.ForegroundRole) is None
    assert role(model, far, consent_column, Qt.ItemDataRole.DecorationRole) is None

    soon = by_case[made[1].id]
    assert display(model, soon, consent_column) == (
        f"Går ut om 12 dagar ({today + dt.timedelta(days=12):%Y-%m-%d})")
    assert role(model, soon, consent_column, Qt.ItemDataRole.ForegroundRole) is not None
    assert isinstance(role(model, soon, consent_column, Qt.ItemDataRole.DecorationRole), QIcon)

    assert display(model, by_case[made[2].id], consent_column) == "Menprövning gjord"
    ended = by_case[made[3].id]
    assert display(model, ended, consent_column) == ""  # a closed case does not warn
    assert role(model, ended, consent_column, Qt.ItemDataRole.DecorationRole) is None


def test_waiting_marker_with_tooltip(session: Session) -> None:
    made = make_people_and_cases(2, coordinators=[session.user], actor=session.user)
    today = clock.today()
    # A consent lapsing within 30 days on a case the user coordinates waits for the user.
    Case.update(consent_basis="consent", consent_valid_until=today + dt.timedelta(days=5)) \
        .where(Case.id == made[0].id).execute()
    model = CaseListModel(session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    by_case = {model.case_id(r): r for r in range(model.rowCount())}
    waiting, calm = by_case[made[0].id], by_case[made[1].id]
    number = column_of("Ärendenummer")
    assert isinstance(role(model, waiting, number, Qt.ItemDataRole.DecorationRole), QIcon)
    assert role(model, waiting, number, Qt.ItemDataRole.ToolTipRole) == (
        f"{made[0].number}: Något väntar på dig i ärendet")
    assert display(model, waiting, number) == made[0].number
    assert role(model, calm, number, Qt.ItemDataRole.DecorationRole) is None
    assert role(model, calm, number, Qt.ItemDataRole.ToolTipRole) == made[1].number


def test_row_of_case_after_a_refresh(sqlite_session: Session) -> None:
    made = make_people_and_cases(3, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    model = CaseListModel(sqlite_session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    model.refresh()  # nothing fetched yet: the first page is fetched to look in
    assert model.row_of_case(made[-1].id) == 0


def test_a_documentation_deadline_that_has_passed_is_red(sqlite_session: Session,
                                                         qtbot: QtBot) -> None:
    """Issue 6: the deadline is shown in the case list; overdue is red."""
    import datetime as dt

    from sipdesk.storage.models import Case, CaseStatus
    from ui.case_list.model import CASE_ID_ROLE, NEXT_DATE_COLUMN, OVERDUE_COLOR, CaseListModel

    made = make_people_and_cases(2, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    yesterday = clock.today() - dt.timedelta(days=1)
    Case.update(status=CaseStatus.DOCUMENTATION.value, next_date=yesterday).where(
        Case.id == made[0].id).execute()
    Case.update(status=CaseStatus.INVITED.value, next_date=yesterday).where(
        Case.id == made[1].id).execute()
    model = CaseListModel(sqlite_session.user)
    model.set_filter(CaseFilter())
    wait_for_operations()
    rows = {model.data(model.index(r, 0), CASE_ID_ROLE): r for r in range(model.rowCount())}
    late = model.index(rows[made[0].id], NEXT_DATE_COLUMN)
    other = model.index(rows[made[1].id], NEXT_DATE_COLUMN)
    assert model.data(late, Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOR
    assert "två arbetsdagar" in model.data(late, Qt.ItemDataRole.ToolTipRole)
    assert model.data(other, Qt.ItemDataRole.ForegroundRole) is None


def test_alla_shows_a_region_user_only_the_cases_they_may_see(
    sqlite_db: peewee.Database, tmp_path: Path, qtbot: QtBot,
) -> None:
    """Issue 16 (DOMAIN.md, Data protection: access only for those who work with the case):
    per.nord, a region nurse invited to some of the demo's cases, clicks "Alla" with every
    status — the list and its count are those cases, not every case of the municipality."""
    demo.fill_demo(cases=61, seed=1)
    nurse = User.get(User.login == "per.nord")
    allowed = {c.id for c in Case.select() if access.can_see(nurse, c)}
    assert 0 < len(allowed) < Case.select().count()
    session = Session(url=DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3"), user=nurse)
    view = show_list(qtbot, session)
    bar = view.filter_bar
    bar.status.setCurrentIndex(bar.status.findText("Alla statusar"))
    qtbot.mouseClick(bar.findChild(QToolButton, "scope_all"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == len(allowed), timeout=2000)
    assert {view.model.case_id(row) for row in range(view.model.rowCount())} == allowed
    assert bar.count_label.text() == count_text(len(allowed))
    view.grab().save(str(tmp_path / "region_alla.png"))
