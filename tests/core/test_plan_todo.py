"""Att göra for the plan (DOMAIN steps 8 and 10) on both engines: the documentation deadline of
two working days for everyone taking part, red when passed; the follow-up reminder 30 days ahead
for the coordinator, gone once the follow-up is called or skipped. Plus the small core helpers
the plan's GUI uses: who may write a part, which meeting to document, plain-language hints in
one text."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
import time_machine

from sipdesk.desk import todo
from sipdesk.desk.todo import Target
from sipdesk.meetings import invitation
from sipdesk.plans import plan
from sipdesk.storage.models import Case, Principal, User
from tests.core.test_plan import approve_all, fill_plan
from tests.factories import make_unit, make_user
from tests.plan_scenarios import plan_world
from tests.scenarios import MEETING, good_draft, held_meeting, kallelse_world


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def plan_rows(user: object, day: dt.date) -> list[todo.TodoRow]:
    return [r for r in todo.todo_for(user, today=day)  # type: ignore[arg-type]
            if r.target is Target.CASE_PLAN]


def test_documentation_deadline_reaches_everyone_taking_part(world: dict) -> None:
    """DOMAIN step 8: finished within two working days (Thu 10 Dec 2026 → Mon 14 Dec)."""
    case: Case = world["case"]
    for who in ("officer", "manager", "nurse"):  # coordinator and participants with accounts
        rows = plan_rows(world[who], dt.date(2026, 12, 11))
        assert [(r.what, r.case_number, r.since, r.target_id, r.overdue) for r in rows] == [
            ("Dokumentationen ska vara klar 2026-12-14", case.number, MEETING.date(), case.id,
             False)]
    outsider = make_user("karl.lind", unit=make_unit("Hemtjänst Söder"), full_name="Karl Lind")
    assert plan_rows(outsider, dt.date(2026, 12, 11)) == []


def test_documentation_past_its_deadline_is_overdue(world: dict) -> None:
    assert not plan_rows(world["manager"], dt.date(2026, 12, 14))[0].overdue
    assert plan_rows(world["manager"], dt.date(2026, 12, 15))[0].overdue


def test_documentation_row_goes_when_every_part_is_finished(world: dict) -> None:
    p = fill_plan(world)
    kommun = Principal.get(Principal.name == "Exempelby kommun")
    region = Principal.get(Principal.name == "Region Exempelland")
    plan.mark_part_finished(world["manager"], p, kommun.id)
    assert plan_rows(world["officer"], dt.date(2026, 12, 15)) != []  # the region is not done
    plan.mark_part_finished(world["nurse"], p, region.id)
    assert plan_rows(world["officer"], dt.date(2026, 12, 15)) == []


def test_follow_up_reminder_thirty_days_ahead_for_the_coordinator(world: dict) -> None:
    """DOMAIN step 10: an automatic reminder before the follow-up (here 2027-03-10)."""
    p = fill_plan(world)
    approve_all(world, p)
    assert plan_rows(world["officer"], dt.date(2027, 2, 7)) == []
    rows = plan_rows(world["officer"], dt.date(2027, 2, 8))
    assert [(r.what, r.since, r.overdue) for r in rows] == [
        ("Uppföljning 2027-03-10", dt.date(2027, 2, 8), False)]
    assert plan_rows(world["officer"], dt.date(2027, 3, 11))[0].overdue
    assert plan_rows(world["manager"], dt.date(2027, 2, 8)) == []  # the coordinator follows up


def test_follow_up_reminder_goes_when_the_follow_up_is_called(world: dict) -> None:
    p = fill_plan(world)
    approve_all(world, p)
    draft = good_draft(world)
    draft.follow_up = True
    draft.starts_at = dt.datetime(2027, 3, 10, 10, 0)
    draft.staff_meeting_at = dt.datetime(2027, 3, 5, 10, 0)
    invitation.send_invitation(world["officer"], Case.get_by_id(world["case"].id), draft,
                               current=dt.datetime(2027, 2, 8, 9, 0))
    assert plan_rows(world["officer"], dt.date(2027, 2, 9)) == []


def test_a_skipped_follow_up_is_not_reminded(world: dict) -> None:
    p = fill_plan(world)
    approve_all(world, p)
    plan.skip_follow_up(world["officer"], plan.get_version(p.id), reason="Den enskilde flyttade")
    assert plan_rows(world["officer"], dt.date(2027, 3, 1)) == []


def test_meeting_to_document_is_the_held_meeting_without_a_plan(db: peewee.Database) -> None:
    found = kallelse_world()
    assert plan.meeting_to_document(found["case"]) is None  # no meeting yet
    held = held_meeting(found)
    assert plan.meeting_to_document(Case.get_by_id(found["case"].id)).id == held.id
    plan.start_documentation(found["officer"], held)
    assert plan.meeting_to_document(Case.get_by_id(found["case"].id)) is None


def test_meeting_to_document_ignores_a_meeting_not_yet_held(db: peewee.Database) -> None:
    found = kallelse_world()
    invitation.send_invitation(found["officer"], found["case"], good_draft(found),
                               current=dt.datetime(2026, 11, 23, 9, 0))
    assert plan.meeting_to_document(Case.get_by_id(found["case"].id)) is None


def test_may_write_for_own_principal_and_coordinator_on_behalf(world: dict) -> None:
    p: plan.PlanVersion = world["plan"]
    kommun = Principal.get(Principal.name == "Exempelby kommun")
    region = Principal.get(Principal.name == "Region Exempelland")
    school = Principal.create(name="Exempelby skola", kind="other")
    plan.save_participant(world["officer"], p, name="Lärare Lind", initials="LL",
                          profession="Lärare", organisation="Skolan", contact="010-1",
                          principal_id=school.id)
    assert plan.may_write_for(world["manager"], p, kommun.id)
    assert not plan.may_write_for(world["manager"], p, region.id)
    assert plan.may_write_for(world["officer"], p, school.id)  # no account: the coordinator
    assert not plan.may_write_for(world["officer"], p, region.id)  # Per Nord has an account
    assert not plan.may_write_for(world["nurse"], p, school.id)


def test_text_hints_name_the_word_and_a_plain_wording() -> None:
    hints = dict(plan.text_hints("Hjälp med ADL enl. BiB"))
    assert set(hints) >= {"ADL", "BiB"}
    assert "vardagliga" in hints["ADL"]
    assert plan.text_hints("Hjälp att duscha på morgonen") == []
    assert plan.text_hints("LADLE") == []  # whole words only


# Meetings the day before a free day: the deadline skips it (rules.workdays).
BEFORE_FREE_DAYS = [
    # Wed 5 May 2027, the day before Kristi himmelsfärdsdag → Fri 7 May (1), Mon 10 May (2)
    (dt.date(2027, 5, 5), dt.date(2027, 5, 10), "Kristi himmelsfärdsdag"),
    # Thu 24 June 2027, the day before midsommarafton → Mon 28 June (1), Tue 29 June (2)
    (dt.date(2027, 6, 24), dt.date(2027, 6, 29), "midsommarafton"),
]


@pytest.mark.parametrize(("met", "deadline", "free"), BEFORE_FREE_DAYS,
                         ids=["kristi_himmelsfard", "midsommarafton"])
def test_documentation_reminder_from_the_held_meeting_until_documentation_starts(
        db: peewee.Database, time_machine: time_machine.TimeMachineFixture, met: dt.date,
        deadline: dt.date, free: str) -> None:
    """DOMAIN step 8: the plan is finished within two working days after the meeting (public
    holidays and the free eves are not working days). From the day the meeting is marked held,
    Att göra reminds its coordinator — "Dokumentera planen" with that deadline, red once it has
    passed — until the documentation starts, when the documentation row takes over (and goes
    when every part is finished). Only the coordinator is reminded before the plan exists."""
    from sipdesk.clock import STOCKHOLM
    from sipdesk.meetings import meeting
    from sipdesk.meetings.meeting_times import default_staff_meeting

    machine = time_machine  # the clock, frozen and moved day by day
    w = kallelse_world()
    starts = dt.datetime.combine(met, dt.time(10, 0))
    called = starts - dt.timedelta(days=21)
    draft = good_draft(w)
    draft.starts_at = starts
    draft.staff_meeting_at = default_staff_meeting(starts, called)
    row = invitation.send_invitation(w["officer"], w["case"], draft, current=called)

    def doing(day: dt.date, user: User | None = None) -> list[tuple[str, dt.date, bool]]:
        machine.move_to(dt.datetime.combine(day, dt.time(12, 0), tzinfo=STOCKHOLM))
        return [(r.what, r.since, r.overdue) for r in todo.todo_for(user or w["officer"])
                if r.target is Target.CASE_PLAN]

    assert doing(met) == []  # not held yet
    meeting.mark_held(w["officer"], row, {p.id: True for p in invitation.participants_of(row)},
                      current=starts + dt.timedelta(hours=1))
    due = f"Dokumentera planen — den ska vara klar {deadline:%Y-%m-%d}"
    assert doing(met) == [(due, met, False)]
    assert doing(deadline) == [(due, met, False)]
    assert doing(deadline + dt.timedelta(days=1)) == [(due, met, True)]
    assert doing(met, w["manager"]) == []  # the coordinator documents it, or hands it on
    [reminder] = [r for r in todo.todo_for(w["officer"], today=met) if r.what == due]
    assert reminder.detail == (f"Mötet hölls {met:%Y-%m-%d}. Planen ska vara klar inom två "
                               f"arbetsdagar ({free} räknas inte).")
    plan.start_documentation(w["officer"], invitation.Meeting.get_by_id(row.id))
    assert doing(met) == [(f"Dokumentationen ska vara klar {deadline:%Y-%m-%d}", met, False)]
