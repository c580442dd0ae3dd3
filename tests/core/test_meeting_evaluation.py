"""Evaluating the meeting (seed 002 §4 "Utvärdera mötet", issue 14), on both engines: the person —
a child or an adult — evaluates a held meeting, and guardians and representatives give their
own evaluations, kept apart per respondent; one per respondent and meeting; no question has to
be answered; the statistics' summary (share evaluated, mean per question) in SQL."""

from __future__ import annotations

import datetime as dt
import json

import peewee
import pytest

from sipdesk.accounts import audit
from sipdesk.accounts.audit import AuditEntry
from sipdesk.casework import consent, lifecycle, people
from sipdesk.casework.lifecycle import ClosureReason
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.meetings import evaluation, invitation
from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.evaluation import (
    EvaluationInput,
    GivenAs,
    MeetingEvaluation,
    RespondentKind,
    evaluation_summary,
    register_evaluation,
)
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, ContactKind, Role
from tests.factories import PNR_CHILD, PNR_OTHER, make_case, make_person, make_unit, make_user
from tests.scenarios import MEETING, NOW, good_draft, held_meeting, kallelse_world

PERSON, GUARDIAN, REPRESENTATIVE, OTHER = (RespondentKind.PERSON, RespondentKind.GUARDIAN,
                                           RespondentKind.REPRESENTATIVE, RespondentKind.OTHER)


def answers(felt_before: int | None = None, listened: int | None = None,
            understood: int | None = None, views_counted: int | None = None
            ) -> dict[str, int | None]:
    return {"felt_before": felt_before, "listened": listened, "understood": understood,
            "views_counted": views_counted}


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return kallelse_world()


def another_held_meeting(world: dict, number: str = PNR_OTHER, *, first: str = "Bo",
                         held: bool = True) -> invitation.Meeting:
    """A second case of the same officer, its meeting sent and (if `held`) held."""
    person = make_person(number, first, "Berg")
    case = make_case(world["officer"], person)
    guardians = [people.add_contact(person, actor=world["officer"], kind=ContactKind.GUARDIAN,
                                    name=name) for name in ("Karin Berg", "Lars Berg")
                 ] if consent.is_child(person, NOW.date()) else []
    consent.register_consent(world["officer"], case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Samordning",
        principals=[world["municipality"], world["region"]], guardians=guardians),
        today=NOW.date())
    row = invitation.send_invitation(world["officer"], Case.get_by_id(case.id),
                                     good_draft(world), current=NOW)
    if held:
        meetings.mark_held(world["officer"], row,
                           {p.id: True for p in invitation.participants_of(row)},
                           current=MEETING + dt.timedelta(hours=1))
    return invitation.Meeting.get_by_id(row.id)


def test_002_evaluation_kept_apart_per_respondent(world: dict) -> None:
    """002 "Utvärdera mötet": the person evaluates; guardians and representatives give their
    own evaluations — each respondent's is its own row, never merged with another's."""
    held = held_meeting(world)
    officer = world["officer"]
    register_evaluation(officer, held, EvaluationInput(
        GUARDIAN, answers(2, 2, 3, 1), respondent_name="Karin Öberg",
        comment="Det gick för fort."))
    register_evaluation(officer, held, EvaluationInput(
        PERSON, answers(4, 5, 4, 5), comment="Bra att vi var hemma hos mig.",
        given_as=GivenAs.TALK))
    register_evaluation(officer, held, EvaluationInput(
        GUARDIAN, answers(listened=4), respondent_name="Lars Öberg"))
    register_evaluation(officer, held, EvaluationInput(
        REPRESENTATIVE, answers(3, 3, 3, 3), respondent_name="Gun Godman"))

    rows = evaluation.list_evaluations(officer, held)
    # The person's own first, then guardians (by name), then the representative.
    assert [e.respondent for e in rows] == [
        "Den enskilde", "Vårdnadshavare (Karin Öberg)", "Vårdnadshavare (Lars Öberg)",
        "God man eller förvaltare (Gun Godman)"]
    person, karin, lars, godman = rows
    assert [person.answer(k) for k in evaluation.QUESTION_KEYS] == [4, 5, 4, 5]
    assert [karin.answer(k) for k in evaluation.QUESTION_KEYS] == [2, 2, 3, 1]
    assert [lars.answer(k) for k in evaluation.QUESTION_KEYS] == [None, 4, None, None]
    assert (person.comment, karin.comment, lars.comment) == (
        "Bra att vi var hemma hos mig.", "Det gick för fort.", "")
    assert person.given_as == GivenAs.TALK.value and karin.given_as == GivenAs.FORM.value
    assert godman.kind is REPRESENTATIVE
    assert {e.recorded_by.full_name for e in rows} == {"Anna Berg"}


