""""Lägg till vårdnadshavare": register a child's guardian from the consent dialog (seed 002:
for a child, the guardians consent). Saved with `sipdesk.casework.people.add_contact`, which logs
it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLineEdit, QWidget

from sipdesk.casework import people
from sipdesk.storage.models import ContactKind, Person, PersonContact

from ..fields import limited
from ..session import Session
from .form_dialog import FormDialog


class AddGuardianDialog(FormDialog):
    """Name, relation and how to reach one guardian."""

    ok_text = "Lägg till"
    failed_title = "Vårdnadshavaren kunde inte läggas till"

    def __init__(self, session: Session, person: Person, *, parent: QWidget | None = None) -> None:
        self.session = session
        self.person = person
        super().__init__(title="Lägg till vårdnadshavare",
                         intro=f"Vårdnadshavare för {person.full_name}.", parent=parent)
        self.setObjectName("guardian_dialog")
        self.fields: dict[str, QLineEdit] = {}
        for name, label, placeholder in (
            ("contact_name", "Namn *", "För- och efternamn"),
            ("relation", "Relation", "t.ex. mamma, pappa"),
            ("phone", "Telefon", "070-123 45 67"),
            ("email", "E-post", ""),
            ("address", "Adress", ""),
        ):
            edit = limited(QLineEdit(), getattr(PersonContact, name.removeprefix("contact_")))
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            self.form.add(name, label, edit)
            self.fields[name] = edit
        self.resize(480, self.sizeHint().height())

    def saving(self) -> Callable[[], PersonContact]:
        text = {name: edit.text() for name, edit in self.fields.items()}
        person, user = self.person, self.session.user
        return lambda: people.add_contact(
            person, actor=user, kind=ContactKind.GUARDIAN,
            name=text["contact_name"], relation=text["relation"], phone=text["phone"],
            email=text["email"], address=text["address"])
