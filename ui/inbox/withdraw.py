"""Makulera: the sender withdraws a message, with a reason (`WithdrawDialog.ask`).

Recipients still see the message, struck through, with the reason; it no longer needs
acknowledgement. The withdrawal runs in the operation runner. The core refuses an empty reason
or someone else's message; the refusal shows at the field and the typed reason stays.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sipdesk.errors import SipError, StorageError
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Message

from .. import messages
from ..fields import FieldForm
from ..operations import Operation, report_failure
from ..session import Session

log = logging.getLogger("sipdesk.ui.withdraw")


class WithdrawDialog(QDialog):
    def __init__(self, session: Session, message_id: int, subject: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.message_id = message_id
        self.withdrawn: Message | None = None
        self.setWindowTitle("Makulera meddelandet")
        self.setObjectName("withdraw_dialog")
        intro = QLabel()
        intro.setWordWrap(True)
        intro.setText(
            f"Meddelandet ”{subject}” makuleras. Mottagarna ser det fortfarande, överstruket och "
            "med ditt skäl, men behöver inte längre kvittera det. Det går inte att ångra."
        )
        intro.setObjectName("withdraw_intro")
        self.form = FieldForm()
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setAccessibleName("Skäl")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Till exempel: Fel tid i kallelsen — en ny kommer.")
        self.reason.setFixedHeight(self.fontMetrics().height() * 5)
        self.reason.textChanged.connect(lambda: self.form.clear_error("reason"))
        self.form.add("reason", "Skäl *", self.reason)
        self.buttons = QDialogButtonBox()
        self.withdraw_button = self.buttons.addButton(
            "Makulera", QDialogButtonBox.ButtonRole.AcceptRole)
        self.withdraw_button.setObjectName("withdraw")
        cancel = self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())
        self.reason.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session, *, message_id: int,
            subject: str) -> Message | None:
        """Withdraw after asking for the reason; the withdrawn message, or None."""
        dialog = cls(session, message_id, subject, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.withdrawn
            return None
        finally:
            dialog.deleteLater()

    def accept(self) -> None:
        if not self.withdraw_button.isEnabled():
            return  # a withdrawal is already under way
        self.form.clear_errors()
        self.withdraw_button.setEnabled(False)
        user, message_id = self.session.user, self.message_id
        reason = self.reason.toPlainText()
        Operation(self, lambda: messaging.withdraw(user, message_id, reason=reason)).success(
            self._withdrawn).failure(self._failed).finally_(
            lambda: self.withdraw_button.setEnabled(True)).run()

    def reject(self) -> None:
        if self.withdraw_button.isEnabled():  # not while the withdrawal is under way
            super().reject()

    def _withdrawn(self, message: Message) -> None:
        self.withdrawn = message
        super().accept()

    def _failed(self, problem: Exception) -> None:
        title = "Meddelandet kan inte makuleras"
        if isinstance(problem, StorageError):
            log.error("withdrawing failed: %s", type(problem).__name__)
            messages.error(self, title, "Det gick inte att spara i databasen. Försök igen.")
        elif isinstance(problem, SipError):
            if not self.form.show_error(problem.field, problem.message):
                messages.warning(self, title, problem.message)
        else:
            report_failure(self, problem, title)
