"""The approved plan as structured data (issue 15): `export_plan` writes the newest approved
version as JSON that validates against the documented schema (docs/plan-export.schema.json) —
a round trip, export → read → validate — with the person, the participants, the goals, each
principal's interventions with unit, responsible and dates, and the follow-up. A case without
an approved plan, or one the user may not see, is refused in Swedish; the export is logged; a
protected person's address is never in the file. On both engines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import peewee
import pytest

from sipdesk.accounts import access
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.casework import protected
from sipdesk.clock import STOCKHOLM
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.export import plan_json
from sipdesk.plans import plan
from sipdesk.storage.models import Person, PrincipalKind, Protection, Role
from sipdesk.storage.plan_records import PlanParticipant
from tests.factories import make_unit, make_user
from tests.plan_scenarios import TREATMENT_REF, approve_all, fill, plan_world

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs" / "plan-export.schema.json")
                    .read_text(encoding="utf-8"))


def validate(document: Any) -> None:
    jsonschema.Draft202012Validator(
        SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
    ).validate(document)


@pytest.fixture
def world(db: peewee.Database, time_machine: Any) -> dict[str, Any]:
    """plan_world filled in; every part finished and approved on Monday 2026-12-14."""
    w = plan_world()
    version = fill(w)
    time_machine.move_to(dt.datetime(2026, 12, 14, 10, 0, tzinfo=STOCKHOLM), tick=False)
    w["approved"] = approve_all(w, version)
    return w


def test_the_exported_plan_validates_against_the_documented_schema(
        world: dict[str, Any], tmp_path: Path) -> None:
    """Round trip: the file written is read back and validated; it holds what the case-record
    system needs — person, participants, goals, interventions per principal with responsible
    unit and dates, actions by others, treatment limitation as a reference, the follow-up."""
    path = tmp_path / "plan.json"
    written = plan_json.export_plan(world["officer"], world["case"].id, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document == written
    validate(document)
    assert document["format"] == "sipdesk-plan" and document["format_version"] == 1
    assert document["case"] == {"number": world["case"].number, "unit": "Biståndsenheten"}
    assert document["person"] == {"personal_number": "19400107-9120", "first_name": "Åsa",
                                  "last_name": "Öberg", "child": False,
                                  "protected_identity": False}
    assert document["plan"]["version"] == 1 and document["plan"]["kind"] == "establish"
    assert document["plan"]["meeting_date"] == "2026-12-10"
    assert document["plan"]["approved_at"].startswith("2026-12-14T10:00")
    assert document["goals"]["main_goal"] == "Att kunna bo kvar hemma och känna mig trygg."
    assert len(document["goals"]["sub_goals"]) == 3
    by_name = {p["name"]: p for p in document["principals"]}
    assert set(by_name) == {"Exempelby kommun", "Region Exempelland"}
    kommun = by_name["Exempelby kommun"]
    assert kommun["kind"] == "kommun" and kommun["approved_at"] is not None
    shower = kommun["interventions"][0]
    assert shower == {
        "what": "Hemtjänsten hjälper till med dusch", "goal": "Duscha utan att vara rädd",
        "unit": "Hemtjänst Norr", "responsible": "Maria Holm",
        "how_often": "Tisdag och fredag förmiddag", "starts_on": "2026-12-14",
        "ends_on": "2027-03-10", "status": "planned", "status_label": "Planerad",
        "no_action": False}
    region = by_name["Region Exempelland"]
    assert [i["no_action"] for i in region["interventions"]] == [False, True]
    assert [o["who"] for o in document["other_actions"]] == ["Dottern Greta", "Åsa själv"]
    assert document["treatment_limitation"] == {"exists": True,
                                                "record_reference": TREATMENT_REF}
    assert document["follow_up"] == {"date": "2027-03-10",
                                     "by": "Anna Berg, biståndshandläggare",
                                     "skipped_reason": None}
    assert {p["name"] for p in document["participants"]} >= {"Maria Holm", "Per Nord"}
    assert not list(tmp_path.glob(".*.part"))


def test_the_schema_refuses_what_it_does_not_describe(world: dict[str, Any]) -> None:
    """The schema is strict (no unknown field, dates as dates), so it documents every field."""
    document = plan_json.plan_document(world["officer"], world["case"].id)
    validate(document)
    with pytest.raises(jsonschema.ValidationError):
        validate({**document, "extra": 1})
    broken = json.loads(json.dumps(document))
    broken["follow_up"]["date"] = "10 mars 2027"
    with pytest.raises(jsonschema.ValidationError):
        validate(broken)


def test_the_export_is_logged(world: dict[str, Any], tmp_path: Path) -> None:
    plan_json.export_plan(world["officer"], world["case"].id, tmp_path / "plan.json")
    entry = (AuditEntry.select().where(AuditEntry.action == AuditAction.EXPORT.value)
             .order_by(AuditEntry.id.desc()).get())
    assert (entry.user_id, entry.case_id, entry.entity, entry.entity_id) == (
        world["officer"].id, world["case"].id, "plan_version", world["approved"].id)
    assert entry.summary == "Planen version 1 exporterades som JSON"


def test_no_approved_plan_is_refused_in_swedish(db: peewee.Database, tmp_path: Path) -> None:
    """A plan still being documented is not exported: the case-record system gets only what
    every principal has approved (DOMAIN.md step 8)."""
    w = plan_world()
    fill(w)
    path = tmp_path / "plan.json"
    with pytest.raises(ValidationError) as refused:
        plan_json.export_plan(w["officer"], w["case"].id, path)
    assert refused.value.message == (
        f"Ärende {w['case'].number} har ingen godkänd plan att exportera. Planen kan "
        "exporteras när alla huvudmän har godkänt den.")
    assert not path.exists() and not list(tmp_path.glob("*plan*"))


def test_a_case_the_user_may_not_see_is_refused(world: dict[str, Any], tmp_path: Path) -> None:
    """DOMAIN.md, Data protection: only those who work with the case may export its plan."""
    outsider = make_user("olle.ut", unit=make_unit("Vårdcentralen Grannby",
                                                   principal="Region Grannland",
                                                   kind=PrincipalKind.REGION),
                         role=Role.UNIT_MANAGER, full_name="Olle Utanför")
    with pytest.raises(PermissionDenied) as refused:
        plan_json.export_plan(outsider, world["case"].id, tmp_path / "plan.json")
    assert refused.value.message == access.NOT_YOURS
    assert not list(tmp_path.glob("*plan*"))


def test_a_protected_persons_address_is_never_in_the_file(world: dict[str, Any],
                                                          tmp_path: Path) -> None:
    """Protected identity (issue 12): no address in the export — also not one written into a
    participant's contact detail before the marking; the document says the person is
    protected, so the receiving system keeps its own protection on the plan."""
    person = Person.get_by_id(world["case"].person_id)
    Person.update(address="Hemliga vägen 7", postal_code="123 45", city="Gömby").where(
        Person.id == person.id).execute()
    row = plan.participants(world["approved"])[0]
    PlanParticipant.update(contact="070-111 22 33, Hemliga vägen 7, 123 45 Gömby").where(
        PlanParticipant.id == row.id).execute()
    protected.set_protection(world["officer"], person.id, Protection.PROTECTED_REGISTRATION)
    path = tmp_path / "plan.json"
    plan_json.export_plan(world["officer"], world["case"].id, path)
    text = path.read_text(encoding="utf-8")
    assert "Hemliga" not in text and "123 45" not in text and "Gömby" not in text
    document = json.loads(text)
    validate(document)
    assert document["person"]["protected_identity"] is True
    assert "070-111 22 33" in text


def test_the_target_must_be_a_json_file_in_a_folder_that_exists(
        world: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\.json"):
        plan_json.export_plan(world["officer"], world["case"].id, tmp_path / "plan.txt")
    with pytest.raises(ValidationError, match="finns inte"):
        plan_json.export_plan(world["officer"], world["case"].id,
                              tmp_path / "saknas" / "plan.json")
