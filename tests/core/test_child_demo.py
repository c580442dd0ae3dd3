"""The demo's child's SIP (seed 002), on both engines: a child with two guardians who consented,
the school invited beside the municipality and the region, the plan approved with the child's
own words — and the återkoppling to the child waiting in Att göra for the coordinator."""

from __future__ import annotations

import peewee

from sipdesk import clock, demo
from sipdesk.casework import consent
from sipdesk.demo_showcase import CHILD_WORDS
from sipdesk.desk import todo
from sipdesk.meetings import invitation, school
from sipdesk.plans import child_voice, plan
from sipdesk.storage.models import Case, CaseStatus, Person, User


def test_the_demo_has_a_childs_sip_with_the_childs_words_and_the_school(
        db: peewee.Database) -> None:
    demo.fill_demo(cases=40, seed=2)
    today = clock.today()
    versions = [v for v in plan.PlanVersion.select() if v.child_views == CHILD_WORDS]
    assert len(versions) == 1
    version = versions[0]
    case = Case.get_by_id(version.case_id)
    person = Person.get_by_id(case.person_id)
    assert consent.is_child(person, version.meeting_date)
    assert len(consent.guardians_of(person)) == 2
    assert CaseStatus(case.status) is CaseStatus.FOLLOW_UP_PLANNED and version.locked
    voice = child_voice.ChildVoice.of(version)
    assert voice.ways and voice.weighing
    people = invitation.participants_of(invitation.Meeting.get_by_id(version.meeting_id))
    assert any(school.is_school(p) for p in people)
    officer = User.get(User.login == demo.DEMO_LOGIN)
    assert case.coordinator_id == officer.id
    rows = [r for r in todo.todo_for(officer, today=today) if r.what == todo.FEEDBACK_TODO]
    # (the guardians' demo children may have approved plans waiting for återkoppling too)
    assert case.id in [r.case_id for r in rows]
