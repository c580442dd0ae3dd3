"""The plan (dokumentationsstöd) — DOMAIN.md steps 7–11, seeds 000 (Dokumentation, Utskrift,
Uppföljning), 003 steps 3 and 5, 002 (the child's voice).

One version per meeting: the first SIP meeting, then each follow-up, which starts as a copy of
the previous version. Each participating principal documents its own part; shared texts are
saved field by field (compare-and-set), so several users can work at once and a clash on the
same field is shown instead of lost. Before approval the legal check (SoL 2:7, HSL 16:4) must
pass; every principal marks its part finished, then approves; when all have approved the
version is locked.

This module holds the use cases that start and edit a version; the rest sits beside it and is
re-exported here, so `plan.x` works for every part: `plan_records` (the records),
`plan_reads` (reads and the printed plan's read model), `plan_rules` (who may write, what
approval needs), `plan_language` (plain-language warnings), `plan_approval` (finishing,
approving, locking, reopening) and `plan_followup` (deadlines and the follow-up).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sipdesk.accounts import audit
from sipdesk.accounts.access import meeting_case
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import Action
from sipdesk.errors import ConflictError, FieldConflict, PermissionDenied, ValidationError
from sipdesk.plans.child_voice import asked_problem
from sipdesk.plans.plan_approval import (
    approval_requested_at,
    approve,
    awaiting_reapproval,
    mark_part_finished,
    reopen,
    request_approval,
    reset_part,
)
from sipdesk.plans.plan_followup import (
    FOLLOW_UP_WARN_DAYS,
    check_follow_up_date,
    follow_up_due,
    is_overdue,
    skip_follow_up,
)
from sipdesk.plans.plan_language import (
    PARAGRAPH_REFERENCE,
    PARAGRAPH_SUGGESTION,
    PERSON_TEXTS,
    TEXT_PLACES,
    PlainLanguageHint,
    plain_language_hints,
    plain_language_warnings,
    text_hints,
)
from sipdesk.plans.plan_lists import (
    OthersValue,
    others_value,
    save_other_actions,
    save_sub_goals,
    set_other_actions,
    set_sub_goals,
)
from sipdesk.plans.plan_reads import (
    PlanView,
    VersionChange,
    changes_between,
    get_version,
    interventions,
    is_documenting,
    latest_version_ids,
    meeting_to_document,
    municipality_and_region_present,
    other_actions,
    parts,
    plan_view,
    principals_of_user,
    sub_goals,
    versions,
)
from sipdesk.plans.plan_rules import (
    PARTICIPANT_LABELS,
    REQUIRED_FIELDS,
    approval_problems,
    ensure_editable,
    legal_problems,
    may_write_for,
    participant_problems,
    required_field_problems,
    required_fields,
)
from sipdesk.storage.db import database
from sipdesk.storage.limits import check_comparable, check_texts, fit, text_problems
from sipdesk.storage.meeting_records import Meeting, MeetingStatus
from sipdesk.storage.models import Case, Principal, User, compare_and_set
from sipdesk.storage.plan_records import (
    DOCUMENTATION_WORKDAYS,
    Intervention,
    InterventionStatus,
    OtherAction,
    PlanKind,
    PlanParticipant,
    PlanVersion,
    PrincipalPart,
    SubGoal,
    latest_version,
    participants,
)

# What callers take from `sipdesk.plans.plan`: the use cases here and every part re-exported above.
__all__ = [
    "DOCUMENTATION_WORKDAYS",
    "FOLLOW_UP_WARN_DAYS",
    "OTHER_INTERVENTION",
    "OTHER_PARTICIPANT",
    "PARAGRAPH_REFERENCE",
    "PARAGRAPH_SUGGESTION",
    "PARTICIPANT_LABELS",
    "PERSON_TEXTS",
    "REQUIRED_FIELDS",
    "SHARED_FIELDS",
    "TEXT_PLACES",
    "ConflictError",
    "FieldConflict",
    "Intervention",
    "InterventionInput",
    "InterventionStatus",
    "OtherAction",
    "OthersValue",
    "PlainLanguageHint",
    "PlanKind",
    "PlanParticipant",
    "PlanVersion",
    "PlanView",
    "PrincipalPart",
    "SubGoal",
    "VersionChange",
    "approval_problems",
    "approval_requested_at",
    "approve",
    "awaiting_reapproval",
    "changes_between",
    "check_follow_up_date",
    "delete_intervention",
    "ensure_editable",
    "follow_up_due",
    "get_version",
    "intervention_problems",
    "interventions",
    "is_documenting",
    "is_overdue",
    "latest_version",
    "latest_version_ids",
    "legal_problems",
    "mark_part_finished",
    "may_write_for",
    "meeting_to_document",
    "municipality_and_region_present",
    "other_actions",
    "others_value",
    "participant_problems",
    "participants",
    "parts",
    "plain_language_hints",
    "plain_language_warnings",
    "plan_view",
    "principals_of_user",
    "remove_participant",
    "reopen",
    "request_approval",
    "required_field_problems",
    "required_fields",
    "reset_part",
    "save_intervention",
    "save_other_actions",
    "save_participant",
    "save_sub_goals",
    "set_other_actions",
    "set_sub_goals",
    "skip_follow_up",
    "start_documentation",
    "sub_goals",
    "text_hints",
    "update_fields",
    "versions",
]


# ---- creating versions --------------------------------------------------------------------------

def _principal_by_name(name: str, kind: str) -> Principal | None:
    if not name:
        return None
    found = Principal.get_or_none(Principal.name == name)
    if found is None and kind:
        found = Principal.create(name=name, kind=kind)
    return found


def start_documentation(actor: User, meeting: Meeting) -> PlanVersion:
    """After a held meeting: a new version prefilled from the meeting — its date, chair, the
    participants who came, and the principals present — or, for a follow-up, a copy of the
    previous version with goals and interventions to update."""
    case = meeting_case(actor, meeting, change=True)
    if meeting.status != MeetingStatus.HELD.value:
        raise ValidationError("Mötet är inte markerat som hållet.")
    if PlanVersion.select().where(PlanVersion.meeting == meeting).exists():
        raise ValidationError("Det finns redan en plan för det här mötet.")
    previous = latest_version(case)
    from sipdesk.meetings.meeting import StaffMeetingRecord  # the record is optional

    record = StaffMeetingRecord.get_or_none(StaffMeetingRecord.meeting == meeting)
    with database.atomic():
        number = (previous.number + 1) if previous else 1
        plan = PlanVersion.create(
            case=case, meeting=meeting, number=number,
            kind=(PlanKind.FOLLOW_UP if previous else PlanKind.ESTABLISH).value,
            meeting_date=meeting.starts_at.date(),
            # Seed 003: the one who calls the meeting usually chairs it.
            chair=record.chair if record else User.get_by_id(meeting.created_by_id).full_name,
            documented_by=actor, previous=previous)
        # Those who took part (DOMAIN step 8): a substitute in place of the invitee who sent
        # them, never someone who was absent, and the person.
        from sipdesk.meetings.attendance import took_part

        principals: dict[int, Principal] = {}
        for position, p in enumerate(took_part(meeting)):
            principal = (_principal_by_name(p.principal_name, p.principal_kind)
                         if p.represents_principal else None)
            if principal is not None:
                principals[principal.id] = principal
            # Each part fits its own column; one put together (a contact) is cut to fit.
            PlanParticipant.create(
                plan=plan, name=fit(p.name, PlanParticipant.name),
                initials=fit(p.initials, PlanParticipant.initials),
                profession=fit(p.profession, PlanParticipant.profession),
                organisation=fit(p.organisation, PlanParticipant.organisation),
                principal=principal, contact=fit(p.contact, PlanParticipant.contact),
                user=p.user_id, position=position)
        if previous is not None:
            _copy_from(previous, plan, actor)
            for part in PrincipalPart.select().where(PrincipalPart.plan == previous):
                principals.setdefault(part.principal_id, Principal.get_by_id(part.principal_id))
        for principal in principals.values():
            PrincipalPart.create(plan=plan, principal=principal)
        coordinator = User.get_by_id(case.coordinator_id)
        PlanVersion.update(
            coordinator_contact=fit(", ".join(x for x in (coordinator.full_name, coordinator.phone,
                                                          coordinator.email) if x),
                                    PlanVersion.coordinator_contact),
            overall_principal=previous.overall_principal_id if previous else
            coordinator.unit.principal_id,
        ).where(PlanVersion.id == plan.id).execute()
        Case.update(next_date=plan.deadline).where(Case.id == case.id).execute()
        case = Case.get_by_id(case.id)
        lifecycle.transition(actor, case, Action.START_DOCUMENTATION,
                             reason=f"Plan version {number}, klar senast {plan.deadline:%Y-%m-%d}")
        audit.record(actor, action=AuditAction.CREATE, entity="plan_version",
                     entity_id=plan.id, case=case,
                     summary=f"Plan version {number} påbörjad ({PlanKind(plan.kind).label})")
    return PlanVersion.get_by_id(plan.id)


def _copy_from(previous: PlanVersion, plan: PlanVersion, actor: User) -> None:
    """A follow-up starts from the previous version's texts, goals and actions."""
    # Not the follow-up date: it was the date of the meeting now held, and the new version
    # sets its own (the case's next date becomes it on approval, next_step.next_step).
    texts = {name: getattr(previous, name) for name in SHARED_FIELDS
             if name not in ("chair", "adjusted_with", "follow_up_date", *_ASKED_EACH_MEETING)}
    PlanVersion.update(**texts).where(PlanVersion.id == plan.id).execute()
    for goal in SubGoal.select().where(SubGoal.plan == previous):
        SubGoal.create(plan=plan, text=goal.text, position=goal.position)
    for item in Intervention.select().where(Intervention.plan == previous):
        if item.status != InterventionStatus.DONE.value:
            Intervention.create(plan=plan, principal=item.principal_id, unit=item.unit,
                                what=item.what, goal=item.goal, responsible=item.responsible,
                                how_often=item.how_often, starts_on=item.starts_on,
                                ends_on=item.ends_on, status=item.status,
                                no_action=item.no_action, written_by=actor,
                                position=item.position)
    for other in OtherAction.select().where(OtherAction.plan == previous):
        OtherAction.create(plan=plan, who=other.who, what=other.what, when=other.when,
                           position=other.position)


