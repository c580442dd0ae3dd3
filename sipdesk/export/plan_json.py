"""The approved plan as structured data (issue 15): `sipdesk export plan SIP-2026-0042 --format
json --out plan.json`, so a case-record system imports the plan instead of someone typing it in
again (the users' biggest complaint about double documentation).

The document follows `docs/plan-export.schema.json` (JSON Schema 2020-12), explained in
`docs/plan-export.md`: the person, the participants, the person's own words, the goals, the
interventions per principal with the responsible unit and person and the dates, actions by
others, overall responsibility, treatment limitation (only the reference to the medical record,
as on paper) and the follow-up. It reads what the printed plan reads (`plan.plan_view`).

Which version: the newest one every principal has approved. A case without one is refused with
a Swedish sentence; so is a case the user may not see (`access.case_for`, the same words as
everywhere). The export is logged (audit: who, when, which case and version) before the file is
put in place; a half-written file never stays.

A person with a protected identity: their address is never in the document — no plan holds
it, and a participant's contact detail written before the marking is scrubbed, as when the plan
is printed (`protected.scrub_address`). Their name and personal number are in it, as on the
printed plan, since the receiving system must file the plan on the right person; the document
says `protected_identity: true` so that system can keep its own protection on it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from sipdesk import __version__, clock
from sipdesk.accounts import access
from sipdesk.accounts.audit import AuditAction, record
from sipdesk.casework import protected
from sipdesk.casework.consent import is_child
from sipdesk.errors import ValidationError
from sipdesk.plans.plan_reads import plan_view
from sipdesk.plans.print_reads import person_and_unit, user_with_unit
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, Principal, User
from sipdesk.storage.plan_records import InterventionStatus, PlanKind, PlanVersion

FORMAT = "sipdesk-plan"
FORMAT_VERSION = 1
SCHEMA_ID = "https://sipdesk.se/schemas/plan-export/1.json"


def no_approved_plan(number: str) -> str:
    return (f"Ärende {number} har ingen godkänd plan att exportera. Planen kan exporteras när "
            "alla huvudmän har godkänt den.")


def approved_version(case: Case) -> PlanVersion | None:
    """The case's newest version that every principal has approved (locked)."""
    return (PlanVersion.select().where((PlanVersion.case == case.id)
                                       & PlanVersion.locked_at.is_null(False))
            .order_by(PlanVersion.number.desc()).first())


def _date(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def _time(value: dt.datetime | None) -> str | None:
    """A stored (Stockholm wall-clock) time with its offset, as RFC 3339 asks."""
    if value is None:
        return None
    return clock.in_stockholm(value).isoformat(timespec="seconds")


def _case(actor: User | None, case_id: int) -> Case:
    if actor is None:  # the command line without a sipdesk login: its database login's view
        return Case.get_by_id(case_id)
    return access.case_for(actor, case_id)


def plan_document(actor: User | None, case_id: int) -> dict[str, Any]:
    """The case's newest approved plan as the export's JSON object (see the module)."""
    return _document(actor, case_id)[0]


def _document(actor: User | None, case_id: int) -> tuple[dict[str, Any], PlanVersion]:
    case = _case(actor, case_id)
    version = approved_version(case)
    if version is None:
        raise ValidationError(no_approved_plan(case.number))
    view = plan_view(version.id)
    person, unit = person_and_unit(case.id)
    writer = (user_with_unit(version.documented_by_id) if version.documented_by_id is not None
              else None)
    kinds = {p.id: p.kind for p in Principal.select(Principal.id, Principal.kind)}
    approvals = {part.principal_id: part for part in view.parts}
    order: list[int] = []
    for item in view.interventions:
        if item.principal_id not in order:
            order.append(item.principal_id)
    order += [p.principal_id for p in view.parts if p.principal_id not in order]
    principals = []
    for principal_id in order:
        part = approvals.get(principal_id)
        principals.append({
            "name": view.principal_names.get(principal_id, ""),
            "kind": kinds.get(principal_id, ""),
            "finished_at": _time(part.finished_at) if part else None,
            "approved_at": _time(part.approved_at) if part else None,
            "interventions": [{
                "what": item.what,
                "goal": item.goal,
                "unit": item.unit,
                "responsible": item.responsible,
                "how_often": item.how_often,
                "starts_on": _date(item.starts_on),
                "ends_on": _date(item.ends_on),
                "status": InterventionStatus(item.status).value,
                "status_label": InterventionStatus(item.status).label,
                "no_action": bool(item.no_action),
            } for item in view.interventions if item.principal_id == principal_id],
        })
    follow_up: dict[str, Any] = {
        "date": _date(version.follow_up_date),
        "by": version.follow_up_by,
        "skipped_reason": version.follow_up_skipped_reason.strip() or None,
    }
    return {
        "$schema": SCHEMA_ID,
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _time(clock.now()),
        "exported_by": "sipdesk " + __version__,
        "case": {"number": case.number, "unit": unit.name},
        "person": {
            "personal_number": person.personal_number,
            "first_name": person.first_name,
            "last_name": person.last_name,
            "child": is_child(person, version.meeting_date),
            "protected_identity": protected.is_protected(person),
        },
        "plan": {
            "version": version.number,
            "kind": PlanKind(version.kind).value,
            "kind_label": PlanKind(version.kind).label,
            "meeting_date": _date(version.meeting_date),
            "approved_at": _time(version.locked_at),
            "chair": version.chair,
            "documented_by": (", ".join(x for x in (writer.full_name, writer.profession,
                                                    writer.unit.name) if x)
                              if writer is not None else ""),
            "adjusted_with": version.adjusted_with,
        },
        "participants": [{
            "name": p.name, "initials": p.initials, "profession": p.profession,
            "organisation": p.organisation,
            "principal": view.principal_names.get(p.principal_id or 0, "") or None,
            "contact": p.contact,
        } for p in view.participants],
        "own_words": {
            "current_situation": version.current_situation,
            "what_matters": version.what_matters,
            "can_do_self": version.can_do_self,
            "child_views": version.child_views,
        },
        "goals": {"main_goal": version.main_goal, "sub_goals": list(view.sub_goals)},
        "principals": principals,
        "other_actions": [{"who": o.who, "what": o.what, "when": o.when}
                          for o in view.other_actions],
        "no_other_actions": bool(version.others_none),
        "overall_responsibility": view.overall_principal or None,
        "coordinator_contact": version.coordinator_contact,
        "treatment_limitation": {
            "exists": version.treatment_limitation,
            "record_reference": version.treatment_limitation_ref,
        },
        "follow_up": follow_up,
    }, version


def export_plan(actor: User | None, case_id: int, path: Path, *,
                command_line: bool = False) -> dict[str, Any]:
    """Write the case's newest approved plan to `path` (.json, UTF-8), logged; returns the
    document written."""
    if path.suffix.lower() != ".json":
        raise ValidationError("Filen ska sluta på .json.", field="out")
    if not path.parent.is_dir():
        raise ValidationError(f"Mappen {path.parent} finns inte.", field="out")
    document, version = _document(actor, case_id)
    part = path.with_name(f".{path.name}.part")
    try:
        part.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n",
                        encoding="utf-8")
        where = " från kommandoraden" if command_line else ""
        with database.atomic():
            record(actor, action=AuditAction.EXPORT, entity="plan_version",
                   entity_id=version.id, case=case_id,
                   summary=f"Planen version {version.number} exporterades som JSON{where}")
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return document
