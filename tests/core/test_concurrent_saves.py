"""Edits by two people at once (issue 13), on both engines: a save compares only the fields the
user changed with the values they loaded, in the UPDATE itself — edits to different fields
merge, the same field changed by both is a conflict carrying both sides, the lists edited as a
whole are versioned as a whole, and a choice saved after a conflict is compared with the new
stored value (a third save in between is seen again)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import peewee
import pytest

from sipdesk.casework import contacts, lifecycle
from sipdesk.casework.need import NeedInput, NoticedBy
from sipdesk.errors import ConflictError
from sipdesk.plans import plan
from sipdesk.plans.plan import InterventionInput, InterventionStatus
from sipdesk.storage.models import Law, Person, PrincipalKind
from tests.factories import make_person
from tests.plan_scenarios import fill, plan_world, principal


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def _contact(world: dict) -> contacts.Contact:
    region = contacts.ensure_principal("Region Exempelland", PrincipalKind.REGION)
    org = contacts.add_organisation(world["manager"], name="Vårdcentralen Norr",
                                    principal=region, kind=contacts.OrganisationKind.OUTPATIENT,
                                    law=Law.HSL, phone="010-100 00 00")
    return contacts.add_contact(world["manager"], org, name="Eva Ek", role="Sjuksköterska",
                                phone="010-111 11 11")


# ---- one record, two copies ---------------------------------------------------------------

def test_edits_to_different_fields_of_one_record_both_stay(db: peewee.Database) -> None:
    person = make_person()
    mine, theirs = Person.get_by_id(person.id), Person.get_by_id(person.id)
    theirs.phone = "070-111 11 11"
    theirs.save_versioned()
    mine.city = "Exempelby"
    mine.save_versioned()  # no conflict: they changed another field

    stored = Person.get_by_id(person.id)
    assert (stored.phone, stored.city) == ("070-111 11 11", "Exempelby")
    assert stored.version == 3  # each save still bumps the version
    assert mine.phone == "070-111 11 11"  # my copy now holds what is stored


def test_the_same_field_changed_by_both_is_a_conflict_with_both_sides(
        db: peewee.Database) -> None:
    person = make_person()
    mine, theirs = Person.get_by_id(person.id), Person.get_by_id(person.id)
    theirs.phone = "070-111 11 11"
    theirs.save_versioned()
    mine.phone = "070-222 22 22"
    mine.city = "Exempelby"
    with pytest.raises(ConflictError) as info:
        mine.save_versioned()

    [clash] = info.value.conflicts  # only the overlapping field
    assert (clash.field, clash.label) == ("phone", "Telefon")
    assert (clash.mine, clash.theirs) == ("070-222 22 22", "070-111 11 11")
    stored = Person.get_by_id(person.id)
    assert (stored.phone, stored.city) == ("070-111 11 11", "")  # nothing of mine written


def test_the_same_change_made_twice_is_no_conflict(db: peewee.Database) -> None:
    person = make_person()
    mine, theirs = Person.get_by_id(person.id), Person.get_by_id(person.id)
    theirs.city = "Exempelby"
    theirs.save_versioned()
    mine.city = "Exempelby"
    mine.save_versioned()
    assert Person.get_by_id(person.id).city == "Exempelby"


def test_a_choice_after_a_conflict_is_compared_with_the_new_value(db: peewee.Database) -> None:
    """Keep mine is saved against their version: a third save in between is seen again."""
    person = make_person()
    mine, theirs = Person.get_by_id(person.id), Person.get_by_id(person.id)
    theirs.phone = "070-111 11 11"
    theirs.save_versioned()
    mine.phone = "070-222 22 22"
    with pytest.raises(ConflictError) as first:
        mine.save_versioned()
    mine.rebase({c.field: c.theirs for c in first.value.conflicts})  # "Behåll min"

    third = Person.get_by_id(person.id)
    third.phone = "070-333 33 33"
    third.save_versioned()
    with pytest.raises(ConflictError) as second:
        mine.save_versioned()
    assert second.value.conflicts[0].theirs == "070-333 33 33"

    mine.rebase({c.field: c.theirs for c in second.value.conflicts})
    mine.save_versioned()  # nobody in between this time
    assert Person.get_by_id(person.id).phone == "070-222 22 22"


def test_a_state_move_made_twice_is_refused_the_second_time(world: dict) -> None:
    """Two people closing a case at once: the status is strict, the second is told."""
    case = world["case"]
    mine = type(case).get_by_id(case.id)
    theirs = type(case).get_by_id(case.id)
    theirs.status = "closed"
    theirs.save_versioned()
    mine.status = "closed"
    with pytest.raises(ConflictError):
        mine.save_versioned()


# ---- contacts, the need, interventions, participants -------------------------------------

def test_contacts_merge_different_fields_and_tell_a_clash(world: dict) -> None:
    contact = _contact(world)
    mine = contacts.get_contact(contact.id)
    theirs = contacts.get_contact(contact.id)
    theirs.phone = "010-222 22 22"
    contacts.update_contact(world["manager"], theirs)
    mine.role = "Distriktssköterska"
    contacts.update_contact(world["manager"], mine)
    stored = contacts.get_contact(contact.id)
    assert (stored.phone, stored.role) == ("010-222 22 22", "Distriktssköterska")

    a, b = contacts.get_contact(contact.id), contacts.get_contact(contact.id)
    a.name = "Eva Eklund"
    contacts.update_contact(world["manager"], a)
    b.name = "Eva Ek-Berg"
    with pytest.raises(ConflictError) as info:
        contacts.update_contact(world["manager"], b)
    assert [(c.label, c.mine, c.theirs) for c in info.value.conflicts] == [
        ("Namn", "Eva Ek-Berg", "Eva Eklund")]  # the search key follows the name, unshown
    assert contacts.get_contact(contact.id).name_key == "eva eklund"


def test_the_need_merges_different_fields(world: dict) -> None:
    case, officer = world["case"], world["officer"]
    record = lifecycle.need_of(case) or lifecycle.register_need(officer, case, NeedInput(
        noticed_by=NoticedBy.STAFF, noticed_on=dt.date(2026, 11, 2),
        need="Åsa är rädd på nätterna", question="Vad behöver Åsa?", noticed_by_user=officer))
    base = lifecycle.need_values(record)

    def data(**changes: str) -> NeedInput:
        values = dict(need=record.need, question=record.question)
        values.update(changes)
        return NeedInput(noticed_by=NoticedBy(record.noticed_by), noticed_on=record.noticed_on,
                         noticed_by_user=record.noticed_by_user,
                         noticed_by_name=record.noticed_by_name, **values)

    lifecycle.register_need(officer, case, data(need="Behöver hjälp på natten"), base=base)
    lifecycle.register_need(officer, case, data(question="Hur blir Åsa trygg?"), base=base)
    stored = lifecycle.need_of(case)
    assert stored is not None
    assert (stored.need, stored.question) == ("Behöver hjälp på natten", "Hur blir Åsa trygg?")
    with pytest.raises(ConflictError) as info:
        lifecycle.register_need(officer, case, data(need="Något annat"), base=base)
    assert info.value.conflicts[0].theirs == "Behöver hjälp på natten"


def test_interventions_merge_different_fields_and_tell_a_clash(world: dict) -> None:
    p = fill(world)
    manager = world["manager"]
    item = next(i for i in plan.interventions(p) if i.principal_id == principal(
        "Exempelby kommun").id)
    base = InterventionInput.of(item)
    plan.save_intervention(manager, p, dataclasses.replace(base, how_often="Varje dag"),
                           item.id, base=base)
    plan.save_intervention(manager, p, dataclasses.replace(
        base, status=InterventionStatus.ONGOING), item.id, base=base)
    stored = plan.Intervention.get_by_id(item.id)
    assert (stored.how_often, stored.status) == ("Varje dag", "ongoing")
    assert stored.version == item.version + 2

    with pytest.raises(ConflictError) as info:
        plan.save_intervention(manager, p, dataclasses.replace(base, how_often="Varje vecka"),
                               item.id, base=base)
    [clash] = info.value.conflicts
    assert (clash.label, clash.mine, clash.theirs) == (
        "När eller hur ofta", "Varje vecka", "Varje dag")


def test_plan_participants_merge_different_fields(world: dict) -> None:
    p = world["plan"]
    row = plan.participants(p)[0]
    base = {"name": row.name, "initials": row.initials, "profession": row.profession,
            "organisation": row.organisation, "contact": row.contact,
            "principal_id": row.principal_id}
    officer = world["officer"]
    plan.save_participant(officer, p, **{**base, "profession": "Kurator"},
                          participant_id=row.id, base=base)
    plan.save_participant(officer, p, **{**base, "contact": "070-123 45 67"},
                          participant_id=row.id, base=base)
    stored = plan.PlanParticipant.get_by_id(row.id)
    assert (stored.profession, stored.contact) == ("Kurator", "070-123 45 67")
    with pytest.raises(ConflictError):
        plan.save_participant(officer, p, **{**base, "profession": "Läkare"},
                              participant_id=row.id, base=base)


# ---- lists edited as a whole ---------------------------------------------------------------

def test_a_list_is_versioned_as_a_whole(world: dict) -> None:
    p, officer, nurse = world["plan"], world["officer"], world["nurse"]
    start = plan.get_version(p.id).sub_goals_version
    assert plan.save_sub_goals(officer, p, [], ["Gå ut varje dag"]) is None
    assert plan.get_version(p.id).sub_goals_version == start + 1

    clash = plan.save_sub_goals(nurse, p, [], ["Ta medicinerna"])  # loaded the empty list
    assert clash is not None
    assert (clash.mine, clash.theirs) == (["Ta medicinerna"], ["Gå ut varje dag"])
    assert plan.sub_goals(p) == ["Gå ut varje dag"]  # nothing of the clash written

    # Keep both, by hand: saved against the list as it is now.
    assert plan.save_sub_goals(nurse, p, clash.theirs,
                               ["Gå ut varje dag", "Ta medicinerna"]) is None
    assert plan.sub_goals(p) == ["Gå ut varje dag", "Ta medicinerna"]
    assert plan.get_version(p.id).sub_goals_version == start + 2


def test_actions_by_others_are_versioned_as_a_whole(world: dict) -> None:
    p, officer, nurse = world["plan"], world["officer"], world["nurse"]
    empty: plan.OthersValue = ((), False)
    mine = ((("Dottern Greta", "Handlar", "Lördagar"),), False)
    assert plan.save_other_actions(officer, p, empty, mine) is None
    clash = plan.save_other_actions(nurse, p, empty, ((), True))
    assert clash is not None and clash.theirs == mine
    assert plan.others_value(p) == mine
    assert plan.get_version(p.id).others_version == 2
