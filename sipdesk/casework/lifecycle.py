"""The life of a case (DOMAIN.md steps 1, 2 and 11): one state machine, in one place.

Every state and allowed transition is in TRANSITIONS; `check()` says in Swedish what is missing
when an action is not allowed, `transition()` moves the case, writes its history and the audit
entry in one transaction. Later parts (kallelse, plan) call `transition()` for their actions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

import peewee as pw

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import require_can_change
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import guardians
from sipdesk.casework.need import (  # the need's record and rules; named here for callers
    NeedInput,
    NeedRecord,
    NoticedBy,
    need_of,
    need_problems,
)
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.messages import messaging
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.consent_records import Consent, GuardianConsent
from sipdesk.storage.db import BaseModel, database
from sipdesk.storage.limits import check_texts, text_problems
from sipdesk.storage.meeting_records import Meeting, MeetingStatus
from sipdesk.storage.models import Case, CaseStatus, ConsentBasis, User, compare_and_set, now
from sipdesk.storage.plan_records import latest_version, participants

S = CaseStatus


class Action(StrEnum):
    GIVE_CONSENT = "give_consent"
    HARM_ASSESSED = "harm_assessed"
    DECLINE = "decline"
    REFUSE = "refuse"
    INVITE = "invite"
    CANCEL_MEETING = "cancel_meeting"
    HOLD_MEETING = "hold_meeting"
    START_DOCUMENTATION = "start_documentation"
    APPROVE_PLAN = "approve_plan"
    PLAN_FOLLOW_UP = "plan_follow_up"
    REOPEN_PLAN = "reopen_plan"
    WITHDRAW_CONSENT = "withdraw_consent"
    CLOSE = "close"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.GIVE_CONSENT: "Registrera samtycke",
    Action.HARM_ASSESSED: "Registrera menprövning",
    Action.DECLINE: "Den enskilde tackar nej",
    # Not "Neka SIP": that sounds like a formal decision the person could appeal. What happens
    # is that the principals refrain from a SIP, by exception and with the reason written down
    # (DOMAIN step 1); the case ends as "SIP blev inte av" (CaseStatus.REFUSED).
    Action.REFUSE: "Avstå från SIP (med skäl)",
    Action.INVITE: "Kalla till möte",
    Action.CANCEL_MEETING: "Ställ in mötet",
    Action.HOLD_MEETING: "Markera mötet som hållet",
    Action.START_DOCUMENTATION: "Börja dokumentera",
    Action.APPROVE_PLAN: "Godkänn planen",
    Action.PLAN_FOLLOW_UP: "Planera uppföljning",
    Action.REOPEN_PLAN: "Öppna planen igen",
    Action.WITHDRAW_CONSENT: "Samtycket återkallas",
    Action.CLOSE: "Avsluta ärendet",
}

OPEN_STATES = [s for s in CaseStatus if s.is_open]
CONSENT_BASED = [S.CONSENT_GIVEN, S.HARM_ASSESSED, S.INVITED, S.MEETING_CANCELLED, S.MEETING_HELD,
                 S.DOCUMENTATION, S.PLAN_APPROVED, S.FOLLOW_UP_PLANNED]

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[Action, tuple[list[CaseStatus], CaseStatus]] = {
    Action.GIVE_CONSENT: ([S.NEED_REGISTERED, S.HARM_ASSESSED], S.CONSENT_GIVEN),
    Action.HARM_ASSESSED: ([S.NEED_REGISTERED], S.HARM_ASSESSED),
    Action.DECLINE: ([S.NEED_REGISTERED], S.DECLINED),
    Action.REFUSE: ([S.NEED_REGISTERED, S.CONSENT_GIVEN, S.HARM_ASSESSED], S.REFUSED),
    Action.INVITE: ([S.CONSENT_GIVEN, S.HARM_ASSESSED, S.MEETING_CANCELLED, S.PLAN_APPROVED,
                     S.FOLLOW_UP_PLANNED], S.INVITED),
    Action.CANCEL_MEETING: ([S.INVITED], S.MEETING_CANCELLED),
    Action.HOLD_MEETING: ([S.INVITED], S.MEETING_HELD),
    Action.START_DOCUMENTATION: ([S.MEETING_HELD], S.DOCUMENTATION),
    Action.APPROVE_PLAN: ([S.DOCUMENTATION], S.PLAN_APPROVED),
    Action.PLAN_FOLLOW_UP: ([S.PLAN_APPROVED], S.FOLLOW_UP_PLANNED),
    Action.REOPEN_PLAN: ([S.PLAN_APPROVED, S.FOLLOW_UP_PLANNED], S.DOCUMENTATION),
    Action.WITHDRAW_CONSENT: (CONSENT_BASED, S.CLOSED),
    Action.CLOSE: (OPEN_STATES, S.CLOSED),
}

# What is missing, said the way a colleague would, when an action does not fit the state.
_MISSING: dict[Action, str] = {
    Action.INVITE: "Samtycke saknas — registrera samtycke eller menprövning innan kallelse.",
    Action.CANCEL_MEETING: "Det finns inget kallat möte att ställa in.",
    Action.HOLD_MEETING: "Ingen kallelse är skickad — kalla till möte först.",
    Action.START_DOCUMENTATION: "Mötet är inte markerat som hållet.",
    Action.APPROVE_PLAN: "Planen är inte dokumenterad ännu.",
    Action.PLAN_FOLLOW_UP: "Planen är inte godkänd ännu.",
    Action.REOPEN_PLAN: "Det finns ingen godkänd plan att öppna igen.",
    Action.WITHDRAW_CONSENT: "Det finns inget samtycke att återkalla.",
    Action.DECLINE: "Den enskilde har redan tagit ställning — ett givet samtycke återkallas "
                    "i stället.",
    Action.HARM_ASSESSED: "Menprövning görs innan samtycke eller kallelse, när den enskilde "
                          "inte kan samtycka.",
    Action.GIVE_CONSENT: "Samtycke finns redan — förnya det i stället.",
    Action.REFUSE: "Det går bara att avstå från SIP innan någon har kallats.",
}

READ_ONLY = "Ärendet är avslutat och kan bara läsas."


class CaseStatusChange(BaseModel):
    """The history of a case's states."""

    case = pw.ForeignKeyField(Case, backref="status_changes", on_delete="RESTRICT")
    from_status = pw.CharField(max_length=30)
    to_status = pw.CharField(max_length=30)
    at = pw.DateTimeField(default=now)
    by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    reason = pw.TextField(default="")


