"""Every state of a case has its own next step and its own next date (DOMAIN "The life of a
case"; issue 16, point 7): a case walked from the need to its closure, through a follow-up, on
both engines — at each state the step's text, the action that takes it and the next date, and
the case list's "Nästa datum" (Case.next_date) holding the same date.

Rules named here: consent before the kallelse (seed 000 "Samtycke"); the plan is documented
within two working days of the meeting (seed 003 step 3); the plan is followed up (seed 000
"Uppföljning"), and a held follow-up moves the date to the new plan's; a closed case has nothing
next (DOMAIN step 11); a consent "gäller" while it stands and "gällde" only once it has lapsed.
"""

from __future__ import annotations

import datetime as dt

import peewee
import time_machine

from sipdesk import clock
from sipdesk.casework import consent, lifecycle
from sipdesk.casework.lifecycle import Action, ClosureReason
from sipdesk.clock import STOCKHOLM
from sipdesk.desk.next_step import NextStep, consent_line, invite_label, next_step
from sipdesk.meetings import invitation, meeting
from sipdesk.plans import plan
from sipdesk.rules.workdays import add_workdays
from sipdesk.storage.models import Case, CaseStatus
from tests.factories import PNR_OTHER, make_case, make_person, make_user
from tests.plan_scenarios import approve_all, fill
from tests.scenarios import MEETING, NOW, good_draft, kallelse_world

FOLLOW_UP = dt.date(2027, 3, 10)  # the follow-up date tests.plan_scenarios.fill writes
NEXT_FOLLOW_UP = dt.date(2027, 9, 10)


def at(moment: dt.datetime, machine: time_machine.TimeMachineFixture) -> dt.date:
    machine.move_to(moment.replace(tzinfo=STOCKHOLM))
    return clock.today()


def step_of(case: Case, today: dt.date) -> tuple[NextStep, Case]:
    """The next step of the case as stored now, and the case read again."""
    stored = Case.get_by_id(case.id)
    return next_step(stored, today), stored


def check(case: Case, today: dt.date, *, status: CaseStatus, action: Action | None,
          next_date: dt.date | None, text: str) -> NextStep:
    step, stored = step_of(case, today)
    assert CaseStatus(stored.status) is status
    assert step.action is action, step
    assert step.next_date == next_date, step
    # The case list's "Nästa datum" is the same date as the overview's.
    assert stored.next_date == next_date
    assert text in step.text, step.text
    # "Kalla till möte…" only when a kallelse is the next step — never with a meeting planned.
    invite_allowed = lifecycle.check(stored, Action.INVITE, today=today) is None
    assert invite_allowed == (action is Action.INVITE), status
    return step


def follow_up_draft(world: dict, starts: dt.datetime) -> invitation.InvitationDraft:
    draft = good_draft(world)
    draft.follow_up = True
    draft.purpose = "Hur har det gått med stödet hemma sedan december?"
    draft.starts_at = starts
    draft.staff_meeting_at = starts - dt.timedelta(days=3)
    return draft


