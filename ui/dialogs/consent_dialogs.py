"""The consent dialogs of the case view (DOMAIN.md step 2; seeds 000 "Samtycke", 003 step 1, 002).

- `ConsentDialog`: register a consent, or renew it (the earlier one stays in the history). Oral
  or written, given on (today), taken by (me), what it covers (the need's question), which
  principals may take part (checkboxes; "Lägg till huvudman…"), exclusions, relatives to invite,
  valid until (one year, never later: the date field stops there and says why), and for a child
  (seed 002) each guardian's own answer — samtycker, samtycker inte or not yet, how and when —
  with a way to register the guardians first, and the child's own view. While not every
  guardian has said yes the dialog saves the answers given ("Spara svaren"), and the consent is
  registered once all have; for a child the consent lasts at most to the day before 18.
- `WithdrawConsentDialog`: the person takes the consent back; the case is closed.
- `HarmAssessmentDialog`: menprövning when the person cannot consent.
- `DeclinedDialog`: the person says no; the case ends as declined.
- `AddPrincipalDialog`: a principal that is not in the list yet (e.g. "Region Skåne").

Every field is checked as the user types with the core's own rules (`consent_problems` and the
other `*_problems`), and each dialog saves through one core use case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk import clock
from sipdesk.casework import consent, contacts, guardian_answers, lifecycle
from sipdesk.casework.consent import ConsentInput, ConsentKind, HarmConclusion
from sipdesk.desk import case_forms
from sipdesk.desk.case_forms import ConsentForm, HarmForm
from sipdesk.meetings.evaluation import RespondentKind, kind_label
from sipdesk.rules.workdays import one_year_after
from sipdesk.storage.models import Case, Principal, PrincipalKind

from ..fields import limited
from ..operations import Operation
from ..session import Session
from .child_consent import ChildConsentPart, fresh_content, left
from .dates import DateEdit
from .form_dialog import (
    CaseFormDialog,
    FormDialog,
    group_box,
    hint,
    multiline,
    user_combo,
    wide_combo,
)

ONE_YEAR_HINT = "Ett samtycke gäller högst ett år. Senast {limit:%Y-%m-%d}."


def _radio_row(name: str, options: list[tuple[str, str]], *,
               vertical: bool = False) -> tuple[QWidget, QButtonGroup]:
    """Radio buttons in a group frame; each button's objectName ends with its value."""
    frame = group_box(name)
    inner = frame.layout()
    assert isinstance(inner, QVBoxLayout)
    inner.setContentsMargins(0, 2, 0, 2)
    line: QVBoxLayout | QHBoxLayout = inner if vertical else QHBoxLayout()
    group = QButtonGroup(frame)
    for value, label in options:
        button = QRadioButton(label)
        button.setObjectName(f"{name}_{value}")
        group.addButton(button)
        line.addWidget(button)
        if not vertical:
            line.addSpacing(12)
    if not vertical:
        assert isinstance(line, QHBoxLayout)
        line.addStretch(1)
        inner.addLayout(line)
    return frame, group


def _checked_value(group: QButtonGroup, name: str) -> str | None:
    button = group.checkedButton()
    return button.objectName().removeprefix(f"{name}_") if button is not None else None


class AddPrincipalDialog(FormDialog):
    """A new principal (huvudman) for the consent's list."""

    ok_text = "Lägg till"
    failed_title = "Huvudmannen kunde inte läggas till"

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Lägg till huvudman",
            intro="Huvudmän är de som ansvarar för stödet: kommunen, regionen eller till "
                  "exempel en skola eller Försäkringskassan.",
            parent=parent)
        self.name = limited(QLineEdit(), Principal.name)
        self.name.setObjectName("principal")
        self.name.setPlaceholderText("t.ex. Region Skåne")
        self.form.add("principal", "Namn", self.name)
        self.kind = wide_combo("kind")
        for kind in (PrincipalKind.REGION, PrincipalKind.MUNICIPALITY, PrincipalKind.OTHER):
            self.kind.addItem(kind.label, kind.value)
        self.form.add("kind", "Slag", self.kind)
        self.watch("principal", self.name)
        self.resize(440, self.sizeHint().height())

    def saving(self) -> Callable[[], Principal]:
        name, kind = self.name.text(), PrincipalKind(self.kind.currentData())
        return lambda: contacts.ensure_principal(name, kind)