def ensure_open(case: Case) -> None:
    """Refuse any change to a case that has ended."""
    if not CaseStatus(case.status).is_open:
        raise PermissionDenied(READ_ONLY)


def check(case: Case, action: Action, *, today: dt.date | None = None) -> str | None:
    """None when `action` is allowed now, otherwise what is missing, in Swedish."""
    status = CaseStatus(case.status)
    if not status.is_open:
        return READ_ONLY
    sources, _target = TRANSITIONS[action]
    if status not in sources:
        return _MISSING.get(action, f"Går inte när ärendet har status {status.label.lower()}.")
    if action in NEEDS_CONSENT:
        return consent_basis_problem(case, NEEDS_CONSENT[action], today=today)
    if action is Action.WITHDRAW_CONSENT and case.consent_basis != ConsentBasis.CONSENT:
        return _MISSING[Action.WITHDRAW_CONSENT]
    return None


# The rule "consent must stand" (seed 000 "Samtycke": the person consents to the SIP *and* to
# the sharing of information between the principals; seeds 001/002 and the law: the plan is
# made only if the person consents, and for a child the guardians consent until the 18th
# birthday). So every step that shares the case with the other principals or makes the plan
# needs a consent in force (or a menprövning) on its day — the same rule for an adult whose
# consent has lapsed and for a young person of 18 whose guardians' consent no longer carries
# the case:
# - the kallelse (Action.INVITE; a follow-up's too);
# - the request to approve the plan, which sends the plan to the other principals
#   (sipdesk.plans.plan_approval.request_approval, `Step.REQUEST_APPROVAL`);
# - approving the plan, which makes it (Action.APPROVE_PLAN, checked at each principal's
#   approval, `plan_approval.approve`).
# Not the steps that record what has already happened or wind down: marking a meeting held
# (it took place, convened on a consent that stood), documenting it within two working days,
# planning or skipping a follow-up, cancelling, closing, a withdrawal — and not registering the
# young person's own consent, which is the way out.
class Step(StrEnum):
    """A step that needs consent: what it is called in "… innan <step>"."""

    INVITE = "kallelse"
    REQUEST_APPROVAL = "planen skickas för godkännande"
    APPROVE_PLAN = "planen godkänns"


