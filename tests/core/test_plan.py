"""The plan (DOMAIN.md steps 7–11) on both engines: versions from held meetings, the deadline,
the legal check, plain language, field-level saving by several users, approval and locking,
reopening, follow-up versions."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk import clock
from sipdesk.casework import lifecycle
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.messages import messaging
from sipdesk.plans import plan
from sipdesk.plans.plan import InterventionInput
from sipdesk.storage.models import Case, CaseStatus, Principal
from tests.plan_scenarios import plan_world
from tests.scenarios import MEETING


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def principal(name: str) -> Principal:
    return Principal.get(Principal.name == name)


def fill_plan(world: dict) -> plan.PlanVersion:
    """Everything the law and the seeds ask for, written by each principal's own user."""
    p: plan.PlanVersion = world["plan"]
    plan.update_fields(world["officer"], p, {
        "current_situation": ("", "Jag har ramlat två gånger och är rädd att vara ensam."),
        "main_goal": ("", "Att kunna bo kvar hemma och känna mig trygg."),
        "follow_up_date": (None, dt.date(2027, 3, 10)),
    })
    plan.set_sub_goals(world["officer"], p, ["Gå ut på promenad varje dag", "Ta medicinerna"])
    plan.save_intervention(world["manager"], p, InterventionInput(
        principal_id=principal("Exempelby kommun").id, what="Hemtjänsten hjälper till med dusch",
        responsible="Maria Holm", how_often="Två gånger i veckan", unit="Hemtjänst Norr"))
    plan.save_intervention(world["nurse"], p, InterventionInput(
        principal_id=principal("Region Exempelland").id,
        what="Vårdcentralen gör inget nytt just nu", no_action=True))
    plan.set_other_actions(world["officer"], p, [("Dottern Greta", "Handlar varje lördag", "")])
    return plan.get_version(p.id)


def test_a_held_meeting_starts_version_one_prefilled(world: dict) -> None:
    p: plan.PlanVersion = world["plan"]
    assert (p.number, p.kind, p.meeting_date) == (1, "establish", MEETING.date())
    people = {row.name: row for row in plan.participants(p)}
    # everyone who came: the person and the professionals, the convener among them (she
    # chairs, seed 003)
    assert set(people) == {"Åsa Öberg", "Anna Berg", "Maria Holm", "Per Nord", "Eva Läkare"}
    assert plan.participants(p)[0].name == "Åsa Öberg"
    assert p.chair == "Anna Berg"
    assert people["Per Nord"].initials == "PN"
    assert {part.principal.name for part in plan.parts(p)} == {
        "Exempelby kommun", "Region Exempelland"}
    case = Case.get_by_id(world["case"].id)
    assert case.status == CaseStatus.DOCUMENTATION.value
    assert case.next_date == p.deadline


def test_documentation_deadline_is_two_working_days_after_the_meeting(world: dict) -> None:
    """DOMAIN step 8: within two working days (Thursday 10 Dec 2026 → Monday 14 Dec)."""
    p: plan.PlanVersion = world["plan"]
    assert p.deadline == dt.date(2026, 12, 14)
    assert not plan.is_overdue(p, today=dt.date(2026, 12, 14))
    assert plan.is_overdue(p, today=dt.date(2026, 12, 15))


@pytest.mark.parametrize("missing", [1, 2, 3, 4])
def test_legal_check_names_each_missing_point(world: dict, missing: int) -> None:
    """SoL 2:7 / HSL 16:4: interventions, each principal's part, others' actions, overall
    responsibility."""
    p = fill_plan(world)
    assert plan.legal_problems(p) == []
    if missing == 1:  # every principal says "no action": nothing is done at all
        item = next(i for i in plan.interventions(p) if not i.no_action)
        plan.save_intervention(world["manager"], p, InterventionInput(
            principal_id=item.principal_id, what="Hemtjänsten gör inget nytt", no_action=True),
            intervention_id=item.id)
    elif missing == 2:
        nurse_item = next(i for i in plan.interventions(p) if i.no_action)
        plan.delete_intervention(world["nurse"], p, nurse_item.id)
    elif missing == 3:
        plan.set_other_actions(world["officer"], p, [])
    else:
        plan.update_fields(world["officer"], p, {"overall_principal": (
            p.overall_principal_id, None)})
    problems = plan.legal_problems(plan.get_version(p.id))
    assert len(problems) == 1 and problems[0].startswith(f"{missing}.")


