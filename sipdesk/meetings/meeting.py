"""Around the SIP meeting — DOMAIN.md steps 6–7, seed 000 (Tjänstemannamöte, Kallelse):
the staff meeting's record (chair, note-taker, coordinator, who writes what), the mobile care
team check, each profession's status survey (kartläggning), attendance, and a deviation for a
summoned principal that did not come.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

import peewee as pw

from sipdesk.accounts import audit
from sipdesk.accounts.access import meeting_case, require_can_change
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import Action
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.meetings.invitation import (
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantKind,
    participants_of,
)
from sipdesk.messages import messaging
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.rules.personal_number import parse as parse_personal_number
from sipdesk.rules.workdays import add_workdays
from sipdesk.storage.db import BaseModel, database
from sipdesk.storage.limits import check_texts
from sipdesk.storage.models import Case, Role, User, now
from sipdesk.storage.plan_records import DOCUMENTATION_WORKDAYS

ELIGIBLE_AT = 4  # of the six criteria (seed 000)
OLD_AGE = 75


class StaffMeetingRecord(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, unique=True, on_delete="RESTRICT")
    held_on = pw.DateField()
    chair = pw.CharField(max_length=200)
    note_taker = pw.CharField(max_length=200)
    coordinator_moved_to = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    writes_situation = pw.CharField(max_length=200)
    writes_main_goal = pw.CharField(max_length=200)
    writes_for_others = pw.TextField(default="")  # for participants without an account
    responsibilities = pw.TextField(default="")  # who is responsible for which intervention
    recorded_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="staff_records")
    recorded_at = pw.DateTimeField(default=now)


@dataclass
class StaffMeetingInput:
    held_on: dt.date
    chair: str
    note_taker: str
    writes_situation: str
    writes_main_goal: str
    writes_for_others: str = ""
    responsibilities: str = ""
    new_coordinator: User | None = None  # None: the coordinator stays


def record_staff_meeting(actor: User, meeting: Meeting, data: StaffMeetingInput
                         ) -> StaffMeetingRecord:
    case = meeting_case(actor, meeting, change=True)
    lifecycle.ensure_open(case)
    for name, text, message in (
        ("chair", data.chair, "Utse en ordförande för SIP-mötet."),
        ("note_taker", data.note_taker, "Utse någon som för anteckningar."),
        ("writes_situation", data.writes_situation,
         "Bestäm vem som skriver ”Min nuvarande situation”."),
        ("writes_main_goal", data.writes_main_goal, "Bestäm vem som skriver huvudmålet."),
    ):
        if not text.strip():
            raise ValidationError(message, field=name)
    check_texts(StaffMeetingRecord, {
        "chair": data.chair, "note_taker": data.note_taker,
        "writes_situation": data.writes_situation, "writes_main_goal": data.writes_main_goal,
        "writes_for_others": data.writes_for_others, "responsibilities": data.responsibilities})
    if data.new_coordinator is not None and not data.new_coordinator.active:
        raise ValidationError("Den nya samordningsansvariga är inte aktiv.",
                              field="new_coordinator")
    with database.atomic():
        record = StaffMeetingRecord.create(
            meeting=meeting, held_on=data.held_on, chair=data.chair.strip(),
            note_taker=data.note_taker.strip(), coordinator_moved_to=data.new_coordinator,
            writes_situation=data.writes_situation.strip(),
            writes_main_goal=data.writes_main_goal.strip(),
            writes_for_others=data.writes_for_others.strip(),
            responsibilities=data.responsibilities.strip(), recorded_by=actor)
        audit.record(actor, action=AuditAction.CREATE, entity="staff_meeting_record",
                     entity_id=record.id, case=case,
                     summary=f"Tjänstemannamöte: ordförande {data.chair.strip()}")
        if data.new_coordinator is not None and data.new_coordinator.id != case.coordinator_id:
            _transfer_coordinator(actor, case, data.new_coordinator)
    return record


def transfer_coordinator(actor: User, case: Case, new: User) -> Case:
    """Coordinator responsibility moves to another principal's user (logged)."""
    require_can_change(actor, case)
    return _transfer_coordinator(actor, case, new)


def _transfer_coordinator(actor: User, case: Case, new: User) -> Case:
    old = User.get_by_id(case.coordinator_id)
    case.coordinator = new
    case.save_versioned()
    audit.record(actor, action=AuditAction.UPDATE, entity="sip_case", entity_id=case.id,
                 case=case, summary=f"Samordningsansvar flyttat: {old.full_name} → "
                                    f"{new.full_name}",
                 changes={"coordinator": [old.id, new.id]})
    return case


# ---- mobile care team --------------------------------------------------------------------------

