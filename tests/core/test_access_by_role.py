"""Who may read and who may change a case, role by role (issue 12, Done when: "core tests name
the rule for each of: coordinator, participant, own municipality's staff, other unit, region
user, administrator, deactivated user, protected person"), on both engines.

The rule is DOMAIN.md, Data protection: "access only for those who work with the case or its
unit", as sipdesk.accounts.access decides it (and the README's section for IT says it):
- READ: the case's coordinator, the staff of the case's own principal (the municipality's staff
  see the municipality's cases), the users invited to one of its meetings, administrators.
- CHANGE: the coordinator, the staff of the case's own unit, the invited, administrators — not
  the principal's other units, which may only read (`access.READ_ONLY_HERE`); in a plan only
  one's own principal's part (`plan_rules.may_write_for`).
- Nothing for a deactivated account or a user of another principal who is not invited
  (`access.NOT_YOURS`).
- A protected person (sipdesk.casework.protected): the name in the case list only for the
  coordinator and the invited; a reason at every opening; the address nowhere.

Each role's test checks READ three ways — `can_see`, the case list (rows, count and a search by
the person's name) and opening the case page — and WRITE with representative use cases: a
shared field of the plan, an intervention of the user's own principal (and of another one), a
status survey on the meeting, a guardian added to the person (issue 14). Every refusal is a
PermissionDenied with the Swedish sentence, and leaves the plan as it was.
tests/core/test_access.py compares the rule with every demo user and case;
tests/core/test_access_everywhere.py calls every use case as an outsider;
tests/core/test_row_level_security.py holds the server to the same answers.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import peewee
import pytest

from sipdesk.accounts import access, user_admin
from sipdesk.casework import guardians, protected
from sipdesk.desk import case_page, cases
from sipdesk.desk.cases import CaseFilter
from sipdesk.errors import PermissionDenied
from sipdesk.meetings import convene, meeting
from sipdesk.plans import plan
from sipdesk.storage.models import Case, PrincipalKind, Protection, Role, User
from tests.factories import make_unit, make_user
from tests.plan_scenarios import fill, plan_world, principal

World = dict[str, Any]
GOAL = "Att kunna bo kvar hemma och känna mig trygg."


@pytest.fixture
def world(db: peewee.Database) -> World:
    """plan_world, filled: a case of Biståndsenheten (Exempelby kommun) coordinated by Anna
    Berg, a held meeting to which Maria Holm (Hemtjänst Norr) and Per Nord (Vårdcentralen,
    Region Exempelland) were invited, and its plan being written. Beside them every other
    kind of user."""
    w = plan_world()
    fill(w)
    w["plan"] = plan.get_version(w["plan"].id)
    own_unit = w["officer"].unit
    w["same_unit"] = make_user("karl.lind", unit=own_unit, full_name="Karl Lind")
    w["other_unit"] = make_user("lena.strand", unit=make_unit("Hemtjänst Söder"),
                                role=Role.STAFF, full_name="Lena Strand")
    w["region_uninvited"] = make_user(
        "rut.lind", unit=make_unit("Psykiatrimottagningen", principal="Region Exempelland",
                                   kind=PrincipalKind.REGION), full_name="Rut Lind")
    w["outsider"] = make_user(
        "olle.ut", unit=make_unit("Vårdcentralen Grannby", principal="Region Grannland",
                                  kind=PrincipalKind.REGION), full_name="Olle Utanför")
    w["admin"] = make_user("admin", unit=make_unit("IT"), role=Role.ADMINISTRATOR,
                           full_name="Ada Admin")
    w["kommun"] = principal("Exempelby kommun")
    return w


# ---- reading -------------------------------------------------------------------------------

def reads(user: User, case: Case, *, reason: str | None = None) -> bool:
    """Whether `user` reads the case every way: can_see, the case list (rows and count, and a
    search by the person's name) and opening the case page — which must all agree."""
    seen = access.can_see(user, case)
    listed = case.id in {row.id for row in cases.fetch_cases(CaseFilter(), user, limit=500)}
    counted = cases.count_cases(CaseFilter(), user) == (1 if seen else 0)
    found = [row.id for row in cases.fetch_cases(CaseFilter(text="Öberg"), user)]
    try:
        page = case_page.open_case_page(user, case.id, reason=reason)
        opened = page.case.id == case.id
    except PermissionDenied as refused:
        assert refused.message == access.NOT_YOURS
        opened = False
    assert seen == listed == opened and counted, (user.login, seen, listed, opened)
    assert found == ([case.id] if seen else []), user.login
    return seen


# ---- changing ------------------------------------------------------------------------------

def change_shared_field(w: World, user: User) -> None:
    version = plan.get_version(w["plan"].id)
    plan.update_fields(user, version, {"adjusted_with": (version.adjusted_with,
                                                         f"Justerad av {user.full_name}")})


def add_intervention(w: World, user: User, principal_id: int) -> None:
    plan.save_intervention(user, plan.get_version(w["plan"].id), plan.InterventionInput(
        principal_id=principal_id, what=f"Insats av {user.full_name}", responsible="Någon",
        how_often="Varje vecka"))


def add_survey(w: World, user: User) -> None:
    meeting.add_status_survey(user, w["meeting"], profession="Sjuksköterska",
                              notes="Mår bättre sedan i höstas")


def refused(call: Any, message: str) -> None:
    """`call` is refused with `message`, and nothing of the plan or the meeting changed."""
    before = plan_state()
    with pytest.raises(PermissionDenied) as no:
        call()
    assert no.value.message == message
    assert plan_state() == before


def plan_state() -> tuple[Any, ...]:
    return (tuple(Case.select(Case.id, Case.version).tuples()),
            tuple(plan.PlanVersion.select(plan.PlanVersion.adjusted_with).tuples()),
            plan.Intervention.select().count(), meeting.StatusSurvey.select().count())


def changes_everything(w: World, user: User) -> None:
    """The representative writes all succeed for `user`."""
    surveys, items = meeting.StatusSurvey.select().count(), plan.Intervention.select().count()
    change_shared_field(w, user)
    add_intervention(w, user, user.unit.principal_id)
    add_survey(w, user)
    assert plan.get_version(w["plan"].id).adjusted_with == f"Justerad av {user.full_name}"
    assert plan.Intervention.select().count() == items + 1
    assert meeting.StatusSurvey.select().count() == surveys + 1


# ---- the roles -----------------------------------------------------------------------------

def test_coordinator_reads_and_changes_the_case(world: World) -> None:
    """Rule: the case's coordinator (samordningsansvarig) works with the case — reads it and
    changes it, and as coordinator may write the part of a principal that has no participant
    with an account (but not one that has: the region's part is Per Nord's)."""
    officer = world["officer"]
    assert reads(officer, world["case"])
    assert access.can_change(officer, world["case"])
    changes_everything(world, officer)
    refused(lambda: add_intervention(world, officer, world["region"].id),
            "Du kan bara dokumentera din egen huvudmans insatser.")


def test_participant_of_another_unit_reads_and_changes_the_case(world: World) -> None:
    """Rule: a user invited to one of the case's meetings works with the case — Maria Holm of
    Hemtjänst Norr, another unit than the case's, reads and changes it because she is
    invited, and writes only her own principal's part of the plan."""
    manager = world["manager"]
    assert manager.unit_id != world["case"].unit_id
    assert reads(manager, world["case"])
    assert access.can_change(manager, world["case"])
    changes_everything(world, manager)
    refused(lambda: add_intervention(world, manager, world["region"].id),
            "Du kan bara dokumentera din egen huvudmans insatser.")


def test_own_municipalitys_staff_of_the_cases_own_unit_read_and_change_it(world: World) -> None:
    """Rule: the staff of the case's own unit work with its cases — Karl Lind of
    Biståndsenheten, who neither coordinates the case nor is invited, reads and changes it
    ("access only for those who work with the case or its unit")."""
    colleague = world["same_unit"]
    assert reads(colleague, world["case"])
    assert access.can_change(colleague, world["case"])
    changes_everything(world, colleague)


def test_other_unit_of_the_municipality_may_read_but_not_change_the_case(world: World) -> None:
    """Rule: "another unit cannot change a case it may only read" (issue 12). Lena Strand of
    Hemtjänst Söder — the municipality's staff, neither the case's unit, nor coordinator, nor
    invited — reads the case (the municipality's staff see its cases) but every change is
    refused with access.READ_ONLY_HERE; what she may do is ask: a message about the case, a
    request to its coordinator to convene."""
    from sipdesk.messages import messaging

    staff = world["other_unit"]
    assert reads(staff, world["case"])
    assert not access.can_change(staff, world["case"])
    for write in (lambda: change_shared_field(world, staff),
                  lambda: add_intervention(world, staff, world["kommun"].id),
                  lambda: add_survey(world, staff),
                  lambda: meeting.transfer_coordinator(staff, world["case"], staff),
                  # the person's guardians too (issue 14; migration 25 on the server)
                  lambda: guardians.add_guardian(staff, world["case"].person,
                                                 guardians.GuardianInput("Eva Öberg"))):
        refused(write, access.READ_ONLY_HERE)
    with pytest.raises(PermissionDenied) as no:
        access.require_can_change(staff, world["case"])
    assert no.value.message == access.READ_ONLY_HERE
    sent = messaging.send(staff, to=[world["officer"]], case=world["case"],
                          subject="Fråga om ärendet", body="Hej! Kan vi prata om insatserna?")
    assert sent.case_id == world["case"].id
    asked = convene.request_to_convene(staff, world["case"], world["officer"],
                                       convene.ConveneInput(need="Ramlar ofta",
                                                            coordinate="Hemtjänst och vård",
                                                            actors="Hemtjänsten"))
    assert asked.case_id == world["case"].id


def test_a_unit_of_another_principal_neither_reads_nor_changes_the_case(world: World) -> None:
    """Rule: a user of another principal who is not invited does not work with the case —
    Olle of Region Grannland neither finds nor opens it, and every change is refused with
    access.NOT_YOURS (so nothing tells him the case exists)."""
    outsider = world["outsider"]
    assert not reads(outsider, world["case"])
    for write in (lambda: change_shared_field(world, outsider),
                  lambda: add_intervention(world, outsider, outsider.unit.principal_id),
                  lambda: add_survey(world, outsider),
                  lambda: guardians.add_guardian(outsider, world["case"].person,
                                                 guardians.GuardianInput("Eva Öberg"))):
        refused(write, access.NOT_YOURS)


def test_region_user_invited_reads_the_case_and_writes_only_the_regions_part(
        world: World) -> None:
    """Rule: "a region user writes only its own principal's part of a plan" (issue 12). Per
    Nord, a district nurse of Region Exempelland invited to the meeting, reads the municipal
    case and writes the region's interventions and finishes the region's part — not the
    municipality's, whose intervention he may neither add, change, remove nor finish."""
    nurse, kommun = world["nurse"], world["kommun"]
    assert reads(nurse, world["case"])
    changes_everything(world, nurse)
    version = plan.get_version(world["plan"].id)
    theirs = next(i for i in plan.interventions(version) if i.principal_id == kommun.id)
    refused(lambda: add_intervention(world, nurse, kommun.id),
            "Du kan bara dokumentera din egen huvudmans insatser.")
    refused(lambda: plan.save_intervention(nurse, version, plan.InterventionInput.of(theirs),
                                           intervention_id=theirs.id),
            "Du kan bara dokumentera din egen huvudmans insatser.")
    # Nor by calling the municipality's intervention the region's.
    as_regions = dataclasses.replace(plan.InterventionInput.of(theirs),
                                     principal_id=world["region"].id)
    refused(lambda: plan.save_intervention(nurse, version, as_regions, intervention_id=theirs.id),
            plan.OTHER_INTERVENTION)
    refused(lambda: plan.delete_intervention(nurse, version, theirs.id),
            "Du kan bara ändra din egen huvudmans insatser.")
    refused(lambda: plan.mark_part_finished(nurse, version, kommun.id),
            "Du kan bara markera din egen huvudmans del som klar.")
    plan.mark_part_finished(nurse, version, world["region"].id)


def test_region_user_not_invited_sees_nothing_of_a_municipal_case(world: World) -> None:
    """Rule: the region's staff see the region's own cases, not the municipality's — Rut Lind
    of the region's psychiatry, not invited, is refused like any outsider (access.NOT_YOURS)."""
    doctor = world["region_uninvited"]
    assert not reads(doctor, world["case"])
    refused(lambda: change_shared_field(world, doctor), access.NOT_YOURS)
    refused(lambda: add_survey(world, doctor), access.NOT_YOURS)


def test_administrator_reads_and_changes_every_case(world: World) -> None:
    """Rule: an administrator sees every case and may change it (their work is keeping the
    system and its users right: a coordinator who left, a wrong marking) — in a plan, like
    everyone, only their own principal's part."""
    admin = world["admin"]
    assert reads(admin, world["case"])
    assert access.can_change(admin, world["case"])
    change_shared_field(world, admin)
    add_survey(world, admin)
    refused(lambda: add_intervention(world, admin, world["region"].id),
            "Du kan bara dokumentera din egen huvudmans insatser.")


def test_deactivated_user_reads_and_changes_nothing(world: World) -> None:
    """Rule: a deactivated account has no access at all — not even the coordinator's own case
    (a user who left keeps no way in)."""
    gone = user_admin.deactivate_user(None, world["officer"].login)
    assert not gone.active
    assert not reads(gone, world["case"])
    assert not access.can_change(gone, world["case"])
    for write in (lambda: change_shared_field(world, gone), lambda: add_survey(world, gone)):
        refused(write, access.NOT_YOURS)


def test_protected_person_masked_for_readers_who_do_not_work_with_the_case(
        world: World) -> None:
    """Rule (skyddade personuppgifter, sipdesk.casework.protected): the name and personal
    number of a protected person show in the case list only to the coordinator and the
    invited; others who may read the case (a colleague of the unit, another unit, an
    administrator) see "Skyddad identitet" and do not find it by name. Everyone — the
    coordinator too — gives a reason to open it; access itself is as for any case."""
    protected.set_protection(world["officer"], world["case"].person_id,
                             Protection.CONFIDENTIALITY_MARK)
    case = world["case"]
    for who in ("officer", "manager", "nurse"):
        user = world[who]
        row = next(r for r in cases.fetch_cases(CaseFilter(), user) if r.id == case.id)
        assert row.person_name == "Åsa Öberg", who
        assert reads(user, case, reason="Förbereder uppföljningen")
    for who in ("same_unit", "other_unit", "admin"):
        user = world[who]
        row = next(r for r in cases.fetch_cases(CaseFilter(), user) if r.id == case.id)
        assert (row.person_name, row.personal_number) == (protected.MASKED_NAME,
                                                          protected.MASKED_NUMBER), who
        assert cases.fetch_cases(CaseFilter(text="Öberg"), user) == [], who
        assert case_page.open_case_page(user, case.id, reason="Ersätter kollega").case.id \
            == case.id
    # Changing follows the ordinary rule: the unit's colleague may, another unit may not.
    change_shared_field(world, world["same_unit"])
    refused(lambda: change_shared_field(world, world["other_unit"]), access.READ_ONLY_HERE)