class ConsentDialog(ChildConsentPart, CaseFormDialog):
    """Register the person's consent, or renew the one in force."""

    ok_text = "Registrera samtycket"
    failed_title = "Samtycket kunde inte sparas"
    scrolls = True  # with a child's guardians it is taller than a laptop's screen

    def __init__(self, session: Session, case: Case, data: ConsentForm, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        self.data = data
        self.previous = data.previous
        self._guardians = list(data.guardians)
        self._rows = []
        renewing = self.previous is not None
        if renewing:
            assert self.previous is not None
            intro = ("Det nya samtycket ersätter det som gäller nu (till och med "
                     f"{self.previous.valid_until:%Y-%m-%d}). Det gamla finns kvar i historiken.")
        else:
            intro = ("Samtycket gäller att en SIP görs och att de huvudmän som kryssas i får "
                     "delta och dela information med varandra. Det kan vara muntligt eller "
                     "skriftligt och gäller högst ett år.")
        super().__init__(session, case, today=today,
                         title="Förnya samtycke" if renewing else "Registrera samtycke",
                         intro=intro, parent=parent)
        self.setObjectName("consent_dialog")
        if renewing:
            self.ok_button.setText("Förnya samtycket")

        kind_row, self.kind_group = _radio_row(
            "kind", [(k.value, k.label) for k in ConsentKind])
        self.kind_group.buttons()[0].setChecked(True)
        self.form.add("kind", "Samtycket gavs", kind_row)

        self.given_on = DateEdit(self.today, maximum=self.today)
        self.given_on.setObjectName("given_on")
        self.form.add("given_on", "Datum", self.given_on)

        self.taken_by = user_combo(name="taken_by", users=data.users, selected=session.user)
        self.form.add("taken_by", "Taget av", self.taken_by)

        self.covers = multiline(name="covers", placeholder="Den fråga ni kom överens om")
        self.form.add("covers", "Samtycket gäller", self.covers)

        self.principals = group_box("principals")
        self._principal_boxes: list[tuple[QCheckBox, Principal]] = []
        self.form.add("principals", "Huvudmän som får delta", self.principals)

        who = kind_label(RespondentKind.PERSON,  # "barnet" for a child
                         child=consent.is_child(data.person, self.today)).lower()
        self.exclusions = multiline(name="exclusions", lines=2,
                                    placeholder=f"Det {who} inte vill att samtycket gäller")
        self.form.add("exclusions", "Gäller inte", self.exclusions)
        self.relatives = multiline(name="relatives_to_invite", lines=2,
                                   placeholder=f"Närstående som {who} vill ska bjudas in")
        self.form.add("relatives_to_invite", "Närstående att bjuda in", self.relatives)

        limit = consent.latest_valid_until(data.person, self.today)
        self.valid_until = DateEdit(limit, minimum=self.today, maximum=limit)
        self.valid_until.setObjectName("valid_until")
        self.form.add("valid_until", "Gäller till och med", self.valid_until)
        self.valid_until_hint = hint(self._limit_hint(self.today), name="valid_until_hint")
        self.form.addRow("", self.valid_until_hint)

        self.guardians = group_box("guardians")
        self.form.add("guardians", "Vårdnadshavarnas svar", self.guardians)
        self.child_view = multiline(
            name="child_view", lines=3,
            placeholder="Vad barnet tycker om SIP och mötet, med barnets egna ord")
        self.form.add("child_view", "Barnets egen inställning", self.child_view)
        self.child_view_hint = hint(
            "Fråga barnet på ett sätt som passar hen, vilken ålder barnet än har. Barnet behöver "
            "inte ha eller säga någon åsikt — lämna tomt eller skriv t.ex. ”Ville inte säga "
            "något”.", name="child_view_hint")
        self.form.addRow("", self.child_view_hint)

        self._fill_defaults()
        self._build_principals(data.principals, chosen=data.chosen)
        self._build_guardians()
        for name, widget in (("given_on", self.given_on), ("covers", self.covers),
                             ("valid_until", self.valid_until), ("child_view", self.child_view)):
            self.watch(name, widget)
        self.given_on.dateChanged.connect(self._given_on_changed)
        self.on_revalidated({})  # answers saved earlier: "Spara svaren" until all have said yes
        self.fit_to_screen(680)
        self.covers.setFocus()

    # ---- building ---------------------------------------------------------------------------

    def _fill_defaults(self) -> None:
        draft = self.data.draft
        if draft is not None:  # typed when the first guardians' answers were saved
            self.covers.setPlainText(draft.covers)
            self.exclusions.setPlainText(draft.exclusions)
            self.relatives.setPlainText(draft.relatives_to_invite)
            self.child_view.setPlainText(draft.child_view)
            for button in self.kind_group.buttons():
                button.setChecked(button.objectName() == f"kind_{draft.kind}")
            taken = next((i for i in range(self.taken_by.count())
                          if self.taken_by.itemData(i).id == draft.taken_by_id), -1)
            if taken >= 0:
                self.taken_by.setCurrentIndex(taken)
            self.intro.setText(f"{self.intro.text()} Det du skrev {draft.saved_at}, när de "
                               "första svaren sparades, är ifyllt igen.")
            return
        if self.previous is not None:
            self.covers.setPlainText(self.previous.covers)
            self.exclusions.setPlainText(self.previous.exclusions)
            self.relatives.setPlainText(self.previous.relatives_to_invite)
            return
        if self.data.question:
            self.covers.setPlainText(self.data.question)  # what the SIP should answer

    def _build_principals(self, principals: list[Principal], *, chosen: set[int]) -> None:
        layout = fresh_content(self.principals)
        self._principal_boxes = []
        for principal in principals:
            box = QCheckBox(f"{principal.name} ({PrincipalKind(principal.kind).label.lower()})")
            box.setObjectName(f"principal_{principal.id}")
            box.setChecked(principal.id in chosen)
            box.toggled.connect(lambda _c: self._edited("principals"))
            layout.addWidget(box)
            self._principal_boxes.append((box, principal))
        add = QPushButton("Lägg till huvudman…")
        add.setObjectName("add_principal")
        add.setAutoDefault(False)
        add.clicked.connect(self._add_principal)
        layout.addLayout(left(add))

    # ---- reacting -----------------------------------------------------------------------------

    def _given_on_changed(self) -> None:
        given = self.given_on.value()
        limit = consent.latest_valid_until(self.data.person, given)
        was_default = self.valid_until.date() == self.valid_until.maximumDate()
        self.valid_until.set_range(given, limit)
        if was_default:
            self.valid_until.set_value(limit)
        self.valid_until_hint.setText(self._limit_hint(given))
        self._build_guardians()
        self.revalidate()

    def _add_principal(self) -> None:
        added = AddPrincipalDialog.ask(self)
        if added is None:
            return
        chosen = {p.id for box, p in self._principal_boxes if box.isChecked()} | {added.id}

        def show(principals: list[Principal]) -> None:
            # Ticked meanwhile (the list is read again in the background) stays ticked.
            now = {p.id for box, p in self._principal_boxes if box.isChecked()}
            self._build_principals(principals, chosen=chosen | now)
            self._edited("principals")

        Operation(self, case_forms.principal_choices,
                  title="Huvudmännen kunde inte läsas").success(show).run()

    def refused_message(self, name: str, widget: DateEdit, day: dt.date) -> str:
        if name == "valid_until" and day > widget.value():
            given = self.given_on.value()
            limit = consent.latest_valid_until(self.data.person, given)
            if limit < one_year_after(given):
                return (f"Vårdnadshavarnas samtycke gäller bara tills "
                        f"{self.data.person.first_name} fyller 18 år — senast "
                        f"{limit:%Y-%m-%d}.")
            return f"Ett samtycke gäller högst ett år — senast {limit:%Y-%m-%d}."
        return super().refused_message(name, widget, day)

    # ---- the input and saving -------------------------------------------------------------

    def input(self) -> ConsentInput:
        kind = _checked_value(self.kind_group, "kind") or ConsentKind.ORAL.value
        return ConsentInput(
            kind=ConsentKind(kind),
            given_on=self.given_on.value(),
            covers=self.covers.toPlainText(),
            principals=[p for box, p in self._principal_boxes if box.isChecked()],
            taken_by=self.taken_by.currentData(),
            exclusions=self.exclusions.toPlainText(),
            relatives_to_invite=self.relatives.toPlainText(),
            valid_until=self.valid_until.value(),
            guardian_answers=self.answers(),
            child_view=self.child_view.toPlainText() if self._rows else "",
        )

    def problems(self) -> dict[str, str]:
        if self.answers_only():
            found = guardian_answers.answer_problems(self.answers(), today=self.today)
            return {"guardians": next(iter(found.values()))} if found else {}
        problems = consent.consent_input_problems(self.data.person, self.input(),
                                                  guardians=self._guardians, today=self.today)
        for name in [n for n in problems if n.startswith("guardian_")]:
            problems.setdefault("guardians", problems.pop(name))
        return problems

    def on_revalidated(self, problems: dict[str, str]) -> None:
        if not self.answers_only():
            self.ok_button.setText("Förnya samtycket" if self.previous is not None
                                   else self.ok_text)
            self.show_warning("")
            return
        self.ok_button.setText("Spara svaren")
        self.show_warning(self.answers_warning())

    def saving(self) -> Callable[[], object]:
        user, case, today = self.session.user, self.case, self.today
        data = self.input()
        if self.answers_only():  # the answers, and what was typed kept as a draft
            return lambda: consent.save_guardian_answers(user, case, data, today=today)
        return lambda: consent.register_consent(user, case, data, today=today)


class WithdrawConsentDialog(CaseFormDialog):
    """The person takes the consent back: recorded, and the case is closed."""

    ok_text = "Återkalla och avsluta ärendet"
    failed_title = "Återkallelsen kunde inte sparas"

    def __init__(self, session: Session, case: Case, current: consent.Consent, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        self.current = current
        super().__init__(
            session, case, today=today,
            title="Återkalla samtycke",
            intro=(f"Samtycket från {current.given_on:%Y-%m-%d} återkallas. Den enskilde kan "
                   "när som helst ta tillbaka sitt samtycke, muntligt eller skriftligt."),
            parent=parent)
        self.setObjectName("withdraw_dialog")
        self.withdrawn_on = DateEdit(self.today, maximum=self.today)
        self.withdrawn_on.setObjectName("withdrawn_on")
        self.form.add("withdrawn_on", "Datum", self.withdrawn_on)
        self.how = wide_combo("how")
        self.how.setEditable(True)
        self.how.addItems(["Muntligt per telefon", "Muntligt vid besök", "Skriftligt"])
        self.how.setCurrentIndex(-1)
        line = self.how.lineEdit()
        assert line is not None
        line.setPlaceholderText("Hur det gick till, t.ex. muntligt per telefon")
        self.form.add("how", "Hur samtycket återkallades", self.how)
        self.form.addRow("", hint(f"Registreras av {session.user.full_name}."))
        self.show_warning(
            f"Ärendet avslutas med skälet ”{lifecycle.ClosureReason.CONSENT_WITHDRAWN.label}”. "
            "Inget som redan är registrerat tas bort.")
        self.watch("withdrawn_on", self.withdrawn_on)
        self.watch("how", self.how)
        self.resize(560, self.sizeHint().height())
        self.how.setFocus()

    def problems(self) -> dict[str, str]:
        return consent.withdrawal_problems(self.current, withdrawn_on=self.withdrawn_on.value(),
                                           how=self.how.currentText(), today=self.today)

    def saving(self) -> Callable[[], lifecycle.Closure]:
        user, case, today = self.session.user, self.case, self.today
        withdrawn_on, how = self.withdrawn_on.value(), self.how.currentText()
        return lambda: consent.withdraw_consent(user, case, withdrawn_on=withdrawn_on, how=how,
                                                today=today)


class HarmAssessmentDialog(CaseFormDialog):
    """Menprövning: the person cannot consent; would a SIP harm them?"""

    ok_text = "Registrera menprövningen"
    failed_title = "Menprövningen kunde inte sparas"

    def __init__(self, session: Session, case: Case, data: HarmForm, *,
                 today: dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(
            session, case, today=today,
            title="Registrera menprövning",
            intro=("Gör en menprövning när den enskilde inte kan ta ställning till samtycke. "
                   "Ta reda på den enskildes inställning genom närstående, vårdnadshavare eller "
                   "företrädare, och bedöm om en SIP skulle skada den enskilde."),
            parent=parent)
        self.setObjectName("harm_dialog")
        self.assessed_by = user_combo(name="assessed_by", users=data.users,
                                      selected=session.user)
        self.form.add("assessed_by", "Bedömd av", self.assessed_by)
        self.assessed_on = DateEdit(self.today, maximum=self.today)
        self.assessed_on.setObjectName("assessed_on")
        self.form.add("assessed_on", "Datum", self.assessed_on)
        self.contacts = multiline(
            name="contacts", lines=4,
            placeholder="Vilka som kontaktades och vad de sa om den enskildes inställning")
        self.form.add("contacts", "Kontakter", self.contacts)
        row, self.conclusion_group = _radio_row(
            "conclusion", [(c.value, c.label) for c in HarmConclusion], vertical=True)
        self.form.add("conclusion", "Slutsats", row)
        self.conclusion_group.buttonToggled.connect(lambda _b, _c: self._edited("conclusion"))
        self.watch("assessed_on", self.assessed_on)
        self.watch("contacts", self.contacts)
        self.resize(620, self.sizeHint().height())
        self.contacts.setFocus()

    def conclusion(self) -> HarmConclusion | None:
        value = _checked_value(self.conclusion_group, "conclusion")
        return HarmConclusion(value) if value else None

    def problems(self) -> dict[str, str]:
        problems = consent.harm_assessment_problems(
            assessed_on=self.assessed_on.value(), contacts=self.contacts.toPlainText(),
            today=self.today)
        if self.conclusion() is None:
            problems["conclusion"] = "Välj vad menprövningen kom fram till."
        return problems

    def on_revalidated(self, problems: dict[str, str]) -> None:
        conclusion = self.conclusion()
        if conclusion is HarmConclusion.HARM:
            self.show_warning("Ingen SIP upprättas: ärendet avslutas som "
                              f"”{lifecycle.S.REFUSED.label}”.")
        elif conclusion is HarmConclusion.NO_HARM:
            self.show_warning("Arbetet med SIP fortsätter utan samtycke: menprövningen är "
                              "grunden för kallelsen.")
        else:
            self.show_warning("")

    def saving(self) -> Callable[[], consent.HarmAssessment]:
        conclusion = self.conclusion()
        assert conclusion is not None
        user, case, today = self.session.user, self.case, self.today
        assessed_on, told = self.assessed_on.value(), self.contacts.toPlainText()
        assessed_by = self.assessed_by.currentData()
        return lambda: consent.record_harm_assessment(
            user, case, assessed_on=assessed_on, contacts=told, conclusion=conclusion,
            assessed_by=assessed_by, today=today)


class DeclinedDialog(CaseFormDialog):
    """The person says no although the principals see the need: the case ends as declined."""

    ok_text = "Registrera och avsluta ärendet"
    failed_title = "Det gick inte att registrera"

    def __init__(self, session: Session, case: Case, *, today: dt.date | None = None,
                 parent: QWidget | None = None) -> None:
        who = kind_label(RespondentKind.PERSON,
                         child=consent.is_child(case.person, today or clock.today()))
        super().__init__(
            session, case, today=today,
            title=f"{who} tackar nej",
            intro=(f"{who} vill inte ha en SIP, fast huvudmännen ser ett behov. "
                   "Skriv kort hur det gick till."),
            parent=parent)
        self.setObjectName("declined_dialog")
        self.declined_on = DateEdit(self.today, maximum=self.today)
        self.declined_on.setObjectName("declined_on")
        self.form.add("declined_on", "Datum", self.declined_on)
        self.note = multiline(name="note", lines=3,
                              placeholder=f"Hur {who.lower()} tackade nej och vem som frågade")
        self.form.add("note", "Hur det gick till", self.note)
        self.show_warning(f"Ärendet avslutas som ”{lifecycle.S.DECLINED.label}”. Inget som "
                          "redan är registrerat tas bort.")
        self.watch("declined_on", self.declined_on)
        self.watch("note", self.note)
        self.resize(560, self.sizeHint().height())
        self.note.setFocus()

    def problems(self) -> dict[str, str]:
        return consent.declined_problems(declined_on=self.declined_on.value(),
                                         note=self.note.toPlainText(), today=self.today)

    def saving(self) -> Callable[[], Case]:
        user, case, today = self.session.user, self.case, self.today
        declined_on, note = self.declined_on.value(), self.note.toPlainText()
        return lambda: consent.record_declined(user, case, declined_on=declined_on, note=note,
                                               today=today)