class PrimaryCareDecision(LabelledEnum):
    NOT_DECIDED = "not_decided"
    ACCEPTED = "accepted"
    REFUSED_CRITERIA = "refused_criteria"
    REFUSED_NO_NEED = "refused_no_need"
    REFUSED_OTHER = "refused_other"

    __labels__: ClassVar[Labels] = {
        "not_decided": "Inte beslutat än",
        "accepted": "Mobilt vårdteam blir aktuellt",
        "refused_criteria": "Nej — kriterierna är inte uppfyllda",
        "refused_no_need": "Nej — behov finns inte",
        "refused_other": "Nej — av annat skäl",
    }


CRITERIA = {
    "chronic_diagnoses": "Tre eller fler kroniska diagnoser",
    "admissions": "Inlagd på sjukhus tre gånger eller fler senaste tolv månaderna",
    "medicines": "Sex eller fler stående läkemedel",
    "personal_care": "Klarar inte sin personliga omvårdnad",
    "age_75": "75 år eller äldre",
    "home_health_care": "Har hemsjukvård",
}


class MobileTeamCheck(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, unique=True, on_delete="RESTRICT")
    chronic_diagnoses = pw.BooleanField(default=False)
    admissions = pw.BooleanField(default=False)
    medicines = pw.BooleanField(default=False)
    personal_care = pw.BooleanField(default=False)
    age_75 = pw.BooleanField(default=False)
    home_health_care = pw.BooleanField(default=False)
    decision = pw.CharField(max_length=30, default=PrimaryCareDecision.NOT_DECIDED.value)
    refused_reason = pw.TextField(default="")
    mas_informed = pw.BooleanField(default=False)
    checked_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    checked_at = pw.DateTimeField(default=now)


def is_75_or_older(case: Case, on: dt.date) -> bool:
    """Criterion 5, from the personal number, on the meeting date."""
    number = parse_personal_number(case.person.personal_number, today=on)
    return number.age_on(on) >= OLD_AGE


def criteria_met(answers: dict[str, bool]) -> int:
    return sum(bool(answers.get(key)) for key in CRITERIA)


def is_eligible(answers: dict[str, bool]) -> bool:
    """At least four of the six criteria (seed 000)."""
    return criteria_met(answers) >= ELIGIBLE_AT


def record_mobile_team_check(actor: User, meeting: Meeting, answers: dict[str, bool], *,
                             decision: PrimaryCareDecision = PrimaryCareDecision.NOT_DECIDED,
                             refused_reason: str = "", mas_informed: bool = False
                             ) -> MobileTeamCheck:
    """The age criterion is always taken from the personal number on the meeting date."""
    case = meeting_case(actor, meeting, change=True)
    values = {key: bool(answers.get(key)) for key in CRITERIA}
    values["age_75"] = is_75_or_older(case, meeting.starts_at.date())
    if decision is not PrimaryCareDecision.NOT_DECIDED and not is_eligible(values) \
            and decision is PrimaryCareDecision.ACCEPTED:
        raise ValidationError("Kriterierna är inte uppfyllda (minst fyra av sex behövs).",
                              field="decision")
    if decision is PrimaryCareDecision.REFUSED_OTHER:
        if not refused_reason.strip():
            raise ValidationError("Skriv primärvårdens skäl till nej — det ska dokumenteras.",
                                  field="refused_reason")
        if not mas_informed:
            raise ValidationError("Medicinskt ansvarig sjuksköterska (MAS) ska informeras när "
                                  "primärvården säger nej av annat skäl.", field="mas_informed")
    check_texts(MobileTeamCheck, {"refused_reason": refused_reason})
    with database.atomic():
        MobileTeamCheck.delete().where(MobileTeamCheck.meeting == meeting).execute()
        check = MobileTeamCheck.create(meeting=meeting, decision=decision.value,
                                       refused_reason=refused_reason.strip(),
                                       mas_informed=mas_informed, checked_by=actor, **values)
        met = criteria_met(values)
        audit.record(actor, action=AuditAction.UPDATE, entity="mobile_team_check",
                     entity_id=check.id, case=case,
                     summary=(f"Mobilt vårdteam: {met} av 6 kriterier"
                              f"{' — uppfyller kriterierna' if met >= ELIGIBLE_AT else ''}; "
                              f"{decision.label.lower()}"))
    return check


# ---- status survey -------------------------------------------------------------------------------

class StatusSurvey(BaseModel):
    meeting = pw.ForeignKeyField(Meeting, on_delete="RESTRICT", backref="surveys")
    profession = pw.CharField(max_length=100)
    written_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    on_behalf_of = pw.CharField(max_length=200, default="")  # a participant without account
    notes = pw.TextField()
    written_at = pw.DateTimeField(default=now)


