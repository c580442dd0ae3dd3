"""Messages with kvittens (acknowledgement) — DOMAIN.md "meddelande med kvittens", steps 4, 5,
10, 11 and seed 000.

A message belongs to a case (or, for administrative notes, to none), goes to users (a unit as a
recipient means its active users at the time of sending), and each recipient has a receipt:
delivered, read (first opened), acknowledged (explicit). Messages and receipts are never
deleted; a withdrawn message stays visible, struck through, with the reason. Every other part of
sipdesk sends through `send()`. On PostgreSQL each send and receipt change is announced with
NOTIFY, delivered to listening clients when the transaction commits.

This module holds what a sender does: send, reply, forward, withdraw. The rest sits beside it and
is re-exported here, so `messaging.x` works for every part: `message_records` (the records and
the announcement), `message_receipts` (reading, kvittens, ending a kvittens) and `mailbox` (the
folders and what the inbox window reads).
"""

from __future__ import annotations

from collections.abc import Sequence

from sipdesk.accounts import audit
from sipdesk.accounts.access import require_can_see
from sipdesk.accounts.audit import AuditAction
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.messages.mailbox import (
    Badge,
    Folder,
    MailRow,
    Recipients,
    UnitChoice,
    Waiting,
    badge,
    case_users,
    ended_kvittens,
    folder_count,
    folder_rows,
    mail_row,
    open_message,
    recipient_units,
    recipients_of,
    thread_for,
    thread_of,
    waiting_for,
    waiting_text,
)
from sipdesk.messages.message_receipts import (
    Asking,
    ReceiptLine,
    ack_summary,
    acknowledge,
    acknowledge_if_waiting,
    end_kvittens,
    end_kvittens_in_case,
    ended_text,
    ensure_involved,
    mark_read,
    receipts_of,
)
from sipdesk.storage.db import database
from sipdesk.storage.limits import check_texts, text_problems
from sipdesk.storage.message_records import (
    CHANNEL,
    MAX_SUBJECT,
    AckEnded,
    Message,
    MessageKind,
    Receipt,
    announce,
)
from sipdesk.storage.models import Case, Unit, User, now

# What callers take from `sipdesk.messages.messaging`: the sender's use cases here and every part
# re-exported above.
__all__ = [
    "CHANNEL",
    "MAX_SUBJECT",
    "AckEnded",
    "Asking",
    "Badge",
    "Folder",
    "MailRow",
    "Message",
    "MessageKind",
    "Receipt",
    "ReceiptLine",
    "Recipients",
    "UnitChoice",
    "Waiting",
    "ack_summary",
    "acknowledge",
    "acknowledge_if_waiting",
    "announce",
    "badge",
    "case_users",
    "end_kvittens",
    "end_kvittens_in_case",
    "ended_kvittens",
    "ended_text",
    "ensure_involved",
    "folder_count",
    "folder_rows",
    "forward",
    "mail_row",
    "mark_read",
    "message_problems",
    "open_message",
    "receipts_of",
    "recipient_units",
    "recipients_of",
    "reply",
    "send",
    "thread_for",
    "thread_of",
    "waiting_for",
    "waiting_text",
    "withdraw",
]


# ---- sending ------------------------------------------------------------------------------------

def _recipients(users: Sequence[User], units: Sequence[Unit]) -> list[User]:
    chosen: dict[int, User] = {}
    # Asked of the database, not of the objects: a window may hold a user since before they
    # were deactivated.
    active: set[int] = set()
    if users:
        query = User.select(User.id).where(User.id.in_([u.id for u in users])
                                           & (User.active == True))  # noqa: E712
        active = {found.id for found in query}
    for user in users:
        if user.id not in active:
            raise ValidationError(
                f"{user.full_name} är inte längre aktiv och kan inte få meddelanden.",
                field="recipients")
        chosen[user.id] = user
    for unit in units:
        members = list(User.select().where((User.unit == unit) & (User.active == True)))  # noqa: E712
        if not members:
            raise ValidationError(f"{unit.name} har inga aktiva användare.", field="recipients")
        for member in members:
            chosen.setdefault(member.id, member)
    return list(chosen.values())


def message_problems(*, subject: str, body: str, to: Sequence[User] = (),
                     to_units: Sequence[Unit] = ()) -> dict[str, str]:
    """Every problem of a message's own fields at once, by field (subject, body, recipients):
    a dialog shows them all; `send()` refuses the first."""
    problems: dict[str, str] = {}
    subject = subject.strip()
    if not subject:
        problems["subject"] = "Skriv en rubrik."
    if not body.strip():
        problems["body"] = "Skriv ett meddelande."
    for name, message in text_problems(Message, {"subject": subject, "body": body}).items():
        problems.setdefault(name, message)
    if not to and not to_units:
        problems["recipients"] = "Välj minst en mottagare."
    return problems


