"""Export of the cases (issue 15): one row per case the user may see, with its dates and
figures, read in pages; written as XLSX (read back here with openpyxl) and CSV (UTF-8 with BOM,
`;`); every export logged, with who, when and how many rows. On both engines.

The hand-made cases have known answers: a plan documented on the third working day after a
meeting on the Thursday before midsommar (DOMAIN.md step 8: two working days, midsommarafton is
not one), a case closed, one declined, a child, a protected person, a case of another principal.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import peewee
import pytest

from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.casework import protected
from sipdesk.casework.consent import Consent, ConsentPrincipal, HarmAssessment
from sipdesk.casework.lifecycle import CaseStatusChange, Closure, ClosureReason, NeedRecord
from sipdesk.clock import STOCKHOLM
from sipdesk.errors import ValidationError
from sipdesk.export import case_rows
from sipdesk.export.case_files import Format, default_file_name, export_cases
from sipdesk.export.case_rows import Period, columns, count_cases
from sipdesk.export.case_rows import case_rows as read_rows
from sipdesk.plans import plan
from sipdesk.storage.meeting_records import Meeting, MeetingStatus, Participant
from sipdesk.storage.models import Case, CaseStatus, Principal, PrincipalKind, Protection, Role
from sipdesk.storage.plan_records import PlanVersion, PrincipalPart
from tests.factories import PNR_CHILD, PNR_OTHER, make_case, make_person, make_unit, make_user
from tests.plan_scenarios import approve_all, fill, plan_world
from tests.queries import recorded

MIDSOMMAR_MEETING = dt.datetime(2026, 6, 18, 13, 0)  # the Thursday before midsommarafton
# Skatteverket test personal numbers
PNR_PROTECTED = "19500118-2046"
PNR_THEIRS = "19500118-2061"


def keyed(row: tuple[Any, ...], *, personal_data: bool = False) -> dict[str, Any]:
    return {c.key: v for c, v in zip(columns(personal_data=personal_data), row, strict=True)}


def all_rows(user: Any, **kwargs: Any) -> list[dict[str, Any]]:
    personal = kwargs.get("personal_data", False)
    kwargs.setdefault("personal_data", False)
    return [keyed(row, personal_data=personal) for page in read_rows(user, **kwargs)
            for row in page]


def held_meeting_on(case: Case, starts_at: dt.datetime, *, by: Any,
                    follow_up: bool = False) -> Meeting:
    meeting = Meeting.create(case=case, purpose="Samordna stödet", starts_at=starts_at,
                             place="Hemma hos den enskilde", created_by=by,
                             status=MeetingStatus.HELD.value, follow_up=follow_up)
    Participant.create(meeting=meeting, kind="person", name="Den enskilde",
                       how_invited="letter", attended=True)
    Participant.create(meeting=meeting, kind="professional", name="Eva Läkare",
                       how_invited="phone", outpatient=True, attended=True)
    return meeting


@pytest.fixture
def world(db: peewee.Database) -> dict[str, Any]:
    """Anna (case officer, Exempelby kommun) and these cases, made row by row:
    - `documented_late`: need 2026-06-01, consent 06-03, meeting Thursday 06-18 (midsommar),
      the last part finished Wednesday 06-24 (third working day), approved 06-26, closed
      08-31 with goals met;
    - `declined`: the person declined 2026-03-10;
    - `child`: a child's case, only registered (2026-10-01);
    - `protected`: a person with a protected identity, consent by menprövning 2026-09-02;
    - `theirs`: a case of another principal's unit, which Anna may not see."""
    officer = make_user("anna.berg", unit=make_unit("Biståndsenheten"))
    region_unit = make_unit("Vårdcentralen Exempelby", principal="Region Exempelland",
                            kind=PrincipalKind.REGION)
    kommun = Principal.get(Principal.name == "Exempelby kommun")
    region = Principal.get(Principal.name == "Region Exempelland")

    def case_on(created: dt.datetime, person: Any = None) -> Case:
        case = make_case(officer, person)
        Case.update(created_at=created, updated_at=created).where(Case.id == case.id).execute()
        return Case.get_by_id(case.id)

    late = case_on(dt.datetime(2026, 6, 1, 9, 0))
    NeedRecord.create(case=late, noticed_by="person", noticed_on=dt.date(2026, 5, 28),
                      need="Hjälp hemma", question="Vem gör vad?")
    consent = Consent.create(case=late, kind="oral", given_on=dt.date(2026, 6, 3),
                             taken_by=officer, covers="Samordning",
                             valid_until=dt.date(2027, 6, 3))
    ConsentPrincipal.create(consent=consent, principal=kommun)
    ConsentPrincipal.create(consent=consent, principal=region)
    meeting = held_meeting_on(late, MIDSOMMAR_MEETING, by=officer)
    version = PlanVersion.create(case=late, meeting=meeting, number=1, kind="establish",
                                 meeting_date=MIDSOMMAR_MEETING.date(),
                                 locked_at=dt.datetime(2026, 6, 26, 10, 0),
                                 follow_up_date=dt.date(2026, 12, 1))
    PrincipalPart.create(plan=version, principal=kommun,
                         finished_at=dt.datetime(2026, 6, 22, 15, 0))
    PrincipalPart.create(plan=version, principal=region,
                         finished_at=dt.datetime(2026, 6, 24, 11, 0))
    Closure.create(case=late, closed_on=dt.date(2026, 8, 31),
                   reason=ClosureReason.GOALS_MET.value, closed_by=officer)
    Case.update(status=CaseStatus.CLOSED.value).where(Case.id == late.id).execute()

    declined = case_on(dt.datetime(2026, 3, 2, 9, 0), make_person(PNR_OTHER, "Bo", "Ek"))
    Case.update(status=CaseStatus.DECLINED.value).where(Case.id == declined.id).execute()
    CaseStatusChange.create(case=declined, from_status=CaseStatus.NEED_REGISTERED.value,
                            to_status=CaseStatus.DECLINED.value,
                            at=dt.datetime(2026, 3, 10, 14, 0), by=officer)

    child = case_on(dt.datetime(2026, 10, 1, 9, 0), make_person(PNR_CHILD, "Lo", "Lind"))

    shielded = case_on(dt.datetime(2026, 9, 1, 9, 0),
                       make_person(PNR_PROTECTED, "Sara", "Skydd"))
    HarmAssessment.create(case=shielded, assessed_by=officer, assessed_on=dt.date(2026, 9, 2),
                          contacts="Sonen", conclusion="no_harm")
    protected.set_protection(officer, shielded.person_id, Protection.PROTECTED_REGISTRATION)

    other = make_user("olle.ut", unit=region_unit, full_name="Olle Utanför",
                      role=Role.UNIT_MANAGER)
    theirs = make_case(other, make_person(PNR_THEIRS, "Ulf", "Annan"))
    return {"officer": officer, "other": other, "late": late, "declined": declined,
            "child": child, "protected": shielded, "theirs": theirs,
            "admin": make_user("admin", unit=make_unit("IT"), role=Role.ADMINISTRATOR,
                               full_name="Ada Admin")}


