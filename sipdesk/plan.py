"""The plan (dokumentationsstöd) — DOMAIN.md steps 7–11, seeds 000 (Dokumentation, Utskrift,
Uppföljning), 003 steps 3 and 5, 002 (the child's voice).

One version per meeting: the first SIP meeting, then each follow-up, which starts as a copy of
the previous version. Each participating principal documents its own part; shared texts are
saved field by field (compare-and-set), so several users can work at once and a clash on the
same field is shown instead of lost. Before approval the legal check (SoL 2:7, HSL 16:4) must
pass; every principal marks its part finished, then approves; when all have approved the
version is locked.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import peewee as pw

from . import audit, clock, lifecycle, messaging
from .audit import AuditAction
from .db import database
from .errors import NotFoundError, PermissionDenied, ValidationError
from .invitation import Meeting, MeetingStatus
from .lifecycle import Action
from .messaging import MessageKind
from .models import Case, CaseStatus, Principal, PrincipalKind, User, now
from .paths import resource_dir
from .plan_records import (
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
from .workdays import add_workdays, one_year_after

FOLLOW_UP_WARN_DAYS = 30



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
    case = Case.get_by_id(meeting.case_id)
    if meeting.status != MeetingStatus.HELD.value:
        raise ValidationError("Mötet är inte markerat som hållet.")
    if PlanVersion.select().where(PlanVersion.meeting == meeting).exists():
        raise ValidationError("Det finns redan en plan för det här mötet.")
    previous = latest_version(case)
    from .meeting import StaffMeetingRecord  # the record is optional

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
        from .attendance import took_part

        principals: dict[int, Principal] = {}
        for position, p in enumerate(took_part(meeting)):
            principal = (_principal_by_name(p.principal_name, p.principal_kind)
                         if p.represents_principal else None)
            if principal is not None:
                principals[principal.id] = principal
            PlanParticipant.create(
                plan=plan, name=p.name, initials=p.initials, profession=p.profession,
                organisation=p.organisation, principal=principal, contact=p.contact,
                user=p.user_id, position=position)
        if previous is not None:
            _copy_from(previous, plan, actor)
            for part in PrincipalPart.select().where(PrincipalPart.plan == previous):
                principals.setdefault(part.principal_id, Principal.get_by_id(part.principal_id))
        for principal in principals.values():
            PrincipalPart.create(plan=plan, principal=principal)
        coordinator = User.get_by_id(case.coordinator_id)
        PlanVersion.update(
            coordinator_contact=", ".join(x for x in (coordinator.full_name, coordinator.phone,
                                                      coordinator.email) if x),
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
             if name not in ("chair", "adjusted_with", "follow_up_date")}
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



def versions(case: Case) -> list[PlanVersion]:
    return list(PlanVersion.select().where(PlanVersion.case == case)
                .order_by(PlanVersion.number.desc()))


def get_version(plan_id: int) -> PlanVersion:
    plan = PlanVersion.get_or_none(PlanVersion.id == plan_id)
    if plan is None:
        raise NotFoundError("Planen finns inte.")
    return plan


# ---- editing ------------------------------------------------------------------------------------

SHARED_FIELDS = (
    "chair", "adjusted_with", "current_situation", "what_matters", "can_do_self", "child_views",
    "main_goal", "others_none", "overall_principal", "coordinator_contact",
    "treatment_limitation", "treatment_limitation_ref", "follow_up_date", "follow_up_by",
)


@dataclass
class FieldConflict:
    """Someone else changed this field since you read it: both texts, nothing lost."""

    field: str
    mine: Any
    theirs: Any


def _ensure_editable(plan: PlanVersion) -> Case:
    case = Case.get_by_id(plan.case_id)
    lifecycle.ensure_open(case)
    if plan.locked:
        raise PermissionDenied("Planen är godkänd och låst. Samordningsansvarig kan öppna den "
                               "igen med ett skäl.")
    return case


_column = {"overall_principal": "overall_principal_id"}


def update_fields(actor: User, plan: PlanVersion, changes: dict[str, tuple[Any, Any]]
                  ) -> list[FieldConflict]:
    """Save shared fields, each only if it still has the value the user started from
    (`changes[name] = (old, new)`). Returns the conflicts; the other fields are saved."""
    case = _ensure_editable(plan)
    unknown = set(changes) - set(SHARED_FIELDS)
    if unknown:
        raise ValueError(f"not shared plan fields: {sorted(unknown)}")
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
                    conflicts.append(FieldConflict(name, new, theirs))
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


def check_follow_up_date(plan: PlanVersion, day: dt.date) -> None:
    if day <= plan.meeting_date:
        raise ValidationError("Uppföljningen ska ligga efter mötet.", field="follow_up_date")
    limit = one_year_after(plan.meeting_date)
    if day > limit:
        raise ValidationError(f"Planen följs upp minst en gång om året — senast "
                              f"{limit:%Y-%m-%d}.", field="follow_up_date")


# The fields a plan cannot do without: the person's goal (the interventions are tied to it, seed
# 003 step 3), the principal with overall responsibility (SoL 2:7, HSL 16:4 — DOMAIN step 8
# item 4) and the follow-up date (at least once a year, step 10).
REQUIRED_FIELDS = ("main_goal", "overall_principal", "follow_up_date")


def required_field_problems(plan: PlanVersion, values: dict[str, Any] | None = None
                            ) -> dict[str, str]:
    """The required fields that are empty or wrong, each with what to do, in Swedish for the
    field itself. `values` are what the user has in front of them (possibly not saved), read
    over the stored ones — the wizard asks with its fields, approval with the stored plan."""
    given = values or {}
    problems: dict[str, str] = {}
    goal = given.get("main_goal", plan.main_goal)
    if not str(goal or "").strip():
        problems["main_goal"] = ("Skriv huvudmålet innan du går vidare — med personens egna "
                                 "ord. Insatserna kopplas till målet.")
    overall = given.get("overall_principal", plan.overall_principal_id)
    if overall is None:
        if parts(plan):
            problems["overall_principal"] = (
                "Välj vilken huvudman som har det övergripande ansvaret — lagen kräver att "
                "det står i planen.")
        else:
            problems["overall_principal"] = (
                "Ingen huvudman deltar i planen ännu. Lägg till deltagare med huvudman under "
                "Deltagare och välj sedan vem som har det övergripande ansvaret.")
    day = given.get("follow_up_date", plan.follow_up_date)
    if day is None:
        if not plan.follow_up_skipped_reason.strip():
            problems["follow_up_date"] = (
                "Välj datum för uppföljningen — planen följs upp minst en gång om året, "
                f"senast {one_year_after(plan.meeting_date):%Y-%m-%d}.")
    else:
        try:
            check_follow_up_date(plan, day)
        except ValidationError as problem:
            problems["follow_up_date"] = problem.message
    return problems


def set_sub_goals(actor: User, plan: PlanVersion, goals: list[str]) -> None:
    case = _ensure_editable(plan)
    with database.atomic():
        SubGoal.delete().where(SubGoal.plan == plan).execute()
        for position, text in enumerate(g.strip() for g in goals):
            if text:
                SubGoal.create(plan=plan, text=text, position=position)
        audit.record(actor, action=AuditAction.UPDATE, entity="plan_version", entity_id=plan.id,
                     case=case, summary=f"Delmål ändrade ({len(goals)} st)")


def sub_goals(plan: PlanVersion) -> list[str]:
    return [g.text for g in SubGoal.select().where(SubGoal.plan == plan)
            .order_by(SubGoal.position, SubGoal.id)]


def principals_of_user(user: User) -> int:
    return user.unit.principal_id


def _may_write_for(actor: User, plan: PlanVersion, principal_id: int) -> bool:
    """A user documents their own principal's part; the coordinator may write for a principal
    that has no participant with an account."""
    if actor.unit.principal_id == principal_id:
        return True
    case = Case.get_by_id(plan.case_id)
    if actor.id != case.coordinator_id:
        return False
    return not (PlanParticipant.select()
                .where((PlanParticipant.plan == plan)
                       & (PlanParticipant.principal == principal_id)
                       & PlanParticipant.user.is_null(False)).exists())


def may_write_for(actor: User, plan: PlanVersion, principal_id: int) -> bool:
    """Whether `actor` may write, finish and approve `principal_id`'s part (the UI enables its
    buttons by this; the use cases check it again)."""
    return _may_write_for(actor, plan, principal_id)


def meeting_to_document(case: Case) -> Meeting | None:
    """The case's latest meeting when it is held and has no plan version yet — what "Börja
    dokumentera" starts from."""
    meeting = (Meeting.select().where(Meeting.case == case).order_by(Meeting.id.desc()).first())
    if meeting is None or meeting.status != MeetingStatus.HELD.value:
        return None
    if PlanVersion.select().where(PlanVersion.meeting == meeting).exists():
        return None
    return meeting


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
    return problems


