"""Receipts and kvittens — DOMAIN.md "meddelande med kvittens", seed 000: each recipient's
receipt is delivered, read (first opened) and acknowledged (explicitly, once); a kvittens that
is no longer needed ends without striking the message through; the sender sees who has read and
acknowledged.

Split from `sipdesk.messages.messaging` (issue 11: no module over ~500 lines), which re-exports
every name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import peewee as pw

from sipdesk.accounts import audit
from sipdesk.accounts.audit import AuditAction
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.storage.collation import ordered
from sipdesk.storage.db import database
from sipdesk.storage.message_records import AckEnded, Message, Receipt, announce
from sipdesk.storage.models import Case, Unit, User, now


def ensure_involved(user: User, message: Message) -> None:
    """Only the sender and those with a receipt may open, answer or forward a message."""
    if message.sender_id == user.id:
        return
    if not Receipt.select().where((Receipt.message == message)
                                  & (Receipt.recipient == user)).exists():
        raise PermissionDenied("Meddelandet är inte skickat till dig.")


def _own_receipt(user: User, message_id: int) -> Receipt:
    receipt = Receipt.get_or_none((Receipt.message == message_id) & (Receipt.recipient == user))
    if receipt is None:
        if Receipt.select().where(Receipt.message == message_id).exists():
            raise PermissionDenied("Du kan bara kvittera dina egna meddelanden.")
        raise NotFoundError("Meddelandet finns inte.")
    return receipt


def mark_read(user: User, message_id: int) -> bool:
    """Note the first opening; True when this was it."""
    with database.atomic():
        changed = (Receipt.update(read_at=now())
                   .where((Receipt.message == message_id) & (Receipt.recipient == user)
                          & Receipt.read_at.is_null()).execute())
        if changed:
            message = Message.get_by_id(message_id)
            announce("read", message_id, [message.sender_id, user.id])
    return bool(changed)


def acknowledge(user: User, message_id: int) -> Receipt:
    """Kvittera: only your own receipt, once. Safe when many acknowledge at the same moment:
    the update only succeeds on a receipt not yet acknowledged."""
    receipt = _own_receipt(user, message_id)
    message = Message.get_by_id(message_id)
    if not message.requires_ack:
        raise ValidationError("Meddelandet behöver ingen kvittens.")
    if message.withdrawn_at is not None:
        raise ValidationError("Meddelandet är makulerat och behöver ingen kvittens.")
    if message.ack_ended_at is not None:
        raise ValidationError(f"Meddelandet behöver inte kvitteras längre: "
                              f"{ended_text(message)}")
    stamp = now()
    with database.atomic():
        changed = (Receipt.update(acknowledged_at=stamp, needs_ack=False,
                                  read_at=pw.fn.COALESCE(Receipt.read_at, stamp))
                   .where((Receipt.id == receipt.id) & Receipt.acknowledged_at.is_null())
                   .execute())
        if not changed:
            raise ValidationError("Du har redan kvitterat meddelandet.")
        if message.case_id is not None:
            audit.record(user, action=AuditAction.UPDATE, entity="receipt", entity_id=receipt.id,
                         case=message.case_id, summary=f"Kvitterade: {message.subject}")
        announce("acknowledged", message_id, [message.sender_id, user.id])
    return Receipt.get_by_id(receipt.id)


def acknowledge_if_waiting(user: User, message_id: int) -> bool:
    """Kvittera as a side effect of something that shows the message was read (answering a
    kallelse): nothing happens when the user's kvittens is not asked for. True when it was."""
    receipt = Receipt.get_or_none((Receipt.message == message_id) & (Receipt.recipient == user)
                                  & (Receipt.needs_ack == True))  # noqa: E712
    if receipt is None:
        return False
    acknowledge(user, message_id)
    return True


