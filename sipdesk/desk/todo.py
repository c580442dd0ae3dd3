"""Att göra: what needs me today, computed from the data each time (never copied to a table).

Rows: messages waiting for my kvittens; messages I sent that others have not acknowledged after
N working days (setting `reminder_workdays`, default 2); consents lapsing within 30 days on
cases I coordinate; for meetings I called: invitations without answers and letters or calls not
done; meetings in the next 7 days I take part in; deviations to handle (unit managers); plans
to document after a meeting I coordinate was held ("Dokumentera planen") and plans being
documented that I take part in or coordinate, with their deadline (two working days after the
meeting, red when passed); follow-ups due within 30 days on cases I coordinate; the
återkoppling to a child (who told the child what their voice meant for the plan) on an approved
plan of a case I coordinate, until it is recorded (seed 002, `plans.child_voice`); a wizard or
dialog I left unfinished — closed, crashed or killed — whose draft waits to be taken up again.
Each row says what, which case, since when, and where to go.

An ended case (not `CaseStatus.is_open`) chases no one: consents, meetings and plans are asked
only of open cases, and ending a case ends the kvittens of what was said before (a closure
notice sent then still asks). A deviation stays until it is handled even when its case has
ended: it reports that a principal did not come, which the unit manager follows up anyway.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import peewee as pw

from sipdesk import clock, settings
from sipdesk.accounts.access import visible_case_ids
from sipdesk.casework import guardians, lifecycle
from sipdesk.casework.consent import CONSENT_DRAFT, WARN_DAYS
from sipdesk.casework.drafts import Draft
from sipdesk.meetings.invitation import Answer, Meeting, MeetingStatus, Participant, ParticipantKind
from sipdesk.meetings.meeting import end_kvittens_of_passed_meetings, open_deviations_for
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Message, Receipt
from sipdesk.plans import child_voice, plan
from sipdesk.plans.plan import FOLLOW_UP_WARN_DAYS, PlanParticipant, PlanVersion, PrincipalPart
from sipdesk.rules.workdays import add_workdays, free_day_name
from sipdesk.storage.consent_records import Consent
from sipdesk.storage.models import Case, CaseStatus, ConsentBasis, Person, User


class Target(StrEnum):
    MESSAGE = "message"
    CASE_CONSENT = "case_consent"
    CASE_MEETING = "case_meeting"
    CASE_PLAN = "case_plan"


@dataclass(frozen=True)
class TodoRow:
    what: str
    case_id: int | None
    case_number: str
    since: dt.date
    target: Target
    target_id: int  # message id or case id
    overdue: bool = False
    detail: str = ""  # more than fits the row, e.g. who has not acknowledged and for how long


def _open_statuses() -> list[str]:
    return [s.value for s in CaseStatus if s.is_open]


def waiting_for_my_ack(user: User) -> list[TodoRow]:
    query = (Receipt.select(Receipt.delivered_at, Message.id, Message.subject, Case.id,
                            Case.number)
             .join(Message).join(Case, pw.JOIN.LEFT_OUTER, on=(Message.case == Case.id))
             .where((Receipt.recipient == user) & (Receipt.needs_ack == True))  # noqa: E712
             .order_by(Receipt.delivered_at))
    return [TodoRow(f"Kvittera: {subject}", case_id, number or "", delivered.date(),
                    Target.MESSAGE, message_id)
            for delivered, message_id, subject, case_id, number in query.tuples().iterator()]


def others_not_acknowledged(user: User, *, today: dt.date, workdays: int) -> list[TodoRow]:
    pending = (Receipt.select(Receipt.message, pw.fn.COUNT(Receipt.id).alias("left"))
               .where(Receipt.needs_ack == True)  # noqa: E712
               .group_by(Receipt.message))
    query = (Message.select(Message.id, Message.subject, Message.sent_at, Case.id, Case.number,
                            pending.c.left)
             .join(pending, on=(pending.c.message_id == Message.id))
             .switch(Message).join(Case, pw.JOIN.LEFT_OUTER, on=(Message.case == Case.id))
             .where((Message.sender == user) & Message.withdrawn_at.is_null())
             .order_by(Message.sent_at))
    rows = []
    for message_id, subject, sent_at, case_id, number, left in query.tuples().iterator():
        due = add_workdays(sent_at.date(), workdays)
        if due <= today:
            who = "1 mottagare" if left == 1 else f"{left} mottagare"
            rows.append(TodoRow(f"{who} har inte kvitterat: {subject}", case_id, number or "",
                                sent_at.date(), Target.MESSAGE, message_id, overdue=True))
    return _with_names(rows, today=today)


def _with_names(rows: list[TodoRow], *, today: dt.date) -> list[TodoRow]:
    """Who has not acknowledged, with how long they have had it ("Per Nord (3 dagar)") — one
    query for all the rows."""
    waiting = messaging.waiting_for(r.target_id for r in rows)
    return [dataclasses.replace(
        r, detail=f"Inte kvitterat: {messaging.waiting_text(waiting[r.target_id], today)}")
        if waiting.get(r.target_id) else r for r in rows]


def reapproval_rows(user: User) -> list[TodoRow]:
    """A reopened plan (plan.reopen) whose parts are finished: "Godkänn planen igen" for
    everyone who may approve a part not yet approved again — until they have."""
    involved = PlanParticipant.select(PlanParticipant.plan).where(PlanParticipant.user == user)
    reopened = (PlanVersion.select(PlanVersion, Case).join(Case)
                .where(PlanVersion.locked_at.is_null() & (PlanVersion.reopened_reason != "")
                       & (Case.status == CaseStatus.DOCUMENTATION.value)
                       & ((Case.coordinator == user) | PlanVersion.id.in_(involved))))
    rows = []
    for p in reopened:
        waiting = plan.awaiting_reapproval(p)
        if any(plan.may_write_for(user, p, part.principal_id) for part in waiting):
            since = max((c.at for c in lifecycle.history(p.case)
                         if c.to_status == CaseStatus.DOCUMENTATION.value), default=p.created_at)
            rows.append(TodoRow(f"Godkänn planen igen (version {p.number})", p.case.id,
                                p.case.number, since.date(), Target.CASE_PLAN,
                                p.case.id, detail=f"Planen öppnades igen: {p.reopened_reason}"))
    return rows


def lapsing_consents(user: User, *, today: dt.date) -> list[TodoRow]:
    """Consents lapsing within 30 days, or lapsed, on open cases I coordinate. A guardians'
    consent ends the day before the child's 18th birthday (seed 002): from the birthday on the
    row says the young person must now consent themselves."""
    limit = today + dt.timedelta(days=WARN_DAYS)
    query = (Case.select(Case, Person).join(Person)
             .where((Case.coordinator == user) & (Case.consent_basis == ConsentBasis.CONSENT.value)
                    & (Case.consent_valid_until <= limit)
                    & Case.status.in_(_open_statuses()))
             .order_by(Case.consent_valid_until))
    rows = []
    for case in query:
        until = case.consent_valid_until
        assert until is not None  # the query asks for one
        lapsed = until < today
        birthday = guardians.came_of_age_on(case, case.person, today)
        if birthday is not None:
            rows.append(TodoRow("Har fyllt 18 år — den unga behöver nu själv samtycka till SIP",
                                case.id, case.number, birthday, Target.CASE_CONSENT, case.id,
                                overdue=True, detail=guardians.came_of_age_text(birthday)))
            continue
        soon = guardians.turns_adult_soon(case, case.person, today)
        if soon is not None:
            what = (f"Fyller 18 år {soon:%Y-%m-%d} — då behöver den unga själv samtycka "
                    "till SIP")
        else:
            what = (f"Samtycket gick ut {until:%Y-%m-%d} — förnya det" if lapsed
                    else f"Samtycket går ut {until:%Y-%m-%d}")
        rows.append(TodoRow(what, case.id, case.number, until - dt.timedelta(days=WARN_DAYS),
                            Target.CASE_CONSENT, case.id, overdue=lapsed))
    return rows


def meeting_rows(user: User, *, today: dt.date) -> list[TodoRow]:
    """Meetings: answers missing and calls/letters not done on those I called; meetings in the
    next 7 days that I take part in or called."""
    # Only in open cases: an ended case chases no one (closing cancels its coming meetings,
    # lifecycle.close_case; this holds for any meeting left behind too).
    planned = (Meeting.select(Meeting, Case).join(Case)
               .where((Meeting.status == MeetingStatus.PLANNED.value)
                      & (Meeting.starts_at >= dt.datetime.combine(today, dt.time.min))
                      & Case.status.in_(_open_statuses())))
    mine = planned.where(Meeting.created_by == user)
    rows: list[TodoRow] = []
    for meeting in mine:
        people = list(Participant.select().where(Participant.meeting == meeting))
        silent = [p for p in people if p.answer == Answer.NO_ANSWER.value
                  and p.kind == ParticipantKind.PROFESSIONAL.value]
        if silent:
            rows.append(TodoRow(
                f"{len(silent)} av {len(people)} har inte svarat på kallelsen till "
                f"{meeting.starts_at:%Y-%m-%d}", meeting.case.id, meeting.case.number,
                meeting.created_at.date(), Target.CASE_MEETING, meeting.case.id))
        undone = [p for p in people if not p.has_account and not p.invitation_done]
        if undone:
            rows.append(TodoRow(
                f"Ring eller skicka brev till {len(undone)} deltagare utan konto",
                meeting.case.id, meeting.case.number, meeting.created_at.date(),
                Target.CASE_MEETING, meeting.case.id))
    week = dt.datetime.combine(today + dt.timedelta(days=7), dt.time.max)
    involved = Participant.select(Participant.meeting).where(Participant.user == user)
    soon = planned.where((Meeting.starts_at <= week)
                         & ((Meeting.created_by == user) | Meeting.id.in_(involved)))
    for meeting in soon.order_by(Meeting.starts_at):
        rows.append(TodoRow(f"SIP-möte {meeting.starts_at:%Y-%m-%d kl. %H:%M}",
                            meeting.case.id, meeting.case.number, meeting.starts_at.date(),
                            Target.CASE_MEETING, meeting.case.id))
    return rows


def deviation_rows(user: User) -> list[TodoRow]:
    rows = []
    for deviation in open_deviations_for(user):
        case = deviation.meeting.case
        rows.append(TodoRow(
            f"Avvikelse: {deviation.principal_name} ({deviation.unit_name}) kom inte till "
            f"SIP-mötet {deviation.meeting_date:%Y-%m-%d}", case.id, case.number,
            deviation.meeting_date, Target.CASE_MEETING, case.id, overdue=True))
    return rows


def plan_rows(user: User, *, today: dt.date) -> list[TodoRow]:
    """Documentation due (DOMAIN step 8: two working days after the meeting) on plans I take
    part in or coordinate, until every part is finished; follow-ups due (step 10) on cases I
    coordinate, 30 days ahead of the date (which is at most a year after the meeting), until the
    follow-up is called or skipped."""
    rows: list[TodoRow] = []
    involved = PlanParticipant.select(PlanParticipant.plan).where(PlanParticipant.user == user)
    drafts = list(PlanVersion.select(PlanVersion, Case).join(Case)
                  .where(PlanVersion.locked_at.is_null()
                         & (Case.status == CaseStatus.DOCUMENTATION.value)
                         & ((Case.coordinator == user) | PlanVersion.id.in_(involved))))
    if drafts:
        ids = [p.id for p in drafts]
        has_parts: set[int] = set()
        waiting: set[int] = set()  # a part not yet finished
        query = (PrincipalPart.select(PrincipalPart.plan, PrincipalPart.finished_at)
                 .where(PrincipalPart.plan.in_(ids)))
        for plan_id, finished_at in query.tuples().iterator():
            has_parts.add(plan_id)
            if finished_at is None:
                waiting.add(plan_id)
        for p in drafts:
            if p.id in has_parts and p.id not in waiting:  # done: approval is asked by message
                continue
            rows.append(TodoRow(f"Dokumentationen ska vara klar {p.deadline:%Y-%m-%d}",
                                p.case.id, p.case.number, p.meeting_date, Target.CASE_PLAN,
                                p.case.id, overdue=today > p.deadline))
    latest = (PlanVersion.select(PlanVersion.case, pw.fn.MAX(PlanVersion.number).alias("top"))
              .group_by(PlanVersion.case))
    approved = (PlanVersion.select(PlanVersion, Case).join(Case)
                .join(latest, on=((latest.c.case_id == PlanVersion.case)
                                  & (latest.c.top == PlanVersion.number)))
                .where(PlanVersion.locked_at.is_null(False) & (Case.coordinator == user)
                       & (PlanVersion.follow_up_skipped_reason == "")
                       & Case.status.in_([CaseStatus.PLAN_APPROVED.value,
                                          CaseStatus.FOLLOW_UP_PLANNED.value])))
    for p in approved:
        day = p.follow_up_date  # at most a year after the meeting (plan.check_follow_up_date)
        if day is None:  # approved without a date only when the follow-up was skipped
            continue
        warn_from = day - dt.timedelta(days=FOLLOW_UP_WARN_DAYS)
        if today >= warn_from:
            rows.append(TodoRow(f"Uppföljning {day:%Y-%m-%d}", p.case.id, p.case.number,
                                warn_from, Target.CASE_PLAN, p.case.id, overdue=today > day))
    return rows


def _free_days_text(start: dt.date, end: dt.date) -> str:
    """The free weekdays after `start` up to `end` (holidays, free eves), said by name."""
    names = [name for offset in range(1, (end - start).days + 1)
             if (day := start + dt.timedelta(days=offset)).weekday() < 5
             and (name := free_day_name(day)) is not None]
    if not names:
        return ""
    return f" ({' och '.join(names)} räknas inte)"


def documentation_due_rows(user: User, *, today: dt.date) -> list[TodoRow]:
    """DOMAIN step 8: the plan is documented within two working days after the meeting
    (`workdays.add_workdays`: weekends, public holidays and the free eves are not working days).
    From the day the meeting is marked held until the documentation starts, the coordinator is
    reminded ("Dokumentera planen") — for an adult and a child alike. Once it has started,
    `plan_rows` carries the same deadline to everyone taking part."""
    held = (Meeting.select(Case.id, Case.number, pw.fn.MAX(Meeting.starts_at))
            .join(Case)
            .where((Case.status == CaseStatus.MEETING_HELD.value) & (Case.coordinator == user)
                   & (Meeting.status == MeetingStatus.HELD.value))
            .group_by(Case.id, Case.number))
    rows = []
    for case_id, number, starts_at in held.tuples().iterator():
        met = starts_at.date() if isinstance(starts_at, dt.datetime) else \
            dt.datetime.fromisoformat(str(starts_at)).date()
        deadline = add_workdays(met, plan.DOCUMENTATION_WORKDAYS)
        rows.append(TodoRow(
            f"Dokumentera planen — den ska vara klar {deadline:%Y-%m-%d}", case_id, number,
            met, Target.CASE_PLAN, case_id, overdue=today > deadline,
            detail=(f"Mötet hölls {met:%Y-%m-%d}. Planen ska vara klar inom två arbetsdagar"
                    f"{_free_days_text(met, deadline)}.")))
    return rows


FEEDBACK_TODO = "Återkoppla till barnet: berätta vad barnets röst betydde för planen"


def child_feedback_rows(user: User) -> list[TodoRow]:
    """Seed 002: after the meeting the child is told what their voice meant for the plan. The
    coordinator is reminded from the day the plan is approved until it is recorded."""
    return [TodoRow(FEEDBACK_TODO, due.case_id, due.case_number, due.since, Target.CASE_PLAN,
                    due.case_id, detail=f"Plan version {due.plan_number}: skriv in vem som "
                                        "berättade för barnet, och när.")
            for due in child_voice.feedback_due(coordinator=user)]


# What each wizard's draft is called in Att göra, and where the row leads (the wizard or dialog
# there offers the draft back when it opens).
DRAFT_ROWS = {
    "kallelse": ("Påbörjad kallelse — fortsätt där du slutade", Target.CASE_MEETING),
    "kallelse_uppfoljning": ("Påbörjad kallelse till uppföljning — fortsätt där du slutade",
                             Target.CASE_MEETING),
    "plan_intervention": ("Påbörjad insats i planen — fortsätt där du slutade", Target.CASE_PLAN),
    # consent.save_guardian_answers: a guardian's answer saved, the consent waits for the rest.
    CONSENT_DRAFT: ("Påbörjat samtycke — registrera det när alla vårdnadshavare har svarat",
                 Target.CASE_CONSENT),
}


def draft_rows(user: User) -> list[TodoRow]:
    """The user's unfinished drafts on open cases: after a crash, a power cut or closing the
    app, the next start shows them here (issue 13: drafts survive a kill and are offered)."""
    # A consent's draft waits for the guardians' answers: once a consent is registered after
    # it (by a colleague, say), it waits for nothing (consent.consent_draft offers it no more).
    registered_since = pw.fn.EXISTS(Consent.select(Consent.id).where(
        (Consent.case == Case.id) & (Consent.created_at >= Draft.saved_at)))
    query = (Draft.select(Draft.wizard, Draft.saved_at, Case.id, Case.number)
             .join(Case, on=(Draft.case == Case.id))
             .where((Draft.user == user) & Case.status.in_(_open_statuses())
                    & ~((Draft.wizard == CONSENT_DRAFT) & registered_since))
             .order_by(Draft.saved_at, Draft.id))
    rows = []
    for wizard, saved_at, case_id, number in query.tuples().iterator():
        what, target = DRAFT_ROWS.get(wizard, ("Påbörjat utkast — fortsätt där du slutade",
                                               Target.CASE_MEETING))
        rows.append(TodoRow(what, case_id, number, saved_at.date(), target, case_id,
                            detail=f"Sparat {saved_at:%Y-%m-%d %H:%M}"))
    return rows


def todo_for(user: User, *, today: dt.date | None = None) -> list[TodoRow]:
    """Everything waiting for `user`, oldest first."""
    today = today or clock.today()
    workdays = int(settings.get("reminder_workdays"))
    # A kallelse to a meeting that has begun asks for no kvittens any more (meeting.py).
    end_kvittens_of_passed_meetings(user)
    rows = [*waiting_for_my_ack(user),
            *others_not_acknowledged(user, today=today, workdays=workdays),
            *lapsing_consents(user, today=today),
            *meeting_rows(user, today=today),
            *deviation_rows(user),
            *documentation_due_rows(user, today=today),
            *plan_rows(user, today=today),
            *child_feedback_rows(user),
            *reapproval_rows(user),
            *draft_rows(user)]
    return sorted(_visible_only(user, rows), key=lambda r: (r.since, r.case_number))


def _visible_only(user: User, rows: list[TodoRow]) -> list[TodoRow]:
    """Rows that lead to a case, only for cases the user may see (sipdesk.accounts.access) — one
    query for all of them. A message row stays: the message is the user's own, sent or received
    (sipdesk.messages.messaging), whichever case it names."""
    about_cases = {r.case_id for r in rows if r.case_id is not None and r.target is not
                   Target.MESSAGE}
    visible = visible_case_ids(user, about_cases)
    return [r for r in rows
            if r.target is Target.MESSAGE or r.case_id is None or r.case_id in visible]


def cases_waiting_for(user: User, *, today: dt.date | None = None) -> pw.Expression:
    """SQL condition, per case row: something in this case waits for `user` — used by the
    case list for its marker, inside the same single query."""
    today = today or clock.today()
    my_acks = (Receipt.select(Receipt.id).join(Message)
               .where((Message.case == Case.id) & (Receipt.recipient == user)
                      & (Receipt.needs_ack == True)))  # noqa: E712
    lapsing = ((Case.coordinator == user) & (Case.consent_basis == ConsentBasis.CONSENT.value)
               & (Case.consent_valid_until <= today + dt.timedelta(days=WARN_DAYS))
               & Case.status.in_(_open_statuses()))  # an ended case's consent waits for no one
    return pw.fn.EXISTS(my_acks) | lapsing