def test_no_actions_by_others_must_be_said_explicitly(world: dict) -> None:
    p = fill_plan(world)
    plan.set_other_actions(world["officer"], p, [], none=True)
    assert plan.legal_problems(plan.get_version(p.id)) == []
    with pytest.raises(ValidationError):
        plan.set_other_actions(world["officer"], p, [("Skolan", "Läxhjälp", "")], none=True)


def test_plain_language_warns_with_a_suggestion(world: dict) -> None:
    p = fill_plan(world)
    plan.update_fields(world["officer"], p, {"main_goal": (
        p.main_goal, "Få ADL-hjälp från hemtjänsten enl. BiB")})
    hints = {(h.field, h.word): h.suggestion for h in plan.plain_language_hints(
        plan.get_version(p.id))}
    assert ("main_goal", "ADL") in hints and ("main_goal", "BiB") in hints
    assert ("main_goal", "enl.") in hints
    assert "vardagliga" in hints[("main_goal", "ADL")]


def test_two_users_document_different_parts_at_once(world: dict) -> None:
    """Each principal writes its own part; nobody overwrites anybody."""
    p: plan.PlanVersion = world["plan"]
    seen_by_manager = plan.get_version(p.id)
    seen_by_nurse = plan.get_version(p.id)
    plan.update_fields(world["manager"], seen_by_manager, {"what_matters": (
        "", "Att få ha katten kvar")})
    conflicts = plan.update_fields(world["nurse"], seen_by_nurse, {"can_do_self": (
        "", "Jag lagar min frukost själv")})
    assert conflicts == []
    stored = plan.get_version(p.id)
    assert (stored.what_matters, stored.can_do_self) == (
        "Att få ha katten kvar", "Jag lagar min frukost själv")


def test_a_clash_on_the_same_field_is_shown_and_nothing_is_lost(world: dict) -> None:
    p: plan.PlanVersion = world["plan"]
    plan.update_fields(world["manager"], p, {"main_goal": ("", "Bo kvar hemma")})
    conflicts = plan.update_fields(world["nurse"], p, {
        "main_goal": ("", "Bo hemma med stöd"), "what_matters": ("", "Katten")})
    assert conflicts == [plan.FieldConflict("main_goal", "Bo hemma med stöd", "Bo kvar hemma")]
    stored = plan.get_version(p.id)
    assert (stored.main_goal, stored.what_matters) == ("Bo kvar hemma", "Katten")


def test_a_principal_writes_only_its_own_part(world: dict) -> None:
    p: plan.PlanVersion = world["plan"]
    with pytest.raises(PermissionDenied):
        plan.save_intervention(world["manager"], p, InterventionInput(
            principal_id=principal("Region Exempelland").id, what="x", responsible="y",
            how_often="z"))
    with pytest.raises(ValidationError) as info:
        plan.save_intervention(world["manager"], p, InterventionInput(
            principal_id=principal("Exempelby kommun").id, what="Dusch"))
    assert info.value.field == "responsible"


def test_treatment_limitation_is_only_a_reference(world: dict) -> None:
    p: plan.PlanVersion = world["plan"]
    with pytest.raises(ValidationError) as info:
        plan.update_fields(world["nurse"], p, {"treatment_limitation_ref": (
            "", "Ingen HLR vid hjärtstopp enligt samtal med dottern och läkaren om "
                "prognosen och hennes egna önskemål om vård i livets slut")})
    assert info.value.field == "treatment_limitation_ref"
    plan.update_fields(world["nurse"], p, {"treatment_limitation": (None, True),
                                          "treatment_limitation_ref": ("", "Se journal, NPÖ")})


