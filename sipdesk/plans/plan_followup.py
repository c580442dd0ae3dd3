"""The plan's dates — DOMAIN.md steps 9–11: the documentation deadline, the follow-up (after
the meeting and at least once a year, a reminder 30 days before), and skipping it with a reason.

Split from `sipdesk.plans.plan` (issue 11: no module over ~500 lines), which re-exports every name.
"""

from __future__ import annotations

import datetime as dt

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import plan_case
from sipdesk.accounts.audit import AuditAction
from sipdesk.errors import ValidationError
from sipdesk.plans.plan_reads import parts
from sipdesk.rules.workdays import one_year_after
from sipdesk.storage.limits import check_texts
from sipdesk.storage.models import User
from sipdesk.storage.plan_records import PlanVersion

FOLLOW_UP_WARN_DAYS = 30


def check_follow_up_date(plan: PlanVersion, day: dt.date) -> None:
    if day <= plan.meeting_date:
        raise ValidationError("Uppföljningen ska ligga efter mötet.", field="follow_up_date")
    limit = one_year_after(plan.meeting_date)
    if day > limit:
        raise ValidationError(f"Planen följs upp minst en gång om året — senast "
                              f"{limit:%Y-%m-%d}.", field="follow_up_date")


def is_overdue(plan: PlanVersion, *, today: dt.date | None = None) -> bool:
    """Documentation not finished within two working days after the meeting."""
    today = today or clock.today()
    if plan.locked:
        return False
    finished = all(p.finished_at for p in parts(plan)) and bool(parts(plan))
    return not finished and today > plan.deadline


def follow_up_due(plan: PlanVersion, *, today: dt.date | None = None) -> bool:
    """A reminder 30 days before the follow-up date (and at least yearly)."""
    today = today or clock.today()
    if not plan.locked:
        return False
    day = plan.follow_up_date or one_year_after(plan.meeting_date)
    return today >= day - dt.timedelta(days=FOLLOW_UP_WARN_DAYS)


def skip_follow_up(actor: User, plan: PlanVersion, *, reason: str) -> None:
    """A follow-up that does not happen needs a reason (seed 000)."""
    case = plan_case(actor, plan, change=True)
    if not reason.strip():
        raise ValidationError("Skriv varför uppföljningen inte blir av.", field="reason")
    check_texts(PlanVersion, {"reason": reason}, columns={"reason": "follow_up_skipped_reason"})
    PlanVersion.update(follow_up_skipped_reason=reason.strip()).where(
        PlanVersion.id == plan.id).execute()
    audit.record(actor, action=AuditAction.UPDATE, entity="plan_version", entity_id=plan.id,
                 case=case, summary=f"Uppföljningen hoppas över: {reason.strip()}")
