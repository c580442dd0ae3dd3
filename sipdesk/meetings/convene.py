"""Request to convene (seed 004): home care sees a need and asks the person's case officer (or
licensed staff) to call a SIP. It goes as a message requiring kvittens; the recipient accepts —
and becomes convener and coordinator of the case — or answers.

For people outside sipdesk, `email_text()` gives a text to copy that holds no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import peewee as pw

from sipdesk.accounts import audit
from sipdesk.accounts.access import require_can_see
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework.consent import case_consent_state
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Message, MessageKind
from sipdesk.storage.db import BaseModel, Engine, database, engine_of
from sipdesk.storage.limits import check_texts
from sipdesk.storage.models import Case, User, now


class RequestStatus(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    ANSWERED = "answered"


class ConveneRequest(BaseModel):
    case = pw.ForeignKeyField(Case, on_delete="RESTRICT", backref="convene_requests")
    case_id: int
    requested_by = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="convene_requests")
    requested_to = pw.ForeignKeyField(User, on_delete="RESTRICT", backref="convene_inbox")
    requested_to_id: int
    need = pw.TextField()
    coordinate = pw.TextField()  # what should be coordinated
    actors = pw.TextField()  # which actors should take part
    consent_status = pw.CharField(max_length=200)
    message = pw.ForeignKeyField(Message, on_delete="RESTRICT")
    message_id: int
    status = pw.CharField(max_length=20, default=RequestStatus.OPEN.value)
    created_at = pw.DateTimeField(default=now)


@dataclass
class ConveneInput:
    need: str
    coordinate: str
    actors: str


def request_to_convene(actor: User, case: Case, to: User, data: ConveneInput) -> ConveneRequest:
    require_can_see(actor, case)
    for name, text, problem in (
        ("need", data.need, "Beskriv behovet du ser."),
        ("coordinate", data.coordinate, "Skriv vad som behöver samordnas."),
        ("actors", data.actors, "Skriv vilka aktörer som bör vara med."),
    ):
        if not text.strip():
            raise ValidationError(problem, field=name)
    check_texts(ConveneRequest, {"need": data.need, "coordinate": data.coordinate,
                                 "actors": data.actors})
    state = case_consent_state(case).text
    body = (f"Begäran om SIP för ärende {case.number}.\n\n"
            f"Behov: {data.need.strip()}\n\nVad behöver samordnas: {data.coordinate.strip()}\n\n"
            f"Aktörer: {data.actors.strip()}\n\nSamtycke: {state}\n\n"
            "Kvittera och svara om du tar på dig att kalla till SIP.")
    with database.atomic():
        message = messaging.send(actor, to=[to], case=case, kind=MessageKind.REQUEST_TO_CONVENE,
                                 requires_ack=True, subject=f"Begäran om SIP ({case.number})",
                                 body=body)
        return ConveneRequest.create(case=case, requested_by=actor, requested_to=to,
                                     need=data.need.strip(), coordinate=data.coordinate.strip(),
                                     actors=data.actors.strip(), consent_status=state,
                                     message=message)


def accept(actor: User, request: ConveneRequest) -> Case:
    """The recipient takes it on: becomes the case's convener and coordinator."""
    if request.requested_to_id != actor.id:
        raise PermissionDenied("Begäran är skickad till någon annan.")
    if request.status != RequestStatus.OPEN.value:
        raise ValidationError("Begäran är redan besvarad.")
    with database.atomic():
        case, old = _take_case(actor, request)
        ConveneRequest.update(status=RequestStatus.ACCEPTED.value).where(
            ConveneRequest.id == request.id).execute()
        receipt = messaging.Receipt.get_or_none(
            (messaging.Receipt.message == request.message_id)
            & (messaging.Receipt.recipient == actor))
        if receipt is not None and receipt.acknowledged_at is None:
            messaging.acknowledge(actor, request.message_id)
        messaging.reply(actor, Message.get_by_id(request.message_id),
                        body="Jag tar på mig att kalla till SIP och blir samordningsansvarig.")
        audit.record(actor, action=AuditAction.UPDATE, entity="sip_case", entity_id=case.id,
                     case=case, summary="Begäran om SIP accepterad — ny sammankallande och "
                                        "samordningsansvarig", changes={"coordinator": [old,
                                                                                        actor.id]})
    return case


def _take_case(actor: User, request: ConveneRequest) -> tuple[Case, int]:
    """Make the recipient the case's coordinator; the case afterwards and its coordinator
    before. The recipient may not see the case until then (access.visible_cases): on
    PostgreSQL, where the server keeps them from reading it (row-level security), its helper
    `sipdesk_take_convened_case` (migration 16) makes the change for the recipient of an open
    request, and the case is read once it is theirs."""
    if engine_of() is Engine.POSTGRESQL:
        old = database.execute_sql(
            "SELECT sipdesk_take_convened_case(%s, %s, %s::timestamp)",
            (request.id, actor.id, now())).fetchone()[0]
        if old is None:
            raise ValidationError("Begäran är redan besvarad.")
        return Case.get_by_id(request.case_id), old
    case = Case.get_by_id(request.case_id)
    old = case.coordinator_id
    case.coordinator = actor
    case.save_versioned()
    return case, old


def email_text(*, sender_unit: str, sender_phone: str) -> str:
    """A text to paste into an e-mail to someone outside sipdesk: no personal data at all."""
    return (
        "Hej!\n\n"
        "Vi på " + sender_unit + " ser ett behov av en samordnad individuell plan (SIP) för en "
        "person som vi ger stöd. Personen har gett sitt samtycke, eller så behöver vi prata om "
        "det.\n\nKan du ringa oss så berättar vi mer? Vi skriver inga personuppgifter i e-post.\n"
        f"\nTelefon: {sender_phone}\n\nVänliga hälsningar\n{sender_unit}"
    )