def test_002_one_evaluation_per_respondent_a_second_is_refused_unless_it_replaces(
        world: dict) -> None:
    """002, kept apart per respondent: a respondent has one evaluation of a meeting. A second
    one is refused (nothing overwritten by mistake) unless it says it replaces the first; then
    the row is the same and the Händelselogg keeps the old answers."""
    held = held_meeting(world)
    officer = world["officer"]
    first = register_evaluation(officer, held, EvaluationInput(PERSON, answers(2, 2, 2, 2)))
    with pytest.raises(ValidationError) as refused:
        register_evaluation(officer, held, EvaluationInput(PERSON, answers(5, 5, 5, 5)))
    assert refused.value.field == "respondent_kind"
    assert refused.value.message.startswith(
        "Den enskilde har redan lämnat en utvärdering av det här mötet.")

    again = register_evaluation(officer, held, EvaluationInput(
        PERSON, answers(5, 5, None, 5), comment="Nu har jag tänkt mer."), replace=True)
    assert again.id == first.id
    assert MeetingEvaluation.select().count() == 1
    assert [again.answer(k) for k in evaluation.QUESTION_KEYS] == [5, 5, None, 5]
    entry = AuditEntry.select().where(AuditEntry.entity == "meeting_evaluation").order_by(
        AuditEntry.id.desc()).first()
    assert entry.summary == ("Utvärdering av SIP-mötet 2026-12-10 ersatt: den enskilde")
    changes = json.loads(entry.changes)
    assert changes["felt_before"] == [2, 5] and changes["understood"] == [2, None]
    assert "respondent_key" not in changes
    # The Händelselogg names each change in Swedish.
    assert [audit.field_label(k) for k in changes] == [
        "Fritext", "Kändes bra inför mötet", "Blev lyssnad på", "Förstod det som sades",
        "Egna åsikter med i besluten"]

    # A guardian is told apart by name; the same name (spaces, case) is the same guardian,
    # and two guardians without names are one respondent.
    register_evaluation(officer, held, EvaluationInput(GUARDIAN, answers(3),
                                                       respondent_name="Karin  Öberg"))
    with pytest.raises(ValidationError):
        register_evaluation(officer, held, EvaluationInput(GUARDIAN, answers(4),
                                                           respondent_name="karin öberg"))
    register_evaluation(officer, held, EvaluationInput(GUARDIAN, answers(4)))
    with pytest.raises(ValidationError):
        register_evaluation(officer, held, EvaluationInput(GUARDIAN, answers(1)))
    # The person has no name to tell apart: a name given is not kept.
    with pytest.raises(ValidationError):
        register_evaluation(officer, held, EvaluationInput(PERSON, answers(1),
                                                           respondent_name="Åsa"))
    # The database itself holds the rule.
    with pytest.raises(peewee.IntegrityError), database.atomic():
        MeetingEvaluation.insert(meeting=held, respondent_kind="person", respondent_key="",
                                 recorded_by=officer).execute()
    assert MeetingEvaluation.select().count() == 3


def test_002_no_one_has_to_answer_every_question(world: dict) -> None:
    """002 (the child has no duty to give an opinion): any question may be left unanswered, a
    free text alone is an evaluation — but an empty one is not registered."""
    held = held_meeting(world)
    officer = world["officer"]
    only_text = register_evaluation(officer, held, EvaluationInput(
        PERSON, answers(), comment="Jag ville inte svara på frågorna."))
    assert all(only_text.answer(k) is None for k in evaluation.QUESTION_KEYS)
    with pytest.raises(ValidationError) as empty:
        register_evaluation(officer, held, EvaluationInput(GUARDIAN, answers(), comment="  "))
    assert (empty.value.field, empty.value.message) == ("answers", evaluation.NOTHING_ANSWERED)
    for wrong in (0, 6):
        with pytest.raises(ValidationError) as scale:
            register_evaluation(officer, held, EvaluationInput(GUARDIAN, answers(wrong)))
        assert scale.value.field == "answers"
    with pytest.raises(ValueError):
        evaluation.evaluation_problems(EvaluationInput(GUARDIAN, {"mood": 3}))
    # A score outside the scale is refused by the database too.
    with pytest.raises(peewee.IntegrityError), database.atomic():
        MeetingEvaluation.insert(meeting=held, respondent_kind="other", respondent_key="x",
                                 listened=7, recorded_by=officer).execute()


def test_the_free_text_and_the_name_have_limits(world: dict) -> None:
    held = held_meeting(world)
    with pytest.raises(ValidationError) as long_text:
        register_evaluation(world["officer"], held, EvaluationInput(
            PERSON, answers(3), comment="å" * 4001))
    assert (long_text.value.field, long_text.value.message) == (
        "comment", "Texten får vara högst 4\u00a0000 tecken.")
    with pytest.raises(ValidationError) as long_name:
        register_evaluation(world["officer"], held, EvaluationInput(
            GUARDIAN, answers(3), respondent_name="K" * 201))
    assert (long_name.value.field, long_name.value.message) == (
        "respondent_name", "Namnet får vara högst 200 tecken.")


def test_only_a_held_meeting_is_evaluated(world: dict) -> None:
    planned = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                         current=NOW)
    with pytest.raises(ValidationError) as refused:
        register_evaluation(world["officer"], planned, EvaluationInput(PERSON, answers(3)))
    assert "inte hållits än" in refused.value.message
    assert MeetingEvaluation.select().count() == 0


