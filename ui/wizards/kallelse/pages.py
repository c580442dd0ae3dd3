"""The kallelse wizard's Syfte, Granska and Skickat pages, and the summary the review shows."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework.lifecycle import NeedRecord
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import HowInvited, InvitationDraft, ParticipantRules
from sipdesk.storage.models import Case

from ...fields import FieldForm
from .. import outputs
from .common import CONVENER_TEXT, KallelsePage, error_label, fmt, show_warnings, warning_box


class PurposePage(KallelsePage):
    """1 Syfte: the purpose and the question(s), required, in plain words; the need's question
    (read before the wizard opened) one click away."""

    def __init__(self, need: NeedRecord | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Steg 1 av 5 · Syfte")
        self.setSubTitle("Varför ska ni träffas, och vilka frågor ska mötet svara på? Skriv med "
                         "vanliga ord — den enskilde ska kunna läsa det.")
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.purpose = QPlainTextEdit()
        self.purpose.setObjectName("purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setPlaceholderText(
            "t.ex. Hur kan hemtjänsten och vårdcentralen hjälpa till så att du kan bo kvar hemma "
            "efter fallet? Vem gör vad när du kommer hem från sjukhuset?")
        self.purpose.setAccessibleName("Syfte och frågor")
        self.form.add("purpose", "Syfte och frågor *", self.purpose)
        self.use_question = QPushButton("Använd frågan från behovet")
        self.use_question.setObjectName("use_question")
        self.use_question.setAutoDefault(False)
        self._question = need.question if need is not None else ""
        if need is not None:
            reminder = QLabel(f"Behovet, med den enskildes ord: {need.need}\n"
                              f"Frågan SIP:en ska besvara: {need.question}")
            reminder.setObjectName("need_reminder")
            reminder.setWordWrap(True)
            reminder.setTextFormat(Qt.TextFormat.PlainText)
            reminder.setEnabled(False)
            self.form.addRow("", reminder)
            button_row = QHBoxLayout()
            button_row.addWidget(self.use_question)
            button_row.addStretch(1)
            self.form.addRow("", button_row)
            self.use_question.clicked.connect(self._use_question)
        else:
            self.use_question.hide()
        self.purpose.textChanged.connect(lambda: self.form.clear_error("purpose"))
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)

    def _use_question(self) -> None:
        if self.purpose.toPlainText().strip():
            self.purpose.appendPlainText(self._question)
        else:
            self.purpose.setPlainText(self._question)
        self.purpose.setFocus()

    def initializePage(self) -> None:
        self.purpose.setFocus()

    def load(self, draft: InvitationDraft) -> None:
        self.purpose.setPlainText(draft.purpose)

    def store(self, draft: InvitationDraft) -> None:
        draft.purpose = self.purpose.toPlainText()

    def validatePage(self) -> bool:
        draft = self.kallelse().collect()
        check = invitation.check_purpose(draft)
        self.form.clear_errors()
        for name, message in check.problems.items():
            self.form.show_error(name, message)
        if not check.ok:
            self.purpose.setFocus()
        return check.ok


class ReviewPage(KallelsePage):
    """5 Granska och skicka: everything on one page; "Skicka" stores and sends in one
    transaction (`invitation.send_invitation`)."""

    def __init__(self, case: Case, rules: ParticipantRules,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.rules = rules
        self.setTitle("Steg 5 av 5 · Granska och skicka")
        self.setSubTitle("Kontrollera kallelsen. När du trycker på Skicka sparas mötet, de med "
                         "konto i sipdesk får kallelsen som meddelande att kvittera, och du får "
                         "en lista över vilka du ska ringa eller skriva till.")
        self.setCommitPage(True)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.warnings = warning_box("review_warnings")
        self.error = error_label("send_error")
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        wizard = self.kallelse()
        draft = wizard.collect()
        self.error.hide()
        check = invitation.check_all(self.case, draft, current=wizard.clock(), rules=self.rules)
        show_warnings(self.warnings, check.warnings)
        self.summary.setText(summary_html(self.case, draft,
                                          convener_id=wizard.session.user.id))

    def validatePage(self) -> bool:
        return self.kallelse().send()


class SentPage(KallelsePage):
    """After sending: who got a message, and the call/letter list (seed 003); letters and the
    calendar file when those parts are installed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle("Kallelsen är skickad")
        self.setSubTitle("Ärendet har status Kallad. Ring eller skriv till dem som inte har "
                         "konto i sipdesk, och bocka av dem under fliken Kallelse i ärendet.")
        self.messaged = QLabel()
        self.messaged.setObjectName("messaged")
        self.messaged.setWordWrap(True)
        self.call_list = QTableWidget(0, 4)
        self.call_list.setObjectName("call_list")
        self.call_list.setAccessibleName("Att ringa eller skriva till")
        self.call_list.setHorizontalHeaderLabels(["Namn", "Kallas via", "Telefon",
                                                  "Adress / e-post"])
        self.call_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.call_list.verticalHeader().hide()
        self.call_list.horizontalHeader().setStretchLastSection(True)
        self.call_list.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.call_list.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.letters_button = QPushButton("Skriv ut brev…")
        self.letters_button.setObjectName("print_letters")
        self.letters_button.setAutoDefault(False)
        self.letters_button.clicked.connect(self._print_letters)
        self.calendar_button = QPushButton("Spara kalenderfil…")
        self.calendar_button.setObjectName("save_calendar")
        self.calendar_button.setAutoDefault(False)
        self.calendar_button.clicked.connect(self._save_calendar)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.letters_button)
        buttons.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.messaged)
        layout.addWidget(QLabel("Att ringa eller skriva till:"))
        layout.addWidget(self.call_list, 1)
        layout.addLayout(buttons)

    def initializePage(self) -> None:
        sent = self.kallelse().sent_invitation
        if sent is None:
            return
        meeting, everyone = sent.meeting, sent.participants
        with_account = [p.name for p in everyone or []
                        if p.has_account and p.user_id != meeting.created_by_id]
        self.messaged.setText(
            "Kallelsen är skickad." if everyone is None else  # but could not be read back
            ("Kallelsen har gått som meddelande att kvittera till " + ", ".join(with_account)
             + ".") if with_account else "Ingen av deltagarna har konto i sipdesk.")
        calls = invitation.to_call_or_write(everyone or [], person_letter=sent.person_letter)
        self.call_list.setRowCount(len(calls))
        for row, p in enumerate(calls):
            where = p.email if p.how_invited == HowInvited.EMAIL.value else p.address
            for column, text in enumerate((p.name, HowInvited(p.how_invited).label, p.phone,
                                           where)):
                self.call_list.setItem(row, column, QTableWidgetItem(text))
        self.letters_button.setVisible(outputs.letters_available() and any(
            p.how_invited == HowInvited.LETTER.value for p in calls))
        self.calendar_button.setVisible(outputs.calendar_available())

    def _print_letters(self) -> None:
        meeting = self.kallelse().meeting
        if meeting is not None:
            outputs.print_letters(self, meeting, case_number=self.kallelse().case.number,
                                  user=self.kallelse().session.user)

    def _save_calendar(self) -> None:
        meeting = self.kallelse().meeting
        if meeting is not None:
            outputs.save_calendar(self, meeting, case_number=self.kallelse().case.number,
                                  user=self.kallelse().session.user)


