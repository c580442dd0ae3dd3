"""A SIP for a child (seed 002), for the tests of the child's voice and of school: the people and
directory of `kallelse_world`, a case for Lo Ung (nine years old on the meeting day) whose two
guardians consented, a school in the directory (a principal of kind "other", skollagen), the
meeting with the municipality, the region and the school held, and plan version 1 started.
Fictional names; Skatteverket test personal numbers."""

from __future__ import annotations

import datetime as dt

from sipdesk.casework import consent, contacts, people
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.meetings import invitation, meeting
from sipdesk.meetings.invitation import InvitationDraft, ParticipantInput, ParticipantKind
from sipdesk.plans import plan
from sipdesk.storage.models import Case, ContactKind, Law, PrincipalKind
from tests.factories import PNR_CHILD, make_case, make_person
from tests.scenarios import MEETING, NOW, entry_for, kallelse_world

CHILD_NAME = "Lo Ung"
SCHOOL_PRINCIPAL = "Exempelby kommun, utbildningsförvaltningen"


def child_world() -> dict:
    """kallelse_world with a child's case (consent from both guardians) and a school."""
    world = kallelse_world()
    officer, manager = world["officer"], world["manager"]
    child = make_person(PNR_CHILD, "Lo", "Ung")
    guardians = [people.add_contact(child, actor=officer, kind=ContactKind.GUARDIAN, name=name,
                                    relation=relation, phone="070-000 00 0" + digit,
                                    address="Skolgatan 3, 123 45 Exempelby")
                 for name, relation, digit in (("Karin Ung", "Mamma", "1"),
                                               ("Olle Ung", "Pappa", "2"))]
    case = make_case(officer, child)
    school_principal = contacts.ensure_principal(SCHOOL_PRINCIPAL, PrincipalKind.OTHER)
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Samordning av stödet till Lo",
        principals=[world["municipality"], world["region"], school_principal],
        guardians=guardians), today=NOW.date())
    school = contacts.add_organisation(manager, name="Exempelskolan", principal=school_principal,
                                       kind=OrganisationKind.SCHOOL, law=Law.SCHOOL,
                                       phone="0000-55 55 55", address="Skolvägen 1, 123 45 "
                                                                      "Exempelby")
    world.update(case=Case.get_by_id(case.id), child=child, guardians=guardians,
                 school_principal=school_principal,
                 teacher=contacts.add_contact(manager, school, name="Sara Lärare",
                                              role="Mentor"))
    return world


def child_draft(world: dict, *, school: bool = True) -> InvitationDraft:
    """The child, the municipality (home care, the convener), the region and the school."""
    participants = [ParticipantInput(ParticipantKind.PERSON, CHILD_NAME),
                    entry_for(world["officer"]), entry_for(world["manager"]),
                    entry_for(world["nurse"]), entry_for(world["doctor"])]
    if school:
        participants.append(entry_for(world["teacher"]))
    return InvitationDraft(
        purpose="Hur kan skolan, vårdcentralen och kommunen hjälpa Lo att orka hela dagen?",
        participants=participants, starts_at=MEETING,
        staff_meeting_at=MEETING - dt.timedelta(days=3), staff_meeting_place="Teams")


def child_plan_world() -> dict:
    """child_world with the meeting invited (`child_draft`), held with everyone there, and plan
    version 1 started by the coordinator."""
    world = child_world()
    row = invitation.send_invitation(world["officer"], world["case"], child_draft(world),
                                     current=NOW)
    people_there = invitation.participants_of(row)
    meeting.mark_held(world["officer"], row, {p.id: True for p in people_there},
                      current=MEETING + dt.timedelta(hours=1))
    world["meeting"] = invitation.Meeting.get_by_id(row.id)
    world["plan"] = plan.start_documentation(world["officer"], world["meeting"])
    world["case"] = Case.get_by_id(world["case"].id)
    return world


def fill_child_plan(world: dict) -> plan.PlanVersion:
    """What the law and the seeds ask for, each principal writing its own part — the school's
    written by the coordinator (the school has no account). The child's voice is left to each
    test."""
    p: plan.PlanVersion = world["plan"]
    kommun = world["municipality"]
    region = world["region"]
    plan.update_fields(world["officer"], p, {
        "current_situation": ("", "Lo är trött i skolan och har ont i magen på morgnarna."),
        "main_goal": ("", "Att Lo orkar vara i skolan hela dagen och känner sig trygg."),
        "follow_up_date": (None, dt.date(2027, 3, 10)),
        "follow_up_by": ("", "Anna Berg, biståndshandläggare"),
    })
    plan.save_intervention(world["manager"], p, plan.InterventionInput(
        principal_id=kommun.id, what="Stödfamilj en helg i månaden", responsible="Maria Holm",
        how_often="En helg i månaden", unit="Hemtjänst Norr"))
    plan.save_intervention(world["nurse"], p, plan.InterventionInput(
        principal_id=region.id, what="Skolsköterskan och vårdcentralen pratar om magen",
        responsible="Per Nord", how_often="Varannan vecka", unit="Vårdcentralen Exempelby"))
    plan.save_intervention(world["officer"], p, plan.InterventionInput(
        principal_id=world["school_principal"].id, what="En lugn plats att vila på efter lunch",
        responsible="Sara Lärare", how_often="Varje skoldag", unit="Exempelskolan"))
    plan.set_other_actions(world["officer"], p, [
        ("Mamma och pappa", "Följer Lo till skolan och pratar med henne om dagen", "Varje dag")])
    return plan.get_version(p.id)


def approve_child_plan(world: dict, p: plan.PlanVersion) -> plan.PlanVersion:
    """Each principal's part finished and approved: the municipality by Maria Holm, the region
    by Per Nord, the school by the coordinator on its behalf. The version locks."""
    who = {world["municipality"].id: world["manager"], world["region"].id: world["nurse"],
           world["school_principal"].id: world["officer"]}
    for part in plan.parts(p):
        plan.mark_part_finished(who[part.principal_id], p, part.principal_id)
    for part in plan.parts(p):
        plan.approve(who[part.principal_id], p, part.principal_id,
                     plain_language_acknowledged=True)
    approved = plan.get_version(p.id)
    assert approved.locked
    return approved