# ---- editing ------------------------------------------------------------------------------------

SHARED_FIELDS = (
    "chair", "adjusted_with", "current_situation", "what_matters", "can_do_self", "child_views",
    "child_silent", "child_asked", "child_trusted", "child_weighing",
    "main_goal", "others_none", "overall_principal", "coordinator_contact",
    "treatment_limitation", "treatment_limitation_ref", "follow_up_date", "follow_up_by",
)
# Not carried into a follow-up: the child is asked again at every meeting, and what the child
# said then stays in the version of that meeting (seed 002 §4).
_ASKED_EACH_MEETING = ("child_views", "child_silent", "child_asked", "child_trusted",
                       "child_weighing")


_column = {"overall_principal": "overall_principal_id"}


def update_fields(actor: User, plan: PlanVersion, changes: dict[str, tuple[Any, Any]]
                  ) -> list[FieldConflict]:
    """Save shared fields, each only if it still has the value the user started from
    (`changes[name] = (old, new)`). Returns the conflicts; the other fields are saved."""
    case = ensure_editable(actor, plan)
    unknown = set(changes) - set(SHARED_FIELDS)
    if unknown:
        raise ValueError(f"not shared plan fields: {sorted(unknown)}")
    check_texts(PlanVersion, {name: new for name, (_old, new) in changes.items()})
    check_comparable(PlanVersion, {name: old for name, (old, _new) in changes.items()})
    if "child_asked" in changes and asked_problem(changes["child_asked"][1]):
        raise ValidationError(str(asked_problem(changes["child_asked"][1])), field="child_asked")
    if "treatment_limitation_ref" in changes:
        _check_treatment_reference(changes["treatment_limitation_ref"][1])
    if "follow_up_date" in changes and changes["follow_up_date"][1] is not None:
        check_follow_up_date(plan, changes["follow_up_date"][1])
    conflicts: list[FieldConflict] = []
    saved: dict[str, list[Any]] = {}
    with database.atomic():
        for name, (old, new) in changes.items():
            column = getattr(PlanVersion, name)
            condition = column.is_null() if old is None else (column == old)
            updated = (PlanVersion.update({column: new})
                       .where((PlanVersion.id == plan.id) & PlanVersion.locked_at.is_null()
                              & condition).execute())
            if updated:
                saved[name] = [audit._plain(old), audit._plain(new)]
            else:
                current = PlanVersion.get_by_id(plan.id)
                theirs = getattr(current, _column.get(name, name))
                if theirs != new:
                    conflicts.append(FieldConflict(name, new, theirs, audit.field_label(name)))
        if saved:
            audit.record(actor, action=AuditAction.UPDATE, entity="plan_version",
                         entity_id=plan.id, case=case,
                         summary=f"Planen version {plan.number} ändrad", changes=saved)
    return conflicts


