"""The plan's required fields as one core rule (`plan.required_field_problems`), which the
documentation wizard's pages and approval both ask: the main goal, the principal with overall
responsibility (DOMAIN.md step 8 item 4, SoL 2:7 / HSL 16:4) and the follow-up date, at most a
year after the meeting (step 10). Both engines."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.plans import plan
from tests.core.test_plan import fill_plan
from tests.plan_scenarios import plan_world
from tests.scenarios import MEETING


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def test_a_filled_plan_has_no_required_field_missing(world: dict) -> None:
    assert plan.required_field_problems(fill_plan(world)) == {}


def test_a_new_plan_lacks_the_goal_and_the_follow_up_date(world: dict) -> None:
    p = plan.get_version(world["plan"].id)
    problems = plan.required_field_problems(p)
    assert set(problems) == {"main_goal", "follow_up_date"}  # overall: the coordinator's
    assert problems["main_goal"].startswith("Skriv huvudmålet innan du går vidare")
    assert problems["follow_up_date"] == ("Välj datum för uppföljningen — planen följs upp "
                                          "minst en gång om året, senast 2027-12-10.")
    assert "Huvudmålet saknas." in plan.approval_problems(p)
    assert "Datum för uppföljning saknas." in plan.approval_problems(p)


def test_values_on_screen_are_read_over_the_stored_ones(world: dict) -> None:
    """The wizard asks with what the user has typed, saved or not."""
    p = fill_plan(world)
    problems = plan.required_field_problems(p, {"main_goal": "  ", "overall_principal": None})
    assert set(problems) == {"main_goal", "overall_principal"}
    assert problems["overall_principal"] == (
        "Välj vilken huvudman som har det övergripande ansvaret — lagen kräver att det står i "
        "planen.")
    assert plan.required_field_problems(p, {"main_goal": "Bo kvar hemma"}) == {}


def test_without_a_principal_in_the_plan_it_says_where_to_add_one(world: dict) -> None:
    p = fill_plan(world)
    plan.PrincipalPart.delete().where(plan.PrincipalPart.plan == p).execute()
    assert plan.required_field_problems(p, {"overall_principal": None}) == {
        "overall_principal": "Ingen huvudman deltar i planen ännu. Lägg till deltagare med "
                             "huvudman under Deltagare och välj sedan vem som har det "
                             "övergripande ansvaret."}


def test_overall_responsibility_is_required_by_law(world: dict) -> None:
    """DOMAIN.md step 8 item 4: which principal holds overall responsibility."""
    p = fill_plan(world)
    plan.update_fields(world["officer"], p, {"overall_principal": (
        p.overall_principal_id, None)})
    p = plan.get_version(p.id)
    assert "overall_principal" in plan.required_field_problems(p)
    assert ("4. Det står inte vilken huvudman som har det övergripande ansvaret."
            in plan.legal_problems(p))


@pytest.mark.parametrize(("day", "message"), [
    (MEETING.date(), "Uppföljningen ska ligga efter mötet."),
    (dt.date(2027, 12, 11), "Planen följs upp minst en gång om året — senast 2027-12-10."),
])
def test_follow_up_date_by_the_same_check_as_saving(world: dict, day: dt.date,
                                                    message: str) -> None:
    """DOMAIN.md step 10: at least once a year — `check_follow_up_date` decides."""
    p = fill_plan(world)
    assert plan.required_field_problems(p, {"follow_up_date": day}) == {
        "follow_up_date": message}
    assert plan.required_field_problems(p, {"follow_up_date": dt.date(2027, 12, 10)}) == {}


def test_a_skipped_follow_up_needs_no_date(world: dict) -> None:
    p = fill_plan(world)
    plan.update_fields(world["officer"], p, {"follow_up_date": (p.follow_up_date, None)})
    plan.skip_follow_up(world["officer"], plan.get_version(p.id), reason="Flyttar till Norge")
    assert plan.required_field_problems(plan.get_version(p.id)) == {}
