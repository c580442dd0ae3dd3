"""The case's own dialogs (DOMAIN.md steps 1 and 11): the need, refusing a SIP, closing.

- `NeedDialog`: who noticed the need (the person, a relative, staff — a user or someone without
  an account), when, the need in the person's own words and the question the SIP should answer.
- `RefusalDialog`: "Avstå från SIP" — no SIP this time, only with a written reason; whoever
  raised the need is told (`lifecycle.refuse`).
- `ClosureDialog`: date (today) and reason; "Ersätts av en ny SIP" needs the new case of the
  same person and the person's agreement. The core tells the others with a message to
  acknowledge (`lifecycle.CLOSURE_HOOKS`).

Fields are checked as the user types with the core's `need_problems`, `refusal_problems` and
`closure_problems`; each dialog saves through one core use case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import ClosureReason, NeedInput, NeedRecord, NoticedBy
from sipdesk.desk.case_forms import ClosureForm, NeedForm
from sipdesk.errors import FieldConflict
from sipdesk.storage.models import Case, CaseStatus, User

from ..fields import limited
from ..session import Session
from .dates import DateEdit
from .form_dialog import CaseFormDialog, hint, multiline, user_combo, wide_combo

NO_ACCOUNT = "Någon utan konto i sipdesk"


class NeedDialog(CaseFormDialog):
    """Register the need, or correct it."""

    ok_text = "Spara behovet"
    failed_title = "Behovet kunde inte sparas"

    def __init__(self, session: Session, case: Case, data: NeedForm, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        self.existing: NeedRecord | None = data.existing
        # What a correction started from: a save changes only the fields that differ from it.
        self.base: dict[str, Any] | None = (lifecycle.need_values(self.existing)
                                            if self.existing else None)
        super().__init__(
            session, case, today=today,
            title="Ändra behov" if self.existing else "Registrera behov",
            intro=("Vem uppmärksammade behovet av en SIP, och när? Skriv behovet gärna med den "
                   "enskildes egna ord, och vilken fråga SIP:en ska besvara."),
            parent=parent)
        self.setObjectName("need_dialog")

        row = QWidget()
        row.setObjectName("noticed_by")
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.noticed_by_group = QButtonGroup(row)
        self.noticed_by_buttons: dict[NoticedBy, QRadioButton] = {}
        for who in NoticedBy:
            button = QRadioButton(who.label)
            button.setObjectName(f"noticed_by_{who.value}")
            self.noticed_by_group.addButton(button)
            self.noticed_by_buttons[who] = button
            line.addWidget(button)
            line.addSpacing(12)
        line.addStretch(1)
        self.form.add("noticed_by", "Uppmärksammat av", row)

        self.noticed_by_user = user_combo(name="noticed_by_user", users=data.users,
                                          selected=session.user)
        self.noticed_by_user.addItem(NO_ACCOUNT, None)
        self.form.add("noticed_by_user", "Vem i personalen", self.noticed_by_user)
        self.noticed_by_name = limited(QLineEdit(), NeedRecord.noticed_by_name)
        self.noticed_by_name.setObjectName("noticed_by_name")
        self.form.add("noticed_by_name", "Namn", self.noticed_by_name)

        self.noticed_on = DateEdit(self.today, maximum=self.today)
        self.noticed_on.setObjectName("noticed_on")
        self.form.add("noticed_on", "Datum", self.noticed_on)
        self.need = multiline(name="need", lines=4, placeholder="Med den enskildes egna ord")
        self.form.add("need", "Behovet", self.need)
        self.question = multiline(name="question", lines=2,
                                  placeholder="Vilken fråga ska SIP:en besvara?")
        self.form.add("question", "Frågan", self.question)

        self._fill(self.existing)
        self.noticed_by_group.buttonToggled.connect(self._noticed_by_changed)
        self.noticed_by_user.currentIndexChanged.connect(lambda _i: self._show_who())
        for name, widget in (("noticed_on", self.noticed_on), ("need", self.need),
                             ("question", self.question),
                             ("noticed_by_name", self.noticed_by_name)):
            self.watch(name, widget)
        self._show_who()
        self.resize(620, self.sizeHint().height())
        self.need.setFocus()

    def _fill(self, need: NeedRecord | None) -> None:
        if need is None:
            self.noticed_by_buttons[NoticedBy.STAFF].setChecked(True)
            return
        self.noticed_by_buttons[NoticedBy(need.noticed_by)].setChecked(True)
        user_id = need.noticed_by_user_id
        index = next((i for i in range(self.noticed_by_user.count())
                      if (self.noticed_by_user.itemData(i) is None and user_id is None)
                      or (self.noticed_by_user.itemData(i) is not None
                          and self.noticed_by_user.itemData(i).id == user_id)), 0)
        self.noticed_by_user.setCurrentIndex(index)
        self.noticed_by_name.setText(need.noticed_by_name)
        self.noticed_on.set_value(need.noticed_on)
        self.need.setPlainText(need.need)
        self.question.setPlainText(need.question)

    def noticed_by(self) -> NoticedBy:
        for who, button in self.noticed_by_buttons.items():
            if button.isChecked():
                return who
        return NoticedBy.STAFF

    def _noticed_by_changed(self, _button: object, checked: bool) -> None:
        if checked:
            self._show_who()
            self.revalidate()

    def _show_who(self) -> None:
        """The user list for staff; a name for a relative or staff without an account."""
        who = self.noticed_by()
        staff = who is NoticedBy.STAFF
        self.set_field_visible("noticed_by_user", staff)
        needs_name = who is NoticedBy.RELATIVE or (
            staff and self.noticed_by_user.currentData() is None)
        self.set_field_visible("noticed_by_name", needs_name)
        self.set_field_label("noticed_by_name",
                             "Närstående" if who is NoticedBy.RELATIVE else "Namn och yrke")
        self.noticed_by_name.setPlaceholderText(
            "Namn och relation, t.ex. Greta Öberg, dotter" if who is NoticedBy.RELATIVE
            else "t.ex. Sam Ek, undersköterska i hemtjänsten")

    def input(self) -> NeedInput:
        who = self.noticed_by()
        user: User | None = (self.noticed_by_user.currentData() if who is NoticedBy.STAFF
                             else None)
        needs_name = who is NoticedBy.RELATIVE or (who is NoticedBy.STAFF and user is None)
        return NeedInput(
            noticed_by=who, noticed_on=self.noticed_on.value(), need=self.need.toPlainText(),
            question=self.question.toPlainText(), noticed_by_user=user,
            noticed_by_name=self.noticed_by_name.text() if needs_name else "")

    def problems(self) -> dict[str, str]:
        return lifecycle.need_problems(self.input(), today=self.today)

    def saving(self) -> Callable[[], NeedRecord]:
        user, case, data, today = self.session.user, self.case, self.input(), self.today
        base = dict(self.base) if self.base is not None else None
        return lambda: lifecycle.register_need(user, case, data, today=today, base=base)

    # ---- someone else saved the same field (FormDialog opens the conflict dialog) ----------

    def resolves_conflicts(self) -> bool:
        return self.base is not None

    def rebase_on(self, conflicts: list[FieldConflict]) -> None:
        if self.base is not None:
            self.base.update({c.field: c.theirs for c in conflicts})

    def _user_index(self, user_id: Any) -> int:
        return next((i for i in range(self.noticed_by_user.count())
                     if (self.noticed_by_user.itemData(i) is None and user_id is None)
                     or (self.noticed_by_user.itemData(i) is not None
                         and self.noticed_by_user.itemData(i).id == user_id)), -1)

    def conflict_display(self, field: str, value: Any) -> str:
        if field == "noticed_by" and value:
            return NoticedBy(value).label
        if field == "noticed_by_user":
            index = self._user_index(value)
            return self.noticed_by_user.itemText(index) if index >= 0 else "(ingen)"
        return super().conflict_display(field, value)

    def set_conflict_value(self, field: str, value: Any) -> None:
        if field == "noticed_by" and value:
            self.noticed_by_buttons[NoticedBy(value)].setChecked(True)
        elif field == "noticed_by_user":
            self.noticed_by_user.setCurrentIndex(max(self._user_index(value), 0))
        else:
            super().set_conflict_value(field, value)


class RefusalDialog(CaseFormDialog):
    """Avstå från SIP: the principals refrain from a SIP — only by exception and with the reason
    written (DOMAIN step 1). Plain words, not "neka": nothing here is a formal decision."""

    ok_text = "Avstå från SIP och avsluta ärendet"
    failed_title = "Det gick inte att avsluta ärendet"

    def __init__(self, session: Session, case: Case, *, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            session, case, today=today,
            title="Avstå från SIP",
            intro=("Det blir bara undantagsvis ingen SIP: när ni bedömer att den inte behövs. "
                   "Skriv varför — skälet sparas i ärendet och står i beskeden."),
            parent=parent)
        self.setObjectName("refusal_dialog")
        self.reason = multiline(name="reason", lines=4,
                                placeholder="Varför det inte blir någon SIP")
        self.form.add("reason", "Skäl *", self.reason)
        self.show_warning(f"Ärendet avslutas som ”{CaseStatus.REFUSED.label}” och kan sedan "
                          "bara läsas. Den som uppmärksammade behovet får ett meddelande att "
                          "kvittera, och du kan skriva ut ett brev till den enskilde.")
        self.watch("reason", self.reason)
        self.resize(560, self.sizeHint().height())
        self.reason.setFocus()

    def problems(self) -> dict[str, str]:
        return lifecycle.refusal_problems(self.reason.toPlainText())

    def saving(self) -> Callable[[], lifecycle.Refusal]:
        user, case, reason, today = (self.session.user, self.case, self.reason.toPlainText(),
                                     self.today)
        return lambda: lifecycle.refuse(user, case, reason=reason, today=today)


class ClosureDialog(CaseFormDialog):
    """Close the case with a date and one of the reasons of DOMAIN step 11."""

    ok_text = "Avsluta ärendet"
    failed_title = "Ärendet kunde inte avslutas"

    def __init__(self, session: Session, case: Case, data: ClosureForm, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(
            session, case, today=today,
            title="Avsluta ärendet",
            intro="Välj datum och skäl för avslutet.",
            parent=parent)
        self.setObjectName("closure_dialog")
        started = case.created_at.date()
        self.closed_on = DateEdit(self.today, minimum=min(started, self.today),
                                  maximum=self.today)
        self.closed_on.setObjectName("closed_on")
        self.form.add("closed_on", "Avslutas den", self.closed_on)

        self.reason = wide_combo("reason")
        self.reason.setPlaceholderText("Välj skäl")
        for reason in ClosureReason:
            if reason is not ClosureReason.CONSENT_WITHDRAWN:
                self.reason.addItem(reason.label, reason.value)
        self.reason.setCurrentIndex(-1)
        self.form.add("reason", "Skäl", self.reason)
        self.form.addRow("", hint(
            "Har den enskilde tagit tillbaka sitt samtycke? Använd då ”Återkalla samtycke” "
            "på fliken Samtycke, så registreras hur och när.", name="withdraw_hint"))

        self.replaced_by = wide_combo("replaced_by")
        self.replaced_by.setPlaceholderText("Välj den nya SIP:en")
        for other in data.others:
            self.replaced_by.addItem(
                f"{other.number} ({CaseStatus(other.status).label.lower()}, skapat "
                f"{other.created_at:%Y-%m-%d})", other)
        self.replaced_by.setCurrentIndex(-1)
        self.form.add("replaced_by", "Ersätts av", self.replaced_by)
        self.no_other_case = hint(
            "Det finns ingen annan SIP för personen. Skapa den nya SIP:en först "
            "(Nytt ärende, Ctrl+N) och avsluta sedan den här.", name="no_other_case")
        self.form.addRow("", self.no_other_case)
        self.person_agreed = QCheckBox("Den enskilde har gått med på att den nya SIP:en "
                                       "ersätter den här")
        self.person_agreed.setObjectName("person_agreed")
        self.form.add("person_agreed", "", self.person_agreed)

        self.note = multiline(name="note", lines=2, placeholder="Frivilligt")
        self.form.add("note", "Anteckning", self.note)
        self.show_warning("De andra som arbetar i ärendet får ett meddelande om avslutet att "
                          "kvittera. Ärendet kan sedan bara läsas.")
        for name, widget in (("closed_on", self.closed_on), ("reason", self.reason),
                             ("replaced_by", self.replaced_by),
                             ("person_agreed", self.person_agreed)):
            self.watch(name, widget)
        self.reason.currentIndexChanged.connect(lambda _i: self._show_replacement())
        self._show_replacement()
        self.resize(600, self.sizeHint().height())
        self.reason.setFocus()

    def chosen_reason(self) -> ClosureReason | None:
        data = self.reason.currentData()  # Qt hands a str back for a StrEnum
        return ClosureReason(data) if data else None

    def _show_replacement(self) -> None:
        replaced = self.chosen_reason() is ClosureReason.REPLACED
        for name in ("replaced_by", "person_agreed"):
            self.set_field_visible(name, replaced)
        self.form.setRowVisible(self.no_other_case, replaced and self.replaced_by.count() == 0)
        self.resize(self.width(), max(self.height(), self.sizeHint().height()))

    def problems(self) -> dict[str, str]:
        reason = self.chosen_reason()
        if reason is None:
            problems = lifecycle.closure_problems(
                self.case, closed_on=self.closed_on.value(), reason=ClosureReason.GOALS_MET,
                today=self.today)
            problems["reason"] = "Välj skälet till att ärendet avslutas."
            return problems
        return lifecycle.closure_problems(
            self.case, closed_on=self.closed_on.value(), reason=reason,
            replaced_by=self.replaced_by.currentData(),
            person_agreed=self.person_agreed.isChecked(), today=self.today)

    def saving(self) -> Callable[[], lifecycle.Closure]:
        reason = self.chosen_reason()
        assert reason is not None
        replaced = reason is ClosureReason.REPLACED
        user, case, closed_on, today = (self.session.user, self.case, self.closed_on.value(),
                                        self.today)
        replaced_by = self.replaced_by.currentData() if replaced else None
        agreed = replaced and self.person_agreed.isChecked()
        note = self.note.toPlainText()
        return lambda: lifecycle.close_case(
            user, case, closed_on=closed_on, reason=reason, replaced_by=replaced_by,
            person_agreed=agreed, note=note, today=today)
