"""Kallelse on both engines — DOMAIN.md steps 4–7: the wizard's rules, sending in one
transaction, answers, a new time, cancelling, the staff meeting, the mobile care team check,
attendance and deviations, the request to convene, and the contact directory."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from sipdesk.accounts import audit
from sipdesk.casework import contacts, drafts
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.meetings import convene, invitation, meeting
from sipdesk.meetings.invitation import (
    Answer,
    HowInvited,
    InvitationDraft,
    ParticipantInput,
    ParticipantKind,
)
from sipdesk.meetings.meeting import PrimaryCareDecision, StaffMeetingInput
from sipdesk.messages import messaging
from sipdesk.storage.models import Case, CaseStatus, Law, PrincipalKind, Role
from tests.factories import make_case, make_person, make_user
from tests.scenarios import MEETING, NOW, entry_for, good_draft, kallelse_world


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return kallelse_world()


def test_participants_need_hsl_and_sol_and_region_and_municipality(world: dict) -> None:
    """Seed 002 / DOMAIN step 4: otherwise it is not a SIP."""
    draft = good_draft(world)
    draft.participants = [entry_for(world["manager"])]  # SoL, municipality only
    check = invitation.check_participants(world["case"], draft)
    assert check.problems["participants"] == (
        "En SIP behöver någon från hälso- och sjukvården (HSL) och någon från regionen.")
    draft.participants.append(entry_for(world["nurse"]))
    assert invitation.check_participants(world["case"], draft).ok


def test_warns_when_no_outpatient_care_is_invited(world: dict) -> None:
    draft = good_draft(world)
    draft.participants = [entry_for(world["manager"]), entry_for(world["nurse"])]
    assert invitation.check_participants(world["case"], draft).warnings == []
    nurse = entry_for(world["nurse"])
    nurse.outpatient = False
    draft.participants = [entry_for(world["manager"]), nurse]
    warnings = invitation.check_participants(world["case"], draft).warnings
    assert warnings and "öppenvården ska alltid vara med" in warnings[0]


def test_only_principals_covered_by_the_consent(world: dict) -> None:
    other = contacts.ensure_principal("Försäkringskassan", PrincipalKind.OTHER)
    draft = good_draft(world)
    draft.participants.append(ParticipantInput(
        ParticipantKind.PROFESSIONAL, "Kim Handläggare", principal_id=other.id,
        principal_name=other.name, principal_kind=PrincipalKind.OTHER, law=Law.OTHER,
        phone="0771-524 524"))
    check = invitation.check_participants(world["case"], draft)
    assert check.problems["principals"].startswith("Samtycket omfattar inte Försäkringskassan.")
    with pytest.raises(ValidationError) as info:
        invitation.send_invitation(world["officer"], world["case"], draft, current=NOW)
    assert info.value.field == "principals"


def test_interpreter_is_proposed_and_never_a_relative_or_staff(world: dict) -> None:
    person = world["case"].person
    person.language = "arabiska"
    person.save()
    case = Case.get_by_id(world["case"].id)
    draft = good_draft(world)
    warnings = invitation.check_participants(case, draft).warnings
    assert any("boka en tolk" in w and "närstående eller personal får inte tolka" in w
               for w in warnings)
    staff_as_interpreter = entry_for(world["manager"])
    staff_as_interpreter.kind = ParticipantKind.INTERPRETER
    draft.participants.append(staff_as_interpreter)
    assert "kan inte vara tolk" in invitation.check_participants(case, draft).problems[
        "interpreter"]
    draft.participants[-1] = entry_for(world["interpreter"])
    check = invitation.check_participants(case, draft)
    assert check.ok and not any("tolk" in w for w in check.warnings)


@pytest.mark.parametrize(("changes", "field"), [
    ({"minutes": 61}, "minutes"),
    ({"starts_at": NOW - dt.timedelta(hours=1)}, "starts_at"),
    ({"starts_at": None}, "starts_at"),
    ({"place": "Kommunhuset"}, "place_reason"),
    ({"starts_at": NOW + dt.timedelta(days=5)}, "short_notice_reason"),
    ({"video_link": "teams.example/x"}, "video_link"),
])
def test_time_and_place_rules(world: dict, changes: dict, field: str) -> None:
    """Seed 003: 45 minutes, at most 60; 2–3 weeks ahead; at home unless there is a reason."""
    draft = good_draft(world)
    for key, value in changes.items():
        setattr(draft, key, value)
    assert field in invitation.check_time_and_place(world["case"], draft, current=NOW).problems


def test_short_notice_is_allowed_with_a_reason_and_home_is_the_default(world: dict) -> None:
    draft = good_draft(world)
    assert draft.minutes == 45
    draft.starts_at = NOW + dt.timedelta(days=5)
    draft.short_notice_reason = "Utskrivning från sjukhus på fredag"
    draft.staff_meeting_at = NOW + dt.timedelta(days=2)
    check = invitation.check_time_and_place(world["case"], draft, current=NOW)
    assert check.ok and invitation.SHORT_NOTICE_WARNING in check.warnings
    assert "två till tre veckor" in invitation.SHORT_NOTICE_WARNING
    place, at_home = invitation.place_of(world["case"], draft)
    assert at_home and place.startswith("Hemma hos den enskilde")


def test_staff_meeting_proposed_or_skipped_with_a_reason(world: dict) -> None:
    draft = good_draft(world)
    draft.staff_meeting_at = None
    assert "staff_meeting_at" in invitation.check_staff_meeting(draft).problems
    draft.staff_meeting_skipped_reason = "Alla träffades förra veckan"
    assert invitation.check_staff_meeting(draft).ok
    draft.staff_meeting_at = MEETING + dt.timedelta(hours=1)
    assert invitation.check_staff_meeting(draft).problems["staff_meeting_at"] == (
        "Tjänstemannamötet ska vara före SIP-mötet.")


def test_sending_invites_in_one_transaction(world: dict) -> None:
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    case = Case.get_by_id(world["case"].id)
    assert case.status == CaseStatus.INVITED.value and case.next_date == MEETING.date()
    people = invitation.participants_of(meeting_row)
    assert len(people) == 5  # the four invited and the convener, who takes part herself
    convener = next(p for p in people if p.user_id == world["officer"].id)
    assert (convener.name, convener.message_id) == ("Anna Berg", None)  # no message to herself
    for user in (world["manager"], world["nurse"]):
        rows = messaging.folder_rows(user, messaging.Folder.AWAITING_MY_ACK)
        assert rows[0].subject == f"Kallelse till SIP-möte 2026-12-10 ({case.number})"
    calls = invitation.call_list(meeting_row)
    assert sorted((p.name, p.how_invited) for p in calls) == [
        ("Eva Läkare", HowInvited.LETTER.value), ("Åsa Öberg", HowInvited.LETTER.value)]
    assert any(line.summary.startswith("Kallelse skickad") for line in audit.case_log(case.id))


def test_a_failed_send_leaves_nothing_behind(world: dict, monkeypatch: pytest.MonkeyPatch
                                             ) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("nätverket föll")

    monkeypatch.setattr(messaging, "send", broken)
    with pytest.raises(RuntimeError):
        invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                   current=NOW)
    assert invitation.current_meeting(world["case"]) is None
    assert Case.get_by_id(world["case"].id).status == CaseStatus.CONSENT_GIVEN.value


def test_answers_with_substitute_and_by_phone(world: dict) -> None:
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    people = {p.name: p for p in invitation.participants_of(meeting_row)}
    with pytest.raises(ValidationError) as info:
        invitation.register_answer(world["nurse"], people["Per Nord"], Answer.NOT_COMING)
    assert info.value.field == "substitute_name"
    answered = invitation.register_answer(world["nurse"], people["Per Nord"], Answer.NOT_COMING,
                                          substitute_name="Lisa Ek",
                                          substitute_contact="010-111 22 33")
    assert (answered.answer, answered.substitute_name) == ("not_coming", "Lisa Ek")
    by_phone = invitation.register_answer(world["officer"], people["Eva Läkare"], Answer.COMING)
    assert by_phone.answer == "coming"
    with pytest.raises(ValidationError):
        invitation.register_answer(world["manager"], people["Per Nord"], Answer.COMING)


def test_new_time_is_sent_again_to_all_with_kvittens(world: dict) -> None:
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    later = MEETING + dt.timedelta(days=7)
    invitation.reschedule(world["officer"], meeting_row, starts_at=later,
                          reason="Läkaren är bortrest", current=NOW)
    rows = messaging.folder_rows(world["nurse"], messaging.Folder.AWAITING_MY_ACK)
    assert rows[0].subject.startswith("Ny tid för SIP-möte: 2026-12-17")
    assert Case.get_by_id(world["case"].id).next_date == later.date()


def test_cancel_only_before_the_meeting_and_the_case_stays_open(world: dict) -> None:
    """Seed 000 "Ställ in möte": the case is not closed and can be invited again."""
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    with pytest.raises(ValidationError) as info:
        invitation.cancel_meeting(world["officer"], meeting_row, reason="Sjuk",
                                  person_told=True, current=MEETING + dt.timedelta(minutes=1))
    assert "redan ägt rum" in info.value.message
    with pytest.raises(ValidationError) as info:
        invitation.cancel_meeting(world["officer"], meeting_row, reason="Sjuk",
                                  person_told=False, current=NOW)
    assert info.value.field == "person_told"
    invitation.cancel_meeting(world["officer"], meeting_row, reason="Den enskilde är sjuk",
                              person_told=True, current=NOW)
    case = Case.get_by_id(world["case"].id)
    assert case.status == CaseStatus.MEETING_CANCELLED.value
    assert messaging.folder_rows(world["nurse"], messaging.Folder.AWAITING_MY_ACK)[0].kind \
        is messaging.MessageKind.CANCELLATION
    again = invitation.send_invitation(world["officer"], case, good_draft(world), current=NOW)
    assert again.id != meeting_row.id


def test_meeting_held_with_a_deviation_for_a_principal_that_did_not_come(world: dict) -> None:
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    people = invitation.participants_of(meeting_row)
    with pytest.raises(ValidationError):
        meeting.mark_held(world["officer"], meeting_row, {p.id: True for p in people},
                          current=NOW)
    attendance = {p.id: p.name != "Per Nord" for p in people}
    deviations = meeting.mark_held(world["officer"], meeting_row, attendance,
                                   current=MEETING + dt.timedelta(hours=1))
    assert [(d.principal_name, d.unit_name) for d in deviations] == [
        ("Region Exempelland", "Vårdcentralen Exempelby")]
    assert Case.get_by_id(world["case"].id).status == CaseStatus.MEETING_HELD.value
    assert meeting.open_deviations_for(world["officer"]) == []  # a case officer: not theirs
    admin = make_user("admin", unit=world["manager"].unit, full_name="Eva Admin",
                      role=Role.ADMINISTRATOR)
    assert [d.id for d in meeting.open_deviations_for(admin)] == [deviations[0].id]
    meeting.handle_deviation(admin, deviations[0])
    assert meeting.open_deviations_for(admin) == []


@pytest.mark.parametrize(("born_years_before", "expected"), [(75, True), (74, False)])
def test_age_75_is_read_from_the_personal_number_on_the_meeting_date(
    world: dict, born_years_before: int, expected: bool
) -> None:
    from sipdesk.rules import personal_number

    born = dt.date(MEETING.year - born_years_before, MEETING.month, MEETING.day)
    nine = f"{born:%y%m%d}123"
    number = f"{born:%Y%m%d}-123{personal_number.check_digit(nine)}"
    case = make_case(world["officer"], make_person(number, "Gun", "Ålder"))
    assert meeting.is_75_or_older(case, MEETING.date()) is expected
    assert meeting.is_75_or_older(case, MEETING.date() - dt.timedelta(days=1)) is False


@pytest.mark.parametrize(("met", "eligible"), [(3, False), (4, True), (6, True)])
def test_mobile_care_team_needs_four_of_six_criteria(met: int, eligible: bool) -> None:
    """Seed 000 "Tjänstemannamöte": at least four of the six criteria."""
    keys = list(meeting.CRITERIA)
    answers = {key: index < met for index, key in enumerate(keys)}
    assert meeting.criteria_met(answers) == met
    assert meeting.is_eligible(answers) is eligible


def test_primary_care_refusing_for_another_reason_needs_reason_and_mas(world: dict) -> None:
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    answers = dict.fromkeys(meeting.CRITERIA, True)
    with pytest.raises(ValidationError) as info:
        meeting.record_mobile_team_check(world["officer"], meeting_row, answers,
                                         decision=PrimaryCareDecision.REFUSED_OTHER)
    assert info.value.field == "refused_reason"
    with pytest.raises(ValidationError) as info:
        meeting.record_mobile_team_check(world["officer"], meeting_row, answers,
                                         decision=PrimaryCareDecision.REFUSED_OTHER,
                                         refused_reason="Ingen plats i teamet")
    assert info.value.field == "mas_informed"
    check = meeting.record_mobile_team_check(
        world["officer"], meeting_row, answers, decision=PrimaryCareDecision.REFUSED_OTHER,
        refused_reason="Ingen plats i teamet", mas_informed=True)
    assert check.age_75 is True  # from the personal number (born 1940), not from `answers`
    assert "kriterier" in audit.case_log(world["case"].id)[0].summary


def test_staff_meeting_can_move_the_coordinator_and_it_is_logged(world: dict) -> None:
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    with pytest.raises(ValidationError) as info:
        meeting.record_staff_meeting(world["officer"], meeting_row, StaffMeetingInput(
            held_on=NOW.date(), chair="", note_taker="x", writes_situation="x",
            writes_main_goal="x"))
    assert info.value.field == "chair"
    meeting.record_staff_meeting(world["officer"], meeting_row, StaffMeetingInput(
        held_on=NOW.date(), chair="Per Nord", note_taker="Maria Holm",
        writes_situation="Maria Holm", writes_main_goal="Per Nord",
        writes_for_others="Anna Berg skriver för psykiatrin", new_coordinator=world["nurse"]))
    case = Case.get_by_id(world["case"].id)
    assert case.coordinator_id == world["nurse"].id
    assert any(line.summary == "Samordningsansvar flyttat: Anna Berg → Per Nord"
               for line in audit.case_log(case.id))


def test_request_to_convene_is_accepted_by_the_case_officer(world: dict) -> None:
    """Seed 004: home care asks the case officer to call a SIP."""
    case = make_case(world["manager"], world["case"].person)
    request = convene.request_to_convene(world["manager"], case, world["officer"],
                                         convene.ConveneInput(
                                             need="Klarar inte medicinerna själv",
                                             coordinate="Hemtjänst och hemsjukvård",
                                             actors="Vårdcentralen, hemtjänsten"))
    rows = messaging.folder_rows(world["officer"], messaging.Folder.AWAITING_MY_ACK)
    assert rows[0].kind is messaging.MessageKind.REQUEST_TO_CONVENE
    with pytest.raises(PermissionDenied):
        convene.accept(world["nurse"], request)
    convene.accept(world["officer"], request)
    assert Case.get_by_id(case.id).coordinator_id == world["officer"].id
    assert messaging.badge(world["officer"]).unacknowledged == 0


def test_email_text_for_outsiders_has_no_personal_data(world: dict) -> None:
    text = convene.email_text(sender_unit="Hemtjänst Norr", sender_phone="0000-12 34 56")
    person = world["case"].person
    for secret in (person.first_name, person.last_name, person.personal_number,
                   person.personal_number[2:8], world["case"].number):
        assert secret not in text


def test_directory_search_and_who_may_edit(world: dict) -> None:
    names = [e.name for e in contacts.search_directory("läk")]
    assert names == ["Eva Läkare"]
    users = [e for e in contacts.search_directory("per") if e.kind is contacts.EntryKind.USER]
    assert [(u.name, u.principal_kind, u.law, u.outpatient) for u in users] == [
        ("Per Nord", PrincipalKind.REGION, Law.HSL, True)]
    with pytest.raises(PermissionDenied):
        contacts.add_contact(world["officer"], contacts.organisations()[0], name="X", phone="1")


def test_wizard_draft_survives_and_round_trips(world: dict) -> None:
    draft = good_draft(world)
    drafts.save_draft(world["officer"], world["case"], "kallelse", draft.to_json())
    loaded = drafts.load_draft(world["officer"], world["case"], "kallelse")
    assert loaded is not None
    assert InvitationDraft.from_json(loaded) == draft
    drafts.delete_draft(world["officer"], world["case"], "kallelse")
    assert drafts.load_draft(world["officer"], world["case"], "kallelse") is None


def test_att_gora_gains_meetings_answers_calls_and_deviations(world: dict) -> None:
    from sipdesk.desk import todo

    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    whats = [r.what for r in todo.todo_for(world["officer"], today=NOW.date())]
    assert "3 av 5 har inte svarat på kallelsen till 2026-12-10" in whats  # she comes herself
    assert "Ring eller skicka brev till 2 deltagare utan konto" in whats
    assert not any(w.startswith("SIP-möte") for w in whats)  # more than 7 days ahead
    soon = [r.what for r in todo.todo_for(world["nurse"], today=dt.date(2026, 12, 4))]
    assert "SIP-möte 2026-12-10 kl. 13:00" in soon
    for p in invitation.call_list(meeting_row):
        invitation.mark_invitation_done(world["officer"], p)
    whats = [r.what for r in todo.todo_for(world["officer"], today=NOW.date())]
    assert not any(w.startswith("Ring eller skicka brev") for w in whats)

    people = invitation.participants_of(meeting_row)
    meeting.mark_held(world["officer"], meeting_row,
                      {p.id: p.name != "Per Nord" for p in people},
                      current=MEETING + dt.timedelta(hours=1))
    case_unit_manager = make_user("chef", unit=world["officer"].unit, full_name="Chef Chefsson",
                                  role=Role.UNIT_MANAGER)
    rows = todo.todo_for(case_unit_manager, today=MEETING.date())
    assert [r.what for r in rows] == [
        "Avvikelse: Region Exempelland (Vårdcentralen Exempelby) kom inte till SIP-mötet "
        "2026-12-10"]
    assert rows[0].target is todo.Target.CASE_MEETING and rows[0].overdue


def test_a_user_answers_the_kallelse_from_the_inbox(world: dict) -> None:
    """Issue 5: answers by users go through the inbox."""
    meeting_row = invitation.send_invitation(world["officer"], world["case"], good_draft(world),
                                             current=NOW)
    row = messaging.folder_rows(world["nurse"], messaging.Folder.INBOX)[0]
    assert invitation.invitation_for(world["nurse"], row.message_id) is not None
    assert invitation.invitation_for(world["manager"], row.message_id) is not None
    with pytest.raises(ValidationError) as info:
        invitation.answer_invitation(world["nurse"], row.message_id, Answer.NOT_COMING)
    assert info.value.field == "substitute_name"
    answered = invitation.answer_invitation(world["nurse"], row.message_id, Answer.NOT_COMING,
                                            substitute_name="Lisa Ek",
                                            substitute_contact="010-111 22 33")
    assert (answered.answer, answered.substitute_name) == ("not_coming", "Lisa Ek")
    reply = messaging.folder_rows(world["officer"], messaging.Folder.INBOX)[0]
    body = messaging.Message.get_by_id(reply.message_id).body
    assert reply.subject.startswith("Sv: Kallelse") and "Ersättare: Lisa Ek" in body
    invitation.cancel_meeting(world["officer"], meeting_row, reason="Sjuk", person_told=True,
                              current=NOW)
    assert invitation.invitation_for(world["manager"], row.message_id) is None
    with pytest.raises(ValidationError):
        invitation.answer_invitation(world["manager"], row.message_id, Answer.COMING)
