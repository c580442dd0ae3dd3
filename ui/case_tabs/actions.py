"""The lifecycle actions the case view can run, each opening its dialog.

`ACTION_HANDLERS` maps a `lifecycle.Action` to a function that asks the user (a dialog) and
returns what was saved, or None when cancelled. The Översikt tab shows a button for every
action listed here — enabled when `lifecycle.actions()` allows it, otherwise disabled with the
core's reason as its tooltip. A later part adds its action (e.g. `Action.INVITE`) with one line.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import Action, ActionState
from sipdesk.desk import case_forms
from sipdesk.meetings.evaluation import RespondentKind, kind_label
from sipdesk.storage.models import CaseStatus, User

from .. import file_output, messages
from ..dialogs.case_dialogs import ClosureDialog, NeedDialog, RefusalDialog
from ..dialogs.consent_dialogs import (
    ConsentDialog,
    DeclinedDialog,
    HarmAssessmentDialog,
    WithdrawConsentDialog,
)
from .base import CaseContext

log = logging.getLogger("sipdesk.ui.case")

Saved = Callable[[object], object]  # told what was saved (not told when cancelled)
ActionHandler = Callable[[QWidget, CaseContext, Saved], None]


def _invite(parent: QWidget, context: CaseContext, then: Saved) -> None:
    """The kallelse wizard (imported when used: it is large and not needed at start-up); a
    follow-up once a plan is approved."""
    from ..wizards.kallelse import KallelseWizard

    follow_up = CaseStatus(context.case.status) in (CaseStatus.PLAN_APPROVED,
                                                    CaseStatus.FOLLOW_UP_PLANNED)
    done = KallelseWizard.ask(parent, context.session, context.case, follow_up=follow_up)
    if done is not None:
        then(done)


def _refuse(parent: QWidget, context: CaseContext, then: Saved) -> None:
    """Avstå från SIP, then say who was told and offer the letter to the person."""
    done = RefusalDialog.ask(parent, context.session, context.case, today=context.today)
    if isinstance(done, lifecycle.Refusal):
        after_refusal(parent, done, user=context.user, child_note=refusal_letters_note(context))
    if done is not None:
        then(done)


def _decline(parent: QWidget, context: CaseContext, then: Saved) -> None:
    done = DeclinedDialog.ask(parent, context.session, context.case, today=context.today)
    if done is not None:
        then(done)


def give_consent(parent: QWidget, c: CaseContext, then: Saved) -> None:
    """Registrera or förnya samtycke: what the dialog shows is read first, off the UI thread."""
    user, case = c.user, c.case
    ConsentDialog.ask_when_read(parent, lambda: case_forms.consent_form(user, case),
                                c.session, case, today=c.today, then=then)


def edit_need(parent: QWidget, c: CaseContext, then: Saved) -> None:
    """Registrera or ändra the need (the need and the users are read first)."""
    case = c.case
    NeedDialog.ask_when_read(parent, lambda: case_forms.need_form(case), c.session, case,
                             today=c.today, then=then)


def refusal_letters_note(context: CaseContext) -> str:
    """For a child (seed 002): who gets the refusal letter (reports.refusal_letter) and who
    gets none and why — from the case as last read. Empty for an adult."""
    from sipdesk.casework import guardians
    from sipdesk.storage.models import ContactKind

    registered = [c for c in context.contacts if c.kind == ContactKind.GUARDIAN.value]
    paper = guardians.paper_for(context.person, on=context.today, guardians=registered)
    if not paper.child:
        return ""
    names = " och ".join(g.name for g in paper.guardians)
    lines = ([f"Vårdnadshavarna får var sitt brev, till sin egen adress: {names}."]
             if len(paper.guardians) > 1 else
             [f"Vårdnadshavaren får brevet: {names}."] if paper.guardians else
             ["Brevet går till vårdnadshavarna på barnets adress."])
    lines += [f"Inget brev till {w.name}: {w.why}." for w in paper.withheld]
    if paper.to_child:
        lines.append(f"{paper.first_name} får ett eget brev, med text för barn.")
    return " ".join(lines)


def refusal_text(done: lifecycle.Refusal, *, child_note: str = "") -> str:
    """What refusing told whom, and the offer of the letter (for a child: the guardians')."""
    if done.message is not None:
        told = " och ".join(done.told)
        first = f"{told} har fått ett meddelande om det, att kvittera."
    else:
        first = done.tell_otherwise or "Ingen annan behöver få besked i sipdesk."
    offer = (f"Vill du skriva ut breven som berättar det och vem man kan ringa? {child_note}"
             if child_note else
             "Vill du skriva ut ett brev till den enskilde som berättar det och vem hen kan "
             "ringa?")
    return f"Ärendet är avslutat – {CaseStatus.REFUSED.label}.\n\n{first}\n\n{offer}"


def after_refusal(parent: QWidget, done: lifecycle.Refusal, *, user: User,
                  child_note: str = "") -> None:
    if not messages.confirm(parent, "Det blir ingen SIP",
                            refusal_text(done, child_note=child_note),
                            yes="Skriv ut brevet…", no="Inte nu"):
        return
    number = done.case.number
    path = file_output.SaveFileDialog.ask(parent, title="Spara brevet till den enskilde",
                                          default_name=f"brev-ingen-sip-{number}.pdf")
    if path is None:
        return
    case_id = done.case.id

    def render() -> None:
        from reports.refusal_letter import render_refusal_letter  # ReportLab: when printing

        read_log.record_output(user, Output.REFUSAL_LETTER, case_id=case_id,
                               entity_id=case_id)
        render_refusal_letter(case_id, path)

    file_output.save_document(parent, file_output.LETTER, render, path)


def _withdraw(parent: QWidget, c: CaseContext, then: Saved) -> None:
    case = c.case
    WithdrawConsentDialog.ask_when_read(parent, lambda: case_forms.withdraw_form(case),
                                        c.session, case, today=c.today, then=then)


def _close(parent: QWidget, c: CaseContext, then: Saved) -> None:
    user, case = c.user, c.case
    ClosureDialog.ask_when_read(parent, lambda: case_forms.closure_form(user, case),
                                c.session, case, today=c.today, then=then)


ACTION_HANDLERS: dict[Action, ActionHandler] = {
    Action.INVITE: _invite,
    Action.GIVE_CONSENT: give_consent,
    Action.HARM_ASSESSED: lambda parent, c, then: HarmAssessmentDialog.ask_when_read(
        parent, case_forms.harm_form, c.session, c.case, today=c.today, then=then),
    Action.DECLINE: _decline,
    Action.REFUSE: _refuse,
    Action.WITHDRAW_CONSENT: _withdraw,
    Action.CLOSE: _close,
}

# Button texts: what the user does (the lifecycle labels describe what happens).
BUTTON_TEXT: dict[Action, str] = {
    Action.INVITE: "Kalla till möte…",
    Action.GIVE_CONSENT: "Registrera samtycke…",
    Action.HARM_ASSESSED: "Registrera menprövning…",
    Action.DECLINE: "Den enskilde tackar nej…",
    Action.REFUSE: "Avstå från SIP…",  # plain words: see lifecycle's label
    Action.WITHDRAW_CONSENT: "Återkalla samtycke…",
    Action.CLOSE: "Avsluta ärendet…",
}


def button_text(action: Action, *, child: bool = False) -> str:
    """The button's words; for a child "Barnet tackar nej…" (the evaluation's word for the
    person, `evaluation.kind_label`)."""
    if action is Action.DECLINE:
        return f"{kind_label(RespondentKind.PERSON, child=child)} tackar nej…"
    return BUTTON_TEXT.get(action, f"{action.label}…")


def states(context: CaseContext) -> dict[Action, ActionState]:
    return {s.action: s for s in lifecycle.actions(context.case, today=context.today)}


def action_button(action: Action, state: ActionState, *,
                  run: Callable[[Action], None], child: bool = False) -> QPushButton:
    """A button for `action`: enabled when allowed, otherwise disabled with the reason."""
    button = QPushButton(button_text(action, child=child))
    button.setObjectName(f"action_{action.value}")
    button.setAutoDefault(False)
    button.setEnabled(state.allowed)
    button.setToolTip("" if state.allowed else state.why_not)
    button.setAccessibleDescription(state.why_not)
    button.clicked.connect(lambda: run(action))
    return button


def run_action(parent: QWidget, context: CaseContext, action: Action,
               then: Callable[[], object]) -> None:
    """Ask for the action's details and save; `then()` when something was saved."""
    handler = ACTION_HANDLERS.get(action)
    if handler is not None:
        handler(parent, context, lambda _saved: then())
