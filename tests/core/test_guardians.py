"""A child's guardians and who decides (seed 002, issue 14), on both engines.

Rules named here (seed 002 and DOMAIN.md "Children", step 2 "For a child, the guardian(s)
consent"):
- one or two guardians: joint custody (two), sole custody (one), or a särskilt förordnad
  vårdnadshavare — never a third, never sole custody beside another guardian;
- both guardians must consent: each guardian's answer — yes or no, its day and how — is recorded
  separately, also before the consent can be registered; a guardian's no stops the consent;
- the child's own view is recorded beside the consent, whatever the age, and may be empty;
- the 18th birthday: the guardians' consent carries the case until the day before; from the
  birthday on the young person must consent themselves (next step, overview, Att göra, the
  kallelse refused) — tested on the day before, on the birthday and for one born on 29 February;
- a guardian not informed (protected address, restraining order) gets no paper, and the reason
  is said.
"""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
import time_machine

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.casework import consent, guardian_answers, guardians, lifecycle
from sipdesk.casework.consent import ConsentInput, ConsentKind
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.casework.guardians import GuardianInput
from sipdesk.casework.lifecycle import Action
from sipdesk.clock import STOCKHOLM
from sipdesk.desk import case_page, todo
from sipdesk.desk.next_step import consent_line, next_step
from sipdesk.errors import ValidationError
from sipdesk.meetings import invitation
from sipdesk.storage.guardian_records import GuardianAnswer, GuardianHow
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    Custody,
    InformationBlock,
    Person,
    PersonContact,
    Principal,
    PrincipalKind,
    User,
)
from tests.factories import PNR_CHILD, make_case, make_person, make_user

TODAY = dt.date(2026, 11, 22)
PNR_TURNS_18 = "20081119-2392"  # 18 on 2026-11-19
PNR_LEAP_DAY = "20080229-2383"  # born 29 February: 18 on 2026-03-01


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


@pytest.fixture
def principals(officer: User) -> list[Principal]:
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": PrincipalKind.REGION.value})
    return [officer.unit.principal, region]


@pytest.fixture
def child(officer: User) -> Person:
    return make_person(PNR_CHILD, "Liv", "Åkesson")


def mother(officer: User, child: Person, **changes: object) -> PersonContact:
    values: dict[str, object] = dict(name="Eva Åkesson", relation="mamma",
                                     custody=Custody.JOINT, phone="070-111 22 33",
                                     address="Björkvägen 3, 123 45 Exempelby")
    values.update(changes)
    return guardians.add_guardian(officer, child, GuardianInput(**values))  # type: ignore[arg-type]


def father(officer: User, child: Person, **changes: object) -> PersonContact:
    values: dict[str, object] = dict(name="Per Åkesson", relation="pappa", custody=Custody.JOINT,
                                     address="Tallstigen 9, 123 46 Exempelby",
                                     language="arabiska", needs_interpreter=True)
    values.update(changes)
    return guardians.add_guardian(officer, child, GuardianInput(**values))  # type: ignore[arg-type]


def consent_input(principals: list[Principal], **changes: object) -> ConsentInput:
    values: dict[str, object] = dict(kind=ConsentKind.ORAL, given_on=TODAY, principals=principals,
                                     covers="Samordna stödet i skolan och hos BUP")
    values.update(changes)
    return ConsentInput(**values)  # type: ignore[arg-type]


def yes(guardian: PersonContact, how: GuardianHow = GuardianHow.PHONE,
        on: dt.date = TODAY) -> AnswerInput:
    return AnswerInput(guardian, True, on, how)


def at(day: dt.date, machine: time_machine.TimeMachineFixture) -> dt.date:
    machine.move_to(dt.datetime.combine(day, dt.time(12, 0), tzinfo=STOCKHOLM))
    return clock.today()


# ---- one or two guardians --------------------------------------------------------------------

