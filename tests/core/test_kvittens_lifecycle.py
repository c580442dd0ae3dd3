"""Kvittens that follows what happens in the case (issue 16), on both engines: reopening a plan
overtakes its approval messages and asks every principal again (DOMAIN step 9, "meddelande med
kvittens"); answering a kallelse is its kvittens (step 4); a meeting that has passed or a case
that has ended asks no one to acknowledge any more (step 11); refraining from a SIP tells whoever
raised the need, and the person gets a letter (step 1: "only by exception and the reason must be
documented"). Plus who has not acknowledged, by name and for how long."""

from __future__ import annotations

import datetime as dt
import io

import peewee
import pytest
import time_machine
from pypdf import PdfReader

from sipdesk import clock
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import ClosureReason, NeedInput, NoticedBy
from sipdesk.desk import todo
from sipdesk.errors import ValidationError
from sipdesk.meetings import invitation
from sipdesk.messages import messaging
from sipdesk.messages.messaging import AckEnded, Message, MessageKind, Receipt
from sipdesk.plans import plan
from sipdesk.storage.models import Case, CaseStatus, User
from tests.plan_scenarios import approve_all, fill, plan_world
from tests.scenarios import MEETING, NOW, good_draft, kallelse_world

LATER = dt.date(2026, 12, 31)  # past every reminder's working days


def whats(user: User, day: dt.date = LATER) -> list[str]:
    return [r.what for r in todo.todo_for(user, today=day)]


def approved_message() -> Message:
    return Message.get(Message.subject.startswith("Planen är godkänd"))


@pytest.fixture
def approved(db: peewee.Database) -> dict:
    world = plan_world()
    world["plan"] = approve_all(world, fill(world))
    return world


# ---- A: reopening a plan ----------------------------------------------------------------------

def test_reopening_overtakes_the_approval_and_asks_every_principal_again(approved: dict) -> None:
    """DOMAIN step 9 and "meddelande med kvittens": reopening clears every approval, so every
    principal is told with the reason, and the old "Planen är godkänd" is no longer something
    to acknowledge (still readable)."""
    officer, manager, nurse = approved["officer"], approved["manager"], approved["nurse"]
    old = approved_message()
    waiting = {r.recipient_id for r in Receipt.select().where(
        (Receipt.message == old) & (Receipt.needs_ack == True))}  # noqa: E712
    assert waiting  # before: someone still had "Kvittera: Planen är godkänd"

    plan.reopen(officer, plan.get_version(approved["plan"].id), reason="Fel tid för duschen")

    old = Message.get_by_id(old.id)
    assert old.ack_ended_why == AckEnded.SUPERSEDED.value
    assert "Fel tid för duschen" in messaging.ended_text(old)
    assert messaging.open_message(User.get_by_id(next(iter(waiting))), old.id).body  # readable
    for user in (officer, manager, nurse):
        assert not any("Planen är godkänd" in w for w in whats(user)), user.full_name
    with pytest.raises(ValidationError, match="behöver inte kvitteras längre"):
        messaging.acknowledge(User.get_by_id(next(iter(waiting))), old.id)

    told = Message.get(Message.subject.startswith("Planen är öppnad igen"))
    assert told.requires_ack and told.kind == MessageKind.APPROVAL.value
    assert "Skäl: Fel tid för duschen" in told.body
    recipients = {r.recipient_id for r in Receipt.select().where(Receipt.message == told)}
    assert recipients == {manager.id, nurse.id}


def test_reopened_plan_puts_approve_again_on_each_approvers_todo(approved: dict) -> None:
    officer, manager, nurse = approved["officer"], approved["manager"], approved["nurse"]
    plan.reopen(officer, plan.get_version(approved["plan"].id), reason="Fel tid för duschen")
    for user in (manager, nurse):
        rows = [r for r in todo.todo_for(user, today=LATER)
                if r.what.startswith("Godkänn planen igen")]
        assert len(rows) == 1 and rows[0].target is todo.Target.CASE_PLAN
        assert rows[0].case_id == approved["case"].id
        assert "Fel tid för duschen" in rows[0].detail
    region = approved["region"]
    plan.approve(nurse, plan.get_version(approved["plan"].id), region.id)
    assert not any(w.startswith("Godkänn planen igen") for w in whats(nurse))
    assert any(w.startswith("Godkänn planen igen") for w in whats(manager))  # kommun: not yet


