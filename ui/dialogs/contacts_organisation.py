""""Ny organisation…" in Kontakter: an organisation or unit outside sipdesk (vårdcentral,
psykiatri, ASIH, skola, tolkförmedling …) with its principal, kind, law, switchboard and address.

The principal is chosen among those known or typed as a new one; a known principal's kind (region
/ municipality / other) is filled in and locked. Each field's problem
(`sipdesk.casework.contacts.organisation_problems`) shows under it once the user has been in it,
and the
law follows the kind of organisation until the user picks one. Whether the principal already has
an organisation of that name is asked in the background a moment after the typing stops; the
save checks it again (`contacts.add_organisation`), so an answer not yet back never lets a
duplicate through. `OrganisationDialog.ask(parent, user, principals)` returns the new
organisation or None (tests replace it). A `FormDialog`: it saves through the operation runner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from sipdesk.casework import contacts
from sipdesk.casework.contacts import Organisation, OrganisationKind
from sipdesk.meetings import school
from sipdesk.storage.models import Law, Principal, PrincipalKind, User

from ..fields import limited
from ..operations import Operation
from .form_dialog import FormDialog

CHECK_DELAY_MS = 250

# The law an organisation of this kind usually acts under.
USUAL_LAW = {
    OrganisationKind.OUTPATIENT: Law.HSL,
    OrganisationKind.HOSPITAL: Law.HSL,
    OrganisationKind.MUNICIPAL_CARE: Law.SOL,
    OrganisationKind.SOCIAL_SERVICES: Law.SOL,
    OrganisationKind.SCHOOL: Law.SCHOOL,
    OrganisationKind.PRESCHOOL: Law.SCHOOL,
    OrganisationKind.STUDENT_HEALTH: Law.SCHOOL,
    OrganisationKind.INTERPRETER: Law.OTHER,
    OrganisationKind.OTHER: Law.OTHER,
}


def law_combo() -> QComboBox:
    combo = QComboBox()
    for law in Law:
        combo.addItem({"HSL": "HSL — hälso- och sjukvård", "SoL": "SoL — socialtjänst",
                       "LSS": "LSS — stöd och service"}.get(law.value, law.label), law.value)
    return combo


class OrganisationDialog(FormDialog):
    """Add an organisation to the directory."""

    ok_text = "Lägg till"
    failed_title = "Organisationen kunde inte läggas till"
    compact = True

    def __init__(self, user: User, principals: list[Principal],
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Ny organisation", parent=parent,
            intro="En organisation eller enhet som ni brukar kalla till SIP, t.ex. en "
                  "vårdcentral, psykiatrin eller tolkförmedlingen.")
        self.user = user
        self.created: Organisation | None = None
        self._law_chosen = False
        self._kinds = {p.name: PrincipalKind(p.kind) for p in principals}
        # The duplicate check asks the database: a moment after the typing stops, in the
        # background; only the answer for what is typed now counts (`_duplicate`).
        self._duplicate: tuple[tuple[str, str], str] | None = None  # (name, principal), message
        self._asked = 0
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self._check_duplicate)
        self.setObjectName("organisation_dialog")

        self.name = limited(QLineEdit(), Organisation.name)
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
        self.phone = limited(QLineEdit(), Organisation.phone)
        self.phone.setObjectName("phone")
        self.phone.setPlaceholderText("Växel eller reception, t.ex. 010-123 00 00")
        self.form.add("phone", "Telefon", self.phone)
        self.address = limited(QLineEdit(), Organisation.address)
        self.address.setObjectName("address")
        self.address.setPlaceholderText("Postadress för brev")
        self.form.add("address", "Adress", self.address)
        required = QLabel("Fält markerade med * måste fyllas i.")
        required.setEnabled(False)
        self.form.addRow("", required)
        self.save_button = self.ok_button
        self.save_button.setObjectName("save")

        self.watch("name", self.name)
        self.name.textChanged.connect(lambda _t: self._check_timer.start())
        self.principal.editTextChanged.connect(lambda _t: self._check_timer.start())
        self.principal.editTextChanged.connect(self._principal_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.law.activated.connect(self._law_picked)
        self._kind_changed()
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())
        self.name.setFocus()

    # ---- reacting ---------------------------------------------------------------------------

    def _principal_changed(self, text: str) -> None:
        known = self._kinds.get(" ".join(text.split()))
        if known is not None:
            self.principal_kind.setCurrentIndex(self.principal_kind.findData(known.value))
        self.principal_kind.setEnabled(known is None)
        self.principal_kind.setToolTip(
            "Huvudmannen finns redan — slaget hör till den." if known is not None else "")
        self.touch("principal")
        self.revalidate()

    def _kind_changed(self, _index: int = 0) -> None:
        kind = OrganisationKind(self.kind.currentData())
        if not self._law_chosen:
            law = USUAL_LAW[kind]
            self.law.setCurrentIndex(self.law.findData(law.value))
        if kind.value in school.SCHOOL_KINDS and self.principal_kind.isEnabled():
            # A school is a principal of its own kind in a SIP: neither the municipality nor
            # the region, whoever runs it (sipdesk.meetings.school).
            self.principal_kind.setCurrentIndex(
                self.principal_kind.findData(PrincipalKind.OTHER.value))

    def _law_picked(self, _index: int) -> None:
        self._law_chosen = True

    def _typed(self) -> tuple[str, str]:
        return self.name.text().strip(), " ".join(self.principal.currentText().split())

    def _check_duplicate(self) -> None:
        name, principal = typed = self._typed()
        if not name or not principal:
            return
        self._asked += 1
        asked = self._asked

        def answered(message: str) -> None:
            if asked == self._asked:  # an older answer is dropped
                self._duplicate = (typed, message)
                self.revalidate()

        def ask() -> str:
            return contacts.organisation_duplicate(name=name, principal_name=principal)

        Operation(self, ask, title=self.failed_title).success(answered).run()

    def done(self, result: int) -> None:
        self._check_timer.stop()  # closed: nothing more to ask
        super().done(result)

    def problems(self) -> dict[str, str]:
        name, principal = typed = self._typed()
        problems = contacts.organisation_input_problems(name=name, principal_name=principal)
        if not problems and self._duplicate is not None and self._duplicate[0] == typed \
                and self._duplicate[1]:
            problems["name"] = self._duplicate[1]
        return problems

    # ---- saving -----------------------------------------------------------------------------

    def saving(self) -> Callable[[], Organisation]:
        user = self.user
        principal_name = self.principal.currentText()
        principal_kind = PrincipalKind(self.principal_kind.currentData())
        name, phone, address = self.name.text(), self.phone.text(), self.address.text()
        kind = OrganisationKind(self.kind.currentData())
        law = Law(self.law.currentData())

        def add() -> Organisation:
            principal = contacts.ensure_principal(principal_name, principal_kind)
            return contacts.add_organisation(user, name=name, principal=principal, kind=kind,
                                             law=law, phone=phone, address=address)
        return add

    def on_saved(self, result: Organisation) -> None:
        self.created = result
