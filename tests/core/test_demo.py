"""Demo data: fictional people with Skatteverket's test personal numbers, every state, users who
can log in — on both engines."""

from __future__ import annotations

import shutil
from pathlib import Path

import peewee

from sipdesk import clock, demo
from sipdesk.accounts import auth
from sipdesk.paths import resource_dir
from sipdesk.rules import personal_number
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from sipdesk.storage.models import Case, CaseStatus, Person, User

SKATTEVERKET = {
    f"{line[:8]}-{line[8:]}"
    for line in (resource_dir() / "testpersonnummer.txt").read_text().split()
}


def test_the_bundled_list_is_skatteverkets_test_numbers_and_all_valid() -> None:
    assert len(SKATTEVERKET) == 20_452
    assert all(personal_number.is_valid(number) for number in list(SKATTEVERKET)[::97])


def test_demo_fills_every_state_with_test_numbers_only(db: peewee.Database) -> None:
    made = demo.fill_demo(cases=400, seed=7)
    assert made == Case.select().count() == 400
    numbers = {p.personal_number for p in Person.select()}
    assert numbers <= SKATTEVERKET
    assert min(int(n[:4]) for n in numbers) >= demo.OLDEST_BIRTH_YEAR
    assert {CaseStatus(c.status) for c in Case.select()} == set(CaseStatus)
    assert len({c.number for c in Case.select()}) == 400
    assert User.select().count() == len(demo.USERS) == 10
    assert auth.authenticate(demo.DEMO_LOGIN, demo.DEMO_PASSWORD).full_name == "Anna Berg"


def test_demo_cases_agree_with_their_status(db: peewee.Database) -> None:
    """A case past the consent step shows a consent (or a menprövning), every case its need."""

    from sipdesk.casework import consent, lifecycle
    from sipdesk.casework.contacts import Organisation
    from sipdesk.casework.lifecycle import Action
    from sipdesk.meetings import invitation
    from sipdesk.plans import plan

    demo.fill_demo(cases=300, seed=5)
    today = clock.today()
    for case in Case.select():
        status = CaseStatus(case.status)
        assert lifecycle.need_of(case) is not None
        if status in (CaseStatus.CONSENT_GIVEN, CaseStatus.MEETING_CANCELLED,
                      CaseStatus.FOLLOW_UP_PLANNED):
            assert consent.active_consent(case) is not None
            assert lifecycle.check(case, Action.INVITE, today=today) is None, case.number
        if status is CaseStatus.HARM_ASSESSED:
            assert case.consent_basis == "harm_assessment"
        if status is CaseStatus.NEED_REGISTERED:
            assert consent.active_consent(case) is None
        if status is CaseStatus.CLOSED:
            assert lifecycle.closure_of(case) is not None
        if status in (CaseStatus.INVITED, CaseStatus.MEETING_HELD, CaseStatus.MEETING_CANCELLED):
            assert invitation.current_meeting(case) is not None
        if status in (CaseStatus.DOCUMENTATION, CaseStatus.PLAN_APPROVED,
                      CaseStatus.FOLLOW_UP_PLANNED):
            version = plan.latest_version(case)
            assert version is not None
            assert version.locked == (status is not CaseStatus.DOCUMENTATION)
    assert Organisation.select().count() >= 3  # the contact directory has something in it


def test_every_demo_case_has_the_next_date_the_overview_gives(db: peewee.Database) -> None:
    """Case.next_date (the case list's "Nästa datum") is the date of next_step, the overview's
    one rule: none before the kallelse ("Samtycke finns") or after the end; the meeting, the
    documentation deadline or the follow-up otherwise."""
    from sipdesk.desk.next_step import next_step

    demo.fill_demo(cases=120, seed=5)
    today = clock.today()
    wrong = [(c.number, c.status, c.next_date, next_step(c, today).next_date)
             for c in Case.select() if c.next_date != next_step(c, today).next_date]
    assert wrong == []
    consent_given = Case.select().where(Case.status == CaseStatus.CONSENT_GIVEN.value)
    assert consent_given.count() > 0
    assert all(next_step(c, today).date_text == "Inget" for c in consent_given)
    dated = {CaseStatus(c.status) for c in Case.select() if c.next_date is not None}
    assert CaseStatus.INVITED in dated and CaseStatus.FOLLOW_UP_PLANNED in dated


