"""Kallelse: the invitation to a SIP meeting — DOMAIN.md steps 4–5, seeds 000 (Kallelse, Ställ in
möte), 003 step 2 and 002 §3.1.

The wizard fills an `InvitationDraft`; each page asks its own check here, and `send_invitation`
stores the meeting and its participants, moves the case to *invited*, sends every participant
with an account a message requiring kvittens and turns the others into a call/letter list — all
in one transaction. Answers, a new time and cancelling follow the same path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from . import audit, lifecycle, messaging
from .audit import AuditAction
from .consent import active_consent, principals_of
from .contacts import DirectoryEntry
from .db import database
from .errors import ValidationError
from .lifecycle import Action
from .meeting_records import (
    DEFAULT_MINUTES,
    Answer,
    HowInvited,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantKind,
)
from .messaging import MessageKind
from .models import Case, CaseStatus, ConsentBasis, Law, PrincipalKind, User, now
from .workdays import (
    FREE_EVES,
    WEEKDAYS,
    add_workdays,
    free_day_name,
    is_workday,
    long_date,
    workday_on_or_after,
)

MAX_MINUTES = 60
NORMAL_NOTICE_DAYS = 14  # seed 003: two to three weeks ahead in the normal case
LONGEST_NOTICE_DAYS = 21  # … to three weeks: the default never goes further
# Office hours, Stockholm wall-clock (the clock's naive times): a meeting starts at 08:00 at the
# earliest and ends by 16:30, so a 45-minute meeting starts at 15:45 at the latest.
OFFICE_OPENS = dt.time(8, 0)
OFFICE_CLOSES = dt.time(16, 30)
SIP_MEETING_TIME = dt.time(10, 0)
STAFF_MEETING_TIME = dt.time(9, 0)
STAFF_MEETING_WORKDAYS_BEFORE = 5  # about a week before the SIP meeting
HOME = "Hemma hos den enskilde"



# ---- when to meet -----------------------------------------------------------------------------
#
# The proposals the kallelse wizard starts from and the demo books with: always a Swedish working
# day (no weekend, public holiday or free eve such as julafton) and within office hours.

def in_office_hours(starts_at: dt.datetime, minutes: int = DEFAULT_MINUTES) -> bool:
    """True when a meeting of `minutes` starting then is on a working day within office hours."""
    day = starts_at.date()
    return (is_workday(day) and starts_at.time() >= OFFICE_OPENS
            and starts_at + dt.timedelta(minutes=minutes)
            <= dt.datetime.combine(day, OFFICE_CLOSES))


SHORT_NOTICE_WARNING = ("Mötet ligger mindre än två veckor fram — normalt kallar man två till "
                        "tre veckor i förväg.")


def time_warnings(starts_at: dt.datetime, *, minutes: int = DEFAULT_MINUTES,
                  current: dt.datetime | None = None) -> list[str]:
    """What to tell the convener about a time picked by hand — warnings, never a refusal:
    a public holiday, free eve or weekend; outside office hours; under two weeks ahead (DOMAIN
    step 4: "2–3 weeks ahead in the normal case; warn below that"). The proposals
    (`default_meeting_times`) never get one."""
    warnings = []
    day = starts_at.date()
    holiday = free_day_name(day)
    if holiday in FREE_EVES:
        warnings.append(f"{long_date(day)} är {holiday} — då är de flesta lediga.")
    elif holiday is not None:
        warnings.append(f"{long_date(day)} är {holiday} — en helgdag.")
    elif not is_workday(day):
        warnings.append(f"{long_date(day)} är en {WEEKDAYS[day.weekday()]} — ingen arbetsdag.")
    elif starts_at.time() < OFFICE_OPENS:
        warnings.append(f"Mötet börjar före kontorstid ({OFFICE_OPENS:%H:%M}).")
    elif starts_at + dt.timedelta(minutes=minutes) > dt.datetime.combine(day, OFFICE_CLOSES):
        warnings.append(f"Mötet slutar efter kontorstid ({OFFICE_CLOSES:%H:%M}).")
    if current is not None and current < starts_at and is_short_notice(starts_at, current):
        warnings.append(SHORT_NOTICE_WARNING)
    return warnings


def is_short_notice(starts_at: dt.datetime, current: dt.datetime) -> bool:
    """Under two weeks ahead (seed 003: two to three weeks in the normal case)."""
    return starts_at.date() < current.date() + dt.timedelta(days=NORMAL_NOTICE_DAYS)


def default_start(today: dt.date) -> dt.datetime:
    """The SIP meeting: two weeks ahead (seed 003: two to three weeks), or the first working
    day after that, at 10:00. Holidays last at most a few days, so it stays within three weeks."""
    day = workday_on_or_after(today + dt.timedelta(days=NORMAL_NOTICE_DAYS))
    return dt.datetime.combine(day, SIP_MEETING_TIME)


def default_staff_meeting(starts_at: dt.datetime, current: dt.datetime) -> dt.datetime:
    """The staff meeting (seed 000): about a week (five working days) before the SIP meeting at
    09:00, but not before the next working day. When the SIP meeting is that soon, the same day
    just before it, if office hours allow."""
    day = max(add_workdays(starts_at.date(), -STAFF_MEETING_WORKDAYS_BEFORE),
              add_workdays(current.date(), 1))
    proposal = dt.datetime.combine(day, STAFF_MEETING_TIME)
    if proposal + dt.timedelta(minutes=DEFAULT_MINUTES) <= starts_at:
        return proposal
    just_before = starts_at - dt.timedelta(minutes=DEFAULT_MINUTES)
    if just_before > current and in_office_hours(just_before):
        return just_before
    return proposal  # nothing fits: the wizard's check asks for another time or a reason


def default_meeting_times(today: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(SIP meeting, staff meeting) proposed on `today`: both on working days within office
    hours, the SIP meeting 14–21 days ahead and the staff meeting before it."""
    sip = default_start(today)
    return sip, default_staff_meeting(sip, dt.datetime.combine(today, OFFICE_OPENS))


