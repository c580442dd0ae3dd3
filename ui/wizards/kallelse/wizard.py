"""The kallelse wizard itself: its pages in order, a draft kept on each page change, sending.

It runs no statement on the UI thread: what it shows is read before it opens (`invitation_start`,
through the operation runner), the draft is saved in the background (`drafting`), and "Skicka"
sends through the runner — the wizard waits on the review page, its buttons off, and nothing
typed is lost when sending fails.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget, QWizard

from sipdesk.errors import ServerUnreachable, SipError, StorageError, ValidationError
from sipdesk.meetings.invitation import InvitationDraft, Meeting
from sipdesk.meetings.invitation_start import (
    InvitationStart,
    SentInvitation,
    invitation_start,
    send_from_wizard,
)
from sipdesk.storage.models import Case, now

from ... import messages, operations
from ...operations import Operation, report_failure
from ...session import Session
from . import drafting
from .common import PAGE_KEY, KallelsePage, log
from .pages import PurposePage, ReviewPage, SentPage
from .participants import ParticipantsPage
from .time_place import StaffMeetingPage, TimePlacePage

T = TypeVar("T")


def read_for(parent: QWidget | None, work: Callable[[], T], *, title: str) -> T | None:
    """`operations.wait_for`, for a wizard about to open: None when the work failed (and the
    runner's one way of reporting said why) or `parent` closed meanwhile."""
    try:
        result = operations.wait_for(work)
    except Exception as exc:
        report_failure(parent if alive(parent) else None, exc, title)
        return None
    return result if alive(parent) else None


def alive(widget: QWidget | None) -> bool:
    return widget is None or shiboken6.isValid(widget)


# ---- the wizard --------------------------------------------------------------------------------

class KallelseWizard(QWizard):
    """Kalla till SIP-möte: five pages and a last one after sending."""

    PURPOSE, PARTICIPANTS, TIME_PLACE, STAFF_MEETING, REVIEW, SENT = range(6)
    sent = Signal(object)  # the Meeting, once stored and sent

    def __init__(self, session: Session, start: InvitationStart, *,
                 draft: InvitationDraft | None = None, clock: Callable[[], dt.datetime] = now,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.case = case = start.case
        self.follow_up = follow_up = start.follow_up
        self.clock = clock
        self.meeting: Meeting | None = None
        self.sent_invitation: SentInvitation | None = None
        self._sending = False
        self.draft_name = start.draft_name
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

        self.purpose_page = PurposePage(start.need)
        self.participants_page = ParticipantsPage(start, convener=session.user)
        self.time_page = TimePlacePage(case, clock=clock)
        self.staff_page = StaffMeetingPage(clock=clock)
        self.review_page = ReviewPage(case, start.rules)
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
            draft = InvitationDraft(participants=list(start.participants), follow_up=follow_up)
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
                ) -> KallelseWizard | None:
        """The wizard for `case`, read through the operation runner (None when that failed),
        with the saved draft if the user wants to continue it."""
        user, case_id = session.user, case.id
        start = read_for(parent, drafting.after_saves(
            lambda: invitation_start(user, case_id, follow_up=follow_up)),
            title="Kallelsen kunde inte öppnas")
        if start is None:
            return None
        draft: InvitationDraft | None = None
        page = 0
        if start.saved is not None and cls.ask_resume(parent):
            data = dict(start.saved)
            page = int(data.pop(PAGE_KEY, 0) or 0)
            try:
                draft = InvitationDraft.from_json(data)
            except (TypeError, ValueError, KeyError) as exc:
                log.warning("an unreadable kallelse draft was ignored: %s", type(exc).__name__)
                page = 0
        wizard = cls(session, start, draft=draft, clock=clock, parent=parent)
        wizard.resume_page = min(page, cls.REVIEW)
        return wizard

    resume_page = 0
    _opening = False

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
        if cls._opening:  # a second click while the first is read
            return None
        cls._opening = True
        try:
            wizard = cls.prepare(parent, session, case, follow_up=follow_up)
        finally:
            cls._opening = False
        if wizard is None:
            return None
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
        """Keep what is typed, in the background (not after sending: then the draft is gone,
        and not while the wizard is as it opened: an earlier draft the user chose not to
        continue stays)."""
        if self.meeting is not None or self._sending:
            return
        data = self.draft_data()
        if self._fingerprint(data) == self._untouched:
            return
        drafting.save_draft(self.session.user, self.case, self.draft_name, data)

    def reject(self) -> None:
        if self._sending:  # the answer decides: sent, or back on the review page
            return
        self.save_draft()
        super().reject()

    # ---- sending ------------------------------------------------------------------------------

    def send(self) -> bool:
        """The review page's "Skicka": True once the kallelse is sent (the wizard goes on to the
        last page); otherwise it starts sending in the background and says False — the answer
        moves the wizard on, or shows why not on the review page."""
        if self.sent_invitation is not None:
            return True
        if self._sending:
            return False
        draft = copy.deepcopy(self.collect())
        user, case_id, current = self.session.user, self.case.id, self.clock()
        work = drafting.after_saves(
            lambda: send_from_wizard(user, case_id, draft, current=current),
            forgets=(user.id, case_id, self.draft_name))
        self._set_sending(True)
        Operation(self, work, title="Kallelsen kunde inte skickas").success(
            self._sent).failure(self._not_sent).finally_(lambda: self._set_sending(False)).run()
        return False

    def _set_sending(self, sending: bool) -> None:
        self._sending = sending
        self.review_page.error.hide()
        for which in (QWizard.WizardButton.CommitButton, QWizard.WizardButton.BackButton,
                      QWizard.WizardButton.CancelButton):
            self.button(which).setEnabled(not sending)

    def _sent(self, sent: SentInvitation) -> None:
        self.sent_invitation = sent
        self.meeting = sent.meeting
        log.info("kallelse sent")
        # On to the last page once the runner's answer is delivered (not inside it).
        QTimer.singleShot(0, self, self._go_on)

    def _go_on(self) -> None:
        self.next()  # the review page says yes now
        assert self.meeting is not None
        self.sent.emit(self.meeting)

    def _not_sent(self, problem: Exception) -> None:
        error = self.review_page.error
        if isinstance(problem, StorageError):
            log.error("sending a kallelse failed: %s", type(problem).__name__)
            messages.error(self, "Kallelsen kunde inte skickas",
                           "Servern svarar inte. Ingenting är skickat och det du skrivit finns "
                           "kvar — försök igen." if isinstance(problem, ServerUnreachable) else
                           "Det gick inte att spara i databasen. Ingenting är skickat och det "
                           "du skrivit finns kvar — kontrollera anslutningen och försök igen.")
        elif isinstance(problem, ValidationError):
            error.setText(problem.message + where_to_fix(problem.field))
            error.show()
        elif isinstance(problem, SipError):
            error.setText(problem.message)
            error.show()
        else:
            report_failure(self, problem, "Kallelsen kunde inte skickas")


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
