"""What bulk printing asks of the core (sipdesk.plans.plan.latest_version_ids), on both engines: the
latest version of every case with a plan, by case status, approved only for the person's
copy — in one query."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.plans import plan
from sipdesk.storage.models import Case, CaseStatus
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
