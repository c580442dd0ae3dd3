"""Every held meeting's evaluations stay reachable (seed 002 "Utvärdera mötet"), on both engines:
after a follow-up meeting is invited — and after it is held — the Kallelse tab's read
(`meeting_page`) still carries the first meeting's evaluations, each meeting's kept apart,
newest meeting first."""

from __future__ import annotations

import datetime as dt

import peewee

from sipdesk.meetings import evaluation, invitation, meeting
from sipdesk.meetings.evaluation import EvaluationInput, RespondentKind
from sipdesk.meetings.meeting_page import held_meetings, meeting_page
from sipdesk.plans import plan
from sipdesk.storage.models import Case
from tests.plan_scenarios import approve_all, fill, plan_world
from tests.scenarios import good_draft

FOLLOW_UP = dt.datetime(2027, 3, 10, 13, 0)


def follow_up_world() -> dict:
    """plan_world with the first meeting evaluated by the person, the plan approved, and the
    follow-up meeting invited (not held yet)."""
    world = plan_world()
    evaluation.register_evaluation(world["officer"], world["meeting"], EvaluationInput(
        RespondentKind.PERSON, {"listened": 5}, comment="Bra möte."))
    approve_all(world, fill(world))
    draft = good_draft(world)
    draft.starts_at = FOLLOW_UP
    draft.staff_meeting_at = FOLLOW_UP - dt.timedelta(days=7)
    world["follow_up"] = invitation.send_invitation(
        world["officer"], Case.get_by_id(world["case"].id), draft,
        current=FOLLOW_UP - dt.timedelta(days=21))
    return world


def test_every_held_meetings_evaluations_stay_reachable_after_a_follow_up(
        db: peewee.Database) -> None:
    """Rule 002, evaluation kept apart per respondent — and per meeting: the first meeting's
    evaluation is still read once the follow-up is the current meeting, and both meetings'
    once the follow-up is held and evaluated too."""
    world = follow_up_world()
    case = Case.get_by_id(world["case"].id)
    page = meeting_page(case)
    assert page.meeting is not None and page.meeting.id == world["follow_up"].id
    assert page.evaluations == []  # the follow-up is not held yet
    assert [h.meeting.id for h in page.held] == [world["meeting"].id]
    [first] = page.held
    assert [(e.kind, e.comment) for e in first.evaluations] == [
        (RespondentKind.PERSON, "Bra möte.")]

    follow_up = world["follow_up"]
    meeting.mark_held(world["officer"], follow_up,
                      {p.id: True for p in invitation.participants_of(follow_up)},
                      current=FOLLOW_UP + dt.timedelta(hours=1))
    evaluation.register_evaluation(world["officer"], follow_up, EvaluationInput(
        RespondentKind.GUARDIAN, {"listened": 3}, respondent_name="Greta Öberg"))
    held = held_meetings(Case.get_by_id(case.id))
    assert [h.meeting.id for h in held] == [follow_up.id, world["meeting"].id]
    assert [[e.comment or e.respondent_name for e in h.evaluations] for h in held] == [
        ["Greta Öberg"], ["Bra möte."]]
    page = meeting_page(Case.get_by_id(case.id))
    assert [e.respondent_name for e in page.evaluations] == ["Greta Öberg"]
    assert not any(h.child for h in held)
    assert plan.versions(case)  # (the follow-up rests on the approved plan)