def test_follow_up_at_most_a_year_after_the_meeting(world: dict) -> None:
    p: plan.PlanVersion = world["plan"]
    with pytest.raises(ValidationError) as info:
        plan.update_fields(world["officer"], p, {"follow_up_date": (None, dt.date(2027, 12, 11))})
    assert "senast 2027-12-10" in info.value.message


def test_approval_order_locking_and_the_notice(world: dict) -> None:
    """Seed 000: all approve — only after all have finished their part; then it is locked."""
    p = fill_plan(world)
    kommun, region = principal("Exempelby kommun"), principal("Region Exempelland")
    plan.mark_part_finished(world["manager"], p, kommun.id)
    with pytest.raises(ValidationError) as info:
        plan.approve(world["manager"], p, kommun.id)
    assert "Inte klart: Region Exempelland" in info.value.message
    plan.mark_part_finished(world["nurse"], p, region.id)
    plan.approve(world["manager"], p, kommun.id)
    assert not plan.get_version(p.id).locked
    plan.approve(world["nurse"], p, region.id)
    locked = plan.get_version(p.id)
    assert locked.locked
    case = Case.get_by_id(world["case"].id)
    assert case.status == CaseStatus.FOLLOW_UP_PLANNED.value
    assert case.next_date == dt.date(2027, 3, 10)
    rows = messaging.folder_rows(world["manager"], messaging.Folder.AWAITING_MY_ACK)
    assert rows[0].subject == f"Planen är godkänd ({case.number})"  # to all but the last one
    with pytest.raises(PermissionDenied):
        plan.update_fields(world["officer"], locked, {"main_goal": (locked.main_goal, "Ny")})


def test_approval_needs_the_legal_check_and_complete_participants(world: dict) -> None:
    p = fill_plan(world)
    row = next(r for r in plan.participants(p) if r.name == "Eva Läkare")
    plan.save_participant(world["officer"], p, name=row.name, initials="", profession="Läkare",
                          organisation="Psykiatrimottagningen", contact="010-123 00 00",
                          principal_id=row.principal_id, participant_id=row.id)
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(user, p, part.principal_id)
    with pytest.raises(ValidationError) as info:
        plan.approve(world["manager"], p, principal("Exempelby kommun").id)
    assert "Eva Läkare: saknar initialer." in info.value.message


def test_coordinator_approves_on_behalf_of_a_principal_without_an_account(world: dict) -> None:
    p = fill_plan(world)
    school = Principal.create(name="Exempelby skola", kind="other")
    plan.save_participant(world["officer"], p, name="Lärare Lind", initials="LL",
                          profession="Lärare", organisation="Skolan", contact="010-1",
                          principal_id=school.id)
    plan.save_intervention(world["officer"], p, InterventionInput(
        principal_id=school.id, what="Skolan gör inget nytt", no_action=True))
    part = plan.mark_part_finished(world["officer"], p, school.id)
    assert part.on_behalf
    with pytest.raises(PermissionDenied):
        plan.mark_part_finished(world["manager"], p, school.id)


def test_changing_a_finished_part_makes_it_unfinished(world: dict) -> None:
    p = fill_plan(world)
    kommun = principal("Exempelby kommun")
    plan.mark_part_finished(world["manager"], p, kommun.id)
    plan.save_intervention(world["manager"], p, InterventionInput(
        principal_id=kommun.id, what="Trygghetslarm", responsible="Maria Holm",
        how_often="Dygnet runt"))
    assert next(x for x in plan.parts(p) if x.principal_id == kommun.id).finished_at is None


def approve_all(world: dict, p: plan.PlanVersion) -> None:
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(user, p, part.principal_id)
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.approve(user, p, part.principal_id)


