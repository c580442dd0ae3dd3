"""Översikt: where the case stands and what comes next.

- **Nästa steg**: the next step of the case's state (`sipdesk.desk.next_step`, one rule for every
  state), what is missing before it (the core's own words), and a button for each action the
  case view can run — enabled when the state allows it, otherwise disabled with the reason as
  tooltip (`ui.case_tabs.actions`); the kallelse is "Kalla till uppföljning…" once a plan is
  approved.
- **Personen** and **Närstående och företrädare**, as registered; for a child (seed 002) the
  guardians with their custody and language, "Lägg till vårdnadshavare…", "Ändra…" and
  "Ta bort…" (custody changed; what they answered is kept), a guardian
  who may not be told marked with the reason, and who gets letters and copies.
- **Ärendet**: number, status, unit, coordinator, the next date and what it is (none once the
  case has ended), and the consent with days left (warning colour 30 days before it lapses;
  "gällde" only for a date that has passed).
- **Behovet** (DOMAIN step 1): who noticed it, when, the need in the person's words and the
  question; "Registrera behov…" / "Ändra behov…".
- **Status**: the current state and its recent history.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk.casework import guardians, protected
from sipdesk.casework.consent import is_child
from sipdesk.casework.lifecycle import Action
from sipdesk.desk import case_page
from sipdesk.desk.case_page import Need, Overview, StatusLine
from sipdesk.desk.next_step import NextStep
from sipdesk.storage.models import ContactKind, Person, PersonContact, Role

from ..flow_layout import FlowLayout
from . import actions
from .base import (
    NOT_GIVEN,
    WARN_STYLE,
    CaseContext,
    CaseTab,
    Details,
    format_date,
    lock_if_read_only,
    scrolling,
    set_page,
    value_label,
)

# A next step taken on another tab: the overview says where.
_TAKEN_ON_TAB = {Action.HOLD_MEETING: "Kallelse", Action.START_DOCUMENTATION: "Planen",
                 Action.APPROVE_PLAN: "Planen"}


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
    if protected.address_hidden(person):
        return protected.HIDDEN_ADDRESS
    town = " ".join(part for part in (person.postal_code, person.city) if part)
    lines = [part for part in (person.address, town) if part]
    return "\n".join(lines) if lines else NOT_GIVEN


def contact_text(contact: PersonContact) -> str:
    parts = [contact.name]
    if contact.relation:
        parts[0] += f" ({contact.relation})"
    if contact.kind == ContactKind.GUARDIAN.value and contact.custody:
        parts.append(guardians.custody_text(contact).lower())
    for extra in (contact.phone, contact.email, contact.address):
        if extra:
            parts.append(extra)
    if contact.kind == ContactKind.GUARDIAN.value:
        language = contact.language.strip()
        if contact.needs_interpreter:
            parts.append(f"behöver tolk{' på ' + language if language else ''}")
        elif language and language.casefold() != "svenska":
            parts.append(f"talar {language}")
    return ", ".join(parts)


def next_step_text(step: NextStep) -> str:
    """The next step, and the tab where it is taken when that is not this one."""
    tab = _TAKEN_ON_TAB.get(step.action) if step.action is not None else None
    return f"{step.text} Det görs på fliken {tab}." if tab else step.text


def _left(widget: QWidget) -> QWidget:
    """`widget` at its natural width (a coloured label should not fill the whole row)."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(widget)
    row.addStretch(1)
    return holder