def test_a_plan_documented_on_the_third_working_day_across_midsommar_is_late(
        world: dict[str, Any]) -> None:
    """DOMAIN.md step 8: the plan is finished within two working days after the meeting, and
    midsommarafton is not a working day. A meeting on Thursday 18 June 2026: the deadline is
    Tuesday 23 June (Friday is midsommarafton, then the weekend); the last part finished on
    Wednesday 24 June is late. The row carries every date and figure of the case."""
    rows = {r["number"]: r for r in all_rows(world["officer"])}
    row = rows[world["late"].number]
    assert row == row | {
        "status": "Avslutat", "unit": "Biståndsenheten", "unit_principal": "Exempelby kommun",
        "principals": "Exempelby kommun, Region Exempelland", "child": False,
        "need_on": dt.date(2026, 5, 28), "consent_on": dt.date(2026, 6, 3),
        "harm_assessed_on": None, "first_meeting_on": dt.date(2026, 6, 18),
        "meetings_held": 1, "next_meeting_on": None, "person_attended": True,
        "outpatient_attended": True, "interpreter_needed": False, "interpreter_booked": False,
        "documented_on": dt.date(2026, 6, 24), "documentation_deadline": dt.date(2026, 6, 23),
        "documented_in_time": False, "approved_on": dt.date(2026, 6, 26), "plan_versions": 1,
        "follow_up_on": dt.date(2026, 12, 1), "follow_up_skipped": False,
        "ended_on": dt.date(2026, 8, 31), "ended_reason": "Målen är uppfyllda",
        "days_need_to_consent": 6, "days_consent_to_meeting": 15,
        "days_meeting_to_approval": 8,
    }