def save_intervention(actor: User, plan: PlanVersion, data: InterventionInput,
                      intervention_id: int | None = None) -> Intervention:
    """Add or change one of a principal's interventions (only that principal's writers)."""
    case = _ensure_editable(plan)
    if not _may_write_for(actor, plan, data.principal_id):
        raise PermissionDenied("Du kan bara dokumentera din egen huvudmans insatser.")
    problems = intervention_problems(data)
    if problems:
        name, message = next(iter(problems.items()))
        raise ValidationError(message, field=name)
    values = dict(principal=data.principal_id, unit=data.unit.strip(), what=data.what.strip(),
                  goal=data.goal.strip(), responsible=data.responsible.strip(),
                  how_often=data.how_often.strip(), starts_on=data.starts_on,
                  ends_on=data.ends_on, status=data.status.value, no_action=data.no_action)
    with database.atomic():
        _reset_part(plan, data.principal_id)
        if intervention_id is None:
            position = Intervention.select().where(Intervention.plan == plan).count()
            item = Intervention.create(plan=plan, written_by=actor, position=position, **values)
            summary = "Insats tillagd" if not data.no_action else "Ingen insats dokumenterad"
        else:
            item = Intervention.get_by_id(intervention_id)
            if item.plan_id != plan.id or item.principal_id != data.principal_id:
                raise PermissionDenied("Insatsen hör till en annan del av planen.")
            Intervention.update(**values).where(Intervention.id == item.id).execute()
            summary = "Insats ändrad"
        principal = Principal.get_by_id(data.principal_id)
        audit.record(actor, action=AuditAction.UPDATE, entity="intervention", entity_id=item.id,
                     case=case, summary=f"{summary}: {principal.name}")
    return Intervention.get_by_id(item.id)