def test_a_child_has_one_or_two_guardians_with_their_own_details(officer: User,
                                                                  child: Person) -> None:
    """Seed 002: the guardians (one or two) are part of the child's record, each with contact
    details, language and interpreter need of their own."""
    eva, per = mother(officer, child), father(officer, child)
    stored = guardians.guardians_of(child)
    assert [(g.name, g.custody, g.language, g.needs_interpreter) for g in stored] == [
        ("Eva Åkesson", "joint", "svenska", False), ("Per Åkesson", "joint", "arabiska", True)]
    assert per.address == "Tallstigen 9, 123 46 Exempelby"
    assert guardians.custody_gap(stored) is None
    with pytest.raises(ValidationError) as info:
        guardians.add_guardian(officer, child, GuardianInput("Gun Ek", Custody.APPOINTED))
    assert info.value.field == "custody"
    assert "högst två vårdnadshavare" in info.value.message
    logged = audit.AuditEntry.select().where((audit.AuditEntry.entity == "person_contact")
                                             & (audit.AuditEntry.entity_id == eva.id))
    assert [e.summary for e in logged] == ["Vårdnadshavare tillagd (gemensam vårdnad)"]


@pytest.mark.parametrize(("first", "second", "message"), [
    (Custody.SOLE, Custody.JOINT, "har ensam vårdnad"),
    (Custody.JOINT, Custody.SOLE, "Ensam vårdnad betyder"),
    (Custody.JOINT, Custody.APPOINTED, "särskilt förordnad vårdnadshavare har vårdnaden"),
])
def test_custody_must_fit_together(officer: User, child: Person, first: Custody,
                                   second: Custody, message: str) -> None:
    """Sole custody is one guardian; a särskilt förordnad vårdnadshavare is not beside the
    parents' custody; joint custody wants the other guardian registered too."""
    mother(officer, child, custody=first)
    with pytest.raises(ValidationError) as info:
        father(officer, child, custody=second)
    assert info.value.field == "custody"
    assert message in info.value.message


def test_two_appointed_guardians_and_a_lone_joint_one(officer: User, child: Person) -> None:
    first = guardians.add_guardian(officer, child, GuardianInput("Gun Ek", Custody.APPOINTED))
    guardians.add_guardian(officer, child, GuardianInput("Bo Ek", Custody.APPOINTED))
    assert guardians.custody_gap(guardians.guardians_of(child)) is None
    other = make_person("20150704-2396", "Ali", "Berg")
    lone = guardians.add_guardian(officer, other, GuardianInput("Sara Berg", Custody.JOINT))
    gap = guardians.custody_gap([lone])
    assert gap is not None and "registrera den andra vårdnadshavaren" in gap
    assert first.custody == "appointed"


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"name": " "}, "contact_name", "Ange vårdnadshavarens namn."),
    ({"address": "Björkvägen 3"}, "address", "postnummer"),
    ({"language": ""}, "language", "Ange språk"),
    ({"information_block": InformationBlock.OTHER}, "information_block_note",
     "vilket beslut"),
    ({"phone": "0" * 51}, "phone", "högst 50 tecken"),
])
def test_bad_guardian_input_is_named_at_its_field(officer: User, child: Person,
                                                  changes: dict, field: str,
                                                  message: str) -> None:
    data = GuardianInput(**{"name": "Eva Åkesson", **changes})
    assert field in guardians.guardian_problems(data, others=[])
    with pytest.raises(ValidationError) as info:
        guardians.add_guardian(officer, child, data)
    assert info.value.field == field
    assert message in info.value.message
    assert guardians.guardians_of(child) == []


def test_a_guardian_is_changed_field_by_field(officer: User, child: Person) -> None:
    eva = mother(officer, child)
    mine = PersonContact.get_by_id(eva.id)
    theirs = PersonContact.get_by_id(eva.id)
    theirs.phone = "070-999 99 99"
    theirs.save_versioned()
    changed = guardians.update_guardian(officer, mine, GuardianInput(
        "Eva Åkesson", Custody.JOINT, relation="mamma", phone=eva.phone,
        address="Ängsvägen 1, 123 47 Exempelby", information_block=InformationBlock.NONE))
    stored = PersonContact.get_by_id(eva.id)
    assert (stored.address, stored.phone) == ("Ängsvägen 1, 123 47 Exempelby", "070-999 99 99")
    assert changed.version == 3


# ---- both guardians must consent ----------------------------------------------------------------

