"""Where the kallelse wizard starts and ends (DOMAIN.md step 4, step 10 for a follow-up), read
and written in the operation runner so the wizard runs no statement itself:

- `invitation_start(user, case_id, follow_up=…)`: everything its pages show before the user
  types — the case with its person, the saved draft, what the consent allows (the
  participants check's `ParticipantRules`), the person's relatives, the interpreter services,
  the need and the participants a new kallelse starts with.
- `send_from_wizard(…)`: send the kallelse, forget its draft and read back who was invited.
- The participant rows the wizard builds from the case, a relative and a directory entry.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sipdesk import clock
from sipdesk.accounts import access
from sipdesk.casework import contacts, drafts, guardians, lifecycle, people, protected
from sipdesk.casework.consent import is_child
from sipdesk.casework.contacts import DirectoryEntry, EntryKind
from sipdesk.casework.lifecycle import NeedRecord
from sipdesk.errors import StorageError
from sipdesk.meetings import attendance
from sipdesk.meetings.evaluation import RespondentKind, kind_label
from sipdesk.meetings.invitation import (
    HowInvited,
    InvitationDraft,
    Meeting,
    Participant,
    ParticipantInput,
    ParticipantKind,
    ParticipantRules,
    participant_rules,
    participants_of,
    send_invitation,
)
from sipdesk.storage.db import storage_errors
from sipdesk.storage.limits import fit
from sipdesk.storage.models import Case, ContactKind, Person, PersonContact, User

log = logging.getLogger("sipdesk.meetings.invitation")

DRAFT_NAME = "kallelse"
FOLLOW_UP_DRAFT_NAME = "kallelse_uppfoljning"


def draft_name(*, follow_up: bool) -> str:
    """A follow-up keeps its own draft beside a first kallelse's."""
    return FOLLOW_UP_DRAFT_NAME if follow_up else DRAFT_NAME


# ---- participant rows ---------------------------------------------------------------------------

def default_way(phone: str, address: str, email: str) -> HowInvited:
    """A letter when there is an address, else a call, else e-mail."""
    if address.strip():
        return HowInvited.LETTER
    if phone.strip():
        return HowInvited.PHONE
    return HowInvited.EMAIL if email.strip() else HowInvited.LETTER


def home_address(case: Case) -> str:
    """The person's home address on one line; empty for a protected identity."""
    person = case.person
    if protected.address_hidden(person):
        return ""
    town = " ".join(x for x in (person.postal_code, person.city) if x)
    return ", ".join(x for x in (person.address, town) if x)


def person_participant(case: Case) -> ParticipantInput:
    person = case.person
    address = home_address(case)
    # A name and a home address put together are cut to what a participant's row holds.
    address = fit(address, Participant.address)
    return ParticipantInput(ParticipantKind.PERSON, fit(person.full_name, Participant.name),
                            role=kind_label(RespondentKind.PERSON,
                                            child=is_child(person, clock.today())),
                            phone=person.phone, address=address,
                            how_invited=(HowInvited.LETTER if protected.address_hidden(person)
                                         else default_way(person.phone, address, "")))


def relative_participant(contact: PersonContact) -> ParticipantInput:
    kind = ContactKind(contact.kind)
    role = fit(kind.label + (f" ({contact.relation})" if contact.relation else ""),
               Participant.role)
    return ParticipantInput(ParticipantKind.RELATIVE, contact.name, role=role,
                            phone=contact.phone, email=contact.email, address=contact.address,
                            how_invited=default_way(contact.phone, contact.address,
                                                    contact.email))


def directory_participant(entry: DirectoryEntry) -> ParticipantInput:
    participant = ParticipantInput.from_directory(entry)
    if not entry.has_account:
        participant.how_invited = default_way(entry.phone, entry.address, entry.email)
    return participant


