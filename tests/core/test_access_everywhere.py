"""Every use case checks who may see the case itself — DOMAIN.md, Data protection: "access only
for those who work with the case or its unit" (issue 11, point 2: the UI only hides what is not
allowed; the rule is sipdesk.accounts.access, and a screen or the command line cannot go round it).

`REFUSED` is a table of every public use case in sipdesk/ that acts for a user on a case or on
something of a case (a meeting, a participant, a deviation, a plan version, a draft, a message in
the case). Each is called by an outsider — an active unit manager of another principal, who
neither coordinates the case nor is invited to its meetings — and must raise PermissionDenied
with `access.NOT_YOURS` and leave every table as it was. `NOT_ABOUT_ONE_CASE` lists the other
public functions with a user parameter and why they need no check of their own; a new one that
is in neither list fails `test_every_public_function_with_a_user_is_in_one_list`, so the rule
cannot rot as use cases are added.
"""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee
import pytest

import sipdesk
from sipdesk import clock
from sipdesk.accounts import access
from sipdesk.casework import (
    consent,
    drafts,
    guardian_answers,
    guardian_removal,
    guardians,
    lifecycle,
    protected,
)
from sipdesk.desk import case_forms, case_page, cases, message_page
from sipdesk.errors import PermissionDenied
from sipdesk.export import plan_json
from sipdesk.meetings import convene, evaluation, invitation, invitation_start, meeting
from sipdesk.messages import messaging
from sipdesk.plans import child_voice, plan, plan_documentation, plan_page, plan_rules
from sipdesk.storage.guardian_records import GuardianHow
from sipdesk.storage.models import PersonContact, PrincipalKind, Protection, Role
from tests.factories import PNR_OTHER, make_person, make_unit, make_user
from tests.plan_scenarios import clone_plan, fill, plan_world
from tests.scenarios import MEETING, good_draft

World = dict[str, Any]
Call = Callable[[World], object]

# The parameters that name the user a function acts for.
USER_PARAMETERS = {"user", "actor", "sender", "officer"}
# The rule itself: sipdesk.accounts.access answers for any user by design.
RULE_MODULES = {"access"}

LATER = dt.datetime(2027, 1, 20, 10, 0)


def _draft_in(w: World) -> None:
    drafts.save_draft(w["officer"], w["case"], "kallelse", {"purpose": "Samordna"})


