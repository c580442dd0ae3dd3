"""Who may see a case — DOMAIN.md, Data protection: "access only for those who work with the case
or its unit" — held the same in every list as in opening one (issue 16), on both engines.

A small demo (sipdesk.demo) gives every role: case officers and unit managers who coordinate,
the municipality's own staff who coordinate nothing, a region nurse (per.nord) invited to some
cases' meetings, and the administrator. For each user the case list (every scope, with and without
"Pågående", a search), its counts, Att göra and the closure dialog's other cases show exactly the
cases `access.can_see` allows — and `can_see` says what the rule written below says.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk import clock, demo
from sipdesk.accounts import access
from sipdesk.desk import cases, todo
from sipdesk.desk.cases import CaseFilter, Scope
from sipdesk.errors import PermissionDenied
from sipdesk.meetings.invitation import Meeting, Participant, ParticipantKind
from sipdesk.storage.models import Case, CaseStatus, PrincipalKind, Role, Unit, User
from tests.factories import make_person, make_unit, make_user

DEMO_CASES = 61
EVERYTHING = 10_000  # a page larger than the demo: the whole list at once
OPEN = {s.value for s in CaseStatus if s.is_open}


def rule_says(user: User, case: Case) -> bool:
    """The rule as sipdesk.accounts.access writes it, in plain Python, one case at a time."""
    if not user.active:
        return False
    if user.role == Role.ADMINISTRATOR.value or case.coordinator_id == user.id:
        return True
    if Unit.get_by_id(case.unit_id).principal_id == Unit.get_by_id(user.unit_id).principal_id:
        return True
    return (Participant.select().join(Meeting)
            .where((Meeting.case == case.id) & (Participant.user == user.id)).exists())


def in_scope(scope: Scope, user: User, case: Case) -> bool:
    if scope is Scope.MINE:
        return case.coordinator_id == user.id
    if scope is Scope.UNIT:
        return case.unit_id == user.unit_id
    return True


def listed(flt: CaseFilter, user: User) -> set[int]:
    ids = {row.id for row in cases.fetch_cases(flt, user, limit=EVERYTHING)}
    assert cases.count_cases(flt, user) == len(ids), f"{user.login} {flt}: count ≠ rows"
    return ids


@pytest.fixture
def world(db: peewee.Database) -> list[Case]:
    demo.fill_demo(cases=DEMO_CASES, seed=1)
    return list(Case.select())


def test_the_demo_has_every_kind_of_user(world: list[Case]) -> None:
    nurse = User.get(User.login == "per.nord")
    seen = [c for c in world if access.can_see(nurse, c)]
    assert 0 < len(seen) < len(world)  # invited to some cases, not the municipality's staff
    assert not any(c.coordinator_id == nurse.id for c in world)
    staff = User.get(User.login == "lena.strand")
    assert not any(c.coordinator_id == staff.id for c in world)
    assert all(access.can_see(staff, c) for c in world)  # the municipality's own staff


def test_can_see_is_the_written_rule_for_every_user_and_case(world: list[Case]) -> None:
    for user in User.select():
        for case in world:
            assert access.can_see(user, case) == rule_says(user, case), (user.login, case.number)


def test_every_scope_and_count_shows_only_what_can_be_opened(world: list[Case]) -> None:
    """Coordinator, own municipality's staff, region user, administrator: Mina ärenden,
    Enhetens and Alla, all statuses and Pågående — the rows and the count are the cases
    can_see allows (the region nurse saw every open case of the municipality under Alla)."""
    for user in User.select():
        allowed = {c.id for c in world if access.can_see(user, c)}
        for scope in Scope:
            for open_only in (False, True):
                expected = {c.id for c in world if c.id in allowed and in_scope(scope, user, c)
                            and (not open_only or c.status in OPEN)}
                flt = CaseFilter(scope=scope, open_only=open_only)
                assert listed(flt, user) == expected, (user.login, scope, open_only)


def test_a_search_finds_only_what_can_be_opened(world: list[Case]) -> None:
    admin = User.get(User.login == "admin")
    surnames = sorted({c.person.last_name for c in world})[:4]
    texts = [*surnames, world[0].number, world[0].person.personal_number[:8], "SIP-"]
    for text in texts:
        every = listed(CaseFilter(text=text), admin)
        assert every, text
        for user in User.select():
            allowed = {c.id for c in world if access.can_see(user, c)}
            assert listed(CaseFilter(text=text), user) == every & allowed, (user.login, text)


def test_a_deactivated_account_lists_nothing(world: list[Case]) -> None:
    officer = User.get(User.login == "anna.berg")
    User.update(active=False).where(User.id == officer.id).execute()
    officer = User.get_by_id(officer.id)
    for scope in Scope:
        assert listed(CaseFilter(scope=scope), officer) == set()
    assert not any(access.can_see(officer, c) for c in world)


def test_att_gora_leads_only_to_cases_that_can_be_opened(world: list[Case]) -> None:
    today = clock.today()
    for user in User.select():
        for row in todo.todo_for(user, today=today):
            if row.case_id is not None and row.target is not todo.Target.MESSAGE:
                assert access.can_see(user, row.case_id), (user.login, row)


def test_att_gora_hides_a_meeting_on_a_case_one_may_not_see(db: peewee.Database) -> None:
    """A region user who called a meeting on a municipal case but is not among its participants
    (and does not coordinate it) is not told about it in Att göra — the case would not open."""
    officer = make_user("anna.berg")
    region = make_unit("Vårdcentralen Exempelby", principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    nurse = make_user("per.nord", unit=region, role=Role.STAFF, full_name="Per Nord")
    case = cases.create_case(officer, person=make_person())
    soon = dt.datetime.combine(clock.today() + dt.timedelta(days=3), dt.time(10, 0))
    meeting = Meeting.create(case=case, purpose="SIP-möte", starts_at=soon, place="Hemma",
                             created_by=nurse)
    Participant.create(meeting=meeting, kind=ParticipantKind.PROFESSIONAL.value,
                       name="Anna Berg", user=officer, how_invited="message")
    assert not access.can_see(nurse, case)
    assert todo.todo_for(nurse) == []
    # Invited, the nurse may see the case, and the meeting is in her Att göra.
    Participant.create(meeting=meeting, kind=ParticipantKind.PROFESSIONAL.value,
                       name="Per Nord", user=nurse, how_invited="message")
    assert access.can_see(nurse, case)
    assert {row.case_id for row in todo.todo_for(nurse)} == {case.id}
    assert listed(CaseFilter(), nurse) == {case.id}


def test_a_region_user_sees_their_own_regions_cases(db: peewee.Database) -> None:
    """Own principal: a case opened in a region unit is seen by the region's staff, not by the
    municipality's, and the other way round."""
    officer = make_user("anna.berg")
    region = make_unit("Vårdcentralen Exempelby", principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    psychiatry = make_unit("Psykiatrimottagningen", principal="Region Exempelland",
                           kind=PrincipalKind.REGION)
    doctor = make_user("rut.lind", unit=region, role=Role.CASE_OFFICER, full_name="Rut Lind")
    nurse = make_user("per.nord", unit=psychiatry, role=Role.STAFF, full_name="Per Nord")
    municipal = cases.create_case(officer, person=make_person())
    regional = cases.create_case(doctor, person=make_person("19400116-7743", "Bo", "Ek"))
    assert listed(CaseFilter(), nurse) == {regional.id}
    assert listed(CaseFilter(scope=Scope.UNIT), nurse) == set()  # not her unit's
    assert listed(CaseFilter(), officer) == {municipal.id}
    with pytest.raises(PermissionDenied):
        cases.open_case(officer, regional.id)


def test_the_closure_dialogs_other_cases_are_only_visible_ones(db: peewee.Database) -> None:
    officer = make_user("anna.berg")
    region = make_unit("Vårdcentralen Exempelby", principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    doctor = make_user("rut.lind", unit=region, role=Role.CASE_OFFICER, full_name="Rut Lind")
    person = make_person()
    mine = cases.create_case(officer, person=person)
    theirs = cases.create_case(doctor, person=person)
    assert cases.cases_of_person(person, exclude=mine) == [theirs]
    assert cases.cases_of_person(person, exclude=mine, visible_to=officer) == []


def test_register_consent_refuses_a_user_who_may_not_see_the_case(db: peewee.Database) -> None:
    """DOMAIN.md, data protection (access only for those who work with the case): the use case
    checks the one access rule itself, so a user who cannot open the case cannot register a
    consent on it through any screen or the command line — and nothing is stored."""
    from sipdesk.casework import consent

    officer = make_user("anna.berg")
    region = make_unit("Vårdcentralen Exempelby", principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    nurse = make_user("per.nord", unit=region, role=Role.STAFF, full_name="Per Nord")
    case = cases.create_case(officer, person=make_person())
    data = consent.ConsentInput(kind=consent.ConsentKind.ORAL, given_on=clock.today(),
                                covers="Hjälp hemma", principals=[officer.unit.principal])
    assert not access.can_see(nurse, case)
    with pytest.raises(PermissionDenied) as refused:
        consent.register_consent(nurse, case, data)
    assert refused.value.message == access.NOT_YOURS
    assert consent.active_consent(case) is None
    assert consent.register_consent(officer, case, data).case_id == case.id