def test_each_state_has_its_own_next_step_and_date(
        db: peewee.Database, time_machine: time_machine.TimeMachineFixture) -> None:
    world = kallelse_world()
    case = world["case"]
    fresh = make_case(world["officer"], make_person(PNR_OTHER))
    check(fresh, clock.today(), status=CaseStatus.NEED_REGISTERED, action=Action.GIVE_CONSENT,
          next_date=None, text="samtycke")
    today = at(NOW, time_machine)
    check(case, today, status=CaseStatus.CONSENT_GIVEN, action=Action.INVITE, next_date=None,
          text="Allt som behövs för att kalla till SIP-möte finns")
    assert invite_label(case) == "Kalla till möte"
    line = consent_line(case, today)
    assert line.text.startswith("Gäller till och med ") and not line.warn

    # Kallad: the meeting is next, and its day is the next date.
    row = invitation.send_invitation(world["officer"], case, good_draft(world), current=NOW)
    check(case, today, status=CaseStatus.INVITED, action=Action.HOLD_MEETING,
          next_date=MEETING.date(), text="SIP-mötet är 2026-12-10 kl. 13.00")
    after = MEETING + dt.timedelta(hours=1)
    today = at(after, time_machine)
    check(case, today, status=CaseStatus.INVITED, action=Action.HOLD_MEETING,
          next_date=MEETING.date(), text="SIP-mötet är i dag kl. 13.00")

    # Held: the plan is due two working days after the meeting (Thursday → Monday).
    deadline = add_workdays(MEETING.date(), plan.DOCUMENTATION_WORKDAYS)
    assert deadline == dt.date(2026, 12, 14)
    meeting.mark_held(world["officer"], row, {p.id: True for p in
                                              invitation.participants_of(row)}, current=after)
    check(case, today, status=CaseStatus.MEETING_HELD, action=Action.START_DOCUMENTATION,
          next_date=deadline, text="Börja dokumentera planen — den ska vara klar senast "
                                   "2026-12-14")

    world["plan"] = plan.start_documentation(world["officer"], invitation.Meeting.get_by_id(
        row.id))
    check(case, today, status=CaseStatus.DOCUMENTATION, action=Action.APPROVE_PLAN,
          next_date=deadline, text="Dokumentera planen — den ska vara klar senast 2026-12-14")
    late = at(dt.datetime(2026, 12, 15, 9, 0), time_machine)
    check(case, late, status=CaseStatus.DOCUMENTATION, action=Action.APPROVE_PLAN,
          next_date=deadline, text="den dagen har passerat")

    # Approved: the follow-up is next, on the plan's follow-up date; the kallelse is to it.
    approve_all(world, fill(world))
    step = check(case, late, status=CaseStatus.FOLLOW_UP_PLANNED, action=Action.INVITE,
                 next_date=FOLLOW_UP, text="Planen är godkänd. Uppföljning 2027-03-10")
    assert "Allt som behövs" not in step.text
    assert invite_label(Case.get_by_id(case.id)) == "Kalla till uppföljning"
    overdue = at(dt.datetime(2027, 3, 11, 9, 0), time_machine)
    check(case, overdue, status=CaseStatus.FOLLOW_UP_PLANNED, action=Action.INVITE,
          next_date=FOLLOW_UP, text="Uppföljningen skulle ha varit 2027-03-10")

    # The follow-up is called: its meeting is next, and no second kallelse can be sent.
    today = at(dt.datetime(2027, 2, 15, 9, 0), time_machine)
    starts = dt.datetime.combine(FOLLOW_UP, MEETING.time())
    second = invitation.send_invitation(world["officer"], Case.get_by_id(case.id),
                                        follow_up_draft(world, starts), current=clock.now())
    check(case, today, status=CaseStatus.INVITED, action=Action.HOLD_MEETING,
          next_date=FOLLOW_UP, text="Uppföljningsmötet är 2027-03-10 kl. 13.00")

    # Held: the old follow-up date is gone; the new version's deadline, then its follow-up.
    today = at(starts + dt.timedelta(hours=1), time_machine)
    meeting.mark_held(world["officer"], second, {p.id: True for p in
                                                 invitation.participants_of(second)},
                      current=clock.now())
    new_deadline = dt.date(2027, 3, 12)
    check(case, today, status=CaseStatus.MEETING_HELD, action=Action.START_DOCUMENTATION,
          next_date=new_deadline, text="senast 2027-03-12")
    version = plan.start_documentation(world["officer"], invitation.Meeting.get_by_id(second.id))
    assert version.number == 2 and version.follow_up_date is None  # not the held one's date
    check(case, today, status=CaseStatus.DOCUMENTATION, action=Action.APPROVE_PLAN,
          next_date=new_deadline, text="senast 2027-03-12")
    plan.update_fields(world["officer"], version, {
        "chair": ("", "Anna Berg"), "adjusted_with": ("", "Maria Holm och Per Nord"),
        "follow_up_date": (None, NEXT_FOLLOW_UP)})
    approve_all(world, plan.get_version(version.id))
    check(case, today, status=CaseStatus.FOLLOW_UP_PLANNED, action=Action.INVITE,
          next_date=NEXT_FOLLOW_UP, text="Uppföljning 2027-09-10")

    # Closed: nothing next, no date — in the case list either — and the consent in the past.
    lifecycle.close_case(world["officer"], Case.get_by_id(case.id), closed_on=today,
                         reason=ClosureReason.GOALS_MET)
    check(case, today, status=CaseStatus.CLOSED, action=None, next_date=None,
          text="Ärendet avslutades 2027-03-10. Inget mer ska göras i det.")
    assert next_step(Case.get_by_id(case.id), today).date_text == "Inget"
    line = consent_line(Case.get_by_id(case.id), today)
    assert line.text == "Gällde tills ärendet avslutades 2027-03-10" and not line.warn


