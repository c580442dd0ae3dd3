"""What the Planen tab shows, read off the UI thread: every version of the case's plan with its
principals' parts (who finished and approved each, joined in one query), what each version
changed since the one before, and for the latest version what the user may do now (their own
parts, which principals have written something, the approval request and what still stops an
approval).

`plan_page(user, case)` runs in the operation runner; the tab shows what it returns, and
switching between versions needs no new read.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from peewee import JOIN

from sipdesk.accounts.access import require_can_see
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import Step
from sipdesk.plans import child_voice, plan
from sipdesk.plans.child_voice import ChildFeedback
from sipdesk.plans.plan import PlanVersion, PrincipalPart, VersionChange
from sipdesk.storage.models import Case, Person, Principal, User


@dataclass(frozen=True)
class PlanPage:
    versions: list[PlanVersion]  # newest first
    parts: dict[int, list[PrincipalPart]]  # by version id; principal, finished_by, approved_by
    changes: dict[int, list[VersionChange] | None]  # since the version before (None: the first)
    can_start: bool  # the case's meeting is held and has no plan yet ("Börja dokumentera")
    mine: list[PrincipalPart]  # the latest version's parts the user may write for
    written: set[int]  # principals with an intervention (or a "we do nothing") in the latest
    requested_at: dt.datetime | None  # the standing request to approve the latest version
    approval_problems: list[str]  # what stops approving the latest version
    overdue: bool = False  # the latest version's documentation is late (plan.is_overdue)
    unclear_words: list[str] = field(default_factory=list)  # plan.plain_language_warnings
    # The versions of a child's plan (under 18 on the meeting day) and their återkoppling to
    # the child, where recorded (sipdesk.plans.child_voice).
    child_versions: frozenset[int] = frozenset()
    feedback: dict[int, ChildFeedback] = field(default_factory=dict)
    # The rule "consent must stand" (lifecycle.consent_basis_problem) for sending the latest
    # version to be approved, and for approving it: what is missing, or "".
    request_consent_problem: str = ""
    approve_consent_problem: str = ""

    @property
    def latest(self) -> PlanVersion | None:
        return self.versions[0] if self.versions else None


def _parts(versions: list[PlanVersion]) -> dict[int, list[PrincipalPart]]:
    finisher, approver = User.alias(), User.alias()
    found: dict[int, list[PrincipalPart]] = defaultdict(list)
    if not versions:
        return found
    rows = (PrincipalPart.select(PrincipalPart, Principal, finisher, approver)
            .join(Principal).switch(PrincipalPart)
            .join(finisher, JOIN.LEFT_OUTER, on=(PrincipalPart.finished_by == finisher.id),
                  attr="finished_by").switch(PrincipalPart)
            .join(approver, JOIN.LEFT_OUTER, on=(PrincipalPart.approved_by == approver.id),
                  attr="approved_by")
            .where(PrincipalPart.plan.in_([v.id for v in versions]))
            .order_by(Principal.name))
    for part in rows:
        found[part.plan_id].append(part)
    return found


def plan_page(user: User, case: Case, today: dt.date) -> PlanPage:
    """The Planen tab of `case` as `user` sees it on `today` (refused when they may not see
    the case; the reads below are its parts and check nothing again)."""
    require_can_see(user, case)
    versions = plan.versions(case)
    parts = _parts(versions)
    changes: dict[int, list[VersionChange] | None] = {}
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        changes[version.id] = plan.changes_between(older, version) if older else None
    latest = versions[0] if versions else None
    mine: list[PrincipalPart] = []
    written: set[int] = set()
    requested = None
    problems: list[str] = []
    overdue = False
    unclear: list[str] = []
    consent_problems = {step: "" for step in (Step.REQUEST_APPROVAL, Step.APPROVE_PLAN)}
    if latest is not None and latest.locked_at is None:
        for step in consent_problems:
            consent_problems[step] = lifecycle.consent_basis_problem(case, step,
                                                                     today=today) or ""
    if latest is not None:
        overdue = plan.is_overdue(latest, today=today)
        unclear = plan.plain_language_warnings(latest)
        mine = [p for p in parts[latest.id] if plan.may_write_for(user, latest, p.principal_id)]
        written = {i.principal_id for i in plan.interventions(latest)}
        requested = plan.approval_requested_at(latest)
        problems = plan.approval_problems(latest)
    person = Person.get_by_id(case.person_id)
    children = frozenset(v.id for v in versions if child_voice.is_child_plan(v, person))
    feedback = {row.plan_id: row for row in ChildFeedback.select().where(
        ChildFeedback.plan.in_(list(children)))} if children else {}
    return PlanPage(versions, parts, changes,
                    can_start=plan.meeting_to_document(case) is not None, mine=mine,
                    written=written, requested_at=requested, approval_problems=problems,
                    overdue=overdue, unclear_words=unclear, child_versions=children,
                    feedback=feedback,
                    request_consent_problem=consent_problems[Step.REQUEST_APPROVAL],
                    approve_consent_problem=consent_problems[Step.APPROVE_PLAN])
