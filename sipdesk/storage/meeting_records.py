"""The meeting records: a SIP meeting and its participants, with their kinds and answers.

They sit apart from `sipdesk.meetings.invitation`, the kallelse use cases, so that the access rule
(who is invited), the case lifecycle and attendance can read meetings without importing the
use cases that build on them (a core without import cycles, issue 11). `sipdesk.meetings.invitation`
re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import ClassVar

import peewee as pw

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel
from sipdesk.storage.message_records import Message
from sipdesk.storage.models import Case, User, VersionedModel, now

DEFAULT_MINUTES = 45


class ParticipantKind(LabelledEnum):
    PERSON = "person"
    RELATIVE = "relative"
    INTERPRETER = "interpreter"
    PROFESSIONAL = "professional"

    __labels__: ClassVar[Labels] = {
        "person": "Den enskilde", "relative": "Närstående", "interpreter": "Tolk",
        "professional": "Företrädare för huvudman",
    }


class Answer(LabelledEnum):
    NO_ANSWER = "no_answer"
    COMING = "coming"
    NOT_COMING = "not_coming"

    __labels__: ClassVar[Labels] = {
        "no_answer": "Inget svar än", "coming": "Kommer", "not_coming": "Kan inte komma",
    }


class HowInvited(LabelledEnum):
    MESSAGE = "message"  # a user: in sipdesk, with kvittens
    LETTER = "letter"
    PHONE = "phone"
    EMAIL = "email"

    __labels__: ClassVar[Labels] = {
        "message": "Meddelande i sipdesk", "letter": "Brev", "phone": "Telefon",
        "email": "E-post (utan personuppgifter)",
    }


class MeetingStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"
    HELD = "held"


class Meeting(VersionedModel):
    what = "Mötet"
    labels: ClassVar[dict[str, str]] = {
        "starts_at": "Mötestid", "status": "Status", "cancelled_reason": "Skäl att ställa in",
        "person_told": "Den enskilde har fått veta", "place": "Plats", "purpose": "Syfte"}
    strict: ClassVar[tuple[str, ...]] = ("status",)  # held or cancelled happens once
    case = pw.ForeignKeyField(Case, backref="meetings", on_delete="RESTRICT")
    case_id: int
    follow_up = pw.BooleanField(default=False)
    purpose = pw.TextField()
    starts_at = pw.DateTimeField()
    minutes = pw.IntegerField(default=DEFAULT_MINUTES)
    place = pw.CharField(max_length=300)
    at_home = pw.BooleanField(default=True)
    place_reason = pw.TextField(default="")
    video_link = pw.CharField(max_length=500, default="")
    short_notice_reason = pw.TextField(default="")
    staff_meeting_at = pw.DateTimeField(null=True)
    staff_meeting_place = pw.CharField(max_length=300, default="")
    staff_meeting_skipped_reason = pw.TextField(default="")
    status = pw.CharField(max_length=20, default=MeetingStatus.PLANNED.value)
    cancelled_reason = pw.TextField(default="")
    person_told = pw.BooleanField(default=False)
    created_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    created_by_id: int
    created_at = pw.DateTimeField(default=now)

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.minutes)


class Participant(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, backref="participants", on_delete="RESTRICT")
    meeting_id: int
    kind = pw.CharField(max_length=20)
    name = pw.CharField(max_length=200)
    role = pw.CharField(max_length=100, default="")
    user = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    user_id: int | None
    contact_id = pw.IntegerField(null=True)  # Kontakter entry, when chosen from there
    principal_name = pw.CharField(max_length=200, default="")
    principal_kind = pw.CharField(max_length=20, default="")
    principal_id = pw.IntegerField(null=True)
    unit_name = pw.CharField(max_length=200, default="")
    law = pw.CharField(max_length=20, default="")
    outpatient = pw.BooleanField(default=False)
    phone = pw.CharField(max_length=50, default="")
    email = pw.CharField(max_length=200, default="")
    address = pw.CharField(max_length=300, default="")
    how_invited = pw.CharField(max_length=20)
    invitation_done = pw.BooleanField(default=False)  # the call/letter list's "klart"
    answer = pw.CharField(max_length=20, default=Answer.NO_ANSWER.value)
    substitute_name = pw.CharField(max_length=200, default="")
    substitute_contact = pw.CharField(max_length=200, default="")
    attended = pw.BooleanField(null=True)
    message = pw.ForeignKeyField(Message, null=True, on_delete="RESTRICT")
    message_id: int | None

    @property
    def has_account(self) -> bool:
        return self.user_id is not None
