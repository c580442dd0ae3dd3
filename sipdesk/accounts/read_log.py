"""What left the screen, into the audit log: a document printed or saved as a file, and a search
by personal number (issue 12: a data subject may ask who read their data — `register_extract`).

Each is one entry, written with one statement, by the worker that does the printing or the
search (never on the UI thread). The summary names the document and the case or person by id —
a personal number never goes into the log's text. The command line prints without a login:
its entries have no user and say "från kommandoraden".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from sipdesk.accounts.audit import AuditAction, record
from sipdesk.errors import ValidationError
from sipdesk.rules import personal_number as pnr
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import database
from sipdesk.storage.models import User
from sipdesk.storage.plan_records import PlanVersion


class Output(LabelledEnum):
    """A document sipdesk writes for a case; the label is how the log names it."""

    CONSENT_FORM = "consent_form"
    PLAN = "plan"
    PLAN_EASY_READ = "plan_easy_read"
    LETTERS = "letters"
    REFUSAL_LETTER = "refusal_letter"
    CALENDAR = "calendar"
    REGISTER_EXTRACT = "register_extract"
    EVALUATION_FORM = "evaluation_form"

    __labels__: ClassVar[Labels] = {
        "consent_form": "Samtyckesblanketten",
        "plan": "Planen",
        "plan_easy_read": "Den enskildes lättlästa exemplar av planen",
        "letters": "Breven om mötet",
        "refusal_letter": "Brevet till den enskilde om att det inte blir någon SIP",
        "calendar": "Kalenderfilen för mötet",
        "register_extract": "Registerutdraget",
        "evaluation_form": "Utvärderingsformuläret för mötet",
    }


# What each output is written about, for the entry's entity column.
_ENTITY = {
    Output.CONSENT_FORM: "sip_case", Output.PLAN: "plan_version",
    Output.PLAN_EASY_READ: "plan_version", Output.LETTERS: "meeting",
    Output.REFUSAL_LETTER: "sip_case", Output.CALENDAR: "meeting",
    Output.REGISTER_EXTRACT: "person", Output.EVALUATION_FORM: "meeting",
}


def _summary(output: Output, *, command_line: bool) -> str:
    verb = "sparades som fil" if output is Output.CALENDAR else "skrevs ut"
    where = " från kommandoraden" if command_line else ""
    return f"{output.label} {verb}{where}"


def record_output(actor: User | None, output: Output, *, case_id: int | None,
                  entity_id: int | None = None) -> None:
    """Log that `output` was written for the case (`entity_id`: the plan version, the meeting,
    the person); `actor` None is the command line. One statement."""
    action = AuditAction.EXPORT if output is Output.CALENDAR else AuditAction.PRINT
    with database.atomic():
        record(actor, action=action, entity=_ENTITY[output], entity_id=entity_id,
               case=case_id, summary=_summary(output, command_line=actor is None))


def record_plans_output(actor: User | None, plan_ids: Iterable[int], *,
                        easy_read: bool = False) -> None:
    """Log many plans printed at once (a folder of plans): one entry per plan, in one
    transaction, after one read of their cases."""
    ids = list(plan_ids)
    if not ids:
        return
    cases = {plan.id: plan.case_id for plan in PlanVersion.select(
        PlanVersion.id, PlanVersion.case).where(PlanVersion.id.in_(ids))}
    output = Output.PLAN_EASY_READ if easy_read else Output.PLAN
    with database.atomic():
        for plan_id in ids:
            record(actor, action=AuditAction.PRINT, entity="plan_version", entity_id=plan_id,
                   case=cases.get(plan_id),
                   summary=_summary(output, command_line=actor is None))


def as_personal_number(text: str) -> str | None:
    """`text` as a whole personal number (any accepted format), or None: only a search for a
    whole number is a search *for a person* that the log keeps."""
    text = text.strip()
    if not text or not any(ch.isdigit() for ch in text):
        return None
    try:
        return pnr.parse(text).canonical
    except ValidationError:
        return None


def record_number_search(actor: User, *, where: str, person_id: int | None,
                         hits: int) -> None:
    """Log a search by a whole personal number (`where`: "i ärendelistan", "i Nytt ärende"):
    the person found by id, or none. One statement."""
    found = "ingen träff" if hits == 0 else ("1 träff" if hits == 1 else f"{hits} träffar")
    with database.atomic():
        record(actor, action=AuditAction.SEARCH, entity="person", entity_id=person_id,
               summary=f"Sökning på personnummer {where}: {found}")
