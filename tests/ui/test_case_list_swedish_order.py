"""The case list as a Swede reads it: clicking Namn sorts … Z Å Ä Ö (upper and lower case
together), and typing "åsa" or "ÅSA" in the search finds Åsa — on SQLite and PostgreSQL."""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk.casework import people
from sipdesk.desk import cases
from ui.case_list.model import COLUMNS
from ui.case_list.view import CaseListView
from ui.session import Session

NUMBERS = ("19500118-2046", "19500118-2061", "19500123-2296", "19500213-2461",
           "19500219-2382")
PERSONS = [("Östen", "Östberg"), ("Zelda", "Zorn"), ("Åsa", "Åberg"), ("Ängla", "Ängström"),
           ("anna", "alm")]
SWEDISH = ["anna alm", "Zelda Zorn", "Åsa Åberg", "Ängla Ängström", "Östen Östberg"]
NAME = [c.header for c in COLUMNS].index("Namn")


def names(view: CaseListView) -> list[str]:
    model = view.model
    return [model.data(model.index(row, NAME), Qt.ItemDataRole.DisplayRole)
            for row in range(model.rowCount())]


def searched(view: CaseListView, text: str) -> bool:
    """The search is applied and its rows are here (they are read in the background)."""
    return view.model.case_filter.text == text and view.model.first_page_ready()


def test_clicking_namn_sorts_in_swedish_order_and_search_folds_a_ring(
    session: Session, qtbot: QtBot,
) -> None:
    for number, (first, last) in zip(NUMBERS, PERSONS, strict=True):
        person = people.create_person(people.PersonInput(number, first, last),
                                      actor=session.user)
        cases.create_case(session.user, person=person)
    view = CaseListView(session.user)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    qtbot.waitExposed(view)

    header = view.table.horizontalHeader()
    header_click = header.sectionViewportPosition(NAME) + header.sectionSize(NAME) // 2
    clicked = header.viewport().rect().center()
    clicked.setX(header_click)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=clicked)
    if header.sortIndicatorOrder() is not Qt.SortOrder.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=clicked)
    assert header.sortIndicatorSection() == NAME
    qtbot.waitUntil(lambda: names(view) == SWEDISH, timeout=2000)  # Å Ä Ö after Z

    for text in ("åsa", "ÅSA"):
        view.filter_bar.search.clear()
        qtbot.keyClicks(view.filter_bar.search, text)
        qtbot.waitUntil(functools.partial(searched, view, text), timeout=2000)
        assert names(view) == ["Åsa Åberg"], text
        assert view.filter_bar.count_label.text() == "1 ärende"