class OverviewTab(CaseTab):
    title = "Översikt"

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._scroll = scrolling(QWidget())
        self._layout.addWidget(self._scroll)
        self.action_buttons: dict[Action, QPushButton] = {}

    def load(self, context: CaseContext) -> Overview:
        return case_page.overview(context.case, context.today)

    def show_data(self, data: object) -> None:
        assert isinstance(data, Overview)
        context = self.context
        self.step = data.step
        old = self._scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(12, 12, 12, 12)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        grid.addWidget(self._next_steps(context, data), 0, 0, 1, 2)
        grid.addWidget(self._person(context.person), 1, 0)
        grid.addWidget(self._case(context, data), 1, 1)
        grid.addWidget(self._need(context, data.need), 2, 0)
        grid.addWidget(self._status(context, data.history), 2, 1)
        grid.addWidget(self._contacts(context, data), 3, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(4, 1)
        set_page(self._scroll, page)

    # ---- sections ---------------------------------------------------------------------------

    def _next_steps(self, context: CaseContext, data: Overview) -> QGroupBox:
        box = QGroupBox("Nästa steg")
        box.setObjectName("next_steps")
        column = QVBoxLayout(box)
        column.setSpacing(8)
        step = self.step
        now = value_label(next_step_text(step), name="next_step", wrap=True)
        now.setStyleSheet("font-weight: bold;")
        column.addWidget(now)
        missing = data.missing
        if missing:
            heading = QLabel("Det här saknas:")
            heading.setObjectName("missing_heading")
            column.addWidget(heading)
            for index, text in enumerate(missing):
                column.addWidget(value_label(f"•  {text}", name=f"missing_{index}", wrap=True))
        self.action_buttons = {}
        buttons: list[QPushButton] = []
        for action in actions.ACTION_HANDLERS:
            button = actions.action_button(action, data.actions[action], run=self._run,
                                           child=is_child(self.context.person,
                                                          self.context.today))
            if action is Action.INVITE:  # a follow-up once a plan is approved
                button.setText(f"{data.invite_label}…")
            self.action_buttons[action] = button
            buttons.append(button)
        if data.can_renew_consent:
            renew = QPushButton("Förnya samtycke…")
            renew.setObjectName("renew_consent")
            renew.setAutoDefault(False)
            renew.clicked.connect(self._renew)
            buttons.insert(1, renew)
        for button in buttons:  # another unit's case: nothing changes it from here either
            lock_if_read_only(button, context)
        # The buttons wrap onto a second row rather than push the page sideways: in one row
        # they are wider than a 1200-pixel window, and the last ones were cut.
        row = FlowLayout(spacing=8)
        row.setObjectName("action_row")
        for button in buttons:
            row.addWidget(button)
        column.addLayout(row)
        return box

    def _person(self, person: Person) -> QGroupBox:
        box = QGroupBox("Personen")
        rows = Details(box)
        rows.text("Namn:", person.full_name, name="person_name")
        rows.text("Personnummer:", person.personal_number, name="personal_number")
        rows.text("Adress:", address_text(person), name="address")
        if protected.is_protected(person):
            shield = value_label(protected.protection_of(person).label, name="protection")
            shield.setStyleSheet(WARN_STYLE)
            rows.add("Skyddad identitet:", _left(shield))
        user, case = self.context.user, self.context.case
        if user.role == Role.ADMINISTRATOR.value or case.coordinator_id == user.id:
            mark = QPushButton("Skyddad identitet…")
            mark.setObjectName("mark_protection")
            mark.setAutoDefault(False)
            mark.clicked.connect(self._mark_protection)
            lock_if_read_only(mark, self.context)
            rows.span(_left(mark))
        rows.text("Telefon:", person.phone or NOT_GIVEN, name="phone")
        rows.text("Språk:", person.language or NOT_GIVEN, name="language")
        rows.text("Tolk:", "Behöver tolk" if person.needs_interpreter else "Behöver inte tolk",
                  name="interpreter")
        rows.text("Kommunikation:", communication_text(person), name="communication")
        return box

    def _case(self, context: CaseContext, data: Overview) -> QGroupBox:
        case = context.case
        box = QGroupBox("Ärendet")
        rows = Details(box)
        rows.text("Ärendenummer:", case.number, name="case_number")
        rows.text("Status:", context.status.label, name="status")
        consent_label = value_label(data.consent_text, name="consent_state")
        if data.consent_warns:
            consent_label.setStyleSheet(WARN_STYLE)
        rows.add("Samtycke:", _left(consent_label))
        rows.text("Enhet:", case.unit.name, name="unit")
        rows.text("Samordningsansvarig:",
                  f"{case.coordinator.full_name} ({case.coordinator.initials})",
                  name="coordinator")
        rows.text("Nästa datum:", self.step.date_text, name="next_date")
        rows.text("Skapat:", format_date(case.created_at), name="created")
        rows.text("Senast ändrat:", format_date(case.updated_at), name="updated")
        return box

    def _need(self, context: CaseContext, need: Need | None) -> QGroupBox:
        box = QGroupBox("Behovet")
        box.setObjectName("need_box")
        column = QVBoxLayout(box)
        column.setSpacing(4)
        if need is None:
            column.addWidget(value_label("Behovet är inte beskrivet ännu.", name="need_missing",
                                         wrap=True))
        else:
            for caption, text, name in (
                ("Uppmärksammat av", f"{need.noticed}, {format_date(need.noticed_on)}",
                 "noticed"),
                ("Behovet, med den enskildes ord", need.need, "need"),
                ("Frågan SIP:en ska besvara", need.question, "question"),
            ):
                title = QLabel(caption)
                title.setStyleSheet("font-weight: bold;")
                column.addWidget(title)
                column.addWidget(value_label(text, name=name, wrap=True))
                column.addSpacing(4)
        button = QPushButton("Ändra behov…" if need else "Registrera behov…")
        button.setObjectName("edit_need")
        button.setAutoDefault(False)
        button.clicked.connect(self._edit_need)
        lock_if_read_only(button, context)
        row = QHBoxLayout()
        row.addWidget(button)
        row.addStretch(1)
        column.addStretch(1)
        column.addLayout(row)
        return box

    def _status(self, context: CaseContext, changes: list[StatusLine]) -> QGroupBox:
        box = QGroupBox("Status")
        column = QVBoxLayout(box)
        column.setSpacing(4)
        current = value_label(context.status.label, name="status_now")
        current.setStyleSheet("font-weight: bold;")
        column.addWidget(current)
        if not changes:
            column.addWidget(value_label(
                f"Ärendet skapades {format_date(context.case.created_at)}.",
                name="status_history_0"))
        for index, change in enumerate(reversed(changes)):
            text = (f"{format_date(change.at)}  {change.from_status.label} → "
                    f"{change.to_status.label}  ({change.by})")
            if change.reason:
                text += f"\n{change.reason}"
            column.addWidget(value_label(text, name=f"status_history_{index}", wrap=True))
        column.addStretch(1)
        return box

    def _contacts(self, context: CaseContext, data: Overview) -> QGroupBox:
        """The relatives and representatives; for a child the guardians with their custody,
        language, whether they may be told about the child — and who gets letters."""
        box = QGroupBox("Närstående och företrädare")
        box.setObjectName("contacts_box")
        rows = Details(box)
        contacts = context.contacts
        for index, contact in enumerate(contacts):
            caption = f"{ContactKind(contact.kind).label}:"
            if contact.kind != ContactKind.GUARDIAN.value:
                rows.text(caption, contact_text(contact), name=f"contact_{index}")
                continue
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            line = QHBoxLayout()
            line.addWidget(value_label(contact_text(contact), name=f"contact_{index}",
                                       wrap=True), 1)
            edit = QPushButton("Ändra…")
            edit.setObjectName(f"edit_guardian_{contact.id}")
            edit.setAutoDefault(False)
            edit.clicked.connect(lambda _c=False, chosen=contact: self._edit_guardian(chosen))
            lock_if_read_only(edit, context)
            line.addWidget(edit, 0, Qt.AlignmentFlag.AlignTop)
            remove = QPushButton("Ta bort…")
            remove.setObjectName(f"remove_guardian_{contact.id}")
            remove.setAutoDefault(False)
            remove.setToolTip("Ta bort som vårdnadshavare, t.ex. när vårdnaden har ändrats. "
                              "Det hen har svarat finns kvar.")
            remove.clicked.connect(
                lambda _c=False, chosen=contact: self._remove_guardian(chosen))
            lock_if_read_only(remove, context)
            line.addWidget(remove, 0, Qt.AlignmentFlag.AlignTop)
            column.addLayout(line)
            if not guardians.informed(contact):
                why = guardians.withheld_reason(contact)
                warn = value_label(f"{why[:1].upper()}{why[1:]} — inga brev eller exemplar "
                                   "skapas till hen.",
                                   name=f"not_informed_{contact.id}", wrap=True)
                warn.setStyleSheet(WARN_STYLE)
                column.addWidget(warn)
            rows.add(caption, holder)
        if not contacts:
            rows.span(value_label("Inga närstående eller företrädare registrerade.",
                                  name="no_contacts", wrap=True))
        if data.child:
            registered = [c for c in contacts if c.kind == ContactKind.GUARDIAN.value]
            add = QPushButton("Lägg till vårdnadshavare…")
            add.setObjectName("add_guardian")
            add.setAutoDefault(False)
            add.clicked.connect(self._add_guardian)
            full = len(registered) >= guardians.MAX_GUARDIANS
            add.setEnabled(not full)
            add.setToolTip("Ett barn har högst två vårdnadshavare." if full else "")
            lock_if_read_only(add, context)
            rows.span(_left(add))
            for index, note in enumerate(data.paper_notes):
                rows.span(value_label(note, name=f"paper_note_{index}", wrap=True))
        return box

    # ---- commands -----------------------------------------------------------------------------

    def _run(self, action: Action) -> None:
        actions.run_action(self, self.context, action, then=self.changed.emit)

    def _renew(self) -> None:
        actions.give_consent(self, self.context, lambda _saved: self.changed.emit())

    def _mark_protection(self) -> None:
        from ..dialogs.protected_dialogs import ProtectionDialog

        if ProtectionDialog.ask(self, self.context.session, self.context.person) is not None:
            self.changed.emit()

    def _guardians(self) -> list[PersonContact]:
        return [c for c in self.context.contacts if c.kind == ContactKind.GUARDIAN.value]

    def _add_guardian(self) -> None:
        from ..dialogs.guardian_dialog import GuardianDialog

        if GuardianDialog.ask(self, self.context.session, self.context.person,
                              others=self._guardians()) is not None:
            self.changed.emit()

    def _edit_guardian(self, contact: PersonContact) -> None:
        from ..dialogs.guardian_dialog import GuardianDialog

        if GuardianDialog.ask(self, self.context.session, self.context.person,
                              others=self._guardians(), existing=contact) is not None:
            self.changed.emit()

    def _remove_guardian(self, contact: PersonContact) -> None:
        from ..dialogs.guardian_dialog import RemoveGuardianDialog

        if RemoveGuardianDialog.ask(self, self.context.session, self.context.case, contact,
                                    child_name=self.context.person.full_name,
                                    others=self._guardians()) is not None:
            self.changed.emit()

    def _edit_need(self) -> None:
        actions.edit_need(self, self.context, lambda _saved: self.changed.emit())
