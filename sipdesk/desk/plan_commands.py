"""Which of the Planen tab's commands the user may run now, and why not — the rules of DOMAIN.md
steps 8–11 for a plan read by `plan_page`: each part finished by its own principal (with at least
one intervention or a "we do nothing"), the request to approve once every part is finished, the
approval once nothing the law asks for is missing, reopening by the coordinator, and the
follow-up of an approved plan. The use cases check the same again; the tab only enables and
explains (a disabled button says why in its tooltip)."""

from __future__ import annotations

from dataclasses import dataclass

from sipdesk.accounts.access import READ_ONLY_HERE
from sipdesk.casework.lifecycle import READ_ONLY
from sipdesk.desk.next_step import FOLLOW_UP_STATES
from sipdesk.plans.plan_page import PlanPage
from sipdesk.storage.models import Case, CaseStatus, User

LOCKED = "Planen är godkänd och låst."


@dataclass(frozen=True)
class Allowed:
    ok: bool
    why_not: str = ""  # empty when allowed


@dataclass(frozen=True)
class PlanCommands:
    finish: Allowed  # Markera min del som klar
    request: Allowed  # Begär godkännande
    approve: Allowed  # Godkänn
    reopen: Allowed  # Öppna igen (the coordinator's)
    follow_up: Allowed  # Kalla till uppföljning
    skip: Allowed  # Hoppa över uppföljning
    coordinator: bool  # the user coordinates the case: reopening is theirs


def plan_commands(page: PlanPage, *, user: User, case: Case,
                  may_change: bool = True) -> PlanCommands | None:
    """The commands for the latest version (None: there is no plan yet). `may_change`: whether
    the user may change the case (access.can_change) — another unit only reads it."""
    latest = page.latest
    if latest is None:
        return None
    closed = (READ_ONLY if not CaseStatus(case.status).is_open
              else "" if may_change else READ_ONLY_HERE)
    stop = closed or (LOCKED if latest.locked else "")
    unfinished = [p.principal.name for p in page.parts.get(latest.id, [])
                  if p.finished_at is None]
    return PlanCommands(
        finish=_finish(page, stop), request=_request(page, stop, unfinished),
        approve=_approve(page, stop, unfinished),
        reopen=Allowed(latest.locked and not closed,
                       closed or "Planen är inte godkänd — den går redan att ändra."),
        follow_up=_follow_up(page, case, closed), skip=_skip(page, case, closed),
        coordinator=user.id == case.coordinator_id)


def _finish(page: PlanPage, stop: str) -> Allowed:
    if stop:
        return Allowed(False, stop)
    if not page.mine:
        return Allowed(False, "Du företräder ingen huvudman i planen.")
    if not [p for p in page.mine if p.finished_at is None]:
        return Allowed(False, "Din del är redan markerad som klar.")
    ready = [p for p in page.mine if p.finished_at is None and p.principal_id in page.written]
    return Allowed(bool(ready), "" if ready else (
        "Skriv minst en insats — eller en mening om att ni inte gör något — innan delen är "
        "klar."))


def _request(page: PlanPage, stop: str, unfinished: list[str]) -> Allowed:
    if stop:
        return Allowed(False, stop)
    if unfinished:
        return Allowed(False, "Alla delar måste vara klara först. Inte klart: "
                       + ", ".join(unfinished) + ".")
    if page.request_consent_problem:
        return Allowed(False, page.request_consent_problem)
    if page.requested_at is not None:
        return Allowed(False, f"Begäran skickad {page.requested_at:%Y-%m-%d}. En ny begäran "
                       "behövs först när en del har ändrats och markerats som klar igen.")
    return Allowed(True)


def _approve(page: PlanPage, stop: str, unfinished: list[str]) -> Allowed:
    if stop:
        return Allowed(False, stop)
    if not page.mine:
        return Allowed(False, "Du företräder ingen huvudman i planen.")
    if not [p for p in page.mine if p.approved_at is None]:
        return Allowed(False, "Din huvudman har redan godkänt planen.")
    if unfinished:
        return Allowed(False, "Alla delar måste vara klara innan planen godkänns. Inte klart: "
                       + ", ".join(unfinished) + ".")
    if page.approval_problems:
        return Allowed(False, "Planen kan inte godkännas än:\n"
                       + "\n".join(page.approval_problems))
    if page.approve_consent_problem:
        return Allowed(False, page.approve_consent_problem)
    return Allowed(True)


def _follow_up(page: PlanPage, case: Case, closed: str) -> Allowed:
    latest = page.latest
    assert latest is not None
    ready = latest.locked and CaseStatus(case.status) in FOLLOW_UP_STATES
    return Allowed(ready and not closed, "" if ready and not closed else closed or (
        "Planen behöver vara godkänd innan uppföljningen kallas." if not latest.locked
        else "En uppföljning är redan kallad."))


def _skip(page: PlanPage, case: Case, closed: str) -> Allowed:
    latest = page.latest
    assert latest is not None
    ready = latest.locked and CaseStatus(case.status) in FOLLOW_UP_STATES
    ok = ready and not closed and not latest.follow_up_skipped_reason
    return Allowed(ok, "" if ok else closed or (
        "Uppföljningen är redan överhoppad." if latest.follow_up_skipped_reason
        else "Planen behöver vara godkänd först."))
