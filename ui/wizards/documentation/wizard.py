"""The documentation wizard itself: its pages in order, reading the plan and saving as the user
goes (both in the operation runner), finishing.

It opens at once with its pages' titles and help, reads the plan (`plan_documentation.
documentation_view`) in the background and builds the pages' fields from it when it arrives;
until then there is nothing to type in, so nothing typed can be lost. Each change of page
saves what is waiting, then reads the plan again (others may write in it at the same time).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
    QWizard,
)

from sipdesk import clock
from sipdesk.plans import plan
from sipdesk.plans.plan import PlanVersion
from sipdesk.plans.plan_documentation import DocumentationView, documentation_view
from sipdesk.storage.models import User

from ... import messages
from ...dialogs.plan_widgets import PlainLanguageLabel
from ...operations import Operation
from ...session import Session
from ..documentation_saving import (
    SAVE_DELAY_MS,
    Binding,
    ConflictBox,
    FieldSaver,
    plain,
)
from .actions import FollowUpPage, InterventionsPage, ResponsibilityPage
from .child import ChildVoicePage
from .common import DocumentationPage, deadline_text
from .people import ParticipantsPage, SituationPage
from .review import ReviewPage

# ---- the wizard --------------------------------------------------------------------------------

class DocumentationWizard(QWizard):
    """Dokumentera planen: six pages, saved as the user goes."""

    # CHILD is a page only for a child (`DocumentationView.is_child`), added once the plan is
    # read; the ids keep the pages' order, so an adult's wizard just has no page 2.
    PARTICIPANTS, SITUATION, CHILD, INTERVENTIONS, RESPONSIBILITY, FOLLOW_UP, REVIEW = range(7)
    changed = Signal()  # something was saved

    def __init__(self, session: Session, plan_id: int, *, today: dt.date | None = None,
                 delay_ms: int = SAVE_DELAY_MS, parent: QWidget | None = None,
                 view: DocumentationView | None = None) -> None:
        """`view`, when the opener has read it already; else it is read in the background."""
        super().__init__(parent)
        self.session = session
        self.plan_id = plan_id
        self.today = today or clock.today()
        self.view: DocumentationView | None = None  # the plan as last read
        self.read_only = True  # until the plan is read
        self.saved_anything = False
        self.saver = FieldSaver(session.user, plan_id, delay_ms=delay_ms, parent=self)
        self.saver.saved.connect(lambda _n: self.mark_saved())
        self.saver.status_changed.connect(self._status)
        self.saver.stopped.connect(self._stopped)
        self.field_parts: dict[str, tuple[QLabel, ConflictBox]] = {}
        self.plain_labels: dict[str, PlainLanguageLabel] = {}
        self.field_labels: dict[str, str] = {}
        self._loading = False
        self._load_again = False
        self._closing: int | None = None  # the result to close with once saving is done

        self.setObjectName("documentation_wizard")
        self.setWindowTitle("Dokumentera planen")
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
        ids = (self.PARTICIPANTS, self.SITUATION, self.INTERVENTIONS, self.RESPONSIBILITY,
               self.FOLLOW_UP, self.REVIEW)
        for page_id, page in zip(ids, self.pages, strict=True):
            page.setFinalPage(True)  # "Stäng" on every page: everything is saved already
            self.setPage(page_id, page)
        self.currentIdChanged.connect(self._page_changed)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save_now)
        self.resize(980, 760)
        if view is not None:
            self._loaded(view, self.saver.generation)
        else:
            self._status("Hämtar planen …")
            self.reload()

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
        """Closing (Stäng, Esc, the window's ✕) saves what is still waiting first, and closes
        when that is done. Text that could not be saved (a clash not yet decided, refused by a
        rule, or no contact with the database) is named, and the user may go back to it
        instead of losing it."""
        if self._closing is not None:  # already waiting for the last save
            return
        self.saver.flush()
        if self.saver.busy:
            self._closing = result
            self.saver.when_idle(self._close_when_saved)
            return
        self._close(result)

    def _close_when_saved(self) -> None:
        result, self._closing = self._closing, None
        if result is not None:
            self._close(result)

    def _close(self, result: int) -> None:
        unsaved = self.unsaved_fields()
        no_contact = not (set(self.saver.conflicts) | self.saver.refused)
        if unsaved and not self.read_only and not self.ask_close_anyway(
                unsaved, no_contact=no_contact):
            return
        super().done(result)

    def unsaved_fields(self) -> list[str]:
        names = set(self.saver.conflicts) | self.saver.refused | self.saver.dirty
        return [self.field_labels.get(name, name) for name in self.saver.bindings
                if name in names]

    def ask_close_anyway(self, fields: list[str], *, no_contact: bool = False) -> bool:
        why = ("det gick inte att nå databasen" if no_contact else
               "någon annan har ändrat samma sak, eller texten följer inte reglerna (se "
               "meddelandet vid fältet)")
        return messages.confirm(
            self, "Det här är inte sparat",
            "Det du skrev i " + ", ".join(f"”{f}”" for f in fields) + f" är inte sparat: {why}."
            "\n\nVill du stänga ändå? Då försvinner det du skrev där.",
            yes="Stäng ändå", no="Gå tillbaka")

    def save_now(self) -> None:
        if not self.saver.pending:
            self._status(f"Sparat {clock.now():%H:%M}")
        self.saver.flush()

    def _page_changed(self, page_id: int) -> None:
        self.saver.flush()
        if page_id >= 0 and self.view is not None:
            self.reload()

    # ---- reading the plan -------------------------------------------------------------------

    def reload(self) -> None:
        """Read the plan as stored now (others may have written since), once what is waiting
        is saved; then show it."""
        self.saver.when_idle(self._read)

    def _read(self) -> None:
        if self._loading:
            self._load_again = True
            return
        self._loading = True
        generation = self.saver.generation
        user, plan_id, today = self.session.user, self.plan_id, self.today
        (Operation(self, lambda: documentation_view(user, plan_id, today=today),
                   title="Planen kunde inte läsas")
         .success(lambda view: self._loaded(view, generation))
         .finally_(self._read_done).run())

    def _read_done(self) -> None:
        self._loading = False
        if self._load_again:
            self._load_again = False
            self.reload()

    def _loaded(self, view: DocumentationView, generation: int) -> None:
        first = self.view is None
        self.view = view
        if first:
            self._build(view)
        else:
            self.saver.reload(view, generation)
        self.update_deadline()
        page = self.currentPage()
        if isinstance(page, DocumentationPage):
            page.show_data(view)

    def _build(self, view: DocumentationView) -> None:
        """The pages' fields, from the plan as first read."""
        self.read_only = view.read_only
        self.setWindowTitle(f"Dokumentera planen — {view.case_number}, version "
                            f"{view.version.number}")
        if view.is_child:  # "Barnets egna ord" after the situation (seed 002 §4)
            child = ChildVoicePage(self)
            child.setFinalPage(True)
            self.setPage(self.CHILD, child)
            after = next(i for i, p in enumerate(self.pages) if isinstance(p, SituationPage))
            self.pages.insert(after + 1, child)
        self._number_pages()
        for page in self.pages:
            page.build(view)
            page.set_read_only(self.read_only)
        self.saver.read_only = self.read_only
        self._status("Bara läsning: " + view.read_only_reason if self.read_only else "")
        for name, label in self.plain_labels.items():
            binding = self.saver.bindings.get(name)
            if binding is not None:
                value = binding.read()
                label.check("\n".join(value) if isinstance(value, list) else str(value or ""))

    def _number_pages(self) -> None:
        """"2 av 6 · …" — or of 7, with a child's page."""
        for number, page in enumerate(self.pages, 1):
            name = page.title_text.split(" · ", 1)[-1]
            page.setTitle(f"{number} av {len(self.pages)} · {name}")

    # ---- for the pages ----------------------------------------------------------------------

    @property
    def version(self) -> PlanVersion:
        """The version as last read."""
        assert self.view is not None, "the plan is read before the pages are built"
        return self.view.version

    def bind(self, name: str, widget: QWidget, *, read: Any, write: Any,
             display: Any = plain) -> None:
        assert self.view is not None
        error, conflict = self.field_parts[name]
        self.saver.bind(Binding(name=name, read=read, write=write, conflict=conflict,
                                error=error, widget=widget, display=display), self.view)

    def show_field_error(self, name: str, message: str) -> None:
        error, _conflict = self.field_parts[name]
        error.setText(message)
        error.show()

    def mark_saved(self) -> None:
        self.saved_anything = True
        self.changed.emit()

    def run(self, action: Callable[[User, PlanVersion], object]) -> None:
        """Call a use case with the user and the version as stored, in the operation runner;
        when it is done, read the plan again. A refusal is said in a message box."""
        user, plan_id = self.session.user, self.plan_id

        def work() -> None:
            action(user, plan.get_version(plan_id))

        def done(_result: None) -> None:
            self.mark_saved()
            self.reload()

        Operation(self, work, title="Det gick inte").success(done).run()

    def update_deadline(self) -> None:
        if self.view is None:
            return
        text, overdue = deadline_text(self.view.version, today=self.today,
                                      overdue=self.view.overdue)
        for page in self.pages:
            page.show_deadline(text, overdue)

    def _status(self, text: str) -> None:
        for page in self.pages:
            page.save_status.setText(text)

    def _stopped(self, reason: str) -> None:
        self.read_only = True
        messages.warning(self, "Planen kan inte ändras", reason + "\n\nDet du skrivit finns "
                         "kvar i fönstret så att du kan kopiera det.")
