"""One intervention (insats) of a principal's part of the plan — or "Vi gör inget" with a
sentence (seed 000: each actor documents its own commitments, including "we will take no
action"; it must be clear which action is taken and who is responsible).

Checked as the user types by `plan.intervention_problems`; the text is checked for plain
language too (it goes into the person's own copy). What is typed is kept as a draft
(`sipdesk.casework.drafts`) a moment after each change, so a crash loses nothing: opening the same
intervention again brings it back. `InterventionDialog.ask(parent, session, version, …)` returns
the saved intervention or None.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from sipdesk.casework import drafts
from sipdesk.errors import FieldConflict, StorageError
from sipdesk.plans import plan
from sipdesk.plans.plan import Intervention, InterventionInput, InterventionStatus, PlanVersion

from ..fields import limited
from ..operations import Operation, report_failure
from ..session import Session
from .form_dialog import FormDialog, hint, multiline, text_of
from .plan_widgets import OptionalDateEdit, PlainLanguageLabel

log = logging.getLogger("sipdesk.ui.plan_intervention")

DRAFT_NAME = "plan_intervention"
DRAFT_DELAY_MS = 800
EARLIEST = dt.date(2000, 1, 1)
INTRO = ("Skriv vad som görs, för vilket mål, vem som ansvarar och när. Skriv så att personen "
         "förstår — texten kommer med i personens eget exemplar.")
NO_ACTION_INTRO = ("Gör ni inget just nu? Skriv det i en mening, så att det syns i planen att "
                   "er del är med (t.ex. ”Vårdcentralen gör inget nytt just nu”).")


class InterventionDialog(FormDialog):
    """Lägg till or ändra an intervention for one principal."""

    def __init__(self, session: Session, version: PlanVersion, *, principal_id: int,
                 principal_name: str, intervention: Intervention | None = None,
                 no_action: bool = False, goals: list[str] | None = None,
                 draft: dict[str, Any] | None = None, parent: QWidget | None = None) -> None:
        """`draft`: what the user typed here last time and did not save, as read by whoever
        opens the dialog (`drafts.load_draft(user, version.case_id, DRAFT_NAME)`)."""
        editing = intervention is not None
        super().__init__(
            title=f"{'Ändra insats' if editing else 'Ny insats'} — {principal_name}",
            intro=INTRO, parent=parent)
        self.setObjectName("plan_intervention_dialog")
        self.session = session
        self.version = version
        self.principal_id = principal_id
        self.intervention_id = intervention.id if intervention else None
        # What an edit started from: a save changes only the fields that differ from it.
        self.base: InterventionInput | None = (InterventionInput.of(intervention)
                                               if intervention else None)
        self.case_id: int = version.case_id

        self.no_action = QCheckBox("Vi gör inget (skriv en mening om det)")
        self.no_action.setObjectName("no_action")
        self.what = multiline(name="what", lines=2,
                              placeholder="t.ex. ”Hemtjänsten hjälper till med dusch”")
        self.plain = PlainLanguageLabel("what")
        self.goal = QComboBox()
        self.goal.setObjectName("goal")
        self.goal.setEditable(True)
        self.goal.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.goal.addItem("")
        for text in goals or []:
            self.goal.addItem(text)
        self.unit = limited(QLineEdit(), Intervention.unit)
        self.unit.setObjectName("unit")
        self.unit.setPlaceholderText("t.ex. Hemtjänst Norr")
        self.responsible = limited(QLineEdit(), Intervention.responsible)
        self.responsible.setObjectName("responsible")
        self.responsible.setPlaceholderText("Ett namn")
        self.how_often = limited(QLineEdit(), Intervention.how_often)
        self.how_often.setObjectName("how_often")
        self.how_often.setPlaceholderText("t.ex. ”varje morgon” eller ”två gånger i veckan”")
        self.starts_on = OptionalDateEdit(None, empty_at=EARLIEST)
        self.starts_on.setObjectName("starts_on")
        self.ends_on = OptionalDateEdit(None, empty_at=EARLIEST)
        self.ends_on.setObjectName("ends_on")
        period = QWidget()
        period_row = QHBoxLayout(period)
        period_row.setContentsMargins(0, 0, 0, 0)
        period_row.addWidget(self.starts_on)
        period_row.addWidget(QLabel("till"))
        period_row.addWidget(self.ends_on)
        period_row.addStretch(1)
        self.status = QComboBox()
        self.status.setObjectName("status")
        for status in InterventionStatus:
            self.status.addItem(status.label, status.value)

        self.form.addRow("", self.no_action)
        self.form.add("what", "Vad görs *", self.what)
        self.form.addRow("", self.plain.slot())
        self.form.add("goal", "För vilket mål", self.goal)
        self.form.add("unit", "Enhet", self.unit)
        self.form.add("responsible", "Ansvarig person *", self.responsible)
        self.form.add("how_often", "När / hur ofta *", self.how_often)
        self.form.add("ends_on", "Från – till", period)
        self.form.inputs["ends_on"] = self.ends_on  # the message belongs to the end date
        self.dates_hint = hint("Datumen kan lämnas tomma.", name="dates_hint")
        self.form.addRow("", self.dates_hint)
        self.form.add("status", "Status", self.status)

        self.restored = False
        if intervention is not None:
            self._load(self._from_intervention(intervention))
        else:
            self.no_action.setChecked(no_action)
            self.unit.setText(session.user.unit.name
                              if session.user.unit.principal_id == principal_id else "")
        saved = draft
        if saved and saved.get("plan_id") == version.id and saved.get(
                "principal_id") == principal_id and saved.get(
                "intervention_id") == self.intervention_id:
            self._load(saved)
            self.restored = True
            self.intro.setText(self.intro.text() + "\n\nDet du skrev förra gången är "
                               "återställt (fönstret stängdes innan det sparades).")

        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(DRAFT_DELAY_MS)
        self._draft_timer.timeout.connect(self.save_draft)
        for name, widget in (("what", self.what), ("goal", self.goal), ("unit", self.unit),
                             ("responsible", self.responsible), ("how_often", self.how_often),
                             ("ends_on", self.ends_on), ("status", self.status)):
            self.watch(name, widget)
        self.watch("ends_on", self.starts_on)
        self.watch("what", self.no_action)
        for signal in (self.what.textChanged, self.goal.editTextChanged,
                       self.unit.textEdited, self.responsible.textEdited,
                       self.how_often.textEdited, self.starts_on.dateChanged,
                       self.ends_on.dateChanged, self.status.currentIndexChanged,
                       self.no_action.toggled):
            signal.connect(lambda *_a: self._draft_timer.start())
        self.what.textChanged.connect(lambda: self.plain.check(self.what.toPlainText()))
        self.no_action.toggled.connect(self._no_action_toggled)
        self._no_action_toggled(self.no_action.isChecked())
        self.plain.check(self.what.toPlainText())
        self.resize(620, 560)

    # ---- values ----------------------------------------------------------------------------

    @staticmethod
    def _from_intervention(item: Intervention) -> dict[str, Any]:
        return {"what": item.what, "goal": item.goal, "unit": item.unit,
                "responsible": item.responsible, "how_often": item.how_often,
                "starts_on": item.starts_on.isoformat() if item.starts_on else None,
                "ends_on": item.ends_on.isoformat() if item.ends_on else None,
                "status": item.status, "no_action": item.no_action}

    def _load(self, data: dict[str, Any]) -> None:
        self.no_action.setChecked(bool(data.get("no_action")))
        self.what.setPlainText(str(data.get("what") or ""))
        self.goal.setEditText(str(data.get("goal") or ""))
        self.unit.setText(str(data.get("unit") or ""))
        self.responsible.setText(str(data.get("responsible") or ""))
        self.how_often.setText(str(data.get("how_often") or ""))
        for widget, key in ((self.starts_on, "starts_on"), (self.ends_on, "ends_on")):
            raw = data.get(key)
            widget.set_optional(dt.date.fromisoformat(raw) if raw else None)
        index = self.status.findData(str(data.get("status") or "planned"))
        self.status.setCurrentIndex(max(index, 0))

    def data(self) -> InterventionInput:
        return InterventionInput(
            principal_id=self.principal_id, what=self.what.toPlainText(),
            goal=text_of(self.goal).strip(), unit=self.unit.text(),
            responsible=self.responsible.text(), how_often=self.how_often.text(),
            starts_on=self.starts_on.optional_value(), ends_on=self.ends_on.optional_value(),
            status=InterventionStatus(self.status.currentData()),
            no_action=self.no_action.isChecked())

    def _no_action_toggled(self, checked: bool) -> None:
        for name in ("goal", "unit", "responsible", "how_often", "ends_on", "status"):
            box = self.form.errors[name].parentWidget()
            if box is not None:
                self.form.setRowVisible(box, not checked)
        self.form.setRowVisible(self.dates_hint, not checked)
        if not self.restored:
            self.intro.setText(NO_ACTION_INTRO if checked else INTRO)
        what_box = self.form.errors["what"].parentWidget()
        label = self.form.labelForField(what_box) if what_box is not None else None
        if isinstance(label, QLabel):
            label.setText("Mening *" if checked else "Vad görs *")
        self.what.setPlaceholderText("t.ex. ”Vårdcentralen gör inget nytt just nu”" if checked
                                     else "t.ex. ”Hemtjänsten hjälper till med dusch”")
        self.revalidate()

    # ---- FormDialog ------------------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        return plan.intervention_problems(self.data())

    def saving(self) -> Callable[[], Intervention]:
        user, version_id, data, intervention_id, base = (
            self.session.user, self.version.id, self.data(), self.intervention_id, self.base)
        drop = self._draft_work(None)

        def save() -> Intervention:
            saved = plan.save_intervention(user, plan.get_version(version_id), data,
                                           intervention_id, base=base)
            drop()  # saved: nothing to bring back
            return saved
        return save

    # ---- someone else saved the same field (FormDialog opens the conflict dialog) ----------

    def resolves_conflicts(self) -> bool:
        return self.base is not None

    def rebase_on(self, conflicts: list[FieldConflict]) -> None:
        if self.base is None:
            return
        theirs = {c.field: c.theirs for c in conflicts}
        if "status" in theirs:
            theirs["status"] = InterventionStatus(theirs["status"])
        theirs.pop("principal", None)  # never changed here
        self.base = dataclasses.replace(self.base, **theirs)

    def conflict_display(self, field: str, value: Any) -> str:
        if field == "status" and value:
            return InterventionStatus(value).label
        return super().conflict_display(field, value)

    def set_conflict_value(self, field: str, value: Any) -> None:
        if field in ("starts_on", "ends_on"):
            getattr(self, field).set_optional(value)
        elif field == "no_action":
            self.no_action.setChecked(bool(value))
        else:
            super().set_conflict_value(field, value)

    def on_saved(self, result: Any) -> None:
        self._drop_draft()  # again: a draft typed while the save ran is not kept either

    def hideEvent(self, event: QHideEvent) -> None:
        """A hidden dialog writes no more drafts (OK and Avbryt have dealt with it)."""
        self._draft_timer.stop()
        super().hideEvent(event)

    def reject(self) -> None:
        self._drop_draft()
        super().reject()

    # ---- the draft -------------------------------------------------------------------------

    def save_draft(self) -> None:
        """Keep what is typed (in the background; a failure only costs the draft)."""
        data = self.data()
        self._run_draft({
            "plan_id": self.version.id, "principal_id": self.principal_id,
            "intervention_id": self.intervention_id, "what": data.what, "goal": data.goal,
            "unit": data.unit, "responsible": data.responsible, "how_often": data.how_often,
            "starts_on": data.starts_on.isoformat() if data.starts_on else None,
            "ends_on": data.ends_on.isoformat() if data.ends_on else None,
            "status": data.status.value, "no_action": data.no_action})

    def _drop_draft(self) -> None:
        self._draft_timer.stop()
        self._run_draft(None)

    def _run_draft(self, content: dict[str, Any] | None) -> None:
        def failed(exc: Exception) -> None:
            if isinstance(exc, StorageError):  # the dialog still holds the text
                log.warning("intervention draft not %s: %s", "saved" if content else "removed",
                            type(exc).__name__)
            else:
                report_failure(None, exc)

        app = QCoreApplication.instance()
        assert app is not None
        # Outlives the dialog: Avbryt closes it while the draft is being removed.
        Operation(app, self._draft_work(content)).failure(failed).run()

    def _draft_work(self, content: dict[str, Any] | None) -> Callable[[], None]:
        """Save (`content`) or remove the draft. Writes run in the background and may finish
        in any order: each carries a number, and one older than the last written is skipped,
        so a draft saved a moment before Avbryt never comes back after it."""
        global _draft_number
        with _draft_lock:
            _draft_number += 1
            number = _draft_number
        user, case_id, key = self.session.user, self.case_id, (self.session.user.id,
                                                               self.case_id)

        def work() -> None:
            with _draft_lock:
                if _draft_written.get(key, 0) > number:
                    return
                _draft_written[key] = number
                if content is None:
                    drafts.delete_draft(user, case_id, DRAFT_NAME)
                else:
                    drafts.save_draft(user, case_id, DRAFT_NAME, content)
        return work


_draft_lock = threading.Lock()
_draft_number = 0
_draft_written: dict[tuple[int, int], int] = {}  # (user, case): the number last written