# ---- B: stale kvittens ------------------------------------------------------------------------

@pytest.fixture
def invited(db: peewee.Database) -> dict:
    world = kallelse_world()
    world["meeting"] = invitation.send_invitation(world["officer"], world["case"],
                                                  good_draft(world), current=NOW)
    world["kallelse"] = Message.get(Message.kind == MessageKind.INVITATION.value)
    return world


def my_receipt(user: User, message: Message) -> Receipt:
    return Receipt.get((Receipt.message == message) & (Receipt.recipient == user))


def test_answering_a_kallelse_is_its_kvittens(invited: dict) -> None:
    """DOMAIN step 4: every invited participant with an account acknowledges the kallelse and
    answers whether they come — one answer does both."""
    nurse, kallelse = invited["nurse"], invited["kallelse"]
    today = clock.today()
    assert f"Kvittera: {kallelse.subject}" in whats(nurse, today)
    invitation.answer_invitation(nurse, kallelse.id, invitation.Answer.COMING)
    assert my_receipt(nurse, kallelse).acknowledged_at is not None
    assert f"Kvittera: {kallelse.subject}" not in whats(nurse, today)
    assert messaging.badge(nurse).unacknowledged == 0
    # Answering again (changing one's mind) is no error.
    invitation.answer_invitation(nurse, kallelse.id, invitation.Answer.NOT_COMING,
                                 substitute_name="Eva Ek")
    assert my_receipt(invited["manager"], kallelse).acknowledged_at is None  # only one's own


def test_a_kallelse_to_a_meeting_that_has_passed_asks_no_more(
        invited: dict, time_machine: time_machine.TimeMachineFixture) -> None:
    manager, kallelse = invited["manager"], invited["kallelse"]
    time_machine.move_to(dt.datetime.combine(MEETING.date() + dt.timedelta(days=1),
                                             dt.time(9), tzinfo=clock.STOCKHOLM))
    assert not any(w.startswith("Kvittera: Kallelse") for w in whats(manager, clock.today()))
    assert messaging.badge(manager).unacknowledged == 0
    assert Message.get_by_id(kallelse.id).ack_ended_why == AckEnded.MEETING_PASSED.value
    assert not any("har inte kvitterat" in w for w in whats(invited["officer"], LATER))


def test_a_held_meeting_ends_the_kallelse_kvittens(invited: dict) -> None:
    from sipdesk.meetings import meeting

    people = invitation.participants_of(invited["meeting"])
    meeting.mark_held(invited["officer"], invited["meeting"], {p.id: True for p in people},
                      current=MEETING + dt.timedelta(hours=1))
    assert Message.get_by_id(invited["kallelse"].id).ack_ended_why \
        == AckEnded.MEETING_PASSED.value
    assert messaging.badge(invited["nurse"]).unacknowledged == 0


def test_a_closed_case_asks_no_one_to_acknowledge_what_came_before(invited: dict) -> None:
    """DOMAIN step 11: everyone is told of the closure with kvittens — and only that waits."""
    officer, nurse, kallelse = invited["officer"], invited["nurse"], invited["kallelse"]
    lifecycle.close_case(officer, Case.get_by_id(invited["case"].id), closed_on=clock.today(),
                         reason=ClosureReason.NO_MORE_NEED)
    kallelse = Message.get_by_id(kallelse.id)
    assert kallelse.ack_ended_why == AckEnded.CASE_CLOSED.value
    assert messaging.ended_text(kallelse) == "ärendet är avslutat"
    assert [w for w in whats(nurse) if w.startswith("Kvittera")] == [
        f"Kvittera: Ärendet avslutas: {invited['case'].number}"]
    assert messaging.ended_kvittens([kallelse.id]) == {kallelse.id: AckEnded.CASE_CLOSED}


