"""Who took part in a SIP meeting, and whom a follow-up invites — DOMAIN.md steps 8 and 10,
seed 000 (Kallelse, Dokumentation, Uppföljning).

A held meeting's attendance is stored on the invitees' rows (`Participant.attended`). An invitee
who could not come and sent a substitute is *represented*: `attended` then says whether the
substitute came, and the invitee themself did not. `took_part` turns that into the plan's
participants: the person, relatives, substitutes in place of the invitee who sent them, and the
convener when present — never someone who was absent.

`follow_up_invitees` is where a follow-up kallelse starts: the latest approved plan's
participants and the previous meeting's invitees, each once; the wizard lets the user remove
those no longer involved (step 10).
"""

from __future__ import annotations

from dataclasses import dataclass

from sipdesk.accounts.setup import propose_initials
from sipdesk.meetings.evaluation import person_was_child
from sipdesk.meetings.invitation import (
    Answer,
    HowInvited,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantInput,
    ParticipantKind,
    participants_of,
)
from sipdesk.storage.models import Case, Law, Principal, PrincipalKind, User
from sipdesk.storage.plan_records import PlanParticipant, PlanVersion

# The plan's list reads in the order the meeting introduces itself: the person first.
KIND_ORDER = (ParticipantKind.PERSON, ParticipantKind.RELATIVE, ParticipantKind.PROFESSIONAL,
              ParticipantKind.INTERPRETER)


def initials_of(name: str) -> str:
    """"Lisa Ström" → "LS" (the same proposal as for a new user; editable in the plan)."""
    return propose_initials(name)


def sent_substitute(p: Participant) -> bool:
    """The invitee said they could not come and named someone to come instead."""
    return p.answer == Answer.NOT_COMING.value and bool(p.substitute_name.strip())


def came(p: Participant) -> bool:
    """Whether whoever the row stands for came: the substitute when there is one, otherwise
    the invitee. The person counts as there unless marked as not having come."""
    if p.kind == ParticipantKind.PERSON.value and p.attended is None:
        return True
    return bool(p.attended)


@dataclass(frozen=True)
class TookPart:
    """One of the plan's participants, as the meeting tells it (DOMAIN step 8: name, initials,
    profession, organisation, contact). `stands_in_for` names the invitee a substitute
    replaced; `participant_id` is the meeting row it comes from."""

    kind: ParticipantKind
    name: str
    initials: str
    profession: str
    organisation: str
    contact: str
    principal_name: str = ""
    principal_kind: str = ""
    user_id: int | None = None
    stands_in_for: str = ""
    participant_id: int | None = None

    @property
    def represents_principal(self) -> bool:
        return self.kind is ParticipantKind.PROFESSIONAL and bool(self.principal_name)


NO_PROFESSION = "—"  # a child and the guardians, in a child's plan


def _contact(*parts: str) -> str:
    return ", ".join(x.strip() for x in parts if x and x.strip())


def took_part(meeting: Meeting) -> list[TookPart]:
    """The plan's participants from the held meeting's attendance: a substitute replaces the
    absent invitee, the absent are left out, the person is included (unless marked absent)."""
    rows = participants_of(meeting)
    users = {u.id: u for u in User.select().where(
        User.id.in_([p.user_id for p in rows if p.user_id is not None]))}
    found: list[TookPart] = []
    # A child's plan: the child and the guardians have no "Yrke" — a dash, not "Den enskilde"
    # (the plan asks for a profession for every participant: plan_rules.required_fields).
    child = person_was_child(meeting)
    for p in rows:
        if not came(p):
            continue
        kind = ParticipantKind(p.kind)
        if sent_substitute(p):
            name = p.substitute_name.strip()
            found.append(TookPart(
                kind=kind, name=name, initials=initials_of(name),
                profession="",  # not known: the wizard asks for it
                organisation=p.unit_name or p.principal_name, contact=p.substitute_contact,
                principal_name=p.principal_name if kind is ParticipantKind.PROFESSIONAL else "",
                principal_kind=p.principal_kind, stands_in_for=p.name, participant_id=p.id))
            continue
        user = users.get(p.user_id) if p.user_id is not None else None
        if kind is ParticipantKind.PERSON:
            profession = NO_PROFESSION if child else "Den enskilde"
            contact = _contact(p.phone, p.address)
        else:
            profession = NO_PROFESSION if child and kind is ParticipantKind.RELATIVE else (
                p.role or (user.profession if user else "") or (
                    kind.label if kind is not ParticipantKind.PROFESSIONAL else ""))
            contact = _contact(p.phone, p.email)
        found.append(TookPart(
            kind=kind, name=p.name, initials=(user.initials if user and user.initials
                                              else initials_of(p.name)),
            profession=profession,
            organisation=p.unit_name if kind in (ParticipantKind.PROFESSIONAL,
                                                 ParticipantKind.INTERPRETER) else "",
            contact=contact,
            principal_name=p.principal_name if kind is ParticipantKind.PROFESSIONAL else "",
            principal_kind=p.principal_kind, user_id=p.user_id, participant_id=p.id))
    return sorted(found, key=lambda t: KIND_ORDER.index(t.kind))


# ---- a follow-up's invitees -----------------------------------------------------------------

