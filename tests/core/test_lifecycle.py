"""The life of a case (DOMAIN.md steps 1, 2 and 11) on both engines: the state machine, the
need, refusal, closure, and the audit log written in the same transaction as the change."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import TRANSITIONS, Action, ClosureReason, NeedInput, NoticedBy
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, CaseStatus, User
from tests.factories import PNR_OTHER, make_case, make_person, make_user

TODAY = clock.today()
S = CaseStatus


def in_state(case: Case, status: CaseStatus, *, basis: str | None = "consent",
             valid_until: dt.date | None = TODAY + dt.timedelta(days=200)) -> Case:
    Case.update(status=status.value, consent_basis=basis,
                consent_valid_until=valid_until).where(Case.id == case.id).execute()
    return Case.get_by_id(case.id)


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


@pytest.fixture
def case(officer: User) -> Case:
    return make_case(officer)


ALL_PAIRS = [(state, action) for state in CaseStatus for action in Action]
ALLOWED_PAIRS = [(s, a) for s, a in ALL_PAIRS if s in TRANSITIONS[a][0] and s.is_open]


@pytest.mark.parametrize(("state", "action"), ALL_PAIRS,
                         ids=[f"{s.value}-{a.value}" for s, a in ALL_PAIRS])
def test_every_transition_is_allowed_exactly_from_its_states(
    state: CaseStatus, action: Action
) -> None:
    """DOMAIN "The life of a case": the table of allowed moves, checked state by state.
    (`check` reads only the case's own fields, so an unsaved case is enough.)"""
    case = Case(status=state.value, consent_basis="consent",
                consent_valid_until=TODAY + dt.timedelta(days=200))
    sources, _target = TRANSITIONS[action]
    problem = lifecycle.check(case, action)
    if state in sources and state.is_open:
        assert problem is None
    else:
        assert problem  # a Swedish explanation, never a silent refusal
        if not state.is_open:
            assert problem == "Ärendet är avslutat och kan bara läsas."


def test_allowed_transitions_move_the_case_and_leave_history(officer: User) -> None:
    person = make_person()
    for state, action in ALLOWED_PAIRS:
        case = in_state(make_case(officer, person), state)
        target = TRANSITIONS[action][1]
        lifecycle.transition(officer, case, action, reason="Skäl")
        stored = Case.get_by_id(case.id)
        assert stored.status == target.value, (state, action)
        change = lifecycle.history(stored)[-1]
        assert (change.from_status, change.to_status, change.by.id) == (
            state.value, target.value, officer.id)
        entry = audit.case_log(case.id)[0]
        assert entry.action is audit.AuditAction.STATE
        assert entry.changes == {"status": [state.value, target.value]}


def test_invitation_without_consent_is_refused_with_what_is_missing(case: Case) -> None:
    """DOMAIN step 2: consent is required before the invitation."""
    officer = case.coordinator
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(officer, case, Action.INVITE)
    assert info.value.message == (
        "Samtycke saknas — registrera samtycke eller menprövning innan kallelse.")
    assert Case.get_by_id(case.id).status == S.NEED_REGISTERED.value


def test_invitation_with_lapsed_consent_is_refused_until_renewed(case: Case) -> None:
    """DOMAIN step 2 / seed 003: consent is valid at most one year."""
    lapsed = TODAY - dt.timedelta(days=1)
    case = in_state(case, S.CONSENT_GIVEN, valid_until=lapsed)
    problem = lifecycle.check(case, Action.INVITE)
    assert problem == (f"Samtycket gällde till och med {lapsed:%Y-%m-%d} — "
                       "förnya samtycket innan kallelse.")
    case = in_state(case, S.CONSENT_GIVEN, valid_until=TODAY)
    assert lifecycle.check(case, Action.INVITE) is None


def test_harm_assessment_is_a_basis_for_invitation(case: Case) -> None:
    case = in_state(case, S.HARM_ASSESSED, basis="harm_assessment", valid_until=None)
    assert lifecycle.check(case, Action.INVITE) is None


def test_refusal_needs_a_documented_reason(officer: User, case: Case) -> None:
    """DOMAIN step 1 (seed 000): refusing a SIP only by exception, with the reason documented."""
    with pytest.raises(ValidationError) as info:
        lifecycle.transition(officer, case, Action.REFUSE, reason="  ")
    assert info.value.field == "reason"
    lifecycle.transition(officer, case, Action.REFUSE, reason="Behovet tillgodoses redan")
    assert lifecycle.history(case)[-1].reason == "Behovet tillgodoses redan"
    assert "Behovet tillgodoses redan" in audit.case_log(case.id)[0].summary


def test_actions_list_says_why_each_disabled_action_is_disabled(case: Case) -> None:
    states = {a.action: a for a in lifecycle.actions(case)}
    assert states[Action.GIVE_CONSENT].allowed
    assert not states[Action.INVITE].allowed
    assert states[Action.INVITE].why_not.startswith("Samtycke saknas")
    assert all(a.why_not for a in states.values() if not a.allowed)


# ---- need ------------------------------------------------------------------------------------

def test_need_is_recorded_and_corrected_with_the_change_logged(officer: User, case: Case) -> None:
    """DOMAIN step 1: who noticed, when, the need in the person's words, the question."""
    need = NeedInput(NoticedBy.RELATIVE, TODAY, "Jag klarar inte dagarna själv längre.",
                     "Hur kan hemtjänst och vårdcentral samordna stödet?",
                     noticed_by_name="Dottern Greta")
    record = lifecycle.register_need(officer, case, need)
    assert (record.noticed_by, record.noticed_by_name) == ("relative", "Dottern Greta")
    need.question = "Hur får jag hjälp med medicinerna?"
    lifecycle.register_need(officer, case, need)
    assert lifecycle.need_of(case).question == "Hur får jag hjälp med medicinerna?"
    latest = audit.case_log(case.id)[0]
    assert latest.summary == "Behovet ändrat"
    assert latest.changes == {"question": [
        "Hur kan hemtjänst och vårdcentral samordna stödet?", "Hur får jag hjälp med medicinerna?"]}


@pytest.mark.parametrize(("change", "field"), [
    ({"need": " "}, "need"),
    ({"question": ""}, "question"),
    ({"noticed_on": TODAY + dt.timedelta(days=1)}, "noticed_on"),
    ({"noticed_by": NoticedBy.RELATIVE, "noticed_by_name": ""}, "noticed_by_name"),
])
def test_bad_need_input_is_named(officer: User, case: Case, change: dict, field: str) -> None:
    values = dict(noticed_by=NoticedBy.PERSON, noticed_on=TODAY, need="Behov",
                  question="Fråga")
    values.update(change)
    with pytest.raises(ValidationError) as info:
        lifecycle.register_need(officer, case, NeedInput(**values))
    assert info.value.field == field


# ---- closure ---------------------------------------------------------------------------------

def test_closing_records_date_and_reason_and_makes_the_case_read_only(
    officer: User, case: Case
) -> None:
    """DOMAIN step 11: goals met, no more need, died, consent withdrawn, replaced."""
    closure = lifecycle.close_case(officer, case, closed_on=TODAY,
                                   reason=ClosureReason.GOALS_MET)
    assert lifecycle.closure_of(case) == closure
    stored = Case.get_by_id(case.id)
    assert stored.status == S.CLOSED.value
    with pytest.raises(PermissionDenied) as info:
        lifecycle.register_need(officer, stored, NeedInput(NoticedBy.PERSON, TODAY, "a", "b"))
    assert info.value.message == "Ärendet är avslutat och kan bara läsas."
    assert [line.summary for line in audit.case_log(case.id)][:2] == [
        "Ärendet avslutat: Målen är uppfyllda", "Behov registrerat → Avslutat (Målen är uppfyllda)"]


def test_replacing_sip_needs_the_new_case_and_the_persons_agreement(
    officer: User, case: Case
) -> None:
    other_person_case = make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    new_case = lifecycle_new_case_for_same_person(officer, case)
    with pytest.raises(ValidationError) as info:
        lifecycle.close_case(officer, case, closed_on=TODAY, reason=ClosureReason.REPLACED)
    assert info.value.field == "replaced_by"
    with pytest.raises(ValidationError):
        lifecycle.close_case(officer, case, closed_on=TODAY, reason=ClosureReason.REPLACED,
                             replaced_by=other_person_case, person_agreed=True)
    with pytest.raises(ValidationError) as info:
        lifecycle.close_case(officer, case, closed_on=TODAY, reason=ClosureReason.REPLACED,
                             replaced_by=new_case)
    assert info.value.field == "person_agreed"
    closure = lifecycle.close_case(officer, case, closed_on=TODAY,
                                   reason=ClosureReason.REPLACED, replaced_by=new_case,
                                   person_agreed=True)
    assert closure.replaced_by.id == new_case.id


def lifecycle_new_case_for_same_person(officer: User, case: Case) -> Case:
    from sipdesk.desk import cases
    return cases.create_case(officer, person=case.person)


def test_closure_hooks_run_in_the_same_transaction(officer: User, case: Case) -> None:
    """The inbox hooks in here; a hook that fails undoes the whole closure and its log."""
    def failing_hook(actor: User, closed: Case, closure: lifecycle.Closure) -> None:
        raise RuntimeError("meddelandet kunde inte skickas")

    entries_before = len(audit.case_log(case.id))
    lifecycle.CLOSURE_HOOKS.append(failing_hook)
    try:
        with pytest.raises(RuntimeError):
            lifecycle.close_case(officer, case, closed_on=TODAY, reason=ClosureReason.DIED)
    finally:
        lifecycle.CLOSURE_HOOKS.remove(failing_hook)
    assert Case.get_by_id(case.id).status == S.NEED_REGISTERED.value
    assert lifecycle.closure_of(case) is None
    assert lifecycle.history(case) == []
    assert len(audit.case_log(case.id)) == entries_before

    seen: list[str] = []
    lifecycle.CLOSURE_HOOKS.append(lambda actor, closed, closure: seen.append(closed.number))
    try:
        lifecycle.close_case(officer, Case.get_by_id(case.id), closed_on=TODAY,
                             reason=ClosureReason.DIED)
    finally:
        lifecycle.CLOSURE_HOOKS.pop()
    assert seen == [case.number]


def test_closing_date_cannot_be_in_the_future(officer: User, case: Case) -> None:
    with pytest.raises(ValidationError) as info:
        lifecycle.close_case(officer, case, closed_on=TODAY + dt.timedelta(days=1),
                             reason=ClosureReason.NO_MORE_NEED)
    assert info.value.field == "closed_on"


def test_audit_log_cannot_be_changed_or_deleted(officer: User, case: Case) -> None:
    """Data protection: nobody can edit or delete the log — the database refuses too."""
    lifecycle.transition(officer, case, Action.REFUSE, reason="Skäl")
    with pytest.raises(peewee.DatabaseError), database.atomic():
        audit.AuditEntry.update(summary="ändrad").execute()
    with pytest.raises(peewee.DatabaseError), database.atomic():
        audit.AuditEntry.delete().execute()
    assert audit.case_log(case.id)[0].summary.startswith("Behov registrerat → SIP blev inte av")
