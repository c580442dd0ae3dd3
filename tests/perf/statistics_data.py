"""Meetings, plans, follow-ups and kvittenser in bulk for the statistics benchmark.

The demo data (`sipdesk.demo.fill_demo`) makes 100,000 cases, but only its dozen showcase cases
get meetings and plans. Statistics read those tables too, so the benchmark adds them to a copy of
the demo database: for most cases with a consent, a held SIP meeting (the person, an
outpatient-care representative and, when needed, an interpreter invited), an established plan with
two principals' parts finished and approved a few days later, a follow-up date — then for some a
follow-up meeting and a second plan version, for a few a skipped follow-up — and one message
requiring kvittens per meeting with three receipts. Rows go in with executemany (seconds, not
minutes); dates are drawn around each case's consent, the way the app would have written them.
"""

from __future__ import annotations

import datetime as dt
import random

from sipdesk.demo import _bulk
from sipdesk.storage.db import database
from sipdesk.storage.meeting_records import Meeting, Participant
from sipdesk.storage.message_records import Message, Receipt
from sipdesk.storage.plan_records import PlanVersion, PrincipalPart

MEETING_SHARE = 0.6  # of the cases with a consent
FOLLOW_UP_SHARE = 0.4  # of the plans: followed up with a new version
SKIPPED_SHARE = 0.05
PURPOSE = "Hur kan stödet samordnas?"


def _ids(table: str, where: str = "") -> list[int]:
    return [row[0] for row in database.execute_sql(
        f'SELECT id FROM "{table}" {where} ORDER BY id').fetchall()]


