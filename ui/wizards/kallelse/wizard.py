"""The kallelse wizard itself: its pages in order, a draft kept on each page change, sending."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QWidget,
    QWizard,
)

from sipdesk import drafts, invitation
from sipdesk.db import storage_errors
from sipdesk.errors import ConflictError, PermissionDenied, SipError, StorageError, ValidationError
from sipdesk.invitation import (
    InvitationDraft,
    Meeting,
)
from sipdesk.models import Case, now

from ... import messages
from ...session import Session
from .common import DRAFT_NAME, FOLLOW_UP_DRAFT_NAME, PAGE_KEY, KallelsePage, log
from .pages import PurposePage, ReviewPage, SentPage
from .participants import ParticipantsPage
from .time_place import StaffMeetingPage, TimePlacePage

# ---- the wizard --------------------------------------------------------------------------------

class KallelseWizard(QWizard):
    """Kalla till SIP-möte: five pages and a last one after sending."""

    PURPOSE, PARTICIPANTS, TIME_PLACE, STAFF_MEETING, REVIEW, SENT = range(6)
    sent = Signal(object)  # the Meeting, once stored and sent

    def __init__(self, session: Session, case: Case, *, draft: InvitationDraft | None = None,
                 follow_up: bool = False, clock: Callable[[], dt.datetime] = now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case = case
        self.follow_up = follow_up
        self.clock = clock
        self.meeting: Meeting | None = None
        self.draft_name = FOLLOW_UP_DRAFT_NAME if follow_up else DRAFT_NAME
        self.setObjectName("kallelse_wizard")
        self.setWindowTitle(f"{'Kalla till uppföljning' if follow_up else 'Kalla till SIP-möte'}"
                            f" — {case.number}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, "< Tillbaka")
        self.setButtonText(QWizard.WizardButton.NextButton, "Nästa >")
        self.setButtonText(QWizard.WizardButton.CommitButton, "Skicka")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Stäng")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Avbryt")

        self.purpose_page = PurposePage(case)
        self.participants_page = ParticipantsPage(case, convener=session.user)
        self.time_page = TimePlacePage(case, clock=clock)
        self.staff_page = StaffMeetingPage(clock=clock)
        self.review_page = ReviewPage(case)
        self.sent_page = SentPage()
        self.pages: list[KallelsePage] = [self.purpose_page, self.participants_page,
                                          self.time_page, self.staff_page, self.review_page,
                                          self.sent_page]
        for page_id, page in enumerate(self.pages):
            self.setPage(page_id, page)

        if follow_up:
            self.participants_page.setSubTitle(
                "Deltagarna i den senast godkända planen och de som kallades till förra mötet "
                "är redan med. Ta bort den som inte längre är med och lägg till nya. "
                + self.participants_page.subTitle())
        if draft is None:
            draft = InvitationDraft(
                participants=self.participants_page.initial_rows(follow_up=follow_up),
                follow_up=follow_up)
        draft.follow_up = follow_up
        self.draft = draft
        for page in self.pages:
            page.load(draft)
        # What the wizard holds before the user does anything: not worth a draft.
        self._untouched = self._fingerprint(self.collect().to_json())
        # On every page change; not on the -1 QWizard switches to when it closes (reset).
        self.currentIdChanged.connect(self._page_changed)
        self.resize(1040, 740)

    # ---- running it -------------------------------------------------------------------------

    @classmethod
    def ask_resume(cls, parent: QWidget | None) -> bool:
        """A draft exists: continue it (True) or start over (False)."""
        return messages.confirm(
            parent, "Påbörjad kallelse",
            "Du har en kallelse som inte är skickad i det här ärendet. Vill du fortsätta där "
            "du var, eller börja om från början?",
            yes="Fortsätt där du var", no="Börja om")

    @classmethod
    def prepare(cls, parent: QWidget | None, session: Session, case: Case, *,
                follow_up: bool = False, clock: Callable[[], dt.datetime] = now
                ) -> KallelseWizard:
        """The wizard for `case`, with the saved draft if the user wants to continue it."""
        name = FOLLOW_UP_DRAFT_NAME if follow_up else DRAFT_NAME
        saved = drafts.load_draft(session.user, case, name)
        draft: InvitationDraft | None = None
        page = 0
        if saved is not None and cls.ask_resume(parent):
            data = dict(saved)
            page = int(data.pop(PAGE_KEY, 0) or 0)
            try:
                draft = InvitationDraft.from_json(data)
            except (TypeError, ValueError, KeyError) as exc:
                log.warning("an unreadable kallelse draft was ignored: %s", type(exc).__name__)
                page = 0
        wizard = cls(session, case, draft=draft, follow_up=follow_up, clock=clock, parent=parent)
        wizard.resume_page = min(page, cls.REVIEW)
        return wizard

    resume_page = 0

    def start(self) -> None:
        """Show the first page, or walk forward to the page of the continued draft (stopping
        at the first page that has a problem)."""
        self.restart()
        while self.currentId() < self.resume_page:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session, case: Case, *,
            follow_up: bool = False) -> Meeting | None:
        """Run the wizard; the meeting when the kallelse was sent, otherwise None."""
        wizard = cls.prepare(parent, session, case, follow_up=follow_up)
        try:
            wizard.start()
            wizard.exec()
            return wizard.meeting
        finally:
            wizard.deleteLater()

    # ---- the draft --------------------------------------------------------------------------

    def collect(self) -> InvitationDraft:
        """The draft with what every page shows right now."""
        for page in self.pages:
            page.store(self.draft)
        self.draft.follow_up = self.follow_up
        return self.draft

    def draft_data(self) -> dict[str, Any]:
        data = self.collect().to_json()
        data[PAGE_KEY] = max(0, min(self.currentId(), self.REVIEW))
        return data

    def _page_changed(self, page_id: int) -> None:
        if page_id >= 0:
            self.save_draft()

    @staticmethod
    def _fingerprint(data: dict[str, Any]) -> str:
        return json.dumps({k: v for k, v in data.items() if k != PAGE_KEY}, default=str,
                          sort_keys=True, ensure_ascii=False)

    def save_draft(self) -> None:
        """Keep what is typed (not after sending: then the draft is gone, and not while the
        wizard is as it opened: an earlier draft the user chose not to continue stays)."""
        if self.meeting is not None:
            return
        data = self.draft_data()
        if self._fingerprint(data) == self._untouched:
            return
        try:
            with storage_errors():
                drafts.save_draft(self.session.user, self.case, self.draft_name, data)
        except StorageError as exc:
            log.error("saving the kallelse draft failed: %s", type(exc).__name__)

    def reject(self) -> None:
        self.save_draft()
        super().reject()

    # ---- sending ------------------------------------------------------------------------------

    def send(self) -> bool:
        draft = self.collect()
        page = self.review_page
        try:
            with storage_errors():
                meeting = invitation.send_invitation(self.session.user, self.case, draft,
                                                     current=self.clock())
        except StorageError as exc:
            log.error("sending a kallelse failed: %s", type(exc).__name__)
            messages.error(self, "Kallelsen kunde inte skickas",
                           "Det gick inte att spara i databasen. Ingenting är skickat och det "
                           "du skrivit finns kvar — kontrollera anslutningen och försök igen.")
            return False
        except ValidationError as problem:
            page.error.setText(problem.message + where_to_fix(problem.field))
            page.error.show()
            return False
        except (PermissionDenied, ConflictError) as problem:
            page.error.setText(problem.message)
            page.error.show()
            return False
        except SipError as problem:
            page.error.setText(problem.message)
            page.error.show()
            return False
        self.meeting = meeting
        try:
            with storage_errors():
                drafts.delete_draft(self.session.user, self.case, self.draft_name)
        except StorageError as exc:
            log.error("deleting the kallelse draft failed: %s", type(exc).__name__)
        log.info("kallelse sent")
        self.sent.emit(meeting)
        return True


_FIELD_PAGES = {
    "purpose": "Syfte", "participants": "Deltagare", "principals": "Deltagare",
    "relatives": "Deltagare", "interpreter": "Deltagare", "contact_details": "Deltagare",
    "starts_at": "Tid och plats", "short_notice_reason": "Tid och plats",
    "minutes": "Tid och plats", "place_reason": "Tid och plats", "video_link": "Tid och plats",
    "staff_meeting_at": "Tjänstemannamöte", "staff_meeting_place": "Tjänstemannamöte",
}


def where_to_fix(field: str | None) -> str:
    page = _FIELD_PAGES.get(field or "")
    return f" Gå tillbaka till sidan {page} och rätta det." if page else ""