def test_the_working_day_rule_says_in_time_on_the_second_working_day(
        world: dict[str, Any]) -> None:
    """DOMAIN.md step 8: the last part finished on Tuesday 23 June — the second working day
    after the Thursday meeting before midsommar — is in time."""
    version = PlanVersion.get(PlanVersion.case == world["late"])
    PrincipalPart.update(finished_at=dt.datetime(2026, 6, 23, 16, 0)).where(
        PrincipalPart.plan == version).execute()
    row = {r["number"]: r for r in all_rows(world["officer"])}[world["late"].number]
    assert (row["documented_on"], row["documented_in_time"]) == (dt.date(2026, 6, 23), True)


def test_ended_without_closure_children_and_menprovning(world: dict[str, Any]) -> None:
    rows = {r["number"]: r for r in all_rows(world["officer"])}
    declined = rows[world["declined"].number]
    assert (declined["status"], declined["ended_on"], declined["ended_reason"]) == (
        "Avböjt", dt.date(2026, 3, 10), "Den enskilde tackade nej")
    child = rows[world["child"].number]
    assert child["child"] is True and child["need_on"] == dt.date(2026, 10, 1)
    assert child["consent_on"] is None and child["days_need_to_consent"] is None
    assert child["documented_in_time"] is None and child["plan_versions"] == 0
    shielded = rows[world["protected"].number]
    assert shielded["harm_assessed_on"] == dt.date(2026, 9, 2)
    assert shielded["days_need_to_consent"] == 1


def test_one_row_per_case_the_user_may_see_in_case_number_order(
        world: dict[str, Any]) -> None:
    """DOMAIN.md, Data protection: an export holds the cases the user may see — the case list's
    rule (access.visible_cases) — and no other."""
    mine = [r["number"] for r in all_rows(world["officer"])]
    assert world["theirs"].number not in mine
    assert mine == sorted(mine) and len(mine) == 4
    assert count_cases(world["officer"]) == 4
    assert [r["number"] for r in all_rows(world["other"])] == [world["theirs"].number]
    assert len(all_rows(world["admin"])) == len(all_rows(None)) == 5


def test_a_period_keeps_the_cases_open_in_it(world: dict[str, Any]) -> None:
    """From 2026-09-01: the case closed in August and the one declined in March are out; to
    2026-09-15: the child's case registered in October is out."""
    period = Period(dt.date(2026, 9, 1), dt.date(2026, 9, 15))
    numbers = {r["number"] for r in all_rows(world["officer"], period=period)}
    assert numbers == {world["protected"].number}
    assert count_cases(world["officer"], period=period) == 1
    whole_year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert count_cases(world["officer"], period=whole_year) == 4
    with pytest.raises(ValidationError, match="före"):
        Period(dt.date(2026, 2, 1), dt.date(2026, 1, 1)).check()