def delete_intervention(actor: User, plan: PlanVersion, intervention_id: int) -> None:
    case = _ensure_editable(plan)
    item = Intervention.get_by_id(intervention_id)
    if not _may_write_for(actor, plan, item.principal_id):
        raise PermissionDenied("Du kan bara ändra din egen huvudmans insatser.")
    with database.atomic():
        _reset_part(plan, item.principal_id)
        Intervention.delete().where(Intervention.id == item.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="intervention", entity_id=item.id,
                     case=case, summary="Insats borttagen")


def interventions(plan: PlanVersion) -> list[Intervention]:
    return list(Intervention.select(Intervention, Principal).join(Principal)
                .where(Intervention.plan == plan)
                .order_by(Principal.name, Intervention.position, Intervention.id))


def set_other_actions(actor: User, plan: PlanVersion, items: list[tuple[str, str, str]],
                      *, none: bool = False) -> None:
    """Actions by others (who, what, when) — or explicitly none."""
    case = _ensure_editable(plan)
    cleaned = [(w.strip(), t.strip(), n.strip()) for w, t, n in items if w.strip() or t.strip()]
    for who, what, _when in cleaned:
        if not who or not what:
            raise ValidationError("Skriv både vem och vad för varje åtgärd.", field="others")
    if none and cleaned:
        raise ValidationError("Kryssa inte i ”inga” när det finns åtgärder av andra.",
                              field="others_none")
    with database.atomic():
        OtherAction.delete().where(OtherAction.plan == plan).execute()
        for position, (who, what, when) in enumerate(cleaned):
            OtherAction.create(plan=plan, who=who, what=what, when=when, position=position)
        PlanVersion.update(others_none=none).where(PlanVersion.id == plan.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="plan_version", entity_id=plan.id,
                     case=case, summary=("Åtgärder av andra: inga" if none else
                                         f"Åtgärder av andra ändrade ({len(cleaned)} st)"))


