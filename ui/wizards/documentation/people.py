"""The documentation wizard's pages 1-2: Deltagare, and the person's situation and goals."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
)

from sipdesk.casework import contacts
from sipdesk.plans import plan
from sipdesk.plans.plan import PlanKind
from sipdesk.plans.plan_documentation import DocumentationView
from sipdesk.storage.models import Principal

from ... import messages
from ...dialogs.plan_participant import ParticipantDialog
from ...operations import Operation
from ..documentation_parts import (
    ParticipantsTable,
    button,
    heading,
)
from .common import WARNING_BOX_STYLE, DocumentationPage, line_edit, text_box

if TYPE_CHECKING:
    from .wizard import DocumentationWizard


# ---- 1 Deltagare -------------------------------------------------------------------------------

class ParticipantsPage(DocumentationPage):
    title_text = "1 av 6 · Deltagare"
    help_text = ("Deltagarna presenterar sig. Skriv för var och en namn, initialer, yrke, "
                 "organisation och hur man når personen — det behövs för alla innan planen kan "
                 "godkännas. Den som leder mötet är oftast den som kallat.")

    def build(self, view: DocumentationView) -> None:
        version = view.version
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

    def show_data(self, view: DocumentationView) -> None:
        self.table.show_rows(view.participants, view.principal_names)
        problems = view.participant_problems
        self.problems.setText("Saknas innan planen kan godkännas:\n"
                              + "\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        has_rows = bool(self.table.rows)
        for found in (self.edit_button, self.remove_button):
            found.setEnabled(has_rows and not self.doc.read_only)
        self.add_button.setEnabled(not self.doc.read_only)

    def _with_principals(self, then: Callable[[list[Principal]], None]) -> None:
        """Open the participant dialog once the principals it offers are read, in the runner."""
        Operation(self, contacts.principals,
                  title="Deltagaren kunde inte öppnas").success(then).run()

    def add(self) -> None:
        if self.doc.read_only:
            return

        def opened(principals: list[Principal]) -> None:
            if ParticipantDialog.ask(self, self.doc.session, self.doc.version,
                                     principals=principals) is not None:
                self.doc.mark_saved()
                self.doc.reload()

        self._with_principals(opened)

    def edit(self) -> None:
        chosen = self.table.selected()
        if chosen is None or self.doc.read_only:
            return

        def opened(principals: list[Principal]) -> None:
            if ParticipantDialog.ask(self, self.doc.session, self.doc.version,
                                     participant=chosen, principals=principals) is not None:
                self.doc.mark_saved()
                self.doc.reload()

        self._with_principals(opened)

    def remove(self) -> None:
        chosen = self.table.selected()
        if chosen is None or self.doc.read_only:
            return
        if not messages.confirm(self, "Ta bort deltagare",
                                f"Ta bort {chosen.name} ur planen?", yes="Ta bort"):
            return
        self.doc.run(lambda user, version: plan.remove_participant(user, version, chosen.id))


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

    def build(self, view: DocumentationView) -> None:
        wizard = self.doc
        for name, label, placeholder in self.TEXTS:
            edit = text_box(name, placeholder=placeholder)
            self.add_field(name, label, edit, plain_check=True)
            self.bind_text(name, edit)
            self.edits[name] = edit
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

        wizard.bind("sub_goals", goals, read=read_goals, write=write_goals,
                    display=lambda v: "; ".join(v) if v else "(tomt)")
        goals.textChanged.connect(lambda: wizard.saver.changed("sub_goals"))
        self.content.addStretch(1)
