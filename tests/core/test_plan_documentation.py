"""What the documentation wizard reads and how it saves a field
(`sipdesk.plans.plan_documentation`),
on both engines: one read model with every name resolved (the UI thread runs no query on it),
who may write each part, read-only versions, and compare-and-set saving of the shared texts,
the sub-goals and the actions by others."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.errors import ValidationError
from sipdesk.plans import plan
from sipdesk.plans.plan_documentation import documentation_view, save_field
from sipdesk.storage.models import Principal
from tests.core.test_plan import approve_all, fill_plan
from tests.plan_scenarios import plan_world
from tests.queries import assert_query_count

TODAY = dt.date(2026, 12, 11)


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def principal_id(name: str) -> int:
    return Principal.get(Principal.name == name).id


def test_the_view_holds_the_plan_with_every_name_resolved(world: dict) -> None:
    p = fill_plan(world)
    view = documentation_view(world["manager"], p.id, today=TODAY)
    region = principal_id("Region Exempelland")
    with assert_query_count(0):  # read on the UI thread: nothing left to fetch
        assert view.case_number == world["case"].number
        assert not view.read_only and view.latest and view.case_open
        assert view.coordinator == world["officer"].full_name
        assert view.documented_by == world["officer"].full_name
        assert not view.is_child and not view.overdue
        parts = {part.name: part for part in view.parts}
        assert [part.name for part in view.parts] == ["Exempelby kommun", "Region Exempelland"]
        assert parts["Exempelby kommun"].own and parts["Exempelby kommun"].writable
        assert not parts["Region Exempelland"].own
        assert not parts["Region Exempelland"].writable  # Per Nord has an account
        assert {i.principal.name for i in view.interventions} == {
            "Exempelby kommun", "Region Exempelland"}
        assert view.stored("main_goal") == "Att kunna bo kvar hemma och känna mig trygg."
        assert view.stored("overall_principal") == p.overall_principal_id
        assert view.stored("sub_goals") == ["Gå ut på promenad varje dag", "Ta medicinerna"]
        assert view.stored("others") == ((("Dottern Greta", "Handlar varje lördag", ""),), False)
        assert view.legal_problems == [] and view.approval_problems == []
        assert {p.name for p in view.participants} >= {"Åsa Öberg", "Maria Holm"}
        assert view.principal_names[region] == "Region Exempelland"


def test_finished_parts_name_who_finished_them(world: dict) -> None:
    p = fill_plan(world)
    plan.mark_part_finished(world["manager"], p, principal_id("Exempelby kommun"))
    view = documentation_view(world["officer"], p.id, today=TODAY)
    part = next(part for part in view.parts if part.name == "Exempelby kommun")
    assert part.finished_at is not None and part.finished_by == "Maria Holm"
    other = next(part for part in view.parts if part.name == "Region Exempelland")
    assert other.finished_at is None and other.finished_by == ""


def test_a_late_plan_is_overdue_on_the_day_asked(world: dict) -> None:
    view = documentation_view(world["officer"], world["plan"].id, today=dt.date(2026, 12, 15))
    assert view.overdue


def test_a_locked_version_is_read_only_with_the_reason(world: dict) -> None:
    p = fill_plan(world)
    approve_all(world, p)
    view = documentation_view(world["officer"], p.id, today=TODAY)
    assert view.read_only
    assert view.read_only_reason == "planen är godkänd och låst."


def test_a_shared_field_is_saved_only_over_what_the_user_started_from(world: dict) -> None:
    plan_id = world["plan"].id
    assert save_field(world["officer"], plan_id, "main_goal", "", "Bo kvar hemma") is None
    assert plan.get_version(plan_id).main_goal == "Bo kvar hemma"
    clash = save_field(world["manager"], plan_id, "main_goal", "", "Bo hemma med stöd")
    assert clash is not None
    assert (clash.mine, clash.theirs) == ("Bo hemma med stöd", "Bo kvar hemma")
    assert plan.get_version(plan_id).main_goal == "Bo kvar hemma"  # nothing of theirs lost


def test_a_refused_value_raises_with_its_field(world: dict) -> None:
    with pytest.raises(ValidationError) as refused:
        save_field(world["officer"], world["plan"].id, "treatment_limitation_ref", "",
                   "Ingen HLR vid hjärtstopp enligt samtal med dottern och läkaren om prognosen "
                   "och hennes egna önskemål")
    assert refused.value.field == "treatment_limitation_ref"


def test_sub_goals_and_others_are_compared_before_they_are_saved(world: dict) -> None:
    plan_id = world["plan"].id
    assert save_field(world["officer"], plan_id, "sub_goals", [], ["Gå ut"]) is None
    clash = save_field(world["manager"], plan_id, "sub_goals", [], ["Laga mat"])
    assert clash is not None and clash.theirs == ["Gå ut"]
    assert plan.sub_goals(plan.get_version(plan_id)) == ["Gå ut"]

    rows = (("Dottern Greta", "Handlar", ""),)
    assert save_field(world["officer"], plan_id, "others", ((), False), (rows, False)) is None
    clash = save_field(world["manager"], plan_id, "others", ((), False), ((), True))
    assert clash is not None and clash.theirs == (rows, False)
    view = documentation_view(world["officer"], plan_id, today=TODAY)
    assert view.stored("others") == (rows, False)


def test_required_fields_need_no_query_when_the_parts_are_known(world: dict) -> None:
    version = plan.get_version(world["plan"].id)
    with assert_query_count(0):
        found = plan.required_field_problems(version, {"overall_principal": None},
                                             has_parts=True)
    assert found["overall_principal"].startswith("Välj vilken huvudman")
    with assert_query_count(0):
        found = plan.required_field_problems(version, {"overall_principal": None},
                                             has_parts=False)
    assert found["overall_principal"].startswith("Ingen huvudman deltar i planen ännu")
