"""Planen: the plan's versions (one per meeting — the first SIP meeting, then each follow-up),
the chosen version's parts with who finished and approved them, and the plan's commands
(DOMAIN.md steps 8–11; seeds 000 "Dokumentation", "Utskrift", "Uppföljning", 003 steps 3 and 5).

- **Börja dokumentera** once the case's meeting is held and has no plan (then the wizard opens);
  **Fortsätt dokumentera…** opens the dokumentationsstöd (`ui.wizards.documentation`), read-only
  for an approved or an older version.
- **Markera min del som klar**, **Begär godkännande** (a message with kvittens) and **Godkänn**:
  each enabled only when the core would allow it, otherwise disabled with the reason as tooltip
  (all parts finished, the legal check, complete participants, main goal, follow-up date; a
  request already sent since the parts were finished, `plan.approval_requested_at`). A
  user acts for their own principal; the coordinator also for a principal without an account
  ("för huvudmannens räkning").
- **Öppna igen…** (the coordinator, with a reason: all approvals are cleared), **Kalla till
  uppföljning…** (the kallelse wizard in follow-up mode, when installed), **Hoppa över
  uppföljning…** (with a reason).
- **Återkoppling till barnet…** (a child's plan version, seed 002): who told the child what
  their voice meant for the plan, and when; the parts' box says whether it is done.
- **Skriv ut plan…** and **Skriv ut den enskildes exemplar…** (when the printed plan is
  installed): saved as PDF where the user chooses, named by case number and version only, made
  off the UI thread; the person's copy only once the version is approved.

The documentation deadline (two working days after the meeting) is shown, red when passed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.desk.plan_commands import plan_commands
from sipdesk.errors import SipError
from sipdesk.plans import plan
from sipdesk.plans.child_voice import ChildFeedback
from sipdesk.plans.plan import PlanKind, PlanVersion, PrincipalPart
from sipdesk.plans.plan_page import PlanPage, plan_page

from .. import file_output, messages
from ..dialogs.child_feedback import ChildFeedbackDialog
from ..dialogs.plan_reason import ChoosePrincipalDialog, ReopenDialog, SkipFollowUpDialog
from ..operations import Operation, report_failure
from ..wizards.documentation import DocumentationWizard, deadline_text
from .base import CaseContext, CaseTab, child_paper_text, format_date, value_label
from .plan_parts import (
    APPROVED_COLOR,
    DEADLINE_STYLE,
    OVERDUE_STYLE,
    PART_HEADERS,
    VERSION_HEADERS,
    changes_text,
    fit_table,
    installed,
    part_state,
    plan_file_name,
    plan_table,
    render_plan,
    set_state,
)

log = logging.getLogger("sipdesk.ui.plan_tab")
T = TypeVar("T")


def feedback_text(feedback: ChildFeedback | None) -> str:
    """The återkoppling to the child as the parts' box says it."""
    if feedback is None:
        return ("Återkoppling till barnet: inte gjord än — berätta för barnet vad barnets röst "
                "betydde för planen.")
    return (f"Återkoppling till barnet: {feedback.told_by} berättade "
            f"{format_date(feedback.told_on)}.")