NEEDS_CONSENT: dict[Action, Step] = {Action.INVITE: Step.INVITE,
                                     Action.APPROVE_PLAN: Step.APPROVE_PLAN}


def consent_basis_problem(case: Case, step: Step = Step.INVITE, *,
                          today: dt.date | None = None) -> str | None:
    """The rule "consent must stand": None when a consent in force (or a menprövning) carries
    the case on `today`; otherwise what is missing before `step`, in Swedish. From the 18th
    birthday a consent the guardians gave no longer does (seed 002)."""
    today = today or clock.today()
    if case.consent_basis == ConsentBasis.HARM_ASSESSMENT:
        return None
    if case.consent_basis != ConsentBasis.CONSENT or case.consent_valid_until is None:
        return f"Samtycke saknas — registrera samtycke eller menprövning innan {step}."
    if case.consent_valid_until < today:
        birthday = guardians.came_of_age_on(case, case.person, today)
        if birthday is not None:  # seed 002: from the 18th birthday the young person decides
            return f"{guardians.came_of_age_text(birthday)} Det behövs innan {step}."
        return (
            f"Samtycket gällde till och med {case.consent_valid_until:%Y-%m-%d} — "
            f"förnya samtycket innan {step}."
        )
    newcomers = guardians_not_in_consent(case, today=today)
    if newcomers:
        return f"{guardians.newcomers_text(newcomers)} Det behövs innan {step}."
    return None


def guardians_not_in_consent(case: Case, *, today: dt.date) -> list[str]:
    """For a child: the guardians registered now who are not among those who gave the consent
    in force — one added after it was registered (a new custody decision). Every guardian with
    custody consents (seed 002, DOMAIN.md "Children"), so until they have, the consent no longer
    carries the case. Their names, in registration order; empty for an adult."""
    if case.person_id is None:  # a case not saved yet (the table of moves, tested alone)
        return []
    if not guardians.is_child(case.person, today):  # an adult asks the database nothing more
        return []
    registered = guardians.guardians_of(case.person_id)
    if not registered:
        return []
    current = (Consent.select(Consent.id)
               .where((Consent.case == case.id) & Consent.withdrawn_on.is_null()
                      & Consent.superseded_by.is_null())
               .order_by(Consent.id.desc()).limit(1))
    gave = {row.guardian_id for row in GuardianConsent.select(GuardianConsent.guardian)
            .where(GuardianConsent.consent.in_(current))}
    return [g.name for g in registered if g.id not in gave]


def invitation_basis_problem(case: Case, *, today: dt.date | None = None) -> str | None:
    """Consent (or a menprövning) must stand on the day of the invitation."""
    return consent_basis_problem(case, Step.INVITE, today=today)


@dataclass(frozen=True)
class ActionState:
    action: Action
    allowed: bool
    why_not: str  # empty when allowed; the tooltip when not


def actions(case: Case, *, today: dt.date | None = None) -> list[ActionState]:
    """Every action with whether it is allowed now and, if not, why — for the GUI."""
    result = []
    for action in Action:
        problem = check(case, action, today=today)
        result.append(ActionState(action, problem is None, problem or ""))
    return result


def refusal_problems(reason: str) -> dict[str, str]:
    """Refusing a SIP needs its reason written down (DOMAIN step 1)."""
    if not reason.strip():
        return {"reason": "Ange skälet till att SIP inte upprättas."}
    return text_problems(CaseStatusChange, {"reason": reason})


def transition(
    actor: User, case: Case, action: Action, *, reason: str = "", today: dt.date | None = None
) -> Case:
    """Move the case; refused with the Swedish reason when the state does not allow it, or
    when `actor` may not see the case (sipdesk.accounts.access). Call inside the caller's
    transaction when the move is part of a larger write."""
    require_can_change(actor, case)
    return _transition(actor, case, action, reason=reason, today=today)


