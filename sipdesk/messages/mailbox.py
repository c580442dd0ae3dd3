"""The mailbox as the user reads it: the folders (Inkorg, Skickat, Kräver min kvittens,
Väntar på andras kvittens) a page at a time, the badge, a conversation, who a message went to
and who still owes a kvittens, the units one can write to.

Split from `sipdesk.messages.messaging` (issue 11: no module over ~500 lines), which re-exports
every name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import peewee as pw

from sipdesk.errors import NotFoundError
from sipdesk.messages.message_receipts import ensure_involved, mark_read
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.collation import contains, ordered
from sipdesk.storage.limits import search_text
from sipdesk.storage.message_records import AckEnded, Message, MessageKind, Receipt
from sipdesk.storage.models import Case, Principal, Unit, User


@dataclass(frozen=True)
class Badge:
    unread: int
    unacknowledged: int


def badge(user: User) -> Badge:
    """The two numbers on the Inkorg entry: two indexed counts."""
    unread = Receipt.select().where((Receipt.recipient == user) & Receipt.read_at.is_null()).count()
    unacked = Receipt.select().where((Receipt.recipient == user)
                                     & (Receipt.needs_ack == True)).count()  # noqa: E712
    return Badge(unread, unacked)


def thread_of(message: Message) -> list[Message]:
    """The whole conversation the message belongs to, oldest first."""
    root = message.thread_id or message.id
    return list(Message.select().where((Message.id == root) | (Message.thread == root))
                .order_by(Message.sent_at, Message.id))


class Folder(LabelledEnum):
    INBOX = "inbox"
    SENT = "sent"
    AWAITING_MY_ACK = "awaiting_my_ack"
    AWAITING_OTHERS = "awaiting_others"

    __labels__: ClassVar[Labels] = {
        "inbox": "Inkorg",
        "sent": "Skickat",
        "awaiting_my_ack": "Kräver min kvittens",
        "awaiting_others": "Väntar på andras kvittens",
    }


@dataclass(frozen=True, slots=True)
class MailRow:
    message_id: int
    sent_at: dt.datetime
    subject: str
    sender: str
    case_id: int | None
    case_number: str
    kind: MessageKind
    requires_ack: bool
    withdrawn: bool
    read: bool  # for me as recipient; always True in sent folders
    acknowledged: bool  # for me as recipient


_Sender = User.alias("sender")


def _folder_query(
    user: User, folder: Folder, text: str, case_id: int | None
) -> pw.ModelSelect[Message]:
    received = folder in (Folder.INBOX, Folder.AWAITING_MY_ACK)
    columns = [Message.id, Message.sent_at, Message.subject, _Sender.full_name, Message.case,
               Case.number, Message.kind, Message.requires_ack, Message.withdrawn_at]
    if received:
        query = (Message.select(*columns, Receipt.read_at, Receipt.acknowledged_at)
                 .join(Receipt, on=(Receipt.message == Message.id))
                 .where(Receipt.recipient == user))
        if folder is Folder.AWAITING_MY_ACK:
            query = query.where(Receipt.needs_ack == True)  # noqa: E712
    else:
        query = Message.select(*columns).where(Message.sender == user)
        if folder is Folder.AWAITING_OTHERS:
            pending = Receipt.select(Receipt.id).where(
                (Receipt.message == Message.id) & (Receipt.needs_ack == True))  # noqa: E712
            query = query.where(pw.fn.EXISTS(pending))
    query = (query.switch(Message).join(_Sender, on=(Message.sender == _Sender.id))
             .switch(Message).join(Case, pw.JOIN.LEFT_OUTER, on=(Message.case == Case.id)))
    if case_id is not None:
        query = query.where(Message.case == case_id)
    words = search_text(text).strip()
    if words:
        query = query.where(contains(Message.subject, words) | contains(Message.body, words)
                            | contains(Case.number, words) | contains(_Sender.full_name, words))
    return query


def folder_count(user: User, folder: Folder, *, text: str = "",
                 case_id: int | None = None) -> int:
    if text.strip() or case_id is not None or folder is Folder.AWAITING_OTHERS:
        return int(_folder_query(user, folder, text, case_id).count())
    # The plain folders are counted from one index, without joining the messages.
    if folder is Folder.SENT:
        return int(Message.select().where(Message.sender == user).count())
    query = Receipt.select().where(Receipt.recipient == user)
    if folder is Folder.AWAITING_MY_ACK:
        query = query.where(Receipt.needs_ack == True)  # noqa: E712
    return int(query.count())


def folder_rows(user: User, folder: Folder, *, text: str = "", case_id: int | None = None,
                offset: int = 0, limit: int = 100) -> list[MailRow]:
    """One page of a folder, newest first, in one query."""
    received = folder in (Folder.INBOX, Folder.AWAITING_MY_ACK)
    # Received folders go newest first by the receipt's own time (the same as the sending
    # time), so the (recipient, delivered_at) index gives the page without sorting the folder.
    order = ([Receipt.delivered_at.desc(), Receipt.id.desc()] if received
             else [Message.sent_at.desc(), Message.id.desc()])
    query = (_folder_query(user, folder, text, case_id)
             .order_by(*order).offset(offset).limit(limit))
    return _mail_rows(query, received=received)


def _mail_rows(query: pw.ModelSelect[Message], *, received: bool) -> list[MailRow]:
    rows = []
    for row in query.tuples().iterator():
        rows.append(MailRow(
            message_id=row[0], sent_at=row[1], subject=row[2], sender=row[3], case_id=row[4],
            case_number=row[5] or "", kind=MessageKind(row[6]), requires_ack=bool(row[7]),
            withdrawn=row[8] is not None,
            read=row[9] is not None if received else True,
            acknowledged=row[10] is not None if received else False,
        ))
    return rows


def open_message(user: User, message_id: int) -> Message:
    """A message the user sent or received, marked read on first opening."""
    message = Message.get_or_none(Message.id == message_id)
    if message is None:
        raise NotFoundError("Meddelandet finns inte.")
    ensure_involved(user, message)
    if message.sender_id != user.id:
        mark_read(user, message_id)
    return message


def case_users(case: Case) -> list[User]:
    """Users with accounts involved in the case so far: the coordinator and everyone who has
    sent or received a message on it. (The kallelse adds the meeting's participants.)"""
    senders = Message.select(Message.sender).where(Message.case == case)
    receivers = (Receipt.select(Receipt.recipient).join(Message)
                 .where(Message.case == case))
    return list(User.select().where(
        (User.active == True)  # noqa: E712
        & ((User.id == case.coordinator_id) | User.id.in_(senders) | User.id.in_(receivers)))
        .order_by(ordered(User.full_name)))


# ---- for the inbox window -----------------------------------------------------------------------

def mail_row(user: User, message_id: int) -> MailRow | None:
    """The message as it shows in the user's lists — as received if it was sent to them, else as
    sent — without marking it read (for a notification, or to refresh one row). None when the
    user neither sent nor received it."""
    for folder in (Folder.INBOX, Folder.SENT):
        query = _folder_query(user, folder, "", None).where(Message.id == message_id)
        rows = _mail_rows(query, received=folder is Folder.INBOX)
        if rows:
            return rows[0]
    return None


@dataclass(frozen=True)
class Waiting:
    """A recipient who still owes a kvittens, and since when they have had the message."""

    name: str
    since: dt.datetime

    def text(self, today: dt.date) -> str:
        """"Per Nord (3 dagar)", "Maria Holm (i dag)"."""
        days = (today - self.since.date()).days
        held = "i dag" if days <= 0 else "1 dag" if days == 1 else f"{days} dagar"
        return f"{self.name} ({held})"


def waiting_text(waiting: Sequence[Waiting], today: dt.date) -> str:
    """"Per Nord (3 dagar) och Maria Holm (i dag)" — longest waiting first."""
    names = [w.text(today) for w in sorted(waiting, key=lambda w: (w.since, w.name))]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " och " + names[-1]


@dataclass(frozen=True)
class Recipients:
    """Who a message went to (names, sorted), how many have acknowledged it, and who still
    owes a kvittens (`waiting`)."""

    names: tuple[str, ...]
    acknowledged: int
    # Derived from the receipts like `acknowledged`; left out of == so a summary compares by
    # who and how many.
    waiting: tuple[Waiting, ...] = field(default=(), compare=False)

    @property
    def total(self) -> int:
        return len(self.names)


def recipients_of(message_ids: Iterable[int]) -> dict[int, Recipients]:
    """The recipients of several messages in one query (e.g. one page of the Skickat list)."""
    ids = sorted(set(message_ids))
    if not ids:
        return {}
    names: dict[int, list[str]] = {i: [] for i in ids}
    acknowledged: dict[int, int] = dict.fromkeys(ids, 0)
    waiting: dict[int, list[Waiting]] = {i: [] for i in ids}
    query = (Receipt.select(Receipt.message, User.full_name, Receipt.acknowledged_at,
                            Receipt.needs_ack, Receipt.delivered_at)
             .join(User, on=(Receipt.recipient == User.id))
             .where(Receipt.message.in_(ids)).order_by(ordered(User.full_name)))
    for message_id, name, acked, needs_ack, delivered in query.tuples().iterator():
        names[message_id].append(name)
        if acked is not None:
            acknowledged[message_id] += 1
        if needs_ack:
            waiting[message_id].append(Waiting(name, delivered))
    return {i: Recipients(tuple(names[i]), acknowledged[i], tuple(waiting[i])) for i in ids}


def waiting_for(message_ids: Iterable[int]) -> dict[int, list[Waiting]]:
    """Who still owes a kvittens on each of several messages, in one query (for Att göra)."""
    ids = sorted(set(message_ids))
    found: dict[int, list[Waiting]] = {i: [] for i in ids}
    if not ids:
        return found
    query = (Receipt.select(Receipt.message, User.full_name, Receipt.delivered_at)
             .join(User, on=(Receipt.recipient == User.id))
             .where(Receipt.message.in_(ids) & (Receipt.needs_ack == True))  # noqa: E712
             .order_by(Receipt.delivered_at, User.full_name))
    for message_id, name, delivered in query.tuples().iterator():
        found[message_id].append(Waiting(name, delivered))
    return found


def ended_kvittens(message_ids: Iterable[int]) -> dict[int, AckEnded]:
    """Which of these messages no longer ask for kvittens, and why — for a page of a folder."""
    ids = sorted(set(message_ids))
    if not ids:
        return {}
    query = (Message.select(Message.id, Message.ack_ended_why)
             .where(Message.id.in_(ids) & Message.ack_ended_at.is_null(False)))
    return {message_id: AckEnded(why) for message_id, why in query.tuples().iterator()
            if why in AckEnded._value2member_map_}


def thread_for(user: User, message: Message) -> list[Message]:
    """The conversation as this user may see it: only the messages they sent or received,
    oldest first, each with its sender loaded."""
    root = message.thread_id or message.id
    mine = Receipt.select(Receipt.message).where(Receipt.recipient == user)
    query = (Message.select(Message, _Sender)
             .join(_Sender, on=(Message.sender == _Sender.id), attr="sender")
             .where(((Message.id == root) | (Message.thread == root))
                    & ((Message.sender == user) | Message.id.in_(mine)))
             .order_by(Message.sent_at, Message.id))
    return list(query)


@dataclass(frozen=True)
class UnitChoice:
    """A unit that can receive messages: it has active users."""

    unit: Unit
    principal: str
    active_users: int


def recipient_units() -> list[UnitChoice]:
    """Units with at least one active user, by name (for choosing a whole unit as recipient)."""
    members = pw.fn.COUNT(User.id)
    query = (Unit.select(Unit, Principal.name, members.alias("members"))
             .join(User, on=(User.unit == Unit.id))
             .switch(Unit).join(Principal)
             .where(User.active == True)  # noqa: E712
             .group_by(Unit.id, Principal.name)
             .order_by(ordered(Unit.name)))
    return [UnitChoice(unit, unit.principal.name, int(unit.members))  # type: ignore[attr-defined]
            for unit in query]