def other_actions(plan: PlanVersion) -> list[OtherAction]:
    return list(OtherAction.select().where(OtherAction.plan == plan)
                .order_by(OtherAction.position, OtherAction.id))



def save_participant(actor: User, plan: PlanVersion, *, name: str, initials: str,
                     profession: str, organisation: str, contact: str,
                     principal_id: int | None = None, participant_id: int | None = None
                     ) -> PlanParticipant:
    case = _ensure_editable(plan)
    values = dict(name=name.strip(), initials=initials.strip().upper(),
                  profession=profession.strip(), organisation=organisation.strip(),
                  contact=contact.strip(), principal=principal_id)
    if not values["name"]:
        raise ValidationError("Ange namn.", field="name")
    with database.atomic():
        if participant_id is None:
            position = PlanParticipant.select().where(PlanParticipant.plan == plan).count()
            row = PlanParticipant.create(plan=plan, position=position, **values)
        else:
            row = PlanParticipant.get_by_id(participant_id)
            PlanParticipant.update(**values).where(PlanParticipant.id == row.id).execute()
        if principal_id is not None and not PrincipalPart.select().where(
                (PrincipalPart.plan == plan) & (PrincipalPart.principal == principal_id)).exists():
            PrincipalPart.create(plan=plan, principal=principal_id)
        audit.record(actor, action=AuditAction.UPDATE, entity="plan_participant",
                     entity_id=row.id, case=case, summary=f"Deltagare i planen: {values['name']}")
    return PlanParticipant.get_by_id(row.id)


def remove_participant(actor: User, plan: PlanVersion, participant_id: int) -> None:
    """Participants no longer involved are removed at a follow-up (seed 000)."""
    case = _ensure_editable(plan)
    row = PlanParticipant.get_by_id(participant_id)
    with database.atomic():
        PlanParticipant.delete().where(PlanParticipant.id == participant_id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="plan_participant",
                     entity_id=participant_id, case=case,
                     summary=f"Deltagare borttagen ur planen: {row.name}")


# ---- checks -------------------------------------------------------------------------------------

PARTICIPANT_LABELS = {"initials": "initialer", "profession": "yrke",
                      "organisation": "organisation", "contact": "kontaktuppgifter"}


def required_fields(p: PlanParticipant) -> tuple[str, ...]:
    """Name, initials and profession for every participant; organisation and contact details
    for every actor (seed 000: "Namn, initialer och profession på deltagare … och
    kontaktuppgifter … för varje aktör"). The person and relatives represent no principal:
    their organisation and contact are written when known, not required."""
    if p.principal_id is not None or p.user_id is not None:
        return tuple(PARTICIPANT_LABELS)
    return ("initials", "profession")


def participant_problems(plan: PlanVersion) -> list[str]:
    """What each participant still lacks before the plan can be approved (`required_fields`)."""
    problems = []
    for p in participants(plan):
        missing = [PARTICIPANT_LABELS[name] for name in required_fields(p)
                   if not getattr(p, name).strip()]
        if missing:
            problems.append(f"{p.name}: saknar {', '.join(missing)}.")
    if not participants(plan):
        problems.append("Planen har inga deltagare.")
    return problems


def parts(plan: PlanVersion) -> list[PrincipalPart]:
    return list(PrincipalPart.select(PrincipalPart, Principal).join(Principal)
                .where(PrincipalPart.plan == plan).order_by(Principal.name))


