"""When the consent no longer carries the case, on both engines (seed 000 "Samtycke", seed 002).

Rules named here:
- **the young person of 18 must consent themselves** (seed 002): from the 18th birthday the case
  list's consent column says so, not "Gick ut …" — on the day before it still shows the
  guardians' consent; one born on 29 February comes of age on 1 March in a year without one;
- **consent must stand** (`lifecycle.consent_basis_problem`; seed 000: the consent covers the
  SIP and the sharing of information between the principals): the kallelse, sending the plan
  to be approved and approving it need a consent in force or a menprövning — the same rule for
  an adult whose consent has lapsed and for a young person whose guardians' consent ended at
  18. Marking a meeting held and documenting it do not wait for it.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
import time_machine

from sipdesk.casework import consent, guardians, lifecycle
from sipdesk.casework.consent import MUST_CONSENT_THEMSELVES
from sipdesk.casework.guardians import GuardianInput
from sipdesk.casework.lifecycle import Action, Step
from sipdesk.desk import case_page, cases
from sipdesk.desk.cases import CaseFilter
from sipdesk.desk.plan_commands import plan_commands
from sipdesk.errors import ValidationError
from sipdesk.meetings import convene, meeting
from sipdesk.plans import plan
from sipdesk.plans.plan_page import plan_page
from sipdesk.storage.models import Case, Custody, Person, Principal, PrincipalKind, User
from tests.core.test_guardians import (
    PNR_LEAP_DAY,
    PNR_TURNS_18,
    at,
    consent_input,
    yes,
)
from tests.factories import make_case, make_person, make_unit, make_user
from tests.plan_scenarios import fill, plan_world
from tests.scenarios import MEETING, good_draft, kallelse_world


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


@pytest.fixture
def principals(officer: User) -> list[Principal]:
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": PrincipalKind.REGION.value})
    return [officer.unit.principal, region]


def _young_case(officer: User, principals: list[Principal], number: str, consented: dt.date,
                machine: time_machine.TimeMachineFixture) -> Case:
    at(consented, machine)
    young = make_person(number, "Noa", "Lind")
    sara = guardians.add_guardian(officer, young, GuardianInput("Sara Lind", Custody.SOLE))
    case = make_case(officer, young)
    consent.register_consent(officer, case, consent_input(
        principals, given_on=consented, guardian_answers=[yes(sara, on=consented)]))
    return Case.get_by_id(case.id)


def _consent_cell(officer: User, case: Case) -> tuple[str, bool]:
    [row] = [r for r in cases.fetch_cases(CaseFilter(), officer) if r.id == case.id]
    state = consent.consent_state(row.consent_basis, row.consent_valid_until,
                                  adult_on=row.adult_on)
    return state.text, state.warn


@pytest.mark.parametrize(("number", "consented", "birthday"), [
    (PNR_TURNS_18, dt.date(2026, 6, 1), dt.date(2026, 11, 19)),
    (PNR_LEAP_DAY, dt.date(2025, 9, 1), dt.date(2026, 3, 1)),  # 29 Feb → 1 March in 2026
])
def test_case_list_says_the_young_person_of_18_must_consent_themselves(
        officer: User, principals: list[Principal],
        time_machine: time_machine.TimeMachineFixture,
        number: str, consented: dt.date, birthday: dt.date) -> None:
    """Seed 002: from the 18th birthday the guardians' consent no longer carries the case and
    the young person must consent themselves. The case list's consent column says so from the
    birthday on (not "Gick ut …"), read from the list's own row."""
    case = _young_case(officer, principals, number, consented, time_machine)
    day_before = birthday - dt.timedelta(days=1)

    at(day_before, time_machine)
    text, warn = _consent_cell(officer, case)
    assert text == f"Går ut om 0 dagar ({day_before:%Y-%m-%d})" and warn

    at(birthday, time_machine)
    assert _consent_cell(officer, case) == (MUST_CONSENT_THEMSELVES, True)
    at(birthday + dt.timedelta(days=40), time_machine)
    assert _consent_cell(officer, case) == (MUST_CONSENT_THEMSELVES, True)

    # A request to convene says the same (sipdesk.meetings.convene).
    colleague = make_user("maria.holm", full_name="Maria Holm", unit=make_unit("Elevhälsan"))
    request = convene.request_to_convene(colleague, case, officer, convene.ConveneInput(
        need="Behöver stöd", coordinate="Skolan och BUP", actors="Alla"))
    assert request.consent_status == MUST_CONSENT_THEMSELVES

    # Their own consent: the column shows it as any other.
    today = at(birthday + dt.timedelta(days=41), time_machine)
    consent.register_consent(officer, case, consent_input(principals, given_on=today))
    text, warn = _consent_cell(officer, case)
    assert text.startswith("Gäller till och med") and not warn


