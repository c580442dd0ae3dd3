"""The kallelse wizard (DOMAIN.md step 4; seeds 000 "Kallelse", 002 §3.1, 003 step 2): the
purpose, the participants, time and place, the staff meeting, then review and send.

One class per page (Picard's setup wizard habit); each page validates itself in `validatePage`
through the core's checks (`sipdesk.meetings.invitation.check_*`): a problem blocks the page and
shows at its field in red, a warning is shown in a yellow box and does not block. Nothing is stored
until "Skicka" (`invitation.send_invitation`, one transaction); until then what is typed lives
in an `InvitationDraft` that is saved as a draft (`sipdesk.casework.drafts`) on every page change
and on
closing, so it survives closing the window, the app or a crash. Opening the wizard again offers
"Fortsätt där du var" or "Börja om". After sending, the last page shows the call/letter list and
offers the letters and the calendar file.

`KallelseWizard.ask(parent, session, case)` runs it and returns the meeting, or None.
`follow_up=True` invites to a follow-up (issue 6) with its own draft.
"""

from sipdesk.meetings.invitation import default_start

from ...dialogs.meeting_common import from_qdatetime, to_qdatetime
from .common import (
    CONVENER_TEXT,
    DRAFT_NAME,
    FOLLOW_UP_DRAFT_NAME,
    directory_participant,
    person_participant,
    relative_participant,
)
from .pages import summary_html
from .wizard import KallelseWizard, where_to_fix

__all__ = [
    "CONVENER_TEXT",
    "DRAFT_NAME",
    "FOLLOW_UP_DRAFT_NAME",
    "KallelseWizard",
    "default_start",
    "directory_participant",
    "from_qdatetime",
    "person_participant",
    "relative_participant",
    "summary_html",
    "to_qdatetime",
    "where_to_fix",
]