# ---- the draft the wizard fills ----------------------------------------------------------------

@dataclass
class ParticipantInput:
    kind: ParticipantKind
    name: str
    role: str = ""
    user_id: int | None = None
    contact_id: int | None = None
    principal_id: int | None = None
    principal_name: str = ""
    principal_kind: PrincipalKind | None = None
    unit_name: str = ""
    law: Law | None = None
    outpatient: bool = False
    phone: str = ""
    email: str = ""
    address: str = ""
    how_invited: HowInvited | None = None  # default: message for users, letter for others

    @classmethod
    def from_directory(cls, entry: DirectoryEntry) -> ParticipantInput:
        kind = ParticipantKind.INTERPRETER if entry.is_interpreter else ParticipantKind.PROFESSIONAL
        return cls(kind=kind, name=entry.name, role=entry.role,
                   user_id=entry.id if entry.has_account else None,
                   contact_id=None if entry.has_account else entry.id,
                   principal_id=entry.principal_id, principal_name=entry.principal,
                   principal_kind=entry.principal_kind, unit_name=entry.organisation,
                   law=entry.law, outpatient=entry.outpatient, phone=entry.phone,
                   email=entry.email, address=entry.address)

    @property
    def how(self) -> HowInvited:
        if self.user_id is not None:
            return HowInvited.MESSAGE
        return self.how_invited or HowInvited.LETTER


@dataclass
class InvitationDraft:
    purpose: str = ""
    participants: list[ParticipantInput] = field(default_factory=list)
    starts_at: dt.datetime | None = None
    minutes: int = DEFAULT_MINUTES
    place: str = ""  # empty: the person's home
    place_reason: str = ""
    video_link: str = ""
    short_notice_reason: str = ""
    staff_meeting_at: dt.datetime | None = None
    staff_meeting_place: str = ""
    staff_meeting_skipped_reason: str = ""
    follow_up: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvitationDraft:
        values = dict(data)
        for key in ("starts_at", "staff_meeting_at"):
            if values.get(key):
                values[key] = dt.datetime.fromisoformat(str(values[key]))
        people = []
        for p in values.get("participants", []):
            item = dict(p)
            item["kind"] = ParticipantKind(item["kind"])
            for key, enum in (("principal_kind", PrincipalKind), ("law", Law),
                              ("how_invited", HowInvited)):
                if item.get(key):
                    item[key] = enum(item[key])
            people.append(ParticipantInput(**item))
        values["participants"] = people
        return cls(**values)


@dataclass
class Check:
    """A page's problems (block) by field, and warnings (shown, not blocking)."""

    problems: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_purpose(draft: InvitationDraft) -> Check:
    result = Check()
    if not draft.purpose.strip():
        result.problems["purpose"] = (
            "Skriv syftet med mötet och vilka frågor det ska svara på — med vanliga ord.")
    return result


def person_needs_interpreter(case: Case) -> bool:
    person = case.person
    return bool(person.needs_interpreter or person.language.strip().casefold() != "svenska")


