"""The rules about dates, run with the clock frozen at the days that matter: the Friday before
midsommarafton, julafton, nyårsafton, 29 February, a day in winter time and one in summer
time, and the nights the clocks change. Each test reads today from sipdesk.clock (never a
fixed date mixed with the real one), so the suite gives the same answers on any day."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from sipdesk import clock
from sipdesk.casework import consent, lifecycle
from sipdesk.casework.lifecycle import Action, ClosureReason
from sipdesk.clock import STOCKHOLM
from sipdesk.desk import todo
from sipdesk.errors import ValidationError
from sipdesk.meetings.calendar_files import local
from sipdesk.rules.workdays import add_workdays, is_workday, one_year_after
from sipdesk.storage.models import Case, Principal
from tests.factories import make_case, make_unit, make_user

# name → a moment on that day (Stockholm), with what the documentation deadline must be
# (two working days after a meeting held that day, DOMAIN.md step 8).
DAYS_THAT_MATTER = {
    "fredag före midsommarafton": (dt.datetime(2027, 6, 18, 10, 0), dt.date(2027, 6, 22)),
    "midsommarafton": (dt.datetime(2027, 6, 25, 10, 0), dt.date(2027, 6, 29)),
    "julafton": (dt.datetime(2026, 12, 24, 10, 0), dt.date(2026, 12, 29)),
    "dagen före julafton": (dt.datetime(2026, 12, 23, 15, 0), dt.date(2026, 12, 29)),
    "nyårsafton": (dt.datetime(2026, 12, 31, 10, 0), dt.date(2027, 1, 5)),
    "skottdagen": (dt.datetime(2028, 2, 29, 10, 0), dt.date(2028, 3, 2)),
    "vintertid": (dt.datetime(2027, 1, 14, 10, 0), dt.date(2027, 1, 18)),
    "sommartid": (dt.datetime(2027, 7, 14, 10, 0), dt.date(2027, 7, 16)),
}
DAY_IDS = list(DAYS_THAT_MATTER)


@pytest.fixture(params=DAY_IDS)
def day(request: pytest.FixtureRequest, time_machine: time_machine.TimeMachineFixture
        ) -> tuple[dt.datetime, dt.date]:
    moment, deadline = DAYS_THAT_MATTER[request.param]
    time_machine.move_to(moment.replace(tzinfo=STOCKHOLM), tick=False)
    return moment, deadline


def _world() -> dict:
    officer = make_user("anna.berg")
    make_unit("Vårdcentralen", principal="Region Exempelland")
    case = make_case(officer)
    return {"officer": officer, "case": case}


def _give_consent(world: dict) -> Case:
    principals = list(Principal.select().order_by(Principal.id))
    consent.register_consent(world["officer"], world["case"], consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Samordning",
        principals=principals))
    return Case.get_by_id(world["case"].id)


def test_the_clock_is_stockholm_time_whatever_the_machine_zone(day: tuple) -> None:
    moment, _deadline = day
    assert clock.now() == moment
    assert clock.today() == moment.date()


def test_the_documentation_deadline_is_two_working_days_after_the_meeting(day: tuple) -> None:
    """DOMAIN.md step 8: finished within two working days after the meeting; public holidays
    and midsommarafton, julafton and nyårsafton are not working days."""
    _moment, deadline = day
    assert add_workdays(clock.today(), 2) == deadline
    assert is_workday(deadline)


def test_case_numbers_carry_the_year_of_the_day_they_are_opened(db, day: tuple) -> None:
    moment, _deadline = day
    world = _world()
    assert world["case"].number.startswith(f"SIP-{moment.year}-")


def test_consent_given_today_is_valid_at_most_one_year(db, day: tuple,
                                                       time_machine) -> None:
    """DOMAIN.md step 2 / seed 003: consent is limited in time, at most one year."""
    world = _world()
    case = _give_consent(world)
    until = one_year_after(clock.today())
    assert case.consent_valid_until == until
    assert lifecycle.check(case, Action.INVITE) is None
    # Att göra warns the coordinator a month ahead, and the day after it has lapsed the
    # kallelse is refused until the consent is renewed.
    time_machine.move_to(dt.datetime.combine(until - dt.timedelta(days=consent.WARN_DAYS),
                                             dt.time(9), tzinfo=STOCKHOLM), tick=False)
    rows = [r for r in todo.todo_for(world["officer"]) if r.case_id == case.id]
    assert [r.what for r in rows] == [f"Samtycket går ut {until:%Y-%m-%d}"]
    time_machine.move_to(dt.datetime.combine(until + dt.timedelta(days=1), dt.time(9),
                                             tzinfo=STOCKHOLM), tick=False)
    assert lifecycle.check(Case.get_by_id(case.id), Action.INVITE) == (
        f"Samtycket gällde till och med {until:%Y-%m-%d} — förnya samtycket innan kallelse.")
    rows = [r for r in todo.todo_for(world["officer"]) if r.case_id == case.id]
    assert [(r.what, r.overdue) for r in rows] == [
        (f"Samtycket gick ut {until:%Y-%m-%d} — förnya det", True)]


def test_a_case_closes_today_but_not_tomorrow(db, day: tuple) -> None:
    """A closure is dated today at the latest, whatever kind of day today is."""
    world = _world()
    case = _give_consent(world)
    with pytest.raises(ValidationError, match="Avslutsdatumet kan inte ligga i framtiden"):
        lifecycle.close_case(world["officer"], case, closed_on=clock.today()
                             + dt.timedelta(days=1), reason=ClosureReason.NO_MORE_NEED)
    closure = lifecycle.close_case(world["officer"], Case.get_by_id(case.id),
                                   closed_on=clock.today(), reason=ClosureReason.NO_MORE_NEED)
    assert closure.closed_on == clock.today()


# ---- midnight, New Year and the nights the clocks change --------------------------------------

@pytest.mark.parametrize(("utc", "stockholm"), [
    # New Year's night: still 31 December in London, already 1 January in Stockholm.
    (dt.datetime(2026, 12, 31, 23, 30), dt.datetime(2027, 1, 1, 0, 30)),
    # Summer time starts (last Sunday in March, 02:00 → 03:00).
    (dt.datetime(2027, 3, 28, 0, 59), dt.datetime(2027, 3, 28, 1, 59)),
    (dt.datetime(2027, 3, 28, 1, 0), dt.datetime(2027, 3, 28, 3, 0)),
    # Winter time again (last Sunday in October, 03:00 → 02:00).
    (dt.datetime(2027, 10, 30, 22, 30), dt.datetime(2027, 10, 31, 0, 30)),
    (dt.datetime(2027, 10, 31, 1, 30), dt.datetime(2027, 10, 31, 2, 30)),
    # A leap day's last hour in Stockholm.
    (dt.datetime(2028, 2, 29, 22, 59), dt.datetime(2028, 2, 29, 23, 59)),
])
def test_now_is_stockholm_wall_clock_time(time_machine, utc: dt.datetime,
                                          stockholm: dt.datetime) -> None:
    time_machine.move_to(utc.replace(tzinfo=dt.UTC), tick=False)
    assert clock.now() == stockholm
    assert clock.today() == stockholm.date()
    # the same instant again (in the repeated hour of October too, through `fold`)
    assert local(clock.now()).astimezone(dt.UTC) == utc.replace(tzinfo=dt.UTC)


def test_a_case_opened_on_new_years_night_gets_the_new_years_number(db, time_machine) -> None:
    """23:30 UTC on 31 December is 00:30 on 1 January in Stockholm: the new year's series."""
    time_machine.move_to(dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC), tick=False)
    world = _world()
    assert world["case"].number == "SIP-2027-0001"
    assert world["case"].created_at == dt.datetime(2027, 1, 1, 0, 30)
