"""Utvärdering av mötet — the Kallelse tab's part for a held meeting (seed 002 "Utvärdera mötet").

"Skriv ut utvärderingsformulär…" saves the easy-read form (`reports.evaluation_form`) for the
person — a child's words for a child — or for a guardian, a god man or someone else, to fill in
at home; "Registrera utvärdering…" types the answers in afterwards (`EvaluationDialog`). Below,
every evaluation registered, each respondent's on its own: who, how the answers came, each
question's face and words, and the free text. Every held meeting's evaluations stay reachable:
after a follow-up, "Möte:" chooses an earlier meeting (the newest is shown first), and the form
and the registering are for the meeting chosen.

The file name carries the case number only (`utvardering-SIP-2026-0001.pdf`); ReportLab is
imported in the worker that writes the file, when the user prints.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.meetings.evaluation import (
    QUESTIONS,
    SCALE,
    GivenAs,
    MeetingEvaluation,
    RespondentKind,
    kind_label,
)
from sipdesk.meetings.meeting_page import HeldMeeting, MeetingPage

from .. import file_output
from ..dialogs.meeting_evaluation import EvaluationDialog
from ..faces import face_pixmap, no_answer_pixmap
from .base import CaseContext, value_label
from .meeting_parts import allow, clear_layout, tab_button

log = logging.getLogger("sipdesk.ui.meeting_evaluations")

EVALUATION_FORM = file_output.Document(
    "Utvärderingsformuläret är sparat", "Formuläret är sparat", "det",
    "Formuläret kunde inte skapas", "utvärderingsformuläret")
FACE_SIZE = 22
PERSON = RespondentKind.PERSON.label  # "Den enskilde"; for a child kind_label says "Barnet"


def form_file_name(case_number: str, *, for_person: bool = True) -> str:
    """`utvardering-SIP-2026-0001.pdf` (for a guardian or god man: `…-vardnadshavare-ombud`):
    the case number only, never a name."""
    return f"utvardering-{case_number}{'' if for_person else '-vardnadshavare-ombud'}.pdf"


def render_form(meeting_id: int, path: Path, *, for_person: bool) -> Path:
    """Runs in a worker thread: ReportLab is imported here, when the user prints."""
    from reports.evaluation_form import render_evaluation_form

    render_evaluation_form(meeting_id, path, for_person=for_person)
    return path


def answer_text(value: int | None) -> str:
    return f"{value} av 5 — {SCALE[value]}" if value is not None else "Inget svar"


class EvaluationsBox(QGroupBox):
    """The evaluations of the shown meeting, once it is held; `changed` after a save."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Utvärdering av mötet", parent)
        self.setObjectName("evaluations_box")
        self.context: CaseContext | None = None
        self.page = MeetingPage(None, [], None, None, [], [], "")
        self.printing = False
        column = QVBoxLayout(self)
        self.intro = QLabel(self._intro(child=False))
        self.intro.setObjectName("evaluations_intro")
        self.intro.setWordWrap(True)
        column.addWidget(self.intro)

        self.print_button = QPushButton("Skriv ut utvärderingsformulär…")
        self.print_button.setObjectName("print_evaluation_form")
        self.print_button.setAutoDefault(False)
        menu = QMenu(self.print_button)
        self.print_person_action = QAction(f"Till {PERSON.lower()}", menu)
        self.print_person_action.setObjectName("print_for_person")
        self.print_person_action.triggered.connect(lambda: self.print_form(for_person=True))
        self.print_others_action = QAction("Till vårdnadshavare, god man eller någon annan",
                                           menu)
        self.print_others_action.setObjectName("print_for_others")
        self.print_others_action.triggered.connect(lambda: self.print_form(for_person=False))
        menu.addAction(self.print_person_action)
        menu.addAction(self.print_others_action)
        self.print_button.setMenu(menu)
        # Every held meeting's evaluations stay reachable: after a follow-up the earlier
        # meetings are chosen here (newest first; hidden while there is only one).
        self.meeting_choice = QComboBox()
        self.meeting_choice.setObjectName("evaluated_meeting")
        self.meeting_choice.setAccessibleName("Vilket möte")
        self.meeting_choice.currentIndexChanged.connect(lambda _i: self._show_chosen())
        self.meeting_label = QLabel("Möte:")
        self.meeting_label.setBuddy(self.meeting_choice)
        choice = QHBoxLayout()
        choice.addWidget(self.meeting_label)
        choice.addWidget(self.meeting_choice)
        choice.addStretch(1)
        column.addLayout(choice)
        self.register_button = tab_button("Registrera utvärdering…", "register_evaluation",
                                          self.register)
        self.status = QLabel()
        self.status.setObjectName("evaluation_status")
        self.status.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.register_button)
        buttons.addWidget(self.status, 1)
        column.addLayout(buttons)

        self.empty = QLabel("Ingen utvärdering är registrerad än.")
        self.empty.setObjectName("no_evaluation")
        self.empty.setEnabled(False)
        column.addWidget(self.empty)
        self.list_holder = QWidget()
        self._list = QVBoxLayout(self.list_holder)
        self._list.setContentsMargins(0, 0, 0, 0)
        self._list.setSpacing(10)
        column.addWidget(self.list_holder)

    # ---- showing ----------------------------------------------------------------------------

    @property
    def chosen(self) -> HeldMeeting | None:
        """The held meeting whose evaluations are shown (the newest unless another is chosen)."""
        index = self.meeting_choice.currentIndex()
        return self.page.held[index] if 0 <= index < len(self.page.held) else None

    def show_page(self, context: CaseContext, page: MeetingPage) -> None:
        self.context, self.page = context, page
        self.setVisible(bool(page.held))
        chosen = self.chosen
        keep = chosen.meeting.id if chosen is not None else None
        self.meeting_choice.blockSignals(True)
        self.meeting_choice.clear()
        for index, item in enumerate(page.held):
            when = f"{item.meeting.starts_at:%Y-%m-%d}"
            self.meeting_choice.addItem(
                f"{when} (senaste)" if index == 0 else when, item.meeting.id)
        again = self.meeting_choice.findData(keep) if keep is not None else -1
        self.meeting_choice.setCurrentIndex(max(again, 0))
        self.meeting_choice.blockSignals(False)
        several = len(page.held) > 1
        self.meeting_choice.setVisible(several)
        self.meeting_label.setVisible(several)
        self._show_chosen()

    def _show_chosen(self) -> None:
        context, chosen = self.context, self.chosen
        if context is None:
            return
        evaluations = chosen.evaluations if chosen is not None else []
        child = chosen is not None and chosen.child
        # One word for the person everywhere here: "Barnet" for a child (kind_label).
        who = kind_label(RespondentKind.PERSON, child=child).lower()
        self.intro.setText(self._intro(child=child))
        self.print_person_action.setText(f"Till {who}")
        clear_layout(self._list)
        for index, row in enumerate(evaluations):
            self._list.addWidget(self._evaluation(index, row, child=child))
        self.empty.setVisible(not evaluations)
        why = context.read_only_reason or None
        allow(self.register_button, why,
              tip="Skriv in svaren från ett ifyllt formulär eller ett samtal")
        allow(self.print_button, None if not self.printing else "Formuläret skapas…",
              tip=f"Spara formuläret som PDF att skriva ut och ge till {who}")

    @staticmethod
    def _intro(*, child: bool) -> str:
        who = kind_label(RespondentKind.PERSON, child=child).lower()
        return (f"Efter mötet får {who} berätta hur mötet var. Vårdnadshavare, god man eller "
                "förvaltare får lämna egna svar — de hålls isär.")

    def _evaluation(self, index: int, row: MeetingEvaluation, *, child: bool) -> QFrame:
        frame = QFrame()
        frame.setObjectName(f"evaluation_{index}")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(frame)
        who = value_label(row.respondent_for(child=child), name=f"evaluation_{index}_respondent")
        font = who.font()
        font.setBold(True)
        who.setFont(font)
        column.addWidget(who)
        column.addWidget(value_label(
            f"{GivenAs(row.given_as).label} · registrerad {row.recorded_at:%Y-%m-%d} av "
            f"{row.recorded_by.full_name}", name=f"evaluation_{index}_recorded"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        for line, question in enumerate(QUESTIONS):
            value = row.answer(question.key)
            grid.addWidget(QLabel(question.short), line, 0)
            picture = QLabel()
            picture.setPixmap(face_pixmap(value, FACE_SIZE) if value is not None
                              else no_answer_pixmap(FACE_SIZE))
            picture.setAccessibleName(answer_text(value))
            grid.addWidget(picture, line, 1)
            grid.addWidget(value_label(answer_text(value),
                                       name=f"evaluation_{index}_{question.key}"), line, 2)
        grid.setColumnStretch(3, 1)
        column.addLayout(grid)
        if row.comment:
            comment = value_label(f"”{row.comment}”", name=f"evaluation_{index}_comment",
                                  wrap=True)
            column.addWidget(comment)
        return frame

    # ---- actions ----------------------------------------------------------------------------

    def register(self) -> None:
        chosen, context = self.chosen, self.context
        if chosen is None or context is None or not self.register_button.isEnabled():
            return
        saved = EvaluationDialog.ask(self, context.user, chosen.meeting,
                                     existing=chosen.evaluations, child=chosen.child)
        if saved is not None:
            self.changed.emit()

    def print_form(self, *, for_person: bool) -> None:
        """Ask where to save the form, then write it in the background and offer to open it."""
        chosen, context = self.chosen, self.context
        if chosen is None or context is None or self.printing:
            return
        meeting = chosen.meeting
        path = file_output.SaveFileDialog.ask(
            self, title="Spara utvärderingsformuläret",
            default_name=form_file_name(context.case.number, for_person=for_person))
        if path is None:
            return
        self.printing = True
        self.print_button.setEnabled(False)
        self.status.setText("Skapar formuläret…")
        meeting_id, case_id, user = meeting.id, meeting.case_id, context.user

        def render() -> Path:
            read_log.record_output(user, Output.EVALUATION_FORM, case_id=case_id,
                                   entity_id=meeting_id)
            return render_form(meeting_id, path, for_person=for_person)

        file_output.save_document(self, EVALUATION_FORM, render, path, done=self._printed)

    def _printed(self) -> None:
        self.printing = False
        self.status.setText("")
        self.print_button.setEnabled(True)