def test_personal_data_only_when_asked_and_never_a_protected_persons(
        world: dict[str, Any]) -> None:
    """Names and personal numbers are columns only with "med personuppgifter"; a person with a
    protected identity is masked even for their coordinator (the file leaves sipdesk's access
    rules behind), and no address is ever a column."""
    plain = case_rows.header(False)
    assert "Personnummer" not in plain and "Namn" not in plain
    assert not any("dress" in h for h in case_rows.header(True))
    rows = {r["number"]: r for r in all_rows(world["officer"], personal_data=True)}
    late = rows[world["late"].number]
    assert (late["personal_number"], late["name"]) == ("19400107-9120", "Åsa Öberg")
    assert late["coordinator"] == "Anna Berg"
    shielded = rows[world["protected"].number]
    assert world["officer"].id == world["protected"].coordinator_id
    assert (shielded["personal_number"], shielded["name"]) == (
        protected.MASKED_NUMBER, protected.MASKED_NAME)


def test_the_rows_are_read_in_pages_at_a_fixed_cost(world: dict[str, Any]) -> None:
    """No query per case: a page of any size costs the same handful of queries; the pages
    follow each other by case number, none twice."""
    def statements(page_size: int) -> int:
        with recorded() as seen:
            rows = [r for page in read_rows(None, personal_data=True, page_size=page_size)
                    for r in page]
        assert len(rows) == 5
        return len(seen)

    one_page = statements(100)
    assert one_page <= 10
    assert statements(2) <= 3 * one_page  # three pages (a page without plans asks less)
    numbers = [r["number"] for r in all_rows(None, page_size=2)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 5


def test_a_case_through_the_core_has_its_figures(db: peewee.Database,
                                                 time_machine: Any) -> None:
    """A case taken through kallelse, meeting, documentation and approval by the core itself:
    consent 2026-11-23, meeting Thursday 2026-12-10, every part finished and approved on Monday
    2026-12-14 — the second working day, in time."""
    world = plan_world()
    version = fill(world)
    time_machine.move_to(dt.datetime(2026, 12, 14, 10, 0, tzinfo=STOCKHOLM), tick=False)
    approve_all(world, version)
    row = all_rows(world["officer"])[0]
    assert row == row | {
        "consent_on": dt.date(2026, 11, 23), "first_meeting_on": dt.date(2026, 12, 10),
        "documented_on": dt.date(2026, 12, 14), "documented_in_time": True,
        "approved_on": dt.date(2026, 12, 14), "days_consent_to_meeting": 17,
        "days_meeting_to_approval": 4, "status": CaseStatus.FOLLOW_UP_PLANNED.label,
        "follow_up_on": dt.date(2027, 3, 10), "meetings_held": 1,
        "principals": "Exempelby kommun, Region Exempelland",
    }
    assert plan.latest_version(world["case"]) is not None


# ---- the files -------------------------------------------------------------------------------

def test_the_xlsx_has_a_header_frozen_panes_widths_and_real_dates(
        world: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / default_file_name(Format.XLSX, today=dt.date(2026, 11, 22))
    result = export_cases(world["officer"], path, fmt=Format.XLSX, personal_data=False)
    assert result.rows == 4 and not result.cancelled and path.is_file()
    assert path.name == "sipdesk-arenden-2026-11-22.xlsx"
    assert not list(tmp_path.glob(".*.part"))
    book = openpyxl.load_workbook(path)
    sheet = book["Ärenden"]
    assert [c.value for c in sheet[1]] == case_rows.header(False)
    assert sheet[1][0].font.bold
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}5"
    assert sheet.column_dimensions["A"].width >= 14
    head = [c.value for c in sheet[1]]
    late = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == world["late"].number)
    meeting_cell = late[head.index("Första SIP-möte")]
    assert meeting_cell.is_date and meeting_cell.number_format == "yyyy-mm-dd"
    assert meeting_cell.value == dt.datetime(2026, 6, 18)
    assert late[head.index("Dokumenterad inom två arbetsdagar")].value == "Nej"
    assert late[head.index("Dagar samtycke–möte")].value == 15
    assert late[head.index("Dagar samtycke–möte")].data_type == "n"


