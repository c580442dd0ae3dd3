"""Children in the demo data (issue 14, seed 002), on both engines: every child among the persons
has one or two guardians of their own, a child's consent rests on each guardian's answer and
ends at the latest the day before the 18th birthday, and the showcase children tell the stories
of who decides — a guardian not told, an answer waiting, a 17-year-old about to turn 18 and one
who has just turned 18 (Att göra says they must consent themselves)."""

from __future__ import annotations

import datetime as dt

import peewee

from sipdesk import clock, demo
from sipdesk.casework import consent, guardian_answers, guardians
from sipdesk.desk import todo
from sipdesk.desk.next_step import next_step
from sipdesk.storage.guardian_records import GuardianAnswer
from sipdesk.storage.models import Case, ContactKind, Custody, Person, PersonContact, User


def test_demo_children_have_guardians_and_their_consents_rest_on_each_answer(
        db: peewee.Database) -> None:
    demo.fill_demo(cases=120, seed=5)
    today = clock.today()
    children = [p for p in Person.select() if guardians.is_child(p, today)]
    assert len(children) >= 8
    ages = {guardians.age_on(p, today) for p in children}
    assert len(ages) >= 5  # children of several ages
    for child in children:
        registered = guardians.guardians_of(child)
        assert 1 <= len(registered) <= 2, child.personal_number
        assert guardians.custody_gap(registered) is None
    custodies = {g.custody for g in PersonContact.select().where(
        PersonContact.kind == ContactKind.GUARDIAN.value)}
    assert custodies == {c.value for c in Custody}
    for case in Case.select().join(Person).where(Person.id.in_([c.id for c in children])):
        current = consent.active_consent(case)
        if current is None:
            continue
        given = guardian_answers.answers_of_consents([current.id])[current.id]
        assert {a.guardian_id for a in given} == {
            g.id for g in guardians.guardians_of(case.person)}, case.number
        assert all(a.consents for a in given)
        assert current.valid_until < guardians.adult_on(case.person)


def test_demo_showcase_children_tell_who_decides(db: peewee.Database) -> None:
    demo.fill_demo(cases=120, seed=5)
    today = clock.today()
    anna = User.get(User.login == demo.DEMO_LOGIN)
    rows = [r.what for r in todo.todo_for(anna)]
    assert "Har fyllt 18 år — den unga behöver nu själv samtycka till SIP" in rows
    assert any(r.startswith("Fyller 18 år ") for r in rows)
    assert PersonContact.select().where(PersonContact.information_block != "").exists()
    waiting = GuardianAnswer.select().where(GuardianAnswer.consent_id.is_null())
    assert waiting.count() >= 1
    turned = [c for c in Case.select() if guardians.came_of_age_on(c, c.person, today)]
    assert turned and all(next_step(c, today).text.startswith("Har fyllt 18 år")
                          for c in turned)
    assert any(c.child_view for c in consent.Consent.select())
    assert today - dt.timedelta(days=10) < guardians.adult_on(turned[0].person) <= today


def test_demo_child_plans_have_the_school_and_how_the_child_was_asked(
        db: peewee.Database) -> None:
    """The 200-case demo (`sipdesk demo`): children's SIPs with the school taking part (seed
    002: the school invited beside the municipality and the region), and every child's plan
    says how the child was asked, not only what the child said."""
    from sipdesk.storage.meeting_records import Meeting, Participant
    from sipdesk.storage.models import Law
    from sipdesk.storage.plan_records import PlanVersion

    demo.fill_demo(cases=200, seed=1)
    today = clock.today()
    school = (Participant.select(Participant, Meeting).join(Meeting)
              .where(Participant.law == Law.SCHOOL.value))
    children = {p.meeting.case.person for p in school
                if guardians.adult_on(p.meeting.case.person) > today}
    assert len(children) >= 2
    child_plans = [v for v in PlanVersion.select()
                   if guardians.adult_on(v.case.person) > today and v.child_views]
    assert child_plans and all(v.child_asked for v in child_plans)
