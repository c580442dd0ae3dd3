"""The plan as it is read: its versions, goals, interventions, other actions and principals'
parts, the read model the printed plan is built from (`plan_view`), what a follow-up changed,
and the latest versions a bulk print prints.

Split from `sipdesk.plans.plan` (issue 11: no module over ~500 lines), which re-exports every name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import peewee as pw

from sipdesk.accounts.access import visible_cases
from sipdesk.casework import protected
from sipdesk.errors import NotFoundError
from sipdesk.storage.meeting_records import Meeting, MeetingStatus
from sipdesk.storage.models import Case, CaseStatus, Person, Principal, PrincipalKind, User
from sipdesk.storage.plan_records import (
    Intervention,
    OtherAction,
    PlanParticipant,
    PlanVersion,
    PrincipalPart,
    SubGoal,
    participants,
)


def versions(case: Case) -> list[PlanVersion]:
    return list(PlanVersion.select().where(PlanVersion.case == case)
                .order_by(PlanVersion.number.desc()))


def get_version(plan_id: int) -> PlanVersion:
    plan = PlanVersion.get_or_none(PlanVersion.id == plan_id)
    if plan is None:
        raise NotFoundError("Planen finns inte.")
    return plan


def sub_goals(plan: PlanVersion) -> list[str]:
    return [g.text for g in SubGoal.select().where(SubGoal.plan == plan)
            .order_by(SubGoal.position, SubGoal.id)]


def principals_of_user(user: User) -> int:
    return user.unit.principal_id


def meeting_to_document(case: Case) -> Meeting | None:
    """The case's latest meeting when it is held and has no plan version yet — what "Börja
    dokumentera" starts from."""
    meeting = (Meeting.select().where(Meeting.case == case).order_by(Meeting.id.desc()).first())
    if meeting is None or meeting.status != MeetingStatus.HELD.value:
        return None
    if PlanVersion.select().where(PlanVersion.meeting == meeting).exists():
        return None
    return meeting


def interventions(plan: PlanVersion) -> list[Intervention]:
    return list(Intervention.select(Intervention, Principal).join(Principal)
                .where(Intervention.plan == plan)
                .order_by(Principal.name, Intervention.position, Intervention.id))


def other_actions(plan: PlanVersion) -> list[OtherAction]:
    return list(OtherAction.select().where(OtherAction.plan == plan)
                .order_by(OtherAction.position, OtherAction.id))


def parts(plan: PlanVersion) -> list[PrincipalPart]:
    return list(PrincipalPart.select(PrincipalPart, Principal).join(Principal)
                .where(PrincipalPart.plan == plan).order_by(Principal.name))


@dataclass
class VersionChange:
    what: str
    before: str = ""
    after: str = ""


def changes_between(old: PlanVersion, new: PlanVersion) -> list[VersionChange]:
    """What a follow-up changed: goals, texts, interventions, actions by others."""
    result = []
    labels = {"current_situation": "Min nuvarande situation", "main_goal": "Huvudmål",
              "what_matters": "Det här är viktigt för mig", "can_do_self": "Det här klarar jag"}
    for name, label in labels.items():
        if getattr(old, name) != getattr(new, name):
            result.append(VersionChange(label, getattr(old, name), getattr(new, name)))
    old_goals, new_goals = set(sub_goals(old)), set(sub_goals(new))
    result += [VersionChange("Nytt delmål", after=g) for g in sorted(new_goals - old_goals)]
    result += [VersionChange("Delmål borttaget", before=g) for g in sorted(old_goals - new_goals)]
    old_items = {i.what for i in interventions(old)}
    new_items = {i.what for i in interventions(new)}
    result += [VersionChange("Ny insats", after=w) for w in sorted(new_items - old_items)]
    result += [VersionChange("Insats avslutad", before=w) for w in sorted(old_items - new_items)]
    return result


@dataclass
class PlanView:
    """Everything the printed plan needs, read in a handful of queries."""

    plan: PlanVersion
    case: Case
    participants: list[PlanParticipant]
    sub_goals: list[str]
    interventions: list[Intervention]
    other_actions: list[OtherAction]
    parts: list[PrincipalPart]
    overall_principal: str
    approved: bool
    principal_names: dict[int, str] = field(default_factory=dict)


def plan_view(plan_id: int) -> PlanView:
    plan = get_version(plan_id)
    case = Case.get_by_id(plan.case_id)
    items = interventions(plan)
    overall = Principal.get_by_id(plan.overall_principal_id).name \
        if plan.overall_principal_id else ""
    plan_parts = parts(plan)
    names = {p.principal_id: p.principal.name for p in plan_parts}
    names.update({i.principal_id: i.principal.name for i in items})
    rows = participants(plan)
    person = Person.get_by_id(case.person_id)
    if protected.address_hidden(person):
        # An address written down before the person was marked protected is not printed.
        for row in rows:
            row.contact = protected.scrub_address(row.contact, person)
    return PlanView(plan, case, rows, sub_goals(plan), items,
                    other_actions(plan), plan_parts, overall,
                    approved=plan.locked, principal_names=names)


def municipality_and_region_present(plan: PlanVersion) -> bool:
    kinds = {p.principal.kind for p in parts(plan)}
    return {PrincipalKind.MUNICIPALITY.value, PrincipalKind.REGION.value} <= kinds


def is_documenting(case: Case) -> bool:
    return CaseStatus(case.status) is CaseStatus.DOCUMENTATION


def latest_version_ids(*, statuses: Iterable[CaseStatus] | None = None,
                       approved_only: bool = False,
                       visible_to: User | None = None) -> list[int]:
    """The latest plan version of every case that has one, in case-number order — what a bulk
    print of "every plan" prints. `statuses` limits it to cases in those states;
    `approved_only` to versions every principal has approved (the person's copy). One query.

    `visible_to`: the user who prints — only the cases they may see (sipdesk.accounts.access),
    and not a protected person's whose name they may not see (a printed plan names the person;
    it is printed from the case, opened with a reason). None is the command line's `print`,
    which reads with the database account it was started with."""
    latest = (PlanVersion.select(PlanVersion.case.alias("case_id"),
                                 pw.fn.MAX(PlanVersion.number).alias("number"))
              .group_by(PlanVersion.case).alias("latest"))
    query = (PlanVersion.select(PlanVersion.id)
             .join(latest, on=((PlanVersion.case == latest.c.case_id)
                               & (PlanVersion.number == latest.c.number)))
             .switch(PlanVersion).join(Case, on=(PlanVersion.case == Case.id)))
    if statuses is not None:
        query = query.where(Case.status.in_([CaseStatus(s).value for s in statuses]))
    if approved_only:
        query = query.where(PlanVersion.locked_at.is_null(False))
    if visible_to is not None:
        query = (query.join(Person, on=(Case.person == Person.id))
                 .where(visible_cases(visible_to) & protected.name_visible(visible_to)))
    return [row.id for row in query.order_by(Case.number)]
