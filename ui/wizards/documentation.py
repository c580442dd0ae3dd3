"""The dokumentationsstöd wizard (DOMAIN.md step 8; seeds 000 "Dokumentation", 003 step 3, 002 on
the child's voice): the plan of one meeting, written in the order of the meeting —

1. Deltagare — name, initials, profession, organisation/principal and contact for everyone
2. Den enskildes situation och mål — in the person's own words; for a child the child's views
3. Insatser per huvudman — each principal writes its own part (or "Vi gör inget")
4. Andra och ansvar — actions by others (or "inga"), overall responsibility, the coordinator,
   treatment limitation (yes/no and a journal reference only)
5. Uppföljning — at most a year after the meeting, and who follows up
6. Granska — the legal check's missing points, participants, plain-language warnings, parts

One class per page; each shows the conversation support of seed 003 as a short help text, and
the documentation deadline (two working days after the meeting; red when passed). Nothing
waits for a "Spara" button: every change is saved a moment after the user stops typing, field
by field, through `documentation_saving.FieldSaver` — so several users can write in the same
version at once and a crash loses nothing; a clash on the same field is shown at the field with
both texts. Interventions and participants are saved by their dialogs.

`DocumentationWizard.ask(parent, session, plan_id)` runs it; it returns True when anything was
saved. A locked (approved) version, an older version or a closed case opens read-only.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from sipdesk import clock, consent, contacts, lifecycle, plan
from sipdesk.db import storage_errors
from sipdesk.errors import NotFoundError, PermissionDenied, SipError, StorageError, ValidationError
from sipdesk.models import Case, CaseStatus, User
from sipdesk.plan import FieldConflict, PlanKind, PlanVersion
from sipdesk.workdays import one_year_after

from .. import messages
from ..dialogs.plan_intervention import InterventionDialog
from ..dialogs.plan_participant import ParticipantDialog
from ..dialogs.plan_widgets import OptionalDateEdit, PlainLanguageLabel
from ..session import Session
from .documentation_parts import (
    OthersEditor,
    ParticipantsTable,
    PrincipalSection,
    button,
    heading,
    help_label,
    others_text,
)
from .documentation_saving import (
    SAVE_DELAY_MS,
    Binding,
    ConflictBox,
    FieldSaver,
    error_label,
    plain,
    save_shared,
    stored_shared,
)

log = logging.getLogger("sipdesk.ui.documentation")

DEADLINE_STYLE = "color: #1d3d63;"
OVERDUE_STYLE = ("QLabel { color: #ffffff; background: #b00020; border-radius: 4px;"
                 " padding: 2px 8px; font-weight: bold; }")
WARNING_BOX_STYLE = ("QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
                     " border-radius: 4px; padding: 6px 8px; }")
ERROR_BOX_STYLE = ("QLabel { color: #7a0014; background: #fdecea; border: 1px solid #e0a3a0;"
                   " border-radius: 4px; padding: 6px 8px; }")
GOOD_BOX_STYLE = ("QLabel { color: #1e5b30; background: #e8f5ec; border: 1px solid #9fd0ad;"
                  " border-radius: 4px; padding: 6px 8px; }")

# Where each plain-language hint's text is, in words the user knows.
HINT_PLACES = plan.TEXT_PLACES
TREATMENT_CHOICES = (("Ja", True), ("Nej", False), ("Inte aktuellt", None))




def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def deadline_text(version: PlanVersion, *, today: dt.date) -> tuple[str, bool]:
    """What the banner says about the two working days, and whether it is overdue."""
    if version.locked:
        return (f"Planen är godkänd av alla och låst ({version.locked_at:%Y-%m-%d}).", False)
    if plan.is_overdue(version, today=today):
        return (f"Försenad: dokumentationen skulle ha varit klar {version.deadline:%Y-%m-%d}.",
                True)
    return (f"Dokumentationen ska vara klar senast {version.deadline:%Y-%m-%d} "
            "(två arbetsdagar efter mötet).", False)


# ---- the page shape ----------------------------------------------------------------------------

class DocumentationPage(QWizardPage):
    """A page: the help text, the deadline and save status, then the page's own content in a
    scroll area."""

    title_text: ClassVar[str] = ""
    help_text: ClassVar[str] = ""

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__()
        self.doc = wizard
        self.setTitle(self.title_text)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.save_status = QLabel()
        self.save_status.setObjectName("save_status")
        self.save_status.setStyleSheet("color: palette(placeholder-text);")
        top = QHBoxLayout()
        top.addWidget(self.deadline)
        top.addStretch(1)
        top.addWidget(self.save_status)
        self.help = help_label(self.help_text)
        self.body = QWidget()
        self.content = QVBoxLayout(self.body)
        self.content.setContentsMargins(0, 0, 8, 0)
        self.content.setSpacing(6)
        self._room_below = False
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.help)
        layout.addWidget(scroll, 1)

    # ---- fields saved as the user types -------------------------------------------------------

    def add_field(self, name: str, label: str, widget: QWidget, *, hint: str = "",
              plain_check: bool = False) -> QWidget:
        """A labelled input with room below it for a plain-language warning, an error and a
        conflict; registered with the wizard's saver when `name` is a plan field."""
        title = heading(label)
        title.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(label.rstrip(" *"))
        if self.content.count() and not self._room_below:
            self.content.addSpacing(6)
        self.content.addWidget(title)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text);")
            self.content.addWidget(note)
        self.content.addWidget(widget)
        if plain_check:
            warning = PlainLanguageLabel(name)
            self.content.addWidget(warning.slot())  # its room is kept: nothing below jumps
            if isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(lambda: warning.check(widget.toPlainText()))
            elif isinstance(widget, QLineEdit):
                widget.textChanged.connect(warning.check)
            self.doc.plain_labels[name] = warning
        self._room_below = plain_check  # the warning's room parts this field from the next
        error = error_label(name)
        conflict = ConflictBox(name)
        self.content.addWidget(error)
        self.content.addWidget(conflict)
        self.doc.field_parts[name] = (error, conflict)
        self.doc.field_labels[name] = label.rstrip(" *")
        return widget

    def bind_text(self, name: str, widget: QPlainTextEdit | QLineEdit) -> None:
        if isinstance(widget, QPlainTextEdit):
            def write_plain(value: Any) -> None:
                widget.setPlainText(value or "")
            self.doc.bind(name, widget, read=widget.toPlainText, write=write_plain)
            widget.textChanged.connect(lambda: self.doc.saver.changed(name))
        else:
            def write_line(value: Any) -> None:
                widget.setText(value or "")
            self.doc.bind(name, widget, read=widget.text, write=write_line)
            widget.textEdited.connect(lambda _t: self.doc.saver.changed(name))

    # ---- showing -----------------------------------------------------------------------------

    def show_deadline(self, text: str, overdue: bool) -> None:
        self.deadline.setText(text)
        self.deadline.setStyleSheet(OVERDUE_STYLE if overdue else DEADLINE_STYLE)
        self.deadline.setProperty("overdue", overdue)

    def initializePage(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the plan as the core has it now (lists and checks)."""

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.body.findChildren(QPlainTextEdit) + self.body.findChildren(QLineEdit):
            edit.setReadOnly(read_only)
        for widget in (self.body.findChildren(QComboBox) + self.body.findChildren(QRadioButton)
                       + self.body.findChildren(OptionalDateEdit)):
            widget.setEnabled(not read_only)

    def validatePage(self) -> bool:
        """"Nästa >" (also Return in a one-line field) saves, then moves on only when the
        page's required fields hold by the core's rule (`plan.required_field_problems`, read
        from the fields as they stand, saved or not); each message is shown at its field and
        the cursor goes to the first. Nothing typed is touched."""
        self.doc.saver.flush()
        if self.doc.read_only:
            return True
        problems = self.required_problems()
        for name, message in problems.items():
            self.doc.show_field_error(name, message)
        if problems:
            first = self.doc.saver.bindings.get(next(iter(problems)))
            if first is not None:
                first.widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return True

    required: ClassVar[tuple[str, ...]] = ()  # the page's fields in plan.REQUIRED_FIELDS

    def required_problems(self) -> dict[str, str]:
        """The page's required fields that do not hold, with what to do."""
        if not self.required:
            return {}
        bindings = self.doc.saver.bindings
        values = {name: bindings[name].read() for name in self.required if name in bindings}
        found = plan.required_field_problems(self.doc.fresh(), values)
        return {name: found[name] for name in self.required if name in found}


def text_box(name: str, *, lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setFixedHeight(height)  # the page scrolls; long texts scroll inside the box
    return edit


def line_edit(name: str, *, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


# ---- 1 Deltagare -------------------------------------------------------------------------------

class ParticipantsPage(DocumentationPage):
    title_text = "1 av 6 · Deltagare"
    help_text = ("Deltagarna presenterar sig. Skriv för var och en namn, initialer, yrke, "
                 "organisation och hur man når personen — det behövs för alla innan planen kan "
                 "godkännas. Den som leder mötet är oftast den som kallat.")

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
        version = wizard.version
        about = QLabel(f"Möte {version.meeting_date:%Y-%m-%d} · "
                       f"{PlanKind(version.kind).label} · version {version.number}")
        about.setObjectName("meeting_about")
        self.content.addWidget(about)
        self.chair = line_edit("chair", placeholder="Den som ledde mötet")
        self.add_field("chair", "Ordförande", self.chair)
        self.bind_text("chair", self.chair)
        self.content.addWidget(heading("Deltagare på mötet"))
        self.table = ParticipantsTable()
        self.content.addWidget(self.table)
        self.add_button = button("Lägg till deltagare…", name="add_participant")
        self.edit_button = button("Ändra…", name="edit_participant")
        self.remove_button = button("Ta bort", name="remove_participant",
                                    tooltip="Ta bort den som inte längre är med (Delete)")
        row = QHBoxLayout()
        for found in (self.add_button, self.edit_button, self.remove_button):
            row.addWidget(found)
        row.addStretch(1)
        self.content.addLayout(row)
        self.problems = QLabel()
        self.problems.setObjectName("participant_problems")
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setStyleSheet(WARNING_BOX_STYLE)
        self.content.addWidget(self.problems)
        self.content.addStretch(1)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        self.table.table.open_requested.connect(lambda _r: self.edit())
        self.table.table.remove_requested.connect(lambda _r: self.remove())

    def refresh(self) -> None:
        version = self.doc.fresh()
        names = {p.id: p.name for p in contacts.principals()}
        self.table.show_rows(plan.participants(version), names)
        problems = plan.participant_problems(version)
        self.problems.setText("Saknas innan planen kan godkännas:\n"
                              + "\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        has_rows = bool(self.table.rows)
        for found in (self.edit_button, self.remove_button):
            found.setEnabled(has_rows and not self.doc.read_only)
        self.add_button.setEnabled(not self.doc.read_only)

    def add(self) -> None:
        if ParticipantDialog.ask(self, self.doc.session, self.doc.version) is not None:
            self.doc.mark_saved()
            self.refresh()

    def edit(self) -> None:
        chosen = self.table.selected()
        if chosen is None or self.doc.read_only:
            return
        if ParticipantDialog.ask(self, self.doc.session, self.doc.version,
                                 participant=chosen) is not None:
            self.doc.mark_saved()
            self.refresh()

    def remove(self) -> None:
        chosen = self.table.selected()
        if chosen is None or self.doc.read_only:
            return
        if not messages.confirm(self, "Ta bort deltagare",
                                f"Ta bort {chosen.name} ur planen?", yes="Ta bort"):
            return
        if self.doc.run(lambda: plan.remove_participant(
                self.doc.session.user, self.doc.fresh(), chosen.id)):
            self.refresh()


# ---- 2 Den enskildes situation och mål ---------------------------------------------------------

class SituationPage(DocumentationPage):
    title_text = "2 av 6 · Den enskildes situation och mål"
    required = ("main_goal",)
    help_text = ("Mötet är till för personen. Tala direkt till personen och återkom ofta: "
                 "”Vad tycker du?”, ”Hur vill du ha det?”. Skriv med personens egna ord. "
                 "Planeringen utgår från personens mål — personen kan behöva hjälp att "
                 "formulera dem.")

    TEXTS = (
        ("current_situation", "Min nuvarande situation", "Med personens egna ord"),
        ("what_matters", "Det här är viktigt för mig", ""),
        ("can_do_self", "Det här klarar jag själv", ""),
    )

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
        self.edits: dict[str, QPlainTextEdit] = {}
        for name, label, placeholder in self.TEXTS:
            edit = text_box(name, placeholder=placeholder)
            self.add_field(name, label, edit, plain_check=True)
            self.bind_text(name, edit)
            self.edits[name] = edit
        if wizard.is_child:
            edit = text_box("child_views", placeholder="Vad barnet själv vill och tycker")
            self.add_field("child_views", "Barnets egna synpunkter", edit, plain_check=True,
                       hint="Barnets åsikter väger olika beroende på ålder och mognad — skriv "
                            "dem ändå.")
            self.bind_text("child_views", edit)
            self.edits["child_views"] = edit
        goal = text_box("main_goal", lines=2, placeholder="t.ex. ”Att kunna bo kvar hemma och "
                                                          "känna mig trygg”")
        self.add_field("main_goal", "Huvudmål *", goal, plain_check=True)
        self.bind_text("main_goal", goal)
        self.edits["main_goal"] = goal
        self.goal = goal
        goals = text_box("sub_goals", lines=4, placeholder="Ett delmål per rad")
        self.add_field("sub_goals", "Delmål", goals, plain_check=True,
                   hint="Stegen på vägen mot huvudmålet — ett per rad.")
        self.edits["sub_goals"] = goals

        def read_goals() -> list[str]:
            return [line.strip() for line in goals.toPlainText().splitlines() if line.strip()]

        def write_goals(value: Any) -> None:
            goals.setPlainText("\n".join(value or []))

        def save_goals(actor: User, version: PlanVersion, old: Any, new: Any
                       ) -> FieldConflict | None:
            theirs = plan.sub_goals(version)
            if theirs not in (old, new):
                return FieldConflict("sub_goals", new, theirs)
            plan.set_sub_goals(actor, version, new)
            return None

        wizard.bind("sub_goals", goals, read=read_goals, write=write_goals,
                    stored=plan.sub_goals, save=save_goals,
                    display=lambda v: "; ".join(v) if v else "(tomt)")
        goals.textChanged.connect(lambda: wizard.saver.changed("sub_goals"))
        self.content.addStretch(1)


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
        self.section_area = QVBoxLayout()
        self.section_area.setSpacing(12)
        self.content.addLayout(self.section_area)
        self.empty = QLabel("Ingen huvudman deltar i planen ännu — lägg till deltagare med "
                            "huvudman på första sidan.")
        self.empty.setObjectName("no_principals")
        self.empty.setWordWrap(True)
        self.content.addWidget(self.empty)
        self.content.addStretch(1)

    def refresh(self) -> None:
        version = self.doc.fresh()
        for section in self.sections.values():
            self.section_area.removeWidget(section)
            section.deleteLater()
        self.sections = {}
        items = plan.interventions(version)
        user = self.doc.session.user
        parts = plan.parts(version)
        # The user's own principal first: that is the part they came to write.
        parts.sort(key=lambda p: (p.principal_id != user.unit.principal_id, p.principal.name))
        self.names = {p.principal_id: p.principal.name for p in parts}
        for part in parts:
            mine = [i for i in items if i.principal_id == part.principal_id]
            section = PrincipalSection(
                part, mine, writable=plan.may_write_for(user, version, part.principal_id),
                own=part.principal_id == user.unit.principal_id, read_only=self.doc.read_only)
            section.add_requested.connect(self.add)
            section.edit_requested.connect(self.edit)
            section.remove_requested.connect(self.remove)
            section.finish_requested.connect(self.finish)
            self.section_area.addWidget(section)
            self.sections[part.principal_id] = section
        self.empty.setVisible(not parts)

    def _goals(self) -> list[str]:
        version = self.doc.fresh()
        return [g for g in [version.main_goal.strip(), *plan.sub_goals(version)] if g]

    def add(self, principal_id: int, no_action: bool) -> None:
        name = self.names.get(principal_id, "")
        if InterventionDialog.ask(self, self.doc.session, self.doc.fresh(),
                                  principal_id=principal_id, principal_name=name,
                                  no_action=no_action, goals=self._goals()) is not None:
            self.doc.mark_saved()
            self.refresh()

    def edit(self, principal_id: int, intervention_id: int) -> None:
        version = self.doc.fresh()
        item = next((i for i in plan.interventions(version) if i.id == intervention_id), None)
        if item is None:
            self.refresh()
            return
        if InterventionDialog.ask(self, self.doc.session, version, principal_id=principal_id,
                                  principal_name=item.principal.name, intervention=item,
                                  goals=self._goals()) is not None:
            self.doc.mark_saved()
            self.refresh()

    def remove(self, principal_id: int, intervention_id: int) -> None:
        if not messages.confirm(self, "Ta bort insats", "Ta bort insatsen ur planen?",
                                yes="Ta bort"):
            return
        if self.doc.run(lambda: plan.delete_intervention(
                self.doc.session.user, self.doc.fresh(), intervention_id)):
            self.refresh()

    def finish(self, principal_id: int) -> None:
        if self.doc.run(lambda: plan.mark_part_finished(
                self.doc.session.user, self.doc.fresh(), principal_id)):
            self.refresh()


# ---- 4 Andra och ansvar ------------------------------------------------------------------------

class ResponsibilityPage(DocumentationPage):
    title_text = "4 av 6 · Andra och ansvar"
    required = ("overall_principal",)
    help_text = ("Stäm av vem som är samordnare och huvudansvarig efter mötet — stäm av med "
                 "personen. Samordnaren är personens och närståendes kontaktperson om de har "
                 "frågor eller om något inte fungerar.")

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
        self.others = OthersEditor()
        self.others.setObjectName("others")
        self.add_field("others", "Åtgärder av andra än kommun och region", self.others,
                   hint="Närstående, skola, personen själv … Finns det inga, kryssa i det.")

        def save_others(actor: User, version: PlanVersion, old: Any, new: Any
                        ) -> FieldConflict | None:
            theirs = others_value(version)
            if theirs not in (old, new):
                return FieldConflict("others", new, theirs)
            rows, none = new
            plan.set_other_actions(actor, version, list(rows), none=none)
            return None

        wizard.bind("others", self.others, read=self.others.value, write=self.others.set_value,
                    stored=others_value, save=save_others, display=others_text)
        self.others.changed.connect(lambda: wizard.saver.changed("others"))

        self.overall = QComboBox()
        self.overall.setObjectName("overall_principal")
        self.overall.setAccessibleName("Huvudman med övergripande ansvar")
        self._fill_principals()
        self.add_field("overall_principal", "Övergripande ansvar (huvudman) *", self.overall)

        def write_overall(value: Any) -> None:
            index = self.overall.findData(value)
            self.overall.setCurrentIndex(index if index >= 0 else 0)

        names = {p.id: p.name for p in contacts.principals()}
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

    def _fill_principals(self) -> None:
        version = self.doc.version
        self.overall.addItem("Välj huvudman …", None)
        seen = set()
        for part in plan.parts(version):
            self.overall.addItem(part.principal.name, part.principal_id)
            seen.add(part.principal_id)
        if version.overall_principal_id and version.overall_principal_id not in seen:
            names = {p.id: p.name for p in contacts.principals()}
            self.overall.addItem(names.get(version.overall_principal_id, "Annan huvudman"),
                                 version.overall_principal_id)


def others_value(version: PlanVersion) -> tuple[tuple[tuple[str, str, str], ...], bool]:
    rows = tuple((o.who, o.what, o.when) for o in plan.other_actions(version))
    return rows, bool(version.others_none)


# ---- 5 Uppföljning -----------------------------------------------------------------------------

class FollowUpPage(DocumentationPage):
    title_text = "5 av 6 · Uppföljning"
    required = ("follow_up_date",)
    help_text = ("Se till att tid bokas för uppföljning innan mötet avslutas. Planen följs upp "
                 "minst en gång om året, tidigare vid behov. Samordnaren ansvarar för "
                 "uppföljningen.")

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
        version = wizard.version
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

        coordinator = wizard.case.coordinator
        self.by = line_edit("follow_up_by", placeholder=coordinator.full_name)
        self.add_field("follow_up_by", "Vem följer upp", self.by,
                   hint="Oftast samordnaren.")
        self.bind_text("follow_up_by", self.by)
        self.skipped = QLabel()
        self.skipped.setObjectName("follow_up_skipped")
        self.skipped.setWordWrap(True)
        self.skipped.setStyleSheet(WARNING_BOX_STYLE)
        self.content.addWidget(self.skipped)
        self.content.addStretch(1)

    def refresh(self) -> None:
        reason = self.doc.fresh().follow_up_skipped_reason
        self.skipped.setText(f"Uppföljningen hoppas över: {reason}")
        self.skipped.setVisible(bool(reason))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for found in self.quick_buttons:
            found.setEnabled(not read_only)


# ---- 6 Granska ---------------------------------------------------------------------------------

class ReviewPage(DocumentationPage):
    title_text = "6 av 6 · Granska"
    help_text = ("Sammanfatta vem som gör vad. Den som dokumenterar skriver ”Dokumenterat av …” "
                 "och noterar vilka som var med och justerade texten. Skriv så att personen "
                 "förstår — utan förkortningar och facktermer.")

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
        self.legal = self._box("legal_check")
        self.participants = self._box("participant_check")
        self.other = self._box("other_check")
        self.plain = self._box("plain_language")
        self.parts = QLabel()
        self.parts.setObjectName("parts_state")
        self.parts.setWordWrap(True)
        self.parts.setTextFormat(Qt.TextFormat.PlainText)
        self.content.addWidget(heading("Det lagen kräver (socialtjänstlagen och hälso- och "
                                       "sjukvårdslagen)"))
        self.content.addWidget(self.legal)
        self.content.addSpacing(6)
        self.content.addWidget(heading("Deltagare"))
        self.content.addWidget(self.participants)
        self.other_heading = heading("Annat som behövs innan planen kan godkännas")
        self.content.addWidget(self.other_heading)
        self.content.addWidget(self.other)
        self.content.addSpacing(6)
        self.content.addWidget(heading("Klarspråk"))
        self.content.addWidget(self.plain)
        self.content.addSpacing(6)
        self.content.addWidget(heading("Huvudmännens delar"))
        self.content.addWidget(self.parts)
        self.finish_area = QWidget()
        self.finish_row = QHBoxLayout(self.finish_area)
        self.finish_row.setContentsMargins(0, 0, 0, 0)
        self.finish_row.addStretch(1)
        self.content.addWidget(self.finish_area)
        self.finish_buttons: list[QWidget] = []
        writer = wizard.version.documented_by
        documented = writer.full_name if writer is not None else ""
        self.documented = QLabel(f"Dokumenterat av: {documented}")
        self.documented.setObjectName("documented_by")
        self.content.addWidget(self.documented)
        self.adjusted = line_edit("adjusted_with",
                                  placeholder="t.ex. ”Per Nord och Maria Holm, per telefon”")
        self.add_field("adjusted_with", "Deltog i justeringen av texten", self.adjusted)
        self.bind_text("adjusted_with", self.adjusted)
        self.content.addStretch(1)

    def _box(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def refresh(self) -> None:
        version = self.doc.fresh()
        legal = plan.legal_problems(version)
        _show(self.legal, legal, ok="Planen visar allt som lagen kräver: insatserna, vad varje "
                                    "huvudman ansvarar för, åtgärder av andra och vem som har "
                                    "det övergripande ansvaret.", bad=True)
        people = plan.participant_problems(version)
        _show(self.participants, people, ok="Alla deltagare har namn, initialer, yrke, "
                                            "organisation och kontaktuppgifter.", bad=True)
        other = [p for p in plan.approval_problems(version) if p not in legal + people]
        _show(self.other, other, ok="", bad=True)
        self.other_heading.setVisible(bool(other))
        hints = plan.plain_language_hints(version)
        _show(self.plain, [f"{HINT_PLACES.get(h.field, h.field)}: ”{h.word}” — skriv hellre: "
                           f"{h.suggestion}" for h in hints],
              ok="Inga förkortningar eller facktermer hittades i texterna till personen.",
              bad=False)
        lines = []
        for part in plan.parts(version):
            finished = (f"klar {part.finished_at:%Y-%m-%d}" if part.finished_at
                        else "inte klar")
            approved = (f", godkänd {part.approved_at:%Y-%m-%d}" if part.approved_at else "")
            behalf = " (för huvudmannens räkning)" if part.on_behalf else ""
            lines.append(f"• {part.principal.name}: {finished}{approved}{behalf}")
        self.parts.setText("\n".join(lines) or "Ingen huvudman deltar ännu.")
        self._finish_buttons(version)

    def _finish_buttons(self, version: PlanVersion) -> None:
        for found in self.finish_buttons:
            self.finish_row.removeWidget(found)
            found.deleteLater()
        self.finish_buttons = []
        if self.doc.read_only:
            return
        user = self.doc.session.user
        for part in plan.parts(version):
            if part.finished_at is None and plan.may_write_for(user, version, part.principal_id):
                own = part.principal_id == user.unit.principal_id
                found = button("Markera min del som klar" if own else
                               f"Markera {part.principal.name}s del som klar",
                               name=f"review_finish_{part.principal_id}")
                found.clicked.connect(lambda _c=False, p=part.principal_id: self._finish(p))
                self.finish_row.insertWidget(len(self.finish_buttons), found)
                self.finish_buttons.append(found)
        self.finish_area.setVisible(bool(self.finish_buttons))

    def _finish(self, principal_id: int) -> None:
        if self.doc.run(lambda: plan.mark_part_finished(
                self.doc.session.user, self.doc.fresh(), principal_id)):
            self.refresh()


def _show(label: QLabel, problems: list[str], *, ok: str, bad: bool) -> None:
    if problems:
        label.setText("\n".join(f"• {p}" for p in problems))
        label.setStyleSheet(ERROR_BOX_STYLE if bad else WARNING_BOX_STYLE)
        label.setVisible(True)
    else:
        label.setText(f"✓ {ok}")
        label.setStyleSheet(GOOD_BOX_STYLE)
        label.setVisible(bool(ok))
    label.setProperty("problems", len(problems))


# ---- the wizard --------------------------------------------------------------------------------

class DocumentationWizard(QWizard):
    """Dokumentera planen: six pages, saved as the user goes."""

    PARTICIPANTS, SITUATION, INTERVENTIONS, RESPONSIBILITY, FOLLOW_UP, REVIEW = range(6)
    changed = Signal()  # something was saved

    def __init__(self, session: Session, plan_id: int, *, today: dt.date | None = None,
                 delay_ms: int = SAVE_DELAY_MS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.today = today or clock.today()
        self.version = plan.get_version(plan_id)
        self.case: Case = self.version.case
        latest = plan.latest_version(self.case)
        self.read_only = (self.version.locked or not CaseStatus(self.case.status).is_open
                          or latest is None or latest.id != self.version.id)
        self.is_child = consent.is_child(self.case.person, self.version.meeting_date)
        self.saved_anything = False
        self.saver = FieldSaver(session.user, plan_id, delay_ms=delay_ms, parent=self)
        self.saver.read_only = self.read_only
        self.saver.saved.connect(lambda _n: self.mark_saved())
        self.saver.status_changed.connect(self._status)
        self.saver.stopped.connect(self._stopped)
        self.field_parts: dict[str, tuple[QLabel, ConflictBox]] = {}
        self.plain_labels: dict[str, PlainLanguageLabel] = {}
        self.field_labels: dict[str, str] = {}

        self.setObjectName("documentation_wizard")
        self.setWindowTitle(f"Dokumentera planen — {self.case.number}, version "
                            f"{self.version.number}")
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
        for page_id, page in enumerate(self.pages):
            page.setFinalPage(True)  # "Stäng" on every page: everything is saved already
            self.setPage(page_id, page)
            page.set_read_only(self.read_only)
        self.currentIdChanged.connect(self._page_changed)
        save = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save.activated.connect(self.save_now)
        self.update_deadline()
        if self.read_only:
            self._status("Bara läsning: " + self._read_only_reason())
        for name, label in self.plain_labels.items():
            binding = self.saver.bindings.get(name)
            if binding is not None:
                value = binding.read()
                label.check("\n".join(value) if isinstance(value, list) else str(value or ""))
        self.resize(980, 760)

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
        """Closing (Stäng, Esc, the window's ✕) saves what is still waiting first. Text that
        could not be saved (a clash not yet decided, or refused by a rule) is named, and the
        user may go back to it instead of losing it."""
        self.saver.flush()
        unsaved = self.unsaved_fields()
        if unsaved and not self.read_only and not self.ask_close_anyway(unsaved):
            return
        super().done(result)

    def unsaved_fields(self) -> list[str]:
        names = set(self.saver.conflicts) | self.saver.refused
        return [self.field_labels.get(name, name) for name in self.saver.bindings
                if name in names]

    def ask_close_anyway(self, fields: list[str]) -> bool:
        return messages.confirm(
            self, "Det här är inte sparat",
            "Det du skrev i " + ", ".join(f"”{f}”" for f in fields) + " är inte sparat: "
            "någon annan har ändrat samma sak, eller texten följer inte reglerna (se "
            "meddelandet vid fältet).\n\nVill du stänga ändå? Då försvinner det du skrev där.",
            yes="Stäng ändå", no="Gå tillbaka")

    def save_now(self) -> None:
        if self.saver.flush():
            self._status(f"Sparat {clock.now():%H:%M}")

    def _page_changed(self, page_id: int) -> None:
        self.saver.flush()
        if page_id >= 0:
            self.saver.reload(self.fresh())
        self.update_deadline()

    # ---- for the pages ----------------------------------------------------------------------

    def fresh(self) -> PlanVersion:
        """The version as stored now (others may have written since the wizard opened)."""
        self.version = plan.get_version(self.version.id)
        return self.version

    def bind(self, name: str, widget: QWidget, *, read: Any, write: Any, stored: Any = None,
             save: Any = None, display: Any = plain) -> None:
        error, conflict = self.field_parts[name]
        self.saver.bind(Binding(
            name=name, read=read, write=write, stored=stored or stored_shared(name),
            save=save or save_shared(name), conflict=conflict, error=error, widget=widget,
            display=display), self.version)

    def show_field_error(self, name: str, message: str) -> None:
        error, _conflict = self.field_parts[name]
        error.setText(message)
        error.show()

    def mark_saved(self) -> None:
        self.saved_anything = True
        self.changed.emit()

    def run(self, action: Any) -> bool:
        """Call a use case; its refusal is said in a message box. True when it was done."""
        try:
            with storage_errors():
                action()
        except StorageError as exc:
            log.error("plan action failed: %s", type(exc).__name__)
            messages.error(self, "Det gick inte att spara",
                           "Det gick inte att spara i databasen. Kontrollera anslutningen och "
                           "försök igen.")
            return False
        except (ValidationError, PermissionDenied, NotFoundError) as problem:
            messages.warning(self, "Det gick inte", problem.message)
            return False
        except SipError as problem:
            messages.warning(self, "Det gick inte", problem.message)
            return False
        self.mark_saved()
        self.update_deadline()
        return True

    def update_deadline(self) -> None:
        text, overdue = deadline_text(self.fresh(), today=self.today)
        for page in self.pages:
            page.show_deadline(text, overdue)

    def _status(self, text: str) -> None:
        for page in self.pages:
            page.save_status.setText(text)

    def _stopped(self, reason: str) -> None:
        self.read_only = True
        messages.warning(self, "Planen kan inte ändras", reason + "\n\nDet du skrivit finns "
                         "kvar i fönstret så att du kan kopiera det.")

    def _read_only_reason(self) -> str:
        if not CaseStatus(self.case.status).is_open:
            return lifecycle.READ_ONLY
        if self.version.locked:
            return "planen är godkänd och låst."
        return "det här är en äldre version."