def _split_contact(text: str) -> tuple[str, str]:
    """(phone, e-mail) from a plan row's contact text such as "070-123 45 67, a@b.se"."""
    phone = email = ""
    for part in (x.strip() for x in text.split(",")):
        if "@" in part and not email:
            email = part
        elif part and not phone:
            phone = part
    return phone, email


def _way(phone: str, address: str, email: str) -> HowInvited:
    """Someone without an account: a letter when there is an address, else a call, else
    e-mail."""
    if address.strip():
        return HowInvited.LETTER
    if phone.strip():
        return HowInvited.PHONE
    return HowInvited.EMAIL if email.strip() else HowInvited.LETTER


def _from_user(user_id: int) -> ParticipantInput | None:
    from sipdesk.casework.contacts import EntryKind, entry

    user = User.get_or_none(User.id == user_id)
    if user is None or not user.active:
        return None  # left the organisation: not invited again
    return ParticipantInput.from_directory(entry(EntryKind.USER, user_id))


def _from_row(p: Participant) -> ParticipantInput | None:
    """An invitee of the previous meeting, as they were invited."""
    if p.user_id is not None:
        return _from_user(p.user_id)
    return ParticipantInput(
        kind=ParticipantKind(p.kind), name=p.name, role=p.role, contact_id=p.contact_id,
        principal_id=p.principal_id, principal_name=p.principal_name,
        principal_kind=PrincipalKind(p.principal_kind) if p.principal_kind else None,
        unit_name=p.unit_name, law=Law(p.law) if p.law else None, outpatient=p.outpatient,
        phone=p.phone, email=p.email, address=p.address,
        how_invited=HowInvited(p.how_invited) if p.how_invited != HowInvited.MESSAGE.value
        else None)


def _substitute(p: Participant, *, name: str, profession: str, contact: str
                ) -> ParticipantInput:
    """A substitute who took part in place of `p`: from the same principal and unit."""
    phone, email = _split_contact(contact or p.substitute_contact)
    return ParticipantInput(
        kind=ParticipantKind.PROFESSIONAL, name=name, role=profession,
        principal_id=p.principal_id, principal_name=p.principal_name,
        principal_kind=PrincipalKind(p.principal_kind) if p.principal_kind else None,
        unit_name=p.unit_name, law=Law(p.law) if p.law else None, outpatient=p.outpatient,
        phone=phone, email=email, how_invited=_way(phone, "", email))


def previous_meeting(case: Case) -> Meeting | None:
    """The latest meeting that was held."""
    return (Meeting.select().where((Meeting.case == case)
                                   & (Meeting.status == MeetingStatus.HELD.value))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()).first())


def follow_up_invitees(case: Case) -> list[ParticipantInput]:
    """Whom a follow-up kallelse starts with (DOMAIN step 10): the latest approved plan's
    participants, then the previous meeting's invitees not already among them — each once.
    The person is left out (the kallelse adds them itself)."""
    meeting = previous_meeting(case)
    rows = participants_of(meeting) if meeting is not None else []
    approved = (PlanVersion.select().where((PlanVersion.case == case)
                                           & PlanVersion.locked_at.is_null(False))
                .order_by(PlanVersion.number.desc()).first())
    person_name = case.person.full_name.casefold()
    chosen: list[ParticipantInput] = []
    seen: set[tuple[str, object]] = set()

    def keys(p: ParticipantInput) -> set[tuple[str, object]]:
        found: set[tuple[str, object]] = {("name", p.name.strip().casefold())}
        if p.user_id is not None:
            found.add(("user", p.user_id))
        if p.contact_id is not None:
            found.add(("contact", p.contact_id))
        return found

    def take(p: ParticipantInput | None) -> None:
        if p is None or p.kind is ParticipantKind.PERSON \
                or p.name.strip().casefold() == person_name:
            return
        if keys(p) & seen:
            return
        seen.update(keys(p))
        chosen.append(p)

    if approved is not None:
        plan_rows = (PlanParticipant.select().where(PlanParticipant.plan == approved)
                     .order_by(PlanParticipant.position, PlanParticipant.id))
        for row in plan_rows:
            name = row.name.strip().casefold()
            if row.user_id is not None:
                take(_from_user(row.user_id))
                continue
            invited = next((p for p in rows if p.user_id is None
                            and p.name.strip().casefold() == name), None)
            standing_in = next((p for p in rows if sent_substitute(p)
                                and p.substitute_name.strip().casefold() == name), None)
            if invited is not None:
                take(_from_row(invited))
            elif standing_in is not None:
                take(_substitute(standing_in, name=row.name, profession=row.profession,
                                 contact=row.contact))
            else:  # added in the plan by hand
                take(_from_plan_row(row))
    for p in rows:
        take(_from_row(p))
    return chosen


def _from_plan_row(row: PlanParticipant) -> ParticipantInput:
    """Someone added to the plan by hand: a professional when a principal is named."""
    principal = Principal.get_or_none(Principal.id == row.principal_id) \
        if row.principal_id else None
    phone, email = _split_contact(row.contact)
    return ParticipantInput(
        kind=ParticipantKind.PROFESSIONAL if principal else ParticipantKind.RELATIVE,
        name=row.name, role=row.profession,
        principal_id=principal.id if principal else None,
        principal_name=principal.name if principal else "",
        principal_kind=PrincipalKind(principal.kind) if principal else None,
        unit_name=row.organisation, phone=phone, email=email,
        how_invited=_way(phone, "", email))
