"""Ready-made situations for tests: a case with consent and a directory, an invitation that
meets every rule, a held meeting. Fictional names; Skatteverket test personal numbers."""

from __future__ import annotations

import datetime as dt

from sipdesk.casework import consent, contacts
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import InvitationDraft, ParticipantInput, ParticipantKind
from sipdesk.storage.models import Case, Law, Principal, PrincipalKind, Role, User
from tests.factories import make_case, make_person, make_unit, make_user

NOW = dt.datetime(2026, 11, 23, 9, 0)
MEETING = dt.datetime(2026, 12, 10, 13, 0)


def kallelse_world() -> dict:
    officer = make_user("anna.berg", unit=make_unit("Biståndsenheten"))
    manager = make_user("maria.holm", unit=make_unit("Hemtjänst Norr"), full_name="Maria Holm",
                        role=Role.UNIT_MANAGER)
    nurse_unit = make_unit("Vårdcentralen Exempelby", law=Law.HSL,
                           principal="Region Exempelland", kind=PrincipalKind.REGION)
    nurse = make_user("per.nord", unit=nurse_unit, full_name="Per Nord")
    region = Principal.get(Principal.name == "Region Exempelland")
    municipality = Principal.get(Principal.name == "Exempelby kommun")
    psych = contacts.add_organisation(manager, name="Psykiatrimottagningen", principal=region,
                                      kind=OrganisationKind.OUTPATIENT, law=Law.HSL,
                                      phone="010-123 00 00")
    doctor = contacts.add_contact(manager, psych, name="Eva Läkare", role="Läkare")
    interpreters = contacts.add_organisation(
        manager, name="Tolkförmedlingen", principal=contacts.ensure_principal(
            "Tolkförmedlingen Väst", PrincipalKind.OTHER),
        kind=OrganisationKind.INTERPRETER, law=Law.OTHER, phone="010-999 99 99")
    interpreter = contacts.add_contact(manager, interpreters, name="Ali Tolk", role="Tolk")
    case = make_case(officer, make_person())
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Samordning av stödet",
        principals=[municipality, region], relatives_to_invite="Dottern Greta"),
        today=NOW.date())
    return {"officer": officer, "manager": manager, "nurse": nurse, "case": Case.get_by_id(
        case.id), "doctor": doctor, "interpreter": interpreter, "region": region,
        "municipality": municipality}


def entry_for(user_or_contact: object) -> ParticipantInput:
    if isinstance(user_or_contact, User):
        found = contacts.entry(contacts.EntryKind.USER, user_or_contact.id)
    else:
        found = contacts.entry(contacts.EntryKind.CONTACT, user_or_contact.id)  # type: ignore
    return ParticipantInput.from_directory(found)


def good_draft(world: dict) -> InvitationDraft:
    return InvitationDraft(
        purpose="Hur kan hemtjänst och vårdcentral samordna stödet efter fallet?",
        participants=[
            ParticipantInput(ParticipantKind.PERSON, "Åsa Öberg"),
            entry_for(world["manager"]), entry_for(world["nurse"]), entry_for(world["doctor"]),
        ],
        starts_at=MEETING, staff_meeting_at=MEETING - dt.timedelta(days=3),
        staff_meeting_place="Teams")


def held_meeting(world: dict, *, absent: tuple[str, ...] = ()) -> invitation.Meeting:
    """Invite with `good_draft`, then hold the meeting with everyone but `absent` there."""
    from sipdesk.meetings import meeting

    row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                     current=NOW)
    people = invitation.participants_of(row)
    meeting.mark_held(world["officer"], row, {p.id: p.name not in absent for p in people},
                      current=MEETING + dt.timedelta(hours=1))
    return invitation.Meeting.get_by_id(row.id)


SUBSTITUTE = "Lisa Ström"


def invite_with_substitute(world: dict) -> invitation.Meeting:
    """Invite with `good_draft`; Per Nord cannot come and sends Lisa Ström (the answer taken
    on the phone by the convener)."""
    row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                     current=NOW)
    per = next(p for p in invitation.participants_of(row) if p.name == "Per Nord")
    invitation.register_answer(world["officer"], per, invitation.Answer.NOT_COMING,
                               substitute_name=SUBSTITUTE, substitute_contact="070-111 22 33")
    return row


def hold_with_substitute(world: dict, row: invitation.Meeting, *, absent: tuple[str, ...] = (),
                         substitute_came: bool = True) -> invitation.Meeting:
    """Hold `row` as the attendance dialog records it: one box a row, and the row of an invitee
    who sent a substitute is the substitute's box."""
    from sipdesk.meetings import attendance, meeting

    marks = {p.id: (substitute_came if attendance.sent_substitute(p) else p.name not in absent)
             for p in invitation.participants_of(row)}
    meeting.mark_held(world["officer"], row, marks, current=MEETING + dt.timedelta(hours=1))
    return invitation.Meeting.get_by_id(row.id)
