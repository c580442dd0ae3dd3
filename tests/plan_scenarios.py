"""Plans for the printing tests and benchmarks: a full plan written through the core (kallelse →
held meeting → documentation → approval), long plans, and many cases that each carry a copy of a
plan (for bulk printing). Fictional names; Skatteverket test personal numbers."""

from __future__ import annotations

import datetime as dt

from sipdesk.casework import people
from sipdesk.demo import skatteverket_test_numbers
from sipdesk.desk import cases
from sipdesk.plans import plan
from sipdesk.plans.plan import (
    Intervention,
    InterventionInput,
    InterventionStatus,
    OtherAction,
    PlanParticipant,
    PlanVersion,
    PrincipalPart,
    SubGoal,
)
from sipdesk.storage.models import Case, Person, Principal, User
from tests.scenarios import held_meeting, kallelse_world

TREATMENT_REF = "Se journal i NPÖ, 2026-12-10"


def principal(name: str) -> Principal:
    return Principal.get(Principal.name == name)


def plan_world() -> dict:
    """kallelse_world with a held meeting and version 1 of the plan started."""
    world = kallelse_world()
    world["meeting"] = held_meeting(world)
    world["plan"] = plan.start_documentation(world["officer"], world["meeting"])
    return world


def fill(world: dict, *, extra_interventions: int = 0) -> PlanVersion:
    """Everything the law and the seeds ask for, each principal writing its own part."""
    p: PlanVersion = world["plan"]
    kommun, region = principal("Exempelby kommun"), principal("Region Exempelland")
    plan.update_fields(world["officer"], p, {
        "chair": ("", "Anna Berg"),
        "current_situation": ("", "Jag har ramlat två gånger i höst och är rädd att vara "
                                  "ensam på nätterna. Min dotter Greta hjälper mig med "
                                  "handlingen."),
        "what_matters": ("", "Att få bo kvar i min lägenhet och ha katten Måns kvar."),
        "can_do_self": ("", "Jag lagar frukost och klär på mig själv."),
        "main_goal": ("", "Att kunna bo kvar hemma och känna mig trygg."),
        "follow_up_date": (None, dt.date(2027, 3, 10)),
        "follow_up_by": ("", "Anna Berg, biståndshandläggare"),
        "treatment_limitation": (None, True),
        "treatment_limitation_ref": ("", TREATMENT_REF),
        "adjusted_with": ("", "Maria Holm och Per Nord (per telefon 2026-12-11)"),
    })
    plan.set_sub_goals(world["officer"], p, [
        "Gå ut på en promenad varje dag", "Ta medicinerna vid rätt tid",
        "Duscha två gånger i veckan utan att vara rädd"])
    plan.save_intervention(world["manager"], p, InterventionInput(
        principal_id=kommun.id, what="Hemtjänsten hjälper till med dusch",
        goal="Duscha utan att vara rädd", responsible="Maria Holm",
        how_often="Tisdag och fredag förmiddag", unit="Hemtjänst Norr",
        starts_on=dt.date(2026, 12, 14), ends_on=dt.date(2027, 3, 10)))
    plan.save_intervention(world["manager"], p, InterventionInput(
        principal_id=kommun.id, what="Trygghetslarm som går till hemtjänsten",
        goal="Känna mig trygg på natten", responsible="Maria Holm", how_often="Dygnet runt",
        unit="Hemtjänst Norr", status=InterventionStatus.ONGOING,
        starts_on=dt.date(2026, 12, 11)))
    for n in range(extra_interventions):
        plan.save_intervention(world["manager"], p, InterventionInput(
            principal_id=kommun.id,
            what=f"Insats nummer {n + 1}: hjälp med tvätt, städning och inköp enligt "
                 "överenskommelse med Åsa",
            goal="Bo kvar hemma", responsible="Maria Holm", how_often="Varje vecka",
            unit="Hemtjänst Norr", starts_on=dt.date(2026, 12, 14)))
    plan.save_intervention(world["nurse"], p, InterventionInput(
        principal_id=region.id, what="Distriktssköterskan går igenom medicinerna",
        goal="Ta medicinerna vid rätt tid", responsible="Per Nord",
        how_often="En gång i månaden", unit="Vårdcentralen Exempelby"))
    plan.save_intervention(world["nurse"], p, InterventionInput(
        principal_id=region.id, what="Psykiatrimottagningen gör inget nytt just nu",
        no_action=True))
    plan.set_other_actions(world["officer"], p, [
        ("Dottern Greta", "Handlar mat varje lördag", "Lördagar"),
        ("Åsa själv", "Går en kort promenad med grannen", "Varje dag")])
    return plan.get_version(p.id)


