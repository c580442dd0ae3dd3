""""Mobilt vårdteam…" (seed 000 "Tjänstemannamöte"): the six criteria as check boxes — "75 år
eller äldre" filled in from the personal number on the meeting date and locked — with "uppfyller
kriterierna" once at least four are met; primary care's decision; refused for another reason
needs the reason, and MAS must be informed.

`MobileTeamDialog.ask(parent, user, meeting, form=…)` returns the stored check, or None; `form`
(`sipdesk.meetings.meeting_page.mobile_team_form`: the earlier check and the age) is read by the
opener through the operation runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.invitation import Meeting
from sipdesk.meetings.meeting import CRITERIA, ELIGIBLE_AT, PrimaryCareDecision
from sipdesk.meetings.meeting_page import MobileTeamForm
from sipdesk.storage.models import User

from .form_dialog import group_box, multiline, wide_combo
from .meeting_common import MeetingFormDialog

ELIGIBLE_STYLE = "color: #1d5c2e; font-weight: bold;"
NOT_ELIGIBLE_STYLE = "color: #5c3b00;"


class MobileTeamDialog(MeetingFormDialog):
    ok_text = "Spara"
    failed_title = "Bedömningen kunde inte sparas"

    def __init__(self, user: User, meeting: Meeting, *, form: MobileTeamForm,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Mobilt vårdteam", parent=parent,
            intro=("Kryssa i de kriterier som stämmer. Uppfyller den enskilde minst fyra av "
                   "sex beslutar primärvården om mobilt vårdteam."))
        self.setObjectName("mobile_team_dialog")
        self.user = user
        self.meeting = meeting
        existing, old_enough = form.existing, form.old_enough

        criteria = group_box("criteria")
        column = criteria.layout()
        assert isinstance(column, QVBoxLayout)
        self.boxes: dict[str, QCheckBox] = {}
        for key, text in CRITERIA.items():
            box = QCheckBox(text)
            box.setObjectName(key)
            if key == "age_75":
                box.setChecked(old_enough)
                box.setEnabled(False)
                box.setToolTip(f"Räknas fram ur personnumret på mötesdagen "
                               f"{meeting.starts_at:%Y-%m-%d}.")
                box.setText(f"{text} (enligt personnumret på mötesdagen)")
            elif existing is not None:
                box.setChecked(bool(getattr(existing, key)))
            box.toggled.connect(lambda _on: self._update())
            column.addWidget(box)
            self.boxes[key] = box
        self.form.add("criteria", "Kriterier", criteria)
        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.form.addRow("", self.verdict)

        self.decision = wide_combo("decision")
        for decision in PrimaryCareDecision:
            self.decision.addItem(decision.label, decision.value)
        if existing is not None:
            self.decision.setCurrentIndex(self.decision.findData(existing.decision))
        self.form.add("decision", "Primärvårdens beslut", self.decision)
        self.refused_reason = multiline(name="refused_reason",
                                        placeholder="Primärvårdens skäl, som de angav det")
        if existing is not None:
            self.refused_reason.setPlainText(existing.refused_reason)
        self.form.add("refused_reason", "Skäl *", self.refused_reason)
        self.mas_informed = QCheckBox("Medicinskt ansvarig sjuksköterska (MAS) är informerad")
        self.mas_informed.setObjectName("mas_informed")
        self.mas_informed.setChecked(existing is not None and existing.mas_informed)
        self.form.add("mas_informed", "", self.mas_informed)
        self.decision.currentIndexChanged.connect(lambda _i: self._update())
        self.watch("refused_reason", self.refused_reason)
        self.watch("mas_informed", self.mas_informed)
        self._update()
        self.resize(max(self.sizeHint().width(), 600), self.sizeHint().height())

    def answers(self) -> dict[str, bool]:
        return {key: box.isChecked() for key, box in self.boxes.items()}

    def chosen(self) -> PrimaryCareDecision:
        return PrimaryCareDecision(self.decision.currentData())

    def _update(self) -> None:
        met = meetings.criteria_met(self.answers())
        if meetings.is_eligible(self.answers()):
            self.verdict.setText(f"{met} av 6 — uppfyller kriterierna")
            self.verdict.setStyleSheet(ELIGIBLE_STYLE)
        else:
            self.verdict.setText(f"{met} av 6 — uppfyller inte kriterierna "
                                 f"(minst {ELIGIBLE_AT} behövs)")
            self.verdict.setStyleSheet(NOT_ELIGIBLE_STYLE)
        other = self.chosen() is PrimaryCareDecision.REFUSED_OTHER
        self.set_field_visible("refused_reason", other)
        self.set_field_visible("mas_informed", other)
        self.show_warning(
            "Primärvården säger nej av annat skäl än att kriterierna inte är uppfyllda eller "
            "att behov saknas: dokumentera skälet och informera MAS." if other else "")

    def saving(self) -> Callable[[], Any]:
        other = self.chosen() is PrimaryCareDecision.REFUSED_OTHER
        user, meeting, answers, decision = (self.user, self.meeting, self.answers(),
                                            self.chosen())
        why = self.refused_reason.toPlainText() if other else ""
        informed = self.mas_informed.isChecked() and other
        return lambda: meetings.record_mobile_team_check(
            user, meeting, answers, decision=decision, refused_reason=why,
            mas_informed=informed)
