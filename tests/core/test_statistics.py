"""Statistics (issue 15): the figures on hand-made data with known answers, on both engines.

The data (`_world`): four cases in two units of two principals, a year 2026.
- case 1 (Hemtjänst Norr, adult): need 1 March, consent 11 March, SIP meeting Thursday 18 June
  (the day before midsommarafton); its plan documented by one principal on Monday 22 June and
  by the other on Wednesday 24 June — the third working day (midsommarafton is not a working
  day), so NOT within two working days; approved 25 and 26 June. Follow-up set to 1 September,
  held 28 August (a second plan version, documented and approved in time).
- case 2 (Hemtjänst Norr, a child): created 1 April, consent 6 April, meeting Monday 4 May
  where the person was absent and an interpreter was needed and booked; plan documented the
  next day, approved by one principal of two; its follow-up on 1 October skipped with a reason.
- case 3 (Vårdcentralen Syd, the region): created 1 February, closed 1 July (goals met).
- case 4 (Hemtjänst Norr): from 2025, its follow-up due 1 February 2026 never held (overdue);
  its consent lapses 10 December (within 30 days of the frozen today, 22 November 2026).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import peewee
import pytest

from sipdesk.casework.consent import Consent
from sipdesk.casework.lifecycle import Closure
from sipdesk.casework.need import NeedRecord
from sipdesk.rules.workdays import add_workdays
from sipdesk.statistics.compute import scope_choices, statistics_for
from sipdesk.statistics.figures import Figures, Spread
from sipdesk.statistics.period import Period, Scope
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.meeting_records import Meeting, Participant
from sipdesk.storage.models import Case, PrincipalKind, Role, User
from sipdesk.storage.plan_records import PlanVersion, PrincipalPart
from tests.conftest import _bound
from tests.factories import (
    PNR_ADULT,
    PNR_CHILD,
    PNR_OTHER,
    make_case,
    make_person,
    make_unit,
    make_user,
)

YEAR = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
SKIP_REASON = "Den enskilde vill vänta"


def _at(day: str, hour: int = 13) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour))


def _d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def _case(actor: User, number: str, unit_id: int, created: str) -> Case:
    case = make_case(actor, make_person(number))
    Case.update(unit=unit_id, created_at=_at(created, 9)).where(Case.id == case.id).execute()
    return Case.get_by_id(case.id)


def _meeting(case: Case, actor: User, day: str) -> Meeting:
    return Meeting.create(case=case, purpose="SIP", starts_at=_at(day), place="Hemma",
                          status="held", created_by=actor)


def _plan(case: Case, actor: User, day: str, number: int = 1, *, follow_up: str | None = None,
          skipped: str = "", locked: str | None = None,
          previous: PlanVersion | None = None) -> PlanVersion:
    return PlanVersion.create(
        case=case, number=number, kind="establish" if number == 1 else "follow_up",
        meeting_date=_d(day), documented_by=actor,
        follow_up_date=_d(follow_up) if follow_up else None, follow_up_skipped_reason=skipped,
        locked_at=_at(locked, 15) if locked else None, previous=previous)


def _part(plan: PlanVersion, principal_id: int, actor: User, finished: str,
          approved: str | None) -> None:
    PrincipalPart.create(plan=plan, principal=principal_id, finished_at=_at(finished, 16),
                         finished_by=actor, approved_at=_at(approved, 10) if approved else None,
                         approved_by=actor if approved else None)


def _consent(case: Case, actor: User, given: str) -> None:
    Consent.create(case=case, kind="written", given_on=_d(given), taken_by=actor,
                   covers="Samordning", valid_until=_d(given) + dt.timedelta(days=365))


@dataclasses.dataclass
class World:
    admin: User
    officer: User  # Hemtjänst Norr: sees the municipality's cases, not the region's
    north: int
    south: int


def _world() -> World:
    north = make_unit("Hemtjänst Norr")
    south = make_unit("Vårdcentralen Syd", principal="Region Exempel",
                      kind=PrincipalKind.REGION)
    admin = make_user("admin", unit=north, role=Role.ADMINISTRATOR, full_name="Ada Admin")
    officer = make_user("anna.berg", unit=north)
    kommun, region = north.principal_id, south.principal_id

    one = _case(admin, PNR_ADULT, north.id, "2026-03-02")
    NeedRecord.create(case=one, noticed_by="staff", noticed_on=_d("2026-03-01"),
                      need="Stöd", question="Hur?")
    _consent(one, admin, "2026-03-11")
    m1 = _meeting(one, admin, "2026-06-18")
    Participant.create(meeting=m1, kind="person", name="Den enskilde", how_invited="letter",
                       attended=True)
    Participant.create(meeting=m1, kind="professional", name="Vårdcentralen",
                       how_invited="message", attended=True, outpatient=True)
    v1 = _plan(one, admin, "2026-06-18", follow_up="2026-09-01", locked="2026-06-26")
    _part(v1, kommun, admin, "2026-06-22", "2026-06-25")
    _part(v1, region, admin, "2026-06-24", "2026-06-26")
    v2 = _plan(one, admin, "2026-08-28", 2, follow_up="2027-03-01", locked="2026-09-02",
               previous=v1)
    _part(v2, kommun, admin, "2026-08-31", "2026-09-02")
    _part(v2, region, admin, "2026-08-31", "2026-09-02")

    two = _case(admin, PNR_CHILD, north.id, "2026-04-01")
    two.person.needs_interpreter = True
    two.person.save()
    _consent(two, admin, "2026-04-06")
    m2 = _meeting(two, admin, "2026-05-04")
    Participant.create(meeting=m2, kind="person", name="Den enskilde", how_invited="letter",
                       attended=False)
    Participant.create(meeting=m2, kind="professional", name="Vårdcentralen",
                       how_invited="message", attended=False, outpatient=True)
    Participant.create(meeting=m2, kind="interpreter", name="Tolk", how_invited="phone")
    p2 = _plan(two, admin, "2026-05-04", follow_up="2026-10-01", skipped=SKIP_REASON,
               locked="2026-05-10")
    _part(p2, kommun, admin, "2026-05-05", "2026-05-06")
    _part(p2, region, admin, "2026-05-05", None)

    three = _case(admin, PNR_OTHER, south.id, "2026-02-01")
    Closure.create(case=three, closed_on=_d("2026-07-01"), reason="goals_met", closed_by=admin)

    four = _case(admin, "19121212-1212", north.id, "2025-05-01")
    p4 = _plan(four, admin, "2025-06-10", follow_up="2026-02-01", locked="2025-06-12")
    _part(p4, kommun, admin, "2025-06-10", "2025-06-12")
    Case.update(consent_basis="consent", consent_valid_until=_d("2026-12-10")).where(
        Case.id == four.id).execute()
    return World(admin, officer, north.id, south.id)


def test_midsommar_deadline_is_the_second_working_day_after() -> None:
    """DOMAIN step 8 (the rule the figure uses): a meeting on Thursday 18 June 2026 must be
    documented by Tuesday 23 June — midsommarafton is not a working day."""
    assert add_workdays(_d("2026-06-18"), 2) == _d("2026-06-23")


def test_figures_on_known_data(db: peewee.Database) -> None:
    """Statistics: every figure of a year on hand-made data, as counted by hand — including a
    plan documented on the third working day across midsommar (not within two working days,
    DOMAIN step 8) and a skipped follow-up with its reason (DOMAIN step 10)."""
    w = _world()
    s = statistics_for(w.admin, period=YEAR, scope=Scope.whole())
    t = s.total
    assert (t.started, t.started_children, t.started_adults) == (3, 1, 2)
    assert (t.ended, t.ended_by_reason) == (1, {"goals_met": 1})
    assert t.open_at_end == 3
    assert t.need_to_consent == Spread(2, 5, 10)
    assert t.consent_to_meeting == Spread(2, 28, 99)
    assert (t.meetings_held, t.person_took_part, t.outpatient_took_part) == (2, 1, 1)
    assert (t.interpreter_needed, t.interpreter_booked) == (1, 1)
    # Case 1's first plan: third working day across midsommar — late. Its second and case 2's
    # plan: in time. Approved by all: case 1's two versions (8 and 5 days).
    assert (t.plans, t.plans_due, t.documented_in_time, t.approved_by_all) == (3, 3, 2, 2)
    assert t.days_to_approval == Spread(2, 5, 8)
    assert (t.follow_ups_due, t.follow_ups_on_time, t.follow_ups_late) == (3, 1, 0)
    assert (t.follow_ups_skipped, t.follow_ups_overdue, t.follow_ups_coming) == (1, 1, 0)
    assert t.skipped_reasons == {SKIP_REASON: 1}
    assert t.consents_expiring == 1
    assert t.kvittens_minutes.count == 0
    assert t.evaluations is not None and t.evaluations.meetings == 2
    assert t.evaluations.evaluated == 0

    by_unit = {u.unit: u.figures for u in s.units}
    assert set(by_unit) == {"Hemtjänst Norr", "Vårdcentralen Syd"}
    assert (by_unit["Vårdcentralen Syd"].started, by_unit["Vårdcentralen Syd"].ended) == (1, 1)
    assert by_unit["Hemtjänst Norr"].started == 2
    assert by_unit["Hemtjänst Norr"].consent_to_meeting == Spread(2, 28, 99)
    months = dict(s.months)
    assert len(months) == 12
    assert (months["2026-06"].meetings_held, months["2026-06"].documented_in_time) == (1, 0)
    assert (months["2026-05"].meetings_held, months["2026-05"].documented_in_time) == (1, 1)
    assert months["2026-10"].follow_ups_skipped == 1
    assert months["2026-06"].consent_to_meeting == Spread(1, 99, 99)


def test_figures_respect_access(db: peewee.Database) -> None:
    """Statistics count only the cases the user may see (access.visible_cases): a municipal
    case officer's figures leave out the region's case."""
    w = _world()
    t = statistics_for(w.officer, period=YEAR, scope=Scope.whole()).total
    assert (t.started, t.ended, t.open_at_end) == (2, 0, 3)
    labels = [c.label for c in scope_choices(w.officer)]
    assert "Vårdcentralen Syd" not in labels and "Hemtjänst Norr" in labels


def test_unit_scope(db: peewee.Database) -> None:
    w = _world()
    t = statistics_for(w.admin, period=YEAR, scope=Scope.unit(w.south)).total
    assert (t.started, t.ended, t.meetings_held, t.plans) == (1, 1, 0, 0)
    assert t.evaluations is not None and t.evaluations.meetings == 0


def test_no_personal_data_in_statistics(db: peewee.Database) -> None:
    """Protected persons and everyone else: the statistics hold counts only, no name or
    personal number."""
    w = _world()
    text = repr(statistics_for(w.admin, period=YEAR, scope=Scope.whole()))
    for secret in ("Öberg", "Åsa", PNR_ADULT, PNR_CHILD, "1212"):
        assert secret not in text


def _plain(value: Figures) -> dict[str, Any]:
    return dataclasses.asdict(value)


@pytest.mark.parametrize("scope", ["whole", "unit"])
def test_same_figures_on_both_engines(tmp_path: Path, sqlite_template: Path,
                                      pg_url: DatabaseUrl, scope: str) -> None:
    """Statistics: SQLite and PostgreSQL give the same figures on identical data."""
    path = tmp_path / "same.sqlite3"
    shutil.copyfile(sqlite_template, path)
    results = []
    for url in (DatabaseUrl(Engine.SQLITE, path=path), pg_url):
        bound = _bound(url)
        next(bound)
        try:
            w = _world()
            chosen = Scope.whole() if scope == "whole" else Scope.unit(w.north)
            s = statistics_for(w.admin, period=YEAR, scope=chosen)
            results.append((_plain(s.total), [(u.unit, _plain(u.figures)) for u in s.units],
                            [(m, _plain(f)) for m, f in s.months]))
        finally:
            next(bound, None)  # its clean-up: PostgreSQL emptied, the binding undone
    assert results[0] == results[1]
