"""A protected person (skyddade personuppgifter, issue 12) on the screens of a colleague who
neither coordinates the case nor is invited — Lena Strand of Hemtjänst Söder, the municipality's
staff, who may read the case but not change it (DOMAIN.md "access only for those who work with
the case or its unit"):
- the case list sorted by name shows "Skyddad identitet" where that text sorts, not where the
  real name would;
- Att göra and the inbox carry a message about the case, and no name, number or address;
- opened with a reason, the case says it belongs to another unit, every change is disabled with
  why, and no tab shows the address;
- the coordinator, on the same database, sees the name.
Screenshots of these screens are saved when SIPDESK_SCREENSHOTS names a folder."""

from __future__ import annotations

import os
from pathlib import Path

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QTableView, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.casework import protected
from sipdesk.desk import cases
from sipdesk.meetings import invitation
from sipdesk.messages import messaging
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Person, Protection, Role
from tests.factories import make_person, make_unit, make_user
from tests.scenarios import NOW, good_draft, kallelse_world
from tests.ui.conftest import settle, type_text
from tests.ui.test_case_list_swedish_order import NAME
from tests.ui.test_protected_open import when_asked
from tests.ui.test_todo_view import open_window
from ui.case_tabs.base import OTHER_UNIT
from ui.case_view import CaseView
from ui.main_window import INBOX_ROW, TODO_ROW
from ui.session import Session

STREET, POSTAL_CODE, CITY = "Hemliggatan 7", "123 45", "Gömstad"
SECRETS = ("Åsa", "Öberg", "9120", STREET, CITY, "Hemliggatan")
OTHERS = (("Bo", "Ahl"), ("Cia", "Berg"), ("Dan", "Trulsson"))


def shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SIPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def texts(widget: QWidget) -> str:
    """Everything a person could read on `widget`: labels, buttons, table cells, titles."""
    found = [widget.windowTitle()]
    found += [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]
    found += [b.text() + " " + b.toolTip() for b in widget.findChildren(QAbstractButton)]
    for table in widget.findChildren(QTableView):
        model = table.model()
        if model is None:
            continue
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                tip = model.index(row, column).data(Qt.ItemDataRole.ToolTipRole)
                found += [str(value or ""), str(tip or "")]
    return "\n".join(found)


def assert_nothing_personal(widget: QWidget, where: str) -> None:
    shown = texts(widget)
    for secret in SECRETS:
        assert secret not in shown, (where, secret)


@pytest.fixture
def world(sqlite_db: peewee.Database) -> dict:
    """kallelse_world with a home address, the meeting called at home, then the person marked
    protected; three more cases of the coordinator; Lena Strand of Hemtjänst Söder, told about
    the protected person's case in a message that asks for a kvittens."""
    w = kallelse_world()
    Person.update(address=STREET, postal_code=POSTAL_CODE, city=CITY).where(
        Person.id == w["case"].person_id).execute()
    w["meeting"] = invitation.send_invitation(w["officer"], w["case"], good_draft(w), current=NOW)
    protected.set_protection(w["officer"], w["case"].person_id,
                             Protection.PROTECTED_REGISTRATION)
    from sipdesk.demo import skatteverket_test_numbers

    taken = {p.personal_number for p in Person.select(Person.personal_number)}
    free = [n for n in skatteverket_test_numbers() if n not in taken and n < "1940"]
    for number, (first, last) in zip(free, OTHERS, strict=False):
        cases.create_case(w["officer"], person=make_person(number, first, last))
    w["lena"] = make_user("lena.strand", unit=make_unit("Hemtjänst Söder"), role=Role.STAFF,
                          full_name="Lena Strand")
    w["message"] = messaging.send(w["officer"], to=[w["lena"]], case=w["case"],
                                  requires_ack=True, subject="Fråga om hemtjänsten",
                                  body="Hej! Kan du titta på ärendet inför mötet?")
    url = DatabaseUrl(Engine.SQLITE, path=Path(str(sqlite_db.database)))
    w["session"] = Session(url=url, user=w["lena"])
    w["coordinator"] = Session(url=url, user=w["officer"])
    return w


