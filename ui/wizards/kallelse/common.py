"""The kallelse wizard's shared parts: its constants, the page base class and the small
helpers the pages share (warning boxes; the participant rows from the case, the directory and
relatives are the core's, `sipdesk.meetings.invitation_start`, re-exported here)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QLabel,
    QWizardPage,
)

from sipdesk.meetings.invitation import HowInvited, InvitationDraft
from sipdesk.meetings.invitation_start import (
    DRAFT_NAME,
    FOLLOW_UP_DRAFT_NAME,
    default_way,
    directory_participant,
    home_address,
    person_participant,
    relative_participant,
    same_participant,
)

from ...contacts.model import COLUMNS as DIRECTORY_COLUMNS
from ...contacts.model import Column
from ...fields import ERROR_STYLE, FieldForm

if TYPE_CHECKING:
    from .wizard import KallelseWizard

log = logging.getLogger("sipdesk.ui.kallelse")

__all__ = [
    "CONVENER_TEXT",
    "DRAFT_NAME",
    "FOLLOW_UP_DRAFT_NAME",
    "OUTSIDE_WAYS",
    "PAGE_KEY",
    "SEARCH_COLUMNS",
    "SEARCH_DELAY_MS",
    "KallelsePage",
    "app",
    "default_way",
    "directory_participant",
    "error_label",
    "fmt",
    "home_address",
    "person_participant",
    "relative_participant",
    "row_visible",
    "same_participant",
    "show_warnings",
    "warning_box",
]

CONVENER_TEXT = "Du som kallar"
PAGE_KEY = "wizard_page"  # which page the user was on, kept beside the draft
WARNING_STYLE = ("QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
                 " border-radius: 4px; padding: 6px 8px; }")
SEARCH_DELAY_MS = 150

# How someone without an account can be invited (users always get a message in sipdesk).
OUTSIDE_WAYS = (HowInvited.LETTER, HowInvited.PHONE, HowInvited.EMAIL)
SEARCH_COLUMNS = tuple(
    Column("Enhet", c.text) if c.header == "Organisation / enhet" else c
    for c in DIRECTORY_COLUMNS
    if c.header in ("Namn", "Roll", "Organisation / enhet", "Huvudman", "Lag", "I sipdesk"))


# ---- small helpers -----------------------------------------------------------------------------

_keeper: list[QObject] = []


def app() -> QObject:
    """What answers background work whose asker may close first (the wizard, a page): the
    runner's answer must not go to a window that is gone. One object for the whole app."""
    if not _keeper:
        _keeper.append(QObject())
    return _keeper[0]


def warning_box(name: str) -> QLabel:
    """A yellow box for warnings: shown, never blocking."""
    box = QLabel()
    box.setObjectName(name)
    box.setWordWrap(True)
    box.setStyleSheet(WARNING_STYLE)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.hide()
    return box


def show_warnings(box: QLabel, warnings: list[str]) -> None:
    box.setText("\n".join(f"⚠ {w}" for w in warnings))
    box.setVisible(bool(warnings))


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


def row_visible(form: FieldForm, name: str, visible: bool) -> None:
    """Show or hide the form row of input `name` (its label, input and message)."""
    box = form.errors[name].parentWidget()
    assert box is not None
    form.setRowVisible(box, visible)


def fmt(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d kl. %H:%M}" if moment else ""


# ---- the pages ---------------------------------------------------------------------------------

class KallelsePage(QWizardPage):
    """A page that reads and writes its part of the wizard's draft."""

    def kallelse(self) -> KallelseWizard:
        from .wizard import KallelseWizard  # the wizard is built from these pages

        wizard = self.wizard()
        assert isinstance(wizard, KallelseWizard)
        return wizard

    def load(self, draft: InvitationDraft) -> None:
        """Show the draft's values."""

    def store(self, draft: InvitationDraft) -> None:
        """Write what is on the page into the draft."""