_REFERENCE = re.compile(r"^[\w\s.,:/()-]{0,200}$")


def _check_treatment_reference(text: str) -> None:
    """Treatment limitation: only a reference to the medical record, never details (seed 000)."""
    words = len(text.split())
    if words > 12 or not _REFERENCE.match(text):
        raise ValidationError(
            "Skriv bara en hänvisning till journalen (t.ex. ”Se journal i NPÖ, 2026-11-20”) — "
            "inga detaljer om behandlingsbegränsningen.", field="treatment_limitation_ref")


@dataclass
class InterventionInput:
    principal_id: int
    what: str
    goal: str = ""
    unit: str = ""
    responsible: str = ""
    how_often: str = ""
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    status: InterventionStatus = InterventionStatus.PLANNED
    no_action: bool = False

    @classmethod
    def of(cls, item: Intervention) -> InterventionInput:
        """A stored intervention as the dialog shows it: what an edit starts from."""
        return cls(principal_id=item.principal_id, what=item.what, goal=item.goal,
                   unit=item.unit, responsible=item.responsible, how_often=item.how_often,
                   starts_on=item.starts_on, ends_on=item.ends_on,
                   status=InterventionStatus(item.status), no_action=bool(item.no_action))

    def values(self) -> dict[str, Any]:
        """The columns as saved (texts trimmed), keyed by field name."""
        return dict(principal=self.principal_id, unit=self.unit.strip(), what=self.what.strip(),
                    goal=self.goal.strip(), responsible=self.responsible.strip(),
                    how_often=self.how_often.strip(), starts_on=self.starts_on,
                    ends_on=self.ends_on, status=InterventionStatus(self.status).value,
                    no_action=self.no_action)


