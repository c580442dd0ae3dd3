"""Migration 0011 settles cases that ended before version 10 (issue 16 point 7 and 5): no next
date on an ended case, and nothing said in it before it ended still asks for kvittens — the
closure notice excepted. Run on both engines against rows written the old way."""

from __future__ import annotations

import datetime as dt
import importlib

import peewee

from sipdesk import clock
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Message, MessageKind, Receipt
from sipdesk.storage.models import Case, CaseStatus
from tests.factories import PNR_OTHER, make_case, make_person, make_user

settle = importlib.import_module("sipdesk.migrations.0011_ended_cases_settle")


def _waiting(message: Message) -> int:
    return Receipt.select().where((Receipt.message == message)
                                  & (Receipt.needs_ack == True)).count()  # noqa: E712


def test_cases_that_ended_the_old_way_settle(db: peewee.Database) -> None:
    anna = make_user("anna.berg")
    per = make_user("per.nord", full_name="Per Nord", unit=anna.unit)
    ended, still_open = make_case(anna), make_case(anna, make_person(PNR_OTHER, "Östen", "Ek"))
    next_week = clock.today() + dt.timedelta(days=7)
    for case, status in ((ended, CaseStatus.CLOSED), (still_open, CaseStatus.INVITED)):
        Case.update(status=status.value, next_date=next_week).where(Case.id == case.id).execute()

    def sent(case: Case, kind: MessageKind) -> Message:
        return messaging.send(anna, subject="Om ärendet", body="Hej", to=[per], case=case,
                              kind=kind, requires_ack=True)

    old_kallelse = sent(ended, MessageKind.INVITATION)
    closure_notice = sent(ended, MessageKind.CLOSURE)
    open_kallelse = sent(still_open, MessageKind.INVITATION)

    settle.up(None, db)

    assert Case.get_by_id(ended.id).next_date is None
    assert Case.get_by_id(still_open.id).next_date == next_week
    old = Message.get_by_id(old_kallelse.id)
    assert (old.ack_ended_why, _waiting(old)) == ("case_closed", 0)
    assert old.ack_ended_at.date() == clock.today()
    for untouched in (closure_notice, open_kallelse):
        row = Message.get_by_id(untouched.id)
        assert (row.ack_ended_at, _waiting(row)) == (None, 1)
