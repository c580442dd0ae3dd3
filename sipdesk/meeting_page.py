"""What the Kallelse tab shows, read in a fixed number of queries whatever the meeting holds:
the case's current meeting, its participants, the staff meeting's record, the mobile care team
check, the status surveys, the deviations and how many have acknowledged the kallelse.

`meeting_page(case)` runs in the operation runner; every related row the tab shows is joined
here, so the tab touches the database no more.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import JOIN

from . import invitation, messaging
from . import meeting as meetings
from .invitation import Meeting, Participant
from .meeting import Deviation, MobileTeamCheck, StaffMeetingRecord, StatusSurvey
from .models import Case, User


@dataclass(frozen=True)
class MeetingPage:
    meeting: Meeting | None
    participants: list[Participant]
    staff_record: StaffMeetingRecord | None  # its coordinator_moved_to joined
    mobile_check: MobileTeamCheck | None
    surveys: list[StatusSurvey]  # with who wrote each
    deviations: list[Deviation]  # with the participant who did not come
    acknowledged: str  # "3 av 5 har kvitterat" when the kallelse went through sipdesk, else ""


def meeting_page(case: Case) -> MeetingPage:
    """The Kallelse tab of `case`."""
    meeting = invitation.current_meeting(case)
    if meeting is None:
        return MeetingPage(None, [], None, None, [], [], "")
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
    return MeetingPage(meeting, participants, staff, check, surveys, deviations,
                       messaging.ack_summary(message_id) if message_id is not None else "")