def summary_html(case: Case, draft: InvitationDraft, *, convener_id: int | None = None) -> str:
    """The review page's text; everything the user typed is escaped."""
    e = html.escape
    place, _home = invitation.place_of(case, draft)
    rows = []
    for p in draft.participants:
        where = ", ".join(x for x in (p.role or p.kind.label, p.unit_name, p.principal_name,
                                      p.law.label if p.law else "") if x)
        how = CONVENER_TEXT if p.user_id is not None and p.user_id == convener_id else p.how.label
        rows.append(f"<li><b>{e(p.name)}</b> — {e(where)} · <i>{e(how)}</i></li>")
    parts = [
        f"<h3 style='margin-bottom:2px'>{'Uppföljning av ' if draft.follow_up else ''}SIP-möte "
        f"i ärende {e(case.number)}</h3>",
        f"<p><b>Syfte:</b> {e(draft.purpose.strip())}</p>",
        f"<p><b>Tid:</b> {e(fmt(draft.starts_at))}, {draft.minutes} minuter<br>"
        f"<b>Plats:</b> {e(place)}"
        + (f"<br><b>Skäl till annan plats:</b> {e(draft.place_reason)}"
           if draft.place_reason.strip() else "")
        + (f"<br><b>Skäl till kort varsel:</b> {e(draft.short_notice_reason)}"
           if draft.short_notice_reason.strip() else "")
        + (f"<br><b>Videolänk:</b> {e(draft.video_link)}" if draft.video_link.strip() else "")
        + "</p>",
        ("<p><b>Tjänstemannamöte:</b> "
         + (f"{e(fmt(draft.staff_meeting_at))}, {e(draft.staff_meeting_place)}"
            if draft.staff_meeting_at else
            f"hoppas över ({e(draft.staff_meeting_skipped_reason)})") + "</p>"),
        f"<p><b>Deltagare ({len(draft.participants)}):</b></p><ul>{''.join(rows)}</ul>",
    ]
    return "".join(parts)