# ---- C: who has not acknowledged ----------------------------------------------------------------

def test_who_has_not_acknowledged_by_name_and_for_how_long(
        invited: dict, time_machine: time_machine.TimeMachineFixture) -> None:
    officer, manager, kallelse = invited["officer"], invited["manager"], invited["kallelse"]
    messaging.acknowledge(manager, kallelse.id)
    time_machine.move_to(dt.datetime(2026, 11, 25, 9, tzinfo=clock.STOCKHOLM))
    row = next(r for r in todo.todo_for(officer, today=clock.today())
               if "har inte kvitterat" in r.what)
    assert row.what == f"1 mottagare har inte kvitterat: {kallelse.subject}"
    assert row.detail == "Inte kvitterat: Per Nord (3 dagar)"
    summary = messaging.recipients_of([kallelse.id])[kallelse.id]
    assert summary.names == ("Maria Holm", "Per Nord")
    assert messaging.waiting_text(summary.waiting, clock.today()) == "Per Nord (3 dagar)"
    waiting = (messaging.Waiting("Per Nord", dt.datetime(2026, 11, 22, 12)),
               messaging.Waiting("Maria Holm", dt.datetime(2026, 11, 25, 8)))
    assert messaging.waiting_text(waiting, clock.today()) == \
        "Per Nord (3 dagar) och Maria Holm (i dag)"


# ---- D: refraining from a SIP -------------------------------------------------------------------

def register_need(world: dict, **who: object) -> None:
    lifecycle.register_need(world["officer"], world["case"], NeedInput(
        noticed_on=clock.today(), need="Behöver hjälp att samordna", question="Hur?",
        **who))  # type: ignore[arg-type]


def test_refusing_tells_the_user_who_raised_the_need(db: peewee.Database) -> None:
    """DOMAIN step 1: refusing only by exception, the reason documented — and the one who
    noticed the need learns the outcome, with kvittens."""
    world = kallelse_world()
    register_need(world, noticed_by=NoticedBy.STAFF, noticed_by_user=world["manager"])
    with pytest.raises(ValidationError):
        lifecycle.refuse(world["officer"], world["case"], reason=" ")
    done = lifecycle.refuse(world["officer"], Case.get_by_id(world["case"].id),
                            reason="Vården samordnas redan i en annan plan.")
    assert done.case.status == CaseStatus.REFUSED.value
    assert CaseStatus.REFUSED.label == "SIP blev inte av"
    assert done.message is not None and done.tell_otherwise == ""
    assert done.told == (world["manager"].full_name,)  # read with it, for saying so
    assert done.message.requires_ack
    assert "Skäl: Vården samordnas redan i en annan plan." in done.message.body
    assert [r.recipient_id for r in Receipt.select().where(Receipt.message == done.message)] \
        == [world["manager"].id]
    assert f"Kvittera: Det blir ingen SIP: {world['case'].number}" in whats(world["manager"])


def test_refusing_when_a_relative_raised_the_need_says_whom_to_tell(db: peewee.Database
                                                                     ) -> None:
    world = kallelse_world()
    register_need(world, noticed_by=NoticedBy.RELATIVE, noticed_by_name="Greta Öberg, dotter")
    done = lifecycle.refuse(world["officer"], world["case"], reason="Behovet är redan mött.")
    assert done.message is None and done.told == ()
    assert "Greta Öberg, dotter" in done.tell_otherwise
    assert "brev eller telefon" in done.tell_otherwise


def test_the_letter_to_the_person_says_why_and_whom_to_call(db: peewee.Database) -> None:
    from reports.refusal_letter import render_refusal_letter

    world = kallelse_world()
    lifecycle.refuse(world["officer"], world["case"], reason="Behovet är redan mött.")
    buffer = io.BytesIO()
    render_refusal_letter(world["case"].id, buffer)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    assert "Det blir ingen SIP just nu" in text
    assert "Behovet är redan mött." in text
    assert "Ring Anna Berg" in text and "0000-12 34 56" in text
