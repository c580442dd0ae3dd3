"""The plan's participants through the widgets (DOMAIN.md steps 8 and 10): the attendance
dialog shows the substitute as the one who came and the invitee as "Skickade ersättare"; the
dokumentationsstöd's step 1 lists the person and the substitute, not the invitee who did not
come; a follow-up kallelse starts with the approved plan's participants, any of whom can be
removed."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLabel, QWizard
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.meetings import invitation
from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case
from tests.plan_scenarios import approve_all, fill
from tests.scenarios import (
    MEETING,
    SUBSTITUTE,
    hold_with_substitute,
    invite_with_substitute,
    kallelse_world,
)
from tests.ui.conftest import settle, type_text
from tests.ui.documentation_support import open_wizard
from ui.dialogs.meeting_held import MeetingHeldDialog
from ui.session import Session
from ui.wizards.documentation import DocumentationWizard
from ui.wizards.kallelse import CONVENER_TEXT, KallelseWizard

SHOTS = Path(os.environ.get("SIPDESK_SHOTS", "/tmp/shots"))


@pytest.fixture
def world(sqlite_db: peewee.Database, tmp_path: Path) -> dict[str, Any]:
    found = kallelse_world()
    found["url"] = DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")
    return found


def shoot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_attendance_dialog_shows_the_substitute_as_the_one_who_came(
        qtbot: QtBot, world: dict[str, Any]) -> None:
    row = invite_with_substitute(world)
    people = {p.name: p for p in invitation.participants_of(row)}
    per = people["Per Nord"]
    dialog = MeetingHeldDialog(world["officer"], row, participants=list(people.values()),
                               current=MEETING + dt.timedelta(hours=1))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    away = dialog.findChild(QLabel, f"sent_substitute_{per.id}")
    assert away is not None and away.text().startswith("Per Nord (")
    assert away.text().endswith("— skickade ersättare")
    box = dialog.boxes[per.id]
    assert box.text() == f"{SUBSTITUTE} (ersättare för Per Nord, 070-111 22 33)"
    assert box.isChecked() and not dialog.warning.isVisible()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert dialog.warning.text() == "Avvikelse registreras för: Region Exempelland."
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    assert dialog.result_value == []  # the region was there: its substitute came


def test_step8_wizard_step1_lists_the_person_and_the_substitute(
        qtbot: QtBot, world: dict[str, Any]) -> None:
    """DOMAIN step 8: the plan names those who took part — not Per Nord, who sent Lisa."""
    held = hold_with_substitute(world, invite_with_substitute(world))
    version = plan.start_documentation(world["officer"], held)
    wizard = open_wizard(qtbot, world["url"], world["officer"], version.id)
    wizard.resize(1100, 760)
    assert wizard.currentId() == DocumentationWizard.PARTICIPANTS
    table = wizard.page(DocumentationWizard.PARTICIPANTS).table.table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(6)]
            for r in range(table.rowCount())}
    assert "Per Nord" not in rows
    assert rows["Åsa Öberg"][:3] == ["Åsa Öberg", "ÅÖ", "Den enskilde"]
    assert rows[SUBSTITUTE][1] == "LS"
    assert rows[SUBSTITUTE][3:] == ["Vårdcentralen Exempelby", "Region Exempelland",
                                    "070-111 22 33"]
    problems = wizard.page(DocumentationWizard.PARTICIPANTS).problems
    assert f"{SUBSTITUTE}: saknar yrke." in problems.text()
    assert "Åsa Öberg" not in problems.text()
    qtbot.wait(50)
    shoot(wizard, "participants_wizard_step1")


def approved_plan_world(world: dict[str, Any]) -> None:
    held = hold_with_substitute(world, invite_with_substitute(world))
    world["plan"] = plan.start_documentation(world["officer"], held)
    lisa = next(r for r in plan.participants(world["plan"]) if r.name == SUBSTITUTE)
    plan.save_participant(world["officer"], world["plan"], name=lisa.name, initials="LS",
                          profession="Distriktssköterska", organisation=lisa.organisation,
                          contact=lisa.contact, principal_id=lisa.principal_id,
                          participant_id=lisa.id)
    approve_all(world, fill(world))


def test_step10_follow_up_kallelse_starts_with_the_plans_participants(
        qtbot: QtBot, world: dict[str, Any]) -> None:
    """DOMAIN step 10: the follow-up kallelse is prefilled from the approved plan and the
    previous meeting; a participant no longer involved is removed with one click."""
    approved_plan_world(world)
    session = Session(url=world["url"], user=auth.user_for_database_login(world["officer"].login))
    wizard = KallelseWizard.prepare(None, session, Case.get_by_id(world["case"].id),
                                    follow_up=True)
    qtbot.addWidget(wizard)
    wizard.resize(1100, 780)
    wizard.show()
    qtbot.waitExposed(wizard)
    type_text(qtbot, wizard.purpose_page.purpose, "Följa upp planen: hur går det hemma?")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.participants_page
    assert wizard.currentPage() is page

    def names() -> list[str]:
        return [page.table.item(r, 0).text() for r in range(page.table.rowCount())]

    # the person and the convener, the plan's participants, then the rest of those invited
    assert names() == ["Åsa Öberg", "Anna Berg", "Eva Läkare", "Maria Holm", SUBSTITUTE,
                       "Per Nord"]
    assert page.table.item(1, 5).text() == CONVENER_TEXT
    assert "Ta bort den som inte längre är med" in page.subTitle()
    assert page.refresh_check().ok
    shoot(wizard, "participants_follow_up_kallelse")

    page.table.selectRow(names().index("Per Nord"))  # Lisa Ström goes on instead of him
    assert page.remove_button.isEnabled()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "Per Nord" not in names() and SUBSTITUTE in names()
    page.table.selectRow(1)  # the convener stays
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert "Anna Berg" in names()
    assert page.count_label.text() == "Du som kallar är alltid med på mötet."
    assert [p.name for p in wizard.collect().participants] == names()