def same_participant(a: ParticipantInput, b: ParticipantInput) -> bool:
    if a.user_id is not None or b.user_id is not None:
        return a.user_id == b.user_id
    if a.contact_id is not None or b.contact_id is not None:
        return a.contact_id == b.contact_id
    return a.kind is b.kind and a.name.casefold() == b.name.casefold()


# ---- the start ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvitationStart:
    case: Case  # its person joined
    follow_up: bool
    saved: dict[str, Any] | None  # the draft the user left, if any
    rules: ParticipantRules
    relatives: list[PersonContact]
    interpreters: list[DirectoryEntry]  # only when the person needs an interpreter
    need: NeedRecord | None
    participants: list[ParticipantInput]  # whom a new kallelse starts with

    @property
    def draft_name(self) -> str:
        return draft_name(follow_up=self.follow_up)


def invitation_start(user: User, case_id: int, *, follow_up: bool = False) -> InvitationStart:
    """What the kallelse wizard of `case_id` shows when it opens, for `user` who convenes."""
    access.require_can_see(user, case_id)
    case = Case.select(Case, Person).join(Person).where(Case.id == case_id).get()
    rules = participant_rules(case)
    relatives = people.contacts_of(case.person)
    # A new kallelse: the person, the convener (who always takes part) and the relatives the
    # consent names. A follow-up also starts with the latest approved plan's participants and
    # the previous meeting's invitees (DOMAIN step 10: remove those no longer involved).
    rows = [person_participant(case),
            directory_participant(contacts.entry(EntryKind.USER, user.id))]
    if follow_up:
        for candidate in attendance.follow_up_invitees(case):
            if not any(same_participant(candidate, row) for row in rows):
                rows.append(candidate)
    allowed = rules.relatives_to_invite.casefold()
    for contact in relatives:
        candidate = relative_participant(contact)
        # A child's guardians who gave the consent are invited from the start (seed 002); one
        # who may not be told about the child never is.
        wanted = ((allowed and contact.name.casefold() in allowed)
                  or contact.name.casefold() in rules.guardians)
        if wanted and guardians.informed(contact) \
                and not any(same_participant(candidate, row) for row in rows):
            rows.append(candidate)
    return InvitationStart(
        case=case, follow_up=follow_up,
        saved=drafts.load_draft(user, case, draft_name(follow_up=follow_up)),
        rules=rules, relatives=relatives,
        interpreters=contacts.interpreters() if rules.needs_interpreter else [],
        need=lifecycle.need_of(case), participants=rows)


# ---- sending -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SentInvitation:
    meeting: Meeting
    participants: list[Participant] | None  # None: sent, but they could not be read back
    # Whether the person gets a letter of their own (`guardians.gets_own_letters` on the
    # meeting day): not a child under the letter age, whom the guardians' letters reach.
    person_letter: bool = True


def send_from_wizard(actor: User, case_id: int, draft: InvitationDraft, *,
                     current: dt.datetime | None = None) -> SentInvitation:
    """Send the kallelse (`send_invitation`, one transaction), then forget its draft and read
    who was invited. Once it is sent, a failure after it is logged, not raised: the caller must
    never be told that a sent kallelse was not sent. `send_invitation` checks who may see the
    case before anything is written."""
    case = Case.select(Case, Person).join(Person).where(Case.id == case_id).get()
    meeting = send_invitation(actor, case, draft, current=current)
    try:
        with storage_errors():
            drafts.delete_draft(actor, case, draft_name(follow_up=draft.follow_up))
    except StorageError as exc:
        log.error("deleting the kallelse draft failed: %s", type(exc).__name__)
    participants: list[Participant] | None
    person_letter = True
    try:
        with storage_errors():
            participants = participants_of(meeting)
            person_letter = guardians.gets_own_letters(case.person,
                                                       on=meeting.starts_at.date())
    except StorageError as exc:
        log.error("reading the invited back failed: %s", type(exc).__name__)
        participants = None
    return SentInvitation(meeting, participants, person_letter)
