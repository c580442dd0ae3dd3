"""Protected identities (skyddade personuppgifter: sekretessmarkering, skyddad folkbokföring,
fingerade personuppgifter), issue 12 — the rules in one place.

For a protected person:
- the address is never shown or printed (`address_hidden`): not on a screen, a letter, a
  calendar file or a printed plan. A letter to them is addressed to their coordinator's unit,
  "för vidarebefordran": the coordinator sends it on (`FORWARD_NOTE`);
- the case list shows the name and personal number only to the case's coordinator and the
  users invited to one of its meetings (`name_visible`, `may_see_name`); others see
  `MASKED_NAME`. An administrator is no exception: their work is the system, not the case;
- every opening of the case asks for a reason, which goes into the audit log (`checked_reason`,
  used by sipdesk.desk.cases.open_case);
- the coordinator of one of the person's cases, or an administrator, marks or unmarks it
  (`set_protection`), logged. Marking forgets the address copied into the person's meetings;
  lifting writes it back into those still planned (a held or cancelled one keeps what it said).
"""

from __future__ import annotations

import peewee as pw

from sipdesk.accounts import audit
from sipdesk.accounts.access import NOT_YOURS, invited_to, visible_cases
from sipdesk.accounts.audit import AuditAction
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.storage.db import database
from sipdesk.storage.limits import fit
from sipdesk.storage.meeting_records import Meeting, MeetingStatus, Participant, ParticipantKind
from sipdesk.storage.models import Case, Person, Protection, Role, User

MASKED_NAME = "Skyddad identitet"
MASKED_NUMBER = "—"
# Where a letter to a protected person goes: the coordinator's unit, who sends it on.
FORWARD_NOTE = "För vidarebefordran"
HIDDEN_ADDRESS = "Adressen visas inte (skyddad identitet)"
# A meeting in the person's home, said without the address (sipdesk.meetings.invitation.HOME).
HOME_PLACE = "Hemma hos den enskilde"
CHILD_HOME_PLACE = "Hemma hos barnet"  # the person a child on the meeting's day
HOME_PLACES = (HOME_PLACE, CHILD_HOME_PLACE)
REASON_LIMIT = 200
NOT_PERMITTED = "Bara samordningsansvarig eller en administratör kan ändra skyddad identitet."
NEED_REASON = ("Personen har skyddad identitet. Skriv varför du öppnar ärendet — "
               "skälet sparas i händelseloggen.")


def protection_of(person: Person) -> Protection:
    return Protection(person.protection or Protection.NONE.value)


def is_protected(person: Person) -> bool:
    return protection_of(person) is not Protection.NONE


def address_hidden(person: Person) -> bool:
    """The person's address must not be shown or printed anywhere."""
    return is_protected(person)


def shown_address_lines(person: Person) -> list[str]:
    """The address lines a screen may show: none for a protected person."""
    if address_hidden(person):
        return []
    lines = [person.address.strip(), f"{person.postal_code} {person.city}".strip()]
    return [line for line in lines if line]


def drop_address(person: Person) -> None:
    """Blank a protected person's address in this copy, read for a screen, so no view can show
    it. The copy is not saved (the fields are set as loaded, not as changed)."""
    if address_hidden(person):
        for name in ("address", "postal_code", "city"):
            person.__data__[name] = ""


def scrub_address(text: str, person: Person) -> str:
    """`text` without the protected person's address (a contact detail written down before the
    person was marked, e.g. in an earlier plan version): for printing and showing."""
    if not address_hidden(person):
        return text
    town = f"{person.postal_code} {person.city}".strip()
    for part in (person.address.strip(), town, person.postal_code.strip()):
        if len(part) >= 3:
            text = text.replace(part, "")
    return ", ".join(x.strip() for x in text.split(",") if x.strip())


def _invited_cases(user: User) -> pw.ModelSelect[Meeting]:
    return (Meeting.select(Meeting.case)
            .join(Participant, on=(Participant.meeting == Meeting.id))
            .where(Participant.user == user.id))


def name_visible(user: User) -> pw.ColumnBase:
    """SQL condition on a `Case` row joined to its `Person`: may the user see the person's name
    and personal number in a list? Yes for an unprotected person; for a protected one only as
    the case's coordinator or a participant (invited to one of its meetings)."""
    if not user.active:
        return pw.SQL("1 = 0")
    return ((Person.protection == Protection.NONE.value) | (Case.coordinator == user.id)
            | invited_to(user, case_by_case=True))


def found_by_name_only_if_visible(user: User, matching: pw.ColumnBase) -> pw.ColumnBase:
    """SQL condition on `Case` for a search by name or personal number (`matching`: the
    condition on `Person` the text sets): a protected person's case is found that way only by
    one who may see the name — for others a masked row would still say whose case it is. (A
    search by case number finds it, masked.) The protected persons among the matches are few,
    so this is a test of each candidate case, not a way into the list. One read of `person`,
    protected first: on PostgreSQL each read of it asks its row-level security policy, and the
    server asks it only of the few protected persons."""
    hidden = Person.select(Person.id).where(
        (Person.protection != Protection.NONE.value) & matching)
    if not user.active:
        return pw.SQL("1 = 0")
    near = (Case.coordinator == user.id) | invited_to(user, case_by_case=True)
    return pw.Expression(Case.person, "not in", hidden) | near


def may_see_name(user: User, case: Case, person: Person) -> bool:
    """`name_visible` for one case already read."""
    if not is_protected(person):
        return True
    if not user.active:
        return False
    return case.coordinator_id == user.id or bool(
        _invited_cases(user).where(Meeting.case == case.id).exists())


