"""Each guardian's own yes or no to a SIP for their child (seed 002: for a child, the guardians
consent; every guardian with custody, each for themselves).

An answer is recorded as it comes — on its day and how it was given — and kept: the answers
given before a consent could be registered wait as *pending* (`pending_answers`), and those a
consent rests on are linked to it when it is registered (sipdesk.casework.consent). A guardian
who says no is recorded too; without every guardian's yes there is no consent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import peewee as pw

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import require_can_change
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import guardians as guardian_rules
from sipdesk.casework import lifecycle
from sipdesk.errors import ValidationError
from sipdesk.storage.db import database
from sipdesk.storage.guardian_records import GuardianAnswer, GuardianHow
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import Case, ContactKind, PersonContact, User


@dataclass(frozen=True)
class AnswerInput:
    """One guardian's answer as typed: yes or no, the day, how, and a short note."""

    guardian: PersonContact
    consents: bool
    answered_on: dt.date
    how: GuardianHow
    note: str = ""


def answer_field(guardian: PersonContact | int) -> str:
    """The input a guardian's answer is checked at (one row per guardian in the dialog)."""
    return f"guardian_{guardian if isinstance(guardian, int) else guardian.id}"


def answer_problems(answers: Sequence[AnswerInput], *, today: dt.date) -> dict[str, str]:
    """Every answer's problem at once, by the guardian's input."""
    problems: dict[str, str] = {}
    for answer in answers:
        name = answer_field(answer.guardian)
        if answer.answered_on > today:
            problems[name] = f"{answer.guardian.name}: datumet kan inte ligga i framtiden."
            continue
        for _field, message in text_problems(GuardianAnswer, {"note": answer.note}).items():
            problems[name] = f"{answer.guardian.name}: {message}"
    return problems


def answer_text(consents: bool, how: str, answered_on: dt.date, note: str = "") -> str:
    """"samtycker (muntligt per telefon, 2026-11-20)"."""
    said = "samtycker" if consents else "samtycker inte"
    try:
        way = GuardianHow(how).label.lower()
    except ValueError:
        way = how
    text = f"{said} ({way}, {answered_on:%Y-%m-%d}"
    return text + (f"; {note})" if note else ")")


def _insert(actor: User, case: Case, answers: Iterable[AnswerInput],
            consent_id: int | None) -> list[GuardianAnswer]:
    return [GuardianAnswer.create(case=case, guardian=a.guardian, consents=a.consents,
                                  answered_on=a.answered_on, how=a.how.value,
                                  note=a.note.strip(), recorded_by=actor, consent_id=consent_id)
            for a in answers]


def _count(answers: Sequence[AnswerInput]) -> str:
    yes = sum(1 for a in answers if a.consents)
    no = len(answers) - yes
    parts = [f"{yes} samtycker"] if yes else []
    if no:
        parts.append(f"{no} samtycker inte")
    return ", ".join(parts)


def record_guardian_answers(actor: User, case: Case, answers: Sequence[AnswerInput], *,
                            today: dt.date | None = None) -> list[GuardianAnswer]:
    """Record guardians' answers before the consent can be registered — one has said yes and
    the other not yet, or one has said no. Logged with how many said yes and no."""
    today = today or clock.today()
    require_can_change(actor, case)
    lifecycle.ensure_open(case)
    if not answers:
        raise ValidationError("Fyll i minst en vårdnadshavares svar.", field="guardians")
    registered = {g.id for g in guardian_rules.guardians_of(case.person_id)}
    for answer in answers:
        if answer.guardian.id not in registered:
            raise ValidationError(f"{answer.guardian.name} är inte vårdnadshavare för barnet.",
                                  field=answer_field(answer.guardian))
    for name, message in answer_problems(answers, today=today).items():
        raise ValidationError(message, field=name)
    with database.atomic():
        saved = _insert(actor, case, answers, None)
        audit.record(actor, action=AuditAction.CREATE, entity="guardian_answer",
                     entity_id=saved[0].id, case=case,
                     summary=f"Vårdnadshavarnas svar registrerat: {_count(answers)}")
    return saved


def link_to_consent(actor: User, case: Case, answers: Sequence[AnswerInput],
                    consent_id: int) -> None:
    """The answers a consent rests on: a pending answer that is the same as the one given
    is linked to the consent, any other is recorded now. Inside the consent's transaction."""
    pending = pending_answers(case)
    fresh = []
    for answer in answers:
        waiting = pending.get(answer.guardian.id)
        if (waiting is not None and waiting.consents == answer.consents
                and waiting.answered_on == answer.answered_on
                and waiting.how == answer.how.value
                and waiting.note == answer.note.strip()):
            GuardianAnswer.update(consent_id=consent_id).where(
                GuardianAnswer.id == waiting.id).execute()
        else:
            fresh.append(answer)
    _insert(actor, case, fresh, consent_id)


def pending_answers(case: Case | int) -> dict[int, GuardianAnswer]:
    """The latest answer of each guardian given since the last consent was registered (and not
    part of it), by the guardian's id."""
    case_id = case if isinstance(case, int) else case.id
    last_linked = (GuardianAnswer.select(pw.fn.MAX(GuardianAnswer.id))
                   .where((GuardianAnswer.case == case_id)
                          & GuardianAnswer.consent_id.is_null(False)))
    # A former guardian's answer no longer waits for anything (guardian_removal); it is kept.
    rows = (GuardianAnswer.select().join(PersonContact)
            .where((GuardianAnswer.case == case_id) & GuardianAnswer.consent_id.is_null()
                   & (GuardianAnswer.id > pw.fn.COALESCE(last_linked, 0))
                   & (PersonContact.kind == ContactKind.GUARDIAN.value))
            .order_by(GuardianAnswer.id))
    return {row.guardian_id: row for row in rows}


def answers_of_consents(consent_ids: Sequence[int]) -> dict[int, list[GuardianAnswer]]:
    """The answers each consent rests on, with the guardian joined, in registration order."""
    found: dict[int, list[GuardianAnswer]] = {cid: [] for cid in consent_ids}
    if not consent_ids:
        return found
    rows = (GuardianAnswer.select(GuardianAnswer, PersonContact).join(PersonContact)
            .where(GuardianAnswer.consent_id.in_(list(consent_ids)))
            .order_by(PersonContact.id))
    for row in rows:
        if row.consent_id is not None:
            found[row.consent_id].append(row)
    return found
