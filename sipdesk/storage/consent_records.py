"""A consent and what it rests on, as stored (DOMAIN.md step 2; migrations 2 and 21): the
consent itself, the principals it names, and — for a child — the guardians who gave it. The rules
and use cases are in sipdesk.casework.consent; the records sit here, below the case's life
(sipdesk.casework.lifecycle), which asks them whether every guardian of a child has consented.
"""

from __future__ import annotations

import peewee as pw

from sipdesk.storage.db import BaseModel
from sipdesk.storage.models import Case, PersonContact, Principal, User, now


class Consent(BaseModel):
    case = pw.ForeignKeyField(Case, backref="consents", on_delete="RESTRICT")
    kind = pw.CharField(max_length=10)
    given_on = pw.DateField()
    taken_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    covers = pw.TextField()  # the question agreed with the person
    exclusions = pw.TextField(default="")  # what the person does not want it to cover
    relatives_to_invite = pw.TextField(default="")
    valid_until = pw.DateField()
    superseded_by = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    superseded_by_id: int | None
    withdrawn_on = pw.DateField(null=True)
    withdrawn_how = pw.CharField(max_length=200, default="")
    withdrawn_recorded_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT",
                                               backref="recorded_withdrawals")
    withdrawn_recorded_by_id: int | None
    created_at = pw.DateTimeField(default=now)
    # For a child: the child's own view of the SIP, whatever the age (seed 002; migration 21).
    # A child need not have or give one: empty is a valid answer.
    child_view = pw.TextField(default="")


class ConsentPrincipal(BaseModel):
    """A principal the person allows to take part and share information."""

    consent = pw.ForeignKeyField(Consent, backref="principal_links", on_delete="CASCADE")
    principal = pw.ForeignKeyField(Principal, on_delete="RESTRICT")

    class Meta:
        indexes = ((("consent", "principal"), True),)


class GuardianConsent(BaseModel):
    """For a child: one guardian's consent (how: a GuardianHow value). Each guardian's answer,
    with its day, is kept in guardian_answer (migration 21)."""

    consent = pw.ForeignKeyField(Consent, backref="guardian_consents", on_delete="CASCADE")
    guardian = pw.ForeignKeyField(PersonContact, on_delete="RESTRICT")
    guardian_id: int
    how = pw.CharField(max_length=10)  # oral / written
