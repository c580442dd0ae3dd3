"""What comes next in a case, and its date: one rule for every state (DOMAIN "The life of a case").

`next_step(case, today)` says, for each `CaseStatus`, what the next step is in plain Swedish,
which lifecycle action takes it, and the case's next date with what that date is:

- before the kallelse (samtycke, menprövning, inställt möte): the kallelse; no date yet;
- kallad: the meeting (mark it held once it has taken place); its date;
- möte hållet / dokumentation pågår: the plan, due two working days after the meeting (or after
  a reopening); that deadline;
- plan godkänd / uppföljning planerad: the follow-up kallelse; the follow-up date of the latest
  approved version — for a child, first the återkoppling to the child until it is recorded;
- ended (avslutat, avböjt, SIP blev inte av): nothing, and no date.

`Case.next_date` (the case list's "Nästa datum") holds the same date: the use cases that move
the case set it, and the tests hold the two against each other at every state.
`consent_line` words the consent for the case's overview without tense problems: a consent
that has not yet lapsed "gäller", one that has "gällde", and a closed case's consent ended with
the case.

A child's case whose guardians consented: from the 18th birthday on (seed 002) the young person
must consent themselves — the next step of every open state says so first, keeping the state's
own date (`sipdesk.casework.guardians.came_of_age_on`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sipdesk import clock
from sipdesk.casework import consent, guardian_answers, guardians, lifecycle
from sipdesk.casework.lifecycle import Action
from sipdesk.meetings import invitation
from sipdesk.plans import child_voice, plan
from sipdesk.rules.workdays import add_workdays
from sipdesk.storage.models import Case, CaseStatus, ConsentBasis

S = CaseStatus

# The states from which a kallelse to the first (or a new) SIP meeting is the next step.
BEFORE_MEETING = (S.CONSENT_GIVEN, S.HARM_ASSESSED, S.MEETING_CANCELLED)
# The states from which a kallelse is to the follow-up of an approved plan.
FOLLOW_UP_STATES = (S.PLAN_APPROVED, S.FOLLOW_UP_PLANNED)

INVITE_LABEL = "Kalla till möte"
FOLLOW_UP_INVITE_LABEL = "Kalla till uppföljning"


@dataclass(frozen=True)
class NextStep:
    """The next step of a case: what to do (`text`), the action that does it (None when there
    is nothing to do, or nothing the person can do yet), and the next date with what it is."""

    text: str
    action: Action | None
    next_date: dt.date | None = None
    date_what: str = ""  # "SIP-möte", "Planen ska vara klar", "Uppföljning" …

    @property
    def date_text(self) -> str:
        """The next date as the overview shows it: '2026-12-10 (SIP-möte)', or 'Inget'."""
        if self.next_date is None:
            return "Inget"
        return f"{self.next_date:%Y-%m-%d} ({self.date_what})" if self.date_what \
            else f"{self.next_date:%Y-%m-%d}"


def invite_label(case: Case) -> str:
    """The kallelse action's words: a follow-up once a plan is approved."""
    return FOLLOW_UP_INVITE_LABEL if CaseStatus(case.status) in FOLLOW_UP_STATES \
        else INVITE_LABEL


def _day(value: dt.date) -> str:
    return f"{value:%Y-%m-%d}"


def _when(meeting: invitation.Meeting) -> str:
    return f"{meeting.starts_at:%Y-%m-%d} kl. {meeting.starts_at:%H.%M}"


def next_step(case: Case, today: dt.date | None = None) -> NextStep:
    """The next step and date of `case` on `today` — every state has its own."""
    today = today or clock.today()
    step = _step(case, today)
    if CaseStatus(case.status).is_open:
        birthday = guardians.came_of_age_on(case, case.person, today)
        if birthday is not None:
            return NextStep(f"{guardians.came_of_age_text(birthday)} Registrera hens eget "
                            "samtycke med Förnya samtycke.", None, step.next_date,
                            step.date_what)
    return step


def _step(case: Case, today: dt.date) -> NextStep:
    status = CaseStatus(case.status)
    if not status.is_open:
        return _ended(case, status)
    if status is S.NEED_REGISTERED:
        return NextStep(ask_for_consent(case, today), Action.GIVE_CONSENT)
    if status in BEFORE_MEETING:
        problem = lifecycle.invitation_basis_problem(case, today=today)
        if problem:  # a lapsed consent: renewing it comes first
            return NextStep(problem, None)
        if status is S.MEETING_CANCELLED:
            return NextStep("Mötet ställdes in. Kalla till ett nytt SIP-möte.", Action.INVITE)
        return NextStep("Allt som behövs för att kalla till SIP-möte finns. Kalla till möte.",
                        Action.INVITE)
    if status is S.INVITED:
        return _invited(case, today)
    if status is S.MEETING_HELD:
        meeting = invitation.current_meeting(case)
        deadline = (add_workdays(meeting.starts_at.date(), plan.DOCUMENTATION_WORKDAYS)
                    if meeting is not None else case.next_date)
        when = f" — den ska vara klar {_due(deadline, today)}" if deadline else ""
        return NextStep(f"Mötet är hållet. Börja dokumentera planen{when}.",
                        Action.START_DOCUMENTATION, deadline, "Planen ska vara klar")
    if status is S.DOCUMENTATION:
        return _documentation(case, today)
    return _approved(case, today)


