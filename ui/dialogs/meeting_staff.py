""""Tjänstemannamöte…" (seed 000 "Tjänstemannamöte"): the record of the staff meeting before the
SIP meeting — the chair and the note-taker, whether coordinator responsibility stays or moves
(and to whom: the case's coordinator changes, logged), who writes *current situation* and *main
goal*, who writes for the participants without an account, and who is responsible for which
intervention.

`StaffMeetingDialog.ask(parent, user, meeting, form=…, names=[…], current=…)` returns the
record, or None; `form` (`sipdesk.meetings.meeting_page.staff_meeting_form`, the coordinator and the
active users) is read by the opener through the operation runner.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QComboBox, QRadioButton, QVBoxLayout, QWidget

from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.invitation import Meeting
from sipdesk.meetings.meeting import StaffMeetingInput
from sipdesk.meetings.meeting_page import StaffMeetingForm
from sipdesk.storage.models import User

from .dates import DateEdit
from .form_dialog import group_box, multiline, user_combo, wide_combo
from .meeting_common import MeetingFormDialog


def name_combo(name: str, names: Sequence[str], *, placeholder: str) -> QComboBox:
    """Pick one of the participants, or type another name."""
    combo = wide_combo(name)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItems(list(names))
    combo.setCurrentIndex(-1)
    edit = combo.lineEdit()
    assert edit is not None
    edit.setPlaceholderText(placeholder)
    return combo


class StaffMeetingDialog(MeetingFormDialog):
    ok_text = "Spara"
    failed_title = "Tjänstemannamötet kunde inte sparas"

    def __init__(self, user: User, meeting: Meeting, *, form: StaffMeetingForm,
                 names: Sequence[str], current: dt.datetime,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Tjänstemannamöte", parent=parent,
            intro="Vad bestämdes på tjänstemannamötet inför SIP-mötet?")
        self.setObjectName("staff_meeting_dialog")
        self.user = user
        self.meeting = meeting
        day = current.date()
        if meeting.staff_meeting_at is not None and meeting.staff_meeting_at.date() <= day:
            day = meeting.staff_meeting_at.date()
        self.held_on = DateEdit(day, maximum=current.date())
        self.held_on.setObjectName("held_on")
        self.form.add("held_on", "Hölls den", self.held_on)
        self.chair = name_combo("chair", names, placeholder="Vem leder SIP-mötet?")
        self.form.add("chair", "Ordförande *", self.chair)
        self.note_taker = name_combo("note_taker", names,
                                     placeholder="Vem för anteckningar på SIP-mötet?")
        self.form.add("note_taker", "Antecknare *", self.note_taker)

        coordinator = form.coordinator
        choice = group_box("coordinator")
        column = choice.layout()
        assert isinstance(column, QVBoxLayout)
        self.stays = QRadioButton(f"Stannar hos {coordinator.full_name}")
        self.stays.setObjectName("coordinator_stays")
        self.moves = QRadioButton("Flyttas till:")
        self.moves.setObjectName("coordinator_moves")
        group = QButtonGroup(self)
        group.addButton(self.stays)
        group.addButton(self.moves)
        self.stays.setChecked(True)
        self.new_coordinator = user_combo(name="new_coordinator", users=form.users,
                                          selected=form.coordinator)
        other = next((i for i in range(self.new_coordinator.count())
                      if self.new_coordinator.itemData(i).id != coordinator.id), -1)
        if other >= 0:
            self.new_coordinator.setCurrentIndex(other)
        self.new_coordinator.setEnabled(False)
        column.addWidget(self.stays)
        column.addWidget(self.moves)
        column.addWidget(self.new_coordinator)
        self.form.add("new_coordinator", "Samordningsansvar", choice)
        self.moves.toggled.connect(self.new_coordinator.setEnabled)

        self.writes_situation = name_combo("writes_situation", names,
                                           placeholder="Skrivs tillsammans med den enskilde")
        self.form.add("writes_situation", "Skriver ”Min nuvarande situation” *",
                      self.writes_situation)
        self.writes_main_goal = name_combo("writes_main_goal", names,
                                           placeholder="Skrivs tillsammans med den enskilde")
        self.form.add("writes_main_goal", "Skriver huvudmålet *", self.writes_main_goal)
        self.writes_for_others = multiline(
            name="writes_for_others",
            placeholder="t.ex. Anna Berg skriver för psykiatrin, som inte har konto")
        self.form.add("writes_for_others", "Skriver för dem utan konto", self.writes_for_others)
        self.responsibilities = multiline(
            name="responsibilities",
            placeholder="t.ex. Hemtjänsten: dusch två gånger i veckan. Vårdcentralen: "
                        "läkemedelsgenomgång.")
        self.form.add("responsibilities", "Vem ansvarar för vilken insats", self.responsibilities)
        self.resize(max(self.sizeHint().width(), 620), self.sizeHint().height())
        self.chair.setFocus()

    def saving(self) -> Callable[[], Any]:
        moved = self.new_coordinator.currentData() if self.moves.isChecked() else None
        user, meeting = self.user, self.meeting
        data = StaffMeetingInput(
            held_on=self.held_on.value(), chair=self.chair.currentText(),
            note_taker=self.note_taker.currentText(),
            writes_situation=self.writes_situation.currentText(),
            writes_main_goal=self.writes_main_goal.currentText(),
            writes_for_others=self.writes_for_others.toPlainText(),
            responsibilities=self.responsibilities.toPlainText(),
            new_coordinator=moved)
        return lambda: meetings.record_staff_meeting(user, meeting, data)
