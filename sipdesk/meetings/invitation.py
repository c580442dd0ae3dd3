"""Kallelse: the invitation to a SIP meeting — DOMAIN.md steps 4–5, seeds 000 (Kallelse, Ställ in
möte), 003 step 2 and 002 §3.1.

The wizard fills an `InvitationDraft`; each page asks its own check here, and `send_invitation`
stores the meeting and its participants, moves the case to *invited*, sends every participant
with an account a message requiring kvittens and turns the others into a call/letter list — all
in one transaction. Answers, a new time and cancelling follow the same path.

This module holds those use cases; the rest sits beside it and is re-exported here, so
`invitation.x` works for every part: `meeting_records` (the meeting and its participants),
`meeting_times` (the proposed times and the warnings for a time picked by hand) and
`invitation_draft` (the draft and each page's check).
"""

from __future__ import annotations

import datetime as dt

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import meeting_case, require_can_change
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import guardians, lifecycle, protected
from sipdesk.casework.lifecycle import Action
from sipdesk.errors import ValidationError
from sipdesk.meetings import school
from sipdesk.meetings.invitation_draft import (
    HOME,
    HOME_WORDS,
    MAX_MINUTES,
    Check,
    InvitationDraft,
    ParticipantInput,
    ParticipantRules,
    check_all,
    check_participants,
    check_purpose,
    check_staff_meeting,
    check_time_and_place,
    home_word,
    participant_rules,
    person_needs_interpreter,
)
from sipdesk.meetings.meeting_times import (
    LONGEST_NOTICE_DAYS,
    NORMAL_NOTICE_DAYS,
    OFFICE_CLOSES,
    OFFICE_OPENS,
    SHORT_NOTICE_WARNING,
    SIP_MEETING_TIME,
    STAFF_MEETING_TIME,
    STAFF_MEETING_WORKDAYS_BEFORE,
    default_meeting_times,
    default_staff_meeting,
    default_start,
    in_office_hours,
    is_short_notice,
    time_warnings,
)
from sipdesk.messages import messaging
from sipdesk.messages.messaging import MessageKind
from sipdesk.storage.db import database
from sipdesk.storage.limits import check_texts, fit
from sipdesk.storage.meeting_records import (
    DEFAULT_MINUTES,
    Answer,
    HowInvited,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantKind,
)
from sipdesk.storage.models import Case, CaseStatus, User, now

# What callers take from `sipdesk.meetings.invitation`: the use cases here and every part
# re-exported above.
__all__ = [
    "DEFAULT_MINUTES",
    "HOME",
    "HOME_WORDS",
    "LONGEST_NOTICE_DAYS",
    "MAX_MINUTES",
    "NORMAL_NOTICE_DAYS",
    "OFFICE_CLOSES",
    "OFFICE_OPENS",
    "SHORT_NOTICE_WARNING",
    "SIP_MEETING_TIME",
    "STAFF_MEETING_TIME",
    "STAFF_MEETING_WORKDAYS_BEFORE",
    "Answer",
    "Check",
    "HowInvited",
    "InvitationDraft",
    "Meeting",
    "MeetingStatus",
    "Participant",
    "ParticipantInput",
    "ParticipantKind",
    "ParticipantRules",
    "answer_invitation",
    "call_list",
    "cancel_meeting",
    "check_all",
    "check_participants",
    "check_purpose",
    "check_staff_meeting",
    "check_time_and_place",
    "current_meeting",
    "default_meeting_times",
    "default_staff_meeting",
    "default_start",
    "home_word",
    "in_office_hours",
    "invitation_for",
    "invitation_text",
    "is_case_invited",
    "is_short_notice",
    "mark_invitation_done",
    "participant_rules",
    "participants_of",
    "person_needs_interpreter",
    "place_of",
    "reached_via_guardians",
    "register_answer",
    "reschedule",
    "send_invitation",
    "time_warnings",
    "to_call_or_write",
]


def place_of(case: Case, draft: InvitationDraft) -> tuple[str, bool]:
    text = draft.place.strip()
    if not text or text in HOME_WORDS:
        person = case.person
        word = home_word(person, draft.starts_at.date() if draft.starts_at else clock.today())
        home = "" if protected.address_hidden(person) else ", ".join(
            x for x in (person.address, f"{person.postal_code} {person.city}".strip()) if x)
        return fit(f"{word} ({home})" if home else word, Meeting.place), True
    return text, False


