"""What the Kallelse tab shows, read in a fixed number of queries whatever the meeting holds:
the case's current meeting, its participants, the staff meeting's record, the mobile care team
check, the status surveys, the deviations and how many have acknowledged the kallelse.

`meeting_page(case)` runs in the operation runner; every related row the tab shows is joined
here, so the tab touches the database no more. So do the reads of the tab's dialogs, before
they open: `staff_meeting_form` and `mobile_team_form`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from peewee import JOIN

from sipdesk import clock
from sipdesk.accounts import auth
from sipdesk.casework import lifecycle
from sipdesk.casework.consent import is_child
from sipdesk.casework.guardians import gets_own_letters
from sipdesk.meetings import evaluation, invitation
from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.invitation import Meeting, Participant
from sipdesk.meetings.meeting import Deviation, MobileTeamCheck, StaffMeetingRecord, StatusSurvey
from sipdesk.messages import messaging
from sipdesk.storage.models import Case, Person, Unit, User

NOT_READ_YET = "Uppgifterna läses in …"


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting | None
    participants: list[Participant]
    staff_record: StaffMeetingRecord | None  # its coordinator_moved_to joined
    mobile_check: MobileTeamCheck | None
    surveys: list[StatusSurvey]  # with who wrote each
    deviations: list[Deviation]  # with the participant who did not come
    acknowledged: str  # "3 av 5 har kvitterat" when the kallelse went through sipdesk, else ""
    # A held meeting's evaluations, person first (evaluation.evaluations_of), and whether the
    # person was a child that day (the form and the dialog then use a child's words).
    evaluations: list[evaluation.MeetingEvaluation] = field(default_factory=list)
    child: bool = False
    # Every held meeting of the case with its evaluations, newest first: those of a meeting
    # before a follow-up stay reachable once the follow-up is the current meeting.
    held: list[HeldMeeting] = field(default_factory=list)
    # Why a kallelse cannot go out now (`lifecycle.check`, read here: the rule "consent must
    # stand" asks the database for the child's guardians), None when it can.
    invite_problem: str | None = NOT_READ_YET
    # Whether the person gets a letter of their own for the meeting (`guardians.gets_own_letters`
    # on the meeting day, as the letters do): not a child under the setting's age, whom the
    # guardians' letters reach.
    person_letter: bool = True


@dataclass(frozen=True)
class HeldMeeting:
    """A held meeting of the case and its evaluations (evaluation.evaluations_of's order)."""

    meeting: Meeting
    evaluations: list[evaluation.MeetingEvaluation]
    child: bool  # the person was under 18 that day


def held_meetings(case: Case) -> list[HeldMeeting]:
    """Every held meeting of `case`, newest first, with its evaluations: three queries."""
    rows = list(Meeting.select().where((Meeting.case == case.id)
                                       & (Meeting.status == invitation.MeetingStatus.HELD.value))
                .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))
    if not rows:
        return []
    found: dict[int, list[evaluation.MeetingEvaluation]] = {m.id: [] for m in rows}
    for row in evaluation.evaluations_of([m.id for m in rows]):
        found[row.meeting_id].append(row)
    person = Person.select(Person.personal_number).where(Person.id == case.person_id).get()
    return [HeldMeeting(m, found[m.id], is_child(person, m.starts_at.date())) for m in rows]


def meeting_page(case: Case) -> MeetingPage:
    """The Kallelse tab of `case`."""
    meeting = invitation.current_meeting(case)
    invite_problem = lifecycle.check(case, lifecycle.Action.INVITE, today=clock.today())
    if meeting is None:
        return MeetingPage(None, [], None, None, [], [], "", invite_problem=invite_problem)
    held_ones = held_meetings(case)
    participants = invitation.participants_of(meeting)
    moved_to = User.alias()
    staff = (StaffMeetingRecord.select(StaffMeetingRecord, moved_to)
             .join(moved_to, JOIN.LEFT_OUTER,
                   on=(StaffMeetingRecord.coordinator_moved_to == moved_to.id),
                   attr="coordinator_moved_to")
             .where(StaffMeetingRecord.meeting == meeting).first())
    check = meetings.mobile_team_check_of(meeting)
    surveys = meetings.surveys_of(meeting)  # with who wrote each, joined
    deviations = list(Deviation.select(Deviation, Participant).join(Participant)
                      .where(Deviation.meeting == meeting)
                      .order_by(Deviation.principal_name, Deviation.id))
    message_id = next((p.message_id for p in participants if p.message_id is not None), None)
    current = next((h for h in held_ones if h.meeting.id == meeting.id), None)
    person = Person.select(Person.personal_number).where(Person.id == case.person_id).get()
    return MeetingPage(meeting, participants, staff, check, surveys, deviations,
                       messaging.ack_summary(message_id) if message_id is not None else "",
                       evaluations=current.evaluations if current is not None else [],
                       child=(current.child if current is not None
                              else evaluation.person_was_child(meeting)),
                       held=held_ones, invite_problem=invite_problem,
                       person_letter=gets_own_letters(person, on=meeting.starts_at.date()))



@dataclass(frozen=True)
class StaffMeetingForm:
    """What "Tjänstemannamöte…" offers: the case's coordinator and whom it may move to."""

    coordinator: User  # with its unit
    users: list[User]  # the active users, each with its unit


def staff_meeting_form(case_id: int) -> StaffMeetingForm:
    coordinator = (User.select(User, Unit).join(Unit).switch(User)
                   .join(Case, on=(Case.coordinator == User.id)).where(Case.id == case_id).get())
    return StaffMeetingForm(coordinator, auth.active_users_with_unit())


@dataclass(frozen=True)
class MobileTeamForm:
    """What "Mobilt vårdteam…" shows: the check stored earlier, and criterion 5 (75 or older
    on the meeting date, from the personal number)."""

    existing: MobileTeamCheck | None
    old_enough: bool


def mobile_team_form(meeting: Meeting) -> MobileTeamForm:
    case = Case.select(Case, Person).join(Person).where(Case.id == meeting.case_id).get()
    return MobileTeamForm(meetings.mobile_team_check_of(meeting),
                          meetings.is_75_or_older(case, meeting.starts_at.date()))