def test_a_cancelled_meeting_asks_for_a_new_kallelse_without_a_date(
        db: peewee.Database, time_machine: time_machine.TimeMachineFixture) -> None:
    world = kallelse_world()
    today = at(NOW, time_machine)
    row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                     current=NOW)
    invitation.cancel_meeting(world["officer"], row, reason="Den enskilde ligger på sjukhus",
                              person_told=True, current=NOW)
    check(world["case"], today, status=CaseStatus.MEETING_CANCELLED, action=Action.INVITE,
          next_date=None, text="Mötet ställdes in. Kalla till ett nytt SIP-möte.")


def test_a_lapsed_consent_comes_before_the_kallelse_and_is_said_in_the_past(
        db: peewee.Database, time_machine: time_machine.TimeMachineFixture) -> None:
    """Seed 003: consent holds at most a year; "gällde" only once the date has passed — also
    for a case closed after it lapsed."""
    world = kallelse_world()
    case = Case.get_by_id(world["case"].id)
    until = case.consent_valid_until
    assert until is not None
    assert consent_line(case, clock.today()).text == f"Gäller till och med {until:%Y-%m-%d}"
    today = at(dt.datetime.combine(until + dt.timedelta(days=3), dt.time(9, 0)), time_machine)
    step = check(case, today, status=CaseStatus.CONSENT_GIVEN, action=None, next_date=None,
                 text=f"Samtycket gällde till och med {until:%Y-%m-%d}")
    assert "förnya samtycket" in step.text
    lifecycle.close_case(world["officer"], case, closed_on=today,
                         reason=ClosureReason.NO_MORE_NEED)
    closed = Case.get_by_id(case.id)
    assert consent_line(closed, today).text == f"Gällde till och med {until:%Y-%m-%d}"
    assert consent.active_consent(closed) is not None


def test_approved_without_follow_up_offers_the_follow_up_kallelse_without_a_date(
        db: peewee.Database, time_machine: time_machine.TimeMachineFixture) -> None:
    """Seed 000 "Uppföljning": skipping the follow-up needs a reason; then no date is next."""
    from tests.plan_scenarios import plan_world

    world = plan_world()
    p = fill(world)
    plan.update_fields(world["officer"], p, {"follow_up_date": (FOLLOW_UP, None)})
    plan.skip_follow_up(world["officer"], plan.get_version(p.id),
                        reason="Följs upp när hon kommer hem")
    approve_all(world, plan.get_version(p.id))
    check(world["case"], clock.today(), status=CaseStatus.PLAN_APPROVED, action=Action.INVITE,
          next_date=None, text="Ingen uppföljning är planerad (Följs upp när hon kommer hem)")
    assert invite_label(Case.get_by_id(world["case"].id)) == "Kalla till uppföljning"


def test_declined_and_refused_cases_have_nothing_next(db: peewee.Database) -> None:
    officer = make_user()
    declined = make_case(officer)
    lifecycle.transition(officer, declined, Action.DECLINE)
    refused = make_case(officer, make_person(PNR_OTHER))
    lifecycle.refuse(officer, refused, reason="Behovet täcks redan av hemtjänsten")
    for case, text in ((declined, "tackade nej"), (refused, "Det blev ingen SIP")):
        step = next_step(Case.get_by_id(case.id), clock.today())
        assert step.action is None and step.next_date is None and text in step.text
        assert Case.get_by_id(case.id).next_date is None
