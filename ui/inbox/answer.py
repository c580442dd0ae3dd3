"""Answering a kallelse from the inbox: "Jag kommer" or "Jag kan inte komma" with the name and
contact of a substitute (seed 000: whoever cannot come names a substitute). The core records the
answer on the meeting and replies to the convener (`sipdesk.invitation.answer_invitation`)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from sipdesk import invitation
from sipdesk.errors import SipError
from sipdesk.invitation import Answer

from ..fields import FieldForm
from ..session import Session


class SubstituteDialog(QDialog):
    """Ask for the substitute; refused at the field until a name is given."""

    def __init__(self, session: Session, message_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.message_id = message_id
        self.setWindowTitle("Jag kan inte komma")
        self.answered = False
        layout = QVBoxLayout(self)
        intro = QLabel("Den som inte kan komma utser en ersättare. Skriv vem som kommer i ditt "
                       "ställe och hur kallaren når hen.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.name = QLineEdit()
        self.name.setObjectName("substitute_name")
        self.contact = QLineEdit()
        self.contact.setObjectName("substitute_contact")
        self.contact.setPlaceholderText("Telefon eller e-post")
        self.form = FieldForm()
        self.form.add("substitute_name", "Ersättare", self.name)
        self.form.add("substitute_contact", "Kontakt", self.contact)
        layout.addLayout(self.form)
        buttons = QDialogButtonBox()
        self.send_button = buttons.addButton("Skicka svaret",
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setDefault(True)
        buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def submit(self) -> None:
        self.form.clear_errors()
        try:
            invitation.answer_invitation(
                self.session.user, self.message_id, Answer.NOT_COMING,
                substitute_name=self.name.text(), substitute_contact=self.contact.text())
        except SipError as problem:
            if not self.form.show_error(problem.field, problem.message):
                self.form.show_error("substitute_name", problem.message)
            return
        self.answered = True
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session, message_id: int) -> bool:
        """True when the answer was sent."""
        dialog = cls(session, message_id, parent)
        dialog.exec()
        return dialog.answered