def test_both_guardians_must_consent_each_answer_recorded_separately(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Seed 002: for a child the guardians consent — both, each for themselves. The mother says
    yes by phone on Monday; the father has not answered, so there is no consent yet; her answer
    waits. He says yes in writing on Thursday: the consent rests on both answers, as given."""
    eva, per = mother(officer, child), father(officer, child)
    case = make_case(officer, child)
    monday = TODAY - dt.timedelta(days=6)
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, consent_input(
            principals, guardian_answers=[yes(eva, on=monday)]), today=TODAY)
    assert (info.value.field, info.value.message) == (
        "guardians", "Båda vårdnadshavarna behöver samtycka.")
    guardian_answers.record_guardian_answers(officer, case, [yes(eva, on=monday)], today=TODAY)
    assert Case.get_by_id(case.id).status == CaseStatus.NEED_REGISTERED.value
    assert list(guardian_answers.pending_answers(case)) == [eva.id]

    thursday = TODAY - dt.timedelta(days=3)
    given = consent.register_consent(officer, case, consent_input(
        principals, given_on=thursday, guardian_answers=[
            yes(eva, on=monday), yes(per, GuardianHow.WRITTEN, on=thursday)]), today=TODAY)
    answers = guardian_answers.answers_of_consents([given.id])[given.id]
    assert [(a.guardian.name, a.consents, a.how, a.answered_on) for a in answers] == [
        ("Eva Åkesson", True, "phone", monday), ("Per Åkesson", True, "written", thursday)]
    assert GuardianAnswer.select().count() == 2  # her waiting answer became part of it
    assert guardian_answers.pending_answers(case) == {}
    assert Case.get_by_id(case.id).status == CaseStatus.CONSENT_GIVEN.value
    log = [e.summary for e in audit.case_log(case.id)]
    assert "Vårdnadshavarnas svar registrerat: 1 samtycker" in log


def test_a_guardian_who_says_no_stops_the_consent_and_is_recorded(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Seed 002: without both guardians' consent there is no SIP; the no is recorded too."""
    eva, per = mother(officer, child), father(officer, child)
    case = make_case(officer, child)
    said = [yes(eva), AnswerInput(per, False, TODAY, GuardianHow.ORAL, "Vill vänta till våren")]
    problems = consent.consent_problems(case, consent_input(principals, guardian_answers=said),
                                        today=TODAY)
    assert problems["guardians"].startswith("Per Åkesson samtycker inte.")
    with pytest.raises(ValidationError):
        consent.register_consent(officer, case, consent_input(principals, guardian_answers=said),
                                 today=TODAY)
    guardian_answers.record_guardian_answers(officer, case, said, today=TODAY)
    pending = guardian_answers.pending_answers(case)
    assert (pending[per.id].consents, pending[per.id].note) == (False, "Vill vänta till våren")
    assert consent.consents_of(case) == []


def test_answers_for_the_wrong_child_or_the_future_are_refused(
        officer: User, child: Person) -> None:
    eva = mother(officer, child)
    case = make_case(officer, child)
    stranger = guardians.add_guardian(officer, make_person("20150704-2396", "Ali", "Berg"),
                                      GuardianInput("Sara Berg", Custody.SOLE))
    with pytest.raises(ValidationError) as info:
        guardian_answers.record_guardian_answers(officer, case, [yes(stranger)], today=TODAY)
    assert "inte vårdnadshavare för barnet" in info.value.message
    with pytest.raises(ValidationError) as info:
        guardian_answers.record_guardian_answers(
            officer, case, [yes(eva, on=TODAY + dt.timedelta(days=1))], today=TODAY)
    assert info.value.field == f"guardian_{eva.id}"


def test_joint_custody_with_one_guardian_registered_asks_for_the_other(
        officer: User, child: Person, principals: list[Principal]) -> None:
    eva = mother(officer, child)
    case = make_case(officer, child)
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, consent_input(
            principals, guardian_answers=[yes(eva)]), today=TODAY)
    assert "registrera den andra vårdnadshavaren" in info.value.message


