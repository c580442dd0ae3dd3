"""What the inbox's windows read: one message as the reading pane shows it, and what a new
message, a reply or a forward starts from.

- `opened_message(user, message_id)`: open the message (marking it read the first time) and
  gather everything the reading pane shows — the thread, the receipts for the sender, the
  kvittens state and the answer to a kallelse.
- `compose_start(user, reply_to=…, forward=…, case_id=…)`: the recipients the compose dialog
  offers and what a reply or forward keeps of its original.
- `compose_problems(…)` and `message_case(user, number)`: a new message's problems, all at once
  and in form order, checked in the same operation as the sending.

They run in the operation runner; the windows show what they return without touching the
database again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sipdesk import clock
from sipdesk.accounts import access, auth
from sipdesk.desk import cases
from sipdesk.errors import NotFoundError, ValidationError
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Answer, ParticipantKind
from sipdesk.messages import messaging
from sipdesk.messages.messaging import (
    MailRow,
    Message,
    MessageKind,
    ReceiptLine,
    Recipients,
    UnitChoice,
)
from sipdesk.storage.models import Case, CaseStatus, Unit, User

# ---- the reading pane ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadEntry:
    message_id: int
    sender: str
    sent_at_text: str
    subject: str
    body: str
    withdrawn_reason: str | None


@dataclass(frozen=True)
class OpenedMessage:
    """Everything the pane shows about one message, read once through the core."""

    message_id: int
    subject: str
    body: str
    kind: MessageKind
    sender: str
    sender_unit: str
    sent_at_text: str
    to_units: str
    recipients: Recipients
    case_id: int | None
    case_number: str
    requires_ack: bool
    withdrawn_reason: str | None  # None: not withdrawn
    withdrawn_text: str
    viewer_is_sender: bool
    acknowledged: bool  # by the viewer (as recipient)
    receipts: tuple[ReceiptLine, ...]  # for the sender only
    ack_summary: str
    thread: tuple[ThreadEntry, ...]
    answer: str = ""  # a kallelse the viewer can still answer: their answer so far, else ""
    # Why the kvittens is no longer asked for (overtaken, case ended, meeting passed), else "".
    ack_ended: str = ""
    case_closed: bool = False
    waiting: str = ""  # for the sender: who has not acknowledged, "Per Nord (3 dagar)"
    # Answering "Jag kan inte komma": the core asks a professional to name a substitute.
    substitute_required: bool = True


def when_text(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M}"


def opened_message(user: User, message_id: int) -> OpenedMessage:
    """Open the message for `user` (marking it read the first time) and gather the pane's data.
    Raises NotFoundError or PermissionDenied."""
    message: Message = messaging.open_message(user, message_id)
    is_sender = message.sender_id == user.id
    row: MailRow | None = None if is_sender else messaging.mail_row(user, message_id)
    recipients = messaging.recipients_of([message_id])[message_id]
    withdrawn_at = message.withdrawn_at
    withdrawn = withdrawn_at is not None
    withdrawn_text = ""
    if withdrawn_at is not None:
        by_user = message.withdrawn_by or message.sender
        withdrawn_text = f"Makulerat {when_text(withdrawn_at)} av {by_user.full_name}"
    thread = tuple(
        ThreadEntry(m.id, m.sender.full_name, when_text(m.sent_at), m.subject, m.body,
                    m.withdrawn_reason if m.withdrawn_at is not None else None)
        for m in messaging.thread_for(user, message)
    )
    sender = message.sender
    case = message.case
    closed = case is not None and not CaseStatus(case.status).is_open
    # A kallelse in an ended case is not answered any more.
    answer, substitute_required = ("", True) if is_sender or closed else _answer_of(
        user, message_id)
    return OpenedMessage(
        message_id=message.id, subject=message.subject, body=message.body,
        kind=MessageKind(message.kind), sender=sender.full_name, sender_unit=sender.unit.name,
        sent_at_text=when_text(message.sent_at), to_units=message.to_units,
        recipients=recipients, case_id=message.case_id,
        case_number=case.number if case is not None else "",
        requires_ack=message.requires_ack,
        withdrawn_reason=message.withdrawn_reason if withdrawn else None,
        withdrawn_text=withdrawn_text, viewer_is_sender=is_sender,
        acknowledged=bool(row and row.acknowledged),
        receipts=tuple(messaging.receipts_of(user, message_id)) if is_sender else (),
        ack_summary=messaging.ack_summary(message_id), thread=thread,
        answer=answer,
        ack_ended=messaging.ended_text(message) if message.requires_ack else "",
        case_closed=closed,
        waiting=messaging.waiting_text(recipients.waiting, clock.today()) if is_sender else "",
        substitute_required=substitute_required,
    )


def _answer_of(user: User, message_id: int) -> tuple[str, bool]:
    """The viewer's answer so far to a kallelse they can still answer ("" when there is none),
    and whether "Jag kan inte komma" must name a substitute (invitation.register_answer)."""
    place = invitation.invitation_for(user, message_id)
    if place is None:
        return "", True
    return Answer(place.answer).label, place.kind == ParticipantKind.PROFESSIONAL.value


# ---- writing a message --------------------------------------------------------------------------


@dataclass(frozen=True)
class ComposeStart:
    """What the compose dialog opens with: whom it can write to, and what a reply or a forward
    keeps of its original (subject, case, kvittens)."""

    users: tuple[User, ...]  # possible recipients, each with their unit; never the writer
    units: tuple[UnitChoice, ...]  # whole units (a new message only)
    reply_to: int | None = None  # the message answered
    forward: int | None = None  # the message forwarded
    reply_target: str = ""  # a reply's "Till"
    original_subject: str = ""
    case_id: int | None = None  # the case the message will be about, if any
    case_number: str = ""
    requires_ack: bool = False  # a forward asks for kvittens when its original did
    case_users: tuple[int, ...] = ()  # a new message in a case: the case's users, by id

    @property
    def original(self) -> int | None:
        return self.reply_to if self.reply_to is not None else self.forward


def compose_start(user: User, *, reply_to: int | None = None, forward: int | None = None,
                  case_id: int | None = None) -> ComposeStart:
    """A new message (in the case `case_id`, if given), a reply to `reply_to` or a forward of
    `forward` — each read for `user`. A reply goes to the other party: it offers no
    recipients; a forward goes only to people of the writer's own organisation. Raises
    NotFoundError or PermissionDenied for an original the user may not read."""
    if reply_to is not None:
        message = messaging.open_message(user, reply_to)
        target = (message.sender.full_name if message.sender_id != user.id
                  else "Alla som fick meddelandet")
        return ComposeStart(
            users=(), units=(), reply_to=reply_to, reply_target=target,
            original_subject=message.subject, case_id=message.case_id,
            case_number=_number(message.case), requires_ack=message.requires_ack)
    users = [u for u in auth.active_users_with_unit() if u.id != user.id]
    if forward is not None:
        message = messaging.open_message(user, forward)
        own = user.unit.principal_id
        return ComposeStart(
            users=tuple(u for u in users if u.unit.principal_id == own), units=(),
            forward=forward, original_subject=message.subject, case_id=message.case_id,
            case_number=_number(message.case), requires_ack=message.requires_ack)
    units = tuple(messaging.recipient_units())
    if case_id is None:
        return ComposeStart(users=tuple(users), units=units)
    case = access.case_for(user, case_id)
    return ComposeStart(users=tuple(users), units=units, case_id=case.id,
                        case_number=case.number,
                        case_users=tuple(u.id for u in messaging.case_users(case)))


def _number(case: Case | None) -> str:
    return case.number if case is not None else ""


def message_case(user: User, number: str) -> Case | None:
    """The case a new message is written about, by its number as typed ("": none); a case the
    user may not see is refused at the case field like one that does not exist."""
    if not number.strip():
        return None
    try:
        return cases.find_case_by_number(number, visible_to=user)
    except NotFoundError as missing:
        raise ValidationError(missing.message, field="case") from None


COMPOSE_FIELDS = ("recipients", "subject", "body", "case")


def compose_problems(user: User, *, subject: str, body: str, to: Sequence[User],
                     to_units: Sequence[Unit], case_number: str) -> dict[str, str]:
    """Every problem of a new message at once, by field in the compose form's order (the core's
    messages); empty when it can be sent."""
    found = messaging.message_problems(subject=subject, body=body, to=to, to_units=to_units)
    try:
        message_case(user, case_number)
    except ValidationError as missing:
        found["case"] = missing.message
    return {name: found[name] for name in COMPOSE_FIELDS if name in found}
