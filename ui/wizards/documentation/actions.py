"""The documentation wizard's pages 3-5: interventions per principal, others' responsibility,
follow-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework import drafts
from sipdesk.plans import plan
from sipdesk.plans.plan_documentation import DocumentationView
from sipdesk.rules.workdays import one_year_after

from ... import messages
from ...dialogs.plan_intervention import DRAFT_NAME as INTERVENTION_DRAFT
from ...dialogs.plan_intervention import InterventionDialog
from ...dialogs.plan_widgets import OptionalDateEdit
from ...operations import Operation
from ..documentation_parts import (
    OthersEditor,
    PrincipalSection,
    button,
    others_text,
)
from .common import TREATMENT_CHOICES, WARNING_BOX_STYLE, DocumentationPage, add_months, line_edit

if TYPE_CHECKING:
    from .wizard import DocumentationWizard


# ---- 3 Insatser per huvudman -------------------------------------------------------------------

class InterventionsPage(DocumentationPage):
    title_text = "3 av 6 · Insatser per huvudman"
    help_text = ("Insatserna kopplas till målen, och varje verksamhets ansvar ska vara tydligt: "
                 "vad görs, vem ansvarar och när. Varje huvudman skriver sin egen del — också "
                 "om ni inte gör något (”Vi gör inget” med en mening).")

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
        self.sections: dict[int, PrincipalSection] = {}
        self.names: dict[int, str] = {}
        self.items: list[plan.Intervention] = []
        self.section_area = QVBoxLayout()
        self.section_area.setSpacing(12)
        self.content.addLayout(self.section_area)
        self.empty = QLabel("Ingen huvudman deltar i planen ännu — lägg till deltagare med "
                            "huvudman på första sidan.")
        self.empty.setObjectName("no_principals")
        self.empty.setWordWrap(True)
        self.content.addWidget(self.empty)
        self.content.addStretch(1)

    def show_data(self, view: DocumentationView) -> None:
        for section in self.sections.values():
            self.section_area.removeWidget(section)
            section.deleteLater()
        self.sections = {}
        self.items = view.interventions
        own = [p for p in view.parts if p.own]
        # The user's own principal first: that is the part they came to write.
        parts = own + [p for p in view.parts if not p.own]
        self.names = {p.principal_id: p.name for p in parts}
        for part in parts:
            mine = [i for i in self.items if i.principal_id == part.principal_id]
            section = PrincipalSection(part, mine, read_only=self.doc.read_only)
            section.add_requested.connect(self.add)
            section.edit_requested.connect(self.edit)
            section.remove_requested.connect(self.remove)
            section.finish_requested.connect(self.finish)
            self.section_area.addWidget(section)
            section.show()  # now, not on the next turn of the event loop: the page is up
            self.sections[part.principal_id] = section
        self.empty.setVisible(not parts)

    def _goals(self) -> list[str]:
        """The goals as they stand in the fields on page 2 (saved or on their way)."""
        bindings = self.doc.saver.bindings
        main = str(bindings["main_goal"].read() or "").strip() if "main_goal" in bindings else ""
        subs = bindings["sub_goals"].read() if "sub_goals" in bindings else []
        return [g for g in [main, *subs] if g]

    def _with_draft(self, then: Callable[[dict[str, Any] | None], None]) -> None:
        """Open the intervention dialog once what the user typed there last time (its draft)
        is read, in the runner."""
        user, case_id = self.doc.session.user, self.doc.version.case_id
        Operation(self, lambda: drafts.load_draft(user, case_id, INTERVENTION_DRAFT),
                  title="Insatsen kunde inte öppnas").success(then).run()

    def add(self, principal_id: int, no_action: bool) -> None:
        name = self.names.get(principal_id, "")

        def opened(draft: dict[str, Any] | None) -> None:
            if InterventionDialog.ask(self, self.doc.session, self.doc.version,
                                      principal_id=principal_id, principal_name=name,
                                      no_action=no_action, goals=self._goals(),
                                      draft=draft) is not None:
                self.doc.mark_saved()
                self.doc.reload()

        self._with_draft(opened)

    def edit(self, principal_id: int, intervention_id: int) -> None:
        item = next((i for i in self.items if i.id == intervention_id), None)
        if item is None:
            self.doc.reload()
            return

        def opened(draft: dict[str, Any] | None) -> None:
            if InterventionDialog.ask(self, self.doc.session, self.doc.version,
                                      principal_id=principal_id,
                                      principal_name=self.names.get(principal_id, ""),
                                      intervention=item, goals=self._goals(),
                                      draft=draft) is not None:
                self.doc.mark_saved()
                self.doc.reload()

        self._with_draft(opened)

    def remove(self, principal_id: int, intervention_id: int) -> None:
        if not messages.confirm(self, "Ta bort insats", "Ta bort insatsen ur planen?",
                                yes="Ta bort"):
            return
        self.doc.run(lambda user, version: plan.delete_intervention(
            user, version, intervention_id))

    def finish(self, principal_id: int) -> None:
        self.doc.run(lambda user, version: plan.mark_part_finished(user, version, principal_id))


# ---- 4 Andra och ansvar ------------------------------------------------------------------------

class ResponsibilityPage(DocumentationPage):
    title_text = "4 av 6 · Andra och ansvar"
    required = ("overall_principal",)
    help_text = ("Stäm av vem som är samordnare och huvudansvarig efter mötet — stäm av med "
                 "personen. Samordnaren är personens och närståendes kontaktperson om de har "
                 "frågor eller om något inte fungerar.")

    def build(self, view: DocumentationView) -> None:
        wizard = self.doc
        self.others = OthersEditor()
        self.others.setObjectName("others")
        self.add_field("others", "Åtgärder av andra än kommun och region", self.others,
                   hint="Närstående, skola, personen själv … Finns det inga, kryssa i det.")

        wizard.bind("others", self.others, read=self.others.value, write=self.others.set_value,
                    display=others_text)
        self.others.changed.connect(lambda: wizard.saver.changed("others"))

        self.overall = QComboBox()
        self.overall.setObjectName("overall_principal")
        self.overall.setAccessibleName("Huvudman med övergripande ansvar")
        self._fill_principals(view)
        self.add_field("overall_principal", "Övergripande ansvar (huvudman) *", self.overall)

        def write_overall(value: Any) -> None:
            index = self.overall.findData(value)
            self.overall.setCurrentIndex(index if index >= 0 else 0)

        names = view.principal_names
        wizard.bind("overall_principal", self.overall, read=self.overall.currentData,
                    write=write_overall,
                    display=lambda v: names.get(v, "(ingen vald)") if v else "(ingen vald)")
        self.overall.currentIndexChanged.connect(
            lambda _i: wizard.saver.changed("overall_principal"))

        self.coordinator = line_edit("coordinator_contact",
                                     placeholder="Namn, telefon och e-post")
        self.add_field("coordinator_contact", "Samordningsansvarig — så når du hen",
                   self.coordinator)
        self.bind_text("coordinator_contact", self.coordinator)

        self.reference = line_edit(
            "treatment_limitation_ref",
            placeholder="t.ex. ”Se journal i NPÖ, 2026-11-20”")
        self.reference.setToolTip("NPÖ är Nationell patientöversikt: den översikt över "
                                  "journalen som vården i olika regioner kan läsa.")
        self.treatment_group = QButtonGroup(self)
        choices = QWidget()
        choices.setObjectName("treatment_limitation")
        row = QHBoxLayout(choices)
        row.setContentsMargins(0, 0, 0, 0)
        self.treatment_buttons: dict[object, QRadioButton] = {}
        for index, (text, value) in enumerate(TREATMENT_CHOICES):
            radio = QRadioButton(text)
            radio.setObjectName(f"treatment_{index}")
            self.treatment_group.addButton(radio, index)
            self.treatment_buttons[value] = radio
            row.addWidget(radio)
        row.addStretch(1)
        choices.setToolTip("Behandlingsbegränsning: läkaren har bestämt att vården ska avstå "
                           "från viss behandling, t.ex. hjärt-lungräddning.")
        self.add_field("treatment_limitation",
                       "Behandlingsbegränsning (vården avstår från viss behandling)", choices,
                       hint="Bara ja eller nej och en hänvisning till journalen — inga "
                            "detaljer.")

        def read_treatment() -> Any:
            checked = self.treatment_group.checkedId()
            return TREATMENT_CHOICES[checked][1] if checked >= 0 else None

        def write_treatment(value: Any) -> None:
            self.treatment_buttons[value].setChecked(True)
            self._treatment_changed()

        wizard.bind("treatment_limitation", choices, read=read_treatment, write=write_treatment)
        self.treatment_group.idToggled.connect(self._treatment_toggled)

        self.add_field("treatment_limitation_ref", "Hänvisning till journalen", self.reference,
                       hint="Var i journalen beslutet står, t.ex. i NPÖ (Nationell "
                            "patientöversikt) — inte vad det gäller.")
        self.bind_text("treatment_limitation_ref", self.reference)
        self.content.addStretch(1)

    def _treatment_toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self._treatment_changed()
            self.doc.saver.changed("treatment_limitation")

    def _treatment_changed(self) -> None:
        self.reference.setEnabled(self.treatment_group.checkedId() == 0)

    def _fill_principals(self, view: DocumentationView) -> None:
        overall = view.version.overall_principal_id
        self.overall.addItem("Välj huvudman …", None)
        seen = set()
        for part in view.parts:
            self.overall.addItem(part.name, part.principal_id)
            seen.add(part.principal_id)
        if overall and overall not in seen:
            self.overall.addItem(view.principal_names.get(overall, "Annan huvudman"), overall)


# ---- 5 Uppföljning -----------------------------------------------------------------------------

class FollowUpPage(DocumentationPage):
    title_text = "5 av 6 · Uppföljning"
    required = ("follow_up_date",)
    help_text = ("Se till att tid bokas för uppföljning innan mötet avslutas. Planen följs upp "
                 "minst en gång om året, tidigare vid behov. Samordnaren ansvarar för "
                 "uppföljningen.")

    def build(self, view: DocumentationView) -> None:
        wizard = self.doc
        version = view.version
        self.limit = one_year_after(version.meeting_date)
        self.date = OptionalDateEdit(None, empty_at=version.meeting_date, maximum=self.limit,
                                     empty_text="Välj datum")
        self.date.setObjectName("follow_up_date")
        quick = QWidget()
        row = QHBoxLayout(quick)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.date)
        self.quick_buttons = []
        for months, text in ((3, "Om 3 månader"), (6, "Om 6 månader"), (12, "Om ett år")):
            found = button(text, name=f"follow_up_{months}")
            day = min(add_months(version.meeting_date, months), self.limit)
            found.clicked.connect(lambda _c=False, d=day: self.date.set_optional(d))
            row.addWidget(found)
            self.quick_buttons.append(found)
        row.addStretch(1)
        self.add_field("follow_up_date", "Datum för uppföljning *", quick,
                   hint=f"Senast {self.limit:%Y-%m-%d} — ett år efter mötet.")
        wizard.bind("follow_up_date", self.date, read=self.date.optional_value,
                    write=self.date.set_optional)
        self.date.dateChanged.connect(lambda _d: wizard.saver.changed("follow_up_date"))
        self.date.refused.connect(lambda _d: wizard.show_field_error(
            "follow_up_date", f"Planen följs upp minst en gång om året — senast "
                              f"{self.limit:%Y-%m-%d}."))

        self.by = line_edit("follow_up_by", placeholder=view.coordinator)
        self.add_field("follow_up_by", "Vem följer upp", self.by,
                   hint="Oftast samordnaren.")
        self.bind_text("follow_up_by", self.by)
        self.skipped = QLabel()
        self.skipped.setObjectName("follow_up_skipped")
        self.skipped.setWordWrap(True)
        self.skipped.setStyleSheet(WARNING_BOX_STYLE)
        self.content.addWidget(self.skipped)
        self.content.addStretch(1)

    def show_data(self, view: DocumentationView) -> None:
        reason = view.version.follow_up_skipped_reason
        self.skipped.setText(f"Uppföljningen hoppas över: {reason}")
        self.skipped.setVisible(bool(reason))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for found in self.quick_buttons:
            found.setEnabled(not read_only)
