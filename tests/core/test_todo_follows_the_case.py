"""Att göra and kvittens follow what happened in the case (the demo walkthrough), on both
engines: a closed case chases no one and its coming meeting is cancelled (DOMAIN step 11:
the closure notice tells everyone); approving the plan is the approver's kvittens of the request
to approve, and once every principal has approved the requests ask no one (step 8, "All
principals approve"; "meddelande med kvittens"); a notice that a meeting is cancelled stops
asking once the meeting's time has passed (step 5)."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
import time_machine

from sipdesk import clock
from sipdesk.accounts.audit import AuditEntry
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import ClosureReason
from sipdesk.desk import todo
from sipdesk.desk.todo import Target
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import Meeting, MeetingStatus
from sipdesk.messages import messaging
from sipdesk.messages.messaging import AckEnded, Message, MessageKind, Receipt
from sipdesk.plans import plan
from sipdesk.storage.models import Case, CaseStatus, Principal, User
from tests.plan_scenarios import approve_all, fill, plan_world
from tests.scenarios import MEETING, NOW, good_draft, kallelse_world


def whats(user: User, day: dt.date) -> list[str]:
    return [r.what for r in todo.todo_for(user, today=day)]


def receipt(user: User, message: Message) -> Receipt:
    return Receipt.get((Receipt.message == message) & (Receipt.recipient == user))


@pytest.fixture
def invited(db: peewee.Database) -> dict:
    world = kallelse_world()
    world["meeting"] = invitation.send_invitation(world["officer"], world["case"],
                                                  good_draft(world), current=NOW)
    return world


# ---- 1: a closed case ---------------------------------------------------------------------------

def test_closing_a_case_cancels_its_coming_meeting_and_ends_its_chasing(invited: dict) -> None:
    """DOMAIN step 11: the case ends and everyone is told by the closure notice — so the
    meeting ahead is cancelled (logged, no second message) and Att göra asks nothing about it:
    no answers to chase, no calls or letters, no "SIP-möte" in the week before."""
    officer, nurse, case = invited["officer"], invited["nurse"], invited["case"]
    before = [r.what for r in todo.todo_for(officer, today=NOW.date())
              if r.target is Target.CASE_MEETING]
    assert any("har inte svarat på kallelsen till 2026-12-10" in w for w in before)
    assert any(w.startswith("Ring eller skicka brev") for w in before)
    assert "SIP-möte 2026-12-10 kl. 13:00" in whats(nurse, dt.date(2026, 12, 4))

    lifecycle.close_case(officer, Case.get_by_id(case.id), closed_on=clock.today(),
                         reason=ClosureReason.NO_MORE_NEED)

    row = Meeting.get_by_id(invited["meeting"].id)
    assert row.status == MeetingStatus.CANCELLED.value
    assert row.cancelled_reason == \
        "Ärendet avslutades: Behov av samordning finns inte längre"
    assert AuditEntry.select().where(
        (AuditEntry.entity == "meeting") & (AuditEntry.entity_id == row.id)
        & AuditEntry.summary.startswith("Mötet 2026-12-10 13:00 inställt")).count() == 1
    assert not Message.select().where(
        Message.kind == MessageKind.CANCELLATION.value).exists()  # the closure notice tells
    for user, day in ((officer, NOW.date()), (nurse, dt.date(2026, 12, 4))):
        rows = todo.todo_for(user, today=day)
        assert not [r for r in rows if r.target is Target.CASE_MEETING], user.full_name
    assert [w for w in whats(nurse, dt.date(2026, 12, 4)) if w.startswith("Kvittera")] == [
        f"Kvittera: Ärendet avslutas: {case.number}"]


def test_a_meeting_left_planned_in_a_case_closed_before_chases_no_one(invited: dict) -> None:
    """A case closed before closing cancelled its meetings (the walkthrough's database): its
    meeting is still "planerat", but an ended case asks nothing of anyone."""
    Case.update(status=CaseStatus.CLOSED.value).where(Case.id == invited["case"].id).execute()
    assert Meeting.get_by_id(invited["meeting"].id).status == MeetingStatus.PLANNED.value
    assert todo.meeting_rows(invited["officer"], today=NOW.date()) == []
    assert todo.meeting_rows(invited["nurse"], today=dt.date(2026, 12, 4)) == []


def test_closing_leaves_a_meeting_whose_time_has_passed_as_it_was(
        invited: dict, time_machine: time_machine.TimeMachineFixture) -> None:
    """Only a meeting ahead is cancelled: one that has begun may have taken place."""
    time_machine.move_to(dt.datetime.combine(MEETING.date() + dt.timedelta(days=1),
                                             dt.time(9), tzinfo=clock.STOCKHOLM))
    lifecycle.close_case(invited["officer"], Case.get_by_id(invited["case"].id),
                         closed_on=clock.today(), reason=ClosureReason.GOALS_MET)
    assert Meeting.get_by_id(invited["meeting"].id).status == MeetingStatus.PLANNED.value


# ---- 2: approving is the kvittens ---------------------------------------------------------------

LATER = dt.date(2026, 12, 31)


def kvittera(user: User) -> list[str]:
    return [w for w in whats(user, LATER) if w.startswith("Kvittera")]


def test_approving_is_the_kvittens_of_the_request_and_the_locked_plan_asks_no_more(
        db: peewee.Database) -> None:
    """DOMAIN step 8: all principals approve. Approving one's part shows the request was read
    (like answering a kallelse); once all have approved, the request asks no one any more."""
    world = plan_world()
    p = fill(world)
    officer, manager, nurse = world["officer"], world["manager"], world["nurse"]
    kommun = Principal.get(Principal.name == "Exempelby kommun")
    region = Principal.get(Principal.name == "Region Exempelland")
    plan.mark_part_finished(manager, p, kommun.id)
    plan.mark_part_finished(nurse, p, region.id)
    request = plan.request_approval(officer, plan.get_version(p.id))
    assert request is not None
    asking = f"Kvittera: Godkänn planen, version 1 ({world['case'].number})"
    assert asking in kvittera(manager) and asking in kvittera(nurse)

    plan.approve(nurse, plan.get_version(p.id), region.id, plain_language_acknowledged=True)
    assert receipt(nurse, request).acknowledged_at is not None
    assert asking not in kvittera(nurse)
    assert asking in kvittera(manager)  # only one's own

    # The coordinator approves the municipality's part herself: the plan locks, and Maria,
    # who never approved, is no longer asked to acknowledge the request.
    plan.approve(officer, plan.get_version(p.id), kommun.id, plain_language_acknowledged=True)
    assert plan.get_version(p.id).locked
    ended = Message.get_by_id(request.id)
    assert ended.ack_ended_why == AckEnded.PLAN_APPROVED.value
    assert AckEnded.PLAN_APPROVED.label == "Planen är godkänd"
    assert messaging.ended_text(ended).startswith("planen godkändes av alla")
    assert receipt(manager, request).acknowledged_at is None  # not claimed as hers
    assert asking not in kvittera(manager)
    assert f"Kvittera: Planen är godkänd ({world['case'].number})" in kvittera(manager)
    assert not any("Godkänn planen" in w for w in whats(officer, LATER))


def test_approving_again_is_the_kvittens_of_the_reopened_plan(db: peewee.Database) -> None:
    world = plan_world()
    world["plan"] = approve_all(world, fill(world))
    officer, manager, nurse = world["officer"], world["manager"], world["nurse"]
    plan.reopen(officer, plan.get_version(world["plan"].id), reason="Fel tid för duschen")
    reopened = Message.get(Message.subject.startswith("Planen är öppnad igen"))
    asking = f"Kvittera: {reopened.subject}"
    assert asking in kvittera(manager) and asking in kvittera(nurse)

    kommun = Principal.get(Principal.name == "Exempelby kommun")
    plan.approve(manager, plan.get_version(world["plan"].id), kommun.id,
                 plain_language_acknowledged=True)
    assert asking not in kvittera(manager)
    assert receipt(manager, reopened).acknowledged_at is not None
    assert asking in kvittera(nurse)

    region = Principal.get(Principal.name == "Region Exempelland")
    plan.approve(nurse, plan.get_version(world["plan"].id), region.id,
                 plain_language_acknowledged=True)
    assert plan.get_version(world["plan"].id).locked
    assert Receipt.select().where((Receipt.message == reopened)
                                  & (Receipt.needs_ack == True)).count() == 0  # noqa: E712
    approved_again = (Message.select().where(Message.subject.startswith("Planen är godkänd"))
                      .order_by(Message.id.desc()).first())
    assert approved_again.ack_ended_at is None  # the new "Planen är godkänd" asks
    assert kvittera(manager) == [f"Kvittera: {approved_again.subject}"]


# ---- 3: a cancelled meeting's notice ----------------------------------------------------------

def test_the_cancellation_notice_stops_asking_once_the_meeting_time_has_passed(
        invited: dict, time_machine: time_machine.TimeMachineFixture) -> None:
    """DOMAIN step 5: a cancellation is told with kvittens — until the meeting's time, after
    which there is nothing left to know in time (it stays readable, marked "Inaktuellt")."""
    officer, nurse = invited["officer"], invited["nurse"]
    invitation.cancel_meeting(officer, invited["meeting"], reason="Den enskilde är på sjukhus",
                              person_told=True, current=NOW)
    notice = Message.get(Message.kind == MessageKind.CANCELLATION.value)
    asking = f"Kvittera: {notice.subject}"
    assert notice.subject.startswith("Inställt SIP-möte 2026-12-10")

    time_machine.move_to(dt.datetime(2026, 12, 10, 12, tzinfo=clock.STOCKHOLM))
    assert asking in whats(nurse, clock.today())  # the meeting is still ahead

    time_machine.move_to(dt.datetime(2026, 12, 10, 13, 30, tzinfo=clock.STOCKHOLM))
    assert asking not in whats(nurse, clock.today())
    assert not any("har inte kvitterat" in w for w in whats(officer, LATER))
    ended = Message.get_by_id(notice.id)
    assert ended.ack_ended_why == AckEnded.SUPERSEDED.value
    assert "2026-12-10" in messaging.ended_text(ended)
    assert messaging.open_message(nurse, notice.id).body  # still readable
    assert messaging.badge(nurse).unacknowledged == 0
    # Idempotent: the sweep Att göra runs on every look finds nothing more to write.
    from sipdesk.meetings.meeting import end_kvittens_of_passed_meetings

    assert end_kvittens_of_passed_meetings(nurse) == []
    assert end_kvittens_of_passed_meetings(officer) == []


def test_a_notice_for_a_meeting_still_ahead_keeps_asking(
        invited: dict, time_machine: time_machine.TimeMachineFixture) -> None:
    """Two cancelled meetings in one case: only the one whose time has passed stops asking."""
    officer, nurse, case = invited["officer"], invited["nurse"], invited["case"]
    invitation.cancel_meeting(officer, invited["meeting"], reason="Sjukhus", person_told=True,
                              current=NOW)
    draft = good_draft(invited)
    draft.starts_at = dt.datetime(2027, 1, 14, 13, 0)
    draft.staff_meeting_at = dt.datetime(2027, 1, 11, 13, 0)
    second = invitation.send_invitation(officer, Case.get_by_id(case.id), draft, current=NOW)
    invitation.cancel_meeting(officer, second, reason="Flyttar", person_told=True, current=NOW)
    first, later = (Message.select().where(Message.kind == MessageKind.CANCELLATION.value)
                    .order_by(Message.id))
    time_machine.move_to(dt.datetime(2026, 12, 11, 9, tzinfo=clock.STOCKHOLM))
    asks = whats(nurse, clock.today())
    assert f"Kvittera: {first.subject}" not in asks
    assert f"Kvittera: {later.subject}" in asks


def test_kallelser_and_notices_know_their_meeting_also_after_an_upgrade(invited: dict) -> None:
    """A kallelse and a cancellation notice carry the meeting they are about (migration 0012);
    messages sent before that version get it from the participants or the notice's date."""
    import importlib

    officer, meeting = invited["officer"], invited["meeting"]
    invitation.cancel_meeting(officer, meeting, reason="Sjukhus", person_told=True, current=NOW)
    kallelse = Message.get(Message.kind == MessageKind.INVITATION.value)
    notice = Message.get(Message.kind == MessageKind.CANCELLATION.value)
    assert (kallelse.meeting_id, notice.meeting_id) == (meeting.id, meeting.id)

    Message.update(meeting_id=None).execute()  # as written before version 12
    importlib.import_module("sipdesk.migrations.0012_message_meeting").backfill(
        Message._meta.database)
    assert [m.meeting_id for m in Message.select().order_by(Message.id)] == [meeting.id] * 2