def test_demo_is_repeatable_with_the_same_seed(tmp_path: Path, sqlite_template: Path) -> None:
    def generate(name: str, seed: int) -> list[tuple[str, str, str, str]]:
        path = tmp_path / name
        shutil.copyfile(sqlite_template, path)
        opened = connect(DatabaseUrl(Engine.SQLITE, path=path))
        try:
            demo.fill_demo(cases=60, seed=seed)
            return [(c.number, c.person.personal_number, c.person.full_name, c.status)
                    for c in Case.select().order_by(Case.id)]
        finally:
            opened.close()
            database.initialize(None)

    first, again, other = generate("a.sqlite3", 3), generate("b.sqlite3", 3), generate("c", 4)
    assert first == again
    assert first != other


def test_demo_leaves_postgresql_statistics_for_the_planner(pg_db: peewee.Database) -> None:
    """Issue 11: after `sipdesk demo` the planner knows the tables' sizes at once (ANALYZE),
    instead of planning the first searches on 100,000 cases from guesses until autovacuum
    comes by."""
    demo.fill_demo(cases=300, seed=3)
    cases = Case.select().count()
    estimated = pg_db.execute_sql(
        "SELECT reltuples FROM pg_class WHERE relname = %s", (Case._meta.table_name,)
    ).fetchone()[0]
    assert estimated == cases


def test_the_bulk_demo_has_meetings_in_real_volume(db: peewee.Database) -> None:
    """Most open cases past the consent have a meeting, called, held or cancelled, and most
    closed ones had one; each meeting has the person and the coordinator among its
    participants, and the region nurse (a user of the other principal) is invited to about a
    third — so the case list's "invited to" part and row-level security meet real numbers."""
    from sipdesk.meetings.invitation import Meeting, Participant, ParticipantKind

    demo.fill_demo(cases=600, seed=5)
    with_meeting = {m.case_id for m in Meeting.select(Meeting.case)}
    open_cases = [c for c in Case.select() if CaseStatus(c.status).is_open]
    assert sum(c.id in with_meeting for c in open_cases) > len(open_cases) / 2
    closed = [c for c in Case.select().where(Case.status == CaseStatus.CLOSED.value)]
    assert sum(c.id in with_meeting for c in closed) > 0.7 * len(closed)
    meetings = list(Meeting.select())
    people = {}
    for p in Participant.select():
        people.setdefault(p.meeting_id, []).append(p)
    for m in meetings:
        case = Case.get_by_id(m.case_id)
        assert any(p.kind == ParticipantKind.PERSON.value for p in people[m.id])
        assert any(p.user_id == case.coordinator_id for p in people[m.id])
    nurse = User.get(User.login == "per.nord")
    invited = sum(any(p.user_id == nurse.id for p in people[m.id]) for m in meetings)
    assert 0.2 * len(meetings) < invited < 0.45 * len(meetings)


def test_demo_dates_are_plausible(db: peewee.Database) -> None:
    """A case's first consent comes days or weeks after its need (later ones renew it, each
    superseding the one before); cases start and end spread over the days, none piled on today."""
    import datetime as dt
    import itertools
    from collections import Counter

    from sipdesk.casework.consent import Consent
    from sipdesk.casework.lifecycle import Closure, NeedRecord

    today = dt.date(2026, 12, 4)
    demo.fill_demo(cases=300, seed=3, today=today)
    noticed: dict[int, dt.date] = {}
    for n in NeedRecord.select():
        noticed[n.case_id] = min(noticed.get(n.case_id, n.noticed_on), n.noticed_on)
    consents: dict[int, list[Consent]] = {}
    for c in Consent.select().order_by(Consent.given_on, Consent.id):
        consents.setdefault(c.case_id, []).append(c)
    waits = sorted((cs[0].given_on - noticed[case_id]).days for case_id, cs in consents.items())
    bad = [(Case.get_by_id(i).number, noticed[i], cs[0].given_on) for i, cs in consents.items()
           if cs[0].given_on < noticed[i]]
    assert not bad
    assert waits[len(waits) // 2] <= 21 and waits[int(len(waits) * 0.9)] <= 60
    renewed = [cs for cs in consents.values() if len(cs) > 1]
    assert renewed, "a case that lasted over a year renewed its consent"
    for chain in renewed:
        assert [c.superseded_by_id for c in chain] == [c.id for c in chain[1:]] + [None]
        assert all(b.given_on <= a.valid_until for a, b in itertools.pairwise(chain))
    closures = Counter(c.closed_on for c in Closure.select())
    assert max(closures) <= today and closures[today] <= 2
    started = Counter(c.created_at.date() for c in Case.select())
    assert started[today] <= 3
    assert max(started.values()) <= 5  # none piled on one day (the showcase's neither)