# name ("module.function", where it is defined) → how the outsider calls it.
REFUSED: dict[str, Call] = {
    # The case itself
    "cases.open_case": lambda w: cases.open_case(w["outsider"], w["case"].id),
    "case_page.open_case_page": lambda w: case_page.open_case_page(w["outsider"], w["case"].id),
    "case_page.read_case_page": lambda w: case_page.read_case_page(w["case"].id,
                                                                   user=w["outsider"]),
    "protected.set_protection": lambda w: protected.set_protection(
        w["outsider"], w["case"].person_id, Protection.PROTECTED_REGISTRATION),
    "drafts.save_draft": lambda w: drafts.save_draft(w["outsider"], w["case"], "kallelse",
                                                     {"purpose": "x"}),
    "drafts.load_draft": lambda w: drafts.load_draft(w["outsider"], w["case"], "kallelse"),
    "drafts.delete_draft": lambda w: drafts.delete_draft(w["outsider"], w["case"], "kallelse"),
    # Consent and the case's life (DOMAIN.md steps 1–2, 11)
    "consent.register_consent": lambda w: consent.register_consent(
        w["outsider"], w["case"], consent.ConsentInput(
            kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Allt",
            principals=[w["region"]])),
    "consent.withdraw_consent": lambda w: consent.withdraw_consent(
        w["outsider"], w["case"], withdrawn_on=clock.today(), how="Per telefon"),
    "consent.record_declined": lambda w: consent.record_declined(
        w["outsider"], w["case"], declined_on=clock.today(), note="Vill inte"),
    "consent.record_harm_assessment": lambda w: consent.record_harm_assessment(
        w["outsider"], w["case"], assessed_on=clock.today(), contacts="Dottern",
        conclusion=consent.HarmConclusion.NO_HARM),
    "guardian_answers.record_guardian_answers":
        lambda w: guardian_answers.record_guardian_answers(w["outsider"], w["case"], [
            guardian_answers.AnswerInput(PersonContact(id=0, name="Eva"), True, clock.today(),
                                         GuardianHow.PHONE)]),
    "consent.save_guardian_answers": lambda w: consent.save_guardian_answers(
        w["outsider"], w["case"], consent.ConsentInput(
            kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Allt",
            principals=[w["region"]], guardian_answers=[guardian_answers.AnswerInput(
                PersonContact(id=0, name="Eva"), True, clock.today(), GuardianHow.PHONE)])),
    "consent.consent_draft": lambda w: consent.consent_draft(w["outsider"], w["case"]),
    "guardians.add_guardian": lambda w: guardians.add_guardian(
        w["outsider"], w["case"].person, guardians.GuardianInput("Eva Ek")),
    "guardians.update_guardian": lambda w: guardians.update_guardian(
        w["outsider"], PersonContact(id=0, person=w["case"].person_id, name="Eva",
                                     kind="guardian"), guardians.GuardianInput("Eva Ek")),
    "guardians.require_may_change_guardians": lambda w: guardians.require_may_change_guardians(
        w["outsider"], w["case"].person_id),
    "guardian_removal.remove_guardian": lambda w: guardian_removal.remove_guardian(
        w["outsider"], w["case"], PersonContact(id=0, name="Eva"), reason="Ny dom"),
    "lifecycle.transition": lambda w: lifecycle.transition(
        w["outsider"], w["case"], lifecycle.Action.CLOSE, reason="Klart"),
    "lifecycle.refuse": lambda w: lifecycle.refuse(w["outsider"], w["case"], reason="Skäl"),
    "lifecycle.register_need": lambda w: lifecycle.register_need(
        w["outsider"], w["case"], lifecycle.NeedInput(
            noticed_by=lifecycle.NoticedBy.PERSON, noticed_on=clock.today(), need="Hjälp",
            question="Vem gör vad?")),
    "lifecycle.close_case": lambda w: lifecycle.close_case(
        w["outsider"], w["case"], closed_on=clock.today(),
        reason=lifecycle.ClosureReason.GOALS_MET),
    "convene.request_to_convene": lambda w: convene.request_to_convene(
        w["outsider"], w["case"], w["officer"],
        convene.ConveneInput(need="Hjälp", coordinate="Stödet", actors="Alla")),
    # Messages in the case
    "messaging.send": lambda w: messaging.send(
        w["outsider"], subject="Fråga", body="Hej!", to=[w["officer"]], case=w["case"]),
    "messaging.reply": lambda w: messaging.reply(w["outsider"], w["to_outsider"], body="Svar"),
    "messaging.forward": lambda w: messaging.forward(
        w["outsider"], w["to_outsider"], to=[w["colleague"]]),
    # The kallelse and the meeting (DOMAIN.md steps 4–7)
    "invitation.send_invitation": lambda w: invitation.send_invitation(
        w["outsider"], w["case"], good_draft(w)),
    "invitation.mark_invitation_done": lambda w: invitation.mark_invitation_done(
        w["outsider"], w["participant"]),
    "invitation.register_answer": lambda w: invitation.register_answer(
        w["outsider"], w["participant"], invitation.Answer.COMING),
    "invitation.reschedule": lambda w: invitation.reschedule(
        w["outsider"], w["meeting"], starts_at=LATER, reason="Sjuk", current=LATER),
    "invitation.cancel_meeting": lambda w: invitation.cancel_meeting(
        w["outsider"], w["meeting"], reason="Sjuk", person_told=True),
    "meeting.record_staff_meeting": lambda w: meeting.record_staff_meeting(
        w["outsider"], w["meeting"], meeting.StaffMeetingInput(
            held_on=MEETING.date(), chair="A", note_taker="B", writes_situation="C",
            writes_main_goal="D")),
    "meeting.transfer_coordinator": lambda w: meeting.transfer_coordinator(
        w["outsider"], w["case"], w["outsider"]),
    "meeting.record_mobile_team_check": lambda w: meeting.record_mobile_team_check(
        w["outsider"], w["meeting"], {"medicines": True}),
    "meeting.add_status_survey": lambda w: meeting.add_status_survey(
        w["outsider"], w["meeting"], profession="Läkare", notes="Mår bra"),
    "meeting.mark_held": lambda w: meeting.mark_held(w["outsider"], w["meeting"], {}),
    "meeting.handle_deviation": lambda w: meeting.handle_deviation(w["outsider"],
                                                                   w["deviation"]),
    "evaluation.register_evaluation": lambda w: evaluation.register_evaluation(
        w["outsider"], w["meeting"], evaluation.EvaluationInput(
            evaluation.RespondentKind.PERSON, {"listened": 5})),
    "evaluation.list_evaluations": lambda w: evaluation.list_evaluations(w["outsider"],
                                                                         w["meeting"]),
    # The plan (DOMAIN.md steps 8–11)
    "plan.start_documentation": lambda w: plan.start_documentation(w["outsider"],
                                                                   w["meeting"]),
    "plan.update_fields": lambda w: plan.update_fields(
        w["outsider"], w["plan"], {"main_goal": (w["plan"].main_goal, "Annat")}),
    "plan_lists.set_sub_goals": lambda w: plan.set_sub_goals(w["outsider"], w["plan"],
                                                             ["Ett"]),
    "plan_lists.save_sub_goals": lambda w: plan.save_sub_goals(
        w["outsider"], w["plan"], plan.sub_goals(w["plan"]), ["Ett"]),
    "plan.save_intervention": lambda w: plan.save_intervention(
        w["outsider"], w["plan"], plan.InterventionInput(
            principal_id=w["outsider"].unit.principal_id, what="Något",
            responsible="Någon", how_often="Ofta")),
    "plan.delete_intervention": lambda w: plan.delete_intervention(
        w["outsider"], w["plan"], w["intervention"].id),
    "plan_lists.set_other_actions": lambda w: plan.set_other_actions(
        w["outsider"], w["plan"], [], none=True),
    "plan_lists.save_other_actions": lambda w: plan.save_other_actions(
        w["outsider"], w["plan"], plan.others_value(w["plan"]), ((), True)),
    "plan.save_participant": lambda w: plan.save_participant(
        w["outsider"], w["plan"], name="Olle Utanför", initials="OU", profession="Läkare",
        organisation="Grannland", contact=""),
    "plan.remove_participant": lambda w: plan.remove_participant(
        w["outsider"], w["plan"], w["plan_participant"].id),
    "plan_rules.ensure_editable": lambda w: plan_rules.ensure_editable(w["outsider"],
                                                                       w["plan"]),
    "plan_approval.mark_part_finished": lambda w: plan.mark_part_finished(
        w["outsider"], w["plan"], w["region"].id),
    "plan_approval.request_approval": lambda w: plan.request_approval(w["outsider"],
                                                                      w["plan"]),
    "plan_approval.approve": lambda w: plan.approve(
        w["outsider"], w["plan"], w["region"].id, plain_language_acknowledged=True),
    "plan_approval.reopen": lambda w: plan.reopen(w["outsider"], w["plan"], reason="Fel"),
    "plan_followup.skip_follow_up": lambda w: plan.skip_follow_up(w["outsider"], w["plan"],
                                                                  reason="Flyttar"),
    "child_voice.record_feedback": lambda w: child_voice.record_feedback(
        w["outsider"], w["plan"], child_voice.FeedbackInput(told_by="Olle Utanför",
                                                            told_on=MEETING.date())),
    "plan_page.plan_page": lambda w: plan_page.plan_page(w["outsider"], w["case"],
                                                         clock.today()),
    "plan_documentation.documentation_view": lambda w: plan_documentation.documentation_view(
        w["outsider"], w["plan"].id, today=clock.today()),
    "plan_documentation.save_field": lambda w: plan_documentation.save_field(
        w["outsider"], w["plan"].id, "main_goal", w["plan"].main_goal, "Annat"),
    # What the case's dialogs open with
    "case_forms.closure_form": lambda w: case_forms.closure_form(w["outsider"], w["case"]),
    "case_forms.consent_form": lambda w: case_forms.consent_form(w["outsider"], w["case"]),
    "invitation_start.invitation_start": lambda w: invitation_start.invitation_start(
        w["outsider"], w["case"].id),
    "invitation_start.send_from_wizard": lambda w: invitation_start.send_from_wizard(
        w["outsider"], w["case"].id, good_draft(w), current=LATER),
    # A new message about the case
    "message_page.compose_start": lambda w: message_page.compose_start(
        w["outsider"], case_id=w["case"].id),
    # The approved plan as data (issue 15; refused before it finds there is no approved one)
    "plan_json.plan_document": lambda w: plan_json.plan_document(w["outsider"], w["case"].id),
    "plan_json.export_plan": lambda w: plan_json.export_plan(
        w["outsider"], w["case"].id, w["tmp"] / "plan.json"),
}

