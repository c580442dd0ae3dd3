"""The documentation wizard itself: its pages in order, saving as the user goes, finishing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
    QWizard,
)

from sipdesk import clock, consent, lifecycle, plan
from sipdesk.db import storage_errors
from sipdesk.errors import NotFoundError, PermissionDenied, SipError, StorageError, ValidationError
from sipdesk.models import Case, CaseStatus
from sipdesk.plan import PlanVersion

from ... import messages
from ...dialogs.plan_widgets import PlainLanguageLabel
from ...session import Session
from ..documentation_saving import (
    SAVE_DELAY_MS,
    Binding,
    ConflictBox,
    FieldSaver,
    plain,
    save_shared,
    stored_shared,
)
from .actions import FollowUpPage, InterventionsPage, ResponsibilityPage
from .common import DocumentationPage, deadline_text, log
from .people import ParticipantsPage, SituationPage
from .review import ReviewPage

# ---- the wizard --------------------------------------------------------------------------------

class DocumentationWizard(QWizard):
    """Dokumentera planen: six pages, saved as the user goes."""

    PARTICIPANTS, SITUATION, INTERVENTIONS, RESPONSIBILITY, FOLLOW_UP, REVIEW = range(6)
    changed = Signal()  # something was saved

    def __init__(self, session: Session, plan_id: int, *, today: dt.date | None = None,
                 delay_ms: int = SAVE_DELAY_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today or clock.today()
        self.version = plan.get_version(plan_id)
        self.case: Case = self.version.case
        latest = plan.latest_version(self.case)
        self.read_only = (self.version.locked or not CaseStatus(self.case.status).is_open
                          or latest is None or latest.id != self.version.id)
        self.is_child = consent.is_child(self.case.person, self.version.meeting_date)
        self.saved_anything = False
        self.saver = FieldSaver(session.user, plan_id, delay_ms=delay_ms, parent=self)
        self.saver.read_only = self.read_only
        self.saver.saved.connect(lambda _n: self.mark_saved())
        self.saver.status_changed.connect(self._status)
        self.saver.stopped.connect(self._stopped)
        self.field_parts: dict[str, tuple[QLabel, ConflictBox]] = {}
        self.plain_labels: dict[str, PlainLanguageLabel] = {}
        self.field_labels: dict[str, str] = {}

        self.setObjectName("documentation_wizard")
        self.setWindowTitle(f"Dokumentera planen — {self.case.number}, version "
                            f"{self.version.number}")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.HaveFinishButtonOnEarlyPages, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, "< Tillbaka")
        self.setButtonText(QWizard.WizardButton.NextButton, "Nästa >")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Stäng")
        finish = self.button(QWizard.WizardButton.FinishButton)
        finish.setToolTip("Allt du skrivit är redan sparat")

        self.pages: list[DocumentationPage] = [
            ParticipantsPage(self), SituationPage(self), InterventionsPage(self),
            ResponsibilityPage(self), FollowUpPage(self), ReviewPage(self)]
        for page_id, page in enumerate(self.pages):
            page.setFinalPage(True)  # "Stäng" on every page: everything is saved already
            self.setPage(page_id, page)
            page.set_read_only(self.read_only)
        self.currentIdChanged.connect(self._page_changed)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save_now)
        self.update_deadline()
        if self.read_only:
            self._status("Bara läsning: " + self._read_only_reason())
        for name, label in self.plain_labels.items():
            binding = self.saver.bindings.get(name)
            if binding is not None:
                value = binding.read()
                label.check("\n".join(value) if isinstance(value, list) else str(value or ""))
        self.resize(980, 760)

    # ---- running ----------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session, plan_id: int, *,
            today: dt.date | None = None) -> bool:
        """Show the wizard; True when anything was saved."""
        wizard = cls(session, plan_id, today=today, parent=parent)
        try:
            wizard.exec()
            return wizard.saved_anything
        finally:
            wizard.deleteLater()

    def done(self, result: int) -> None:
        """Closing (Stäng, Esc, the window's ✕) saves what is still waiting first. Text that
        could not be saved (a clash not yet decided, or refused by a rule) is named, and the
        user may go back to it instead of losing it."""
        self.saver.flush()
        unsaved = self.unsaved_fields()
        if unsaved and not self.read_only and not self.ask_close_anyway(unsaved):
            return
        super().done(result)

    def unsaved_fields(self) -> list[str]:
        names = set(self.saver.conflicts) | self.saver.refused
        return [self.field_labels.get(name, name) for name in self.saver.bindings
                if name in names]

    def ask_close_anyway(self, fields: list[str]) -> bool:
        return messages.confirm(
            self, "Det här är inte sparat",
            "Det du skrev i " + ", ".join(f"”{f}”" for f in fields) + " är inte sparat: "
            "någon annan har ändrat samma sak, eller texten följer inte reglerna (se "
            "meddelandet vid fältet).\n\nVill du stänga ändå? Då försvinner det du skrev där.",
            yes="Stäng ändå", no="Gå tillbaka")

    def save_now(self) -> None:
        if self.saver.flush():
            self._status(f"Sparat {clock.now():%H:%M}")

    def _page_changed(self, page_id: int) -> None:
        self.saver.flush()
        if page_id >= 0:
            self.saver.reload(self.fresh())
        self.update_deadline()

    # ---- for the pages ----------------------------------------------------------------------

    def fresh(self) -> PlanVersion:
        """The version as stored now (others may have written since the wizard opened)."""
        self.version = plan.get_version(self.version.id)
        return self.version

    def bind(self, name: str, widget: QWidget, *, read: Any, write: Any, stored: Any = None,
             save: Any = None, display: Any = plain) -> None:
        error, conflict = self.field_parts[name]
        self.saver.bind(Binding(
            name=name, read=read, write=write, stored=stored or stored_shared(name),
            save=save or save_shared(name), conflict=conflict, error=error, widget=widget,
            display=display), self.version)

    def show_field_error(self, name: str, message: str) -> None:
        error, _conflict = self.field_parts[name]
        error.setText(message)
        error.show()

    def mark_saved(self) -> None:
        self.saved_anything = True
        self.changed.emit()

    def run(self, action: Any) -> bool:
        """Call a use case; its refusal is said in a message box. True when it was done."""
        try:
            with storage_errors():
                action()
        except StorageError as exc:
            log.error("plan action failed: %s", type(exc).__name__)
            messages.error(self, "Det gick inte att spara",
                           "Det gick inte att spara i databasen. Kontrollera anslutningen och "
                           "försök igen.")
            return False
        except (ValidationError, PermissionDenied, NotFoundError) as problem:
            messages.warning(self, "Det gick inte", problem.message)
            return False
        except SipError as problem:
            messages.warning(self, "Det gick inte", problem.message)
            return False
        self.mark_saved()
        self.update_deadline()
        return True

    def update_deadline(self) -> None:
        text, overdue = deadline_text(self.fresh(), today=self.today)
        for page in self.pages:
            page.show_deadline(text, overdue)

    def _status(self, text: str) -> None:
        for page in self.pages:
            page.save_status.setText(text)

    def _stopped(self, reason: str) -> None:
        self.read_only = True
        messages.warning(self, "Planen kan inte ändras", reason + "\n\nDet du skrivit finns "
                         "kvar i fönstret så att du kan kopiera det.")

    def _read_only_reason(self) -> str:
        if not CaseStatus(self.case.status).is_open:
            return lifecycle.READ_ONLY
        if self.version.locked:
            return "planen är godkänd och låst."
        return "det här är en äldre version."
