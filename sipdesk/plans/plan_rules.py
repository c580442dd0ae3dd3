"""The plan's rules: when a version can be changed, who may write for a principal, and what
the plan must hold before it is approved (the legal check of SoL 2:7 and HSL 16:4, the required
fields, the participants' details).

The use cases in `sipdesk.plans.plan` and `sipdesk.plans.plan_approval` check them; the wizard asks
them as the user types. `sipdesk.plans.plan` re-exports every name.
"""

from __future__ import annotations

from typing import Any

from sipdesk.accounts.access import plan_case
from sipdesk.casework import lifecycle
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.plans.plan_followup import check_follow_up_date
from sipdesk.plans.plan_reads import interventions, other_actions, parts
from sipdesk.rules.workdays import one_year_after
from sipdesk.storage.models import Case, User
from sipdesk.storage.plan_records import PlanParticipant, PlanVersion, participants


def ensure_editable(actor: User, plan: PlanVersion) -> Case:
    """The case of a version that `actor` may still change: they may see the case
    (sipdesk.accounts.access), the case is open and the version not locked by approval."""
    case = plan_case(actor, plan, change=True)
    lifecycle.ensure_open(case)
    if plan.locked:
        raise PermissionDenied("Planen är godkänd och låst. Samordningsansvarig kan öppna den "
                               "igen med ett skäl.")
    return case


def may_write_for(actor: User, plan: PlanVersion, principal_id: int) -> bool:
    """Whether `actor` may write, finish and approve `principal_id`'s part (the UI enables its
    buttons by this; the use cases check it again). A user documents their own principal's
    part; the coordinator may write for a principal that has no participant with an account."""
    if actor.unit.principal_id == principal_id:
        return True
    case = Case.get_by_id(plan.case_id)
    if actor.id != case.coordinator_id:
        return False
    return not (PlanParticipant.select()
                .where((PlanParticipant.plan == plan)
                       & (PlanParticipant.principal == principal_id)
                       & PlanParticipant.user.is_null(False)).exists())


# The fields a plan cannot do without: the person's goal (the interventions are tied to it, seed
# 003 step 3), the principal with overall responsibility (SoL 2:7, HSL 16:4 — DOMAIN step 8
# item 4) and the follow-up date (at least once a year, step 10).
REQUIRED_FIELDS = ("main_goal", "overall_principal", "follow_up_date")


def required_field_problems(plan: PlanVersion, values: dict[str, Any] | None = None, *,
                            has_parts: bool | None = None) -> dict[str, str]:
    """The required fields that are empty or wrong, each with what to do, in Swedish for the
    field itself. `values` are what the user has in front of them (possibly not saved), read
    over the stored ones — the wizard asks with its fields, approval with the stored plan.
    `has_parts` (whether any principal takes part) is read when not given; given, the check
    runs no query (the wizard asks it on the UI thread, as the user presses "Nästa >")."""
    given = values or {}
    problems: dict[str, str] = {}
    goal = given.get("main_goal", plan.main_goal)
    if not str(goal or "").strip():
        problems["main_goal"] = ("Skriv huvudmålet innan du går vidare — med personens egna "
                                 "ord. Insatserna kopplas till målet.")
    overall = given.get("overall_principal", plan.overall_principal_id)
    if overall is None:
        if has_parts if has_parts is not None else bool(parts(plan)):
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
