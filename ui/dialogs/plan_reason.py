"""Dialogs of the plan that need a reason or a choice: "Öppna igen…" (the coordinator reopens an
approved plan; all approvals are cleared), "Hoppa över uppföljning…" (seed 000: a skipped
follow-up needs a reason) and, when a user may act for more than one principal, which one.
Each `ask(...)` returns what was saved (or chosen), or None."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from sipdesk.plans import plan
from sipdesk.plans.plan import PlanVersion

from ..session import Session
from .form_dialog import FormDialog, multiline


class _ReasonDialog(FormDialog):
    empty_message = "Skriv ett skäl."

    def __init__(self, session: Session, version: PlanVersion, *, title: str, intro: str,
                 label: str, warning: str = "", parent: QWidget | None = None) -> None:
        super().__init__(title=title, intro=intro, parent=parent)
        self.session = session
        self.version = version
        self.reason = multiline(name="reason", lines=3)
        self.form.add("reason", label, self.reason)
        self.watch("reason", self.reason)
        self.show_warning(warning)
        self.resize(520, 0)

    def problems(self) -> dict[str, str]:
        return {} if self.reason.toPlainText().strip() else {"reason": self.empty_message}


class ReopenDialog(_ReasonDialog):
    ok_text = "Öppna planen igen"
    empty_message = "Skriv varför planen öppnas igen."

    def __init__(self, session: Session, version: PlanVersion, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            session, version, title=f"Öppna plan version {version.number} igen",
            intro="Planen är godkänd av alla. Om något behöver ändras kan du som "
                  "samordningsansvarig öppna den igen.",
            label="Varför? *",
            warning=("Alla godkännanden tas bort. Varje huvudman får ett meddelande med skälet "
                     "att kvittera, och ”Godkänn planen igen” hamnar på deras Att göra."),
            parent=parent)
        self.setObjectName("plan_reopen_dialog")

    def saving(self) -> Callable[[], PlanVersion]:
        user, version_id, reason = self.session.user, self.version.id, self.reason.toPlainText()
        return lambda: plan.reopen(user, plan.get_version(version_id), reason=reason)


class SkipFollowUpDialog(_ReasonDialog):
    ok_text = "Hoppa över"
    empty_message = "Skriv varför uppföljningen inte blir av."

    def __init__(self, session: Session, version: PlanVersion, *,
                 parent: QWidget | None = None) -> None:
        super().__init__(
            session, version, title="Hoppa över uppföljningen",
            intro="Planen ska följas upp minst en gång om året. Om uppföljningen inte blir av "
                  "ska skälet skrivas ner.",
            label="Varför blir den inte av? *", parent=parent)
        self.setObjectName("plan_skip_follow_up_dialog")

    def saving(self) -> Callable[[], bool]:
        user, version_id, reason = self.session.user, self.version.id, self.reason.toPlainText()

        def skip() -> bool:
            plan.skip_follow_up(user, plan.get_version(version_id), reason=reason)
            return True

        return skip


class ChoosePrincipalDialog(FormDialog):
    """Which principal's part: the user's own, or one the coordinator acts for."""

    ok_text = "Fortsätt"

    def __init__(self, *, title: str, choices: list[tuple[int, str]],
                 parent: QWidget | None = None) -> None:
        super().__init__(title=title, intro="Välj vilken huvudmans del det gäller.",
                         parent=parent)
        self.setObjectName("plan_choose_principal_dialog")
        self.combo = QComboBox()
        self.combo.setObjectName("principal")
        for principal_id, name in choices:
            self.combo.addItem(name, principal_id)
        self.form.add("principal", "Huvudman", self.combo)
        self.resize(420, 0)

    def saving(self) -> Callable[[], Any]:
        chosen = self.combo.currentData()
        return lambda: chosen
