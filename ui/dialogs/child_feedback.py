""""Återkoppling till barnet…" (seed 002: "att vi återkopplar till barnet vilken betydelse deras
röst har haft"): after the meeting someone tells the child what their voice meant for the plan;
the dialog records who told the child, when, and — if the user wants — what was said
(`sipdesk.plans.child_voice.record_feedback`). Opened from Planen for a child's plan version;
once it is recorded, Att göra stops reminding the coordinator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QWidget

from sipdesk import clock
from sipdesk.plans import child_voice, plan
from sipdesk.plans.child_voice import ChildFeedback, FeedbackInput
from sipdesk.plans.plan import PlanVersion

from ..fields import limited
from ..session import Session
from .dates import DateEdit
from .form_dialog import FormDialog, multiline


class ChildFeedbackDialog(FormDialog):
    ok_text = "Spara"
    failed_title = "Återkopplingen kunde inte sparas"

    def __init__(self, session: Session, version: PlanVersion, *,
                 existing: ChildFeedback | None = None, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Återkoppling till barnet",
            intro=("Efter mötet berättar någon för barnet vad barnets röst betydde för planen: "
                   "det som blev som barnet ville, och varför något inte blev så. Skriv vem "
                   "som berättade och när."),
            parent=parent)
        self.setObjectName("child_feedback_dialog")
        self.session = session
        self.version = version
        self.today = today or clock.today()
        self.told_by = limited(QLineEdit(), ChildFeedback.told_by)
        self.told_by.setObjectName("told_by")
        self.told_by.setPlaceholderText("t.ex. Anna Berg och mamma Karin")
        self.told_by.setText(existing.told_by if existing else session.user.full_name)
        self.form.add("told_by", "Vem berättade för barnet? *", self.told_by)
        first = version.meeting_date
        self.told_on = DateEdit(existing.told_on if existing else max(first, self.today),
                                minimum=first, maximum=max(first, self.today))
        self.told_on.setObjectName("told_on")
        self.form.add("told_on", "När? *", self.told_on)
        self.note = multiline(name="note", lines=3,
                              placeholder="t.ex. ”Vi tittade på planen med bilder. Lo blev glad "
                                          "över vilan efter lunch.”")
        if existing:
            self.note.setPlainText(existing.note)
        self.form.add("note", "Vad berättade ni? (om du vill)", self.note)
        for name, widget in (("told_by", self.told_by), ("told_on", self.told_on),
                             ("note", self.note)):
            self.watch(name, widget)
        self.resize(540, 0)
        self.told_by.setFocus()

    def _input(self) -> FeedbackInput:
        return FeedbackInput(told_by=self.told_by.text(), told_on=self.told_on.value(),
                             note=self.note.toPlainText())

    def problems(self) -> dict[str, str]:
        return child_voice.feedback_problems(self.version, self._input(), today=self.today)

    def saving(self) -> Callable[[], ChildFeedback]:
        user, version_id, data, today = (self.session.user, self.version.id, self._input(),
                                         self.today)
        return lambda: child_voice.record_feedback(user, plan.get_version(version_id), data,
                                                   today=today)