def legal_problems(plan: PlanVersion) -> list[str]:
    """What SoL 2:7 / HSL 16:4 ask for, in plain Swedish; empty when the plan shows it all."""
    problems = []
    items = interventions(plan)
    if not [i for i in items if not i.no_action]:
        problems.append("1. Planen visar inte vilka insatser som behövs.")
    documented = {i.principal_id for i in items}
    silent = [p.principal.name for p in parts(plan) if p.principal_id not in documented]
    if silent:
        problems.append("2. Det framgår inte vad " + ", ".join(silent) + " ansvarar för — "
                        "skriv insatserna eller en mening om att ni inte gör något.")
    if not plan.others_none and not other_actions(plan):
        problems.append("3. Åtgärder av andra än kommun och region saknas — skriv dem, eller "
                        "kryssa i att det inte finns några.")
    if "overall_principal" in required_field_problems(plan):
        problems.append("4. Det står inte vilken huvudman som har det övergripande ansvaret.")
    return problems


def approval_problems(plan: PlanVersion) -> list[str]:
    problems = legal_problems(plan) + participant_problems(plan)
    required = required_field_problems(plan)
    if "main_goal" in required:
        problems.append("Huvudmålet saknas.")
    if "follow_up_date" in required:
        problems.append("Datum för uppföljning saknas." if plan.follow_up_date is None
                        else required["follow_up_date"])
    return problems


@dataclass(frozen=True)
class PlainLanguageHint:
    field: str
    word: str
    suggestion: str


# Where each text meant for the person is, in the words the forms use.
TEXT_PLACES = {
    "current_situation": "Min nuvarande situation", "what_matters": "Det här är viktigt för mig",
    "can_do_self": "Det här klarar jag själv", "child_views": "Barnets egna synpunkter",
    "main_goal": "Huvudmål", "sub_goals": "Delmål", "interventions": "Insatser",
    "others": "Åtgärder av andra",
}

# "4 kap. 1 §", "2 kap 7§", "§ 7", "SoL 4:1", "4:1" — a law's chapter and paragraph means
# nothing to most people. A bare "n:m" counts only with a one-digit paragraph, so a time of
# day ("kl. 8:30", "10:00") is not taken for one.
PARAGRAPH_REFERENCE = re.compile(
    r"(?<![\w:.])(?:\d{1,2}\s*kap(?:\.|(?!\w))(?:\s*\d{1,3}\s*[a-z]?\s*§+)?"
    r"|\d{1,3}\s*[a-z]?\s*§+|§+\s*\d{1,3}(?:[a-z](?!\w))?"
    r"|(?:SoL|HSL|LSS|PSL|LPT|LRV|LVM|LVU|OSL)\s*\d{1,2}:\d{1,3}[a-z]?(?![\w:])"
    r"|\d{1,2}:\d[a-z]?(?![\w:]))",
    re.IGNORECASE)
PARAGRAPH_SUGGESTION = "vad regeln betyder för dig, med vanliga ord (inte kapitel och paragraf)"


def _word_pattern(word: str) -> re.Pattern[str]:
    """Whole words only. A word listed in capitals (LOV, KAR, DOS) is an abbreviation only
    when it is written in capitals: "lov", "badkar" and "en dos" are ordinary words."""
    flags = 0 if word.isupper() and len(word) > 1 else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", flags)


