""""Mötet har hållits…" (seed 000): who came. Everyone is marked; a summoned principal that did
not come gets a deviation (avvikelse), which the unit manager sees in Att göra.

`MeetingHeldDialog.ask(parent, user, meeting, participants=[…], current=…)` returns the list of
deviations (possibly empty), or None when cancelled.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.attendance import sent_substitute
from sipdesk.meetings.invitation import Answer, Meeting, Participant, ParticipantKind
from sipdesk.storage.models import User

from .form_dialog import group_box
from .meeting_common import SENT_SUBSTITUTE, MeetingFormDialog, answer_text, who


class MeetingHeldDialog(MeetingFormDialog):
    ok_text = "Markera som hållet"
    failed_title = "Mötet kunde inte markeras som hållet"

    def __init__(self, user: User, meeting: Meeting, *,
                 participants: Sequence[Participant], current: dt.datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Mötet har hållits", parent=parent,
            intro=(f"Vilka var med på SIP-mötet {meeting.starts_at:%Y-%m-%d}? Bocka ur den som "
                   "inte kom. Den som skickade en ersättare står med ersättaren, som är den som "
                   "kom. En kallad huvudman som inte kom registreras som avvikelse."))
        self.setObjectName("meeting_held_dialog")
        self.user = user
        self.meeting = meeting
        self.current = current
        attendance = group_box("attendance")
        column = attendance.layout()
        assert isinstance(column, QVBoxLayout)
        self.boxes: dict[int, QCheckBox] = {}
        self._principals: dict[int, str] = {}
        for p in participants:
            if sent_substitute(p):
                # The invitee did not come; the box is the substitute's (ticked until unticked).
                away = QLabel(f"{who(p)} — {SENT_SUBSTITUTE.lower()}")
                away.setObjectName(f"sent_substitute_{p.id}")
                away.setEnabled(False)
                column.addWidget(away)
                contact = f", {p.substitute_contact}" if p.substitute_contact.strip() else ""
                box = QCheckBox(f"{p.substitute_name.strip()} (ersättare för {p.name}{contact})")
                box.setChecked(True)
            else:
                answer = answer_text(p)
                box = QCheckBox(f"{who(p)} — {answer[:1].lower()}{answer[1:]}")
                box.setChecked(p.answer != Answer.NOT_COMING.value)
            box.setObjectName(f"attended_{p.id}")
            box.toggled.connect(lambda _on: self._update())
            column.addWidget(box)
            self.boxes[p.id] = box
            if p.kind == ParticipantKind.PROFESSIONAL.value:
                self._principals[p.id] = p.principal_name or p.unit_name
        self.form.add("attendance", "Närvaro", attendance)
        self._update()
        self.resize(max(self.sizeHint().width(), 600), self.sizeHint().height())

    def attendance(self) -> dict[int, bool]:
        return {pid: box.isChecked() for pid, box in self.boxes.items()}

    def _update(self) -> None:
        missing = sorted({name for pid, name in self._principals.items()
                          if not self.boxes[pid].isChecked()})
        self.show_warning(
            ("Avvikelse registreras för: " + ", ".join(missing) + ".") if missing else "")

    def saving(self) -> Callable[[], Any]:
        user, meeting, attendance, current = (self.user, self.meeting, self.attendance(),
                                              self.current)
        return lambda: meetings.mark_held(user, meeting, attendance, current=current)