# Public functions with a user parameter that need no check of their own, and why.
NOT_ABOUT_ONE_CASE: dict[str, str] = {
    # No case involved
    "audit.record": "writes the log line inside a use case that has checked",
    "auth.unlock_desk": "the user's own password, to open the locked desk",
    "cases.create_case": "makes a new case: there is none to see yet",
    "cases.create_case_for_new_person": "makes a new case: there is none to see yet",
    "cases.count_cases": "a list: filtered by access.visible_cases",
    "cases.fetch_cases": "a list: filtered by access.visible_cases",
    "protected.name_visible": "the rule for a protected person's name in the case list: an "
                              "SQL condition beside access.visible_cases",
    "protected.found_by_name_only_if_visible": "the same rule for a search in the case list",
    "protected.may_see_name": "the same rule for a case the caller has read (and checked)",
    "protected.person_name_visible": "the same rule for the new-case dialog's person search "
                                     "(people.search_persons)",
    "protected.may_see_person": "the same rule for a person the search has found",
    "protected.may_set_protection": "the rule protected.set_protection checks",
    "contacts.can_edit": "the directory of organisations and contacts, no case",
    "contacts.add_organisation": "the directory, no case",
    "contacts.add_contact": "the directory, no case",
    "contacts.update_contact": "the directory, no case",
    "people.create_person": "a person, not a case (cases.create_case follows)",
    "people.add_contact": "a person's relative or representative, not a case",
    "guardian_answers.link_to_consent": "inside consent.register_consent, which checks the "
                                        "case first",
    "plan_reads.principals_of_user": "the user's own principals, no case",
    "todo.waiting_for_my_ack": "the user's own receipts",
    "todo.others_not_acknowledged": "the user's own sent messages",
    "todo.reapproval_rows": "Att göra: filtered by access.visible_case_ids",
    "todo.lapsing_consents": "Att göra: filtered by access.visible_case_ids",
    "todo.meeting_rows": "Att göra: filtered by access.visible_case_ids",
    "todo.deviation_rows": "Att göra: filtered by access.visible_case_ids",
    "evaluation.evaluation_summary": "statistics over many cases: filtered by "
                                     "access.visible_cases",
    "evaluation.evaluation_summaries_by_unit": "statistics over many cases: filtered by "
                                               "access.visible_cases",
    "todo.plan_rows": "Att göra: filtered by access.visible_case_ids",
    "todo.documentation_due_rows": "Att göra: filtered by access.visible_case_ids",
    "todo.child_feedback_rows": "Att göra: filtered by access.visible_case_ids",
    "todo.todo_for": "Att göra: filtered by access.visible_case_ids",
    "todo.cases_waiting_for": "the user's own receipts, case ids for the case list",
    "todo.draft_rows": "the user's own drafts",
    "meeting.end_kvittens_of_passed_meetings": "the user's own sent and received kallelser",
    "meeting.end_kvittens_of_passed_cancellations": "the user's own sent and received notices",
    "meeting.open_deviations_for": "a list: the unit manager's own unit's cases, or all for "
                                   "the administrator",
    "mailbox.badge": "the user's own unread and waiting messages",
    "message_page.opened_message": "a message: only its sender and recipients (open_message)",
    "message_page.message_case": "finds a case by number among those the user may see; another "
                                 "is answered like one that does not exist",
    "message_page.compose_problems": "checks the case number with message_case",
    "mailbox.folder_count": "the user's own mail; a case id only narrows it",
    "mailbox.folder_rows": "the user's own mail; a case id only narrows it",
    # Their own, narrower rule
    "mailbox.open_message": "a message: only its sender and recipients (ensure_involved)",
    "mailbox.mail_row": "a message: only its sender and recipients",
    "mailbox.thread_for": "a message: only its sender and recipients (ensure_involved)",
    "message_receipts.ensure_involved": "the message rule itself",
    "message_receipts.mark_read": "only the user's own receipt",
    "message_receipts.acknowledge": "only the user's own receipt",
    "message_receipts.acknowledge_if_waiting": "only the user's own receipt",
    "message_receipts.receipts_of": "only the message's sender",
    "messaging.withdraw": "only the message's sender",
    "invitation.invitation_for": "only the user's own place in a meeting (then they are "
                                 "invited, and may see the case)",
    "invitation.answer_invitation": "only the user's own place in a meeting; the answer goes "
                                    "through register_answer, which checks",
    "convene.accept": "only the user the request to convene is addressed to, who takes the "
                      "case on and becomes its coordinator",
    "plan_rules.may_write_for": "a question about a principal's part, asked of a plan already "
                                "read through a checked use case (plan_page); changes nothing",
    "plan_commands.plan_commands": "no query: what plan_page (checked) read, and the rules",
    # The audit log's reads (issue 12)
    "read_log.record_output": "writes the log line of a print of a case the screen read "
                              "through a checked use case",
    "read_log.record_plans_output": "writes the log lines of a print of plans the user listed",
    "read_log.record_number_search": "writes the log line of a search; reveals nothing",
    "people.find_by_number": "a person, not a case; the actor only for the log",
    "people.search_persons": "a person, not a case; the actor only for the log",
    "register_extract.register_extract": "administrators only, a rule of its own "
                                         "(tests/core/test_register_extract.py)",
    # Demo data, made on a new database through the checked use cases
    "demo_showcase.child_voice_and_school_case": "demo data: builds a case through the "
                                                 "checked use cases, acting as its own users",
    # User administration (issue 12): administrators only, a rule of its own
    # (tests/core/test_user_admin.py); about accounts, not cases.
    "user_admin.is_administrator": "the rule itself: whether the user administers users",
    "user_admin.users": "administrators only (user_admin), no case",
    "user_admin.unit_choices": "administrators only (user_admin), no case",
    "user_admin.add_user": "administrators only (user_admin), no case",
    "user_admin.deactivate_user": "administrators only (user_admin), no case",
    "user_admin.reactivate_user": "administrators only (user_admin), no case",
    "user_admin.set_password": "administrators only (user_admin), no case",
    # Statistics (issue 15): counts only, over the cases the user may see
    "compute.statistics_for": "a list: counts over access.visible_cases, no case named",
    "compute.scope_choices": "the units and principals to choose among; no case",
    "compute.record_report_printed": "writes the log line of a printed statistics report: "
                                     "counts over access.visible_cases, no case named",
    # Export (issue 15)
    "case_rows.count_cases": "a list: filtered by access.visible_cases",
    "case_rows.case_rows": "a list: filtered by access.visible_cases",
    "case_files.export_cases": "a list: its rows are case_rows's, filtered by "
                               "access.visible_cases",
}