def ended_text(message: Message) -> str:
    """Why the kvittens is no longer asked for, as one sentence part, e.g. "planen öppnades
    igen 2026-11-22 (Fel tid för dusch)"."""
    if message.ack_ended_at is None:
        return ""
    base = {
        AckEnded.SUPERSEDED.value: "meddelandet är inaktuellt",
        AckEnded.CASE_CLOSED.value: "ärendet är avslutat",
        AckEnded.MEETING_PASSED.value: "mötet har redan varit",
        AckEnded.PLAN_APPROVED.value: "planen är redan godkänd",
    }.get(message.ack_ended_why, "meddelandet är inaktuellt")
    return message.ack_ended_note or base


def end_kvittens(messages: pw.ModelSelect[Message] | Sequence[int], *, why: AckEnded,
                 note: str = "") -> list[int]:
    """Stop asking for kvittens on messages that no longer need it — overtaken by a newer one,
    in a case that ended, about a meeting that has passed. Unlike `withdraw` nothing is struck
    through: the message stays readable, marked with `why` (and `note`, e.g. the reason a plan
    was reopened). Receipts already acknowledged keep their time. Returns the message ids
    changed (those already ended, withdrawn or never asking for kvittens are left alone)."""
    ids = (list(messages) if not isinstance(messages, pw.ModelSelect)
           else [row.id for row in messages])
    if not ids:
        return []
    with database.atomic():
        open_ones = [row.id for row in Message.select(Message.id).where(
            Message.id.in_(ids) & (Message.requires_ack == True)  # noqa: E712
            & Message.withdrawn_at.is_null() & Message.ack_ended_at.is_null())]
        if not open_ones:
            return []
        Message.update(ack_ended_at=now(), ack_ended_why=why.value, ack_ended_note=note.strip()
                       ).where(Message.id.in_(open_ones)).execute()
        waiting = [(r.message_id, r.recipient_id) for r in
                   Receipt.select(Receipt.message, Receipt.recipient)
                   .where(Receipt.message.in_(open_ones) & (Receipt.needs_ack == True))]  # noqa: E712
        Receipt.update(needs_ack=False).where(Receipt.message.in_(open_ones)).execute()
        senders = {m.id: m.sender_id for m in
                   Message.select(Message.id, Message.sender).where(Message.id.in_(open_ones))}
        for message_id in open_ones:
            announce("ack_ended", message_id,
                    [senders[message_id], *(r for m, r in waiting if m == message_id)])
    return open_ones


def end_kvittens_in_case(case: Case | int, *, why: AckEnded, note: str = "") -> list[int]:
    """Every message of a case still waiting for kvittens stops asking (the case has ended)."""
    case_id = case if isinstance(case, int) else case.id
    pending = Receipt.select(Receipt.message).where(Receipt.needs_ack == True)  # noqa: E712
    return end_kvittens(Message.select(Message.id).where(
        (Message.case == case_id) & Message.id.in_(pending)), why=why, note=note)


@dataclass(frozen=True)
class ReceiptLine:
    recipient: str
    unit: str
    read_at: dt.datetime | None
    acknowledged_at: dt.datetime | None

    @property
    def state(self) -> str:
        if self.acknowledged_at:
            return f"Kvitterat {self.acknowledged_at:%Y-%m-%d %H:%M}"
        if self.read_at:
            return f"Läst {self.read_at:%Y-%m-%d %H:%M}"
        return "Inte läst än"


def receipts_of(user: User, message_id: int) -> list[ReceiptLine]:
    """The sender's view of who has read and acknowledged (only the sender may see it)."""
    message = Message.get_by_id(message_id)
    if message.sender_id != user.id:
        raise PermissionDenied("Bara avsändaren ser vilka som har kvitterat.")
    query = (Receipt.select(Receipt, User, Unit).join(User).join(Unit)
             .where(Receipt.message == message_id).order_by(ordered(User.full_name)))
    return [ReceiptLine(r.recipient.full_name, r.recipient.unit.name, r.read_at,
                        r.acknowledged_at) for r in query]


def ack_summary(message_id: int) -> str:
    """E.g. "3 av 5 har kvitterat"."""
    total = Receipt.select().where(Receipt.message == message_id).count()
    done = Receipt.select().where((Receipt.message == message_id)
                                  & Receipt.acknowledged_at.is_null(False)).count()
    return f"{done} av {total} har kvitterat"