def test_the_csv_opens_right_in_swedish_excel(world: dict[str, Any], tmp_path: Path) -> None:
    """UTF-8 with a byte-order mark (Excel then reads å, ä, ö right) and `;` between fields
    (Swedish Excel's list separator)."""
    path = tmp_path / "arenden.csv"
    export_cases(world["officer"], path, fmt=Format.CSV, personal_data=True)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Ärende;Personnummer;Namn;Status;Enhet;")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    head, body = rows[0], rows[1:]
    assert len(body) == 4 and all(len(r) == len(head) for r in body)
    late = next(r for r in body if r[0] == world["late"].number)
    assert late[head.index("Namn")] == "Åsa Öberg"
    assert late[head.index("Första SIP-möte")] == "2026-06-18"
    assert late[head.index("Dokumenterad inom två arbetsdagar")] == "Nej"
    assert late[head.index("Menprövning")] == ""


def test_a_text_is_never_a_formula(world: dict[str, Any], tmp_path: Path) -> None:
    """A unit named like a formula stays text in both files (no CSV/formula injection)."""
    from sipdesk.storage.models import Unit

    Unit.update(name="=HYPERLINK(\"x\")").where(Unit.id == world["late"].unit_id).execute()
    export_cases(world["officer"], tmp_path / "a.xlsx", fmt=Format.XLSX, personal_data=False)
    export_cases(world["officer"], tmp_path / "a.csv", fmt=Format.CSV, personal_data=False)
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx")["Ärenden"]
    assert sheet["C1"].value == "Enhet"
    assert sheet["C2"].data_type == "s" and sheet["C2"].value == "=HYPERLINK(\"x\")"
    assert "'=HYPERLINK" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")


def test_every_export_is_logged_with_who_when_and_how_many_rows(
        world: dict[str, Any], tmp_path: Path) -> None:
    """Issue 15 / DOMAIN.md, Data protection: an export with personal data is in the audit log
    with who made it, when and how many rows (the case list's own export too, without)."""
    export_cases(world["officer"], tmp_path / "a.xlsx", fmt=Format.XLSX, personal_data=True,
                 period=Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    export_cases(world["officer"], tmp_path / "b.csv", fmt=Format.CSV, personal_data=False)
    entries = list(AuditEntry.select().where(AuditEntry.action == AuditAction.EXPORT.value)
                   .order_by(AuditEntry.id))
    assert len(entries) == 2
    first = entries[0]
    assert first.user_id == world["officer"].id and first.case_id is None
    assert first.at.date() == dt.date(2026, 11, 22)
    assert first.summary == ("Ärenden exporterade med personuppgifter (Excel (.xlsx)): "
                             "4 ärenden, period 2026-01-01–2026-12-31")
    assert '"rows": [null, 4]' in first.changes and '"personal_data": [null, true]' \
        in first.changes
    assert "utan personuppgifter" in entries[1].summary
    # No personal data in the log's text.
    assert "Öberg" not in first.summary and "19400107" not in first.summary


def test_a_cancelled_export_leaves_no_file_and_no_log(world: dict[str, Any],
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    path = folder / "stopp.xlsx"
    seen: list[tuple[int, int]] = []
    result = export_cases(world["officer"], path, fmt=Format.XLSX, personal_data=True,
                          page_size=1, progress=lambda done, total: seen.append((done, total)),
                          cancelled=lambda: len(seen) > 2)
    assert result.cancelled and result.rows == 2
    assert seen[0] == (0, 4)
    assert not path.exists() and list(folder.iterdir()) == []
    assert not AuditEntry.select().where(AuditEntry.action == AuditAction.EXPORT.value).exists()


def test_the_target_is_checked_first(world: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        export_cases(world["officer"], tmp_path / "a.csv", fmt=Format.XLSX,
                     personal_data=False)
    with pytest.raises(ValidationError, match="finns inte"):
        export_cases(world["officer"], tmp_path / "saknas" / "a.csv", fmt=Format.CSV,
                     personal_data=False)
