"""Finishing, approving and locking a plan version — DOMAIN.md step 8, seed 000.

Every principal marks its part finished, then approves; approving answers the request to
approve (the approver's kvittens); when all have approved the version is locked and the
participants are told. The coordinator may reopen a locked version with a reason, which clears
every approval and asks again.

Split from `sipdesk.plans.plan` (issue 11: no module over ~500 lines), which re-exports every name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee as pw

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import plan_case
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import Action, Step
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.messages import messaging
from sipdesk.messages.messaging import MessageKind
from sipdesk.plans.plan_language import plain_language_hints, plain_language_warnings
from sipdesk.plans.plan_reads import parts
from sipdesk.plans.plan_rules import approval_problems, ensure_editable, may_write_for
from sipdesk.rules.workdays import add_workdays
from sipdesk.storage.db import database
from sipdesk.storage.limits import check_texts
from sipdesk.storage.models import Case, Principal, User, now
from sipdesk.storage.plan_records import (
    DOCUMENTATION_WORKDAYS,
    Intervention,
    PlanVersion,
    PrincipalPart,
    latest_version,
    participants,
)


def reset_part(plan: PlanVersion, principal_id: int) -> None:
    """A change to a principal's part makes it unfinished again (and unapproves it)."""
    PrincipalPart.update(finished_at=None, finished_by=None, approved_at=None, approved_by=None
                         ).where((PrincipalPart.plan == plan)
                                 & (PrincipalPart.principal == principal_id)).execute()


def _part(plan: PlanVersion, principal_id: int) -> PrincipalPart:
    part = PrincipalPart.get_or_none((PrincipalPart.plan == plan)
                                     & (PrincipalPart.principal == principal_id))
    if part is None:
        raise ValidationError("Huvudmannen deltar inte i planen.")
    return part


def mark_part_finished(actor: User, plan: PlanVersion, principal_id: int) -> PrincipalPart:
    case = ensure_editable(actor, plan)
    if not may_write_for(actor, plan, principal_id):
        raise PermissionDenied("Du kan bara markera din egen huvudmans del som klar.")
    if not Intervention.select().where((Intervention.plan == plan)
                                       & (Intervention.principal == principal_id)).exists():
        raise ValidationError("Skriv minst en insats — eller en mening om att ni inte gör något "
                              "— innan delen är klar.")
    part = _part(plan, principal_id)
    with database.atomic():
        _sign_part(actor, case, part, stamp={"finished_at": now(), "finished_by": actor},
                   what=": delen klar")
    return PrincipalPart.get_by_id(part.id)


def _sign_part(actor: User, case: Case, part: PrincipalPart, *, stamp: dict[str, Any],
               what: str, note: str = "") -> None:
    """Mark a part finished or approved (`stamp`), by `actor` for the principal's own sake or
    on its behalf, with the audit entry: "<principal><what>[ (för huvudmannens räkning)]<note>"."""
    on_behalf = actor.unit.principal_id != part.principal_id
    PrincipalPart.update(on_behalf=on_behalf, **stamp).where(PrincipalPart.id == part.id).execute()
    audit.record(actor, action=AuditAction.UPDATE, entity="principal_part",
                 entity_id=part.id, case=case,
                 summary=(f"{Principal.get_by_id(part.principal_id).name}{what}"
                          f"{' (för huvudmannens räkning)' if on_behalf else ''}{note}"))


def _others_in_plan(actor: User, plan: PlanVersion) -> list[User]:
    """The plan's participants with an account other than `actor`: whom a request to approve
    or a notice about the plan goes to."""
    return [User.get_by_id(p.user_id) for p in participants(plan)
            if p.user_id and p.user_id != actor.id]


def request_approval(actor: User, plan: PlanVersion) -> messaging.Message | None:
    """Ask the users of every participating principal to approve, with kvittens."""
    case = plan_case(actor, plan, change=True)
    # The plan goes to the other principals: the consent must stand (lifecycle's rule).
    problem = lifecycle.consent_basis_problem(case, Step.REQUEST_APPROVAL)
    if problem:
        raise ValidationError(problem, field="consent")
    users = _others_in_plan(actor, plan)
    if not users:
        return None
    return messaging.send(actor, to=users, case=case, kind=MessageKind.APPROVAL,
                          requires_ack=True,
                          subject=f"Godkänn planen, version {plan.number} ({case.number})",
                          body=(f"Planen för ärende {case.number} (version {plan.number}) är "
                                "klar att godkännas. Läs igenom din huvudmans del och godkänn "
                                "den i ärendet."))