def public_functions_with_a_user() -> set[str]:
    """`module.function` for every public module-level function in sipdesk/ that takes the
    acting user, read from the source (so a re-export is counted once, where it is defined)."""
    found = set()
    for path in sorted(Path(sipdesk.__file__).parent.rglob("*.py")):
        if path.stem in RULE_MODULES or "migrations" in path.parts:
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            if {a.arg for a in arguments} & USER_PARAMETERS:
                found.add(f"{path.stem}.{node.name}")
    return found


def test_every_public_function_with_a_user_is_in_one_list() -> None:
    """DOMAIN.md, Data protection (access only for those who work with the case or its unit):
    a new use case that acts for a user is either checked (in REFUSED, with a call that shows
    it refuses an outsider) or says here why it needs no check — it cannot be forgotten."""
    found = public_functions_with_a_user()
    assert not set(REFUSED) & set(NOT_ABOUT_ONE_CASE)
    unlisted = found - set(REFUSED) - set(NOT_ABOUT_ONE_CASE)
    assert not unlisted, f"add to REFUSED or NOT_ABOUT_ONE_CASE: {sorted(unlisted)}"
    stale = (set(REFUSED) | set(NOT_ABOUT_ONE_CASE)) - found
    assert not stale, f"no longer public functions with a user: {sorted(stale)}"