def test_reopening_clears_all_approvals(world: dict) -> None:
    p = fill_plan(world)
    approve_all(world, p)
    with pytest.raises(PermissionDenied):
        plan.reopen(world["nurse"], plan.get_version(p.id), reason="Fel")
    with pytest.raises(ValidationError):
        plan.reopen(world["officer"], plan.get_version(p.id), reason=" ")
    reopened = plan.reopen(world["officer"], plan.get_version(p.id), reason="Fel tid för dusch")
    assert not reopened.locked
    assert all(part.approved_at is None for part in plan.parts(reopened))
    assert Case.get_by_id(world["case"].id).status == CaseStatus.DOCUMENTATION.value


def test_follow_up_version_starts_as_a_copy_and_the_old_stays_readable(world: dict) -> None:
    from sipdesk.meetings import invitation, meeting
    from tests.scenarios import good_draft

    p = fill_plan(world)
    approve_all(world, p)
    assert plan.follow_up_due(plan.get_version(p.id), today=dt.date(2027, 2, 8))
    assert not plan.follow_up_due(plan.get_version(p.id), today=dt.date(2027, 2, 7))
    case = Case.get_by_id(world["case"].id)
    draft = good_draft(world)
    draft.follow_up = True
    draft.starts_at = dt.datetime(2027, 3, 10, 10, 0)
    draft.staff_meeting_at = dt.datetime(2027, 3, 5, 10, 0)
    follow = invitation.send_invitation(world["officer"], case, draft,
                                        current=dt.datetime(2027, 2, 8, 9, 0))
    people = invitation.participants_of(follow)
    meeting.mark_held(world["officer"], follow, {x.id: True for x in people},
                      current=dt.datetime(2027, 3, 10, 11, 0))
    second = plan.start_documentation(world["officer"], invitation.Meeting.get_by_id(follow.id))
    assert (second.number, second.kind, second.previous_id) == (2, "follow_up", p.id)
    assert second.main_goal == p.main_goal
    assert plan.sub_goals(second) == plan.sub_goals(p)
    assert len(plan.interventions(second)) == len(plan.interventions(p))
    plan.update_fields(world["officer"], second, {"main_goal": (
        second.main_goal, "Att gå till affären själv")})
    changes = plan.changes_between(plan.get_version(p.id), plan.get_version(second.id))
    assert changes[0].what == "Huvudmål" and changes[0].after == "Att gå till affären själv"
    assert plan.get_version(p.id).main_goal == "Att kunna bo kvar hemma och känna mig trygg."
    assert [v.number for v in plan.versions(case)] == [2, 1]


def test_skipped_follow_up_needs_a_reason(world: dict) -> None:
    with pytest.raises(ValidationError):
        plan.skip_follow_up(world["officer"], world["plan"], reason="")
    plan.skip_follow_up(world["officer"], world["plan"], reason="Den enskilde flyttade")
    assert plan.get_version(world["plan"].id).follow_up_skipped_reason == "Den enskilde flyttade"


def test_closure_still_works_from_a_plan(world: dict) -> None:
    case = Case.get_by_id(world["case"].id)
    lifecycle.close_case(world["officer"], case, closed_on=clock.today(),
                         reason=lifecycle.ClosureReason.NO_MORE_NEED)
    with pytest.raises(PermissionDenied):
        plan.update_fields(world["officer"], world["plan"], {"main_goal": ("", "x")})


def test_closure_message_lists_the_plans_participants(world: dict) -> None:
    case = Case.get_by_id(world["case"].id)
    lifecycle.close_case(world["officer"], case, closed_on=clock.today(),
                         reason=lifecycle.ClosureReason.GOALS_MET)
    row = messaging.folder_rows(world["nurse"], messaging.Folder.AWAITING_MY_ACK)[0]
    assert row.subject == f"Ärendet avslutas: {case.number}"
    body = messaging.Message.get_by_id(row.message_id).body
    assert "Deltagare i planen:" in body
    assert "– Per Nord (Vårdcentralen Exempelby)" in body
    assert "– Eva Läkare (Psykiatrimottagningen)" in body
