"""The kallelse wizard's shared parts: its constants, the page base class and the small
helpers the pages share (participants from the case, the directory and relatives; warning boxes)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel,
    QWizardPage,
)

from sipdesk.contacts import DirectoryEntry
from sipdesk.invitation import (
    HowInvited,
    InvitationDraft,
    ParticipantInput,
    ParticipantKind,
)
from sipdesk.models import Case, ContactKind, PersonContact

from ...contacts.model import COLUMNS as DIRECTORY_COLUMNS
from ...contacts.model import Column
from ...fields import ERROR_STYLE, FieldForm

if TYPE_CHECKING:
    from .wizard import KallelseWizard

log = logging.getLogger("sipdesk.ui.kallelse")

DRAFT_NAME = "kallelse"
CONVENER_TEXT = "Du som kallar"
FOLLOW_UP_DRAFT_NAME = "kallelse_uppfoljning"
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

def default_way(phone: str, address: str, email: str) -> HowInvited:
    """A letter when there is an address, else a call, else e-mail."""
    if address.strip():
        return HowInvited.LETTER
    if phone.strip():
        return HowInvited.PHONE
    return HowInvited.EMAIL if email.strip() else HowInvited.LETTER


def home_address(case: Case) -> str:
    person = case.person
    town = " ".join(x for x in (person.postal_code, person.city) if x)
    return ", ".join(x for x in (person.address, town) if x)


def person_participant(case: Case) -> ParticipantInput:
    person = case.person
    address = home_address(case)
    return ParticipantInput(ParticipantKind.PERSON, person.full_name, role="Den enskilde",
                            phone=person.phone, address=address,
                            how_invited=default_way(person.phone, address, ""))


def relative_participant(contact: PersonContact) -> ParticipantInput:
    kind = ContactKind(contact.kind)
    role = kind.label + (f" ({contact.relation})" if contact.relation else "")
    return ParticipantInput(ParticipantKind.RELATIVE, contact.name, role=role,
                            phone=contact.phone, email=contact.email, address=contact.address,
                            how_invited=default_way(contact.phone, contact.address,
                                                    contact.email))


def directory_participant(entry: DirectoryEntry) -> ParticipantInput:
    participant = ParticipantInput.from_directory(entry)
    if not entry.has_account:
        participant.how_invited = default_way(entry.phone, entry.address, entry.email)
    return participant


def same_participant(a: ParticipantInput, b: ParticipantInput) -> bool:
    if a.user_id is not None or b.user_id is not None:
        return a.user_id == b.user_id
    if a.contact_id is not None or b.contact_id is not None:
        return a.contact_id == b.contact_id
    return a.kind is b.kind and a.name.casefold() == b.name.casefold()


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