def _transition(actor: User, case: Case, action: Action, *, reason: str = "",
                today: dt.date | None = None) -> Case:
    """`transition` for a use case here that has checked access already."""
    problem = check(case, action, today=today)
    if problem:
        raise ValidationError(problem, field="status")
    if action is Action.REFUSE:
        for name, message in refusal_problems(reason).items():
            raise ValidationError(message, field=name)
    before = CaseStatus(case.status)
    after = TRANSITIONS[action][1]
    with database.atomic():
        case.status = after.value
        if not after.is_open:
            case.next_date = None  # an ended case has no next date (next_step.next_step)
        case.save_versioned()
        CaseStatusChange.create(case=case, from_status=before.value, to_status=after.value,
                                by=actor, reason=reason.strip())
        summary = f"{before.label} → {after.label}"
        if reason.strip():
            summary += f" ({reason.strip()})"
        audit.record(actor, action=AuditAction.STATE, entity="sip_case", entity_id=case.id,
                     case=case, summary=summary,
                     changes={"status": [before.value, after.value]})
        if not after.is_open:
            # An ended case asks no one to acknowledge what was said before it ended (the
            # messages stay readable, marked "Avslutat ärende"); a closure or refusal notice
            # sent after this still asks.
            messaging.end_kvittens_in_case(case, why=messaging.AckEnded.CASE_CLOSED)
    return case


def history(case: Case) -> list[CaseStatusChange]:
    return list(CaseStatusChange.select().where(CaseStatusChange.case == case)
                .order_by(CaseStatusChange.at, CaseStatusChange.id))


@dataclass(frozen=True)
class Refusal:
    """What refusing told whom: the message to the one who raised the need (when they have an
    account), or who must be told some other way (`tell_otherwise`, empty when no one)."""

    case: Case
    message: messaging.Message | None
    tell_otherwise: str
    told: tuple[str, ...] = ()  # the names the message went to, for saying so


def refuse(actor: User, case: Case, *, reason: str, today: dt.date | None = None) -> Refusal:
    """Avstå från SIP (DOMAIN step 1, seed 000): only by exception, with the reason written down.
    The case ends as "SIP blev inte av" and whoever raised the need is told — with a message to
    acknowledge when they have an account; otherwise the result says whom to tell (and the
    person gets a letter, reports.letters.render_refusal_letter)."""
    require_can_change(actor, case)
    need = need_of(case)
    with database.atomic():
        _transition(actor, case, Action.REFUSE, reason=reason, today=today)
        raised_by: User | None = None
        if need is not None and need.noticed_by_user_id is not None:
            raised_by = User.get_by_id(need.noticed_by_user_id)
        message = None
        tell = ""
        if raised_by is not None and raised_by.id == actor.id:
            pass  # the one who raised the need decided it: no one else to tell
        elif raised_by is not None and raised_by.active:
            where = f" den {need.noticed_on:%Y-%m-%d}" if need is not None else ""
            phone = f", telefon {actor.phone}" if actor.phone else ""
            message = messaging.send(
                actor, to=[raised_by], case=case, kind=messaging.MessageKind.CLOSURE,
                requires_ack=True, subject=f"Det blir ingen SIP: {case.number}",
                body=(f"Du uppmärksammade{where} behovet av en SIP i ärende {case.number}. "
                      "Huvudmännen har kommit fram till att det inte blir någon SIP den här "
                      "gången, och ärendet är avslutat.\n"
                      f"Skäl: {reason.strip()}\n\n"
                      f"Frågor besvaras av {actor.full_name}, {actor.unit.name}{phone}.\n"
                      "Kvittera att du har tagit del av beskedet."))
        elif need is None:
            tell = ("Det är inte registrerat vem som uppmärksammade behovet, så ingen har fått "
                    "besked i sipdesk.")
        else:
            who = (raised_by.full_name if raised_by is not None
                   else need.noticed_by_name or NoticedBy(need.noticed_by).label.lower())
            tell = (f"Behovet uppmärksammades av {who}, som inte kan få meddelanden i sipdesk. "
                    "Berätta per brev eller telefon att det inte blir någon SIP.")
        if tell:
            audit.record(actor, action=AuditAction.UPDATE, entity="sip_case", entity_id=case.id,
                         case=case, summary="Ingen att meddela i sipdesk om att SIP inte blev "
                                            "av: berättas per brev eller telefon")
    told = tuple(messaging.recipients_of([message.id])[message.id].names) if message else ()
    return Refusal(Case.get_by_id(case.id), message, tell, told)


# ---- the need (DOMAIN step 1; its record and rules in `casework.need`) ----------------------

