"""The pieces of the Kallelse tab (`meeting_tab`): the participants' table model, its columns,
the meeting's details, and the small builders the tab lays itself out with."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.evaluation import RespondentKind, kind_label
from sipdesk.meetings.invitation import (
    HowInvited,
    MeetingStatus,
    Participant,
    ParticipantKind,
    reached_via_guardians,
)
from sipdesk.meetings.meeting import PrimaryCareDecision
from sipdesk.meetings.meeting_page import MeetingPage
from sipdesk.storage.models import Law

from ..dialogs import meeting_common
from .base import value_label

ModelIndex = QModelIndex | QPersistentModelIndex
PARTICIPANT_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_TEXT = {MeetingStatus.PLANNED.value: "Planerat", MeetingStatus.CANCELLED.value: "Inställt",
               MeetingStatus.HELD.value: "Hållet"}


# ---- the participants table ----------------------------------------------------------------------

def role_text(p: Participant) -> str:
    return p.role or ParticipantKind(p.kind).label


def principal_text(p: Participant) -> str:
    return " · ".join(x for x in (p.principal_name, p.unit_name) if x)


def law_text(p: Participant) -> str:
    return Law(p.law).label if p.law else ""


PARTICIPANT_COLUMNS: tuple[tuple[str, Callable[[Participant], str]], ...] = (
    ("Namn", lambda p: p.name),
    ("Roll", role_text),
    ("Huvudman · enhet", principal_text),
    ("Lag", law_text),
    ("Kallad via", lambda p: HowInvited(p.how_invited).label),
    ("Närvaro", meeting_common.attendance_text),
    ("Svar", meeting_common.answer_text),
)


ROLE_COLUMN, PRINCIPAL_COLUMN, HOW_COLUMN = 1, 2, 4
VIA_GUARDIANS = "Via vårdnadshavarna"


class ParticipantsModel(QAbstractTableModel):
    """The meeting's participants; `participant(row)` gives one back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Participant] = []
        self._convener_id: int | None = None
        self._person_letter = True
        self._child = False

    def set_participants(self, rows: list[Participant], *, convener_id: int | None = None,
                         person_letter: bool = True, child: bool = False) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._convener_id = convener_id
        self._person_letter = person_letter
        self._child = child
        self.endResetModel()

    def participant(self, row: int) -> Participant | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PARTICIPANT_COLUMNS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        p = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if index.column() == HOW_COLUMN and p.user_id is not None \
                    and p.user_id == self._convener_id:
                return "Kallar"
            if index.column() == HOW_COLUMN and reached_via_guardians(
                    p, person_letter=self._person_letter):
                return VIA_GUARDIANS
            if index.column() == ROLE_COLUMN and self._child \
                    and p.kind == ParticipantKind.PERSON.value:
                return kind_label(RespondentKind.PERSON, child=True)  # "Barnet", not as stored
            return PARTICIPANT_COLUMNS[index.column()][1](p)
        if role == PARTICIPANT_ROLE:
            return p
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(PARTICIPANT_COLUMNS)):
            return PARTICIPANT_COLUMNS[section][0]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)


def tab_button(text: str, name: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.clicked.connect(slot)
    return button


def allow(button: QPushButton, why_not: str | None, *, tip: str = "") -> None:
    """Enabled when `why_not` is empty; otherwise disabled with the reason as its tooltip."""
    button.setEnabled(not why_not)
    button.setToolTip(why_not or tip)


# ---- the tab -----------------------------------------------------------------------------------

class Rows:
    """Caption and value rows in a grid (a wrapping value gets the room it needs)."""

    def __init__(self, holder: QWidget) -> None:
        self.grid = QGridLayout(holder)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self._rows = 0

    def text(self, caption: str, text: str, *, name: str) -> QLabel:
        label = value_label(text, name=name, wrap=True)
        self.grid.addWidget(QLabel(caption), self._rows, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(label, self._rows, 1)
        self._rows += 1
        return label


MAX_ROWS_SHOWN = 12


def fit_rows(table: QTableView, rows: int) -> None:
    """As tall as its rows (up to a dozen; then it scrolls): the page scrolls, not the table."""
    shown = max(1, min(rows, MAX_ROWS_SHOWN))
    header = table.horizontalHeader().sizeHint().height()
    scrollbar = table.horizontalScrollBar().sizeHint().height()
    table.setFixedHeight(header + shown * table.verticalHeader().defaultSectionSize()
                         + scrollbar + 2 * table.frameWidth())


def clear_layout(layout: QVBoxLayout) -> None:
    item = layout.takeAt(0)
    while item is not None:
        widget = item.widget()
        if widget is not None:
            widget.hide()  # gone now, not only when the event loop deletes it
            widget.setParent(None)
            widget.deleteLater()
        item = layout.takeAt(0)


def meeting_details(page: MeetingPage) -> QWidget:
    """The meeting's time, place, purpose, status, staff meeting and mobile care team check, as
    read (`page.meeting` is set)."""
    m = page.meeting
    assert m is not None
    holder = QWidget()
    details = Rows(holder)
    kind = "Uppföljning" if m.follow_up else "SIP-möte"
    details.text("Tid:", f"{m.starts_at:%Y-%m-%d kl. %H:%M}–{m.ends_at:%H:%M} "
                         f"({m.minutes} minuter) · {kind}", name="meeting_time")
    details.text("Plats:", m.place + (f" — skäl: {m.place_reason}" if m.place_reason else ""),
                 name="meeting_place")
    if m.video_link:
        details.text("Video:", m.video_link, name="meeting_video")
    details.text("Syfte:", m.purpose, name="meeting_purpose")
    status = STATUS_TEXT.get(m.status, m.status)
    if m.status == MeetingStatus.CANCELLED.value:
        status += f" — {m.cancelled_reason}"
    details.text("Status:", status, name="meeting_status")
    if m.staff_meeting_at is not None:
        staff = f"{m.staff_meeting_at:%Y-%m-%d kl. %H:%M}, {m.staff_meeting_place}"
    else:
        staff = f"Hoppas över — {m.staff_meeting_skipped_reason}"
    record = page.staff_record
    if record is not None:
        moved = record.coordinator_moved_to
        staff += (f"\nHölls {record.held_on:%Y-%m-%d}: ordförande {record.chair}, "
                  f"antecknare {record.note_taker}. Samordningsansvaret "
                  + (f"flyttades till {moved.full_name}." if moved is not None
                     else "stannar."))
        staff += (f"\n”Min nuvarande situation”: {record.writes_situation}. Huvudmålet: "
                  f"{record.writes_main_goal}.")
    details.text("Tjänstemannamöte:", staff, name="staff_meeting_text")
    check = page.mobile_check
    if check is not None:
        answers = {key: bool(getattr(check, key)) for key in meetings.CRITERIA}
        met = meetings.criteria_met(answers)
        text = (f"{met} av 6 kriterier"
                + (" — uppfyller kriterierna" if meetings.is_eligible(answers) else "")
                + f". {PrimaryCareDecision(check.decision).label}.")
        if check.refused_reason:
            text += f" Skäl: {check.refused_reason}."
        details.text("Mobilt vårdteam:", text, name="mobile_team_text")
    return holder
