"""A guardian's answer to the question of a SIP for their child (seed 002; migration 21).

Each guardian with custody answers for themselves — yes or no, on a day, and how (at a meeting,
by phone, in writing) — and every answer is kept: those given before the consent could be
registered (one guardian said yes on Monday, the other on Thursday; or one said no), and those
the consent rests on (`consent_id`). The rules are in sipdesk.casework.guardians.

The consent (sipdesk.storage.consent_records) is named by its id; the database holds the foreign
key (migration 21).
"""

from __future__ import annotations

from typing import ClassVar

import peewee as pw

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel
from sipdesk.storage.models import Case, PersonContact, User, now


class GuardianHow(LabelledEnum):
    """How a guardian gave their answer. "oral" and "written" are also the values of a consent
    registered before migration 21 (GuardianConsent.how)."""

    ORAL = "oral"
    PHONE = "phone"
    WRITTEN = "written"

    __labels__: ClassVar[Labels] = {
        "oral": "Muntligt vid möte eller besök",
        "phone": "Muntligt per telefon",
        "written": "Skriftligt, med underskrift",
    }


class GuardianAnswer(BaseModel):
    """One guardian's yes or no to SIP for the child, as recorded."""

    case = pw.ForeignKeyField(Case, backref="guardian_answers", on_delete="RESTRICT")
    case_id: int
    guardian = pw.ForeignKeyField(PersonContact, on_delete="RESTRICT")
    guardian_id: int
    consents = pw.BooleanField()
    answered_on = pw.DateField()
    how = pw.CharField(max_length=20)
    note = pw.CharField(max_length=200, default="")
    recorded_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    recorded_by_id: int
    consent_id = pw.IntegerField(null=True, index=True)  # the consent it is part of
    created_at = pw.DateTimeField(default=now)

    class Meta:
        table_name = "guardian_answer"
        indexes = ((("case", "guardian"), False),)
