"""Wizard drafts that survive closing the app or a crash: saved as JSON per user, case and
wizard, replaced on every save, deleted when the wizard finishes. A draft is part of its case:
only a user who may see the case keeps one (sipdesk.accounts.access)."""

from __future__ import annotations

import json
from typing import Any

import peewee as pw

from sipdesk.accounts.access import require_can_see
from sipdesk.storage.db import BaseModel, database
from sipdesk.storage.models import Case, User, now


class Draft(BaseModel):
    user = pw.ForeignKeyField(User, on_delete="CASCADE")
    case = pw.ForeignKeyField(Case, on_delete="CASCADE")
    wizard = pw.CharField(max_length=40)
    data = pw.TextField()
    saved_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("user", "case", "wizard"), True),)


def save_draft(user: User, case: Case | int, wizard: str, data: dict[str, Any]) -> None:
    require_can_see(user, case)
    # ASCII with escapes: a draft keeps whatever was typed, even a character that the
    # record itself will refuse (NUL, a lone surrogate), so nothing typed is lost.
    text = json.dumps(data, ensure_ascii=True, default=str)
    with database.atomic():
        updated = (Draft.update(data=text, saved_at=now())
                   .where((Draft.user == user) & (Draft.case == case) & (Draft.wizard == wizard))
                   .execute())
        if not updated:
            Draft.create(user=user, case=case, wizard=wizard, data=text)


def load_draft(user: User, case: Case | int, wizard: str) -> dict[str, Any] | None:
    require_can_see(user, case)
    draft = Draft.get_or_none((Draft.user == user) & (Draft.case == case)
                              & (Draft.wizard == wizard))
    return json.loads(draft.data) if draft else None


def delete_draft(user: User, case: Case | int, wizard: str) -> None:
    require_can_see(user, case)
    Draft.delete().where((Draft.user == user) & (Draft.case == case)
                         & (Draft.wizard == wizard)).execute()