NEED_LABELS = {"noticed_by": "Uppmärksammat av", "noticed_by_user": "Personal",
               "noticed_by_name": "Namn", "noticed_on": "Datum", "need": "Behovet",
               "question": "Frågan"}


def need_values(record: NeedRecord) -> dict[str, Any]:
    """A stored need's fields as a save compares them (what an edit starts from)."""
    return {name: record.__data__.get(name) for name in NEED_LABELS}


def register_need(actor: User, case: Case, data: NeedInput,
                  *, today: dt.date | None = None,
                  base: Mapping[str, Any] | None = None) -> NeedRecord:
    """Record (or correct) who noticed the need, when, the need and the question.

    A correction saves only the fields that differ from `base` (what the dialog opened with,
    `need_values`; by default the record as read here), each on condition it still holds that
    value: another person's change of other fields merges, the same field changed by both is
    a `ConflictError` with both sides and nothing saved."""
    require_can_change(actor, case)
    ensure_open(case)
    today = today or clock.today()
    for name, message in need_problems(data, today=today).items():
        raise ValidationError(message, field=name)
    values = {
        "noticed_by": data.noticed_by.value,
        "noticed_by_user": data.noticed_by_user.id if data.noticed_by_user else None,
        "noticed_by_name": data.noticed_by_name.strip(),
        "noticed_on": data.noticed_on,
        "need": data.need.strip(),
        "question": data.question.strip(),
    }
    existing = need_of(case)  # read first: a correction's transaction starts with the write
    with database.atomic():
        if existing is None:
            record = NeedRecord.create(case=case, **values)
            audit.record(actor, action=AuditAction.CREATE, entity="need_record",
                         entity_id=record.id, case=case, summary="Behovet registrerat",
                         changes=audit.diff({}, values))
            return record
        before = need_values(existing) if base is None else dict(base)
        changes = audit.diff(before, values)
        if compare_and_set(NeedRecord, existing.id, loaded=before, new=values,
                           what="Behovet", labels=NEED_LABELS) and changes:
            audit.record(actor, action=AuditAction.UPDATE, entity="need_record",
                         entity_id=existing.id, case=case, summary="Behovet ändrat",
                         changes=changes)
        return NeedRecord.get_by_id(existing.id)


# ---- closure (DOMAIN step 11) ------------------------------------------------------------------

class ClosureReason(LabelledEnum):
    GOALS_MET = "goals_met"
    NO_MORE_NEED = "no_more_need"
    DIED = "died"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    REPLACED = "replaced"

    __labels__: ClassVar[Labels] = {
        "goals_met": "Målen är uppfyllda",
        "no_more_need": "Behov av samordning finns inte längre",
        "died": "Den enskilde har avlidit",
        "consent_withdrawn": "Samtycket återkallat",
        "replaced": "Ersätts av en ny SIP",
    }


class Closure(BaseModel):
    case = pw.ForeignKeyField(Case, backref="closures", unique=True, on_delete="RESTRICT")
    closed_on = pw.DateField()
    reason = pw.CharField(max_length=30)
    replaced_by = pw.ForeignKeyField(Case, null=True, on_delete="RESTRICT",
                                     backref="replaces")
    person_agreed = pw.BooleanField(default=False)
    note = pw.TextField(default="")
    closed_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=now)


def _notify_participants_of_closure(actor: User, case: Case, closure: Closure) -> None:
    """DOMAIN step 11: everyone is told with a message requiring acknowledgement (a closure
    hook: `close_case` has checked access)."""
    recipients = [u for u in messaging.case_users(case) if u.id != actor.id]
    if not recipients:
        return
    reason = ClosureReason(closure.reason).label
    body = (f"SIP-ärendet {case.number} avslutas från och med {closure.closed_on:%Y-%m-%d}.\n"
            f"Skäl: {reason}.\n")
    current = latest_version(case)
    if current is not None:
        names = [f"{p.name} ({p.organisation})" if p.organisation else p.name
                 for p in participants(current)]
        if names:
            body += "\nDeltagare i planen:\n" + "\n".join(f"– {n}" for n in names) + "\n"
    messaging.send(
        actor, to=recipients, case=case, kind=messaging.MessageKind.CLOSURE, requires_ack=True,
        subject=f"Ärendet avslutas: {case.number}",
        body=body + "\nKvittera att du har tagit del av avslutet.",
    )


