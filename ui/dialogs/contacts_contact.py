""""Ny kontakt…" and "Ändra…" in Kontakter: a person at an organisation outside sipdesk —
name, role, phone, e-mail and postal address.

Each field's problem (`sipdesk.casework.contacts.contact_problems`) shows under it once the user
has been
in it, and all of them on "Spara". When someone else changed the contact in the meantime the
message says so, the form keeps what was typed, and saving again saves over the new version.
The contact and the organisations are read before it opens (`contacts.contact_form`, through the
runner: `ContactDialog.open_for(parent, user, …)`); `ContactDialog.ask(parent, user, data)`
returns the saved contact or None (tests replace it). A `FormDialog`: it saves through the
operation runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from sipdesk.casework import contacts
from sipdesk.casework.contacts import Contact, ContactForm, Organisation
from sipdesk.errors import FieldConflict, NotFoundError
from sipdesk.storage.models import User

from ..fields import limited
from .form_dialog import FormDialog

TEXT_FIELDS = (
    ("name", "Namn *", "För- och efternamn"),
    ("role", "Roll", "t.ex. Distriktssköterska, Läkare, Kurator"),
    ("phone", "Telefon", "Direktnummer, t.ex. 010-123 45 67"),
    ("email", "E-post", "namn@region.example"),
    ("address", "Adress", "Om brev ska till en annan adress än organisationens"),
)


class ContactDialog(FormDialog):
    """Add a contact, or change one (`contact_id`)."""

    failed_title = "Kontakten kunde inte sparas"
    compact = True

    def __init__(self, user: User, data: ContactForm, *,
                 parent: QWidget | None = None) -> None:
        self._contact: Contact | None = data.contact
        editing = self._contact is not None
        super().__init__(title="Ändra kontakt" if editing else "Ny kontakt", parent=parent)
        self.user = user
        self.saved: Contact | None = None
        self._organisations: dict[int, Organisation] = {
            o.id: o for o in data.organisations}
        self.setObjectName("contact_dialog")

        self.organisation = QComboBox()
        self.organisation.setObjectName("organisation")
        for org in self._organisations.values():
            self.organisation.addItem(f"{org.name} ({org.principal.name})", org.id)
        wanted = data.organisation_id
        self.organisation.setCurrentIndex(
            self.organisation.findData(wanted) if wanted is not None else -1)
        self.organisation.setPlaceholderText("Välj organisation")
        self.form.add("organisation", "Organisation *", self.organisation)
        self.fields: dict[str, QLineEdit] = {}
        for name, label, placeholder in TEXT_FIELDS:
            edit = limited(QLineEdit(), getattr(Contact, name))
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label.rstrip(" *"))
            if self._contact is not None:
                edit.setText(getattr(self._contact, name))
            self.form.add(name, label, edit)
            self.fields[name] = edit
            self.watch(name, edit)
        self.switchboard = QLabel()
        self.switchboard.setObjectName("switchboard")
        self.switchboard.setEnabled(False)
        self.form.addRow("", self.switchboard)
        required = QLabel("Fält markerade med * måste fyllas i. Ange minst ett sätt att nå "
                          "kontakten.")
        required.setWordWrap(True)
        required.setEnabled(False)
        self.form.addRow("", required)

        self.save_button = self.ok_button
        self.save_button.setText("Spara" if editing else "Lägg till")
        self.save_button.setObjectName("save")

        self.organisation.currentIndexChanged.connect(self._organisation_changed)
        self._organisation_changed()
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        (self.fields["name"] if self.organisation.currentIndex() >= 0
         else self.organisation).setFocus()

    @classmethod
    def open_for(cls, parent: QWidget, user: User, *, contact_id: int | None = None,
                 beside: int | None = None, then: Callable[[Contact], object]) -> None:
        """Change `contact_id`, or add a contact (at the organisation of the contact `beside`);
        what the dialog shows is read first. `then(saved)` after a save."""
        cls.ask_when_read(parent, lambda: contacts.contact_form(contact_id=contact_id,
                                                                beside=beside),
                          user, then=then, read_title="Kontakten kan inte ändras")

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
        self.touch("organisation")
        self.revalidate()

    def problems(self) -> dict[str, str]:
        text = {name: edit.text() for name, edit in self.fields.items()}
        return contacts.contact_problems(
            self.chosen_organisation(), name=text["name"], phone=text["phone"],
            email=text["email"], address=text["address"])

    # ---- saving -----------------------------------------------------------------------------

    def saving(self) -> Callable[[], Contact]:
        org = self.chosen_organisation()
        assert org is not None
        text = {name: edit.text() for name, edit in self.fields.items()}
        user, contact = self.user, self._contact
        if contact is None:
            return lambda: contacts.add_contact(user, org, **text)

        def update() -> Contact:
            contact.organisation = org
            for name, value in text.items():
                setattr(contact, name, value)
            return contacts.update_contact(user, contact)
        return update

    def on_saved(self, result: Contact) -> None:
        self.saved = result

    def save_failed(self, problem: Exception) -> None:
        super().save_failed(problem)
        if isinstance(problem, NotFoundError) and self._contact is not None:
            self.reject()  # removed meanwhile: nothing left to change

    # ---- someone else saved the same field (FormDialog opens the conflict dialog) ----------

    def resolves_conflicts(self) -> bool:
        return self._contact is not None

    def rebase_on(self, conflicts: list[FieldConflict]) -> None:
        if self._contact is not None:  # the next save compares with their values
            self._contact.rebase({c.field: c.theirs for c in conflicts})

    def conflict_display(self, field: str, value: Any) -> str:
        if field == "organisation" and value in self._organisations:
            org = self._organisations[value]
            return f"{org.name} ({org.principal.name})"
        return super().conflict_display(field, value)