def test_the_childs_own_view_is_recorded_beside_the_consent_and_may_be_empty(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Seed 002 §2.1.1: the child's view is asked whatever the age — and a child need not have
    one: an empty view is no validation error."""
    eva = mother(officer, child, custody=Custody.SOLE)
    case = make_case(officer, child)
    given = consent.register_consent(officer, case, consent_input(
        principals, guardian_answers=[yes(eva)],
        child_view="Liv vill att mamma är med och att mötet är i skolan."), today=TODAY)
    assert given.child_view == "Liv vill att mamma är med och att mötet är i skolan."
    other = make_person("20150704-2396", "Ali", "Berg")
    sara = guardians.add_guardian(officer, other, GuardianInput("Sara Berg", Custody.SOLE))
    silent = consent.register_consent(officer, make_case(officer, other), consent_input(
        principals, guardian_answers=[yes(sara)]), today=TODAY)
    assert silent.child_view == ""


# ---- the 18th birthday ---------------------------------------------------------------------------

def _consented_at(day: dt.date, number: str, officer: User, principals: list[Principal],
                  machine: time_machine.TimeMachineFixture) -> Case:
    at(day, machine)
    young = make_person(number, "Noa", "Lind")
    sara = guardians.add_guardian(officer, young, GuardianInput("Sara Lind", Custody.SOLE))
    case = make_case(officer, young)
    consent.register_consent(officer, case, consent_input(
        principals, given_on=day, guardian_answers=[yes(sara, on=day)]))
    return Case.get_by_id(case.id)


@pytest.mark.parametrize(("number", "consented", "birthday"), [
    (PNR_TURNS_18, dt.date(2026, 6, 1), dt.date(2026, 11, 19)),
    (PNR_LEAP_DAY, dt.date(2025, 9, 1), dt.date(2026, 3, 1)),
])
def test_18th_birthday_the_young_person_must_consent_themselves(
        officer: User, principals: list[Principal], time_machine: time_machine.TimeMachineFixture,
        number: str, consented: dt.date, birthday: dt.date) -> None:
    """Seed 002: guardians decide for a child under 18. Their consent carries the case until
    the day before the 18th birthday — one born on 29 February turns 18 on 1 March in a year
    without one. From the birthday on the case shows, in the next step, on the overview and in
    Att göra, that the young person must consent themselves, and no kallelse goes out on the
    guardians' consent."""
    case = _consented_at(consented, number, officer, principals, time_machine)
    day_before = birthday - dt.timedelta(days=1)
    assert guardians.adult_on(case.person) == birthday
    assert case.consent_valid_until == day_before  # not a year: the guardians decide until then

    today = at(day_before, time_machine)
    assert lifecycle.check(case, Action.INVITE) is None
    step = next_step(case)
    assert "fyllt 18" not in step.text and step.action is Action.INVITE
    rows = [r for r in todo.todo_for(officer) if r.case_id == case.id]
    assert [(r.what, r.overdue) for r in rows] == [
        (f"Fyller 18 år {birthday:%Y-%m-%d} — då behöver den unga själv samtycka till SIP",
         False)]
    assert "fyller 18 år" in consent_line(case).text
    assert any("Fyller 18 år" in m for m in case_page.overview(case, today).missing)

    today = at(birthday, time_machine)
    problem = lifecycle.check(case, Action.INVITE)
    assert problem is not None and problem.startswith(f"Har fyllt 18 år ({birthday:%Y-%m-%d})")
    assert "Vårdnadshavarnas samtycke gäller inte längre" in problem
    step = next_step(case)
    assert step.text.startswith(f"Har fyllt 18 år ({birthday:%Y-%m-%d}).")
    assert "själv samtycka" in step.text and step.action is None
    line = consent_line(case)
    assert line.warn and "eget samtycke behövs" in line.text
    rows = [r for r in todo.todo_for(officer) if r.case_id == case.id]
    assert [(r.what, r.overdue, r.since) for r in rows] == [
        ("Har fyllt 18 år — den unga behöver nu själv samtycka till SIP", True, birthday)]
    assert case_page.overview(case, today).step.text == step.text

    # The young person consents: no guardians now, valid a year, and the case goes on.
    consent.register_consent(officer, case, consent_input(principals, given_on=today))
    case = Case.get_by_id(case.id)
    assert lifecycle.check(case, Action.INVITE) is None
    assert [r for r in todo.todo_for(officer) if r.case_id == case.id] == []
    assert "fyllt 18" not in next_step(case).text


def test_guardians_consent_is_valid_at_most_until_the_day_before_18(
        officer: User, principals: list[Principal],
        time_machine: time_machine.TimeMachineFixture) -> None:
    today = at(dt.date(2026, 6, 1), time_machine)
    young = make_person(PNR_TURNS_18, "Noa", "Lind")
    sara = guardians.add_guardian(officer, young, GuardianInput("Sara Lind", Custody.SOLE))
    case = make_case(officer, young)
    with pytest.raises(ValidationError) as info:
        consent.register_consent(officer, case, consent_input(
            principals, given_on=today, valid_until=dt.date(2026, 11, 19),
            guardian_answers=[yes(sara, on=today)]))
    assert info.value.field == "valid_until"
    assert "tills Noa fyller 18 år — senast 2026-11-18" in info.value.message


def test_a_case_running_on_when_its_child_turned_18_in_a_later_state(
        officer: User, principals: list[Principal],
        time_machine: time_machine.TimeMachineFixture) -> None:
    """Turning 18 during the case, after the kallelse: the next step says so first and keeps
    the state's own date (the case list's "Nästa datum")."""
    case = _consented_at(dt.date(2026, 6, 1), PNR_TURNS_18, officer, principals, time_machine)
    Case.update(status=CaseStatus.INVITED.value, next_date=dt.date(2026, 12, 1)).where(
        Case.id == case.id).execute()
    at(dt.date(2026, 11, 20), time_machine)
    step = next_step(Case.get_by_id(case.id))
    assert step.text.startswith("Har fyllt 18 år (2026-11-19).")
    assert step.next_date == dt.date(2026, 12, 1)
    overview = case_page.overview(Case.get_by_id(case.id), clock.today())
    assert not any(m.startswith("Har fyllt 18 år") for m in overview.missing)  # the step says it


# ---- a guardian not informed -----------------------------------------------------------------

def test_guardian_not_informed_gets_no_paper_and_the_reason_is_said(officer: User,
                                                                    child: Person) -> None:
    """A guardian who may not receive information about the child (restraining order,
    protected address): no letter, no copy — and the screens say why."""
    mother(officer, child)
    father(officer, child, information_block=InformationBlock.RESTRAINING_ORDER,
           information_block_note="Beslut 2026-03-01")
    paper = guardians.paper_for(child, on=TODAY, child_from_age=12)
    assert [g.name for g in paper.guardians] == ["Eva Åkesson"]
    assert [(w.name, w.why) for w in paper.withheld] == [
        ("Per Åkesson", "får inte få information om barnet (kontaktförbud: Beslut 2026-03-01)")]
    assert paper.age == 9 and not paper.to_child
    notes = paper.notes()
    assert ("Inget brev och inget exemplar till Per Åkesson: får inte få information om barnet "
            "(kontaktförbud: Beslut 2026-03-01).") in notes
    assert paper.notes()[-1].startswith("Liv är 9 år och får inga egna brev")
    older = guardians.paper_for(child, on=dt.date(2029, 1, 1), child_from_age=12)
    assert older.to_child and older.age == 12
    assert not guardians.paper_for(child, on=dt.date(2035, 1, 1)).child


def test_the_kallelse_starts_with_the_guardians_who_may_be_told(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Seed 002: the guardians who gave the consent are invited from the start, without the
    consent naming them; one who may not be told is neither proposed nor accepted."""
    from sipdesk.meetings import invitation_start
    from sipdesk.meetings.invitation import ParticipantKind, check_participants

    eva = mother(officer, child)
    per = father(officer, child, information_block=InformationBlock.PROTECTED_ADDRESS)
    case = make_case(officer, child)
    consent.register_consent(officer, case, consent_input(principals, guardian_answers=[
        yes(eva), yes(per)]), today=TODAY)
    start = invitation_start.invitation_start(officer, case.id)
    relatives = [p.name for p in start.participants if p.kind is ParticipantKind.RELATIVE]
    assert relatives == ["Eva Åkesson"]
    assert start.rules.guardians == {"eva åkesson", "per åkesson"}
    draft = invitation.InvitationDraft(purpose="Skolan", participants=[
        *start.participants, invitation_start.relative_participant(per)])
    problems = check_participants(Case.get_by_id(case.id), draft, rules=start.rules).problems
    assert problems["relatives"] == (
        "Per Åkesson får inte få information om barnet (skyddad adress), och kan inte bjudas "
        "in. Ta bort Per Åkesson från listan.")


def test_only_one_who_may_change_a_case_of_the_child_adds_or_changes_a_guardian(
        officer: User, child: Person) -> None:
    """The change rule (access.require_can_change; issue 12: "another unit cannot change a case
    it may only read"), for a child's guardians as for removing one: a colleague of another
    unit of the municipality reads the child's case but may neither add a guardian nor change
    one (access.READ_ONLY_HERE); a user of another principal learns nothing (NOT_YOURS); the
    case's coordinator and the staff of its own unit may. Nothing is saved by a refusal."""
    from sipdesk.accounts import access
    from sipdesk.errors import PermissionDenied
    from tests.factories import make_unit

    eva = mother(officer, child)  # a person of no case yet: registered with the case
    case = make_case(officer, child)
    reader = make_user("lena.strand", unit=make_unit("Äldreboendet Sol"),
                       full_name="Lena Strand")
    outsider = make_user("olle.ut", unit=make_unit(
        "Vårdcentralen Grannby", principal="Region Grannland", kind=PrincipalKind.REGION),
        full_name="Olle Utanför")
    assert access.can_see(reader, case) and not access.can_change(reader, case)
    before = [(g.name, g.phone, g.custody) for g in guardians.guardians_of(child)]
    for who, words in ((reader, access.READ_ONLY_HERE), (outsider, access.NOT_YOURS)):
        with pytest.raises(PermissionDenied) as refused:
            guardians.add_guardian(who, child, GuardianInput("Karl Åkesson", relation="pappa"))
        assert refused.value.message == words
        with pytest.raises(PermissionDenied) as refused:
            guardians.update_guardian(who, PersonContact.get_by_id(eva.id), GuardianInput(
                "Eva Åkesson", Custody.SOLE, phone="070-999 99 99"))
        assert refused.value.message == words
    assert [(g.name, g.phone, g.custody) for g in guardians.guardians_of(child)] == before
    colleague = make_user("karl.lind", unit=officer.unit, full_name="Karl Lind")
    karl = guardians.add_guardian(colleague, child, GuardianInput("Karl Åkesson",
                                                                  relation="pappa"))
    changed = guardians.update_guardian(officer, PersonContact.get_by_id(karl.id), GuardianInput(
        "Karl Åkesson", relation="pappa", phone="070-444 55 66"))
    assert changed.phone == "070-444 55 66"
    logged = [line.summary for line in audit.case_log(case.id)]  # newest first, in the case
    assert logged[:2] == ["Vårdnadshavare ändrad (gemensam vårdnad)",
                          "Vårdnadshavare tillagd (gemensam vårdnad)"]


def test_a_guardian_added_after_the_consent_must_consent_before_it_carries_the_case_again(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Rule (seed 002, DOMAIN.md "Children"): every guardian with custody consents for the
    child. The mother had sole custody and consented; a court then gives the parents joint
    custody and the father is registered. Until he has said yes the consent no longer carries
    the case: the rule "consent must stand" (lifecycle.consent_basis_problem) names him, so the
    kallelse, the request for approval and the approval are refused, and the next step says
    it. Once both have consented (a renewed consent) it carries the case again."""
    eva = mother(officer, child, custody=Custody.SOLE)
    case = make_case(officer, child)
    consent.register_consent(officer, case, consent_input(
        principals, guardian_answers=[yes(eva)]), today=TODAY)
    case = Case.get_by_id(case.id)
    assert lifecycle.consent_basis_problem(case, today=TODAY) is None
    guardians.update_guardian(officer, PersonContact.get_by_id(eva.id), GuardianInput(
        "Eva Åkesson", Custody.JOINT, relation="mamma", phone="070-111 22 33",
        address="Björkvägen 3, 123 45 Exempelby"))
    per = father(officer, child)
    said = ("Per Åkesson har blivit vårdnadshavare efter att samtycket registrerades och har "
            "inte samtyckt än. Alla vårdnadshavare behöver samtycka — registrera hens svar med "
            "Förnya samtycke.")
    for step in lifecycle.Step:
        assert lifecycle.consent_basis_problem(case, step, today=TODAY) == (
            f"{said} Det behövs innan {step}.")
    assert lifecycle.check(case, Action.INVITE, today=TODAY) == (
        f"{said} Det behövs innan kallelse.")
    assert next_step(case, TODAY).text == f"{said} Det behövs innan kallelse."
    line = consent_line(case, TODAY)
    assert (line.text, line.warn) == ("Räcker inte — Per Åkesson har inte samtyckt än", True)
    with pytest.raises(ValidationError):
        lifecycle.transition(officer, case, Action.INVITE, today=TODAY)
    consent.register_consent(officer, case, consent_input(
        principals, guardian_answers=[yes(eva), yes(per)]), today=TODAY)
    assert lifecycle.consent_basis_problem(Case.get_by_id(case.id), today=TODAY) is None


def test_the_first_step_for_a_child_asks_the_guardians_by_name_and_from_18_the_young_person(
        officer: User, child: Person) -> None:
    """Seed 002 / DOMAIN.md step 2 ("For a child, the guardian(s) consent"): before the consent
    the overview's next step asks the guardians, by name — not "den enskilde" — and says who
    has answered; a child without registered guardians gets them registered first. From the
    18th birthday the young person is asked themselves."""
    case = make_case(officer, child)
    assert next_step(case, TODAY).text == (
        "Barnet är under 18 år, så vårdnadshavarna samtycker: registrera dem och fråga dem om "
        "samtycke till SIP. Fråga också Liv vad hen tycker.")
    eva, per = mother(officer, child), father(officer, child)
    step = next_step(case, TODAY)
    assert step.action is Action.GIVE_CONSENT
    assert step.text == ("Fråga vårdnadshavarna (Eva Åkesson, Per Åkesson) om samtycke till "
                         "SIP och registrera svaren. Fråga också Liv vad hen tycker.")
    assert "den enskilde" not in step.text
    guardian_answers.record_guardian_answers(officer, case, [yes(eva)], today=TODAY)
    assert next_step(case, TODAY).text == (
        "Eva Åkesson har samtyckt. Fråga Per Åkesson om samtycke till SIP och registrera "
        "svaret.")
    guardian_answers.record_guardian_answers(officer, case, [
        AnswerInput(per, False, TODAY, GuardianHow.PHONE)], today=TODAY)
    assert next_step(case, TODAY).text.startswith("Per Åkesson samtycker inte.")

    young = make_person(PNR_TURNS_18, "Noa", "Lind")  # 18 on 2026-11-19
    guardians.add_guardian(officer, young, GuardianInput("Sara Lind", Custody.SOLE))
    theirs = make_case(officer, young)
    before = next_step(theirs, dt.date(2026, 11, 18)).text
    assert before.startswith("Fråga vårdnadshavaren (Sara Lind) om samtycke")
    on_the_day = next_step(theirs, dt.date(2026, 11, 19)).text
    assert on_the_day.startswith("Noa har fyllt 18 år och bestämmer själv: fråga Noa om "
                                 "samtycke till SIP")
    adult = make_case(officer, make_person(first="Åsa", last="Öberg"))
    assert next_step(adult, TODAY).text.startswith("Fråga den enskilde om samtycke")


def test_what_was_typed_with_the_first_guardians_answer_is_kept_until_the_consent(
        officer: User, child: Person, principals: list[Principal]) -> None:
    """Nothing typed is lost (project rule; seed 002: each guardian answers for themselves, so
    the consent often waits for the second). Saving the mother's yes keeps the rest of what was
    typed — the question agreed, the principals ticked, exclusions, relatives, the child's view
    — as the user's draft, which the dialog's form offers again; registering the consent ends
    it (and Att göra's reminder of it), whoever registers it."""
    from sipdesk.desk import case_forms

    eva, per = mother(officer, child), father(officer, child)
    case = make_case(officer, child)
    region = principals[1]
    typed = consent_input([region], covers="Stöd i skolan, hemma och från BUP",
                          exclusions="Inte skolans elevhälsa", child_view="Vill ha mötet i skolan",
                          kind=ConsentKind.WRITTEN, guardian_answers=[yes(eva)])
    consent.save_guardian_answers(officer, case, typed, today=TODAY)
    assert list(guardian_answers.pending_answers(case)) == [eva.id]
    form = case_forms.consent_form(officer, case)
    assert form.draft is not None
    assert (form.draft.covers, form.draft.exclusions, form.draft.child_view, form.draft.kind) == (
        "Stöd i skolan, hemma och från BUP", "Inte skolans elevhälsa",
        "Vill ha mötet i skolan", "written")
    assert form.chosen == {region.id}  # as ticked, not the proposal (own principal + region)
    assert [r.what for r in todo.todo_for(officer, today=TODAY)] == [
        "Påbörjat samtycke — registrera det när alla vårdnadshavare har svarat"]
    colleague = make_user("karl.lind", unit=officer.unit, full_name="Karl Lind")
    assert case_forms.consent_form(colleague, case).draft is None  # the draft is the typist's

    # The colleague registers it once the father has said yes: her draft waits for nothing.
    consent.register_consent(colleague, case, consent_input(
        [region], guardian_answers=[yes(eva), yes(per)]), today=TODAY)
    assert case_forms.consent_form(officer, case).draft is None
    assert todo.todo_for(officer, today=TODAY) == []
