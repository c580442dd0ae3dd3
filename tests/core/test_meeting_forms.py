"""What the Kallelse tab's dialogs read before they open (`sipdesk.meetings.meeting_page`), on both
engines: the staff meeting's coordinator and users, the mobile care team's earlier check and age
criterion — each with what the dialog shows joined, so the dialog runs no statement."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.meetings import invitation, meeting
from sipdesk.meetings.meeting import PrimaryCareDecision
from sipdesk.meetings.meeting_page import mobile_team_form, staff_meeting_form
from tests.queries import assert_query_count
from tests.scenarios import NOW, good_draft, kallelse_world


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return kallelse_world()


def test_staff_meeting_form_has_the_coordinator_and_the_active_users(world: dict) -> None:
    form = staff_meeting_form(world["case"].id)
    assert form.coordinator.id == world["officer"].id
    assert {u.full_name for u in form.users} >= {"Maria Holm", "Per Nord"}
    with assert_query_count(0):  # what the dialog shows is read already
        assert form.coordinator.unit.name == "Biståndsenheten"
        assert all(u.unit.name for u in form.users)


def test_mobile_team_form_has_the_earlier_check_and_the_age(world: dict) -> None:
    sent = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                      current=NOW)
    form = mobile_team_form(sent)
    assert form.existing is None
    assert form.old_enough  # Åsa Öberg, born 1940
    answers = {key: key in ("age_75", "chronic_diagnoses", "medicines", "home_health_care")
               for key in meeting.CRITERIA}
    meeting.record_mobile_team_check(world["officer"], sent, answers,
                                     decision=PrimaryCareDecision.ACCEPTED)
    stored = mobile_team_form(sent).existing
    assert stored is not None and stored.decision == PrimaryCareDecision.ACCEPTED.value