def everything(db: peewee.Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to see that a refused call changed nothing."""
    rows = {}
    for table in db.get_tables():
        cursor = db.execute_sql(f'SELECT * FROM "{table}"')
        rows[table] = sorted((tuple(row) for row in cursor.fetchall()), key=repr)
    return rows


@pytest.fixture
def world(db: peewee.Database, tmp_path: Path) -> World:
    """A case with consent, a held meeting, its plan filled in, a deviation, a draft and a
    message sent to the outsider; the outsider and a colleague of theirs."""
    w = plan_world()
    fill(w)
    w["plan"] = plan.get_version(w["plan"].id)
    grannland = make_unit("Vårdcentralen Grannby", principal="Region Grannland",
                          kind=PrincipalKind.REGION)
    w["outsider"] = make_user("olle.ut", unit=grannland, role=Role.UNIT_MANAGER,
                              full_name="Olle Utanför")
    w["colleague"] = make_user("kim.granne", unit=grannland, full_name="Kim Granne")
    w["participant"] = invitation.participants_of(w["meeting"])[0]
    w["deviation"] = meeting.Deviation.create(
        meeting=w["meeting"], participant=w["participant"], principal_name="Region Exempelland",
        meeting_date=MEETING.date())
    w["intervention"] = plan.interventions(w["plan"])[0]
    w["plan_participant"] = plan.participants(w["plan"])[0]
    w["to_outsider"] = messaging.send(w["officer"], subject="Till fel person", body="Hej",
                                      to=[w["outsider"]], case=w["case"])
    _draft_in(w)
    w["tmp"] = tmp_path
    return w


def test_an_outsider_is_refused_by_every_use_case_and_nothing_changes(
        db: peewee.Database, world: World) -> None:
    """DOMAIN.md, Data protection (access only for those who work with the case or its unit):
    every use case in REFUSED refuses a user of another principal, who neither coordinates the
    case nor is invited, with the one Swedish sentence (access.NOT_YOURS) — before it writes
    anything, logs an opening or tells what state the case is in."""
    assert not access.can_see(world["outsider"], world["case"])
    assert access.can_see(world["nurse"], world["case"])  # invited: another principal may
    wrong = []
    for name, call in REFUSED.items():
        before = everything(db)
        try:
            call(world)  # not in a transaction of ours: a write before the refusal would stay
        except PermissionDenied as refused:
            if refused.message != access.NOT_YOURS:
                wrong.append(f"{name}: refused with {refused.message!r}")
        except Exception as other:  # any other outcome is a failure, listed with the rest
            wrong.append(f"{name}: {type(other).__name__}: {other}")
        else:
            wrong.append(f"{name}: allowed")
        if everything(db) != before:
            wrong.append(f"{name}: changed the database")
    assert not wrong, "\n".join(wrong)


def test_the_readers_find_the_case_of_what_they_are_given(world: World) -> None:
    """The helpers that read the case of a meeting, a participant or a plan version for a
    use case (sipdesk.accounts.access) find the right case for a user who may see it, in one
    query."""
    officer, case = world["officer"], world["case"]
    assert access.case_for(officer, case.id).id == case.id
    assert access.meeting_case(officer, world["meeting"]).id == case.id
    assert access.meeting_case(officer, world["participant"].meeting_id).id == case.id
    assert access.plan_case(world["nurse"], world["plan"]).id == case.id
    with pytest.raises(PermissionDenied):
        access.meeting_case(world["outsider"], world["participant"].meeting_id)


def test_a_row_of_another_cases_plan_is_not_reached_through_ones_own(
        db: peewee.Database, world: World) -> None:
    """DOMAIN.md, Data protection (access only for those who work with the case or its unit):
    a use case given a plan version the user may see and a row by its id (an intervention, a
    participant) refuses a row of another version — else another case's plan, one the user may
    not see, could be changed through their own."""
    theirs = cases.create_case(world["colleague"], person=make_person(PNR_OTHER, "Bo", "Ek"))
    copy = clone_plan(world["plan"], theirs, approved=False)
    officer, mine = world["officer"], world["plan"]
    assert not access.can_see(officer, theirs)
    before = everything(db)
    item = next(i for i in plan.interventions(copy)
                if plan.may_write_for(officer, mine, i.principal_id))
    with pytest.raises(PermissionDenied, match=plan.OTHER_INTERVENTION):
        plan.delete_intervention(officer, mine, item.id)
    with pytest.raises(PermissionDenied, match=plan.OTHER_INTERVENTION):
        plan.save_intervention(officer, mine, plan.InterventionInput(
            principal_id=item.principal_id, what="Ändrad", responsible="Någon",
            how_often="Ofta"), intervention_id=item.id)
    row = plan.participants(copy)[0]
    with pytest.raises(PermissionDenied, match=plan.OTHER_PARTICIPANT):
        plan.save_participant(officer, mine, name="Ändrad", initials="ÄN", profession="",
                              organisation="", contact="", participant_id=row.id)
    with pytest.raises(PermissionDenied, match=plan.OTHER_PARTICIPANT):
        plan.remove_participant(officer, mine, row.id)
    assert everything(db) == before