# Hooks run inside the closing transaction: a hook that fails undoes the closure.
ClosureHook = Callable[[User, Case, Closure], None]
CLOSURE_HOOKS: list[ClosureHook] = [_notify_participants_of_closure]


def closure_problems(
    case: Case, *, closed_on: dt.date, reason: ClosureReason, replaced_by: Case | None = None,
    person_agreed: bool = False, today: dt.date,
) -> dict[str, str]:
    """Every problem of a closure's input at once, by field — for validation as you type."""
    problems: dict[str, str] = {}
    if closed_on > today:
        problems["closed_on"] = "Avslutsdatumet kan inte ligga i framtiden."
    elif closed_on < case.created_at.date():
        problems["closed_on"] = "Avslutsdatumet ligger före ärendets start."
    if reason is ClosureReason.REPLACED:
        if replaced_by is None:
            problems["replaced_by"] = "Välj den nya SIP som ersätter den här."
        elif replaced_by.id == case.id or replaced_by.person_id != case.person_id:
            problems["replaced_by"] = "Den nya SIP:en måste gälla samma person."
        if not person_agreed:
            problems["person_agreed"] = ("Den enskilde måste ha gått med på att en ny SIP "
                                         "ersätter den här.")
    return problems


def _cancel_coming_meetings(actor: User, case: Case, *, why: str,
                            current: dt.datetime | None = None) -> list[int]:
    """A closed case has no meetings ahead: every meeting still planned to start after
    `current` is cancelled, with `why` as its reason and an audit entry each. No cancellation
    message goes out — the closure notice tells everyone (DOMAIN step 11) and the kallelse no
    longer asks for kvittens (`transition`). A planned meeting whose time has passed is left
    as it is: it may have taken place. A step of `close_case`, inside its transaction (access
    checked there); returns the ids."""
    current = current or now()
    coming = list(Meeting.select().where(
        (Meeting.case == case.id) & (Meeting.status == MeetingStatus.PLANNED.value)
        & (Meeting.starts_at > current)).order_by(Meeting.starts_at))
    for meeting in coming:
        meeting.status = MeetingStatus.CANCELLED.value
        meeting.cancelled_reason = why
        meeting.save_versioned()
        audit.record(actor, action=AuditAction.UPDATE, entity="meeting", entity_id=meeting.id,
                     case=case, summary=f"Mötet {meeting.starts_at:%Y-%m-%d %H:%M} inställt: "
                                        f"{why}",
                     changes={"status": [MeetingStatus.PLANNED.value,
                                         MeetingStatus.CANCELLED.value]})
    return [m.id for m in coming]


def close_case(
    actor: User, case: Case, *, closed_on: dt.date, reason: ClosureReason,
    replaced_by: Case | None = None, person_agreed: bool = False, note: str = "",
    today: dt.date | None = None,
) -> Closure:
    """Close the case with a date and one of the reasons of DOMAIN step 11. Meetings still
    ahead are cancelled (`_cancel_coming_meetings`); everyone is told by the closure notice."""
    today = today or clock.today()
    require_can_change(actor, case)
    for name, message in closure_problems(case, closed_on=closed_on, reason=reason,
                                          replaced_by=replaced_by, person_agreed=person_agreed,
                                          today=today).items():
        raise ValidationError(message, field=name)
    check_texts(Closure, {"note": note})
    action = Action.WITHDRAW_CONSENT if reason is ClosureReason.CONSENT_WITHDRAWN \
        else Action.CLOSE
    with database.atomic():
        _transition(actor, case, action, reason=reason.label, today=today)
        closure = Closure.create(case=case, closed_on=closed_on, reason=reason.value,
                                 replaced_by=replaced_by, person_agreed=person_agreed,
                                 note=note.strip(), closed_by=actor)
        audit.record(actor, action=AuditAction.CREATE, entity="closure", entity_id=closure.id,
                     case=case, summary=f"Ärendet avslutat: {reason.label}",
                     changes={"closed_on": [None, closed_on.isoformat()],
                              "reason": [None, reason.value]})
        _cancel_coming_meetings(actor, case, why=f"Ärendet avslutades: {reason.label}")
        for hook in CLOSURE_HOOKS:
            hook(actor, case, closure)
    return closure


def closure_of(case: Case) -> Closure | None:
    return Closure.get_or_none(Closure.case == case)