def sorted_by_name(qtbot: QtBot, view: QWidget) -> list[str]:
    """Alla, sorted by Namn (a click on the header), as the rows show it."""
    everything = view.findChild(QAbstractButton, "scope_all")
    assert everything is not None
    qtbot.mouseClick(everything, Qt.MouseButton.LeftButton)
    settle(qtbot)
    header = view.table.horizontalHeader()  # type: ignore[attr-defined]
    point = header.viewport().rect().center()
    point.setX(header.sectionViewportPosition(NAME) + header.sectionSize(NAME) // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    if header.sortIndicatorOrder() is not Qt.SortOrder.AscendingOrder:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    model = view.model  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: header.sortIndicatorSection() == NAME and model.rowCount() == 4
                    and model.sort_key is cases.SortKey.NAME, timeout=3000)

    def names() -> list[str]:
        return [model.data(model.index(r, NAME), Qt.ItemDataRole.DisplayRole)
                for r in range(model.rowCount())]

    qtbot.waitUntil(lambda: model.first_page_ready() and None not in names(), timeout=3000)
    settle(qtbot)
    return names()


def test_a_colleague_sees_the_name_masked_in_the_list_att_gora_and_the_inbox(
        world: dict, qtbot: QtBot) -> None:
    window = open_window(qtbot, world["session"])
    window.resize(1200, 700)
    assert sorted_by_name(qtbot, window.case_list) == [
        "Bo Ahl", "Cia Berg", protected.MASKED_NAME, "Dan Trulsson"]
    shot(window, "protected_case_list_colleague")
    assert_nothing_personal(window, "the case list")

    window.navigation.setCurrentRow(TODO_ROW)
    settle(qtbot)
    todo = window.todo.model
    assert todo.rowCount() == 1 and world["case"].number in texts(window.todo)
    shot(window, "protected_todo_colleague")
    assert_nothing_personal(window, "Att göra")

    window.navigation.setCurrentRow(INBOX_ROW)
    settle(qtbot)
    window.inbox.show_message(world["message"].id)
    settle(qtbot)
    assert "Kan du titta på ärendet" in texts(window.inbox.pane)
    shot(window, "protected_inbox_colleague")
    assert_nothing_personal(window, "the inbox")

    # The coordinator, on the same database, sees the name — in the real order.
    mine = open_window(qtbot, world["coordinator"])
    assert sorted_by_name(qtbot, mine.case_list) == [
        "Bo Ahl", "Cia Berg", "Dan Trulsson", "Åsa Öberg"]


def test_opened_with_a_reason_the_case_is_read_only_for_another_unit_and_has_no_address(
        world: dict, qtbot: QtBot) -> None:
    window = open_window(qtbot, world["session"])
    window.resize(1200, 800)

    def give_reason(dialog: QWidget) -> None:
        type_text(qtbot, dialog.reason, "Hemtjänsten planerar besök")  # type: ignore[attr-defined]
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]

    timer = when_asked(give_reason)
    window.open_case(world["case"].id)
    qtbot.waitUntil(lambda: isinstance(window.stack.currentWidget(), CaseView), timeout=5000)
    timer.stop()
    settle(qtbot)
    view = window.stack.currentWidget()
    assert isinstance(view, CaseView)
    assert view.banner.isVisible() and view.banner.text() == OTHER_UNIT
    shot(window, "protected_case_other_unit")
    for index in range(view.tabs.count()):
        view.tabs.setCurrentIndex(index)
        settle(qtbot)
        page = view.tabs.widget(index)
        shown = texts(page)
        for secret in (STREET, CITY, "Hemliggatan"):
            assert secret not in shown, (view.tabs.tabText(index), secret)
        # Every button that would change the case is disabled and says why.
        for button in page.findChildren(QAbstractButton):
            if button.isVisible() and button.toolTip() == OTHER_UNIT:
                assert not button.isEnabled(), button.text()
        if view.tabs.tabText(index) == "Kallelse":
            shot(window, "protected_meeting_tab_other_unit")
            invite = [b for b in page.findChildren(QAbstractButton)
                      if b.isVisible() and b.toolTip() == OTHER_UNIT]
            assert invite, "the meeting tab's buttons say why they are disabled"
