"""The child's own voice (seed 002 §2.1.1 and §4, DOMAIN.md "Children") on both engines: the
child's words, how the child was asked and how the views were weighed are saved with the plan;
the child's words are optional — "Barnet ville inte säga något" is a valid answer, never a
validation error or an approval problem; the child is asked again at a follow-up; the
återkoppling to the child (who told the child what their voice meant, and when) is recorded,
and Att göra and the overview remind the coordinator until it is."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.desk import todo
from sipdesk.desk.next_step import next_step
from sipdesk.desk.todo import Target
from sipdesk.errors import ValidationError
from sipdesk.plans import child_voice, plan
from sipdesk.plans.child_voice import AskedWay, ChildVoice, FeedbackInput
from sipdesk.plans.plan_documentation import documentation_view
from sipdesk.plans.plan_page import plan_page
from sipdesk.storage.models import Case, Person
from tests.child_scenarios import approve_child_plan, child_plan_world, fill_child_plan
from tests.plan_scenarios import plan_world
from tests.scenarios import MEETING

AFTER = dt.date(2026, 12, 15)


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return child_plan_world()


def feedback_rows(user: object, day: dt.date = AFTER) -> list[todo.TodoRow]:
    return [r for r in todo.todo_for(user, today=day)  # type: ignore[arg-type]
            if r.what == todo.FEEDBACK_TODO]


def test_a_child_is_under_18_on_the_meeting_day() -> None:
    """The child's page and the återkoppling are for a person under 18 on the meeting day, by
    the birth date in the personal number: 18 that very day is an adult."""
    meeting = plan.PlanVersion(meeting_date=dt.date(2026, 12, 10))
    assert child_voice.is_child_plan(meeting, Person(personal_number="20081211-2381"))
    assert not child_voice.is_child_plan(meeting, Person(personal_number="20081210-2382"))
    assert not child_voice.is_child_plan(meeting, Person(personal_number="20081209-2393"))


def test_the_documentation_knows_a_child_under_18_on_the_meeting_day(world: dict) -> None:
    view = documentation_view(world["officer"], world["plan"].id, today=AFTER)
    assert view.is_child
    page = plan_page(world["officer"], world["case"], AFTER)
    assert page.child_versions == {world["plan"].id}


def test_the_childs_words_how_asked_and_how_weighed_are_saved(world: dict) -> None:
    """Seed 002 §4: the child's own words; before, at the meeting, through someone they trust,
    with pictures; weighed by age and maturity."""
    p = world["plan"]
    ways = child_voice.asked_text([AskedWay.PICTURES, AskedWay.BEFORE, AskedWay.TRUSTED])
    assert ways == "before,trusted,pictures"  # one stored order, whatever the clicks' order
    conflicts = plan.update_fields(world["officer"], p, {
        "child_views": ("", "Jag vill vila efter lunch. Jag vill inte byta skola."),
        "child_asked": ("", ways),
        "child_trusted": ("", "Mormor Elsa"),
        "child_weighing": ("", "Lo är nio år och berättar tydligt vad som är jobbigt. Hennes "
                               "önskan om vila blev en insats."),
    })
    assert conflicts == []
    voice = ChildVoice.of(plan.get_version(p.id))
    assert voice.words.startswith("Jag vill vila")
    assert voice.ways == (AskedWay.BEFORE, AskedWay.TRUSTED, AskedWay.PICTURES)
    assert voice.ways_text() == ("Före mötet, genom någon barnet litar på (Mormor Elsa) och med "
                                 "bilder")
    assert not voice.silent and not voice.said_nothing


def test_the_childs_words_are_optional_ville_inte_saga_nagot_is_valid(world: dict) -> None:
    """Seed 002 §2.1.1: a child has no duty to have or give an opinion — "Barnet ville inte
    säga något" is saved without words, and the plan is approved with it (no validation error,
    no approval problem)."""
    p = fill_child_plan(world)
    assert plan.update_fields(world["officer"], p, {"child_silent": (False, True),
                                                    "child_asked": ("", "at_meeting")}) == []
    p = plan.get_version(p.id)
    assert ChildVoice.of(p).said_nothing
    assert not any("barn" in problem.casefold() for problem in plan.approval_problems(p))
    assert approve_child_plan(world, p).locked


def test_a_childs_plan_is_approved_with_nothing_of_the_childs_voice_written(
        world: dict) -> None:
    """The child's words are never required: not even the silent answer is asked for."""
    p = fill_child_plan(world)
    assert ChildVoice.of(p).is_empty
    assert plan.approval_problems(p) == []
    assert approve_child_plan(world, p).locked


def test_only_the_known_ways_of_asking_are_stored(world: dict) -> None:
    with pytest.raises(ValidationError) as refused:
        plan.update_fields(world["officer"], world["plan"], {"child_asked": ("", "dreams")})
    assert refused.value.field == "child_asked"
    assert plan.get_version(world["plan"].id).child_asked == ""


