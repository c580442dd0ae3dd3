"""Small widgets the plan's wizard and dialogs share: a date that may be left empty, and the
plain-language warning shown under a text meant for the person (DOMAIN step 8: no
abbreviations, jargon or medical terms — a warning with a suggestion, never a block)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from sipdesk.plans import plan

from .dates import DateEdit, from_qdate, to_qdate

HINT_BOX_STYLE = ("QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
                  " border-radius: 4px; padding: 2px 8px; }")
NO_DATE = "Inget datum"


class OptionalDateEdit(DateEdit):
    """A date that may be empty: the lowest date of the range reads "Inget datum" and means
    None. The first real date is the day after `empty_at`."""

    def __init__(self, day: dt.date | None, *, empty_at: dt.date,
                 maximum: dt.date | None = None, empty_text: str = NO_DATE,
                 parent: QWidget | None = None) -> None:
        super().__init__(day or empty_at, minimum=empty_at, maximum=maximum, parent=parent)
        self.empty_at = empty_at
        self.setSpecialValueText(empty_text)

    def optional_value(self) -> dt.date | None:
        day = from_qdate(self.date())
        return None if day <= self.empty_at else day

    def set_optional(self, day: dt.date | None) -> None:
        self.setDate(to_qdate(day or self.empty_at))

    def clear_date(self) -> None:
        self.set_optional(None)


def hint_text(text: str) -> str:
    """The warnings for one text, one line per word: “ADL” — skriv hellre: …"""
    return "\n".join(f"⚠ ”{word}” är svårt för många — skriv hellre: {suggestion}"
                     for word, suggestion in plan.text_hints(text))


def short_hint_text(text: str) -> str:
    """What the one reserved line says: one word with its suggestion, or several words named
    (their suggestions are in the tooltip and on the page Granska)."""
    hits = plan.text_hints(text)
    if len(hits) <= 1:
        return hint_text(text)
    return ("⚠ Svårt för många: " + ", ".join(f"”{word}”" for word, _s in hits)
            + " — håll muspekaren här för förslag på vanliga ord.")


class PlainLanguageLabel(QLabel):
    """A yellow warning under a text field, updated as the user types. Put it in the layout
    through `slot()`: one line's room is kept while it is hidden, so the fields below do not
    jump under the user's cursor when a warning appears or goes, and a field without a
    warning leaves only a small gap. A warning longer than the line ends in "…"; the tooltip
    (and the screen reader's description) has all of it, with a suggestion for every word."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"plain_{name}")
        self.setWordWrap(False)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(HINT_BOX_STYLE)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Ignored width: a long warning never widens the window; it is elided instead.
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.full_text = ""
        self._slot: QWidget | None = None
        self.hide()

    def slot(self) -> QWidget:
        """A fixed-height holder for this label: always in the layout, empty when all is fine."""
        if self._slot is None:
            holder = QWidget()
            holder.setObjectName(f"{self.objectName()}_slot")
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 1, 0, 1)
            column.addWidget(self)
            # One line of text, the box's padding (2 + 2), border (1 + 1) and margins (1 + 1).
            holder.setFixedHeight(self.fontMetrics().lineSpacing() + 8)
            holder.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self._slot = holder
        return self._slot

    def check(self, text: str) -> None:
        if self._slot is None:  # free-standing: all of it, wrapped
            self.setWordWrap(True)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        shown = short_hint_text(text) if self._slot is not None else hint_text(text)
        if shown != self.full_text:
            self.full_text = shown
            full = hint_text(text) if shown else ""
            self.setToolTip(full)
            self.setAccessibleDescription(full)
            self._elide()
        self.setVisible(bool(shown))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        if self._slot is None:
            self.setText(self.full_text)
            return
        width = self.contentsRect().width() - 16  # the box's horizontal padding
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                              max(width, 40))
        if shown != self.text():
            self.setText(shown)
