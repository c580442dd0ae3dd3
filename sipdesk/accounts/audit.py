"""The audit log (Händelselogg): every write and every opening of a case, every print, export
and search by personal number, with user and time.

Entries are written by the use-case functions inside their own transaction, so a failed write
leaves neither a change nor an entry. The app has no way to change or delete an entry, and the
database refuses it too (triggers from migrations 0002 and 0015). Each entry is linked into a
hash chain (`sipdesk.storage.audit_chain`; `audit_verify` walks it), so a change made around
the triggers shows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, ClassVar

import peewee as pw

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage import audit_chain
from sipdesk.storage.db import BaseModel, Engine, engine_of
from sipdesk.storage.models import Case, User, now


class AuditAction(LabelledEnum):
    CREATE = "create"
    UPDATE = "update"
    STATE = "state"
    OPEN = "open"
    PRINT = "print"
    EXPORT = "export"
    SEARCH = "search"

    __labels__: ClassVar[Labels] = {
        "create": "Skapad", "update": "Ändrad", "state": "Status", "open": "Öppnad",
        "print": "Utskrift", "export": "Export", "search": "Sökning",
    }


class AuditEntry(BaseModel):
    at = pw.DateTimeField(default=now, index=True)
    user = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    case = pw.ForeignKeyField(Case, null=True, on_delete="RESTRICT", backref="audit_entries")
    action = pw.CharField(max_length=20)
    entity = pw.CharField(max_length=40)  # table name of what was written
    entity_id = pw.IntegerField(null=True)
    summary = pw.CharField(max_length=300)  # Swedish, for the Händelselogg
    changes = pw.TextField(default="")  # JSON {field: [old, new]}
    # The hash chain (sipdesk.storage.audit_chain). The client sends body_hash; the other
    # three are set by the insert (PostgreSQL: by the server's trigger).
    chain_seq = pw.BigIntegerField(null=True, unique=True)
    body_hash = pw.CharField(max_length=64, null=True)
    prev_hash = pw.CharField(max_length=64, null=True)
    hash = pw.CharField(max_length=64, null=True)

    class Meta:
        indexes = ((("case", "at"), False),)


# The names of changed fields (the keys of `changes`) as the Händelselogg says them: Swedish,
# in the words the forms use, never the code's English.
FIELD_LABELS: dict[str, str] = {
    # the case and its need
    "status": "Status",
    "coordinator": "Samordningsansvarig",
    "noticed_by": "Uppmärksammat av",
    "noticed_by_user": "Personal",
    "noticed_by_name": "Namn",
    "noticed_on": "Datum",
    "need": "Behovet",
    "question": "Frågan",
    "closed_on": "Avslutsdatum",
    "reason": "Skäl",
    # consent
    "principals": "Huvudmän",
    "valid_until": "Gäller till och med",
    "withdrawn_on": "Återkallat",
    "kind": "Slag",
    "given_on": "Givet",
    # meetings
    "starts_at": "Mötestid",
    "conclusion": "Slutsats",
    # the plan (plan.SHARED_FIELDS)
    "chair": "Ordförande",
    "adjusted_with": "Deltog i justeringen av texten",
    "current_situation": "Min nuvarande situation",
    "what_matters": "Det här är viktigt för mig",
    "can_do_self": "Det här klarar jag själv",
    "child_views": "Barnets egna ord",
    "child_silent": "Barnet ville inte säga något",
    "child_asked": "Så frågade vi barnet",
    "child_trusted": "Någon barnet litar på",
    "child_weighing": "Så vägde vi in barnets åsikter",
    "main_goal": "Huvudmål",
    "sub_goals": "Delmål",
    "others_none": "Inga åtgärder av andra",
    "overall_principal": "Övergripande ansvar",
    "coordinator_contact": "Samordningsansvarig — så når du hen",
    "treatment_limitation": "Behandlingsbegränsning",
    "treatment_limitation_ref": "Hänvisning till journalen",
    "follow_up_date": "Datum för uppföljning",
    "follow_up_by": "Vem följer upp",
    "follow_up_skipped_reason": "Skäl att hoppa över uppföljningen",
    # the evaluation of a meeting (meetings.evaluation: the questions' short names)
    "respondent_kind": "Vem har svarat",
    "respondent_name": "Namn",
    "given_as": "Svaren kom",
    "felt_before": "Kändes bra inför mötet",
    "listened": "Blev lyssnad på",
    "understood": "Förstod det som sades",
    "views_counted": "Egna åsikter med i besluten",
    "comment": "Fritext",
    # user administration (sipdesk.accounts.user_admin)
    "active": "Aktiv",
    "role": "Roll",
    "unit": "Enhet",
}


def field_label(name: str) -> str:
    """A field's Swedish name for the Händelselogg; an unlisted one is called "Uppgift"."""
    return FIELD_LABELS.get(name, "Uppgift")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, pw.Model):
        return value.get_id()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value changed (version stamps left out)."""
    skip = {"version", "updated_at"}
    return {
        key: [_plain(before.get(key)), _plain(value)]
        for key, value in after.items()
        if key not in skip and _plain(before.get(key)) != _plain(value)
    }


def record(
    actor: User | None,
    *,
    action: AuditAction,
    entity: str,
    summary: str,
    case: Case | int | None = None,
    entity_id: int | None = None,
    changes: dict[str, list[Any]] | None = None,
) -> int:
    """Append one entry, linked into the chain; returns its id. Call it inside the transaction
    of the write it describes. One statement on either engine."""
    fields: dict[str, Any] = {
        "at": now(),
        "user_id": actor.id if actor is not None else None,
        "case_id": case.id if isinstance(case, Case) else case,
        "action": action.value, "entity": entity, "entity_id": entity_id,
        "summary": summary[:300], "changes": json.dumps(changes or {}, ensure_ascii=False),
    }
    body = audit_chain.body_hash(**fields)
    if engine_of() is Engine.POSTGRESQL:
        # The server's trigger links it (audit_entry_link, migration 0015).
        return int(AuditEntry.insert(
            at=fields["at"], user=fields["user_id"], case=fields["case_id"],
            action=fields["action"], entity=entity, entity_id=entity_id,
            summary=fields["summary"], changes=fields["changes"], body_hash=body,
        ).execute())
    db = AuditEntry._meta.database
    # The time as text, as sqlite3 stores a datetime ("YYYY-MM-DD HH:MM:SS").
    params = [fields["at"].isoformat(sep=" "), *list(fields.values())[1:], body, body]
    cursor = db.execute_sql(audit_chain.SQLITE_INSERT, params)
    if cursor.rowcount != 1:  # no head row: the database was not migrated by sipdesk
        raise pw.IntegrityError("audit_chain_head has no row")
    return int(cursor.lastrowid)


@dataclass(frozen=True)
class LogLine:
    at: dt.datetime
    user: str
    action: AuditAction
    summary: str
    changes: dict[str, list[Any]]


def case_log(case_id: int) -> list[LogLine]:
    """The case's Händelselogg, newest first, in one query."""
    query = (
        AuditEntry.select(AuditEntry, User)
        .join(User, pw.JOIN.LEFT_OUTER)
        .where(AuditEntry.case == case_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    return [
        LogLine(
            at=e.at, user=e.user.full_name if e.user else "sipdesk",
            action=AuditAction(e.action), summary=e.summary,
            changes=json.loads(e.changes) if e.changes else {},
        )
        for e in query
    ]
