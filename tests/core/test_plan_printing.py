"""What bulk printing asks of the core (sipdesk.plans.plan.latest_version_ids), on both engines: the
latest version of every case with a plan, by case status, approved only for the person's
copy — in one query."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.casework import protected
from sipdesk.plans import plan
from sipdesk.storage.models import Case, CaseStatus, PrincipalKind, Protection
from tests.factories import make_unit, make_user
from tests.plan_scenarios import approve_all, clone_plan, fill, more_cases, plan_world


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def test_only_the_latest_version_of_each_case(world: dict) -> None:
    first = approve_all(world, fill(world))
    other_case, empty_case = more_cases(world["officer"], 2)
    cloned = clone_plan(first, other_case)
    newer = clone_plan(first, other_case, number=2, approved=False)
    assert plan.latest_version_ids() == [first.id, newer.id]  # case-number order
    assert cloned.id not in plan.latest_version_ids()
    assert empty_case.id not in {plan.get_version(i).case_id for i in plan.latest_version_ids()}


def test_filtered_by_case_status_and_by_approval(world: dict) -> None:
    first = approve_all(world, fill(world))  # the case moves on to "follow-up planned"
    (other_case,) = more_cases(world["officer"], 1)
    draft = clone_plan(first, other_case, approved=False)
    assert Case.get_by_id(first.case_id).status == CaseStatus.FOLLOW_UP_PLANNED.value
    assert plan.latest_version_ids(statuses=[CaseStatus.FOLLOW_UP_PLANNED]) == [first.id]
    assert plan.latest_version_ids(statuses=[CaseStatus.CLOSED]) == []
    assert plan.latest_version_ids(approved_only=True) == [first.id]
    assert plan.latest_version_ids() == [first.id, draft.id]


def test_one_query_however_many_plans(world: dict, db: peewee.Database,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first = approve_all(world, fill(world))
    for case in more_cases(world["officer"], 5):
        clone_plan(first, case)
    executed: list[str] = []
    original = db.execute_sql

    def counting(sql: str, *args: object, **kwargs: object) -> object:
        executed.append(sql)
        return original(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    assert len(plan.latest_version_ids()) == 6
    assert len(executed) == 1


def test_printing_every_plan_prints_only_what_the_user_may_see(world: dict) -> None:
    """DOMAIN.md, Data protection (access only for those who work with the case or its unit)
    and skyddade personuppgifter: "Skriv ut alla planer" prints the plans of the cases the
    user may see — not another principal's — and leaves out a protected person's plan for one
    who may not see the name (a plan names the person; it is printed from the case, opened
    with a reason). The coordinator prints both."""
    first = fill(world)
    (other_case,) = more_cases(world["officer"], 1)
    second = clone_plan(first, other_case, approved=False)
    outsider = make_user("olle.ut", unit=make_unit("Vårdcentralen Grannby",
                                                   principal="Region Grannland",
                                                   kind=PrincipalKind.REGION),
                         full_name="Olle Utanför")
    colleague = make_user("lena.strand", unit=make_unit("Hemtjänst Söder"),
                          full_name="Lena Strand")
    assert plan.latest_version_ids(visible_to=outsider) == []
    assert plan.latest_version_ids(visible_to=colleague) == [first.id, second.id]
    protected.set_protection(world["officer"], other_case.person_id,
                             Protection.PROTECTED_REGISTRATION)
    assert plan.latest_version_ids(visible_to=colleague) == [first.id]
    assert plan.latest_version_ids(visible_to=world["officer"]) == [first.id, second.id]
    assert plan.latest_version_ids() == [first.id, second.id]  # the command line's owner
