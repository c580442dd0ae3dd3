"""Messages with kvittens (acknowledgement) — DOMAIN.md "meddelande med kvittens", steps 4, 5,
10, 11 and seed 000.

A message belongs to a case (or, for administrative notes, to none), goes to users (a unit as a
recipient means its active users at the time of sending), and each recipient has a receipt:
delivered, read (first opened), acknowledged (explicit). Messages and receipts are never
deleted; a withdrawn message stays visible, struck through, with the reason. Every other part of
sipdesk sends through `send()`. On PostgreSQL each send and receipt change is announced with
NOTIFY, delivered to listening clients when the transaction commits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import peewee as pw

from . import audit
from .access import require_can_see
from .audit import AuditAction
from .collation import contains, ordered
from .db import Engine, database, engine_of
from .errors import NotFoundError, PermissionDenied, ValidationError
from .labelled import LabelledEnum, Labels
from .message_records import MAX_SUBJECT, AckEnded, Message, MessageKind, Receipt
from .models import Case, Principal, Unit, User, now

CHANNEL = "sipdesk_events"



# ---- notifications ------------------------------------------------------------------------------

def _notify(event: str, message_id: int, users: Iterable[int]) -> None:
    """Tell listening clients (PostgreSQL); delivered on commit, dropped on rollback."""
    if engine_of() is not Engine.POSTGRESQL:
        return  # SQLite clients notice changes through PRAGMA data_version
    payload = json.dumps({"event": event, "message": message_id, "users": sorted(set(users))})
    database.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))


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
    elif len(subject) > MAX_SUBJECT:
        problems["subject"] = f"Rubriken får vara högst {MAX_SUBJECT} tecken."
    if not body.strip():
        problems["body"] = "Skriv ett meddelande."
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
        _notify("message", message.id, [r.id for r in recipients])
    return message


def reply(sender: User, message: Message, *, body: str, requires_ack: bool = False) -> Message:
    """Answer the sender (and keep the thread)."""
    _ensure_involved(sender, message)
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
    _ensure_involved(sender, message)
    own = sender.unit.principal_id
    for user in to:
        if user.unit.principal_id != own:
            raise ValidationError(
                f"{user.full_name} hör till en annan organisation — vidarebefordra bara "
                "inom din egen.", field="recipients")
    body = (f"{note.strip()}\n\n" if note.strip() else "") + (
        f"--- Vidarebefordrat meddelande från {message.sender.full_name}, "
        f"{message.sent_at:%Y-%m-%d %H:%M} ---\n{message.body}")
    return send(sender, subject=f"Vb: {message.subject}"[:MAX_SUBJECT], body=body, to=to,
                case=message.case, kind=MessageKind(message.kind),
                requires_ack=message.requires_ack, forwarded_from=message)


def _ensure_involved(user: User, message: Message) -> None:
    if message.sender_id == user.id:
        return
    if not Receipt.select().where((Receipt.message == message)
                                  & (Receipt.recipient == user)).exists():
        raise PermissionDenied("Meddelandet är inte skickat till dig.")


# ---- receipts -----------------------------------------------------------------------------------

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
            _notify("read", message_id, [message.sender_id, user.id])
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
        _notify("acknowledged", message_id, [message.sender_id, user.id])
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
            _notify("ack_ended", message_id,
                    [senders[message_id], *(r for m, r in waiting if m == message_id)])
    return open_ones


def end_kvittens_in_case(case: Case | int, *, why: AckEnded, note: str = "") -> list[int]:
    """Every message of a case still waiting for kvittens stops asking (the case has ended)."""
    case_id = case if isinstance(case, int) else case.id
    pending = Receipt.select(Receipt.message).where(Receipt.needs_ack == True)  # noqa: E712
    return end_kvittens(Message.select(Message.id).where(
        (Message.case == case_id) & Message.id.in_(pending)), why=why, note=note)


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
        _notify("withdrawn", message_id, [*recipients, user.id])
    return Message.get_by_id(message_id)


# ---- reading ----------------------------------------------------------------------------------

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


def thread_of(message: Message) -> list[Message]:
    """The whole conversation the message belongs to, oldest first."""
    root = message.thread_id or message.id
    return list(Message.select().where((Message.id == root) | (Message.thread == root))
                .order_by(Message.sent_at, Message.id))


# ---- the mailbox lists --------------------------------------------------------------------------

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
    words = text.strip()
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
    _ensure_involved(user, message)
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
