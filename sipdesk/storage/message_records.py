"""The message records (the inbox's Message and each recipient's Receipt) and their kinds.

They sit apart from `sipdesk.messages.messaging`, the use cases, so that the meeting records and the
access rule can refer to messages without importing the use cases that build on them (a core
without import cycles, issue 11). `sipdesk.messages.messaging` re-exports every name here.

Here too is what every step that changes a message does last: `announce` it to listening
clients (PostgreSQL NOTIFY on `CHANNEL`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import ClassVar

import peewee as pw

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel, Engine, database, engine_of
from sipdesk.storage.models import Case, User, now

MAX_SUBJECT = 200


class MessageKind(LabelledEnum):
    FREE_TEXT = "free_text"
    INVITATION = "invitation"
    CANCELLATION = "cancellation"
    FOLLOW_UP = "follow_up"
    CLOSURE = "closure"
    REQUEST_TO_CONVENE = "request_to_convene"
    APPROVAL = "approval"
    ANSWER = "answer"

    __labels__: ClassVar[Labels] = {
        "free_text": "Meddelande",
        "invitation": "Kallelse",
        "cancellation": "Inställt möte",
        "follow_up": "Uppföljning",
        "closure": "Avslut",
        "request_to_convene": "Begäran om SIP",
        "approval": "Godkännande",
        "answer": "Svar",
    }


class Message(BaseModel):
    case = pw.ForeignKeyField(Case, null=True, backref="messages", on_delete="RESTRICT")
    case_id: int | None
    sender = pw.ForeignKeyField(User, backref="sent_messages", on_delete="RESTRICT")
    sender_id: int
    subject = pw.CharField(max_length=MAX_SUBJECT)
    body = pw.TextField()
    kind = pw.CharField(max_length=30, default=MessageKind.FREE_TEXT.value)
    requires_ack = pw.BooleanField(default=False)
    sent_at = pw.DateTimeField(default=now, index=True)
    parent = pw.ForeignKeyField("self", null=True, backref="replies", on_delete="RESTRICT")
    parent_id: int | None
    thread = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="thread_members")
    thread_id: int | None
    forwarded_from = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT",
                                        backref="forwards")
    to_units = pw.CharField(max_length=500, default="")  # unit names as written on sending
    # The meeting a kallelse, a new time or a cancellation notice is about (migration 0012), so
    # its kvittens can end with the meeting. An id rather than a ForeignKeyField: the meeting
    # model (sipdesk.meetings.invitation) builds on this module; the database keeps the foreign key.
    meeting_id = pw.IntegerField(null=True, index=True)
    withdrawn_at = pw.DateTimeField(null=True)
    withdrawn_reason = pw.TextField(default="")
    withdrawn_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT",
                                      backref="withdrawn_messages")
    # When the kvittens stopped being asked for although nobody withdrew the message: it was
    # overtaken (a reopened plan), its case ended, or its meeting has passed (migration 0009).
    # The message stays readable; see `end_kvittens`.
    ack_ended_at = pw.DateTimeField(null=True)
    ack_ended_why = pw.CharField(max_length=30, default="")
    ack_ended_note = pw.TextField(default="")

    class Meta:
        indexes = ((("sender", "sent_at"), False),)  # migration 0007


class AckEnded(LabelledEnum):
    """Why a message no longer asks for kvittens (it stays readable, struck through nowhere)."""

    SUPERSEDED = "superseded"
    CASE_CLOSED = "case_closed"
    MEETING_PASSED = "meeting_passed"
    PLAN_APPROVED = "plan_approved"  # a request to approve, once every principal has

    # The word in the inbox's status column.
    __labels__: ClassVar[Labels] = {
        "superseded": "Inaktuellt", "case_closed": "Avslutat ärende",
        "meeting_passed": "Mötet har varit", "plan_approved": "Planen är godkänd",
    }


class Receipt(BaseModel):
    """One recipient's copy: delivered, read, acknowledged."""

    message = pw.ForeignKeyField(Message, backref="receipts", on_delete="RESTRICT")
    message_id: int
    recipient = pw.ForeignKeyField(User, backref="receipts", on_delete="RESTRICT")
    recipient_id: int
    delivered_at = pw.DateTimeField(default=now)
    read_at = pw.DateTimeField(null=True)
    acknowledged_at = pw.DateTimeField(null=True)
    # True while the recipient still owes a kvittens: kept so the badge is one indexed count.
    needs_ack = pw.BooleanField(default=False)

    class Meta:
        indexes = (
            (("message", "recipient"), True),
            (("recipient", "needs_ack"), False),
            (("recipient", "read_at"), False),
            (("recipient", "delivered_at"), False),  # migration 0007
        )


# ---- announcing changes -----------------------------------------------------------------------

CHANNEL = "sipdesk_events"


def announce(event: str, message_id: int, users: Iterable[int]) -> None:
    """Tell listening clients (PostgreSQL); delivered on commit, dropped on rollback."""
    if engine_of() is not Engine.POSTGRESQL:
        return  # SQLite clients notice changes through PRAGMA data_version
    payload = json.dumps({"event": event, "message": message_id, "users": sorted(set(users))})
    database.execute_sql("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