ASK_THE_PERSON = ("Fråga den enskilde om samtycke till SIP och registrera det — eller gör en "
                  "menprövning om hen inte kan samtycka.")


def _names(people: list[str]) -> str:
    return people[0] if len(people) == 1 else f"{', '.join(people[:-1])} och {people[-1]}"


def ask_for_consent(case: Case, today: dt.date) -> str:
    """Whom to ask for consent (DOMAIN step 2): the person — or, for a child under 18, the
    guardians by name (seed 002: every guardian with custody, each for themselves), with the
    answers already given; from the 18th birthday the young person themselves."""
    person = case.person
    registered = guardians.guardians_of(case.person_id)
    if not guardians.is_child(person, today):
        if registered:  # the guardians decided once; now the young person does
            return (f"{person.first_name} har fyllt 18 år och bestämmer själv: fråga "
                    f"{person.first_name} om samtycke till SIP och registrera det — eller gör "
                    "en menprövning om hen inte kan samtycka.")
        return ASK_THE_PERSON
    if not registered:
        return ("Barnet är under 18 år, så vårdnadshavarna samtycker: registrera dem och fråga "
                f"dem om samtycke till SIP. Fråga också {person.first_name} vad hen tycker.")
    answered = guardian_answers.pending_answers(case)
    said_no = [g.name for g in registered if g.id in answered and not answered[g.id].consents]
    said_yes = [g.name for g in registered if g.id in answered and answered[g.id].consents]
    waiting = [g.name for g in registered if g.id not in answered]
    if said_no:
        return (f"{_names(said_no)} samtycker inte. Utan samtycke från alla vårdnadshavare blir "
                "det ingen SIP — prata vidare med familjen.")
    if said_yes and not waiting:
        return (f"{_names(said_yes)} har samtyckt. Registrera samtycket. Fråga också "
                f"{person.first_name} vad hen tycker.")
    if said_yes:
        return (f"{_names(said_yes)} har samtyckt. Fråga {_names(waiting)} om samtycke till "
                "SIP och registrera svaret.")
    who, answers = (("vårdnadshavarna", "svaren") if len(registered) > 1
                    else ("vårdnadshavaren", "svaret"))
    return (f"Fråga {who} ({', '.join(g.name for g in registered)}) om samtycke till SIP och "
            f"registrera {answers}. Fråga också {person.first_name} vad hen tycker.")


def _due(deadline: dt.date, today: dt.date) -> str:
    return f"senast {_day(deadline)}" if deadline >= today \
        else f"senast {_day(deadline)}, och den dagen har passerat"


def _ended(case: Case, status: CaseStatus) -> NextStep:
    if status is S.DECLINED:
        return NextStep("Den enskilde tackade nej till SIP. Inget mer ska göras i ärendet.", None)
    if status is S.REFUSED:
        return NextStep("Det blev ingen SIP. Inget mer ska göras i ärendet.", None)
    closure = lifecycle.closure_of(case)
    when = f" {_day(closure.closed_on)}" if closure is not None else ""
    return NextStep(f"Ärendet avslutades{when}. Inget mer ska göras i det.", None)


def _invited(case: Case, today: dt.date) -> NextStep:
    meeting = invitation.current_meeting(case)
    if meeting is None or meeting.status != invitation.MeetingStatus.PLANNED.value:
        return NextStep("Mötet är kallat. Markera det som hållet när det har ägt rum.",
                        Action.HOLD_MEETING, case.next_date, "SIP-möte")
    what = "Uppföljningsmötet" if meeting.follow_up else "SIP-mötet"
    day = meeting.starts_at.date()
    if day > today:
        text = f"{what} är {_when(meeting)}. Markera det som hållet när det har ägt rum."
    elif day == today:
        text = f"{what} är i dag kl. {meeting.starts_at:%H.%M}. Markera det som hållet efteråt."
    else:
        text = f"{what} var {_when(meeting)}. Markera det som hållet och vilka som kom."
    return NextStep(text, Action.HOLD_MEETING, day,
                    "Uppföljningsmöte" if meeting.follow_up else "SIP-möte")


