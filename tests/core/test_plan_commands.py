"""What the Planen tab may offer now, and why not (sipdesk.desk.plan_commands) — DOMAIN.md step 8:
each principal finishes and approves its own part; approval is asked for once every part is
finished; a locked plan is changed only by reopening it."""

from __future__ import annotations

import peewee

from sipdesk.desk.plan_commands import LOCKED, PlanCommands, plan_commands
from sipdesk.plans.plan_page import plan_page
from sipdesk.storage.models import Case
from tests.plan_scenarios import approve_all, fill, plan_world


def commands_for(world: dict, who: str) -> PlanCommands | None:
    case = Case.get_by_id(world["case"].id)
    user = world[who]
    page = plan_page(user, case, world["meeting"].starts_at.date())
    return plan_commands(page, user=user, case=case)


def test_step_8_each_principal_finishes_its_own_part_before_approval_is_asked(
        sqlite_db: peewee.Database) -> None:
    world = plan_world()
    commands = commands_for(world, "manager")
    assert commands is not None
    assert not commands.finish.ok  # nothing written for the municipality yet
    assert commands.finish.why_not.startswith("Skriv minst en insats")
    assert not commands.request.ok and "Inte klart:" in commands.request.why_not
    assert not commands.approve.ok
    fill(world)
    assert commands_for(world, "manager").finish.ok


def test_step_8_a_locked_plan_offers_only_reopening_to_the_coordinator(
        sqlite_db: peewee.Database) -> None:
    world = plan_world()
    approve_all(world, fill(world))
    officer = commands_for(world, "officer")
    assert officer is not None and officer.coordinator and officer.reopen.ok
    for allowed in (officer.finish, officer.request, officer.approve):
        assert (allowed.ok, allowed.why_not) == (False, LOCKED)
    manager = commands_for(world, "manager")
    assert manager is not None and not manager.coordinator  # no reopening offered to her
