"""The kallelse wizard proposes the core's meeting times (DOMAIN.md step 4: "Time: 2–3 weeks
ahead in the normal case; book 45 minutes, at most one hour", a staff meeting before it) — on
working days, also when two weeks ahead is juldagen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import time_machine as tm
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import contacts
from sipdesk.meetings.invitation import InvitationDraft, default_meeting_times
from tests.ui.test_kallelse_wizard import PURPOSE, make_world, start_of
from ui.session import Session
from ui.wizards import kallelse as kallelse_module
from ui.wizards.kallelse import KallelseWizard

W = KallelseWizard
SHOTS = Path("/tmp/shots")


def test_the_wizard_proposes_working_days_around_christmas(
        sqlite_session: Session, qtbot: QtBot, time_machine: tm.TimeMachineFixture) -> None:
    # Friday 11 December 2026: two weeks ahead is juldagen, a week before that is close to
    # julafton; the proposals are Monday 28 December and Thursday 17 December.
    time_machine.move_to(dt.datetime(2026, 12, 11, 10, 0, tzinfo=clock.STOCKHOLM))
    world = make_world(sqlite_session)
    draft = InvitationDraft(purpose=PURPOSE, participants=[
        kallelse_module.person_participant(world["case"])] + [
        kallelse_module.directory_participant(contacts.entry(contacts.EntryKind.USER, u.id))
        for u in (world["manager"], world["nurse"])])
    wizard = KallelseWizard(sqlite_session, start_of(sqlite_session, world["case"]), draft=draft)
    qtbot.addWidget(wizard)
    wizard.resume_page = W.TIME_PLACE
    wizard.start()
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.currentId() == W.TIME_PLACE
    sip, staff = default_meeting_times(clock.today())
    assert sip == dt.datetime(2026, 12, 28, 10, 0)
    assert staff == dt.datetime(2026, 12, 17, 9, 0)
    time_page = wizard.time_page
    assert kallelse_module.from_qdatetime(time_page.starts_at.dateTime()) == sip
    assert not time_page.short_notice_reason.isVisible()  # two weeks or more: no reason asked
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / "kallelse_time_christmas.png"))
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == W.STAFF_MEETING
    assert kallelse_module.from_qdatetime(wizard.staff_page.at.dateTime()) == staff
    assert wizard.staff_page.sip_time.text() == "SIP-mötet: 2026-12-28 kl. 10:00"
    wizard.grab().save(str(SHOTS / "kallelse_staff_christmas.png"))