def send(
    sender: User,
    *,
    subject: str,
    body: str,
    to: Sequence[User] = (),
    to_units: Sequence[Unit] = (),
    case: Case | None = None,
    kind: MessageKind = MessageKind.FREE_TEXT,
    requires_ack: bool = False,
    reply_to: Message | None = None,
    forwarded_from: Message | None = None,
    meeting_id: int | None = None,
) -> Message:
    """Send a message: one receipt per recipient, the audit entry, and the notification — all in
    one transaction (call it inside a larger one to make it part of that write). `meeting_id`:
    the meeting a kallelse or notice is about."""
    subject, body = subject.strip(), body.strip()
    problems = message_problems(subject=subject, body=body, to=to, to_units=to_units)
    for name in ("subject", "body", "recipients"):
        if name in problems:
            raise ValidationError(problems[name], field=name)
    if not sender.active:
        raise PermissionDenied("Ditt konto är inaktiverat.")
    if case is not None:
        require_can_see(sender, case, field="case")
    recipients = _recipients(to, to_units)
    recipients = [r for r in recipients if r.id != sender.id] or recipients
    with database.atomic():
        message = Message.create(
            case=case, sender=sender, subject=subject, body=body, kind=kind.value,
            requires_ack=requires_ack, parent=reply_to,
            thread=(reply_to.thread_id or reply_to.id) if reply_to else None,
            forwarded_from=forwarded_from, to_units=", ".join(u.name for u in to_units),
            meeting_id=meeting_id,
        )
        stamp = message.sent_at
        Receipt.insert_many(
            [(message.id, r.id, stamp, requires_ack) for r in recipients],
            fields=[Receipt.message, Receipt.recipient, Receipt.delivered_at, Receipt.needs_ack],
        ).execute()
        if case is not None:
            audit.record(sender, action=AuditAction.CREATE, entity="message",
                         entity_id=message.id, case=case,
                         summary=(f"{MessageKind(kind).label} skickat"
                                  f"{' med kvittens' if requires_ack else ''} till "
                                  f"{len(recipients)} mottagare: {subject}"))
        announce("message", message.id, [r.id for r in recipients])
    return message


def reply(sender: User, message: Message, *, body: str, requires_ack: bool = False) -> Message:
    """Answer the sender (and keep the thread)."""
    ensure_involved(sender, message)
    subject = message.subject if message.subject.startswith("Sv: ") else f"Sv: {message.subject}"
    target = message.sender if message.sender_id != sender.id else None
    recipients = [target] if target else list(
        User.select().join(Receipt, on=(Receipt.recipient == User.id))
        .where(Receipt.message == message))
    return send(sender, subject=subject[:MAX_SUBJECT], body=body, to=recipients,
                case=message.case, kind=MessageKind.ANSWER, requires_ack=requires_ack,
                reply_to=message)


def forward(sender: User, message: Message, *, to: Sequence[User], note: str = "") -> Message:
    """Forward within your own organisation, keeping the link to the case."""
    ensure_involved(sender, message)
    own = sender.unit.principal_id
    for user in to:
        if user.unit.principal_id != own:
            raise ValidationError(
                f"{user.full_name} hör till en annan organisation — vidarebefordra bara "
                "inom din egen.", field="recipients")
    check_texts(Message, {"note": note}, columns={"note": "ack_ended_note"})
    body = (f"{note.strip()}\n\n" if note.strip() else "") + (
        f"--- Vidarebefordrat meddelande från {message.sender.full_name}, "
        f"{message.sent_at:%Y-%m-%d %H:%M} ---\n{message.body}")
    return send(sender, subject=f"Vb: {message.subject}"[:MAX_SUBJECT], body=body, to=to,
                case=message.case, kind=MessageKind(message.kind),
                requires_ack=message.requires_ack, forwarded_from=message)


def withdraw(user: User, message_id: int, *, reason: str) -> Message:
    """Makulera: the sender withdraws a message, with a reason; recipients still see it."""
    message = Message.get_or_none(Message.id == message_id)
    if message is None:
        raise NotFoundError("Meddelandet finns inte.")
    if message.sender_id != user.id:
        raise PermissionDenied("Du kan bara makulera meddelanden som du själv har skickat.")
    if message.withdrawn_at is not None:
        raise ValidationError("Meddelandet är redan makulerat.")
    if not reason.strip():
        raise ValidationError("Skriv varför meddelandet makuleras.", field="reason")
    check_texts(Message, {"reason": reason}, columns={"reason": "withdrawn_reason"})
    with database.atomic():
        Message.update(withdrawn_at=now(), withdrawn_reason=reason.strip(), withdrawn_by=user
                       ).where(Message.id == message_id).execute()
        Receipt.update(needs_ack=False).where(Receipt.message == message_id).execute()
        if message.case_id is not None:
            audit.record(user, action=AuditAction.UPDATE, entity="message", entity_id=message_id,
                         case=message.case_id,
                         summary=f"Makulerade meddelandet {message.subject}: {reason.strip()}")
        recipients = [r.recipient_id for r in
                      Receipt.select(Receipt.recipient).where(Receipt.message == message_id)]
        announce("withdrawn", message_id, [*recipients, user.id])
    return Message.get_by_id(message_id)
