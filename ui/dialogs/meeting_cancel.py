""""Ställ in mötet…" (seed 000 "Ställ in möte"): only before the meeting has taken place, with a
reason and once the person has been told. Everyone with an account gets a cancellation to
acknowledge; the case stays open and can be invited again.

`CancelMeetingDialog.ask(parent, user, meeting, current=…)` returns the meeting, or None.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QWidget

from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Meeting
from sipdesk.storage.models import User

from .form_dialog import multiline
from .meeting_common import MeetingFormDialog


class CancelMeetingDialog(MeetingFormDialog):
    ok_text = "Ställ in mötet"
    failed_title = "Mötet kunde inte ställas in"

    def __init__(self, user: User, meeting: Meeting, *, current: dt.datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Ställ in mötet", parent=parent,
            intro=(f"SIP-mötet {meeting.starts_at:%Y-%m-%d kl. %H:%M} ställs in. Alla med konto "
                   "i sipdesk får ett meddelande att kvittera. Ärendet fortsätter — du kan "
                   "kalla till ett nytt möte."))
        self.setObjectName("cancel_meeting_dialog")
        self.user = user
        self.meeting = meeting
        self.current = current
        self.reason = multiline(name="reason", placeholder="t.ex. Den enskilde är sjuk")
        self.form.add("reason", "Skäl *", self.reason)
        self.person_told = QCheckBox("Den enskilde har fått besked om att mötet ställs in")
        self.person_told.setObjectName("person_told")
        self.form.add("person_told", "", self.person_told)
        self.watch("reason", self.reason)
        self.watch("person_told", self.person_told)
        self.resize(max(self.sizeHint().width(), 540), self.sizeHint().height())
        self.reason.setFocus()

    def saving(self) -> Callable[[], Any]:
        user, meeting, current = self.user, self.meeting, self.current
        reason, told = self.reason.toPlainText(), self.person_told.isChecked()
        return lambda: invitation.cancel_meeting(user, meeting, reason=reason, person_told=told,
                                                 current=current)
