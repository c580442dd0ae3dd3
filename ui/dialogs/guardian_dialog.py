""""Lägg till vårdnadshavare" / "Ändra vårdnadshavare": a child's guardian as part of the
person's record (seed 002): name and relation, custody (joint, sole, or a särskilt förordnad
vårdnadshavare), how to reach them at their own address, their own language and interpreter
need, and whether they may receive information about the child (a protected address, a
restraining order, another decision — then no letter or copy is made for them).

Every field is checked as the user types with the core's rule (`guardians.guardian_problems`,
which also knows the child's other guardians), and the dialog saves through
`guardians.add_guardian` or `guardians.update_guardian`, which log it.

"Ta bort vårdnadshavare" (`RemoveGuardianDialog`) asks first, with the reason, and saves through
`guardian_removal.remove_guardian`: the guardian is kept as a former guardian, with what they
answered.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from sipdesk.casework import guardian_removal, guardians
from sipdesk.casework.guardians import GuardianInput
from sipdesk.storage.models import Case, Custody, InformationBlock, Person, PersonContact

from ..fields import limited
from ..session import Session
from .form_dialog import CaseFormDialog, FormDialog, hint, multiline, wide_combo

NOT_INFORMED_HINT = ("Inga brev, kallelser eller exemplar av planen skapas till den här "
                     "vårdnadshavaren, och skärmarna säger varför.")


class GuardianDialog(FormDialog):
    """One guardian of a child: added, or changed when `existing` is given."""

    ok_text = "Spara"
    failed_title = "Vårdnadshavaren kunde inte sparas"

    def __init__(self, session: Session, person: Person, *,
                 others: Sequence[PersonContact] = (), existing: PersonContact | None = None,
                 parent: QWidget | None = None) -> None:
        self.session = session
        self.person = person
        self.existing = existing
        self.others = [g for g in others if existing is None or g.id != existing.id]
        adding = existing is None
        super().__init__(
            title="Lägg till vårdnadshavare" if adding else "Ändra vårdnadshavare",
            intro=(f"Vårdnadshavare för {person.full_name}. Ett barn har en eller två "
                   "vårdnadshavare, och var och en får sina egna brev till sin egen adress."),
            parent=parent)
        self.setObjectName("guardian_dialog")
        self.ok_button.setText("Lägg till" if adding else "Spara ändringarna")
        self.fields: dict[str, QLineEdit] = {}

        def line(name: str, label: str, placeholder: str, column: str | None = None) -> None:
            edit = limited(QLineEdit(), getattr(PersonContact, column or name))
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            self.form.add(name, label, edit)
            self.fields[name] = edit
            self.watch(name, edit)

        line("contact_name", "Namn *", "För- och efternamn", "name")
        line("relation", "Relation", "t.ex. mamma, pappa, särskilt förordnad")
        self.custody = wide_combo("custody")
        for custody in Custody:
            self.custody.addItem(custody.label, custody.value)
        self.form.add("custody", "Vårdnad", self.custody)
        self.watch("custody", self.custody)
        line("phone", "Telefon", "070-123 45 67")
        line("email", "E-post", "")
        line("address", "Adress", "Storgatan 1, 123 45 Exempelby")
        line("language", "Språk", "svenska")
        self.interpreter = QCheckBox("Behöver tolk")
        self.interpreter.setObjectName("needs_interpreter")
        self.form.add("needs_interpreter", "", self.interpreter)
        self.block = wide_combo("information_block")
        for block in InformationBlock:
            text = ("Ja, får information om barnet" if block is InformationBlock.NONE
                    else f"Nej — {block.label.lower()}")
            self.block.addItem(text, block.value)
        self.form.add("information_block", "Får information", self.block)
        self.watch("information_block", self.block)
        line("information_block_note", "Beslutet", "t.ex. kontaktförbud enligt beslut "
                                                    "2026-03-01")
        self.block_hint = hint(NOT_INFORMED_HINT, name="information_block_hint")
        self.form.addRow("", self.block_hint)
        self.block.currentIndexChanged.connect(lambda _i: self._block_changed())
        self._fill()
        self._block_changed()
        self.resize(540, self.sizeHint().height())
        self.fields["contact_name"].setFocus()

    def _fill(self) -> None:
        contact = self.existing
        if contact is None:
            self.fields["language"].setText("svenska")
            return
        for name, column in (("contact_name", "name"), ("relation", "relation"),
                             ("phone", "phone"), ("email", "email"), ("address", "address"),
                             ("language", "language"),
                             ("information_block_note", "information_block_note")):
            self.fields[name].setText(getattr(contact, column))
        self._select(self.custody, contact.custody or Custody.JOINT.value)
        self._select(self.block, contact.information_block)
        self.interpreter.setChecked(contact.needs_interpreter)

    @staticmethod
    def _select(combo: QComboBox, value: str) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def _block_changed(self) -> None:
        blocked = InformationBlock(self.block.currentData()) is not InformationBlock.NONE
        self.set_field_visible("information_block_note", blocked)
        self.block_hint.setVisible(blocked)
        self.fit_height()

    def input(self) -> GuardianInput:
        text = {name: edit.text() for name, edit in self.fields.items()}
        return GuardianInput(
            name=text["contact_name"], custody=Custody(self.custody.currentData()),
            relation=text["relation"], phone=text["phone"], email=text["email"],
            address=text["address"], language=text["language"],
            needs_interpreter=self.interpreter.isChecked(),
            information_block=InformationBlock(self.block.currentData()),
            information_block_note=text["information_block_note"])

    def problems(self) -> dict[str, str]:
        return guardians.guardian_problems(self.input(), others=self.others)

    def saving(self) -> Callable[[], PersonContact]:
        data, user, person, existing = self.input(), self.session.user, self.person, self.existing
        if existing is None:
            return lambda: guardians.add_guardian(user, person, data)
        return lambda: guardians.update_guardian(user, existing, data)


# The consent dialog's name for it (a guardian is added from there too).
AddGuardianDialog = GuardianDialog


class RemoveGuardianDialog(CaseFormDialog):
    """"Ta bort vårdnadshavare": the confirmation, with the reason (custody changed). The
    guardian is kept as a former guardian with their answers and consents
    (sipdesk.casework.guardian_removal), and the dialog says so before anything happens."""

    ok_text = "Ta bort som vårdnadshavare"
    failed_title = "Vårdnadshavaren kunde inte tas bort"

    def __init__(self, session: Session, case: Case, contact: PersonContact, *,
                 child_name: str, others: Sequence[PersonContact] = (),
                 parent: QWidget | None = None) -> None:
        self.contact = contact
        super().__init__(
            session, case, title="Ta bort vårdnadshavare", parent=parent,
            intro=(f"Vill du ta bort {contact.name} som vårdnadshavare för {child_name}?\n\n"
                   "Gör det när vårdnaden har ändrats, till exempel genom en dom. Ingenting "
                   f"raderas: det {contact.name} har svarat om SIP och de samtycken hen har "
                   "gett finns kvar i ärendets historik. Från nu samtycker hen inte längre för "
                   "barnet och får inga brev, kallelser eller exemplar av planen."))
        self.setObjectName("remove_guardian_dialog")
        self.reason = multiline(name="reason",
                                placeholder="t.ex. tingsrättens dom 2026-10-01 om ensam vårdnad")
        self.form.add("reason", "Varför *", self.reason)
        self.watch("reason", self.reason)
        joint = [o for o in others if o.id != contact.id
                 and guardians.custody_of(o) is Custody.JOINT]
        if joint:
            self.show_warning(
                f"{joint[0].name} står kvar med gemensam vårdnad. Har hen nu ensam vårdnad, "
                "eller ska en ny vårdnadshavare in? Ändra det efteråt — sedan kan samtycket "
                "förnyas.")
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        self.reason.setFocus()

    def problems(self) -> dict[str, str]:
        return guardian_removal.removal_problems(self.reason.toPlainText())

    def saving(self) -> Callable[[], PersonContact]:
        user, case, contact = self.session.user, self.case, self.contact
        reason = self.reason.toPlainText()
        return lambda: guardian_removal.remove_guardian(user, case, contact, reason=reason)
