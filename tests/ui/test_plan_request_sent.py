"""Planen: "Begär godkännande" is sent once (DOMAIN.md step 8) — after the request the button is
disabled and says when it was sent, as the core says (`plan.approval_requested_at`), until a
part is changed and finished again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee
import pytest
import time_machine
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.plans import plan
from sipdesk.plans.plan import InterventionInput
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.core.test_plan import fill_plan
from tests.ui.conftest import MessageLog
from tests.ui.documentation_support import stored, world_with_plan
from tests.ui.test_plan_tab import click, reread, show_tab


@pytest.fixture
def sqlite_url(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def test_request_is_disabled_once_sent_until_a_part_changes(
        qtbot: QtBot, sqlite_url: DatabaseUrl, message_log: MessageLog,
        time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 3, 9, 30, tzinfo=clock.STOCKHOLM))
    world = world_with_plan()
    version = fill_plan(world)
    for user, principal in ((world["manager"], world["kommun"]),
                            (world["nurse"], world["region_p"])):
        plan.mark_part_finished(user, stored(version.id), principal.id)
    tab = show_tab(qtbot, sqlite_url, world["officer"], world["case"])
    assert tab.request_button.isEnabled()

    click(qtbot, tab.request_button)
    assert message_log.shown[-1][1] == "Begäran skickad"
    assert not tab.request_button.isEnabled()
    assert tab.request_button.toolTip().startswith("Begäran skickad 2026-12-03.")
    assert tab.request_button.accessibleDescription() == tab.request_button.toolTip()
    # Opened again (another day, or by someone else) it still says so: the core knows.
    again = show_tab(qtbot, sqlite_url, world["officer"], world["case"])
    assert not again.request_button.isEnabled()

    # Maria changes her part the day after and finishes it again: a new request is needed.
    time_machine.move_to(dt.datetime(2026, 12, 4, 10, 0, tzinfo=clock.STOCKHOLM))
    plan.save_intervention(world["manager"], stored(version.id), InterventionInput(
        principal_id=world["kommun"].id, what="Trygghetslarm", responsible="Maria Holm",
        how_often="Dygnet runt", unit="Hemtjänst Norr"))
    reread(qtbot, tab, sqlite_url, world["officer"], world["case"])
    assert not tab.request_button.isEnabled()
    assert "Inte klart: Exempelby kommun." in tab.request_button.toolTip()
    plan.mark_part_finished(world["manager"], stored(version.id), world["kommun"].id)
    reread(qtbot, tab, sqlite_url, world["officer"], world["case"])
    assert tab.request_button.isEnabled()