class PlanTab(CaseTab):
    title = "Planen"

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.versions: list[PlanVersion] = []
        self.selected_id: int | None = None
        self.printing = False

        self.deadline = QLabel()
        self.deadline.setObjectName("plan_deadline")
        self.summary = value_label("", name="plan_summary", wrap=True)

        def make(text: str, name: str) -> QPushButton:
            found = QPushButton(text)
            found.setObjectName(name)
            found.setAutoDefault(False)
            return found

        self.start_button = make("Börja dokumentera", "plan_start")
        self.wizard_button = make("Fortsätt dokumentera…", "plan_wizard")
        self.finish_button = make("Markera min del som klar", "plan_finish")
        self.request_button = make("Begär godkännande", "plan_request")
        self.approve_button = make("Godkänn", "plan_approve")
        self.reopen_button = make("Öppna igen…", "plan_reopen")
        self.follow_up_button = make("Kalla till uppföljning…", "plan_follow_up")
        self.skip_button = make("Hoppa över uppföljning…", "plan_skip_follow_up")
        self.print_button = make("Skriv ut plan…", "plan_print")
        self.easy_button = make("Skriv ut den enskildes exemplar…", "plan_print_easy")
        self.feedback_button = make("Återkoppling till barnet…", "plan_child_feedback")
        self.feedback_button.setToolTip("Skriv in vem som berättade för barnet vad barnets "
                                        "röst betydde för planen, och när")
        self.print_button.setShortcut("Ctrl+P")
        self.start_button.clicked.connect(self.start)
        self.wizard_button.clicked.connect(self.open_wizard)
        self.finish_button.clicked.connect(self.finish)
        self.request_button.clicked.connect(self.request)
        self.approve_button.clicked.connect(self.approve)
        self.reopen_button.clicked.connect(self.reopen)
        self.follow_up_button.clicked.connect(self.call_follow_up)
        self.skip_button.clicked.connect(self.skip_follow_up)
        self.print_button.clicked.connect(lambda: self.print_plan(easy_read=False))
        self.easy_button.clicked.connect(lambda: self.print_plan(easy_read=True))
        self.feedback_button.clicked.connect(self.child_feedback)
        self.has_kallelse = installed("ui.wizards.kallelse")
        self.has_printing = installed("reports.plan")
        self.follow_up_button.setVisible(self.has_kallelse)
        self.print_button.setVisible(self.has_printing)
        self.easy_button.setVisible(self.has_printing)

        work = QHBoxLayout()
        for found in (self.start_button, self.wizard_button, self.finish_button,
                      self.request_button, self.approve_button):
            work.addWidget(found)
        work.addStretch(1)
        later = QHBoxLayout()
        for found in (self.reopen_button, self.follow_up_button, self.skip_button,
                      self.feedback_button, self.print_button, self.easy_button):
            later.addWidget(found)
        later.addStretch(1)
        self.print_status = QLabel()
        self.print_status.setObjectName("plan_print_status")
        self.print_status.hide()

        self.empty = value_label("", name="plan_empty", wrap=True)
        self.versions_box = QGroupBox("Versioner")
        self.versions_table = plan_table(VERSION_HEADERS, name="plan_versions")
        self.versions_table.setAccessibleName("Planens versioner")
        self.versions_table.itemSelectionChanged.connect(self._selection_changed)
        self.versions_table.doubleClicked.connect(lambda _i: self.open_wizard())
        QVBoxLayout(self.versions_box).addWidget(self.versions_table)
        self.parts_box = QGroupBox("Huvudmännens delar")
        self.parts_table = plan_table(PART_HEADERS, name="plan_parts")
        self.parts_table.setAccessibleName("Huvudmännens delar och godkännanden")
        self.follow_up = value_label("", name="plan_follow_up_text", wrap=True)
        parts_layout = QVBoxLayout(self.parts_box)
        parts_layout.addWidget(self.parts_table)
        parts_layout.addWidget(self.follow_up)

        header = QHBoxLayout()
        header.addWidget(self.deadline)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addLayout(header)
        layout.addWidget(self.summary)
        layout.addLayout(work)
        layout.addLayout(later)
        self.paper_note = value_label("", name="plan_paper_note", wrap=True)
        layout.addWidget(self.paper_note)
        layout.addWidget(self.print_status)
        layout.addWidget(self.empty)
        layout.addWidget(self.versions_box)
        layout.addWidget(self.parts_box)
        layout.addStretch(1)
        self.page = PlanPage([], {}, {}, can_start=False, mine=[], written=set(),
                             requested_at=None, approval_problems=[])
        self._show()

    # ---- what the tab shows -----------------------------------------------------------------

    @property
    def latest(self) -> PlanVersion | None:
        return self.versions[0] if self.versions else None

    @property
    def selected(self) -> PlanVersion | None:
        found = next((v for v in self.versions if v.id == self.selected_id), None)
        return found or self.latest

    def load(self, context: CaseContext) -> PlanPage:
        return plan_page(context.user, context.case, context.today)

    def show_data(self, data: object) -> None:
        assert isinstance(data, PlanPage)
        self.page = data
        self._show()

    def _show(self) -> None:
        note = child_paper_text(self.context, what="Den enskildes exemplar")
        self.paper_note.setText(note)
        self.paper_note.setVisible(bool(note) and self.has_printing)
        self.versions = self.page.versions
        if self.selected_id not in {v.id for v in self.versions}:
            self.selected_id = self.latest.id if self.latest else None
        self._show_versions()
        self._show_selected()
        self._show_header()
        self._enable()

    def _show_header(self) -> None:
        latest = self.latest
        if latest is None:
            self.deadline.hide()
            self.summary.hide()
            return
        text, overdue = deadline_text(latest, today=self.context.today,
                                      overdue=self.page.overdue)
        self.deadline.setText(text)
        self.deadline.setStyleSheet(OVERDUE_STYLE if overdue else DEADLINE_STYLE)
        self.deadline.setProperty("overdue", overdue)
        self.deadline.show()
        about = (f"Version {latest.number} · {PlanKind(latest.kind).label} · möte "
                 f"{format_date(latest.meeting_date)}")
        if latest.reopened_reason and not latest.locked:
            about += f" · öppnad igen: {latest.reopened_reason}"
        self.summary.setText(about)
        self.summary.show()

    def _show_versions(self) -> None:
        table = self.versions_table
        table.blockSignals(True)
        table.setRowCount(len(self.versions))
        selected_row = 0
        for row, version in enumerate(self.versions):
            short, details = changes_text(self.page.changes.get(version.id))
            locked_at = version.locked_at
            status = f"Godkänd {format_date(locked_at.date())}" if locked_at else "Utkast"
            values = (str(version.number), PlanKind(version.kind).label,
                      format_date(version.meeting_date), status, short)
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(details if column == 4 and details else text)
                if column == 3 and version.locked:
                    item.setForeground(QBrush(APPROVED_COLOR))
                table.setItem(row, column, item)
            if version.id == self.selected_id:
                selected_row = row
        if self.versions:
            table.selectRow(selected_row)
        table.blockSignals(False)
        fit_table(table)
        has = bool(self.versions)
        self.versions_box.setVisible(has)
        self.parts_box.setVisible(has)
        self.empty.setVisible(not has)
        if not has:
            self.empty.setText(
                "Det finns ingen plan ännu. Mötet är hållet — börja dokumentera planen." if
                self.page.can_start else
                "Det finns ingen plan ännu. När SIP-mötet är markerat som hållet kan planen "
                "dokumenteras här.")

    def _show_selected(self) -> None:
        version = self.selected
        table = self.parts_table
        if version is None:
            table.setRowCount(0)
            return
        self.parts_box.setTitle(f"Huvudmännens delar — version {version.number}")
        parts = self.page.parts.get(version.id, [])
        table.setRowCount(len(parts))
        for row, part in enumerate(parts):
            finished, approved = part_state(part)
            for column, text in enumerate((part.principal.name, finished, approved)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 2 and part.approved_at:
                    item.setForeground(QBrush(APPROVED_COLOR))
                table.setItem(row, column, item)
        fit_table(table)
        lines = []
        if version.follow_up_date:
            lines.append(f"Uppföljning: {format_date(version.follow_up_date)}"
                         + (f", {version.follow_up_by}" if version.follow_up_by else ""))
        if version.follow_up_skipped_reason:
            lines.append(f"Uppföljningen hoppas över: {version.follow_up_skipped_reason}")
        if not lines:
            lines.append("Inget datum för uppföljning ännu.")
        if version.id in self.page.child_versions:
            lines.append(feedback_text(self.page.feedback.get(version.id)))
        self.follow_up.setText("\n".join(lines))

    def _selection_changed(self) -> None:
        rows = self.versions_table.selectionModel().selectedRows()
        if rows and 0 <= rows[0].row() < len(self.versions):
            self.selected_id = self.versions[rows[0].row()].id
            self._show_selected()
            self._enable()

    # ---- which commands can run now, and why not ---------------------------------------------

    def _editable(self, version: PlanVersion | None) -> bool:
        return (version is not None and not version.locked and not self.context.read_only
                and self.latest is not None and version.id == self.latest.id)

    def _enable(self) -> None:
        context, latest, selected = self.context, self.latest, self.selected
        can_start = self.page.can_start and not context.read_only
        self.start_button.setVisible(latest is None or can_start)
        set_state(self.start_button, can_start,
                  context.read_only_reason or "Mötet är inte markerat som hållet.")
        self.wizard_button.setVisible(selected is not None)
        self.wizard_button.setText("Fortsätt dokumentera…" if self._editable(selected)
                                   else "Visa planen…")
        self.wizard_button.setShortcut("Ctrl+D")  # setText resets a button's shortcut
        self.wizard_button.setToolTip("Öppna dokumentationsstödet (Ctrl+D)")
        for found in (self.finish_button, self.request_button, self.approve_button,
                      self.reopen_button, self.skip_button, self.follow_up_button):
            found.setVisible(latest is not None
                             and (found is not self.follow_up_button or self.has_kallelse))
        for found in (self.print_button, self.easy_button):
            found.setVisible(selected is not None and self.has_printing)
        # Seed 002: the child is told what their voice meant — for a child's plan version.
        self.feedback_button.setVisible(selected is not None
                                        and selected.id in self.page.child_versions)
        set_state(self.feedback_button, not context.read_only, context.read_only_reason,
                  tip="Skriv in vem som berättade för barnet vad barnets röst betydde för "
                      "planen, och när")
        if latest is None:
            return
        commands = plan_commands(self.page, user=context.user, case=context.case,
                                 may_change=context.may_change)
        assert commands is not None
        for button, allowed in ((self.finish_button, commands.finish),
                                (self.request_button, commands.request),
                                (self.approve_button, commands.approve),
                                (self.reopen_button, commands.reopen),
                                (self.follow_up_button, commands.follow_up),
                                (self.skip_button, commands.skip)):
            set_state(button, allowed.ok, allowed.why_not)
        self.reopen_button.setVisible(commands.coordinator)

        # Utskrift
        set_state(self.print_button, selected is not None and not self.printing,
                  "Utskriften pågår." if self.printing else "",
                  tip="Spara planen som PDF för att skriva ut den (Ctrl+P)")
        set_state(self.easy_button,
                  selected is not None and selected.locked and not self.printing,
                  "Utskriften pågår." if self.printing else
                  "Den enskildes exemplar kan skrivas ut när alla har godkänt planen.",
                  tip="Lättläst, med stor text — att lämna hemma hos den enskilde")

    # ---- commands ------------------------------------------------------------------------------

    def _run(self, work: Callable[[], T], then: Callable[[T], object]) -> None:
        """Run one command in the operation runner; `then(result)` on success. When it is
        refused, the reason is shown and the plan is read again: what stopped it may be
        someone else's change."""
        def refused(problem: Exception) -> None:
            report_failure(self, problem, "Det gick inte")
            if isinstance(problem, SipError):
                self.changed.emit()

        Operation(self, work, title="Det gick inte").success(then).failure(refused).run()

    def _choose(self, parts: list[PrincipalPart], *, title: str) -> int | None:
        if len(parts) == 1:
            return parts[0].principal_id
        own = self.context.user.unit.principal_id
        choices = [(p.principal_id, p.principal.name + ("" if p.principal_id == own
                                                        else " (för huvudmannens räkning)"))
                   for p in sorted(parts, key=lambda p: p.principal_id != own)]
        found = ChoosePrincipalDialog.ask(self, title=title, choices=choices)
        return int(found) if found is not None else None

    def start(self) -> None:
        if not self.page.can_start:
            return
        user, case = self.context.user, self.context.case

        def work() -> PlanVersion | None:
            meeting = plan.meeting_to_document(case)
            return plan.start_documentation(user, meeting) if meeting is not None else None

        def started(created: PlanVersion | None) -> None:
            if created is None:
                return
            self.selected_id = created.id
            self.changed.emit()
            self._open(created.id)

        self._run(work, started)

    def open_wizard(self) -> None:
        version = self.selected
        if version is not None:
            self._open(version.id)

    def _open(self, plan_id: int) -> None:
        if DocumentationWizard.ask(self, self.context.session, plan_id,
                                   today=self.context.today):
            self.changed.emit()

    def finish(self) -> None:
        latest = self.latest
        if latest is None:
            return
        ready = [p for p in self.page.mine
                 if p.finished_at is None and p.principal_id in self.page.written]
        if not ready:
            return
        chosen = self._choose(ready, title="Markera delen som klar")
        if chosen is not None:
            user = self.context.user
            self._run(lambda: plan.mark_part_finished(user, latest, chosen),
                      lambda _part: self.changed.emit())

    def request(self) -> None:
        latest = self.latest
        if latest is None:
            return
        user = self.context.user

        def sent(message: object) -> None:
            if message is not None:
                messages.information(self, "Begäran skickad",
                                     "Deltagarna med konto har fått ett meddelande med kvittens "
                                     "om att godkänna planen.")
            else:
                messages.information(self, "Ingen att fråga",
                                     "Ingen annan deltagare har konto i sipdesk. Samordnaren "
                                     "godkänner för deras huvudmän.")
            self.changed.emit()

        self._run(lambda: plan.request_approval(user, latest), sent)

    def approve(self) -> None:
        latest = self.latest
        if latest is None:
            return
        waiting = [p for p in self.page.mine if p.approved_at is None]
        if not waiting:
            return
        chosen = self._choose(waiting, title="Godkänn planen")
        if chosen is None:
            return
        # Words the person may not understand: shown once, and approving anyway is said
        # explicitly to the core (DOMAIN.md step 8, "Plain language").
        unclear = self.page.unclear_words
        if unclear and not messages.confirm(
                self, "Godkänn planen",
                "Planen har ord som den enskilde kanske inte förstår:\n\n"
                + "\n".join(f"• {line}" for line in unclear)
                + "\n\nSkriv om dem i Dokumentera planen, eller godkänn ändå om ni har gått "
                  "igenom orden med den enskilde.\n\nGodkänn ändå?",
                yes="Godkänn ändå", no="Avbryt"):
            return
        user, acknowledged = self.context.user, bool(unclear)

        def work() -> bool:
            plan.approve(user, latest, chosen, plain_language_acknowledged=acknowledged)
            return plan.get_version(latest.id).locked

        def approved(locked: bool) -> None:
            if locked:
                messages.information(self, "Planen är godkänd",
                                     "Alla har godkänt planen och den är nu låst. Erbjud den "
                                     "enskilde en utskriven plan.")
            self.changed.emit()

        self._run(work, approved)

    def reopen(self) -> None:
        latest = self.latest
        if latest is not None and ReopenDialog.ask(self, self.context.session,
                                                   latest) is not None:
            self.changed.emit()

    def skip_follow_up(self) -> None:
        latest = self.latest
        if latest is not None and SkipFollowUpDialog.ask(self, self.context.session,
                                                         latest) is not None:
            self.changed.emit()

    def child_feedback(self) -> None:
        version = self.selected
        if version is None or version.id not in self.page.child_versions:
            return
        if ChildFeedbackDialog.ask(self, self.context.session, version,
                                   existing=self.page.feedback.get(version.id),
                                   today=self.context.today) is not None:
            self.changed.emit()

    def call_follow_up(self) -> None:
        from ..wizards import kallelse  # optional: the button is hidden when it is not there

        if kallelse.KallelseWizard.ask(self, self.context.session, self.context.case,
                                       follow_up=True) is not None:
            self.changed.emit()

    # ---- printing ------------------------------------------------------------------------------

    def print_plan(self, *, easy_read: bool) -> None:
        version = self.selected
        if version is None or self.printing:
            return
        if easy_read and not version.locked:
            return
        title = ("Spara den enskildes exemplar" if easy_read else "Spara planen")
        path = file_output.SaveFileDialog.ask(self, title=title, default_name=plan_file_name(
            self.context.case.number, version.number, easy_read=easy_read))
        if path is None:
            return
        self.printing = True
        self.print_status.setText("Skapar planen som PDF…")
        self.print_status.show()
        self._enable()
        plan_id, case_id, user = version.id, self.context.case.id, self.context.user

        def render() -> object:
            read_log.record_output(user, Output.PLAN_EASY_READ if easy_read else Output.PLAN,
                                   case_id=case_id, entity_id=plan_id)
            return render_plan(plan_id, path, easy_read=easy_read)

        file_output.save_document(self, file_output.PLAN, render, path,
                                  done=self._done_printing)

    def _done_printing(self) -> None:
        self.printing = False
        self.print_status.hide()
        self._enable()
