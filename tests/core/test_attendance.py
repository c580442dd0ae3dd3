"""Who took part (DOMAIN.md step 8) and whom a follow-up invites (step 10), on both engines:
a substitute replaces the invitee who sent them, the absent are left out, the person is on the
plan; a follow-up kallelse starts from the approved plan and the previous meeting."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.meetings import attendance, invitation, meeting
from sipdesk.meetings.invitation import ParticipantKind
from sipdesk.plans import plan
from sipdesk.storage.models import Law, PrincipalKind
from tests.plan_scenarios import approve_all, fill
from tests.scenarios import (
    SUBSTITUTE,
    good_draft,
    invite_with_substitute,
    kallelse_world,
)
from tests.scenarios import hold_with_substitute as hold


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return kallelse_world()


def test_step8_the_substitute_takes_part_not_the_invitee_who_sent_them(world: dict) -> None:
    """DOMAIN step 8: the plan's participants are those who took part — the person, the
    substitute in place of Per Nord (who did not come), the convener; not the absent."""
    held = hold(world, invite_with_substitute(world), absent=("Eva Läkare",))
    found = {p.name: p for p in attendance.took_part(held)}
    assert set(found) == {"Åsa Öberg", SUBSTITUTE, "Anna Berg", "Maria Holm"}
    lisa = found[SUBSTITUTE]
    assert (lisa.initials, lisa.organisation, lisa.principal_name, lisa.contact,
            lisa.stands_in_for) == ("LS", "Vårdcentralen Exempelby", "Region Exempelland",
                                    "070-111 22 33", "Per Nord")
    assert attendance.took_part(held)[0].name == "Åsa Öberg"  # the person first
    assert found["Åsa Öberg"].profession == "Den enskilde"

    version = plan.start_documentation(world["officer"], held)
    rows = {r.name: r for r in plan.participants(version)}
    assert "Per Nord" not in rows and "Eva Läkare" not in rows
    assert rows[SUBSTITUTE].initials == "LS"
    assert rows[SUBSTITUTE].principal.name == "Region Exempelland"
    assert rows["Åsa Öberg"].initials == "ÅÖ"
    # Region is still a participating principal: its substitute came (no deviation).
    assert {part.principal.name for part in plan.parts(version)} == {
        "Exempelby kommun", "Region Exempelland"}
    assert [d.principal_name for d in meeting.Deviation.select()] == ["Region Exempelland"]


def test_step8_a_substitute_who_did_not_come_is_left_out_too(world: dict) -> None:
    held = hold(world, invite_with_substitute(world), substitute_came=False)
    names = {p.name for p in attendance.took_part(held)}
    assert SUBSTITUTE not in names and "Per Nord" not in names
    assert "Region Exempelland" in {d.principal_name for d in meeting.Deviation.select()}


def test_step8_initials_are_derived_and_editable_and_what_is_missing_is_named(
        world: dict) -> None:
    """DOMAIN step 8: name, initials, profession for everyone; organisation and contact for
    every actor (seed 000) — the substitute's profession is not known and is asked for."""
    held = hold(world, invite_with_substitute(world))
    version = plan.start_documentation(world["officer"], held)
    problems = plan.participant_problems(version)
    assert f"{SUBSTITUTE}: saknar yrke." in problems
    assert not any(p.startswith("Åsa Öberg") for p in problems)  # no organisation needed
    lisa = next(r for r in plan.participants(version) if r.name == SUBSTITUTE)
    plan.save_participant(world["officer"], version, name=lisa.name, initials="lst",
                          profession="Distriktssköterska", organisation=lisa.organisation,
                          contact=lisa.contact, principal_id=lisa.principal_id,
                          participant_id=lisa.id)
    lisa = next(r for r in plan.participants(version) if r.name == SUBSTITUTE)
    assert lisa.initials == "LST"
    assert not any(p.startswith(SUBSTITUTE) for p in plan.participant_problems(version))


def test_initials_from_a_name() -> None:
    assert attendance.initials_of("Lisa Ström") == "LS"
    assert attendance.initials_of("Anna-Karin Berg") == "AKB"


def test_step10_a_follow_up_starts_with_the_plan_and_the_previous_meeting(world: dict) -> None:
    """DOMAIN step 10: the follow-up kallelse starts with the approved plan's participants and
    the previous meeting's invitees, each once and without the person."""
    held = hold(world, invite_with_substitute(world), absent=("Eva Läkare",))
    world["plan"] = plan.start_documentation(world["officer"], held)
    lisa = next(r for r in plan.participants(world["plan"]) if r.name == SUBSTITUTE)
    plan.save_participant(world["officer"], world["plan"], name=lisa.name, initials="LS",
                          profession="Distriktssköterska", organisation=lisa.organisation,
                          contact=lisa.contact, principal_id=lisa.principal_id,
                          participant_id=lisa.id)
    approve_all(world, fill(world))

    invitees = attendance.follow_up_invitees(world["case"])
    names = [p.name for p in invitees]
    # the plan's order first (the convener, Maria Holm, Lisa Ström), then the rest invited
    assert names == ["Anna Berg", "Maria Holm", SUBSTITUTE, "Eva Läkare", "Per Nord"]
    assert len(set(names)) == len(names)
    sub = invitees[2]
    assert (sub.kind, sub.user_id, sub.principal_name, sub.principal_kind, sub.law,
            sub.unit_name, sub.role, sub.phone) == (
        ParticipantKind.PROFESSIONAL, None, "Region Exempelland", PrincipalKind.REGION, Law.HSL,
        "Vårdcentralen Exempelby", "Distriktssköterska", "070-111 22 33")
    assert invitees[4].user_id == world["nurse"].id  # Per Nord, invited again as a user
    # With the person and the convener the kallelse's rules are met at once.
    draft = good_draft(world)
    draft.participants = [draft.participants[0], *invitees]
    assert invitation.check_participants(world["case"], draft).ok


def test_step10_without_an_approved_plan_only_the_previous_meeting(world: dict) -> None:
    held = hold(world, invite_with_substitute(world))
    plan.start_documentation(world["officer"], held)  # not approved
    names = [p.name for p in attendance.follow_up_invitees(world["case"])]
    assert names == ["Anna Berg", "Eva Läkare", "Maria Holm", "Per Nord"]  # as invited
