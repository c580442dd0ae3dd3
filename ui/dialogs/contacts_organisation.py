""""Ny organisation…" in Kontakter: an organisation or unit outside sipdesk (vårdcentral,
psykiatri, ASIH, skola, tolkförmedling …) with its principal, kind, law, switchboard and address.

The principal is chosen among those known or typed as a new one; a known principal's kind (region
/ municipality / other) is filled in and locked. Each field's problem
(`sipdesk.contacts.organisation_problems`) shows under it once the user has been in it, and the
law follows the kind of organisation until the user picks one. `OrganisationDialog.ask(parent,
user)` returns the new organisation or None (tests replace it).
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
from sipdesk.contacts import Organisation, OrganisationKind
from sipdesk.db import storage_errors
from sipdesk.errors import PermissionDenied, StorageError, ValidationError
from sipdesk.models import Law, PrincipalKind, User

from .. import messages
from ..fields import FieldForm

log = logging.getLogger("sipdesk.ui.contacts")

# The law an organisation of this kind usually acts under.
USUAL_LAW = {
    OrganisationKind.OUTPATIENT: Law.HSL,
    OrganisationKind.HOSPITAL: Law.HSL,
    OrganisationKind.MUNICIPAL_CARE: Law.SOL,
    OrganisationKind.SOCIAL_SERVICES: Law.SOL,
    OrganisationKind.SCHOOL: Law.SCHOOL,
    OrganisationKind.INTERPRETER: Law.OTHER,
    OrganisationKind.OTHER: Law.OTHER,
}


def law_combo() -> QComboBox:
    combo = QComboBox()
    for law in Law:
        combo.addItem({"HSL": "HSL — hälso- och sjukvård", "SoL": "SoL — socialtjänst",
                       "LSS": "LSS — stöd och service"}.get(law.value, law.label), law.value)
    return combo


class OrganisationDialog(QDialog):
    """Add an organisation to the directory."""

    def __init__(self, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user = user
        self.created: Organisation | None = None
        self._touched: set[str] = set()
        self._law_chosen = False
        self._kinds = {p.name: PrincipalKind(p.kind) for p in contacts.principals()}
        self.setWindowTitle("Ny organisation")
        self.setObjectName("organisation_dialog")

        intro = QLabel("En organisation eller enhet som ni brukar kalla till SIP, t.ex. en "
                       "vårdcentral, psykiatrin eller tolkförmedlingen.")
        intro.setWordWrap(True)

        self.form = FieldForm()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText("t.ex. Vårdcentralen Exempelby")
        self.form.add("name", "Namn *", self.name)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for kind in OrganisationKind:
            self.kind.addItem(kind.label, kind.value)
        self.form.add("kind", "Slags verksamhet", self.kind)
        self.principal = QComboBox()
        self.principal.setObjectName("principal")
        self.principal.setEditable(True)
        self.principal.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.principal.addItems(sorted(self._kinds))
        self.principal.setCurrentIndex(-1)
        principal_edit = self.principal.lineEdit()
        assert principal_edit is not None  # editable
        principal_edit.setPlaceholderText("Välj eller skriv, t.ex. Region Exempelland")
        self.form.add("principal", "Huvudman *", self.principal)
        self.principal_kind = QComboBox()
        self.principal_kind.setObjectName("principal_kind")
        for pkind in (PrincipalKind.REGION, PrincipalKind.MUNICIPALITY, PrincipalKind.OTHER):
            self.principal_kind.addItem(pkind.label, pkind.value)
        self.form.add("principal_kind", "Huvudmannens slag", self.principal_kind)
        self.law = law_combo()
        self.law.setObjectName("law")
        self.form.add("law", "Lag", self.law)
        self.phone = QLineEdit()
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText("Växel eller reception, t.ex. 010-123 00 00")
        self.form.add("phone", "Telefon", self.phone)
        self.address = QLineEdit()
        self.address.setObjectName("address")
        self.address.setPlaceholderText("Postadress för brev")
        self.form.add("address", "Adress", self.address)
        required = QLabel("Fält markerade med * måste fyllas i.")
        required.setEnabled(False)
        self.form.addRow("", required)

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Lägg till",
                                                  QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.name.textEdited.connect(lambda _t: self._edited("name"))
        self.principal.editTextChanged.connect(self._principal_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.law.activated.connect(self._law_picked)
        self._kind_changed()
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        self.name.setFocus()

    @classmethod
    def ask(cls, parent: QWidget | None, user: User) -> Organisation | None:
        dialog = cls(user, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.created
            return None
        finally:
            dialog.deleteLater()

    # ---- reacting ---------------------------------------------------------------------------

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._show_problems()

    def _principal_changed(self, text: str) -> None:
        known = self._kinds.get(" ".join(text.split()))
        if known is not None:
            self.principal_kind.setCurrentIndex(self.principal_kind.findData(known.value))
        self.principal_kind.setEnabled(known is None)
        self.principal_kind.setToolTip(
            "Huvudmannen finns redan — slaget hör till den." if known is not None else "")
        self._edited("principal")

    def _kind_changed(self, _index: int = 0) -> None:
        if not self._law_chosen:
            law = USUAL_LAW[OrganisationKind(self.kind.currentData())]
            self.law.setCurrentIndex(self.law.findData(law.value))

    def _law_picked(self, _index: int) -> None:
        self._law_chosen = True

    def _problems(self) -> dict[str, str]:
        return contacts.organisation_problems(name=self.name.text(),
                                              principal_name=self.principal.currentText())

    def _show_problems(self, *, all_fields: bool = False) -> dict[str, str]:
        problems = self._problems()
        for name in ("name", "principal"):
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
        try:
            with storage_errors():
                principal = contacts.ensure_principal(
                    self.principal.currentText(), PrincipalKind(self.principal_kind.currentData()))
                self.created = contacts.add_organisation(
                    self.user, name=self.name.text(), principal=principal,
                    kind=OrganisationKind(self.kind.currentData()), law=Law(self.law.currentData()),
                    phone=self.phone.text(), address=self.address.text())
        except ValidationError as problem:
            if not self.form.show_error(problem.field, problem.message):
                messages.warning(self, "Organisationen kunde inte läggas till", problem.message)
            return
        except PermissionDenied as problem:
            messages.warning(self, "Organisationen kunde inte läggas till", problem.message)
            return
        except StorageError as exc:
            log.error("adding an organisation failed: %s", type(exc).__name__)
            messages.error(self, "Organisationen kunde inte läggas till",
                           "Det gick inte att spara i databasen. Det du skrivit finns kvar — "
                           "kontrollera anslutningen och försök igen.")
            return
        super().accept()