def check_participants(case: Case, draft: InvitationDraft) -> Check:
    """DOMAIN step 4 (seeds 000, 002, 003): who must, may and should be invited."""
    result = Check()
    pros = [p for p in draft.participants if p.kind is ParticipantKind.PROFESSIONAL]
    laws = {p.law for p in pros}
    kinds = {p.principal_kind for p in pros}
    missing = []
    if Law.HSL not in laws:
        missing.append("någon från hälso- och sjukvården (HSL)")
    if not laws & {Law.SOL, Law.LSS}:
        missing.append("någon från socialtjänsten eller LSS (SoL/LSS)")
    if PrincipalKind.REGION not in kinds:
        missing.append("någon från regionen")
    if PrincipalKind.MUNICIPALITY not in kinds:
        missing.append("någon från kommunen")
    if missing:
        result.problems["participants"] = (
            "En SIP behöver " + ", ".join(missing[:-1])
            + (" och " if len(missing) > 1 else "") + missing[-1] + ".")
    if pros and not any(p.outpatient for p in pros):
        result.warnings.append(
            "Ingen från öppenvården (t.ex. vårdcentral, psykiatri eller ASIH) är kallad — "
            "öppenvården ska alltid vara med.")
    consent = active_consent(case)
    if case.consent_basis == ConsentBasis.CONSENT and consent is not None:
        allowed = {p.id for p in principals_of(consent)}
        outside = sorted({p.principal_name for p in pros if p.principal_id not in allowed})
        if outside:
            result.problems["principals"] = (
                "Samtycket omfattar inte " + ", ".join(outside)
                + ". Bjud bara in huvudmän som den enskilde har sagt ja till, eller förnya "
                "samtycket.")
        relatives = [p for p in draft.participants if p.kind is ParticipantKind.RELATIVE]
        if relatives and not consent.relatives_to_invite.strip():
            result.problems["relatives"] = (
                "Samtycket säger inget om närstående. Fråga den enskilde och skriv in det i "
                "samtycket innan närstående bjuds in.")
    if person_needs_interpreter(case) and not any(
        p.kind is ParticipantKind.INTERPRETER for p in draft.participants
    ):
        result.warnings.append(
            f"Den enskilde talar {case.person.language} — boka en tolk via "
            "tolkförmedlingen. En närstående eller personal får inte tolka.")
    for p in draft.participants:
        if p.kind is ParticipantKind.INTERPRETER and (p.user_id is not None):
            result.problems["interpreter"] = (
                f"{p.name} är personal och kan inte vara tolk — boka en tolk via "
                "tolkförmedlingen.")
        if p.user_id is None and p.kind is not ParticipantKind.PERSON \
                and not (p.phone or p.address or p.email):
            result.problems["contact_details"] = (
                f"Ange telefon eller adress till {p.name} så att kallelsen når fram.")
    return result


def check_time_and_place(case: Case, draft: InvitationDraft, *,
                         current: dt.datetime | None = None) -> Check:
    result = Check()
    current = current or now()
    if draft.starts_at is None:
        result.problems["starts_at"] = "Välj dag och tid för mötet."
    elif draft.starts_at <= current:
        result.problems["starts_at"] = "Mötet måste ligga i framtiden."
    else:
        result.warnings.extend(time_warnings(draft.starts_at, minutes=draft.minutes,
                                             current=current))
        if is_short_notice(draft.starts_at, current) and not draft.short_notice_reason.strip():
            result.problems["short_notice_reason"] = "Skriv varför mötet behöver hållas så snart."
    if not 15 <= draft.minutes <= MAX_MINUTES:
        result.problems["minutes"] = (
            f"Boka mellan 15 och {MAX_MINUTES} minuter — {DEFAULT_MINUTES} minuter räcker "
            "oftast.")
    if draft.place.strip() and draft.place.strip() != HOME and not draft.place_reason.strip():
        result.problems["place_reason"] = (
            "Mötet hålls i första hand hemma hos den enskilde. Skriv varför det behöver vara "
            "någon annanstans.")
    if draft.video_link.strip() and not draft.video_link.strip().startswith("https://"):
        result.problems["video_link"] = "Videolänken ska börja med https://"
    return result


def check_staff_meeting(draft: InvitationDraft) -> Check:
    result = Check()
    if draft.staff_meeting_at is None:
        if not draft.staff_meeting_skipped_reason.strip():
            result.problems["staff_meeting_at"] = (
                "Föreslå tid och plats för ett tjänstemannamöte före SIP-mötet, eller skriv "
                "varför det inte behövs.")
        return result
    if draft.starts_at is not None and draft.staff_meeting_at >= draft.starts_at:
        result.problems["staff_meeting_at"] = "Tjänstemannamötet ska vara före SIP-mötet."
    if not draft.staff_meeting_place.strip():
        result.problems["staff_meeting_place"] = "Ange var tjänstemannamötet hålls (eller Teams)."
    return result


