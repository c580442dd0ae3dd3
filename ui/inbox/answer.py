"""Answering a kallelse from the inbox: "Jag kommer" or "Jag kan inte komma" with the name and
contact of a substitute (seed 000: whoever cannot come names a substitute). The core records the
answer on the meeting and replies to the convener (`sipdesk.meetings.invitation.answer_invitation`).

The substitute dialog is a `FormDialog`: the answer is sent through the operation runner, the
core's message shows whole at the field (the dialog grows for it), and the required field is
marked with * like every other form. Whether the field is required is read with the message
(`OpenedMessage.substitute_required`): the dialog itself reads nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from sipdesk.errors import ValidationError
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Answer

from ..dialogs.form_dialog import FormDialog
from ..fields import limited
from ..session import Session

MIN_WIDTH = 460  # room for the core's message on one or two lines


class SubstituteDialog(FormDialog):
    """Ask for the substitute; refused at the field until a name is given."""

    ok_text = "Skicka svaret"
    failed_title = "Svaret kunde inte skickas"

    def __init__(self, session: Session, message_id: int, parent: QWidget | None = None, *,
                 required: bool = True) -> None:
        """`required`: the core asks a substitute of a professional (invitation.register_answer)
        — `OpenedMessage.substitute_required`."""
        super().__init__(
            title="Jag kan inte komma", parent=parent,
            intro="Den som inte kan komma utser en ersättare. Skriv vem som kommer i ditt "
                  "ställe och hur kallaren når hen.")
        self.setObjectName("substitute_dialog")
        self.session = session
        self.message_id = message_id
        self._refusal = ""  # the core's message while the name it refused is still empty
        self.name = limited(QLineEdit(), invitation.Participant.substitute_name)
        self.name.setObjectName("substitute_name")
        self.name.setPlaceholderText("Den som kommer i stället")
        self.contact = limited(QLineEdit(), invitation.Participant.substitute_contact)
        self.contact.setObjectName("substitute_contact")
        self.contact.setPlaceholderText("Telefon eller e-post")
        self.form.add("substitute_name", "Ersättare *" if required else "Ersättare", self.name)
        self.form.add("substitute_contact", "Kontakt", self.contact)
        if required:
            note = QLabel("Fält markerade med * måste fyllas i.")
            note.setObjectName("required_note")
            note.setEnabled(False)
            self.form.addRow("", note)
        self.watch("substitute_name", self.name)
        self.watch("substitute_contact", self.contact)
        self.send_button = self.ok_button
        self.ok_button.setToolTip("Skicka svaret till den som kallade (Ctrl+Enter)")
        self.resize(max(self.sizeHint().width(), MIN_WIDTH), self.sizeHint().height())

    @property
    def answered(self) -> bool:
        return self.result_value is not None

    def problems(self) -> dict[str, str]:
        # The rule is the core's; its message stays at the field until a name is typed.
        if self._refusal and not self.name.text().strip():
            return {"substitute_name": self._refusal}
        return {}

    def saving(self) -> Callable[[], Any]:
        user, message_id = self.session.user, self.message_id
        name, contact = self.name.text(), self.contact.text()
        return lambda: invitation.answer_invitation(
            user, message_id, Answer.NOT_COMING, substitute_name=name,
            substitute_contact=contact)

    def save_failed(self, problem: Exception) -> None:
        if isinstance(problem, ValidationError) and problem.field == "substitute_name":
            self._refusal = problem.message
        super().save_failed(problem)

    def submit(self) -> None:
        """"Skicka svaret" (tests press it without showing the dialog)."""
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any, **kwargs: Any) -> bool:
        """True when the answer was sent: `ask(parent, session, message_id, required=…)`."""
        return super().ask(parent, *args, **kwargs) is not None