def add_status_survey(actor: User, meeting: Meeting, *, profession: str, notes: str,
                      on_behalf_of: str = "") -> StatusSurvey:
    case = meeting_case(actor, meeting, change=True)
    if not profession.strip():
        raise ValidationError("Ange yrke, t.ex. distriktssköterska.", field="profession")
    if not notes.strip():
        raise ValidationError("Skriv den enskildes aktuella status som ditt yrke ser den.",
                              field="notes")
    check_texts(StatusSurvey, {"profession": profession, "notes": notes,
                               "on_behalf_of": on_behalf_of})
    survey = StatusSurvey.create(meeting=meeting, profession=profession.strip(),
                                 written_by=actor, on_behalf_of=on_behalf_of.strip(),
                                 notes=notes.strip())
    audit.record(actor, action=AuditAction.CREATE, entity="status_survey", entity_id=survey.id,
                 case=case, summary=f"Kartläggning: {profession.strip()}")
    return survey


# ---- the meeting held ----------------------------------------------------------------------------

class Deviation(BaseModel):
    """Avvikelse: a summoned principal did not come (seed 000)."""

    meeting = pw.ForeignKeyField(Meeting, on_delete="RESTRICT", backref="deviations")
    participant = pw.ForeignKeyField(Participant, on_delete="RESTRICT")
    principal_name = pw.CharField(max_length=200)
    unit_name = pw.CharField(max_length=200, default="")
    meeting_date = pw.DateField()
    handled_at = pw.DateTimeField(null=True)
    handled_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=now)


def mark_held(actor: User, meeting: Meeting, attendance: dict[int, bool], *,
              current: dt.datetime | None = None) -> list[Deviation]:
    """Record who came; each summoned principal that did not come gets a deviation."""
    current = current or now()
    case = meeting_case(actor, meeting, change=True)
    if meeting.status != MeetingStatus.PLANNED.value:
        raise ValidationError("Mötet är inställt eller redan markerat som hållet.")
    if meeting.starts_at > current:
        raise ValidationError("Mötet har inte ägt rum än.")
    people = participants_of(meeting)
    missing = [p.name for p in people if p.id not in attendance]
    if missing:
        raise ValidationError("Markera närvaro för alla: " + ", ".join(missing) + ".",
                              field="attendance")
    deviations = []
    with database.atomic():
        for p in people:
            came = attendance[p.id]
            Participant.update(attended=came).where(Participant.id == p.id).execute()
            if not came and p.kind == ParticipantKind.PROFESSIONAL.value:
                deviations.append(Deviation.create(
                    meeting=meeting, participant=p, principal_name=p.principal_name,
                    unit_name=p.unit_name, meeting_date=meeting.starts_at.date()))
        meeting.status = MeetingStatus.HELD.value
        meeting.save_versioned()
        # The next date is now the documentation deadline (next_step.next_step).
        case.next_date = add_workdays(meeting.starts_at.date(), DOCUMENTATION_WORKDAYS)
        lifecycle.transition(actor, case, Action.HOLD_MEETING, today=current.date(),
                             reason=f"{sum(attendance.values())} av {len(people)} närvarande")
        for d in deviations:
            audit.record(actor, action=AuditAction.CREATE, entity="deviation", entity_id=d.id,
                         case=case, summary=f"Avvikelse: {d.principal_name} ({d.unit_name}) "
                                            "kom inte till SIP-mötet")
        end_kvittens_of_meeting(meeting)
    return deviations


def end_kvittens_of_meeting(meeting: Meeting) -> list[int]:
    """The kallelse to a meeting that has taken place no longer asks to be acknowledged (it
    stays readable, marked "Mötet har varit")."""
    kallelser = [p.message_id for p in Participant.select(Participant.message).where(
        (Participant.meeting == meeting) & Participant.message.is_null(False))
        if p.message_id is not None]
    return messaging.end_kvittens(kallelser, why=messaging.AckEnded.MEETING_PASSED,
                                  note=f"mötet {meeting.starts_at:%Y-%m-%d} har redan varit")


