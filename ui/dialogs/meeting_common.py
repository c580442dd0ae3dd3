"""What the meeting dialogs share: date-and-time inputs in the Swedish format, the clock they
compare with (replaced in tests), and texts about participants."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime, QTimer
from PySide6.QtWidgets import QDateTimeEdit, QSizePolicy

from sipdesk.meetings.attendance import sent_substitute
from sipdesk.meetings.invitation import Answer, Participant, ParticipantKind
from sipdesk.storage.models import now

from .form_dialog import FormDialog

DATETIME_FORMAT = "yyyy-MM-dd HH:mm"


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day),
                     QTime(value.hour, value.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    day, time = value.date(), value.time()
    return dt.datetime(day.year(), day.month(), day.day(), time.hour(), time.minute())


def datetime_edit(value: dt.datetime, *, name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setDateTime(to_qdatetime(value))
    edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
    return edit


def clock() -> dt.datetime:
    """Now, as the meeting rules compare it (tests move it)."""
    return now()


def answer_text(p: Participant) -> str:
    """Kommer / Kan inte komma (ersättare …) / Inget svar än."""
    text = Answer(p.answer).label
    if p.answer == Answer.NOT_COMING.value and p.substitute_name:
        text += f" — ersättare {p.substitute_name}"
        if p.substitute_contact:
            text += f" ({p.substitute_contact})"
    return text


SENT_SUBSTITUTE = "Skickade ersättare"


def attendance_text(p: Participant) -> str:
    """After the meeting: Kom / Kom inte, or for an invitee who sent a substitute, whether the
    substitute came (the invitee themself did not)."""
    if p.attended is None:
        return ""
    if sent_substitute(p):
        return (f"{SENT_SUBSTITUTE} — {p.substitute_name.strip()} "
                f"{'kom' if p.attended else 'kom inte'}")
    return "Kom" if p.attended else "Kom inte"


def who(p: Participant) -> str:
    """Name and what they are there as, for lists in dialogs."""
    if p.kind == ParticipantKind.PROFESSIONAL.value:
        where = ", ".join(x for x in (p.role, p.unit_name or p.principal_name) if x)
    else:
        where = p.role or ParticipantKind(p.kind).label
    return f"{p.name} ({where})" if where else p.name


class MeetingFormDialog(FormDialog):
    """FormDialog that grows when a message appears under a field: a wrapping message needs the
    height for its width, which Qt does not give a window's minimum size by itself."""

    def on_revalidated(self, problems: dict[str, str]) -> None:
        QTimer.singleShot(0, self, self.fit_height)

    def accept(self) -> None:
        super().accept()
        if self.isVisible():
            QTimer.singleShot(0, self, self.fit_height)

    def show_warning(self, text: str) -> None:
        super().show_warning(text)
        QTimer.singleShot(0, self, self.fit_height)

    def fit_height(self) -> None:
        layout = self.layout()
        if layout is None or not layout.hasHeightForWidth():
            return
        needed = layout.totalHeightForWidth(self.width())
        if needed > self.height():
            self.resize(self.width(), needed)