def invitation_text(case: Case, meeting: Meeting) -> str:
    """The message body to participants with accounts (inside sipdesk, so the case is named by
    number; the person's name is visible in the case itself)."""
    lines = [
        f"Du är kallad till {'uppföljning av ' if meeting.follow_up else ''}SIP-möte i ärende "
        f"{case.number}.",
        "",
        f"Tid: {meeting.starts_at:%Y-%m-%d kl. %H:%M}–{meeting.ends_at:%H:%M}",
        f"Plats: {meeting.place}",
    ]
    if meeting.video_link:
        lines.append(f"Video: {meeting.video_link}")
    lines += ["", f"Syfte: {meeting.purpose}"]
    if meeting.staff_meeting_at:
        when = f"{meeting.staff_meeting_at:%Y-%m-%d kl. %H:%M}"
        lines += ["", f"Tjänstemannamöte före SIP-mötet: {when}, {meeting.staff_meeting_place}"]
    lines += ["", "Kvittera kallelsen och svara om du kommer. Kan du inte komma: utse en "
              "ersättare och skriv namn och kontaktuppgifter i svaret."]
    return "\n".join(lines)


def send_invitation(actor: User, case: Case, draft: InvitationDraft, *,
                    current: dt.datetime | None = None) -> Meeting:
    """Store the meeting, invite, message the users with kvittens — one transaction."""
    require_can_change(actor, case)
    lifecycle.ensure_open(case)
    problem = lifecycle.check(case, Action.INVITE, today=(current or now()).date())
    if problem:
        raise ValidationError(problem, field="status")
    participants = list(draft.participants)
    if not any(p.user_id == actor.id for p in participants):
        # The convener takes part: for attendance, deviations and the plan's author.
        from sipdesk.casework.contacts import EntryKind, entry

        participants.append(ParticipantInput.from_directory(entry(EntryKind.USER, actor.id)))
    # A school that convenes takes part too: with only one principal beside it, it is not a
    # SIP (seed 002 §3.1) — also when the school's convener left themselves out of the list.
    refused = school.not_a_sip([p for p in participants
                                if p.kind is ParticipantKind.PROFESSIONAL])
    if refused is not None:
        raise ValidationError(refused.message, field="participants")
    result = check_all(case, draft, current=current)
    if result.problems:
        name, message = next(iter(result.problems.items()))
        raise ValidationError(message, field=name)
    assert draft.starts_at is not None
    place, at_home = place_of(case, draft)
    with database.atomic():
        meeting = Meeting.create(
            case=case, follow_up=draft.follow_up, purpose=draft.purpose.strip(),
            starts_at=draft.starts_at, minutes=draft.minutes, place=place, at_home=at_home,
            place_reason=draft.place_reason.strip(), video_link=draft.video_link.strip(),
            short_notice_reason=draft.short_notice_reason.strip(),
            staff_meeting_at=draft.staff_meeting_at,
            staff_meeting_place=draft.staff_meeting_place.strip(),
            staff_meeting_skipped_reason=draft.staff_meeting_skipped_reason.strip(),
            created_by=actor)
        users = []
        for p in participants:
            row = Participant.create(
                meeting=meeting, kind=p.kind.value, name=p.name.strip(), role=p.role.strip(),
                user=p.user_id, contact_id=p.contact_id, principal_id=p.principal_id,
                principal_name=p.principal_name,
                principal_kind=p.principal_kind.value if p.principal_kind else "",
                unit_name=p.unit_name, law=p.law.value if p.law else "",
                outpatient=p.outpatient, phone=p.phone, email=p.email, address=p.address,
                how_invited=p.how.value,
                answer=(Answer.COMING if p.user_id == actor.id else Answer.NO_ANSWER).value)
            if p.user_id is not None and p.user_id != actor.id:
                users.append(row)
        if users:
            sent = messaging.send(
                actor, to=[User.get_by_id(r.user_id) for r in users], case=case,
                kind=MessageKind.FOLLOW_UP if draft.follow_up else MessageKind.INVITATION,
                requires_ack=True, meeting_id=meeting.id,
                subject=(f"Kallelse till {'uppföljning av ' if draft.follow_up else ''}SIP-möte "
                         f"{meeting.starts_at:%Y-%m-%d} ({case.number})"),
                body=invitation_text(case, meeting))
            Participant.update(message=sent).where(
                Participant.id.in_([r.id for r in users])).execute()
        case.next_date = draft.starts_at.date()
        lifecycle.transition(actor, case, Action.INVITE, today=(current or now()).date(),
                             reason=f"Möte {draft.starts_at:%Y-%m-%d %H:%M}")
        audit.record(actor, action=AuditAction.CREATE, entity="meeting", entity_id=meeting.id,
                     case=case, summary=(f"Kallelse skickad: möte {draft.starts_at:%Y-%m-%d %H:%M}"
                                         f", {len(participants)} deltagare"))
    return meeting


def participants_of(meeting: Meeting) -> list[Participant]:
    return list(Participant.select().where(Participant.meeting == meeting)
                .order_by(Participant.kind, Participant.name))