def end_kvittens_of_passed_meetings(user: User, *, current: dt.datetime | None = None
                                    ) -> list[int]:
    """Kallelser `user` sent or received to meetings that have started by `current` but were
    never marked held stop asking for kvittens too, and so do notices that a meeting is
    cancelled once its time has passed (`end_kvittens_of_passed_cancellations`). Att göra
    calls it before it counts, so neither waits there afterwards. It writes only when there is
    something to end: two indexed reads otherwise, and a no-op once done."""
    current = current or now()
    mine = (messaging.Receipt.select(messaging.Receipt.message)
            .where(messaging.Receipt.recipient == user))
    passed = (Participant.select(Participant.message).join(Meeting)
              .where((Meeting.starts_at <= current) & Participant.message.is_null(False)))
    pending = (messaging.Message.select(messaging.Message.id)
               .where(messaging.Message.id.in_(passed)
                      & messaging.Message.ack_ended_at.is_null()
                      & messaging.Message.withdrawn_at.is_null()
                      & ((messaging.Message.sender == user) | messaging.Message.id.in_(mine))))
    ids = [row.id for row in pending]
    ended = (messaging.end_kvittens(ids, why=messaging.AckEnded.MEETING_PASSED,
                                    note="mötet har redan varit") if ids else [])
    return ended + end_kvittens_of_passed_cancellations(user, current=current)


def end_kvittens_of_passed_cancellations(user: User, *, current: dt.datetime | None = None
                                         ) -> list[int]:
    """Notices that a meeting is cancelled ("Inställt SIP-möte 2026-11-23", DOMAIN step 5),
    sent or received by `user`, stop asking for kvittens once the cancelled meeting's time has
    passed: there is nothing left to know in time. A notice knows its meeting (Message.meeting_id,
    migration 0012)."""
    current = current or now()
    Message, Receipt = messaging.Message, messaging.Receipt
    mine = Receipt.select(Receipt.message).where(
        (Receipt.recipient == user) & (Receipt.needs_ack == True))  # noqa: E712
    passed = Meeting.select(Meeting.id).where(
        (Meeting.status == MeetingStatus.CANCELLED.value) & (Meeting.starts_at <= current))
    notices = list(Message.select(Message.id, Message.meeting_id).where(
        (Message.kind == messaging.MessageKind.CANCELLATION.value)
        & (Message.requires_ack == True)  # noqa: E712
        & Message.ack_ended_at.is_null() & Message.withdrawn_at.is_null()
        & Message.meeting_id.in_(passed)
        & ((Message.sender == user) | Message.id.in_(mine))))
    if not notices:
        return []
    days = {m.id: m.starts_at for m in Meeting.select(Meeting.id, Meeting.starts_at).where(
        Meeting.id.in_({n.meeting_id for n in notices}))}
    ended: list[int] = []
    for notice in notices:
        starts_at = days.get(notice.meeting_id or 0)
        if starts_at is not None:
            ended += messaging.end_kvittens(
                [notice.id], why=messaging.AckEnded.SUPERSEDED,
                note=f"det inställda mötet {starts_at:%Y-%m-%d} skulle redan ha varit")
    return ended


def open_deviations_for(user: User) -> list[Deviation]:
    """Deviations to handle, for unit managers and administrators: those on their unit's cases."""
    if user.role not in (Role.UNIT_MANAGER.value, Role.ADMINISTRATOR.value):
        return []
    query = (Deviation.select(Deviation, Meeting).join(Meeting).join(Case)
             .where(Deviation.handled_at.is_null()).order_by(Deviation.meeting_date))
    if user.role == Role.UNIT_MANAGER.value:
        query = query.where(Case.unit == user.unit_id)
    return list(query)


def handle_deviation(actor: User, deviation: Deviation) -> None:
    case = meeting_case(actor, deviation.meeting_id, change=True)  # type: ignore[attr-defined]
    if actor.role not in (Role.UNIT_MANAGER.value, Role.ADMINISTRATOR.value):
        raise PermissionDenied("Avvikelser hanteras av enhetschefen.")
    Deviation.update(handled_at=now(), handled_by=actor).where(
        Deviation.id == deviation.id).execute()
    audit.record(actor, action=AuditAction.UPDATE, entity="deviation", entity_id=deviation.id,
                 case=case, summary=f"Avvikelse hanterad: {deviation.principal_name}")


# ---- reading back, for the case's kallelse tab -----------------------------------------------

def staff_record_of(meeting: Meeting) -> StaffMeetingRecord | None:
    return StaffMeetingRecord.get_or_none(StaffMeetingRecord.meeting == meeting)


def mobile_team_check_of(meeting: Meeting) -> MobileTeamCheck | None:
    return MobileTeamCheck.get_or_none(MobileTeamCheck.meeting == meeting)


def surveys_of(meeting: Meeting) -> list[StatusSurvey]:
    return list(StatusSurvey.select(StatusSurvey, User).join(User)
                .where(StatusSurvey.meeting == meeting)
                .order_by(StatusSurvey.written_at, StatusSurvey.id))


def deviations_of(meeting: Meeting) -> list[Deviation]:
    return list(Deviation.select().where(Deviation.meeting == meeting)
                .order_by(Deviation.principal_name, Deviation.id))