@lru_cache(maxsize=1)
def _word_list() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    rows = []
    for line in (resource_dir() / "plain_language.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, suggestion = line.partition("\t")
        rows.append((_word_pattern(word.strip()), word.strip(), suggestion.strip()))
    return tuple(rows)


def text_hints(text: str) -> list[tuple[str, str]]:
    """The word list's hits in one text, as (word, suggestion) — for warnings as you type.
    A paragraph reference is named as written ("4 kap. 1 §") with a general suggestion."""
    text = text or ""
    found = [(word, suggestion) for pattern, word, suggestion in _word_list()
             if pattern.search(text)]
    # "insats enligt" says it all: "insats" inside it is not named again.
    hits = [(word, suggestion) for word, suggestion in found
            if not any(len(other) > len(word) and _word_pattern(word).search(other)
                       for other, _s in found)]
    seen = set()
    for reference in PARAGRAPH_REFERENCE.finditer(text):
        written = " ".join(reference.group(0).split())
        if written.casefold() not in seen:
            seen.add(written.casefold())
            hits.append((written, PARAGRAPH_SUGGESTION))
    return hits


PERSON_TEXTS = ("current_situation", "what_matters", "can_do_self", "child_views", "main_goal")


def plain_language_hints(plan: PlanVersion) -> list[PlainLanguageHint]:
    """Abbreviations, jargon and law references in texts meant for the person (DOMAIN.md step
    8: "Plain language") — a warning with a suggestion; approving needs them acknowledged."""
    texts: list[tuple[str, str]] = [(name, getattr(plan, name)) for name in PERSON_TEXTS]
    texts += [("sub_goals", g) for g in sub_goals(plan)]
    texts += [("interventions", i.what) for i in interventions(plan)]
    texts += [("others", o.what) for o in other_actions(plan)]
    hints = []
    seen = set()
    for name, text in texts:
        for word, suggestion in text_hints(text):
            if (name, word.casefold()) not in seen:
                seen.add((name, word.casefold()))
                hints.append(PlainLanguageHint(name, word, suggestion))
    return hints


def plain_language_warnings(plan: PlanVersion) -> list[str]:
    """The open plain-language warnings as lines to show: where, the word, a better one."""
    return [f"{TEXT_PLACES.get(h.field, h.field)}: ”{h.word}” — skriv hellre: {h.suggestion}"
            for h in plain_language_hints(plan)]


# ---- finishing, approving, locking --------------------------------------------------------------

def _reset_part(plan: PlanVersion, principal_id: int) -> None:
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
    case = _ensure_editable(plan)
    if not _may_write_for(actor, plan, principal_id):
        raise PermissionDenied("Du kan bara markera din egen huvudmans del som klar.")
    if not Intervention.select().where((Intervention.plan == plan)
                                       & (Intervention.principal == principal_id)).exists():
        raise ValidationError("Skriv minst en insats — eller en mening om att ni inte gör något "
                              "— innan delen är klar.")
    part = _part(plan, principal_id)
    on_behalf = actor.unit.principal_id != principal_id
    with database.atomic():
        PrincipalPart.update(finished_at=now(), finished_by=actor, on_behalf=on_behalf).where(
            PrincipalPart.id == part.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="principal_part",
                     entity_id=part.id, case=case,
                     summary=(f"{Principal.get_by_id(principal_id).name}: delen klar"
                              f"{' (för huvudmannens räkning)' if on_behalf else ''}"))
    return PrincipalPart.get_by_id(part.id)


def request_approval(actor: User, plan: PlanVersion) -> messaging.Message | None:
    """Ask the users of every participating principal to approve, with kvittens."""
    case = Case.get_by_id(plan.case_id)
    users = [User.get_by_id(p.user_id) for p in participants(plan)
             if p.user_id and p.user_id != actor.id]
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
    case = _ensure_editable(plan)
    if not _may_write_for(actor, plan, principal_id):
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
    unclear = plain_language_hints(plan)
    if unclear and not plain_language_acknowledged:
        raise ValidationError(
            "Planen har ord som den enskilde kanske inte förstår:\n"
            + "\n".join(plain_language_warnings(plan))
            + "\n\nSkriv om dem, eller godkänn ändå om ni har gått igenom orden med den "
              "enskilde.", field="plain_language")
    on_behalf = actor.unit.principal_id != principal_id
    words = sorted({h.word for h in unclear}, key=str.casefold)
    with database.atomic():
        PrincipalPart.update(approved_at=now(), approved_by=actor, on_behalf=on_behalf).where(
            PrincipalPart.id == part.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="principal_part",
                     entity_id=part.id, case=case,
                     summary=(f"{Principal.get_by_id(principal_id).name} godkände planen"
                              f"{' (för huvudmannens räkning)' if on_behalf else ''}"
                              + (f", trots svåra ord: {', '.join(words)}" if words else "")))
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


def _lock(actor: User, plan: PlanVersion, case: Case) -> None:
    PlanVersion.update(locked_at=now()).where(PlanVersion.id == plan.id).execute()
    # Every principal has approved: the requests to approve ask no one any more (they stay
    # readable, marked "Planen är godkänd"); "Planen är godkänd" below asks instead.
    messaging.end_kvittens(_approval_requests(plan), why=messaging.AckEnded.PLAN_APPROVED,
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
    users = [User.get_by_id(p.user_id) for p in participants(plan)
             if p.user_id and p.user_id != actor.id]
    if users:
        messaging.send(actor, to=users, case=case, kind=MessageKind.APPROVAL, requires_ack=True,
                       subject=f"Planen är godkänd ({case.number})",
                       body=(f"Alla har godkänt planen för ärende {case.number}, version "
                             f"{plan.number}. Den enskilde ska erbjudas en utskriven plan."))


def reopen(actor: User, plan: PlanVersion, *, reason: str) -> PlanVersion:
    """The coordinator reopens a locked version with a reason; all approvals are cleared."""
    case = Case.get_by_id(plan.case_id)
    lifecycle.ensure_open(case)
    if actor.id != case.coordinator_id:
        raise PermissionDenied("Bara samordningsansvarig kan öppna en godkänd plan igen.")
    if not plan.locked:
        raise ValidationError("Planen är inte låst.")
    if plan.id != latest_version(case).id:  # type: ignore[union-attr]
        raise ValidationError("Bara den senaste versionen kan öppnas igen.")
    if not reason.strip():
        raise ValidationError("Skriv varför planen öppnas igen.", field="reason")
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
            messaging.Message.select(messaging.Message.id).where(
                (messaging.Message.case == case)
                & (messaging.Message.kind == MessageKind.APPROVAL.value)),
            why=messaging.AckEnded.SUPERSEDED,
            note=f"planen öppnades igen {clock.today():%Y-%m-%d} ({reason})")
        users = [User.get_by_id(p.user_id) for p in participants(plan)
                 if p.user_id and p.user_id != actor.id]
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


def skip_follow_up(actor: User, plan: PlanVersion, *, reason: str) -> None:
    """A follow-up that does not happen needs a reason (seed 000)."""
    case = Case.get_by_id(plan.case_id)
    if not reason.strip():
        raise ValidationError("Skriv varför uppföljningen inte blir av.", field="reason")
    PlanVersion.update(follow_up_skipped_reason=reason.strip()).where(
        PlanVersion.id == plan.id).execute()
    audit.record(actor, action=AuditAction.UPDATE, entity="plan_version", entity_id=plan.id,
                 case=case, summary=f"Uppföljningen hoppas över: {reason.strip()}")


# ---- deadlines and reminders ---------------------------------------------------------------------

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
    return PlanView(plan, case, participants(plan), sub_goals(plan), items,
                    other_actions(plan), plan_parts, overall,
                    approved=plan.locked, principal_names=names)


def municipality_and_region_present(plan: PlanVersion) -> bool:
    kinds = {p.principal.kind for p in parts(plan)}
    return {PrincipalKind.MUNICIPALITY.value, PrincipalKind.REGION.value} <= kinds


def is_documenting(case: Case) -> bool:
    return CaseStatus(case.status) is CaseStatus.DOCUMENTATION


def latest_version_ids(*, statuses: Iterable[CaseStatus] | None = None,
                       approved_only: bool = False) -> list[int]:
    """The latest plan version of every case that has one, in case-number order — what a bulk
    print of "every plan" prints. `statuses` limits it to cases in those states;
    `approved_only` to versions every principal has approved (the person's copy). One query."""
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
    return [row.id for row in query.order_by(Case.number)]