def check_all(case: Case, draft: InvitationDraft, *, current: dt.datetime | None = None) -> Check:
    total = Check()
    for part in (check_purpose(draft), check_participants(case, draft),
                 check_time_and_place(case, draft, current=current), check_staff_meeting(draft)):
        total.problems.update(part.problems)
        total.warnings.extend(part.warnings)
    return total


# ---- sending ------------------------------------------------------------------------------------

def place_of(case: Case, draft: InvitationDraft) -> tuple[str, bool]:
    text = draft.place.strip()
    if not text or text == HOME:
        person = case.person
        home = ", ".join(x for x in (person.address, f"{person.postal_code} {person.city}".strip())
                         if x)
        return (f"{HOME} ({home})" if home else HOME), True
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
    lifecycle.ensure_open(case)
    problem = lifecycle.check(case, Action.INVITE, today=(current or now()).date())
    if problem:
        raise ValidationError(problem, field="status")
    result = check_all(case, draft, current=current)
    if result.problems:
        name, message = next(iter(result.problems.items()))
        raise ValidationError(message, field=name)
    assert draft.starts_at is not None
    place, at_home = place_of(case, draft)
    participants = list(draft.participants)
    if not any(p.user_id == actor.id for p in participants):
        # The convener takes part: for attendance, deviations and the plan's author.
        from .contacts import EntryKind, entry

        participants.append(ParticipantInput.from_directory(entry(EntryKind.USER, actor.id)))
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


def call_list(meeting: Meeting) -> list[Participant]:
    """Seed 003: those without an account, to call or write to — who, how, phone, done."""
    return [p for p in participants_of(meeting) if not p.has_account]


def current_meeting(case: Case) -> Meeting | None:
    return (Meeting.select().where(Meeting.case == case).order_by(Meeting.id.desc()).first())


def mark_invitation_done(actor: User, participant: Participant, done: bool = True) -> None:
    Participant.update(invitation_done=done).where(Participant.id == participant.id).execute()
    meeting = Meeting.get_by_id(participant.meeting_id)
    audit.record(actor, action=AuditAction.UPDATE, entity="participant",
                 entity_id=participant.id, case=meeting.case_id,
                 summary=f"{'Kontaktad' if done else 'Inte kontaktad än'}: {participant.name} "
                         f"({HowInvited(participant.how_invited).label.lower()})")


def register_answer(actor: User, participant: Participant, answer: Answer, *,
                    substitute_name: str = "", substitute_contact: str = "") -> Participant:
    """Will come / cannot come (with a substitute) / no answer — by the participant in sipdesk
    or by the convener for an answer given on the phone."""
    meeting = Meeting.get_by_id(participant.meeting_id)
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
    with database.atomic():
        Participant.update(answer=answer.value, substitute_name=substitute_name.strip(),
                           substitute_contact=substitute_contact.strip()
                           ).where(Participant.id == participant.id).execute()
        text = answer.label + (f", ersättare {substitute_name.strip()}" if substitute_name else "")
        audit.record(actor, action=AuditAction.UPDATE, entity="participant",
                     entity_id=participant.id, case=meeting.case_id,
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
    if meeting.status != MeetingStatus.PLANNED.value or meeting.starts_at <= current:
        raise ValidationError("Bara ett möte som inte har hållits kan flyttas.")
    if starts_at <= current:
        raise ValidationError("Den nya tiden måste ligga i framtiden.", field="starts_at")
    if not reason.strip():
        raise ValidationError("Skriv varför mötet flyttas.", field="reason")
    case = Case.get_by_id(meeting.case_id)
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
    if meeting.status != MeetingStatus.PLANNED.value:
        raise ValidationError("Mötet är redan inställt eller hållet.")
    if meeting.starts_at <= current:
        raise ValidationError(
            "Mötet har redan ägt rum och kan inte ställas in — markera det som hållet i stället.")
    if not reason.strip():
        raise ValidationError("Skriv varför mötet ställs in.", field="reason")
    if not person_told:
        raise ValidationError("Den enskilde ska få veta att mötet ställs in — kryssa i när det "
                              "är gjort.", field="person_told")
    case = Case.get_by_id(meeting.case_id)
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
