""""Ny kontakt…" and "Ändra…" in Kontakter: a person at an organisation outside sipdesk —
name, role, phone, e-mail and postal address.

Each field's problem (`sipdesk.contacts.contact_problems`) shows under it once the user has been
in it, and all of them on "Spara". When someone else changed the contact in the meantime the
message says so, the form keeps what was typed, and saving again saves over the new version.
`ContactDialog.ask(parent, user, contact_id=None, organisation_id=None)` returns the saved
contact or None (tests replace it).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sipdesk import contacts
from sipdesk.contacts import Contact, Organisation
from sipdesk.db import storage_errors
from sipdesk.errors import (
    ConflictError,
    NotFoundError,
    PermissionDenied,
    StorageError,
    ValidationError,
)
from sipdesk.models import User

from .. import messages
from ..fields import FieldForm

log = logging.getLogger("sipdesk.ui.contacts")

TEXT_FIELDS = (
    ("name", "Namn *", "För- och efternamn"),
    ("role", "Roll", "t.ex. Distriktssköterska, Läkare, Kurator"),
    ("phone", "Telefon", "Direktnummer, t.ex. 010-123 45 67"),
    ("email", "E-post", "namn@region.example"),
    ("address", "Adress", "Om brev ska till en annan adress än organisationens"),
)


class ContactDialog(QDialog):
    """Add a contact, or change one (`contact_id`)."""

    def __init__(self, user: User, *, contact_id: int | None = None,
                 organisation_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.saved: Contact | None = None
        self._contact: Contact | None = (
            contacts.get_contact(contact_id) if contact_id is not None else None)
        self._touched: set[str] = set()
        self._organisations: dict[int, Organisation] = {
            o.id: o for o in contacts.organisations()}
        editing = self._contact is not None
        self.setWindowTitle("Ändra kontakt" if editing else "Ny kontakt")
        self.setObjectName("contact_dialog")

        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.organisation = QComboBox()
        self.organisation.setObjectName("organisation")
        for org in self._organisations.values():
            self.organisation.addItem(f"{org.name} ({org.principal.name})", org.id)
        wanted = self._contact.organisation_id if self._contact else organisation_id
        self.organisation.setCurrentIndex(
            self.organisation.findData(wanted) if wanted is not None else -1)
        self.organisation.setPlaceholderText("Välj organisation")
        self.form.add("organisation", "Organisation *", self.organisation)
        self.fields: dict[str, QLineEdit] = {}
        for name, label, placeholder in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label.rstrip(" *"))
            if self._contact is not None:
                edit.setText(getattr(self._contact, name))
            self.form.add(name, label, edit)
            self.fields[name] = edit
            edit.textEdited.connect(lambda _t, n=name: self._edited(n))
        self.switchboard = QLabel()
        self.switchboard.setObjectName("switchboard")
        self.switchboard.setEnabled(False)
        self.form.addRow("", self.switchboard)
        required = QLabel("Fält markerade med * måste fyllas i. Ange minst ett sätt att nå "
                          "kontakten.")
        required.setWordWrap(True)
        required.setEnabled(False)
        self.form.addRow("", required)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            "Spara" if editing else "Lägg till", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.organisation.currentIndexChanged.connect(self._organisation_changed)
        self._organisation_changed()
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        (self.fields["name"] if self.organisation.currentIndex() >= 0
         else self.organisation).setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, user: User, *, contact_id: int | None = None,
            organisation_id: int | None = None) -> Contact | None:
        try:
            dialog = cls(user, contact_id=contact_id, organisation_id=organisation_id,
                         parent=parent)
        except NotFoundError as problem:
            messages.warning(parent, "Kontakten kan inte ändras", problem.message)
            return None
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.saved
            return None
        finally:
            dialog.deleteLater()

    # ---- reacting ---------------------------------------------------------------------------

    def chosen_organisation(self) -> Organisation | None:
        data = self.organisation.currentData()
        return self._organisations.get(data) if data is not None else None

    def _organisation_changed(self, _index: int = 0) -> None:
        org = self.chosen_organisation()
        self.switchboard.setText(
            f"Utan eget telefonnummer nås kontakten via växeln: {org.phone}"
            if org is not None and org.phone else "")
        self.switchboard.setVisible(bool(self.switchboard.text()))
        self._edited("organisation")

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._show_problems()

    def _problems(self) -> dict[str, str]:
        text = {name: edit.text() for name, edit in self.fields.items()}
        return contacts.contact_problems(
            self.chosen_organisation(), name=text["name"], phone=text["phone"],
            email=text["email"], address=text["address"])

    def _show_problems(self, *, all_fields: bool = False) -> dict[str, str]:
        problems = self._problems()
        for name in self.form.inputs:
            if name in problems and (all_fields or name in self._touched):
                self.form.show_error(name, problems[name])
            else:
                self.form.clear_error(name)
        return problems

    # ---- saving -----------------------------------------------------------------------------

    def accept(self) -> None:
        problems = self._show_problems(all_fields=True)
        if problems:
            self.form.inputs[next(iter(problems))].setFocus()
            return
        org = self.chosen_organisation()
        assert org is not None
        text = {name: edit.text() for name, edit in self.fields.items()}
        title = "Kontakten kunde inte sparas"
        try:
            with storage_errors():
                if self._contact is None:
                    self.saved = contacts.add_contact(self.user, org, **text)
                else:
                    contact = self._contact
                    contact.organisation = org
                    for name, value in text.items():
                        setattr(contact, name, value)
                    self.saved = contacts.update_contact(self.user, contact)
        except ValidationError as problem:
            if not self.form.show_error(problem.field, problem.message):
                messages.warning(self, title, problem.message)
            return
        except ConflictError as problem:
            # Someone saved in between: keep what is typed, save over their version next time.
            messages.warning(self, title, problem.message)
            try:
                assert self._contact is not None
                self._contact = contacts.get_contact(self._contact.id)
            except NotFoundError as gone:
                messages.warning(self, title, gone.message)
                self.reject()
            return
        except PermissionDenied as problem:
            messages.warning(self, title, problem.message)
            return
        except StorageError as exc:
            log.error("saving a contact failed: %s", type(exc).__name__)
            messages.error(self, title, "Det gick inte att spara i databasen. Det du skrivit "
                                        "finns kvar — kontrollera anslutningen och försök igen.")
            return
        super().accept()
