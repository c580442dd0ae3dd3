"""School, preschool and elevhälsa in a child's SIP (seeds 002 §2.1, §3.1, §3.2 and 001) on both
engines: a school is a principal of kind "other" under the school law and counts as neither the
municipality nor the region; a school may be invited, and may convene a SIP together with a
municipality and a region; a school cannot convene alone — the school and one principal is not a
SIP, refused with the reason and another meeting form; the school's duty to cooperate when
social services or the region asks (skollagen 29 kap. 13 §)."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.casework import contacts
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.errors import ValidationError
from sipdesk.meetings import invitation, school
from sipdesk.meetings.invitation import ParticipantKind
from sipdesk.meetings.school import OtherMeetingForm
from sipdesk.storage.models import Law, PrincipalKind, Role
from tests.child_scenarios import SCHOOL_PRINCIPAL, child_draft, child_world
from tests.factories import make_unit, make_user
from tests.scenarios import NOW, entry_for


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return child_world()


def only(draft: invitation.InvitationDraft, *names: str) -> invitation.InvitationDraft:
    """The draft with the professionals named and the child."""
    draft.participants = [p for p in draft.participants
                          if p.kind is ParticipantKind.PERSON or p.name in names]
    return draft


def test_school_kinds_are_the_directorys_school_law_organisations() -> None:
    """School, preschool and elevhälsa: in the directory, under the school law."""
    assert set(school.SCHOOL_KINDS) == {OrganisationKind.SCHOOL.value,
                                        OrganisationKind.PRESCHOOL.value,
                                        OrganisationKind.STUDENT_HEALTH.value}
    assert [OrganisationKind(k).label for k in school.SCHOOL_KINDS] == [
        "Skola", "Förskola", "Elevhälsa"]
    assert Law.SCHOOL.label == "Skollagen"


def test_a_school_may_be_invited_to_a_sip_with_the_municipality_and_the_region(
        world: dict) -> None:
    draft = child_draft(world)
    teacher = next(p for p in draft.participants if p.name == "Sara Lärare")
    assert (teacher.law, teacher.principal_kind) == (Law.SCHOOL, PrincipalKind.OTHER)
    assert invitation.check_participants(world["case"], draft).problems == {}
    meeting = invitation.send_invitation(world["officer"], world["case"], draft, current=NOW)
    assert "Sara Lärare" in {p.name for p in invitation.participants_of(meeting)}


@pytest.mark.parametrize(("kept", "present"), [
    (("Sara Lärare", "Per Nord", "Eva Läkare"), "regionen"),
    (("Sara Lärare", "Anna Berg", "Maria Holm"), "kommunen"),
])
def test_school_cannot_convene_alone_school_and_one_principal_is_not_a_sip(
        world: dict, kept: tuple[str, ...], present: str) -> None:
    """Seed 002 §3.1: "SIP innefattar alltid att minst en aktör från regionen samt från kommunen
    deltar … annars är det inte en SIP" — refused with the reason and another meeting form
    (§3.2: informationsmöte, nätverksmöte, konsultation)."""
    draft = only(child_draft(world), *kept)
    problem = invitation.check_participants(world["case"], draft).problems["participants"]
    assert problem.startswith(f"Skolan och {present} räcker inte för en SIP")
    assert "skolan räknas inte som någon av dem" in problem
    for form in ("informationsmöte", "nätverksmöte", "konsultation"):
        assert form in problem
    assert "Det är inte en SIP" in problem
    with pytest.raises(ValidationError) as refused:
        invitation.send_invitation(world["officer"], world["case"], draft, current=NOW)
    assert refused.value.field == "participants" and str(refused.value) == problem


def test_school_alone_is_not_a_sip() -> None:
    """Only the school: the municipality and the region are both missing."""
    teacher = invitation.ParticipantInput(ParticipantKind.PROFESSIONAL, "Sara Lärare",
                                          principal_kind=PrincipalKind.OTHER, law=Law.SCHOOL)
    refused = school.not_a_sip([teacher])
    assert refused is not None
    assert refused.missing == (PrincipalKind.MUNICIPALITY, PrincipalKind.REGION)
    assert refused.reason.startswith("Skolan kan inte ha en SIP ensam")
    assert refused.suggestions == tuple(OtherMeetingForm)
    assert "kommunen" in refused.message and "regionen" in refused.message


def test_a_school_counts_as_neither_municipality_nor_region_even_when_the_municipality_runs_it(
        world: dict) -> None:
    """A school registered under the municipality itself still acts under the school law."""
    run_by_kommun = contacts.add_organisation(
        world["manager"], name="Kommunala förskolan Solen", principal=world["municipality"],
        kind=OrganisationKind.PRESCHOOL, law=Law.SCHOOL, phone="0000-11 11 11")
    teacher = contacts.add_contact(world["manager"], run_by_kommun, name="Pia Pedagog")
    draft = only(child_draft(world), "Per Nord", "Eva Läkare")
    draft.participants.append(entry_for(teacher))
    assert draft.participants[-1].principal_kind is PrincipalKind.MUNICIPALITY
    problem = invitation.check_participants(world["case"], draft).problems["participants"]
    assert problem.startswith("Skolan och regionen räcker inte för en SIP")


def test_a_school_that_convenes_takes_part_and_needs_the_municipality_and_the_region(
        world: dict) -> None:
    """Seed 002 (the BUS agreement): schools and preschools may convene a SIP — with a
    municipality and a region. A school's user who leaves themselves out of the list is still
    one of the meeting, so the school and the region alone are refused."""
    unit = make_unit("Elevhälsan Exempelskolan", law=Law.SCHOOL, principal=SCHOOL_PRINCIPAL,
                     kind=PrincipalKind.OTHER)
    counsellor = make_user("kim.kurator", unit=unit, full_name="Kim Kurator", role=Role.STAFF)
    case = world["case"]
    case.coordinator = counsellor  # the school convenes and coordinates
    case.save_versioned()
    draft = only(child_draft(world), "Per Nord", "Eva Läkare")
    assert invitation.check_participants(case, draft).problems  # no municipality
    with pytest.raises(ValidationError, match="Skolan och regionen räcker inte"):
        invitation.send_invitation(counsellor, case, draft, current=NOW)
    draft = only(child_draft(world), "Per Nord", "Eva Läkare", "Maria Holm")
    meeting = invitation.send_invitation(counsellor, case, draft, current=NOW)
    convener = next(p for p in invitation.participants_of(meeting) if p.user_id == counsellor.id)
    assert (convener.law, convener.principal_kind) == (Law.SCHOOL.value,
                                                       PrincipalKind.OTHER.value)


@pytest.mark.parametrize(("law", "kind", "must"), [
    (Law.SOL, PrincipalKind.MUNICIPALITY, True),  # social services asks
    (Law.LSS, PrincipalKind.MUNICIPALITY, True),
    (Law.HSL, PrincipalKind.REGION, True),  # the region asks
    (Law.HSL, PrincipalKind.MUNICIPALITY, True),  # the municipality's health care
    (Law.SCHOOL, PrincipalKind.OTHER, False),  # the school convenes itself
    (Law.SCHOOL, PrincipalKind.MUNICIPALITY, False),
    (Law.OTHER, PrincipalKind.OTHER, False),  # e.g. Försäkringskassan: no such duty
])
def test_school_must_cooperate_when_social_services_or_the_region_asks(
        law: Law, kind: PrincipalKind, must: bool) -> None:
    """Skollagen 29 kap. 13 § (seed 002 §2.1)."""
    assert school.school_must_cooperate(convener_law=law, convener_kind=kind) is must
    assert school.school_must_cooperate(convener_law=law.value, convener_kind=kind.value) is must
    assert "29 kap. 13 §" in school.SCHOOL_DUTY
