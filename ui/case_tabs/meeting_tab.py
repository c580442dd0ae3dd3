"""Kallelse: the case's current meeting and everything around it (DOMAIN.md steps 4–7).

- **Mötet**: time, place, purpose, status, the staff meeting (proposed, and its record), the
  mobile care team check, acknowledgements; the actions "Kalla till möte…" (the wizard), "Ny
  tid…", "Ställ in mötet…", "Mötet har hållits…", "Tjänstemannamöte…", "Mobilt vårdteam…",
  "Kartläggning…", and the letters and the calendar file. Each is enabled when the case and the
  meeting allow it, otherwise disabled with the reason as its tooltip.
- **Deltagare och svar**: every participant with principal, law, how they were invited, their
  answer (a substitute when they cannot come) and, after the meeting, whether they came;
  "Registrera svar…" for an answer given on the phone.
- **Att ringa eller skriva till** (seed 003): those without an account, with a "Klart" box each.
- **Kartläggning** and **Avvikelser** once there are any.
- **Utvärdering av mötet** once the meeting is held (seed 002, `meeting_evaluations`): print the
  easy-read form, register the answers, and each respondent's evaluation apart.
- **Begäran om SIP** for home care (seed 004): ask the case officer to convene, or copy an
  e-mail text without personal data.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.accounts import auth
from sipdesk.errors import SipError
from sipdesk.meetings import convene, invitation
from sipdesk.meetings.invitation import (
    HowInvited,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantKind,
)
from sipdesk.meetings.meeting_page import (
    MeetingPage,
    meeting_page,
    mobile_team_form,
    staff_meeting_form,
)
from sipdesk.storage.models import CaseStatus, Role, User

from .. import messages
from ..dialogs import meeting_common
from ..dialogs.meeting_answer import AnswerDialog
from ..dialogs.meeting_cancel import CancelMeetingDialog
from ..dialogs.meeting_convene import ConveneRequestDialog
from ..dialogs.meeting_held import MeetingHeldDialog
from ..dialogs.meeting_mobile_team import MobileTeamDialog
from ..dialogs.meeting_reschedule import RescheduleDialog
from ..dialogs.meeting_staff import StaffMeetingDialog
from ..dialogs.meeting_survey import StatusSurveyDialog
from ..operations import Operation, report_failure
from ..tables import read_only
from ..wizards import outputs
from ..wizards.kallelse import KallelseWizard
from .base import CaseContext, CaseTab, child_paper_text, scrolling, value_label
from .meeting_evaluations import EvaluationsBox
from .meeting_parts import (
    PARTICIPANT_ROLE,
    PRINCIPAL_COLUMN,
    ParticipantsModel,
    allow,
    clear_layout,
    fit_rows,
    meeting_details,
    tab_button,
)

log = logging.getLogger("sipdesk.ui.meeting_tab")
T = TypeVar("T")

HOME_CARE_ROLES = (Role.UNIT_MANAGER.value, Role.STAFF.value)


def clock() -> dt.datetime:
    """Now, as the meeting rules see it (tests move it)."""
    return meeting_common.clock()


class MeetingTab(CaseTab):
    title = "Kallelse"

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.meeting: Meeting | None = None
        self.participants: list[Participant] = []
        self._opening = False  # a dialog's data is being read

        # Mötet
        self.meeting_box = QGroupBox("Mötet")
        self.meeting_box.setObjectName("meeting_box")
        meeting_column = QVBoxLayout(self.meeting_box)
        self.empty_label = QLabel("Inget möte är kallat ännu. Med ”Kalla till möte…” anger du "
                                  "syfte, deltagare, tid och plats, och skickar kallelsen.")
        self.empty_label.setWordWrap(True)
        self.empty_label.setObjectName("no_meeting")
        self.details_holder = QWidget()
        self._details_layout = QVBoxLayout(self.details_holder)
        self._details_layout.setContentsMargins(0, 0, 0, 0)
        self.invite_button = tab_button("Kalla till möte…", "invite", self.invite)
        self.reschedule_button = tab_button("Ny tid…", "reschedule", self.reschedule)
        self.cancel_button = tab_button("Ställ in mötet…", "cancel_meeting", self.cancel_meeting)
        self.held_button = tab_button("Mötet har hållits…", "meeting_held", self.mark_held)
        self.staff_button = tab_button("Tjänstemannamöte…", "staff_meeting", self.staff_meeting)
        self.mobile_button = tab_button("Mobilt vårdteam…", "mobile_team", self.mobile_team)
        self.survey_button = tab_button("Kartläggning…", "status_survey", self.status_survey)
        self.letters_button = tab_button("Skriv ut brev…", "print_letters", self.print_letters)
        self.calendar_button = tab_button("Spara kalenderfil…", "save_calendar", self.save_calendar)
        first_row = QHBoxLayout()
        for button in (self.invite_button, self.reschedule_button, self.cancel_button,
                       self.held_button):
            first_row.addWidget(button)
        first_row.addStretch(1)
        second_row = QHBoxLayout()
        for button in (self.staff_button, self.mobile_button, self.survey_button):
            second_row.addWidget(button)
        second_row.addStretch(1)
        second_row.addWidget(self.letters_button)
        second_row.addWidget(self.calendar_button)
        meeting_column.addWidget(self.empty_label)
        meeting_column.addWidget(self.details_holder)
        meeting_column.addLayout(first_row)
        meeting_column.addLayout(second_row)
        self.paper_note = value_label("", name="letters_paper_note", wrap=True)
        meeting_column.addWidget(self.paper_note)

        # Deltagare och svar
        self.participants_box = QGroupBox("Deltagare och svar")
        self.participants_box.setObjectName("participants_box")
        self.model = ParticipantsModel(self)
        self.table = QTableView()
        self.table.setObjectName("meeting_participants")
        self.table.setAccessibleName("Deltagare och svar")
        self.table.setModel(self.model)
        read_only(self.table)
        zero = self.fontMetrics().horizontalAdvance("0")
        # Every column as wide as its words; the principal and unit take the room left (cut,
        # with its tooltip), so the role and the answer are whole in a 1100 px window.
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PRINCIPAL_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(zero * 4)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_answer())
        self.table.doubleClicked.connect(lambda _i: self.register_answer())
        self.answer_button = tab_button("Registrera svar…", "register_answer", self.register_answer)
        self.ack_label = QLabel()
        self.ack_label.setObjectName("acknowledgements")
        participants_column = QVBoxLayout(self.participants_box)
        participants_column.addWidget(self.table)
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.ack_label, 1)
        answer_row.addWidget(self.answer_button)
        participants_column.addLayout(answer_row)

        # Utvärdering av mötet (a held meeting)
        self.evaluations_box = EvaluationsBox()
        self.evaluations_box.changed.connect(self.changed.emit)

        # Att ringa eller skriva till
        self.calls_box = QGroupBox("Att ringa eller skriva till")
        self.calls_box.setObjectName("calls_box")
        self.calls = QTableWidget(0, 5)
        self.calls.setObjectName("call_list")
        self.calls.setAccessibleName("Att ringa eller skriva till")
        self.calls.setHorizontalHeaderLabels(["Klart", "Namn", "Kallas via", "Telefon",
                                              "Adress / e-post"])
        read_only(self.calls)
        self.calls.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents)
        for column, chars in ((1, 22), (2, 26), (3, 16)):
            self.calls.setColumnWidth(column, zero * chars)
        self.calls.itemChanged.connect(self._call_done_changed)
        calls_column = QVBoxLayout(self.calls_box)
        calls_hint = QLabel("Kryssa i när du har ringt, skickat brevet eller mejlet.")
        calls_hint.setEnabled(False)
        calls_column.addWidget(calls_hint)
        calls_column.addWidget(self.calls)

        # Kartläggning, Avvikelser
        self.surveys_box = QGroupBox("Kartläggning")
        self.surveys_box.setObjectName("surveys_box")
        self._surveys_layout = QVBoxLayout(self.surveys_box)
        self.deviations_box = QGroupBox("Avvikelser")
        self.deviations_box.setObjectName("deviations_box")
        self._deviations_layout = QVBoxLayout(self.deviations_box)

        # Begäran om SIP (home care)
        self.convene_box = QGroupBox("Begäran om SIP")
        self.convene_box.setObjectName("convene_box")
        convene_column = QVBoxLayout(self.convene_box)
        convene_text = QLabel("Ser ni i hemtjänsten ett behov av SIP? Be den enskildes "
                              "biståndshandläggare att kalla. Till den som inte finns i sipdesk "
                              "kan du kopiera en e-posttext utan personuppgifter.")
        convene_text.setWordWrap(True)
        self.convene_button = tab_button("Begäran om SIP…", "request_to_convene",
                                      self.request_to_convene)
        self.copy_button = tab_button("Kopiera e-posttext", "copy_email_text", self.copy_email_text)
        self.copied_label = QLabel()
        self.copied_label.setObjectName("copied")
        self.copied_label.setEnabled(False)
        convene_row = QHBoxLayout()
        convene_row.addWidget(self.convene_button)
        convene_row.addWidget(self.copy_button)
        convene_row.addWidget(self.copied_label, 1)
        convene_column.addWidget(convene_text)
        convene_column.addLayout(convene_row)

        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setVerticalSpacing(16)
        boxes = (self.meeting_box, self.participants_box, self.evaluations_box, self.calls_box,
                 self.surveys_box, self.deviations_box, self.convene_box)
        for row, box in enumerate(boxes):
            grid.addWidget(box, row, 0)
        grid.setRowStretch(len(boxes), 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scrolling(page))
        self.page = MeetingPage(None, [], None, None, [], [], "")
        self._show()

    # ---- showing -------------------------------------------------------------------------------

    @property
    def user(self) -> User:
        return self.context.user

    def load(self, context: CaseContext) -> MeetingPage:
        return meeting_page(context.case)

    def show_data(self, data: object) -> None:
        assert isinstance(data, MeetingPage)
        self.page = data
        self.meeting, self.participants = data.meeting, data.participants
        self._show()

    def _show(self) -> None:
        has_meeting = self.meeting is not None
        self.empty_label.setVisible(not has_meeting)
        self.details_holder.setVisible(has_meeting)
        self._show_details()
        self.model.set_participants(
            self.participants,
            convener_id=self.meeting.created_by_id if self.meeting is not None else None,
            person_letter=self.page.person_letter, child=self.page.child)
        fit_rows(self.table, len(self.participants))
        self.participants_box.setVisible(has_meeting)
        self._show_calls()
        self._show_surveys()
        self._show_deviations()
        self.evaluations_box.show_page(self.context, self.page)
        self._update_buttons()

    def _show_details(self) -> None:
        clear_layout(self._details_layout)
        if self.meeting is not None:
            self._details_layout.addWidget(meeting_details(self.page))
        self.ack_label.setText(f"Kallelsen i sipdesk: {self.page.acknowledged}"
                               if self.page.acknowledged else "")

    def _show_calls(self) -> None:
        calls = invitation.to_call_or_write(self.participants,
                                            person_letter=self.page.person_letter)
        self.calls_box.setVisible(bool(calls))
        self.calls.blockSignals(True)
        self.calls.setRowCount(len(calls))
        editable = self._planned() is None and not self.context.read_only
        for row, p in enumerate(calls):
            done = QTableWidgetItem()
            done.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable
                          | (Qt.ItemFlag.ItemIsEnabled if editable else Qt.ItemFlag.NoItemFlags))
            done.setCheckState(Qt.CheckState.Checked if p.invitation_done
                               else Qt.CheckState.Unchecked)
            done.setData(PARTICIPANT_ROLE, p.id)
            done.setToolTip(f"Kryssa i när {p.name} har fått kallelsen")
            self.calls.setItem(row, 0, done)
            where = p.email if p.how_invited == HowInvited.EMAIL.value else p.address
            for column, text in enumerate((p.name, HowInvited(p.how_invited).label, p.phone,
                                           where), start=1):
                self.calls.setItem(row, column, QTableWidgetItem(text))
        self.calls.blockSignals(False)
        fit_rows(self.calls, len(calls))

    def _show_surveys(self) -> None:
        surveys = self.page.surveys
        clear_layout(self._surveys_layout)
        for index, s in enumerate(surveys):
            by = s.written_by.full_name + (f" för {s.on_behalf_of}" if s.on_behalf_of else "")
            self._surveys_layout.addWidget(value_label(
                f"{s.profession} ({by}, {s.written_at:%Y-%m-%d}): {s.notes}",
                name=f"survey_{index}", wrap=True))
        self.surveys_box.setVisible(bool(surveys))

    def _show_deviations(self) -> None:
        deviations = self.page.deviations
        clear_layout(self._deviations_layout)
        for index, d in enumerate(deviations):
            name = d.participant.name
            handled = (f" — hanterad {d.handled_at:%Y-%m-%d}" if d.handled_at is not None
                       else " — att hantera för enhetschefen")
            self._deviations_layout.addWidget(value_label(
                f"{d.principal_name} ({d.unit_name or 'ingen enhet angiven'}): {name} kom inte "
                f"till SIP-mötet {d.meeting_date:%Y-%m-%d}{handled}", name=f"deviation_{index}",
                wrap=True))
        self.deviations_box.setVisible(bool(deviations))

    # ---- what is allowed ------------------------------------------------------------------------

    def _planned(self) -> str | None:
        """None when there is a planned meeting; otherwise why not, in Swedish."""
        if self.meeting is None:
            return "Det finns inget kallat möte."
        if self.meeting.status == MeetingStatus.CANCELLED.value:
            return "Mötet är inställt."
        if self.meeting.status == MeetingStatus.HELD.value:
            return "Mötet är redan hållet."
        return None

    def _update_buttons(self) -> None:
        read_only = self.context.read_only_reason or None
        planned = self._planned()
        m = self.meeting
        now = clock()
        ahead = m is not None and m.starts_at > now
        allow(self.invite_button, read_only or self._why_not_invite(),
               tip="Kalla till SIP-möte med guiden")
        allow(self.reschedule_button, read_only or planned or (
            None if ahead else "Mötet har redan ägt rum — markera det som hållet i stället."))
        allow(self.cancel_button, read_only or planned or (
            None if ahead else "Mötet har redan ägt rum och kan inte ställas in — markera "
                               "det som hållet i stället."))
        allow(self.held_button, read_only or planned or (
            "Mötet har inte ägt rum än." if ahead else None))
        record = self.page.staff_record
        allow(self.staff_button, read_only or planned or (
            "Tjänstemannamötet är redan dokumenterat." if record is not None else None))
        allow(self.mobile_button, read_only or planned)
        allow(self.survey_button, read_only or planned)
        # Letters before the meeting; the calendar file also when cancelled (it cancels the
        # event in the calendars that imported it).
        self.letters_button.setVisible(outputs.letters_available() and planned is None and any(
            p.how_invited == HowInvited.LETTER.value for p in self.participants))
        note = child_paper_text(self.context, what="Brev")
        self.paper_note.setText(note)
        self.paper_note.setVisible(bool(note) and self.letters_button.isVisibleTo(self))
        self.calendar_button.setVisible(outputs.calendar_available() and m is not None
                                        and m.status != MeetingStatus.HELD.value)
        home_care = self.user.role in HOME_CARE_ROLES
        self.convene_box.setVisible(home_care and planned is not None
                                    and not self.context.read_only)
        self._update_answer()

    def _why_not_invite(self) -> str | None:
        """The core's reason, except where a meeting is already called or held: there the
        core's generic "what is missing" would point to the consent."""
        problem = self.page.invite_problem  # lifecycle.check, read with the page
        if problem is None:
            return None
        status = self.context.status
        if status is CaseStatus.INVITED:
            return "Mötet är redan kallat — ge det en ny tid eller ställ in det."
        if status in (CaseStatus.MEETING_HELD, CaseStatus.DOCUMENTATION):
            return "Mötet är hållet. Nästa kallelse blir en uppföljning, när planen är godkänd."
        return problem

    def _update_answer(self) -> None:
        p = self.selected_participant()
        why = self.context.read_only_reason or self._planned()
        if why is None and p is None:
            why = "Välj en deltagare i listan."
        allow(self.answer_button, why, tip="Registrera ett svar som kom per telefon eller brev")

    def selected_participant(self) -> Participant | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.participant(rows[0].row()) if rows else None

    # ---- actions --------------------------------------------------------------------------

    def _done(self, result: object) -> None:
        if result is not None:
            self.changed.emit()

    def invite(self) -> None:
        self._done(KallelseWizard.ask(self, self.context.session, self.context.case))

    def reschedule(self) -> None:
        if self.meeting is not None:
            self._done(RescheduleDialog.ask(self, self.user, self.meeting, current=clock()))

    def cancel_meeting(self) -> None:
        if self.meeting is not None:
            self._done(CancelMeetingDialog.ask(self, self.user, self.meeting, current=clock()))

    def mark_held(self) -> None:
        if self.meeting is None:
            return
        deviations = MeetingHeldDialog.ask(self, self.user, self.meeting,
                                           participants=self.participants, current=clock())
        if deviations is None:
            return
        if deviations:
            messages.information(
                self, "Avvikelse registrerad",
                "Avvikelse registrerad för "
                + ", ".join(f"{d.principal_name} ({d.unit_name})" if d.unit_name
                            else d.principal_name for d in deviations)
                + ". Enhetschefen ser den under Att göra.")
        self.changed.emit()

    def _open(self, read: Callable[[], T], show: Callable[[T], object]) -> None:
        """Read what a dialog shows through the runner, then open it (a second click while it
        is read opens nothing)."""
        if not self._opening:
            self._opening = True
            Operation(self, read, title="Uppgifterna kunde inte läsas").success(show).finally_(
                lambda: setattr(self, "_opening", False)).run()

    def staff_meeting(self) -> None:
        meeting, case_id = self.meeting, self.context.case.id
        names = [p.name for p in self.participants
                 if p.kind == ParticipantKind.PROFESSIONAL.value]
        if meeting is not None:
            self._open(lambda: staff_meeting_form(case_id), lambda form: self._done(
                StaffMeetingDialog.ask(self, self.user, meeting, form=form, names=names,
                                       current=clock())))

    def mobile_team(self) -> None:
        meeting = self.meeting
        if meeting is not None:
            self._open(lambda: mobile_team_form(meeting), lambda form: self._done(
                MobileTeamDialog.ask(self, self.user, meeting, form=form)))

    def status_survey(self) -> None:
        if self.meeting is None:
            return
        others = [p.name for p in self.participants
                  if p.kind == ParticipantKind.PROFESSIONAL.value and not p.has_account]
        self._done(StatusSurveyDialog.ask(self, self.user, self.meeting, others=others))

    def register_answer(self) -> None:
        p = self.selected_participant()
        if p is None or not self.answer_button.isEnabled():
            return
        self._done(AnswerDialog.ask(self, self.user, p))

    def request_to_convene(self) -> None:
        def show(users: list[User]) -> None:
            if ConveneRequestDialog.ask(self, self.user, self.context.case,
                                        users=users) is not None:
                self.copied_label.setText("Begäran är skickad.")
                self.changed.emit()

        self._open(auth.active_users_with_unit, show)

    def copy_email_text(self) -> None:
        unit = self.user.unit
        text = convene.email_text(sender_unit=unit.name, sender_phone=self.user.phone)
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(text)
        self.copied_label.setText("E-posttexten är kopierad — den innehåller inga "
                                  "personuppgifter. Klistra in den i ett mejl.")

    def print_letters(self) -> None:
        if self.meeting is not None:
            outputs.print_letters(self, self.meeting, case_number=self.context.case.number,
                                  user=self.context.user)

    def save_calendar(self) -> None:
        if self.meeting is not None:
            outputs.save_calendar(self, self.meeting, case_number=self.context.case.number,
                                  user=self.context.user)

    def _call_done_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0:
            return
        pid = item.data(PARTICIPANT_ROLE)
        p = next((x for x in self.participants if x.id == pid), None)
        if p is None:
            return
        done = item.checkState() == Qt.CheckState.Checked
        user, calls = self.user, self.calls

        def saved(_result: object) -> None:
            p.invitation_done = done
            self.changed.emit()  # Att göra's "Ring eller skicka brev till …" at once

        def failed(exc: Exception) -> None:
            if isinstance(exc, SipError):
                log.error("marking a call done failed: %s", type(exc).__name__)
                messages.warning(self, "Det gick inte att spara",
                                 "Markeringen kunde inte sparas. Försök igen.")
            else:
                report_failure(self, exc, "Det gick inte att spara")
            if shiboken6.isValid(calls) and shiboken6.isValid(item):
                calls.blockSignals(True)
                item.setCheckState(Qt.CheckState.Unchecked if done else Qt.CheckState.Checked)
                calls.blockSignals(False)

        Operation(self, lambda: invitation.mark_invitation_done(user, p, done),
                  title="Det gick inte att spara").success(saved).failure(failed).run()