def approval_requested_at(plan: PlanVersion) -> dt.datetime | None:
    """When the users were last asked to approve this version, while that request still
    stands: a request to approve (`request_approval`) or a reopening's "godkänn på nytt"
    (`reopen`), not withdrawn, sent after every part was last marked finished. A part changed
    since then (and finished again) needs a new request; None too when none has been sent."""
    finished: list[dt.datetime | None] = [p.finished_at for p in parts(plan)]
    if not finished or any(at is None for at in finished):
        return None
    last_finished = max(at for at in finished if at is not None)
    request = (messaging.Message.select(messaging.Message.sent_at)
               .where((messaging.Message.case == plan.case_id)
                      & (messaging.Message.kind == MessageKind.APPROVAL.value)
                      & (messaging.Message.sent_at >= last_finished)
                      & messaging.Message.withdrawn_at.is_null())
               .order_by(messaging.Message.sent_at.desc()).first())
    return request.sent_at if request is not None else None


def approve(actor: User, plan: PlanVersion, principal_id: int, *,
            plain_language_acknowledged: bool = False) -> PrincipalPart:
    """Approve a principal's part: only when all parts are finished and the legal check passes.
    When the last principal approves, the version is locked.

    Words the person may not understand (`plain_language_warnings`) do not block, but they
    must be seen: with open warnings the approver says so (`plain_language_acknowledged`),
    and the audit entry records it (DOMAIN.md step 8, "Plain language")."""
    case = ensure_editable(actor, plan)
    if not may_write_for(actor, plan, principal_id):
        raise PermissionDenied("Du kan bara godkänna för din egen huvudman.")
    unfinished = [p.principal.name for p in parts(plan) if p.finished_at is None]
    if unfinished:
        raise ValidationError("Alla delar måste vara klara innan planen godkänns. Inte klart: "
                              + ", ".join(unfinished) + ".")
    problems = approval_problems(plan)
    if problems:
        raise ValidationError("Planen kan inte godkännas än:\n" + "\n".join(problems))
    part = _part(plan, principal_id)
    if part.approved_at is not None:
        raise ValidationError("Den delen är redan godkänd.")
    # Approving makes the plan: the consent must stand (lifecycle's rule), at each approval.
    problem = lifecycle.consent_basis_problem(case, Step.APPROVE_PLAN)
    if problem:
        raise ValidationError(problem, field="consent")
    unclear = plain_language_hints(plan)
    if unclear and not plain_language_acknowledged:
        raise ValidationError(
            "Planen har ord som den enskilde kanske inte förstår:\n"
            + "\n".join(plain_language_warnings(plan))
            + "\n\nSkriv om dem, eller godkänn ändå om ni har gått igenom orden med den "
              "enskilde.", field="plain_language")
    words = sorted({h.word for h in unclear}, key=str.casefold)
    with database.atomic():
        _sign_part(actor, case, part, stamp={"approved_at": now(), "approved_by": actor},
                   what=" godkände planen",
                   note=f", trots svåra ord: {', '.join(words)}" if words else "")
        # Approving shows the request was read: it is the approver's kvittens of the requests
        # to approve this version (and of "Planen är öppnad igen"), like answering a kallelse.
        mine = messaging.Receipt.select(messaging.Receipt.message).where(
            (messaging.Receipt.recipient == actor)
            & (messaging.Receipt.needs_ack == True))  # noqa: E712
        for request in _approval_requests(plan).where(messaging.Message.id.in_(mine)):
            messaging.acknowledge_if_waiting(actor, request.id)
        if all(p.approved_at for p in parts(plan)):
            _lock(actor, plan, case)
    return PrincipalPart.get_by_id(part.id)


def _approval_requests(plan: PlanVersion) -> pw.ModelSelect[messaging.Message]:
    """The messages asking to approve `plan` while it is open: "Godkänn planen, version N"
    (`request_approval`) and "Planen är öppnad igen" (`reopen`) — approval messages of its case
    sent since the version was started. (Its own "Planen är godkänd" comes only on locking; the
    one before a reopening no longer asks, `reopen`.)"""
    return messaging.Message.select(messaging.Message.id).where(
        (messaging.Message.case == plan.case_id)
        & (messaging.Message.kind == MessageKind.APPROVAL.value)
        & (messaging.Message.sent_at >= plan.created_at))


def _asking_to_approve(plan: PlanVersion) -> messaging.Asking:
    """`_approval_requests` as criteria for `end_kvittens`, which the server applies itself (a
    user reads only their own messages on PostgreSQL)."""
    return messaging.Asking(case=plan.case_id, kind=MessageKind.APPROVAL,
                            sent_since=plan.created_at)