def _documentation(case: Case, today: dt.date) -> NextStep:
    latest = plan.latest_version(case)
    # The deadline is stored by the use case that started (or reopened) the documentation.
    deadline = case.next_date or (latest.deadline if latest is not None else None)
    reopened = latest is not None and bool(latest.reopened_reason)
    first = ("Planen är öppnad igen. Gör ändringarna" if reopened
             else "Dokumentera planen")
    when = f" — den ska vara klar {_due(deadline, today)}" if deadline else ""
    again = " på nytt" if reopened else ""
    return NextStep(f"{first}{when}. Sedan godkänner varje huvudman sin del{again}.",
                    Action.APPROVE_PLAN, deadline, "Planen ska vara klar")


FEEDBACK_STEP = ("Berätta för barnet vad barnets röst betydde för planen, och skriv in "
                 "återkopplingen under Planen.")


def _approved(case: Case, today: dt.date) -> NextStep:
    step = _approved_plan(case, today)
    if child_voice.feedback_due(case_ids=[case.id]):  # seed 002: återkoppling to the child
        head = "Planen är godkänd. "
        rest = step.text[len(head):] if step.text.startswith(head) else step.text
        return replace(step, text=f"{head}{FEEDBACK_STEP} {rest}")
    return step


def _approved_plan(case: Case, today: dt.date) -> NextStep:
    latest = plan.latest_version(case)
    day = latest.follow_up_date if latest is not None else None
    if day is None:
        skipped = latest.follow_up_skipped_reason.strip() if latest is not None else ""
        why = f" ({skipped.rstrip('.')})" if skipped else ""
        return NextStep(f"Planen är godkänd. Ingen uppföljning är planerad{why}. Kalla till "
                        "uppföljning om behoven ändras, eller avsluta ärendet när samordningen "
                        "inte behövs längre.", Action.INVITE)
    if day >= today:
        text = (f"Planen är godkänd. Uppföljning {_day(day)}: kalla till uppföljningsmöte i "
                "god tid.")
    else:
        text = (f"Uppföljningen skulle ha varit {_day(day)}. Kalla till uppföljningsmöte, "
                "eller avsluta ärendet om samordningen inte behövs längre.")
    return NextStep(text, Action.INVITE, day, "Uppföljning")


# ---- the consent, worded for the case's overview -------------------------------------------------

@dataclass(frozen=True)
class ConsentLine:
    text: str
    warn: bool  # lapsing within 30 days, or lapsed (an ended case never warns)
    days_left: int | None = None


def ended_on(case: Case) -> dt.date | None:
    """The day an ended case ended: its closure date, or the day it became declined/refused."""
    closure = lifecycle.closure_of(case)
    if closure is not None:
        return closure.closed_on
    changes = lifecycle.history(case)
    return changes[-1].at.date() if changes else None


def consent_line(case: Case, today: dt.date | None = None) -> ConsentLine:
    """The consent of `case`: 'Gäller till och med …' while it stands, 'Gällde …' only for a date
    that has passed — and for an ended case, how it stood when the case ended."""
    today = today or clock.today()
    if CaseStatus(case.status).is_open:
        until = case.consent_valid_until
        birthday = guardians.came_of_age_on(case, case.person, today)
        if birthday is not None:
            return ConsentLine(f"Fyllde 18 år {_day(birthday)} — eget samtycke behövs",
                               True, None)
        state = consent.consent_state(case.consent_basis, until, today=today)
        # A guardian registered after the consent has not consented (seed 002: every one).
        newcomers = (lifecycle.guardians_not_in_consent(case, today=today)
                     if case.consent_basis == ConsentBasis.CONSENT and until is not None
                     and until >= today else [])
        if newcomers:
            who = " och ".join(newcomers)
            return ConsentLine(f"Räcker inte — {who} har inte samtyckt än", True,
                               state.days_left)
        soon = guardians.turns_adult_soon(case, case.person, today)
        if soon is not None and state.warn and until is not None:
            return ConsentLine(f"Gäller till {_day(until)} — fyller 18 år {_day(soon)}",
                               True, state.days_left)
        return ConsentLine(state.text, state.warn, state.days_left)
    current = consent.active_consent(case)
    if current is not None:
        end = ended_on(case) or today
        if current.valid_until < end:
            return ConsentLine(f"Gällde till och med {_day(current.valid_until)}", False)
        return ConsentLine(f"Gällde tills ärendet avslutades {_day(end)}", False)
    withdrawn_on = next((c.withdrawn_on for c in consent.consents_of(case) if c.withdrawn_on),
                        None)
    if withdrawn_on is not None:
        return ConsentLine(f"Återkallat {_day(withdrawn_on)}", False)
    if case.consent_basis == ConsentBasis.HARM_ASSESSMENT:
        return ConsentLine("Menprövning gjord", False)
    return ConsentLine("Inget samtycke", False)
