"""The Kallelse tab keeps every held meeting's evaluations reachable (seed 002 "Utvärdera mötet"):
after a follow-up is invited the first meeting's evaluation is still shown; once the follow-up
is held, "Möte:" chooses between the meetings, and registering is for the meeting chosen."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import people
from sipdesk.meetings import evaluation, invitation, meeting
from sipdesk.meetings.evaluation import EvaluationInput, RespondentKind
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case, User
from tests.core.test_evaluations_of_earlier_meetings import FOLLOW_UP, follow_up_world
from tests.ui.conftest import settle
from ui.case_tabs.base import CaseContext
from ui.case_tabs.meeting_tab import MeetingTab
from ui.dialogs.meeting_evaluation import EvaluationDialog
from ui.session import Session


@pytest.fixture
def url(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def _context(url: DatabaseUrl, user: User, case_id: int) -> CaseContext:
    case = Case.get_by_id(case_id)
    return CaseContext(session=Session(url=url, user=user), case=case,
                       contacts=people.contacts_of(case.person), today=clock.today())


def _labels(tab: MeetingTab) -> dict[str, str]:
    """The shown evaluations' words (rows just built are shown, and old ones deleted, by the
    event loop)."""
    QApplication.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return {label.objectName(): label.text() for label in tab.evaluations_box.findChildren(QLabel)
            if label.objectName().startswith("evaluation_") and label.isVisibleTo(tab)}


def test_earlier_meetings_evaluations_stay_on_the_kallelse_tab(
        qtbot: QtBot, url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    world = follow_up_world()
    officer, case_id = world["officer"], world["case"].id
    tab = MeetingTab(_context(url, officer, case_id))
    qtbot.addWidget(tab)
    tab.resize(1030, 900)
    tab.show()
    qtbot.waitExposed(tab)
    settle(qtbot)
    box = tab.evaluations_box
    # The follow-up is invited, not held: the first meeting's evaluation is still there.
    assert box.isVisible() and not box.meeting_choice.isVisible()
    assert _labels(tab)["evaluation_0_comment"] == "”Bra möte.”"

    follow_up = world["follow_up"]
    meeting.mark_held(officer, follow_up,
                      {p.id: True for p in invitation.participants_of(follow_up)},
                      current=FOLLOW_UP + dt.timedelta(hours=1))
    evaluation.register_evaluation(officer, follow_up, EvaluationInput(
        RespondentKind.GUARDIAN, {"listened": 3}, respondent_name="Greta Öberg"))
    tab.refresh(_context(url, officer, case_id))
    settle(qtbot)
    choice = box.meeting_choice
    assert choice.isVisible()
    first_day = f"{world['meeting'].starts_at:%Y-%m-%d}"
    assert [choice.itemText(i) for i in range(choice.count())] == [
        f"{FOLLOW_UP:%Y-%m-%d} (senaste)", first_day]
    assert _labels(tab)["evaluation_0_respondent"] == "Vårdnadshavare (Greta Öberg)"

    choice.setCurrentIndex(1)  # the earlier meeting
    assert _labels(tab)["evaluation_0_comment"] == "”Bra möte.”"
    assert "evaluation_1_respondent" not in _labels(tab)
    folder = os.environ.get("SIPDESK_SHOTS")
    if folder:
        box.grab().save(str(Path(folder) / "evaluations_earlier_meeting.png"))

    asked: list[Any] = []
    monkeypatch.setattr(EvaluationDialog, "ask", classmethod(
        lambda cls, parent, user, meeting_row, **kw: asked.append((meeting_row.id, kw))))
    box.register_button.click()
    assert [a[0] for a in asked] == [world["meeting"].id]  # for the meeting chosen
    assert [e.comment for e in asked[0][1]["existing"]] == ["Bra möte."]
    # Read again (after a save): the chosen meeting stays chosen.
    tab.refresh(_context(url, officer, case_id))
    settle(qtbot)
    assert choice.currentIndex() == 1