def intervention_problems(data: InterventionInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not data.what.strip():
        problems["what"] = ("Skriv vad som görs — eller, om ni inte gör något, en mening om det "
                            "(t.ex. ”Vårdcentralen gör inget nytt just nu”).")
    if not data.no_action:
        if not data.responsible.strip():
            problems["responsible"] = "Skriv vem som ansvarar (ett namn)."
        if not data.how_often.strip():
            problems["how_often"] = "Skriv när eller hur ofta, t.ex. ”varje morgon”."
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        problems["ends_on"] = "Slutdatumet ligger före startdatumet."
    for name, message in text_problems(Intervention, {
            "what": data.what, "goal": data.goal, "unit": data.unit,
            "responsible": data.responsible, "how_often": data.how_often}).items():
        problems.setdefault(name, message)
    return problems


# A row given by id must belong to the version the use case was given (and checked access to):
# otherwise another case's plan could be changed through one the user may see.
OTHER_INTERVENTION = "Insatsen hör till en annan del av planen."
OTHER_PARTICIPANT = "Deltagaren hör till en annan plan."


def save_intervention(actor: User, plan: PlanVersion, data: InterventionInput,
                      intervention_id: int | None = None, *,
                      base: InterventionInput | None = None) -> Intervention:
    """Add or change one of a principal's interventions (only that principal's writers).

    A change saves only the fields that differ from `base` (what the dialog opened with; by
    default the row as read here), each on condition it still holds that value: another
    person's change of other fields merges, the same field changed by both is a
    `ConflictError` with both sides and nothing saved."""
    case = ensure_editable(actor, plan)
    if not may_write_for(actor, plan, data.principal_id):
        raise PermissionDenied("Du kan bara dokumentera din egen huvudmans insatser.")
    problems = intervention_problems(data)
    if problems:
        name, message = next(iter(problems.items()))
        raise ValidationError(message, field=name)
    values = data.values()
    if intervention_id is not None:
        # Read before the transaction, so that its first statement is the compare-and-set
        # (SQLite then waits for the other writer instead of failing on a stale snapshot).
        item = Intervention.get_by_id(intervention_id)
        if item.plan_id != plan.id or item.principal_id != data.principal_id:
            raise PermissionDenied(OTHER_INTERVENTION)
    with database.atomic():
        if intervention_id is None:
            position = Intervention.select().where(Intervention.plan == plan).count()
            item = Intervention.create(plan=plan, written_by=actor, position=position, **values)
            summary = "Insats tillagd" if not data.no_action else "Ingen insats dokumenterad"
        else:
            loaded = (base or InterventionInput.of(item)).values()
            if not compare_and_set(Intervention, item.id, loaded=loaded, new=values,
                                   what=Intervention.called, labels=Intervention.labels):
                return item  # nothing changed: nothing to write or log
            summary = "Insats ändrad"
        reset_part(plan, data.principal_id)
        principal = Principal.get_by_id(data.principal_id)
        audit.record(actor, action=AuditAction.UPDATE, entity="intervention", entity_id=item.id,
                     case=case, summary=f"{summary}: {principal.name}")
    return Intervention.get_by_id(item.id)


def delete_intervention(actor: User, plan: PlanVersion, intervention_id: int) -> None:
    case = ensure_editable(actor, plan)
    item = Intervention.get_by_id(intervention_id)
    if item.plan_id != plan.id:
        raise PermissionDenied(OTHER_INTERVENTION)
    if not may_write_for(actor, plan, item.principal_id):
        raise PermissionDenied("Du kan bara ändra din egen huvudmans insatser.")
    with database.atomic():
        reset_part(plan, item.principal_id)
        Intervention.delete().where(Intervention.id == item.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="intervention", entity_id=item.id,
                     case=case, summary="Insats borttagen")


def save_participant(actor: User, plan: PlanVersion, *, name: str, initials: str,
                     profession: str, organisation: str, contact: str,
                     principal_id: int | None = None, participant_id: int | None = None,
                     base: dict[str, Any] | None = None) -> PlanParticipant:
    """Add or change a participant. A change saves only the fields that differ from `base`
    (what the dialog opened with, keyed like the arguments; by default the row as read here),
    each on condition it still holds that value (`ConflictError` with both sides if not)."""
    case = ensure_editable(actor, plan)
    values = dict(name=name.strip(), initials=initials.strip().upper(),
                  profession=profession.strip(), organisation=organisation.strip(),
                  contact=contact.strip(), principal=principal_id)
    if not values["name"]:
        raise ValidationError("Ange namn.", field="name")
    check_texts(PlanParticipant, {"name": name, "initials": initials, "profession": profession,
                                  "organisation": organisation, "contact": contact})
    if participant_id is not None:  # read first: the transaction starts with the write
        row = PlanParticipant.get_by_id(participant_id)
        if row.plan_id != plan.id:
            raise PermissionDenied(OTHER_PARTICIPANT)
    with database.atomic():
        if participant_id is None:
            position = PlanParticipant.select().where(PlanParticipant.plan == plan).count()
            row = PlanParticipant.create(plan=plan, position=position, **values)
        else:
            loaded = participant_values(row) if base is None else _participant_base(base)
            compare_and_set(PlanParticipant, row.id, loaded=loaded, new=values,
                            what=PlanParticipant.what, labels=PlanParticipant.labels)
        if principal_id is not None and not PrincipalPart.select().where(
                (PrincipalPart.plan == plan) & (PrincipalPart.principal == principal_id)).exists():
            PrincipalPart.create(plan=plan, principal=principal_id)
        audit.record(actor, action=AuditAction.UPDATE, entity="plan_participant",
                     entity_id=row.id, case=case, summary=f"Deltagare i planen: {values['name']}")
    return PlanParticipant.get_by_id(row.id)


def participant_values(row: PlanParticipant) -> dict[str, Any]:
    """A stored participant's editable fields, keyed by field name."""
    return {name: row.__data__.get(name) for name in
            ("name", "initials", "profession", "organisation", "contact", "principal")}


def _participant_base(base: dict[str, Any]) -> dict[str, Any]:
    """What a dialog opened with (keyed like `save_participant`'s arguments), as stored."""
    return {"name": base["name"].strip(), "initials": base["initials"].strip().upper(),
            "profession": base["profession"].strip(),
            "organisation": base["organisation"].strip(), "contact": base["contact"].strip(),
            "principal": base.get("principal_id")}


def remove_participant(actor: User, plan: PlanVersion, participant_id: int) -> None:
    """Participants no longer involved are removed at a follow-up (seed 000)."""
    case = ensure_editable(actor, plan)
    row = PlanParticipant.get_by_id(participant_id)
    if row.plan_id != plan.id:
        raise PermissionDenied(OTHER_PARTICIPANT)
    with database.atomic():
        PlanParticipant.delete().where(PlanParticipant.id == participant_id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="plan_participant",
                     entity_id=participant_id, case=case,
                     summary=f"Deltagare borttagen ur planen: {row.name}")