def reached_via_guardians(p: Participant, *, person_letter: bool) -> bool:
    """The person, invited by letter, is a child under the letter age (`person_letter` False:
    `guardians.gets_own_letters` on the meeting day, as the letters decide): no letter of their
    own goes out — the guardians' letters reach them (seed 002)."""
    return (not person_letter and p.kind == ParticipantKind.PERSON.value
            and p.how_invited == HowInvited.LETTER.value)


def to_call_or_write(participants: list[Participant], *, person_letter: bool
                     ) -> list[Participant]:
    """Seed 003: those without an account, to call or write to — but not a young child whom the
    guardians' letters reach."""
    return [p for p in participants if not p.has_account
            and not reached_via_guardians(p, person_letter=person_letter)]


def call_list(meeting: Meeting) -> list[Participant]:
    """Seed 003: those without an account, to call or write to — who, how, phone, done."""
    person = meeting.case.person
    return to_call_or_write(participants_of(meeting), person_letter=guardians.gets_own_letters(
        person, on=meeting.starts_at.date()))


def current_meeting(case: Case) -> Meeting | None:
    return (Meeting.select().where(Meeting.case == case).order_by(Meeting.id.desc()).first())


def mark_invitation_done(actor: User, participant: Participant, done: bool = True) -> None:
    case = meeting_case(actor, participant.meeting_id, change=True)
    Participant.update(invitation_done=done).where(Participant.id == participant.id).execute()
    audit.record(actor, action=AuditAction.UPDATE, entity="participant",
                 entity_id=participant.id, case=case,
                 summary=f"{'Kontaktad' if done else 'Inte kontaktad än'}: {participant.name} "
                         f"({HowInvited(participant.how_invited).label.lower()})")


def register_answer(actor: User, participant: Participant, answer: Answer, *,
                    substitute_name: str = "", substitute_contact: str = "") -> Participant:
    """Will come / cannot come (with a substitute) / no answer — by the participant in sipdesk
    or by the convener for an answer given on the phone."""
    meeting = Meeting.get_by_id(participant.meeting_id)
    case = meeting_case(actor, meeting, change=True)
    if meeting.status != MeetingStatus.PLANNED.value:
        raise ValidationError("Mötet är inte längre planerat.")
    if participant.user_id is not None and participant.user_id != actor.id \
            and meeting.created_by_id != actor.id:
        raise ValidationError("Bara deltagaren själv eller den som kallade kan svara.")
    if answer is Answer.NOT_COMING and participant.kind == ParticipantKind.PROFESSIONAL.value \
            and not substitute_name.strip():
        raise ValidationError(
            "Den som inte kan komma utser en ersättare — skriv ersättarens namn.",
            field="substitute_name")
    check_texts(Participant, {"substitute_name": substitute_name,
                              "substitute_contact": substitute_contact})
    with database.atomic():
        Participant.update(answer=answer.value, substitute_name=substitute_name.strip(),
                           substitute_contact=substitute_contact.strip()
                           ).where(Participant.id == participant.id).execute()
        text = answer.label + (f", ersättare {substitute_name.strip()}" if substitute_name else "")
        audit.record(actor, action=AuditAction.UPDATE, entity="participant",
                     entity_id=participant.id, case=case,
                     summary=f"Svar från {participant.name}: {text}")
        if (answer is not Answer.NO_ANSWER and participant.user_id == actor.id
                and participant.message_id is not None):
            # Answering shows the kallelse was read: it is the kvittens too (seed 000).
            messaging.acknowledge_if_waiting(actor, participant.message_id)
    return Participant.get_by_id(participant.id)


def reschedule(actor: User, meeting: Meeting, *, starts_at: dt.datetime, reason: str,
               current: dt.datetime | None = None) -> Meeting:
    """A new time: everyone with an account is told again with kvittens; answers start over."""
    current = current or now()
    case = meeting_case(actor, meeting, change=True)
    if meeting.status != MeetingStatus.PLANNED.value or meeting.starts_at <= current:
        raise ValidationError("Bara ett möte som inte har hållits kan flyttas.")
    if starts_at <= current:
        raise ValidationError("Den nya tiden måste ligga i framtiden.", field="starts_at")
    if not reason.strip():
        raise ValidationError("Skriv varför mötet flyttas.", field="reason")
    check_texts(Meeting, {"reason": reason}, columns={"reason": "cancelled_reason"})
    with database.atomic():
        old = meeting.starts_at
        meeting.starts_at = starts_at
        meeting.save_versioned()
        Participant.update(answer=Answer.NO_ANSWER.value, invitation_done=False).where(
            Participant.meeting == meeting).execute()
        users = [User.get_by_id(p.user_id) for p in participants_of(meeting)
                 if p.user_id is not None and p.user_id != actor.id]
        if users:
            messaging.send(actor, to=users, case=case, kind=MessageKind.INVITATION,
                           requires_ack=True, meeting_id=meeting.id,
                           subject=f"Ny tid för SIP-möte: {starts_at:%Y-%m-%d} ({case.number})",
                           body=(f"Mötet {old:%Y-%m-%d kl. %H:%M} flyttas till "
                                 f"{starts_at:%Y-%m-%d kl. %H:%M}.\nSkäl: {reason.strip()}\n\n"
                                 + invitation_text(case, meeting)))
        Case.update(next_date=starts_at.date()).where(Case.id == case.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="meeting", entity_id=meeting.id,
                     case=case, summary=f"Mötet flyttat till {starts_at:%Y-%m-%d %H:%M}",
                     changes={"starts_at": [old.isoformat(), starts_at.isoformat()]})
    return meeting


