""""Kartläggning…" (seed 000): a profession's notes on the person's current status before the
meeting — written by a user, possibly for a participant without an account.

`StatusSurveyDialog.ask(parent, user, meeting, others=[…])` returns the survey, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.invitation import Meeting
from sipdesk.storage.models import User

from ..fields import limited
from .form_dialog import multiline, wide_combo
from .meeting_common import MeetingFormDialog

MYSELF = "Mig själv"


class StatusSurveyDialog(MeetingFormDialog):
    ok_text = "Spara kartläggningen"
    failed_title = "Kartläggningen kunde inte sparas"

    def __init__(self, user: User, meeting: Meeting, *, others: Sequence[str] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Kartläggning", parent=parent,
            intro=("Hur ser den enskildes situation ut i dag, sett från ditt yrke? Skriv med "
                   "vanliga ord. Skriver du för någon utan konto i sipdesk, välj vem."))
        self.setObjectName("status_survey_dialog")
        self.user = user
        self.meeting = meeting
        self.on_behalf_of: QComboBox = wide_combo("on_behalf_of")
        self.on_behalf_of.addItem(MYSELF, "")
        for name in others:
            self.on_behalf_of.addItem(name, name)
        self.form.add("on_behalf_of", "Skriver för", self.on_behalf_of)
        self.profession = limited(QLineEdit(), meetings.StatusSurvey.profession)
        self.profession.setText(user.profession)
        self.profession.setObjectName("profession")
        self.profession.setPlaceholderText("t.ex. Distriktssköterska")
        self.form.add("profession", "Yrke *", self.profession)
        self.notes = multiline(name="notes", lines=6,
                               placeholder="t.ex. Går med rollator inomhus, behöver hjälp med "
                                           "dusch, äter dåligt sedan fallet.")
        self.form.add("notes", "Aktuell status *", self.notes)
        self.watch("profession", self.profession)
        self.watch("notes", self.notes)
        self.on_behalf_of.currentIndexChanged.connect(self._behalf_changed)
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        self.notes.setFocus()

    def _behalf_changed(self, _index: int) -> None:
        if self.on_behalf_of.currentData():
            self.profession.clear()
            self.profession.setFocus()
        elif not self.profession.text():
            self.profession.setText(self.user.profession)

    def saving(self) -> Callable[[], Any]:
        user, meeting, profession = self.user, self.meeting, self.profession.text()
        notes, behalf = self.notes.toPlainText(), self.on_behalf_of.currentData() or ""
        return lambda: meetings.add_status_survey(user, meeting, profession=profession,
                                                  notes=notes, on_behalf_of=behalf)
