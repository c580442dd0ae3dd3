"""The kallelse wizard's time field says what a hand-picked time means (DOMAIN.md step 4; seed
003: two to three weeks ahead, within working hours): a public holiday, a free eve, a weekend,
outside office hours or a short notice is a warning right under the field — never a refusal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QWizard
from pytestqt.qtbot import QtBot

from sipdesk.casework import contacts
from sipdesk.meetings.invitation import InvitationDraft
from tests.ui.test_kallelse_wizard import PURPOSE, make_world, start_of
from ui.session import Session
from ui.wizards import kallelse as kallelse_module
from ui.wizards.kallelse import KallelseWizard

SHOTS = Path("/tmp/shots")


def time_page_wizard(qtbot: QtBot, session: Session) -> KallelseWizard:
    world = make_world(session)
    draft = InvitationDraft(purpose=PURPOSE, participants=[
        kallelse_module.directory_participant(contacts.entry(contacts.EntryKind.USER, u.id))
        for u in (world["manager"], world["nurse"])])
    wizard = KallelseWizard(session, start_of(session, world["case"]), draft=draft)
    qtbot.addWidget(wizard)
    wizard.resume_page = KallelseWizard.TIME_PLACE
    wizard.start()
    wizard.show()
    qtbot.waitExposed(wizard)
    assert wizard.currentId() == KallelseWizard.TIME_PLACE
    return wizard


def pick(qtbot: QtBot, edit: QAbstractSpinBox, text: str) -> None:
    """Type a day and time over the field's text, as a user does."""
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def test_christmas_day_is_named_at_the_time_field(sqlite_session: Session,
                                                  qtbot: QtBot) -> None:
    """DOMAIN.md step 4: a meeting is booked on a working day; juldagen is a public holiday —
    said at the field, and the wizard still goes on."""
    wizard = time_page_wizard(qtbot, sqlite_session)
    page = wizard.time_page
    assert page.warnings.isHidden()  # the proposal is a working day within office hours

    pick(qtbot, page.starts_at, "2026-12-25 10:00")
    assert kallelse_module.from_qdatetime(page.starts_at.dateTime()) == dt.datetime(
        2026, 12, 25, 10, 0)
    assert page.warnings.isVisible()
    assert page.warnings.text() == "⚠ 25 december 2026 är juldagen — en helgdag."
    # At the field: right under the time, in the same row of the form.
    assert page.warnings.parentWidget() is page.starts_at.parentWidget()
    field_bottom = page.starts_at.mapTo(page, page.starts_at.rect().bottomLeft()).y()
    warning_top = page.warnings.mapTo(page, page.warnings.rect().topLeft()).y()
    assert 0 <= warning_top - field_bottom <= 12
    SHOTS.mkdir(parents=True, exist_ok=True)
    wizard.grab().save(str(SHOTS / "kallelse_christmas_warning.png"))

    pick(qtbot, page.starts_at, "2026-12-14 16:00")  # a Monday, but it ends 16:45
    assert page.warnings.text() == "⚠ Mötet slutar efter kontorstid (16:30)."
    pick(qtbot, page.starts_at, "2026-12-14 10:00")
    assert page.warnings.isHidden()

    pick(qtbot, page.starts_at, "2026-12-25 10:00")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == KallelseWizard.STAFF_MEETING  # a warning, not a refusal
