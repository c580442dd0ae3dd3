""""Begäran om SIP…" (seed 004): home care sees a need and asks the person's case officer (or
licensed staff) to call a SIP — the need, what should be coordinated, which actors, and where
the consent stands. It goes as a message to acknowledge; the recipient can accept and becomes
convener and coordinator.

`ConveneRequestDialog.ask(parent, user, case, users=…)` returns the request, or None; `users`
(the active users with their unit, `auth.active_users_with_unit`) is read by the opener through
the operation runner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from sipdesk.casework.consent import case_consent_state
from sipdesk.meetings import convene
from sipdesk.meetings.convene import ConveneInput
from sipdesk.storage.models import Case, Role, User

from .form_dialog import multiline, wide_combo
from .meeting_common import MeetingFormDialog


class ConveneRequestDialog(MeetingFormDialog):
    ok_text = "Skicka begäran"
    failed_title = "Begäran kunde inte skickas"

    def __init__(self, user: User, case: Case, *, users: list[User],
                 parent: QWidget | None = None) -> None:
        super().__init__(
            title="Begäran om SIP", parent=parent,
            intro=("Be den enskildes biståndshandläggare (eller legitimerad personal) att kalla "
                   "till SIP. Begäran går som meddelande att kvittera i sipdesk."))
        self.setObjectName("convene_dialog")
        self.user = user
        self.case = case
        self.to = wide_combo("to")
        officers = [u for u in users if u.id != user.id]
        # Case officers first: they usually convene (seed 004).
        officers.sort(key=lambda u: (u.role != Role.CASE_OFFICER.value, u.full_name))
        for u in officers:
            self.to.addItem(f"{u.full_name}, {u.profession or Role(u.role).label} "
                            f"({u.unit.name})", u)
        coordinator = next((i for i in range(self.to.count())
                            if self.to.itemData(i).id == case.coordinator_id), 0)
        self.to.setCurrentIndex(coordinator if self.to.count() else -1)
        self.form.add("to", "Till *", self.to)
        self.need = multiline(name="need", placeholder="Vad ser ni? Gärna med den enskildes ord.")
        self.form.add("need", "Behov *", self.need)
        self.coordinate = multiline(name="coordinate",
                                    placeholder="t.ex. Hemtjänstens insatser och hemsjukvården")
        self.form.add("coordinate", "Vad behöver samordnas *", self.coordinate)
        self.actors = multiline(name="actors", lines=2,
                                placeholder="t.ex. Vårdcentralen, hemtjänsten, dottern")
        self.form.add("actors", "Vilka aktörer *", self.actors)
        state = case_consent_state(case).text
        consent_label = QLabel(state)
        consent_label.setObjectName("consent_status")
        self.form.addRow("Samtycke", consent_label)
        for name, widget in (("need", self.need), ("coordinate", self.coordinate),
                             ("actors", self.actors)):
            self.watch(name, widget)
        self.resize(max(self.sizeHint().width(), 580), self.sizeHint().height())
        self.need.setFocus()

    def problems(self) -> dict[str, str]:
        if self.to.currentData() is None:
            return {"to": "Det finns ingen annan användare att skicka begäran till."}
        return {}

    def saving(self) -> Callable[[], Any]:
        user, case, to = self.user, self.case, self.to.currentData()
        data = ConveneInput(need=self.need.toPlainText(), coordinate=self.coordinate.toPlainText(),
                            actors=self.actors.toPlainText())
        return lambda: convene.request_to_convene(user, case, to, data)
