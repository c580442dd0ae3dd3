"""Removing a child's guardian (seed 002; custody changed — a court's decision, a särskilt
förordnad vårdnadshavare appointed, a guardian who has died).

A guardian is part of the child's record, but what they answered is part of the case's history:
their yes or no to the SIP (sipdesk.casework.guardian_answers) and the consents that rest on it
(sipdesk.casework.consent). So removing a guardian never deletes them: the row is kept as a
*former guardian* (`ContactKind.FORMER_GUARDIAN`), their answers and the consents they gave stay
as they were and keep their name, and from then on they are no guardian — they do not decide,
get no letters or copies, are not offered in the kallelse, and their answer waiting for a consent
no longer counts (the consent dialog asks only the child's guardians). A consent in force is not
withdrawn by it: the guardians who remain gave it too. Whether it still carries when a new
guardian is registered is for the coordinator to ask the new guardian (renew the consent).

The change rule is the case's (`access.require_can_change`): the one removing does so from a case
of the child that they may change, and the case must be open. The audit entry names the reason,
not the guardian's details. On PostgreSQL migration 24 holds the server to the same rule.
"""

from __future__ import annotations

from sipdesk.accounts import audit
from sipdesk.accounts.access import require_can_change
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import lifecycle
from sipdesk.errors import NotFoundError, ValidationError
from sipdesk.storage.db import database
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import Case, ContactKind, PersonContact, User


def removal_problems(reason: str) -> dict[str, str]:
    """Every problem of the removal's input, by field."""
    if not reason.strip():
        return {"reason": "Skriv kort varför, t.ex. tingsrättens dom om ensam vårdnad "
                          "2026-10-01."}
    return text_problems(PersonContact, {"reason": reason},
                         columns={"reason": "information_block_note"})


def remove_guardian(actor: User, case: Case, contact: PersonContact, *,
                    reason: str) -> PersonContact:
    """Remove `contact` as a guardian of the child of `case`: kept as a former guardian, with
    their answers and consents (module docstring). Logged with the reason."""
    require_can_change(actor, case)
    lifecycle.ensure_open(case)
    if contact.person_id != case.person_id or contact.kind != ContactKind.GUARDIAN.value:
        raise NotFoundError("Vårdnadshavaren finns inte längre i barnets uppgifter.")
    for name, message in removal_problems(reason).items():
        raise ValidationError(message, field=name)
    with database.atomic():
        contact.kind = ContactKind.FORMER_GUARDIAN.value
        contact.save_versioned()
        audit.record(actor, action=AuditAction.UPDATE, entity="person_contact",
                     entity_id=contact.id, case=case,
                     summary=f"Vårdnadshavare borttagen ({reason.strip()}); svar och "
                             "samtycken finns kvar",
                     changes={"kind": [ContactKind.GUARDIAN.value,
                                       ContactKind.FORMER_GUARDIAN.value]})
    return contact


def former_guardians_of(person_id: int) -> list[PersonContact]:
    """The child's former guardians, in the order they were registered."""
    return list(PersonContact.select()
                .where((PersonContact.person == person_id)
                       & (PersonContact.kind == ContactKind.FORMER_GUARDIAN.value))
                .order_by(PersonContact.id))
