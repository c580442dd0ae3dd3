"""What the printed documents read (issue 11: reports/ builds no query of its own).

Each function is one read a letter, the consent form, the staff plan or the refusal letter
needs, with the rule that goes with it (no letters for a cancelled or held meeting, no refusal
letter for a case that was not refused). The documents in `reports/` call these and the read
models (`plan.plan_view`, `consent.principal_choices`); they never query the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sipdesk.casework.lifecycle import CaseStatusChange
from sipdesk.errors import NotFoundError, ValidationError
from sipdesk.storage.meeting_records import Meeting, MeetingStatus
from sipdesk.storage.models import Case, CaseStatus, Person, Principal, PrincipalKind, Unit, User


def municipality_name() -> str:
    """The municipality on the letterhead: its first principal of kind kommun."""
    municipality = (Principal.select()
                    .where(Principal.kind == PrincipalKind.MUNICIPALITY.value)
                    .order_by(Principal.id).first())
    return municipality.name if municipality else ""


def case_and_person(case_id: int) -> tuple[Case, Person]:
    case = Case.get_by_id(case_id)
    return case, Person.get_by_id(case.person_id)


def person_and_unit(case_id: int) -> tuple[Person, Unit]:
    """The person and the case's unit in one query (a bulk print reads a thousand of them)."""
    row = (Case.select(Case.id, Person, Unit).join(Person).switch(Case).join(Unit)
           .where(Case.id == case_id).get())
    return row.person, row.unit


def user_with_unit(user_id: int) -> User:
    """A user with their unit loaded (the unit's name is printed beside theirs)."""
    return User.select(User, Unit).join(Unit).where(User.id == user_id).get()


def meeting_for_letters(meeting_id: int) -> Meeting:
    """The meeting whose letters are printed: only a planned one has letters to send."""
    meeting = Meeting.get_or_none(Meeting.id == meeting_id)
    if meeting is None:
        raise NotFoundError("Mötet finns inte längre.")
    if meeting.status == MeetingStatus.CANCELLED.value:
        raise ValidationError("Mötet är inställt — det finns inga brev att skriva ut.")
    if meeting.status == MeetingStatus.HELD.value:
        raise ValidationError("Mötet har redan hållits — det finns inga brev att skriva ut.")
    return meeting


@dataclass(frozen=True)
class RefusalRead:
    """What the letter after "Avstå från SIP" says: the case, the person, who decided it."""

    case: Case
    person: Person
    by: User
    reason: str  # as the case officer wrote it


def refusal(case_id: int) -> RefusalRead:
    case = Case.get_or_none(Case.id == case_id)
    if case is None:
        raise NotFoundError("Ärendet finns inte.")
    change = (CaseStatusChange.select()
              .where((CaseStatusChange.case == case)
                     & (CaseStatusChange.to_status == CaseStatus.REFUSED.value))
              .order_by(CaseStatusChange.id.desc()).first())
    if change is None:
        raise ValidationError("Ärendet har inte avslutats utan SIP — det finns inget sådant brev "
                              "att skriva ut.")
    return RefusalRead(case=case, person=Person.get_by_id(case.person_id),
                       by=User.get_by_id(change.by_id), reason=change.reason)