def add_meetings_and_plans(*, today: dt.date, seed: int = 15) -> dict[str, int]:
    """Add the rows to the bound (demo) database; returns how many of each were made."""
    rng = random.Random(seed)
    latest = dt.datetime.combine(today, dt.time(9))
    cases = database.execute_sql(
        "SELECT c.id, c.coordinator_id, p.needs_interpreter, MIN(co.given_on)"
        " FROM sip_case c JOIN person p ON p.id = c.person_id"
        " JOIN consent co ON co.case_id = c.id"
        " WHERE NOT EXISTS (SELECT 1 FROM meeting m WHERE m.case_id = c.id)"
        " GROUP BY c.id, c.coordinator_id,"
        " p.needs_interpreter ORDER BY c.id").fetchall()
    principals = _ids("principal")[:2]
    users = _ids("app_user")
    made = {"meetings": 0, "plans": 0, "receipts": 0}
    with database.atomic():
        chosen: list[tuple[int, int, dt.datetime, bool]] = []
        for case_id, coordinator, interpreter, given in cases:
            if rng.random() > MEETING_SHARE:
                continue
            if isinstance(given, str):
                given = dt.date.fromisoformat(given)
            starts = dt.datetime.combine(given + dt.timedelta(days=rng.randint(7, 40)),
                                         dt.time(13))
            if starts <= latest - dt.timedelta(days=3):
                chosen.append((case_id, coordinator, starts, bool(interpreter)))
        first_meeting = (_ids("meeting") or [0])[-1]
        _bulk(Meeting, [Meeting.case, Meeting.purpose, Meeting.starts_at, Meeting.place,
                        Meeting.status, Meeting.created_by, Meeting.created_at],
              [(case_id, PURPOSE, starts, "Hemma hos den enskilde", "held", coordinator, starts)
               for case_id, coordinator, starts, _i in chosen])
        meeting_ids = _ids("meeting", f"WHERE id > {first_meeting}")
        participants: list[tuple[object, ...]] = []
        for meeting_id, (_case, _coordinator, _starts, interpreter) in zip(
                meeting_ids, chosen, strict=True):
            person = rng.choice((None, True, True, True, False))
            participants.append((meeting_id, "person", "Den enskilde", "letter", person, False))
            participants.append((meeting_id, "professional", "Vårdcentralen", "message",
                                 rng.random() < 0.8, True))
            if interpreter and rng.random() < 0.7:
                participants.append((meeting_id, "interpreter", "Tolk", "phone", True, False))
        _bulk(Participant, [Participant.meeting, Participant.kind, Participant.name,
                            Participant.how_invited, Participant.attended,
                            Participant.outpatient], participants)
        made["meetings"] = len(meeting_ids)

        plan_rows: list[tuple[object, ...]] = []
        follow_ups = []
        for meeting_id, (case_id, coordinator, starts, _interpreter) in zip(
                meeting_ids, chosen, strict=True):
            day = starts.date()
            follow_up = day + dt.timedelta(days=rng.randint(120, 300))
            skipped = rng.random() < SKIPPED_SHARE
            approved = starts + dt.timedelta(days=rng.randint(2, 14))
            locked = approved if approved <= latest else None
            plan_rows.append((case_id, meeting_id, 1, "establish", day, coordinator,
                              None if skipped else follow_up,
                              "Den enskilde vill vänta" if skipped else "", locked, None))
            if not skipped and locked is not None and rng.random() < FOLLOW_UP_SHARE:
                held = follow_up + dt.timedelta(days=rng.randint(-20, 25))
                if held < today:
                    follow_ups.append((case_id, held, coordinator))
        plan_fields = [PlanVersion.case, PlanVersion.meeting, PlanVersion.number,
                       PlanVersion.kind, PlanVersion.meeting_date, PlanVersion.documented_by,
                       PlanVersion.follow_up_date, PlanVersion.follow_up_skipped_reason,
                       PlanVersion.locked_at, PlanVersion.previous]
        first_plan = (_ids("plan_version") or [0])[-1]
        _bulk(PlanVersion, plan_fields, plan_rows)
        first_ids = _ids("plan_version", f"WHERE id > {first_plan}")
        by_case = {row[0]: plan_id for row, plan_id in zip(plan_rows, first_ids, strict=True)}
        _bulk(PlanVersion, plan_fields, [
            (case_id, None, 2, "follow_up", held, coordinator, None, "",
             dt.datetime.combine(held, dt.time(15)), by_case[case_id])
            for case_id, held, coordinator in follow_ups])
        made["plans"] = len(plan_rows) + len(follow_ups)

        parts = []
        for plan_id, row in zip(first_ids, plan_rows, strict=True):
            day = row[4]
            assert isinstance(day, dt.date)
            for principal in principals:
                finished = dt.datetime.combine(
                    day + dt.timedelta(days=rng.choice((0, 1, 1, 2, 2, 3, 5))), dt.time(16))
                approved = finished + dt.timedelta(days=rng.randint(0, 10))
                parts.append((plan_id, principal, min(finished, latest),
                              min(approved, latest) if row[8] else None, users[0], users[0]))
        _bulk(PrincipalPart, [PrincipalPart.plan, PrincipalPart.principal,
                              PrincipalPart.finished_at, PrincipalPart.approved_at,
                              PrincipalPart.finished_by, PrincipalPart.approved_by], parts)

        first_message = (_ids("message") or [0])[-1]
        sent_at = [starts - dt.timedelta(days=18) for _c, _co, starts, _i in chosen]
        _bulk(Message, [Message.case, Message.sender, Message.subject, Message.body,
                        Message.kind, Message.requires_ack, Message.sent_at],
              [(case_id, coordinator, "Kallelse", "Kvittera kallelsen", "invitation", True, sent)
               for (case_id, coordinator, _s, _i), sent in zip(chosen, sent_at, strict=True)])
        message_ids = _ids("message", f"WHERE id > {first_message}")
        receipts = []
        for message_id, sent in zip(message_ids, sent_at, strict=True):
            for recipient in rng.sample(users, 3):
                acknowledged = (None if rng.random() < 0.1 else
                                sent + dt.timedelta(minutes=rng.randint(5, 60 * 72)))
                receipts.append((message_id, recipient, sent, acknowledged,
                                 acknowledged is None))
        _bulk(Receipt, [Receipt.message, Receipt.recipient, Receipt.delivered_at,
                        Receipt.acknowledged_at, Receipt.needs_ack], receipts)
        made["receipts"] = len(receipts)
    return made