def approve_all(world: dict, p: PlanVersion) -> PlanVersion:
    """Each principal's user marks its part finished, then approves: the version locks."""
    def user_for(part: PrincipalPart) -> User:
        return world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]

    for part in plan.parts(p):
        plan.mark_part_finished(user_for(part), p, part.principal_id)
    for part in plan.parts(p):
        # The filler texts ("Insats nummer 3") are for tests, not for a person: approved as read.
        plan.approve(user_for(part), p, part.principal_id, plain_language_acknowledged=True)
    approved = plan.get_version(p.id)
    assert approved.locked
    return approved


def more_cases(officer: User, count: int) -> list[Case]:
    """`count` new cases, each for a new person (Skatteverket test numbers not yet used)."""
    taken = {p.personal_number for p in Person.select(Person.personal_number)}
    numbers = [n for n in skatteverket_test_numbers() if n not in taken][:count]
    made = []
    for n, number in enumerate(numbers):
        person = people.create_person(people.PersonInput(number, "Test", f"Person Nr{n}"),
                                      actor=officer)
        made.append(cases.create_case(officer, person=person))
    return made


def clone_plan(source: PlanVersion, case: Case, *, number: int = 1,
               approved: bool | None = None) -> PlanVersion:
    """A copy of `source` as version `number` of `case`, row by row — for printing many plans
    fast (the rules were checked when `source` was written through the core). `approved`
    False makes the copy a draft (approvals cleared); None keeps the source's state."""
    fields = {name: getattr(source, name) for name in plan.SHARED_FIELDS
              if name != "overall_principal"}
    copy = PlanVersion.create(
        case=case, meeting=None, number=number, kind=source.kind,
        meeting_date=source.meeting_date, documented_by=source.documented_by_id,
        overall_principal=source.overall_principal_id,
        locked_at=None if approved is False else source.locked_at, **fields)
    PlanParticipant.insert_many([
        dict(plan=copy.id, name=p.name, initials=p.initials, profession=p.profession,
             organisation=p.organisation, principal=p.principal_id, contact=p.contact,
             user=p.user_id, position=p.position) for p in plan.participants(source)]).execute()
    SubGoal.insert_many([dict(plan=copy.id, text=g, position=i)
                         for i, g in enumerate(plan.sub_goals(source))]).execute()
    Intervention.insert_many([
        dict(plan=copy.id, principal=i.principal_id, unit=i.unit, what=i.what, goal=i.goal,
             responsible=i.responsible, how_often=i.how_often, starts_on=i.starts_on,
             ends_on=i.ends_on, status=i.status, no_action=i.no_action,
             written_by=i.written_by_id, position=i.position)
        for i in plan.interventions(source)]).execute()
    others = plan.other_actions(source)
    if others:
        OtherAction.insert_many([dict(plan=copy.id, who=o.who, what=o.what, when=o.when,
                                      position=o.position) for o in others]).execute()
    PrincipalPart.insert_many([
        dict(plan=copy.id, principal=part.principal_id, finished_at=part.finished_at,
             finished_by=part.finished_by_id,
             approved_at=None if approved is False else part.approved_at,
             approved_by=None if approved is False else part.approved_by_id,
             on_behalf=part.on_behalf)
        for part in plan.parts(source)]).execute()
    return copy
