"""What the dokumentationsstöd (the documentation wizard) shows, read off the UI thread, and how
one of its fields is saved.

`documentation_view(user, plan_id, today=…)` reads one plan version with everything its six
pages show — the participants and what they lack, the principals' parts (who may write each),
the interventions, goals and actions by others, the legal and plain-language checks, the
deadline — as plain values. The wizard reads it in the operation runner when it opens and
again when the user moves between pages (others may write in the same version at once).

`save_field(actor, plan_id, name, old, new)` saves one field the way the wizard saves as the
user types: only if it still holds `old`, the value the user started from (compare-and-set);
otherwise the `FieldConflict` with both values, nothing saved and nothing lost. The shared
texts go through `plan.update_fields`; the sub-goals and the actions by others through
`plan.save_sub_goals` and `plan.save_other_actions` (compare-and-set on the list's version).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from sipdesk.accounts import access
from sipdesk.casework import consent
from sipdesk.casework.contacts import principals
from sipdesk.casework.lifecycle import READ_ONLY
from sipdesk.plans import plan
from sipdesk.plans.plan import (
    FieldConflict,
    Intervention,
    PlainLanguageHint,
    PlanParticipant,
    PlanVersion,
    PrincipalPart,
)
from sipdesk.plans.plan_lists import OthersValue
from sipdesk.storage.models import CaseStatus, Principal, User

# The fields the wizard saves as the user types: the shared texts and two lists.
LIST_FIELDS = ("sub_goals", "others")
_COLUMN = {"overall_principal": "overall_principal_id"}


@dataclass(frozen=True)
class PartView:
    """A principal's part as the wizard shows it (names resolved, no lazy relation left)."""

    principal_id: int
    name: str
    finished_at: dt.datetime | None
    finished_by: str  # the full name of the one who marked it finished, or ""
    approved_at: dt.datetime | None
    on_behalf: bool
    writable: bool  # the user may write, finish and approve it (`plan.may_write_for`)
    own: bool  # the user's own principal's part


@dataclass(frozen=True)
class DocumentationView:
    """One plan version as the documentation wizard shows it to one user on one day."""

    version: PlanVersion  # the row as stored when read (its own columns only)
    case_number: str
    case_open: bool
    latest: bool  # the newest version of the case (an older one is read only)
    may_change: bool  # the user may change the case (access.can_change): not another unit
    is_child: bool  # the person was a child on the meeting day (their own views asked for)
    coordinator: str  # the case's coordinator's full name
    documented_by: str  # who documents the version, or ""
    overdue: bool  # `plan.is_overdue` on the day asked
    participants: list[PlanParticipant]
    principal_names: dict[int, str]  # every principal, by id
    participant_problems: list[str]
    parts: list[PartView]  # by the principal's name
    interventions: list[Intervention]  # each with its principal joined
    sub_goals: list[str]
    others: OthersValue
    legal_problems: list[str]
    approval_problems: list[str]
    hints: list[PlainLanguageHint]

    @property
    def read_only(self) -> bool:
        """A locked (approved) version, an older version or a closed case is only read."""
        return (self.version.locked or not self.case_open or not self.latest
                or not self.may_change)

    @property
    def read_only_reason(self) -> str:
        if not self.case_open:
            return READ_ONLY
        if not self.may_change:
            return "ärendet hör till en annan enhet."
        if self.version.locked:
            return "planen är godkänd och låst."
        return "det här är en äldre version."

    def stored(self, name: str) -> Any:
        """A field's value as stored: what the wizard shows and saves over."""
        if name == "sub_goals":
            return list(self.sub_goals)
        if name == "others":
            return self.others
        return getattr(self.version, _COLUMN.get(name, name))


def others_value(version: PlanVersion) -> OthersValue:
    rows = tuple((o.who, o.what, o.when) for o in plan.other_actions(version))
    return rows, bool(version.others_none)


def _parts(user: User, version: PlanVersion) -> list[PartView]:
    finisher = User.alias()
    rows = (PrincipalPart.select(PrincipalPart, Principal, finisher)
            .join(Principal).switch(PrincipalPart)
            .join(finisher, JOIN.LEFT_OUTER, on=(PrincipalPart.finished_by == finisher.id),
                  attr="finished_by")
            .where(PrincipalPart.plan == version.id)
            .order_by(Principal.name))
    own = user.unit.principal_id
    return [PartView(
        principal_id=part.principal_id, name=part.principal.name,
        finished_at=part.finished_at,
        finished_by=part.finished_by.full_name if part.finished_by is not None else "",
        approved_at=part.approved_at, on_behalf=bool(part.on_behalf),
        writable=plan.may_write_for(user, version, part.principal_id),
        own=part.principal_id == own) for part in rows]


def documentation_view(user: User, plan_id: int, *, today: dt.date) -> DocumentationView:
    """Plan version `plan_id` as `user` documents it on `today`."""
    version = plan.get_version(plan_id)
    case = access.plan_case(user, version)
    latest = plan.latest_version(case)
    writer = (User.get_or_none(User.id == version.documented_by_id)
              if version.documented_by_id else None)
    return DocumentationView(
        version=version, case_number=case.number,
        case_open=CaseStatus(case.status).is_open,
        latest=latest is not None and latest.id == version.id,
        may_change=access.can_change(user, case),
        is_child=consent.is_child(case.person, version.meeting_date),
        coordinator=User.get_by_id(case.coordinator_id).full_name,
        documented_by=writer.full_name if writer is not None else "",
        overdue=plan.is_overdue(version, today=today),
        participants=plan.participants(version),
        principal_names={p.id: p.name for p in principals()},
        participant_problems=plan.participant_problems(version),
        parts=_parts(user, version),
        interventions=plan.interventions(version),
        sub_goals=plan.sub_goals(version),
        others=others_value(version),
        legal_problems=plan.legal_problems(version),
        approval_problems=plan.approval_problems(version),
        hints=plan.plain_language_hints(version))


def save_field(actor: User, plan_id: int, name: str, old: Any, new: Any
               ) -> FieldConflict | None:
    """Save one of the wizard's fields if it still holds `old`; else the conflict. Each is a
    compare-and-set in the database: a shared text on its column (`plan.update_fields`), a
    list on the list's version (`plan.save_sub_goals`, `plan.save_other_actions`)."""
    version = plan.get_version(plan_id)
    access.plan_case(actor, version, change=True)  # before anything of the plan is compared or told
    if name == "sub_goals":
        return plan.save_sub_goals(actor, version, list(old), list(new))
    if name == "others":
        return plan.save_other_actions(actor, version, old, new)
    conflicts = plan.update_fields(actor, version, {name: (old, new)})
    return conflicts[0] if conflicts else None