def test_an_adults_lapsed_consent_still_says_gick_ut(officer: User,
                                                     principals: list[Principal]) -> None:
    """Only a consent that ended before the 18th birthday was the guardians': an adult's lapsed
    consent says when it lapsed."""
    case = make_case(officer, make_person())
    Case.update(consent_basis="consent", consent_valid_until=dt.date(2026, 10, 1)).where(
        Case.id == case.id).execute()
    assert _consent_cell(officer, case) == ("Gick ut 2026-10-01", True)


# ---- consent must stand -------------------------------------------------------------------------

def _lapse(case: Case, *, number: str | None = None) -> Case:
    """The case's consent ended yesterday (2026-11-21; the suite's day is 2026-11-22): an
    adult's that ran out, or — with the number of one who turned 18 on 2026-11-19 — a consent
    the guardians gave, which ends the day before the birthday (2026-11-18)."""
    until = dt.date(2026, 11, 21)
    if number is not None:
        Person.update(personal_number=number).where(Person.id == case.person_id).execute()
        until = dt.date(2026, 11, 18)
    Case.update(consent_valid_until=until).where(Case.id == case.id).execute()
    return Case.get_by_id(case.id)


@pytest.mark.parametrize("number", [None, PNR_TURNS_18], ids=["adult-lapsed", "turned-18"])
def test_consent_must_stand_for_kallelse_sending_and_approving_the_plan(
        db: peewee.Database, number: str | None) -> None:
    """Consent must stand (seed 000: consent to the SIP and to information sharing between
    the principals): sending the plan to be approved and approving it are refused like the
    kallelse — for an adult whose consent lapsed and, by the same rule, for a young person of
    18 whose guardians' consent ended. Documenting goes on; the parts can be marked finished."""
    world = plan_world()
    p = fill(world)
    case = _lapse(world["case"], number=number)
    for part in plan.parts(p):
        who = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(who, p, part.principal_id)

    problem = lifecycle.consent_basis_problem(case, Step.APPROVE_PLAN)
    assert problem is not None and problem.endswith("innan planen godkänns.")
    if number is None:
        assert problem.startswith("Samtycket gällde till och med 2026-11-21")
    else:
        assert problem.startswith("Har fyllt 18 år (2026-11-19)")
    with pytest.raises(ValidationError) as refused:
        plan.request_approval(world["officer"], p)
    assert refused.value.field == "consent"
    assert refused.value.message.endswith("innan planen skickas för godkännande.")
    kommun = next(x for x in plan.parts(p) if x.principal.name == "Exempelby kommun")
    with pytest.raises(ValidationError) as refused:
        plan.approve(world["manager"], p, kommun.principal_id, plain_language_acknowledged=True)
    assert refused.value.message == problem
    assert plan.get_version(p.id).locked_at is None

    # Översikt lists it as missing (for the one of 18 the next step itself says it).
    missing = case_page.overview(case, dt.date(2026, 11, 22)).missing
    assert (problem in missing) is (number is None)

    # The Planen tab says why, with the same words.
    commands = plan_commands(plan_page(world["manager"], case, dt.date(2026, 11, 22)),
                             user=world["manager"], case=case)
    assert commands is not None
    assert not commands.request.ok and commands.request.why_not.endswith(
        "innan planen skickas för godkännande.")
    assert not commands.approve.ok and commands.approve.why_not == problem

    # A consent in force again (the young person's own, or a renewed one): approving works.
    consent.register_consent(world["officer"], case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=dt.date(2026, 11, 22), covers="Samordning",
        principals=[world["municipality"], world["region"]]), today=dt.date(2026, 11, 22))
    assert lifecycle.consent_basis_problem(Case.get_by_id(case.id), Step.APPROVE_PLAN) is None
    plan.request_approval(world["officer"], p)
    plan.approve(world["manager"], p, kommun.principal_id, plain_language_acknowledged=True)


@pytest.mark.parametrize("number", [None, PNR_TURNS_18], ids=["adult-lapsed", "turned-18"])
def test_consent_must_stand_not_for_marking_the_meeting_held_or_documenting(
        db: peewee.Database, number: str | None) -> None:
    """Consent must stand — but not for recording what already happened: a meeting convened
    on a consent that stood is marked held, and its documentation is started, after the
    consent has lapsed (an adult's, or the guardians' at 18)."""
    from sipdesk.meetings import invitation

    world = kallelse_world()
    row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                     current=dt.datetime(2026, 11, 23, 9, 0))
    case = _lapse(Case.get_by_id(world["case"].id), number=number)
    assert lifecycle.check(case, Action.HOLD_MEETING) is None
    meeting.mark_held(world["officer"], row, {x.id: True for x in invitation.participants_of(row)},
                      current=MEETING + dt.timedelta(hours=1))
    assert lifecycle.check(Case.get_by_id(case.id), Action.START_DOCUMENTATION) is None
    plan.start_documentation(world["officer"], invitation.Meeting.get_by_id(row.id))
    problem = lifecycle.check(Case.get_by_id(case.id), Action.APPROVE_PLAN)
    assert problem is not None and "innan planen godkänns" in problem