def person_name_visible(user: User) -> pw.ColumnBase:
    """SQL condition on `Person` rows, for a search of persons rather than cases (the new-case
    dialog): may the user see the person's name and personal number? Yes for an unprotected
    person; for a protected one only as the coordinator of one of their cases or a user invited
    to one of its meetings (`name_visible`)."""
    unprotected = Person.protection == Protection.NONE.value
    if not user.active:
        return unprotected
    near = Case.select(Case.person).where(
        (Case.coordinator == user.id) | pw.Expression(Case.id, "in", _invited_cases(user)))
    return unprotected | pw.Expression(Person.id, "in", near)


def may_see_person(user: User, person: Person) -> bool:
    """`person_name_visible` for one person already read."""
    if not is_protected(person):
        return True
    return bool(Person.select(Person.id).where(
        (Person.id == person.id) & person_name_visible(user)).exists())


def masked(person: Person) -> Person:
    """A copy of a protected person for one who may not see them: the name `MASKED_NAME`, no
    address, phone or other detail — only the id (to open a case for them) and the personal
    number, which the user has typed whole to find them. Never saved."""
    twin = Person(**{name: value for name, value in person.__data__.items()})
    twin._dirty.clear()  # type: ignore[attr-defined]  # peewee's set of changed fields
    for name in ("address", "postal_code", "city", "phone", "last_name", "name_key",
                 "name_key_reversed", "pnr_short"):
        if name in twin.__data__:
            twin.__data__[name] = ""
    twin.__data__["first_name"] = MASKED_NAME
    return twin


def checked_reason(person: Person, reason: str | None) -> str | None:
    """The reason for opening a protected person's case, trimmed; refused when missing. None
    for a person who is not protected (no reason asked)."""
    if not is_protected(person):
        return None
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationError(NEED_REASON, field="reason")
    if len(text) > REASON_LIMIT:
        raise ValidationError(f"Skriv skälet kortare (högst {REASON_LIMIT} tecken).",
                              field="reason")
    return text


def may_set_protection(user: User, person: Person) -> bool:
    """The coordinator of one of the person's cases, or an administrator."""
    if not user.active:
        return False
    if user.role == Role.ADMINISTRATOR.value:
        return True
    return bool(Case.select(Case.id).where((Case.person == person.id)
                                           & (Case.coordinator == user.id)).exists())


def set_protection(actor: User, person_id: int, protection: Protection) -> Person:
    """Mark a person protected (or lift it), logged. The log names the kind, not the person's
    details."""
    with database.atomic():
        person = Person.get_or_none(Person.id == person_id)
        if person is None:
            raise NotFoundError("Personen finns inte längre.")
        if not may_set_protection(actor, person):
            # One who may see a case of theirs is told who may; anyone else learns nothing.
            sees = bool(Case.select(Case.id).where(
                (Case.person == person.id) & visible_cases(actor)).exists())
            raise PermissionDenied(NOT_PERMITTED if sees else NOT_YOURS)
        old = protection_of(person)
        if old is protection:
            return person
        person.protection = protection.value
        # The version goes up, so a copy open in another window sees the change.
        Person.update(protection=protection.value, version=Person.version + 1).where(
            Person.id == person.id).execute()
        if protection is not Protection.NONE:
            _forget_copied_address(person)
        else:
            _restore_home_address(person)
        case = (Case.select(Case.id).where(Case.person == person.id)
                .order_by(Case.id.desc()).first())
        audit.record(actor, action=AuditAction.UPDATE, entity="person", entity_id=person.id,
                     case=case,
                     summary=f"Skyddad identitet: {protection.label}",
                     changes={"protection": [old.label, protection.label]})
        return person


def _forget_copied_address(person: Person) -> None:
    """The home address copied into the person's meetings before they were marked: the place
    of a meeting at home (which said the address) and the person's own participant row."""
    meetings = Meeting.select(Meeting.id).join(Case, on=(Meeting.case == Case.id)).where(
        Case.person == person.id)
    at_home = Meeting.select(Meeting.id, Meeting.place).where(
        Meeting.at_home & Meeting.id.in_(meetings))
    for meeting in at_home:  # a person's few meetings; each keeps its word for the person
        word = CHILD_HOME_PLACE if meeting.place.startswith(CHILD_HOME_PLACE) else HOME_PLACE
        Meeting.update(place=word, version=Meeting.version + 1).where(
            Meeting.id == meeting.id).execute()
    Participant.update(address="").where(
        (Participant.kind == ParticipantKind.PERSON.value)
        & Participant.meeting.in_(meetings)).execute()


def _restore_home_address(person: Person) -> None:
    """The protection lifted: the person's meetings still planned are as if called now — a
    meeting at home says the address again (as sipdesk.meetings.invitation.place_of writes it)
    and the person's participant row has it, so a letter or a call list made from now on is
    complete. A meeting held or cancelled keeps what it said then ("Hemma hos den enskilde")."""
    home = ", ".join(x for x in (person.address.strip(),
                                 f"{person.postal_code} {person.city}".strip()) if x)
    if not home:
        return
    planned = Meeting.select(Meeting.id).join(Case, on=(Meeting.case == Case.id)).where(
        (Case.person == person.id) & (Meeting.status == MeetingStatus.PLANNED.value))
    for meeting in Meeting.select(Meeting.id, Meeting.place).where(
            Meeting.at_home & Meeting.place.in_(HOME_PLACES) & Meeting.id.in_(planned)):
        Meeting.update(place=fit(f"{meeting.place} ({home})", Meeting.place),
                       version=Meeting.version + 1).where(Meeting.id == meeting.id).execute()
    Participant.update(address=fit(home, Participant.address)).where(
        (Participant.kind == ParticipantKind.PERSON.value) & (Participant.address == "")
        & Participant.meeting.in_(planned)).execute()
