"""The kallelse wizard's Tid och plats and Personalmöte pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework import protected
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import (
    DEFAULT_MINUTES,
    HOME_WORDS,
    MAX_MINUTES,
    InvitationDraft,
    Meeting,
    default_staff_meeting,
    default_start,
    home_word,
)
from sipdesk.storage.models import Case

from ...dialogs.meeting_common import from_qdatetime, to_qdatetime
from ...fields import FieldForm, limited
from .common import KallelsePage, fmt, home_address, row_visible, show_warnings, warning_box


class TimePlacePage(KallelsePage):
    """3 Tid och plats: two to three weeks ahead, 45 minutes (at most 60), at home unless there
    is a reason; a shorter notice needs a reason too."""

    def __init__(self, case: Case, *, clock: Callable[[], dt.datetime],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case = case
        self.clock = clock
        self.setTitle("Steg 3 av 5 · Tid och plats")
        self.setSubTitle("Kalla två till tre veckor i förväg och boka 45 minuter, högst en "
                         "timme. Mötet hålls hemma hos den enskilde om det inte finns skäl "
                         "för en annan plats.")
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.starts_at = QDateTimeEdit()
        self.starts_at.setObjectName("starts_at")
        self.starts_at.setCalendarPopup(True)
        self.starts_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.starts_at.setDateTime(to_qdatetime(default_start(clock().date())))
        self.weekday = QLabel()
        self.weekday.setObjectName("weekday")
        # What the chosen time means — a holiday, a weekend, outside office hours, short
        # notice — is said right under it: a warning, not a refusal (invitation.time_warnings).
        self.warnings = warning_box("time_warnings")
        when = QWidget()
        when_column = QVBoxLayout(when)
        when_column.setContentsMargins(0, 0, 0, 0)
        when_column.setSpacing(4)
        when_row = QHBoxLayout()
        when_row.addWidget(self.starts_at)
        when_row.addWidget(self.weekday)
        when_row.addStretch(1)
        when_column.addLayout(when_row)
        when_column.addWidget(self.warnings)
        self.form.add("starts_at", "Dag och tid *", when)
        self.form.inputs["starts_at"] = self.starts_at  # the red frame on the input itself
        self.short_notice_reason = limited(QLineEdit(), Meeting.short_notice_reason)
        self.short_notice_reason.setObjectName("short_notice_reason")
        self.short_notice_reason.setPlaceholderText("t.ex. Hemgång från sjukhuset på fredag")
        self.form.add("short_notice_reason", "Skäl till kort varsel *", self.short_notice_reason)
        self.minutes = QSpinBox()
        self.minutes.setObjectName("minutes")
        self.minutes.setRange(15, MAX_MINUTES)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(" minuter")
        self.minutes.setToolTip(f"Boka {DEFAULT_MINUTES} minuter, högst en timme.")
        self.minutes.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        length = QWidget()
        length_row = QHBoxLayout(length)
        length_row.setContentsMargins(0, 0, 0, 0)
        length_row.addWidget(self.minutes)
        length_row.addWidget(QLabel(f"högst {MAX_MINUTES} minuter"))
        length_row.addStretch(1)
        self.form.add("minutes", "Längd", length)
        self.form.inputs["minutes"] = self.minutes

        self.at_home = QRadioButton(home_word(case.person, self.clock().date()))
        self.at_home.setObjectName("at_home")
        self.elsewhere = QRadioButton("Annan plats")
        self.elsewhere.setObjectName("elsewhere")
        self._place_group = QButtonGroup(self)
        self._place_group.addButton(self.at_home)
        self._place_group.addButton(self.elsewhere)
        self.at_home.setChecked(True)
        address = home_address(case)
        if protected.address_hidden(case.person):  # skyddad identitet: never on a screen
            address = protected.HIDDEN_ADDRESS
        self.home_address = QLabel(address or "Adressen saknas — kontrollera den under "
                                              "Översikt innan kallelsen skickas.")
        self.home_address.setObjectName("home_address")
        self.home_address.setEnabled(False)
        place = QWidget()
        place_column = QVBoxLayout(place)
        place_column.setContentsMargins(0, 0, 0, 0)
        place_column.setSpacing(2)
        home_row = QHBoxLayout()
        home_row.addWidget(self.at_home)
        home_row.addWidget(self.home_address)
        home_row.addStretch(1)
        place_column.addLayout(home_row)
        place_column.addWidget(self.elsewhere)
        self.form.addRow("Plats", place)
        self.place = limited(QLineEdit(), Meeting.place)
        self.place.setObjectName("place")
        self.place.setPlaceholderText("t.ex. Vårdcentralen Exempelby, rum 3")
        self.form.add("place", "Annan plats *", self.place)
        self.place_reason = limited(QLineEdit(), Meeting.place_reason)
        self.place_reason.setObjectName("place_reason")
        self.place_reason.setPlaceholderText("t.ex. Den enskilde vill inte ha möte hemma")
        self.form.add("place_reason", "Skäl till annan plats *", self.place_reason)
        self.video_link = limited(QLineEdit(), Meeting.video_link)
        self.video_link.setObjectName("video_link")
        self.video_link.setPlaceholderText("https://… (om någon deltar på video)")
        self.form.add("video_link", "Videolänk", self.video_link)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)

        self.starts_at.dateTimeChanged.connect(lambda _v: self._changed("starts_at"))
        self.short_notice_reason.textEdited.connect(
            lambda _t: self._changed("short_notice_reason"))
        self.minutes.valueChanged.connect(lambda _v: self._changed("minutes"))
        self.at_home.toggled.connect(lambda _on: self._changed("place"))
        self.place.textEdited.connect(lambda _t: self._changed("place"))
        self.place_reason.textEdited.connect(lambda _t: self._changed("place_reason"))
        self.video_link.textEdited.connect(lambda _t: self._changed("video_link"))
        self._update()

    def load(self, draft: InvitationDraft) -> None:
        if draft.starts_at is not None:
            self.starts_at.setDateTime(to_qdatetime(draft.starts_at))
        self.minutes.setValue(draft.minutes)
        other = bool(draft.place.strip()) and draft.place.strip() not in HOME_WORDS
        (self.elsewhere if other else self.at_home).setChecked(True)
        self.place.setText(draft.place if other else "")
        self.place_reason.setText(draft.place_reason)
        self.video_link.setText(draft.video_link)
        self.short_notice_reason.setText(draft.short_notice_reason)
        self._update()

    def store(self, draft: InvitationDraft) -> None:
        draft.starts_at = from_qdatetime(self.starts_at.dateTime())
        draft.minutes = self.minutes.value()
        draft.place = self.place.text() if self.elsewhere.isChecked() else ""
        draft.place_reason = self.place_reason.text() if self.elsewhere.isChecked() else ""
        draft.video_link = self.video_link.text()
        draft.short_notice_reason = (self.short_notice_reason.text()
                                     if self.short_notice_visible() else "")

    def short_notice_visible(self) -> bool:
        return invitation.is_short_notice(from_qdatetime(self.starts_at.dateTime()),
                                          self.clock())

    def _changed(self, name: str) -> None:
        self.form.clear_error(name)
        self._update()

    def _update(self) -> None:
        start = from_qdatetime(self.starts_at.dateTime())
        days = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
        self.weekday.setText(f"{days[start.weekday()]} · slutar kl. "
                             f"{start + dt.timedelta(minutes=self.minutes.value()):%H:%M}")
        row_visible(self.form, "short_notice_reason", self.short_notice_visible())
        other = self.elsewhere.isChecked()
        for name in ("place", "place_reason"):
            row_visible(self.form, name, other)
        draft = InvitationDraft()
        self.store(draft)
        show_warnings(self.warnings, invitation.check_time_and_place(
            self.case, draft, current=self.clock()).warnings)

    def validatePage(self) -> bool:
        draft = self.kallelse().collect()
        check = invitation.check_time_and_place(self.case, draft, current=self.clock())
        if self.elsewhere.isChecked() and not draft.place.strip():
            check.problems.setdefault("place", "Skriv var mötet hålls.")
        self.form.clear_errors()
        for name, message in check.problems.items():
            if not self.form.show_error(name, message):
                self.form.show_error("starts_at", message)
        show_warnings(self.warnings, check.warnings)
        if not check.ok:
            self.form.inputs[next(iter(check.problems))].setFocus()
        return check.ok


class StaffMeetingPage(KallelsePage):
    """4 Tjänstemannamöte: propose time and place for the staff meeting before the SIP meeting,
    or skip it with a reason (seed 000)."""

    def __init__(self, *, clock: Callable[[], dt.datetime], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.setTitle("Steg 4 av 5 · Tjänstemannamöte")
        self.setSubTitle("Föreslå tid och plats för ett tjänstemannamöte före SIP-mötet. Där "
                         "utses ordförande, och ni bestämmer vem som skriver vad.")
        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.skip = QCheckBox("Hoppa över tjänstemannamötet")
        self.skip.setObjectName("skip_staff_meeting")
        self.form.addRow("", self.skip)
        self.at = QDateTimeEdit()
        self.at.setObjectName("staff_meeting_at")
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.at.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.form.add("staff_meeting_at", "Dag och tid *", self.at)
        self.place = limited(QLineEdit(), Meeting.staff_meeting_place)
        self.place.setObjectName("staff_meeting_place")
        self.place.setPlaceholderText("t.ex. Teams, eller Biståndsenhetens samtalsrum")
        self.form.add("staff_meeting_place", "Plats *", self.place)
        self.reason = limited(QLineEdit(), Meeting.staff_meeting_skipped_reason)
        self.reason.setObjectName("staff_meeting_skipped_reason")
        self.reason.setPlaceholderText("t.ex. Alla berörda träffades förra veckan")
        self.form.add("staff_meeting_skipped_reason", "Skäl att hoppa över *", self.reason)
        self.sip_time = QLabel()
        self.sip_time.setObjectName("sip_time")
        self.sip_time.setEnabled(False)
        self.form.addRow("", self.sip_time)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addStretch(1)
        self._visited = False  # a time is proposed once the page has been shown
        self._edited_by_user = False  # otherwise it follows the SIP meeting's time
        self.skip.toggled.connect(self._update)
        self.at.dateTimeChanged.connect(lambda _v: self._edited())
        self.place.textEdited.connect(lambda _t: self.form.clear_error("staff_meeting_place"))
        self.reason.textEdited.connect(lambda _t: self.form.clear_error("staff_meeting_at"))
        self._update()

    def _edited(self) -> None:
        self._edited_by_user = True
        self.form.clear_error("staff_meeting_at")

    def initializePage(self) -> None:
        starts_at = self.kallelse().collect().starts_at
        if starts_at is not None:
            if not self._edited_by_user:
                self.at.blockSignals(True)
                self.at.setDateTime(to_qdatetime(default_staff_meeting(starts_at, self.clock())))
                self.at.blockSignals(False)
            self.sip_time.setText(f"SIP-mötet: {fmt(starts_at)}")
        self._visited = True
        (self.reason if self.skip.isChecked() else self.place).setFocus()

    def _update(self) -> None:
        skipped = self.skip.isChecked()
        for name in ("staff_meeting_at", "staff_meeting_place"):
            row_visible(self.form, name, not skipped)
        row_visible(self.form, "staff_meeting_skipped_reason", skipped)
        self.form.clear_errors()

    def load(self, draft: InvitationDraft) -> None:
        skipped = draft.staff_meeting_at is None and bool(draft.staff_meeting_skipped_reason)
        self.skip.setChecked(skipped)
        if draft.staff_meeting_at is not None:
            self.at.setDateTime(to_qdatetime(draft.staff_meeting_at))
            self._visited = self._edited_by_user = True
        self.place.setText(draft.staff_meeting_place)
        self.reason.setText(draft.staff_meeting_skipped_reason)
        self._update()

    def store(self, draft: InvitationDraft) -> None:
        if self.skip.isChecked():
            draft.staff_meeting_at = None
            draft.staff_meeting_place = ""
            draft.staff_meeting_skipped_reason = self.reason.text()
        else:
            draft.staff_meeting_at = (from_qdatetime(self.at.dateTime()) if self._visited
                                      else None)
            draft.staff_meeting_place = self.place.text()
            draft.staff_meeting_skipped_reason = ""

    def validatePage(self) -> bool:
        draft = self.kallelse().collect()
        check = invitation.check_staff_meeting(draft)
        if self.skip.isChecked() and "staff_meeting_at" in check.problems:
            check.problems["staff_meeting_skipped_reason"] = check.problems.pop(
                "staff_meeting_at")
        self.form.clear_errors()
        for name, message in check.problems.items():
            self.form.show_error(name, message)
        if not check.ok:
            self.form.inputs[next(iter(check.problems))].setFocus()
        return check.ok