def test_access_and_audit(world: dict) -> None:
    """Only someone who may see the case registers or reads its evaluations (access.py,
    `meeting_case`); each registration is in the Händelselogg; an ended case takes none."""
    held = held_meeting(world)
    outsider = make_user("gun.grann", full_name="Gun Grann", unit=make_unit(
        "Biståndsenheten Grannby", principal="Grannby kommun"))
    with pytest.raises(PermissionDenied):
        register_evaluation(outsider, held, EvaluationInput(PERSON, answers(3)))
    with pytest.raises(PermissionDenied):
        evaluation.list_evaluations(outsider, held)
    # The region's nurse was invited: she may register what the person told her.
    row = register_evaluation(world["nurse"], held, EvaluationInput(
        OTHER, answers(listened=5), respondent_name="Greta, dotter"))
    entry = AuditEntry.get((AuditEntry.entity == "meeting_evaluation")
                           & (AuditEntry.entity_id == row.id))
    assert entry.case_id == world["case"].id and entry.user_id == world["nurse"].id
    assert entry.summary == ("Utvärdering av SIP-mötet 2026-12-10 registrerad: "
                             "någon annan (greta, dotter)")

    case = Case.get_by_id(world["case"].id)
    lifecycle.close_case(world["officer"], case, closed_on=NOW.date(),
                         reason=ClosureReason.GOALS_MET, today=NOW.date())
    with pytest.raises(PermissionDenied):
        register_evaluation(world["officer"], held, EvaluationInput(PERSON, answers(3)))


def test_a_child_is_asked_in_a_childs_words(world: dict) -> None:
    """002: the evaluation is the child's as much as an adult's — in words a child uses."""
    adult = held_meeting(world)
    child = another_held_meeting(world, PNR_CHILD, first="Elsa")
    assert not evaluation.person_was_child(adult)
    assert evaluation.person_was_child(child)
    listened = next(q for q in evaluation.QUESTIONS if q.key == "listened")
    assert listened.text(child=True) == "Lyssnade de vuxna på dig?"
    assert listened.text(child=False) == "Kände du att de andra lyssnade på dig?"
    register_evaluation(world["officer"], child, EvaluationInput(PERSON, answers(5, 5, 5, 5)))


def test_summary_share_of_held_meetings_evaluated_and_mean_per_question(world: dict) -> None:
    """For the statistics (issue 15): of the held meetings, how many were evaluated, and the
    mean answer per question — unanswered questions left out, not counted as low."""
    officer = world["officer"]
    first = held_meeting(world)
    second = another_held_meeting(world)
    another_held_meeting(world, "19400127-9050", first="Ingen", held=False)  # planned only
    register_evaluation(officer, first, EvaluationInput(PERSON, answers(4, 5, None, 3)))
    register_evaluation(officer, first, EvaluationInput(GUARDIAN, answers(2, 1, 2, None),
                                                        respondent_name="Karin"))

    summary = evaluation_summary(officer)
    assert (summary.held_meetings, summary.evaluated_meetings, summary.evaluations) == (2, 1, 2)
    assert summary.share_evaluated == 0.5
    assert {k: (m.answers, m.mean) for k, m in summary.means.items()} == {
        "felt_before": (2, 3.0), "listened": (2, 3.0), "understood": (1, 2.0),
        "views_counted": (1, 3.0)}

    own = evaluation_summary(officer, kinds={PERSON})
    assert (own.evaluated_meetings, own.evaluations) == (1, 1)
    assert own.means["listened"].mean == 5.0 and own.means["understood"].mean is None

    register_evaluation(officer, second, EvaluationInput(PERSON, answers(listened=2)))
    both = evaluation_summary(officer, kinds={PERSON})
    assert (both.held_meetings, both.evaluated_meetings, both.share_evaluated) == (2, 2, 1.0)
    assert both.means["listened"] == evaluation.ScoreMean(2, 3.5)

    # The period (by the meeting's day) and the units.
    day = MEETING.date()
    assert evaluation_summary(officer, held_from=day, held_to=day).held_meetings == 2
    assert evaluation_summary(officer, held_from=day + dt.timedelta(days=1)).held_meetings == 0
    assert evaluation_summary(officer, held_to=day - dt.timedelta(days=1)).held_meetings == 0
    unit = world["case"].unit_id
    assert evaluation_summary(officer, unit_ids=[unit]).held_meetings == 2
    assert evaluation_summary(officer, unit_ids=[]).held_meetings == 0
    # Only the cases the user may see count.
    outsider = make_user("gun.grann", full_name="Gun Grann", unit=make_unit(
        "Biståndsenheten Grannby", principal="Grannby kommun"))
    nobody = evaluation_summary(outsider)
    assert (nobody.held_meetings, nobody.evaluations, nobody.share_evaluated) == (0, 0, None)
    assert nobody.means["listened"] == evaluation.ScoreMean(0, None)
    admin = make_user("admin", full_name="Ada Admin", role=Role.ADMINISTRATOR,
                      unit=world["officer"].unit)
    assert evaluation_summary(admin).evaluations == 3
