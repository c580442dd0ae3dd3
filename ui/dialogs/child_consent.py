"""The consent dialog's part for a child (seed 002), apart from `consent_dialogs`:

- `GuardianAnswerRow`: one guardian's answer — samtycker / samtycker inte / har inte svarat, how
  (at a meeting or visit, by phone, in writing) and on which day. A guardian who may not receive
  information about the child still answers (custody is theirs), and the row says that no paper
  goes to them and why;
- `ChildConsentPart`: the rows for every registered guardian (answers given earlier filled in),
  "Lägg till vårdnadshavare…", the child's own view, and whether the dialog registers the
  consent or saves the answers given so far.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework import consent, guardians
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.desk.case_forms import ConsentForm
from sipdesk.rules.workdays import one_year_after
from sipdesk.storage.guardian_records import GuardianAnswer, GuardianHow
from sipdesk.storage.models import PersonContact

from ..session import Session
from .dates import DateEdit
from .form_dialog import hint

YES, NO, NONE = "yes", "no", "none"
NOT_INFORMED_STYLE = "color: #8a4b00;"


class GuardianAnswerRow(QWidget):
    """The answer of `guardian`; `changed` on every change."""

    changed = Signal()

    def __init__(self, guardian: PersonContact, *, today: dt.date,
                 earlier: GuardianAnswer | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guardian = guardian
        self.setObjectName(f"guardian_{guardian.id}")
        # Never lower than it needs: squeezed, its lines would lie on each other.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 2, 0 , 6)
        column.setSpacing(3)
        title = guardian.name + (f" ({guardian.relation})" if guardian.relation else "")
        heading = QLabel(f"<b>{_html(title)}</b> — {guardians.custody_text(guardian).lower()}")
        heading.setObjectName(f"guardian_{guardian.id}_name")
        column.addWidget(heading)
        if not guardians.informed(guardian):
            note = hint(f"{guardian.name} {guardians.withheld_reason(guardian)}: inga brev "
                        "eller exemplar skapas till hen. Samtycket behövs ändå.",
                        name=f"guardian_{guardian.id}_not_informed")
            note.setStyleSheet(NOT_INFORMED_STYLE)
            column.addWidget(note)

        answers = QHBoxLayout()
        answers.setSpacing(12)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for value, text in ((YES, "Samtycker"), (NO, "Samtycker inte"),
                            (NONE, "Har inte svarat än")):
            button = QRadioButton(text)
            button.setObjectName(f"guardian_{guardian.id}_{value}")
            self.group.addButton(button)
            answers.addWidget(button)
            self.buttons[value] = button
        answers.addStretch(1)
        column.addLayout(answers)

        details = QHBoxLayout()
        details.setSpacing(8)
        self.how = QComboBox()
        self.how.setObjectName(f"guardian_{guardian.id}_how")
        for how in GuardianHow:
            self.how.addItem(how.label, how.value)
        self.how.setCurrentIndex(self.how.findData(GuardianHow.PHONE.value))
        self.on = DateEdit(today, maximum=today)
        self.on.setObjectName(f"guardian_{guardian.id}_date")
        how_label, on_label = QLabel("Hur:"), QLabel("Datum:")
        how_label.setBuddy(self.how)
        on_label.setBuddy(self.on)
        for widget in (how_label, self.how, on_label, self.on):
            details.addWidget(widget)
        details.addStretch(1)
        column.addLayout(details)

        if earlier is not None:
            self.buttons[YES if earlier.consents else NO].setChecked(True)
            index = self.how.findData(earlier.how)
            if index >= 0:
                self.how.setCurrentIndex(index)
            self.on.set_value(min(earlier.answered_on, today))
        else:
            self.buttons[NONE].setChecked(True)
        self._details = (how_label, self.how, on_label, self.on)
        self._show_details()
        self.group.buttonToggled.connect(lambda _b, on: self._toggled(on))
        self.how.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.on.dateChanged.connect(lambda _d: self.changed.emit())

    def _toggled(self, on: bool) -> None:
        if on:
            self._show_details()
            self.changed.emit()

    def _show_details(self) -> None:
        answered = not self.buttons[NONE].isChecked()
        for widget in self._details:
            widget.setEnabled(answered)

    def choose(self, value: str) -> None:
        self.buttons[value].setChecked(True)

    def answer(self) -> AnswerInput | None:
        """The answer as given, or None while the guardian has not answered."""
        if self.buttons[NONE].isChecked():
            return None
        return AnswerInput(self.guardian, self.buttons[YES].isChecked(), self.on.value(),
                           GuardianHow(self.how.currentData()))

    def state(self) -> tuple[str, str, dt.date]:
        """What is chosen (to keep it when the rows are built again)."""
        chosen = next(v for v, b in self.buttons.items() if b.isChecked())
        return chosen, str(self.how.currentData()), self.on.value()

    def restore(self, state: tuple[str, str, dt.date]) -> None:
        chosen, how, on = state
        self.buttons[chosen].setChecked(True)
        self.how.setCurrentIndex(max(0, self.how.findData(how)))
        self.on.set_value(on)


def fresh_content(frame: QWidget) -> QVBoxLayout:
    """Replace what a group frame shows with an empty column, and return the column."""
    outer = frame.layout()
    assert outer is not None
    while outer.count():
        item = outer.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
    content = QWidget()
    column = QVBoxLayout(content)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    outer.addWidget(content)
    return column


def left(button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.addWidget(button)
    row.addStretch(1)
    return row


class ChildConsentPart:
    """The consent dialog's part for a child (seed 002): the guardians' answers, a guardian
    added from here, the child's own view, and the last day a guardians' consent may run.
    Mixed into `ConsentDialog`, whose inputs it uses."""

    data: ConsentForm
    session: Session
    today: dt.date
    given_on: DateEdit
    guardians: QFrame
    child_view: QPlainTextEdit
    child_view_hint: QLabel
    _guardians: list[PersonContact]
    _rows: list[GuardianAnswerRow]

    if TYPE_CHECKING:  # the dialog's own (FormDialog); declared here for the type checker
        def set_field_visible(self, name: str, visible: bool) -> None: ...

        def _edited(self, name: str) -> None: ...

    def _build_guardians(self) -> None:
        """For a child (on the date of the consent): each registered guardian's answer."""
        child = consent.is_child(self.data.person, self.given_on.value())
        for name in ("guardians", "child_view"):
            self.set_field_visible(name, child)
        self.child_view_hint.setVisible(child)
        if not child:
            self._rows = []
            return
        kept = {row.guardian.id: row.state() for row in self._rows}
        layout = fresh_content(self.guardians)
        self._rows = []
        registered = self._guardians
        if registered:
            layout.addWidget(hint(
                "Barnet är under 18 år: vårdnadshavarna samtycker, var och en för sig — alla "
                "behöver säga ja. Fyll i de svar ni har fått; svaren sparas även om någon inte "
                "har svarat än.", name="guardians_hint"))
        else:
            layout.addWidget(hint(
                "Barnet är under 18 år: det är vårdnadshavarna som samtycker, men inga "
                "vårdnadshavare är registrerade. Lägg till dem först.", name="guardians_hint"))
        for guardian in registered:
            row = GuardianAnswerRow(guardian, today=self.today,
                                    earlier=self.data.pending.get(guardian.id))
            if guardian.id in kept:
                row.restore(kept[guardian.id])
            row.changed.connect(lambda: self._edited("guardians"))
            layout.addWidget(row)
            self._rows.append(row)
        add = QPushButton("Lägg till vårdnadshavare…")
        add.setObjectName("add_guardian")
        add.setAutoDefault(False)
        add.setEnabled(len(registered) < guardians.MAX_GUARDIANS)
        add.clicked.connect(self._add_guardian)
        layout.addLayout(left(add))
        self.guardians.updateGeometry()  # the form makes room for the rows now, not at an edit

    def _limit_hint(self, given: dt.date) -> str:
        limit = consent.latest_valid_until(self.data.person, given)
        if limit < one_year_after(given):
            return (f"Vårdnadshavarnas samtycke gäller tills {self.data.person.first_name} "
                    f"fyller 18 år — senast {limit:%Y-%m-%d}. Sedan samtycker hen själv.")
        return f"Ett samtycke gäller högst ett år. Senast {limit:%Y-%m-%d}."

    def _add_guardian(self) -> None:
        from .guardian_dialog import GuardianDialog

        assert isinstance(self, QWidget)
        added = GuardianDialog.ask(self, self.session, self.data.person,
                                   others=list(self._guardians))
        if added is None:
            return
        self._guardians.append(added)  # registered last: guardians_of orders by id
        self._build_guardians()
        self._edited("guardians")

    def answers(self) -> list[AnswerInput]:
        return [a for a in (row.answer() for row in self._rows) if a is not None]

    def answers_only(self) -> bool:
        """Some guardian has answered, but not every one has said yes: the answers are saved,
        the consent is registered later (once all have said yes)."""
        if not self._rows or guardians.custody_gap(self._guardians):
            return False
        given = self.answers()
        return bool(given) and not (len(given) == len(self._rows)
                                    and all(a.consents for a in given))

    def answers_warning(self) -> str:
        kept = (" Det du har skrivit — frågan, huvudmännen och resten — sparas också och "
                "fylls i nästa gång du öppnar samtycket.")
        refused = [a.guardian.name for a in self.answers() if not a.consents]
        if refused:
            return (f"{' och '.join(refused)} samtycker inte. Utan samtycke från alla "
                    "vårdnadshavare blir det ingen SIP. Svaren sparas i ärendet — prata vidare "
                    f"med familjen.{kept}")
        return ("Samtycket registreras inte än: alla vårdnadshavare behöver säga ja. Svaren "
                f"sparas, och du fortsätter här när alla har svarat.{kept}")


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
