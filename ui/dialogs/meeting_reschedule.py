""""Ny tid…": move a meeting that has not taken place. Everyone with an account gets the new time
as a message to acknowledge; the answers start over, and the call/letter list is to be done again.

`RescheduleDialog.ask(parent, user, meeting, current=…)` returns the meeting, or None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QWidget

from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Meeting
from sipdesk.storage.models import User

from .form_dialog import multiline
from .meeting_common import MeetingFormDialog, datetime_edit, from_qdatetime


class RescheduleDialog(MeetingFormDialog):
    ok_text = "Flytta mötet"
    failed_title = "Mötet kunde inte flyttas"

    def __init__(self, user: User, meeting: Meeting, *, current: dt.datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Ny tid för mötet", parent=parent,
            intro=(f"Mötet är nu {meeting.starts_at:%Y-%m-%d kl. %H:%M}. De som har konto i "
                   "sipdesk får den nya tiden som meddelande att kvittera. Alla svar börjar om, "
                   "och du behöver ringa eller skriva till de andra igen."))
        self.setObjectName("reschedule_dialog")
        self.user = user
        self.meeting = meeting
        self.current = current
        self.starts_at = datetime_edit(meeting.starts_at, name="starts_at")
        self.form.add("starts_at", "Ny tid *", self.starts_at)
        self.reason = multiline(name="reason", placeholder="t.ex. Läkaren är bortrest den dagen")
        self.form.add("reason", "Skäl *", self.reason)
        self.watch("reason", self.reason)
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())
        self.starts_at.setFocus()

    def saving(self) -> Callable[[], Any]:
        user, meeting, current = self.user, self.meeting, self.current
        starts_at = from_qdatetime(self.starts_at.dateTime())
        reason = self.reason.toPlainText()
        return lambda: invitation.reschedule(user, meeting, starts_at=starts_at, reason=reason,
                                             current=current)