def _lock(actor: User, plan: PlanVersion, case: Case) -> None:
    PlanVersion.update(locked_at=now()).where(PlanVersion.id == plan.id).execute()
    # Every principal has approved: the requests to approve ask no one any more (they stay
    # readable, marked "Planen är godkänd"); "Planen är godkänd" below asks instead.
    messaging.end_kvittens(_asking_to_approve(plan), why=messaging.AckEnded.PLAN_APPROVED,
                           note=f"planen godkändes av alla {clock.today():%Y-%m-%d}")
    lifecycle.transition(actor, case, Action.APPROVE_PLAN,
                         reason=f"Plan version {plan.number} godkänd av alla")
    # The documentation deadline is met: the next date is the follow-up, or none when the
    # follow-up is skipped (next_step.next_step).
    Case.update(next_date=plan.follow_up_date).where(Case.id == case.id).execute()
    case = Case.get_by_id(case.id)
    if plan.follow_up_date is not None:
        lifecycle.transition(actor, case, Action.PLAN_FOLLOW_UP,
                             reason=f"Uppföljning {plan.follow_up_date:%Y-%m-%d}")
    users = _others_in_plan(actor, plan)
    if users:
        messaging.send(actor, to=users, case=case, kind=MessageKind.APPROVAL, requires_ack=True,
                       subject=f"Planen är godkänd ({case.number})",
                       body=(f"Alla har godkänt planen för ärende {case.number}, version "
                             f"{plan.number}. Den enskilde ska erbjudas en utskriven plan."))


def reopen(actor: User, plan: PlanVersion, *, reason: str) -> PlanVersion:
    """The coordinator reopens a locked version with a reason; all approvals are cleared."""
    case = plan_case(actor, plan, change=True)
    lifecycle.ensure_open(case)
    if actor.id != case.coordinator_id:
        raise PermissionDenied("Bara samordningsansvarig kan öppna en godkänd plan igen.")
    if not plan.locked:
        raise ValidationError("Planen är inte låst.")
    if plan.id != latest_version(case).id:  # type: ignore[union-attr]
        raise ValidationError("Bara den senaste versionen kan öppnas igen.")
    if not reason.strip():
        raise ValidationError("Skriv varför planen öppnas igen.", field="reason")
    check_texts(PlanVersion, {"reason": reason}, columns={"reason": "reopened_reason"})
    reason = reason.strip()
    with database.atomic():
        PlanVersion.update(locked_at=None, reopened_reason=reason).where(
            PlanVersion.id == plan.id).execute()
        PrincipalPart.update(approved_at=None, approved_by=None).where(
            PrincipalPart.plan == plan).execute()
        lifecycle.transition(actor, case, Action.REOPEN_PLAN, reason=reason)
        Case.update(next_date=add_workdays(clock.today(), DOCUMENTATION_WORKDAYS)).where(
            Case.id == case.id).execute()
        # "Planen är godkänd" (and the requests to approve) are overtaken: still readable, no
        # longer something to acknowledge. Every principal is told instead, with the reason,
        # and asked to approve again (Att göra: "Godkänn planen igen", todo.reapproval_rows).
        messaging.end_kvittens(
            messaging.Asking(case=case.id, kind=MessageKind.APPROVAL),
            why=messaging.AckEnded.SUPERSEDED,
            note=f"planen öppnades igen {clock.today():%Y-%m-%d} ({reason})")
        users = _others_in_plan(actor, plan)
        users = [u for u in {u.id: u for u in users}.values() if u.active]
        if users:
            messaging.send(
                actor, to=users, case=case, kind=MessageKind.APPROVAL, requires_ack=True,
                subject=f"Planen är öppnad igen – godkänn på nytt ({case.number})",
                body=(f"{actor.full_name} har öppnat planen för ärende {case.number}, version "
                      f"{plan.number}, igen. Godkännandena gäller inte längre.\n"
                      f"Skäl: {reason}\n\n"
                      "Läs igenom ändringarna och godkänn din huvudmans del igen i ärendet "
                      "(fliken Planen)."))
    return PlanVersion.get_by_id(plan.id)


def awaiting_reapproval(plan: PlanVersion) -> list[PrincipalPart]:
    """A reopened version whose parts are all finished: the parts still to approve again."""
    if plan.locked or not plan.reopened_reason:
        return []
    all_parts = parts(plan)
    if not all_parts or any(p.finished_at is None for p in all_parts):
        return []
    return [p for p in all_parts if p.approved_at is None]
