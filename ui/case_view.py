"""The case page: who the plan is for and where the case stands (read-only for now).

One tab, "Översikt", with the person (name, personal number, address, language and interpreter,
communication needs, relatives and representatives) and the case (number, status, unit,
coordinator, dates). Later issues add tabs for consent, invitations, the plan and follow-up.
"Tillbaka till ärendelistan" or Esc returns to the list (`back_requested`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sipdesk.models import Case, CaseStatus, ContactKind, Person, PersonContact

from .session import Session

NOT_GIVEN = "Ej angivet"


def format_date(value: dt.date | dt.datetime | None) -> str:
    """Swedish dates and times: 2026-03-14, 2026-03-14 09:30."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def communication_text(person: Person) -> str:
    needs = []
    if person.easy_read:
        needs.append("lättläst text")
    if person.picture_support:
        needs.append("bildstöd")
    if not needs:
        return "Inga särskilda behov angivna"
    text = " och ".join(needs)
    return text[0].upper() + text[1:]


def address_text(person: Person) -> str:
    town = " ".join(part for part in (person.postal_code, person.city) if part)
    lines = [part for part in (person.address, town) if part]
    return "\n".join(lines) if lines else NOT_GIVEN


def contact_text(contact: PersonContact) -> str:
    parts = [contact.name]
    if contact.relation:
        parts[0] += f" ({contact.relation})"
    for extra in (contact.phone, contact.email, contact.address):
        if extra:
            parts.append(extra)
    return ", ".join(parts)


def _value(text: str, *, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    # No word wrap: a wrapping label in a form row is given one line's height and loses the
    # rest of its text. The values are short; the page scrolls if one is not.
    return label


def _form(group: QGroupBox) -> QFormLayout:
    form = QFormLayout(group)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    form.setHorizontalSpacing(16)
    form.setVerticalSpacing(8)
    return form


class CaseView(QWidget):
    """The overview of one case; the main window shows it in place of the list."""

    back_requested = Signal()
    case_changed = Signal()  # something in the case was saved: the case list is out of date

    def __init__(
        self, case: Case, *, contacts: list[PersonContact], session: Session | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.case_id: int = case.id
        person: Person = case.person
        status = CaseStatus(case.status)

        self.back_button = QPushButton("← Tillbaka till ärendelistan")
        self.back_button.setObjectName("back_to_list")
        self.back_button.setToolTip("Tillbaka till ärendelistan (Esc)")
        self.back_button.clicked.connect(self.back_requested)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.back_requested)

        self.title = QLabel(f"{case.number} · {person.full_name}")
        self.title.setObjectName("case_title")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_badge = QLabel(status.label)
        self.status_badge.setObjectName("case_status")
        self.status_badge.setStyleSheet(
            "padding: 2px 10px; border-radius: 9px; background: #e3ecf7; color: #1d3d63;"
        )

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addSpacing(12)
        heading.addWidget(self.status_badge)
        heading.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tabs.addTab(self._overview(case, person, status, contacts), "Översikt")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(heading)
        layout.addWidget(self.tabs, 1)

    def _overview(
        self, case: Case, person: Person, status: CaseStatus, contacts: list[PersonContact],
    ) -> QWidget:
        person_box = QGroupBox("Personen")
        form = _form(person_box)
        form.addRow("Namn:", _value(person.full_name, name="person_name"))
        form.addRow("Personnummer:", _value(person.personal_number, name="personal_number"))
        form.addRow("Adress:", _value(address_text(person), name="address"))
        form.addRow("Telefon:", _value(person.phone or NOT_GIVEN, name="phone"))
        form.addRow("Språk:", _value(person.language or NOT_GIVEN, name="language"))
        form.addRow("Tolk:", _value(
            "Behöver tolk" if person.needs_interpreter else "Behöver inte tolk",
            name="interpreter"))
        form.addRow("Kommunikation:", _value(communication_text(person), name="communication"))

        contacts_box = QGroupBox("Närstående och företrädare")
        contact_form = _form(contacts_box)
        if contacts:
            for index, contact in enumerate(contacts):
                contact_form.addRow(
                    f"{ContactKind(contact.kind).label}:",
                    _value(contact_text(contact), name=f"contact_{index}"),
                )
        else:
            none = QLabel("Inga närstående eller företrädare registrerade.")
            none.setObjectName("no_contacts")
            none.setWordWrap(True)
            contact_form.addRow(none)

        case_box = QGroupBox("Ärendet")
        case_form = _form(case_box)
        case_form.addRow("Ärendenummer:", _value(case.number, name="case_number"))
        case_form.addRow("Status:", _value(status.label, name="status"))
        case_form.addRow("Enhet:", _value(case.unit.name, name="unit"))
        case_form.addRow("Samordningsansvarig:", _value(
            f"{case.coordinator.full_name} ({case.coordinator.initials})", name="coordinator"))
        case_form.addRow("Nästa datum:", _value(format_date(case.next_date), name="next_date"))
        case_form.addRow("Skapat:", _value(format_date(case.created_at), name="created"))
        case_form.addRow("Senast ändrat:", _value(format_date(case.updated_at), name="updated"))

        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        grid.addWidget(person_box, 0, 0)
        grid.addWidget(case_box, 0, 1)
        grid.addWidget(contacts_box, 1, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(2, 1)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        return scroll
