"""Small widgets the plan's wizard and dialogs share: a date that may be left empty, and the
plain-language warning shown under a text meant for the person (DOMAIN step 8: no
abbreviations, jargon or medical terms — a warning with a suggestion, never a block)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from sipdesk import plan

from .dates import DateEdit, from_qdate, to_qdate

HINT_BOX_STYLE = ("QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
                  " border-radius: 4px; padding: 4px 8px; }")
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


class PlainLanguageLabel(QLabel):
    """A yellow warning under a text field, updated as the user types."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"plain_{name}")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(HINT_BOX_STYLE)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.hide()

    def check(self, text: str) -> None:
        warnings = hint_text(text)
        if warnings != self.text():
            self.setText(warnings)
        self.setVisible(bool(warnings))
