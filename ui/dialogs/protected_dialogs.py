"""Dialogs of a protected identity (skyddade personuppgifter, sipdesk.casework.protected):
"Varför öppnar du ärendet?" — asked at every opening of a protected person's case; the case
opens only with a reason, which goes into the log (Avbryt: it is not opened) — and "Skyddad
identitet…" on the overview, where the coordinator or an administrator marks the person."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QWidget

from sipdesk.casework import protected
from sipdesk.desk import case_page
from sipdesk.desk.case_page import CasePage
from sipdesk.storage.models import Person, Protection

from ..session import Session
from .form_dialog import FormDialog, multiline


class OpenReasonDialog(FormDialog):
    """Asked before a protected person's case opens; `ask` returns the opened page or None."""

    ok_text = "Öppna ärendet"
    failed_title = "Ärendet kan inte visas"

    def __init__(self, session: Session, case_id: int, *, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Skyddad identitet",
            intro=("Personen i ärendet har skyddad identitet. Varje gång ärendet öppnas ska "
                   "du skriva varför — skälet sparas i händelseloggen. Adressen visas inte."),
            parent=parent)
        self.setObjectName("open_reason_dialog")
        self.session = session
        self.case_id = case_id
        self.reason = multiline(name="reason", lines=2,
                                placeholder="T.ex. förbereder SIP-mötet den 12 maj")
        self.form.add("reason", "Varför öppnar du ärendet? *", self.reason)
        self.watch("reason", self.reason)
        self.resize(480, 0)

    def problems(self) -> dict[str, str]:
        text = self.reason.toPlainText().strip()
        if not text:
            return {"reason": "Skriv varför du öppnar ärendet."}
        if len(text) > protected.REASON_LIMIT:
            return {"reason": f"Skriv skälet kortare (högst {protected.REASON_LIMIT} tecken)."}
        return {}

    def saving(self) -> Callable[[], CasePage]:
        user, case_id, reason = self.session.user, self.case_id, self.reason.toPlainText()
        return lambda: case_page.open_case_page(user, case_id, reason=reason)


class ProtectionDialog(FormDialog):
    """Mark the person protected, or lift it; `ask` returns the person as saved, or None."""

    def __init__(self, session: Session, person: Person, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Skyddad identitet",
            intro=("Med skyddad identitet visas och skrivs adressen aldrig ut, brev till "
                   "personen går via samordningsansvarig, namnet visas i ärendelistan bara för "
                   "samordningsansvarig och deltagare, och den som öppnar ärendet skriver varför."),
            parent=parent)
        self.setObjectName("protection_dialog")
        self.session = session
        self.person_id = person.id
        self.kind = QComboBox()
        self.kind.setObjectName("protection")
        for choice in Protection:
            self.kind.addItem(choice.label, choice.value)
        self.kind.setCurrentIndex(self.kind.findData(protected.protection_of(person).value))
        self.form.add("protection", "Skydd:", self.kind)
        self.resize(480, 0)

    def saving(self) -> Callable[[], Person]:
        user, person_id = self.session.user, self.person_id
        choice = Protection(self.kind.currentData())
        return lambda: protected.set_protection(user, person_id, choice)
