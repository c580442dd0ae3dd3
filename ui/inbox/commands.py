"""What the Inkorg page does with messages: write one, reply, forward, acknowledge (Kvittera),
answer a kallelse and withdraw (Makulera).

Everything goes through the operation runner: the compose dialog opens with what
`message_page.compose_start` read in the background, and each change is saved there. A command on
a message whose previous command is still under way (Ctrl+K pressed twice) is ignored. When a
change is saved the page is told (`InboxView.message_changed`): it reads the row and the message
again, and tells the live updates and the main window.

The dialogs are imported when first used: not on the way to the first painted window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from sipdesk.desk import message_page
from sipdesk.desk.message_page import ComposeStart
from sipdesk.errors import NotFoundError, PermissionDenied, SipError, StorageError
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Answer
from sipdesk.messages import messaging

from .. import messages
from ..operations import Operation, report_failure

if TYPE_CHECKING:
    from .view import InboxView

log = logging.getLogger("sipdesk.ui.inbox")

ANSWERED = "Ditt svar är skickat till den som kallade."


class MessageCommands(QObject):
    """The page's commands; the view's actions and the reading pane's buttons call them."""

    def __init__(self, view: InboxView) -> None:
        super().__init__(view)
        self.view = view
        self._busy: set[int] = set()  # messages with a change on its way
        self._composing = False  # what a compose dialog opens with is being read

    # ---- writing ------------------------------------------------------------------------

    def new_message(self) -> None:
        self._compose()

    def reply(self) -> None:
        opened = self.view.pane.opened
        if opened is not None:
            self._compose(reply_to=opened.message_id)

    def forward(self) -> None:
        opened = self.view.pane.opened
        if opened is not None:
            self._compose(forward=opened.message_id)

    def _compose(self, *, reply_to: int | None = None, forward: int | None = None) -> None:
        if self._composing:
            return
        self._composing = True
        view, user = self.view, self.view.session.user

        def failed(problem: Exception) -> None:
            if isinstance(problem, (NotFoundError, PermissionDenied)):
                messages.warning(view, "Meddelandet kan inte visas", problem.message)
            else:
                report_failure(view, problem)

        def write(start: ComposeStart) -> None:
            from .compose import ComposeDialog

            view.after_sending(ComposeDialog.ask(view, view.session, start))

        def read() -> None:
            self._composing = False

        Operation(view, lambda: message_page.compose_start(
            user, reply_to=reply_to, forward=forward)).success(write).failure(failed).finally_(
            read).run()

    # ---- changing the message in the pane ------------------------------------------------

    def acknowledge(self) -> None:
        view = self.view
        opened = view.pane.opened
        if opened is None or not view.acknowledge_action.isEnabled():
            return
        user, message_id = view.session.user, opened.message_id

        def failed(problem: Exception) -> None:
            if isinstance(problem, StorageError):
                log.error("acknowledging failed: %s", type(problem).__name__)
                messages.error(view, "Kvittera",
                               "Det gick inte att spara kvittensen. Försök igen.")
            elif isinstance(problem, SipError):
                messages.information(view, "Kvittera", problem.message)
            else:
                report_failure(view, problem)

        self._change(message_id, lambda: messaging.acknowledge(user, message_id), failed,
                     event="acknowledged", echo="acknowledged",
                     status="Meddelandet är kvitterat.")

    def answer_invitation(self, coming: bool) -> None:
        """Answer a kallelse: recorded on the meeting, and a reply goes to the convener. The
        answer is the kvittens too (invitation.register_answer): its echo is "acknowledged"."""
        view = self.view
        opened = view.pane.opened
        if opened is None or opened.message_id in self._busy:
            return
        user, message_id = view.session.user, opened.message_id
        if coming:
            def failed(problem: Exception) -> None:
                if isinstance(problem, SipError) and not isinstance(problem, StorageError):
                    messages.information(view, "Svara på kallelsen", problem.message)
                else:
                    report_failure(view, problem, "Svara på kallelsen")

            self._change(message_id, lambda: invitation.answer_invitation(
                user, message_id, Answer.COMING), failed, event="answered",
                echo="acknowledged", status=ANSWERED)
            return
        from .answer import SubstituteDialog

        view.expecting.emit("acknowledged", message_id)  # the dialog saves it
        self._busy.add(message_id)
        try:
            answered = SubstituteDialog.ask(view, view.session, message_id,
                                            required=opened.substitute_required)
        finally:
            self._busy.discard(message_id)
        if answered:
            view.message_changed("answered", message_id, ANSWERED)

    def withdraw(self) -> None:
        view = self.view
        opened = view.pane.opened
        if opened is None or not view.withdraw_action.isEnabled():
            return
        from .withdraw import WithdrawDialog

        view.expecting.emit("withdrawn", opened.message_id)  # the dialog saves it
        done = WithdrawDialog.ask(view, view.session, message_id=opened.message_id,
                                  subject=opened.subject)
        if done is not None:
            view.message_changed("withdrawn", opened.message_id, "Meddelandet är makulerat.")

    def _change(self, message_id: int, change: Callable[[], Any],
                failed: Callable[[Exception], None], *, event: str, echo: str,
                status: str) -> None:
        """Save `change` in the background, once at a time per message; the live updates are
        told the `echo` to expect before it is saved."""
        if message_id in self._busy:
            return
        self._busy.add(message_id)
        self.view.expecting.emit(echo, message_id)

        def work() -> None:
            change()  # what the core returns is not needed: the message is read again

        Operation(self.view, work).success(
            lambda _none: self.view.message_changed(event, message_id, status)).failure(
            failed).finally_(lambda: self._busy.discard(message_id)).run()