def cancel_meeting(actor: User, meeting: Meeting, *, reason: str, person_told: bool,
                   current: dt.datetime | None = None) -> Meeting:
    """Ställ in: only before the meeting took place; the case stays open (seed 000)."""
    current = current or now()
    case = meeting_case(actor, meeting, change=True)
    if meeting.status != MeetingStatus.PLANNED.value:
        raise ValidationError("Mötet är redan inställt eller hållet.")
    if meeting.starts_at <= current:
        raise ValidationError(
            "Mötet har redan ägt rum och kan inte ställas in — markera det som hållet i stället.")
    if not reason.strip():
        raise ValidationError("Skriv varför mötet ställs in.", field="reason")
    check_texts(Meeting, {"reason": reason}, columns={"reason": "cancelled_reason"})
    if not person_told:
        raise ValidationError("Den enskilde ska få veta att mötet ställs in — kryssa i när det "
                              "är gjort.", field="person_told")
    with database.atomic():
        meeting.status = MeetingStatus.CANCELLED.value
        meeting.cancelled_reason = reason.strip()
        meeting.person_told = True
        meeting.save_versioned()
        users = [User.get_by_id(p.user_id) for p in participants_of(meeting)
                 if p.user_id is not None and p.user_id != actor.id]
        if users:
            messaging.send(actor, to=users, case=case, kind=MessageKind.CANCELLATION,
                           requires_ack=True, meeting_id=meeting.id,
                           subject=f"Inställt SIP-möte {meeting.starts_at:%Y-%m-%d} "
                                   f"({case.number})",
                           body=(f"SIP-mötet {meeting.starts_at:%Y-%m-%d kl. %H:%M} ställs in.\n"
                                 f"Skäl: {reason.strip()}\nDen enskilde har fått besked. "
                                 "Ärendet är fortfarande öppet."))
        # The kallelse is overtaken by the cancellation (which asks for kvittens itself).
        kallelser = [p.message_id for p in participants_of(meeting) if p.message_id]
        messaging.end_kvittens(kallelser, why=messaging.AckEnded.SUPERSEDED,
                               note=f"mötet {meeting.starts_at:%Y-%m-%d} är inställt")
        case.next_date = None
        lifecycle.transition(actor, case, Action.CANCEL_MEETING, reason=reason.strip(),
                             today=current.date())
    return meeting


def is_case_invited(case: Case) -> bool:
    return CaseStatus(case.status) is CaseStatus.INVITED


def invitation_for(user: User, message_id: int) -> Participant | None:
    """The user's own place in the meeting a kallelse message invites to, while it can still
    be answered (so the inbox can offer "Jag kommer" / "Jag kan inte komma")."""
    return (Participant.select().join(Meeting)
            .where((Participant.message == message_id) & (Participant.user == user.id)
                   & (Meeting.status == MeetingStatus.PLANNED.value))
            .first())


def answer_invitation(user: User, message_id: int, answer: Answer, *,
                      substitute_name: str = "", substitute_contact: str = "") -> Participant:
    """Answer a kallelse from the inbox: the answer is recorded on the meeting and the convener
    gets it as a reply in the same thread — in one transaction."""
    participant = invitation_for(user, message_id)
    if participant is None:
        raise ValidationError("Kallelsen kan inte besvaras längre (mötet är inställt, hållet "
                              "eller inte ditt).")
    with database.atomic():
        answered = register_answer(user, participant, answer, substitute_name=substitute_name,
                                   substitute_contact=substitute_contact)
        text = "Jag kommer." if answer is Answer.COMING else (
            f"Jag kan inte komma. Ersättare: {substitute_name.strip()}"
            + (f", {substitute_contact.strip()}" if substitute_contact.strip() else "") + ".")
        messaging.reply(user, messaging.Message.get_by_id(message_id), body=text)
    return answered
