""""Registrera utvärdering…" (seed 002 "Utvärdera mötet"): the answers of one respondent's
evaluation of a held meeting — usually from the printed form, filled in at home — typed in
afterwards.

Who answered (the person, a guardian, a god man or förvaltare, someone else; a name to tell two
apart), how the answers came, each question's face (or "Inget svar": no one has to answer) and
the free text. Every input is reached with the keyboard: Tab goes from field to field and into
a question's row of faces, the arrow keys move along it, and 1–5 choose a face (0: no answer).
A respondent who has already evaluated the meeting is warned that saving replaces their answers
(the core keeps each respondent's evaluation apart, one per meeting).

`EvaluationDialog.ask(parent, user, meeting, existing=[…], child=…)` returns the saved
evaluation, or None.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.meetings import evaluation
from sipdesk.meetings.evaluation import (
    QUESTIONS,
    SCALE,
    EvaluationInput,
    GivenAs,
    MeetingEvaluation,
    RespondentKind,
    comment_question,
    kind_label,
    respondent_key,
    respondent_label,
)
from sipdesk.meetings.invitation import Meeting
from sipdesk.storage.models import User

from ..faces import face_icon
from ..fields import limited
from .form_dialog import group_box, hint, multiline, wide_combo
from .meeting_common import MeetingFormDialog

NO_ANSWER = "Inget svar"
ICON = 28


class FaceScale(QWidget):
    """One question's answer: "Inget svar" and the five faces, as radio buttons. Tab reaches
    the chosen one, the arrow keys move along the row, 1–5 choose a face and 0 no answer."""

    changed = Signal()

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"scale_{key}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        self.group = QButtonGroup(self)
        self.buttons: dict[int, QRadioButton] = {}
        none = QRadioButton(NO_ANSWER)
        none.setObjectName(f"{key}_none")
        none.setToolTip("Frågan besvarades inte (tangent 0)")
        self.group.addButton(none, 0)
        self.buttons[0] = none
        row.addWidget(none)
        for score, word in SCALE.items():
            button = QRadioButton(word)
            button.setObjectName(f"{key}_{score}")
            button.setIcon(face_icon(score, ICON))
            button.setIconSize(QSize(ICON, ICON))
            button.setAccessibleName(f"{score} av 5: {word}")
            button.setToolTip(f"{score} av 5: {word} (tangent {score})")
            self.group.addButton(button, score)
            self.buttons[score] = button
            row.addWidget(button)
        row.addStretch(1)
        none.setChecked(True)
        self.group.idToggled.connect(lambda _id, on: self.changed.emit() if on else None)

    def value(self) -> int | None:
        chosen = self.group.checkedId()
        return chosen if chosen > 0 else None

    def set_value(self, value: int | None) -> None:
        self.buttons[value or 0].setChecked(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and int(text) in self.buttons:
            button = self.buttons[int(text)]
            button.setChecked(True)
            button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().keyPressEvent(event)


class EvaluationDialog(MeetingFormDialog):
    ok_text = "Spara utvärderingen"
    failed_title = "Utvärderingen kunde inte sparas"

    def __init__(self, user: User, meeting: Meeting, *,
                 existing: Iterable[MeetingEvaluation] = (), child: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Registrera utvärdering", parent=parent,
            intro=(f"Svaren på utvärderingen av SIP-mötet {meeting.starts_at:%Y-%m-%d}. "
                   f"{'Barnets' if child else 'Den enskildes'} svar och en vårdnadshavares "
                   "eller en god mans hålls isär: registrera var och ens för sig. En fråga som "
                   "inte besvarades får stå som ”Inget svar”."))
        self.setObjectName("evaluation_dialog")
        self.user = user
        self.meeting = meeting
        self.child = child
        self.existing = {(e.respondent_kind, e.respondent_key): e.respondent for e in existing}

        self.kind: QComboBox = wide_combo("respondent_kind")
        for kind in RespondentKind:  # the person a child: "Barnet", as on the tab
            self.kind.addItem(kind_label(kind, child=child), kind.value)
        self.form.add("respondent_kind", "Vem har svarat", self.kind)
        self.name = limited(QLineEdit(), MeetingEvaluation.respondent_name)
        self.name.setObjectName("respondent_name")
        self.name.setPlaceholderText("t.ex. Karin Öberg — skiljer två vårdnadshavares svar åt")
        self.form.add("respondent_name", "Namn (frivilligt)", self.name)
        self.given_as: QComboBox = wide_combo("given_as")
        for way in GivenAs:
            self.given_as.addItem(way.label, way.value)
        self.form.add("given_as", "Svaren kom", self.given_as)

        answers = group_box("answers")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        answers_layout = answers.layout()
        assert isinstance(answers_layout, QVBoxLayout)
        answers_layout.addLayout(grid)
        self.scales: dict[str, FaceScale] = {}
        self.question_labels: dict[str, QLabel] = {}
        for row, question in enumerate(QUESTIONS):
            label = QLabel()
            label.setObjectName(f"question_{question.key}")
            label.setWordWrap(True)
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)
            scale = FaceScale(question.key)
            label.setBuddy(scale.buttons[0])
            scale.changed.connect(self._answer_changed)
            grid.addWidget(label, row * 2, 0)
            grid.addWidget(scale, row * 2 + 1, 0)
            self.scales[question.key] = scale
            self.question_labels[question.key] = label
        self.form.add("answers", "Frågorna", answers)
        self.comment = multiline(name="comment", lines=4)
        self.form.add("comment", "Fritext", self.comment)
        self.form.addRow("", hint("Siffrorna 1–5 väljer en gubbe när en fråga har fokus, 0 "
                                  "tar bort svaret.", name="keys_hint"))
        self.watch("respondent_name", self.name)
        self.watch("comment", self.comment)
        self.kind.currentIndexChanged.connect(lambda _i: self._respondent_changed())
        self.name.textChanged.connect(lambda _t: self._respondent_changed())
        self._respondent_changed()
        self.resize(max(self.sizeHint().width(), 860), self.sizeHint().height())
        self.kind.setFocus()

    # ---- reading the inputs ---------------------------------------------------------------

    def respondent_kind(self) -> RespondentKind:
        return RespondentKind(self.kind.currentData())

    def data(self) -> EvaluationInput:
        way = GivenAs(self.given_as.currentData())
        return EvaluationInput(
            self.respondent_kind(), {key: scale.value() for key, scale in self.scales.items()},
            comment=self.comment.toPlainText(), respondent_name=self.name.text(), given_as=way)

    def replaces(self) -> str | None:
        """Who already has an evaluation of the meeting that saving now replaces, or None."""
        kind = self.respondent_kind()
        return self.existing.get((kind.value, respondent_key(kind, self.name.text())))

    # ---- showing --------------------------------------------------------------------------

    def _respondent_changed(self) -> None:
        person = self.respondent_kind() is RespondentKind.PERSON
        self.set_field_visible("respondent_name", not person)
        # The person's own words on the form: a child's for a child.
        for question in QUESTIONS:
            self.question_labels[question.key].setText(
                question.text(child=self.child and person))
        self.comment.setPlaceholderText(
            f"Det som skrevs i rutan ”{comment_question(child=self.child and person)}”")
        self._show_replacing()

    def _show_replacing(self) -> None:
        who = self.replaces()
        self.show_warning(
            f"{respondent_label(self.respondent_kind(), self.name.text(), child=self.child)} "
            "har redan lämnat en "
            "utvärdering av det här mötet. Sparar du ersätts de tidigare svaren (de finns kvar i "
            "händelseloggen)." if who is not None else "")

    def _answer_changed(self) -> None:
        self.touch("answers")
        self.revalidate()

    def problems(self) -> dict[str, str]:
        return evaluation.evaluation_problems(self.data())

    def saving(self) -> Callable[[], Any]:
        user, meeting, data, replace = self.user, self.meeting, self.data(), \
            self.replaces() is not None
        return lambda: evaluation.register_evaluation(user, meeting, data, replace=replace)
