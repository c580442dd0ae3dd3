"""Att göra for the plan (DOMAIN steps 8 and 10) on both engines: the documentation deadline of
two working days for everyone taking part, red when passed; the follow-up reminder 30 days ahead
for the coordinator, gone once the follow-up is called or skipped. Plus the small core helpers
the plan's GUI uses: who may write a part, which meeting to document, plain-language hints in
one text."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.desk import todo
from sipdesk.desk.todo import Target
from sipdesk.meetings import invitation
from sipdesk.plans import plan
from sipdesk.storage.models import Case, Principal
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