def test_the_child_is_asked_again_at_a_follow_up(world: dict) -> None:
    """What the child said at a meeting stays in that meeting's version; a follow-up starts with
    an empty page for the child, while the goals are carried over."""
    from sipdesk.meetings import invitation, meeting
    from tests.child_scenarios import child_draft
    from tests.scenarios import NOW

    p = fill_child_plan(world)
    plan.update_fields(world["officer"], p, {"child_views": ("", "Jag vill vila."),
                                             "child_silent": (False, False),
                                             "child_weighing": ("", "Vägdes tungt.")})
    approve_child_plan(world, plan.get_version(p.id))
    draft = child_draft(world)
    draft.follow_up = True
    draft.starts_at = dt.datetime(2027, 3, 10, 13, 0)
    draft.staff_meeting_at = None
    draft.staff_meeting_skipped_reason = "Samma deltagare som förra gången"
    row = invitation.send_invitation(world["officer"], Case.get_by_id(world["case"].id), draft,
                                     current=NOW)
    meeting.mark_held(world["officer"], row,
                      {x.id: True for x in invitation.participants_of(row)},
                      current=dt.datetime(2027, 3, 10, 14, 0))
    second = plan.start_documentation(world["officer"], invitation.Meeting.get_by_id(row.id))
    assert second.main_goal.startswith("Att Lo orkar")  # carried over
    assert ChildVoice.of(second).is_empty  # asked again
    assert ChildVoice.of(plan.get_version(p.id)).words == "Jag vill vila."  # kept where said


def test_feedback_to_the_child_records_who_and_when(world: dict) -> None:
    """Seed 002: "att vi återkopplar till barnet vilken betydelse deras röst har haft"."""
    p = world["plan"]
    row = child_voice.record_feedback(world["officer"], p, FeedbackInput(
        told_by=" Anna Berg och mamma Karin ", told_on=dt.date(2026, 12, 14),
        note="Vi ritade planen tillsammans. Lo blev glad över vilan efter lunch."), today=AFTER)
    assert (row.told_by, row.told_on) == ("Anna Berg och mamma Karin", dt.date(2026, 12, 14))
    again = child_voice.record_feedback(world["officer"], p, FeedbackInput(
        told_by="Anna Berg", told_on=dt.date(2026, 12, 15)), today=AFTER)
    assert again.id == row.id and again.told_on == dt.date(2026, 12, 15)  # corrected
    assert child_voice.feedback_of(p).told_by == "Anna Berg"
    assert plan_page(world["officer"], world["case"], AFTER).feedback[p.id].id == row.id


@pytest.mark.parametrize(("data", "field", "words"), [
    (FeedbackInput(told_by=" ", told_on=dt.date(2026, 12, 14)), "told_by", "vem"),
    (FeedbackInput(told_by="Anna", told_on=dt.date(2026, 12, 16)), "told_on", "framtiden"),
    (FeedbackInput(told_by="Anna", told_on=dt.date(2026, 12, 9)), "told_on", "efter mötet"),
])
def test_feedback_needs_a_name_and_a_day_after_the_meeting(
        world: dict, data: FeedbackInput, field: str, words: str) -> None:
    assert field in child_voice.feedback_problems(world["plan"], data, today=AFTER)
    with pytest.raises(ValidationError) as refused:
        child_voice.record_feedback(world["officer"], world["plan"], data, today=AFTER)
    assert refused.value.field == field and words in str(refused.value)
    assert child_voice.feedback_of(world["plan"]) is None


def test_feedback_is_for_a_childs_plan_only(db: peewee.Database) -> None:
    adult = plan_world()
    with pytest.raises(ValidationError, match="bara en plan för ett barn"):
        child_voice.record_feedback(adult["officer"], adult["plan"], FeedbackInput(
            told_by="Anna Berg", told_on=MEETING.date()), today=AFTER)


def test_att_gora_reminds_the_coordinator_of_feedback_until_it_is_recorded(
        world: dict) -> None:
    """From the day the plan is approved, the coordinator (only) is reminded to tell the child
    what their voice meant; recording it ends the reminder, and the overview's next step."""
    p = fill_child_plan(world)
    assert feedback_rows(world["officer"]) == []  # not approved yet: the plan is not settled
    approved = approve_child_plan(world, p)
    case = Case.get_by_id(world["case"].id)
    rows = feedback_rows(world["officer"])
    assert [(r.case_id, r.target, r.since) for r in rows] == [
        (case.id, Target.CASE_PLAN, approved.locked_at.date())]
    assert "version 1" in rows[0].detail
    assert feedback_rows(world["manager"]) == []  # the coordinator's duty
    assert "Berätta för barnet vad barnets röst betydde" in next_step(case, AFTER).text
    assert "Uppföljning 2027-03-10" in next_step(case, AFTER).text

    child_voice.record_feedback(world["officer"], approved, FeedbackInput(
        told_by="Anna Berg", told_on=AFTER), today=AFTER)
    assert feedback_rows(world["officer"]) == []
    assert "barnet" not in next_step(case, AFTER).text
    assert next_step(case, AFTER).next_date == dt.date(2027, 3, 10)


def test_an_adults_approved_plan_asks_for_no_feedback(db: peewee.Database) -> None:
    from tests.plan_scenarios import approve_all, fill

    adult = plan_world()
    approve_all(adult, fill(adult))
    assert feedback_rows(adult["officer"]) == []
    assert child_voice.feedback_due(coordinator=adult["officer"]) == []
