""""Registrera svar…": a participant's answer to the kallelse, given on the phone or by letter
(users answer in the inbox) — will come, cannot come (and who comes instead), or no answer yet.

`AnswerDialog.ask(parent, user, participant)` returns the participant as stored, or None.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QButtonGroup, QLineEdit, QRadioButton, QVBoxLayout, QWidget

from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Answer, Participant, ParticipantKind
from sipdesk.storage.models import User

from ..fields import limited
from .form_dialog import group_box
from .meeting_common import MeetingFormDialog, who


class AnswerDialog(MeetingFormDialog):
    ok_text = "Spara svaret"
    failed_title = "Svaret kunde inte sparas"

    def __init__(self, user: User, participant: Participant, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(title="Registrera svar", parent=parent,
                         intro=f"Svar från {who(participant)} på kallelsen.")
        self.setObjectName("answer_dialog")
        self.user = user
        self.participant = participant
        choices = group_box("answer")
        column = choices.layout()
        assert isinstance(column, QVBoxLayout)
        self.choice = QButtonGroup(self)
        self.radios: dict[Answer, QRadioButton] = {}
        for answer in (Answer.COMING, Answer.NOT_COMING, Answer.NO_ANSWER):
            radio = QRadioButton(answer.label)
            radio.setObjectName(f"answer_{answer.value}")
            self.choice.addButton(radio)
            column.addWidget(radio)
            self.radios[answer] = radio
        current = Answer(participant.answer)
        self.radios[Answer.COMING if current is Answer.NO_ANSWER else current].setChecked(True)
        self.form.add("answer", "Svar", choices)
        self.substitute_name = limited(QLineEdit(), Participant.substitute_name)
        self.substitute_name.setText(participant.substitute_name)
        self.substitute_name.setObjectName("substitute_name")
        self.substitute_name.setPlaceholderText("Den som kommer i stället")
        self.form.add("substitute_name", "Ersättare *", self.substitute_name)
        self.substitute_contact = limited(QLineEdit(), Participant.substitute_contact)
        self.substitute_contact.setText(participant.substitute_contact)
        self.substitute_contact.setObjectName("substitute_contact")
        self.substitute_contact.setPlaceholderText("Telefon eller e-post till ersättaren")
        self.form.add("substitute_contact", "Ersättarens kontakt", self.substitute_contact)
        self.choice.buttonToggled.connect(lambda *_: self._update())
        self.watch("substitute_name", self.substitute_name)
        self._update()
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())

    def answer(self) -> Answer:
        return next(a for a, radio in self.radios.items() if radio.isChecked())

    def _update(self) -> None:
        away = self.answer() is Answer.NOT_COMING
        self.set_field_visible("substitute_name", away)
        self.set_field_visible("substitute_contact", away)
        required = self.participant.kind == ParticipantKind.PROFESSIONAL.value
        self.set_field_label("substitute_name", "Ersättare *" if required else "Ersättare")
        if away:
            self.substitute_name.setFocus()

    def saving(self) -> Callable[[], Any]:
        away = self.answer() is Answer.NOT_COMING
        user, participant, answer = self.user, self.participant, self.answer()
        name = self.substitute_name.text() if away else ""
        contact = self.substitute_contact.text() if away else ""
        return lambda: invitation.register_answer(user, participant, answer,
                                                  substitute_name=name,
                                                  substitute_contact=contact)
