"""A participant of the plan: name, initials, profession, organisation/principal and contact
details (seed 000 "Dokumentation": all of them for everyone). Only the name is needed to save;
what else is missing is said at once, because it is needed before the plan can be approved.
`ParticipantDialog.ask(parent, session, version, principals=…, participant=None)` returns the
saved row or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from sipdesk.errors import FieldConflict
from sipdesk.plans import plan
from sipdesk.plans.plan import PlanParticipant, PlanVersion
from sipdesk.storage.models import Principal

from ..fields import limited
from ..session import Session
from .form_dialog import FormDialog

REQUIRED_LATER = (("initials", "initialer"), ("profession", "yrke"),
                  ("organisation", "organisation"), ("contact", "kontaktuppgifter"))


class ParticipantDialog(FormDialog):
    """Lägg till or ändra one participant."""

    def __init__(self, session: Session, version: PlanVersion, *,
                 principals: list[Principal], participant: PlanParticipant | None = None,
                 parent: QWidget | None = None) -> None:
        """`principals`: every principal (`contacts.principals()`), read by the opener."""
        super().__init__(
            title="Ändra deltagare" if participant else "Ny deltagare",
            intro="Namn, initialer, yrke, organisation och hur man når personen behövs för "
                  "alla deltagare innan planen kan godkännas.",
            parent=parent)
        self.setObjectName("plan_participant_dialog")
        self.session = session
        self.version = version
        self.participant_id = participant.id if participant else None
        self._user_id = participant.user_id if participant else None
        # What an edit started from: a save changes only the fields that differ from it.
        self.base: dict[str, Any] | None = (
            {**{name: getattr(participant, name) for name in
                ("name", "initials", "profession", "organisation", "contact")},
             "principal_id": participant.principal_id} if participant else None)
        self.inputs: dict[str, QLineEdit] = {}
        for name, label, placeholder in (
                ("name", "Namn *", "För- och efternamn"),
                ("initials", "Initialer", "t.ex. AB"),
                ("profession", "Yrke", "t.ex. Sjuksköterska"),
                ("organisation", "Organisation", "t.ex. Vårdcentralen Exempelby"),
                ("contact", "Kontaktuppgifter", "Telefon och/eller e-post")):
            edit = limited(QLineEdit(), getattr(PlanParticipant, name))
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            self.inputs[name] = edit
            self.form.add(name, label, edit)
            self.watch(name, edit)
            if name == "organisation":
                self.principal = QComboBox()
                self.principal.setObjectName("principal")
                self.principal.addItem("Ingen huvudman (t.ex. närstående)", None)
                for found in principals:
                    self.principal.addItem(found.name, found.id)
                self.form.add("principal", "Huvudman", self.principal)
                self.principal.currentIndexChanged.connect(lambda _i: self.revalidate())
        if participant is not None:
            for name, edit in self.inputs.items():
                edit.setText(getattr(participant, name))
            index = self.principal.findData(participant.principal_id)
            self.principal.setCurrentIndex(max(index, 0))
        self.inputs["name"].textEdited.connect(self._suggest_initials)
        self._initials_typed = bool(participant and participant.initials)
        self.inputs["initials"].textEdited.connect(lambda _t: self._typed_initials())
        self.revalidate()
        self.resize(540, 0)

    def _typed_initials(self) -> None:
        self._initials_typed = True

    def _suggest_initials(self, text: str) -> None:
        """Initials follow the name until the user writes their own."""
        if not self._initials_typed:
            self.inputs["initials"].setText(
                "".join(part[0].upper() for part in text.split() if part)[:4])

    def problems(self) -> dict[str, str]:
        if not self.inputs["name"].text().strip():
            return {"name": "Ange namn."}
        return {}

    def on_revalidated(self, problems: dict[str, str]) -> None:
        # Organisation and contact are needed for those who represent a principal (the core's
        # plan.required_fields); the person and relatives need name, initials and role.
        actor = self.principal.currentData() is not None or self._user_id is not None
        missing = [label for name, label in REQUIRED_LATER
                   if not self.inputs[name].text().strip()
                   and (actor or name in ("initials", "profession"))]
        self.show_warning("Saknas innan planen kan godkännas: " + ", ".join(missing) + "."
                          if missing else "")

    def saving(self) -> Callable[[], PlanParticipant]:
        values = {name: edit.text() for name, edit in self.inputs.items()}
        user, version_id, participant_id = (self.session.user, self.version.id,
                                            self.participant_id)
        principal_id = self.principal.currentData()
        base = dict(self.base) if self.base is not None else None
        return lambda: plan.save_participant(
            user, plan.get_version(version_id), name=values["name"],
            initials=values["initials"], profession=values["profession"],
            organisation=values["organisation"], contact=values["contact"],
            principal_id=principal_id, participant_id=participant_id, base=base)

    # ---- someone else saved the same field (FormDialog opens the conflict dialog) ----------

    def resolves_conflicts(self) -> bool:
        return self.base is not None

    def rebase_on(self, conflicts: list[FieldConflict]) -> None:
        if self.base is not None:
            for c in conflicts:
                self.base["principal_id" if c.field == "principal" else c.field] = c.theirs

    def conflict_display(self, field: str, value: Any) -> str:
        if field == "principal":
            index = self.principal.findData(value)
            return self.principal.itemText(index) if index >= 0 else "(ingen huvudman)"
        return super().conflict_display(field, value)

    def set_conflict_value(self, field: str, value: Any) -> None:
        if field in self.inputs:
            self.inputs[field].setText("" if value is None else str(value))
        elif field == "principal":
            self.principal.setCurrentIndex(max(self.principal.findData(value), 0))
