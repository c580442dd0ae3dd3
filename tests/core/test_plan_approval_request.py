"""Whether a request to approve the plan still stands (DOMAIN.md step 8, "Begär godkännande"):
the Planen tab asks the core, so the button is not pressed twice for the same finished parts.
Both engines."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
import time_machine

from sipdesk import clock
from sipdesk.messages import messaging
from sipdesk.plans import plan
from sipdesk.plans.plan import InterventionInput
from tests.core.test_plan import approve_all, fill_plan, principal
from tests.plan_scenarios import plan_world


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def finish_all(world: dict, p: plan.PlanVersion) -> None:
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(user, plan.get_version(p.id), part.principal_id)


def test_no_request_until_one_is_sent_then_it_stands(world: dict) -> None:
    p = fill_plan(world)
    assert plan.approval_requested_at(p) is None  # parts not finished
    finish_all(world, p)
    assert plan.approval_requested_at(plan.get_version(p.id)) is None
    plan.request_approval(world["officer"], plan.get_version(p.id))
    sent = plan.approval_requested_at(plan.get_version(p.id))
    assert sent is not None and sent.date() == clock.today()


def test_a_part_changed_and_finished_again_needs_a_new_request(
        world: dict, frozen_clock: time_machine.Coordinates) -> None:
    p = fill_plan(world)
    finish_all(world, p)
    plan.request_approval(world["officer"], plan.get_version(p.id))
    frozen_clock.shift(dt.timedelta(hours=2))  # Maria edits her part later that day
    kommun = principal("Exempelby kommun")
    plan.save_intervention(world["manager"], plan.get_version(p.id), InterventionInput(
        principal_id=kommun.id, what="Trygghetslarm", responsible="Maria Holm",
        how_often="Dygnet runt", unit="Hemtjänst Norr"))
    assert plan.approval_requested_at(plan.get_version(p.id)) is None  # unfinished again
    plan.mark_part_finished(world["manager"], plan.get_version(p.id), kommun.id)
    assert plan.approval_requested_at(plan.get_version(p.id)) is None
    plan.request_approval(world["officer"], plan.get_version(p.id))
    assert plan.approval_requested_at(plan.get_version(p.id)) is not None


def test_a_withdrawn_request_does_not_stand(world: dict) -> None:
    p = fill_plan(world)
    finish_all(world, p)
    request = plan.request_approval(world["officer"], plan.get_version(p.id))
    assert request is not None
    messaging.withdraw(world["officer"], request.id, reason="Skickad för tidigt")
    assert plan.approval_requested_at(plan.get_version(p.id)) is None


def test_reopening_asks_everyone_to_approve_again(world: dict) -> None:
    """The reopening's message "godkänn på nytt" is the request (plan.reopen)."""
    p = fill_plan(world)
    approve_all(world, p)
    reopened = plan.reopen(world["officer"], plan.get_version(p.id), reason="Fel tid")
    assert plan.approval_requested_at(reopened) is not None
