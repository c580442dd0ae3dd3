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
from sipdesk.storage.db import Engine, database, engine_of
from sipdesk.storage.message_records import (
    AckEnded,
    Message,
    MessageKind,
    Receipt,
    announce,
)
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


@dataclass(frozen=True)
class Asking:
    """Which messages' kvittens to end, as criteria rather than a query: on PostgreSQL a user
    reads only their own messages (row-level security), so the server picks the messages
    itself (`sipdesk_end_kvittens`, migration 16). Explicit `ids` (e.g. the kallelser of a
    meeting, read from its participants), or a `case`; narrowed by `kind`, by `sent_since`, and
    with `waiting_only` to messages a recipient still has to acknowledge."""

    ids: tuple[int, ...] | None = None
    case: int | None = None
    kind: MessageKind | None = None
    sent_since: dt.datetime | None = None
    waiting_only: bool = False


def end_kvittens(messages: Asking | Sequence[int], *, why: AckEnded, note: str = "") -> list[int]:
    """Stop asking for kvittens on messages that no longer need it — overtaken by a newer one,
    in a case that ended, about a meeting that has passed. Unlike `withdraw` nothing is struck
    through: the message stays readable, marked with `why` (and `note`, e.g. the reason a plan
    was reopened). Receipts already acknowledged keep their time. Returns the message ids
    changed (those already ended, withdrawn or never asking for kvittens are left alone).

    Every recipient's kvittens ends, also on messages the acting user did not send or receive:
    on PostgreSQL the server's helper does it (only on cases the user may see), on SQLite the
    core itself."""
    asking = messages if isinstance(messages, Asking) else Asking(ids=tuple(messages))
    if asking.ids is not None and not asking.ids:
        return []
    if asking.ids is None and asking.case is None:
        raise ValueError("end_kvittens needs message ids or a case")
    with database.atomic():
        if engine_of() is Engine.POSTGRESQL:
            ended = _end_on_server(asking, why=why, note=note.strip())
        else:
            ended = _end_here(asking, why=why, note=note.strip())
        for message_id, sender_id, waiting in ended:
            announce("ack_ended", message_id, [sender_id, *waiting])
    return [message_id for message_id, _sender, _waiting in ended]


# (message id, its sender, the recipients whose kvittens was still asked for)
_Ended = list[tuple[int, int, list[int]]]


def _end_on_server(asking: Asking, *, why: AckEnded, note: str) -> _Ended:
    cursor = database.execute_sql(
        "SELECT message_id, sender_id, waiting FROM sipdesk_end_kvittens(%s::integer[], "
        "%s::integer, %s::text, %s::timestamp, %s, %s, %s, %s::timestamp)",
        (list(asking.ids) if asking.ids is not None else None, asking.case,
         asking.kind.value if asking.kind is not None else None, asking.sent_since,
         asking.waiting_only, why.value, note, now()))
    return [(message_id, sender_id, list(waiting))
            for message_id, sender_id, waiting in cursor.fetchall()]


def _end_here(asking: Asking, *, why: AckEnded, note: str) -> _Ended:
    condition = ((Message.requires_ack == True)  # noqa: E712
                 & Message.withdrawn_at.is_null() & Message.ack_ended_at.is_null())
    if asking.ids is not None:
        condition &= Message.id.in_(list(asking.ids))
    if asking.case is not None:
        condition &= Message.case == asking.case
    if asking.kind is not None:
        condition &= Message.kind == asking.kind.value
    if asking.sent_since is not None:
        condition &= Message.sent_at >= asking.sent_since
    if asking.waiting_only:
        condition &= Message.id.in_(Receipt.select(Receipt.message).where(
            Receipt.needs_ack == True))  # noqa: E712
    senders = {m.id: m.sender_id for m in
               Message.select(Message.id, Message.sender).where(condition).order_by(Message.id)}
    if not senders:
        return []
    open_ones = list(senders)
    Message.update(ack_ended_at=now(), ack_ended_why=why.value, ack_ended_note=note
                   ).where(Message.id.in_(open_ones)).execute()
    waiting = [(r.message_id, r.recipient_id) for r in
               Receipt.select(Receipt.message, Receipt.recipient)
               .where(Receipt.message.in_(open_ones) & (Receipt.needs_ack == True))  # noqa: E712
               .order_by(Receipt.recipient)]
    Receipt.update(needs_ack=False).where(Receipt.message.in_(open_ones)).execute()
    return [(m, senders[m], [r for of, r in waiting if of == m]) for m in open_ones]


def end_kvittens_in_case(case: Case | int, *, why: AckEnded, note: str = "") -> list[int]:
    """Every message of a case still waiting for kvittens stops asking (the case has ended)."""
    case_id = case if isinstance(case, int) else case.id
    return end_kvittens(Asking(case=case_id, waiting_only=True), why=why, note=note)


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
