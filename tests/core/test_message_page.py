"""What the inbox's windows read (sipdesk.desk.message_page), on both engines: one message as the
reading pane shows it — to its recipient, to its sender, withdrawn, a kallelse still to answer —
and what a new message, a reply or a forward starts from, with a new message's problems all at
once."""

from __future__ import annotations

import peewee
import pytest

from sipdesk import clock
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import ClosureReason
from sipdesk.desk import message_page
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.meetings import invitation
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder, MessageKind
from sipdesk.storage.models import Case, Law, PrincipalKind, User
from tests.factories import make_case, make_unit, make_user
from tests.scenarios import NOW, good_draft, kallelse_world


@pytest.fixture
def team(db: peewee.Database) -> dict[str, object]:
    north = make_unit("Hemtjänst Norr")
    region = make_unit("Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    anna = make_user("anna.berg", unit=north, full_name="Anna Berg")
    maria = make_user("maria.holm", unit=north, full_name="Maria Holm")
    per = make_user("per.nord", unit=region, full_name="Per Nord")
    return {"anna": anna, "maria": maria, "per": per, "case": make_case(anna),
            "north": north}


# ---- the reading pane ---------------------------------------------------------------------------

def test_a_recipient_opens_a_message_and_it_is_read(team: dict) -> None:
    anna, maria, case = team["anna"], team["maria"], team["case"]
    sent = messaging.send(anna, subject="Möte", body="Tisdag kl. 13", to=[maria], case=case,
                          requires_ack=True)
    assert messaging.badge(maria).unread == 1
    opened = message_page.opened_message(maria, sent.id)
    assert messaging.badge(maria).unread == 0  # opening marks it read
    assert (opened.subject, opened.body, opened.sender, opened.sender_unit) == (
        "Möte", "Tisdag kl. 13", "Anna Berg", "Hemtjänst Norr")
    assert (opened.case_id, opened.case_number) == (case.id, case.number)
    assert opened.recipients.names == ("Maria Holm",)
    assert not opened.viewer_is_sender and opened.requires_ack and not opened.acknowledged
    assert opened.receipts == ()  # only the sender sees who has read
    assert opened.answer == "" and not opened.case_closed and opened.withdrawn_reason is None
    assert [entry.subject for entry in opened.thread] == ["Möte"]


def test_the_sender_sees_the_receipts_and_a_withdrawn_message_says_so(team: dict) -> None:
    anna, maria = team["anna"], team["maria"]
    sent = messaging.send(anna, subject="Fel tid", body="Tisdag", to=[maria], requires_ack=True)
    messaging.acknowledge(maria, sent.id)
    opened = message_page.opened_message(anna, sent.id)
    assert opened.viewer_is_sender and opened.ack_summary == "1 av 1 har kvitterat"
    assert [line.recipient for line in opened.receipts] == ["Maria Holm"]
    assert opened.case_number == ""

    messaging.withdraw(anna, sent.id, reason="Fel dag")
    gone = message_page.opened_message(maria, sent.id)
    assert gone.withdrawn_reason == "Fel dag"
    assert gone.withdrawn_text.startswith("Makulerat ") and gone.withdrawn_text.endswith(
        " av Anna Berg")


def test_a_message_is_not_opened_by_someone_outside_it(team: dict) -> None:
    sent = messaging.send(team["anna"], subject="Info", body="Hej", to=[team["maria"]])
    with pytest.raises(PermissionDenied):
        message_page.opened_message(team["per"], sent.id)
    with pytest.raises(NotFoundError):
        message_page.opened_message(team["anna"], sent.id + 1000)


def test_a_kallelse_offers_an_answer_until_the_case_ends(db: peewee.Database) -> None:
    world = kallelse_world()
    invitation.send_invitation(world["officer"], world["case"], good_draft(world), current=NOW)
    row = messaging.folder_rows(world["nurse"], Folder.INBOX)[0]
    opened = message_page.opened_message(world["nurse"], row.message_id)
    assert opened.kind is MessageKind.INVITATION
    assert opened.answer == "Inget svar än"
    assert opened.substitute_required  # a professional names a substitute

    lifecycle.close_case(world["officer"], Case.get_by_id(world["case"].id),
                         closed_on=clock.today(), reason=ClosureReason.NO_MORE_NEED)
    ended = message_page.opened_message(world["nurse"], row.message_id)
    assert ended.case_closed and ended.answer == ""


# ---- writing ------------------------------------------------------------------------------------

def test_a_new_message_offers_everyone_active_but_the_writer_and_the_units(team: dict) -> None:
    anna = team["anna"]
    start = message_page.compose_start(anna)
    assert [u.full_name for u in start.users] == ["Maria Holm", "Per Nord"]
    assert [c.unit.name for c in start.units] == ["Hemtjänst Norr", "Vårdcentralen Exempelby"]
    assert start.original is None and start.case_id is None and start.case_users == ()


def test_a_new_message_in_a_case_offers_the_cases_users(team: dict) -> None:
    anna, maria, case = team["anna"], team["maria"], team["case"]
    messaging.send(maria, subject="Fråga", body="Hej", to=[anna], case=case)
    start = message_page.compose_start(anna, case_id=case.id)
    assert (start.case_id, start.case_number) == (case.id, case.number)
    assert set(start.case_users) == {anna.id, maria.id}


def test_a_reply_keeps_subject_and_case_and_goes_to_the_other_party(team: dict) -> None:
    anna, maria, case = team["anna"], team["maria"], team["case"]
    sent = messaging.send(anna, subject="Möte", body="Hej", to=[maria], case=case)
    start = message_page.compose_start(maria, reply_to=sent.id)
    assert (start.reply_to, start.reply_target, start.original_subject) == (
        sent.id, "Anna Berg", "Möte")
    assert start.case_number == case.number and start.users == () and start.units == ()
    own = message_page.compose_start(anna, reply_to=sent.id)
    assert own.reply_target == "Alla som fick meddelandet"
    with pytest.raises(PermissionDenied):
        message_page.compose_start(team["per"], reply_to=sent.id)


def test_a_forward_stays_in_the_organisation_and_keeps_the_kvittens(team: dict) -> None:
    anna, maria, case = team["anna"], team["maria"], team["case"]
    lena = make_user("lena.strand", unit=team["north"], full_name="Lena Strand")
    sent = messaging.send(anna, subject="Möte", body="Hej", to=[maria], case=case,
                          requires_ack=True)
    start = message_page.compose_start(maria, forward=sent.id)
    assert [u.id for u in start.users] == [anna.id, lena.id]  # not Per, in the region
    assert start.units == () and start.requires_ack and start.case_number == case.number


def test_a_new_messages_problems_come_all_at_once_in_form_order(team: dict) -> None:
    anna = team["anna"]
    problems = message_page.compose_problems(anna, subject=" ", body="", to=[], to_units=[],
                                             case_number="SIP-1999-0001")
    assert list(problems) == ["recipients", "subject", "body", "case"]
    assert problems["case"] == (
        "Det finns inget ärende med nummer SIP-1999-0001 som du kan se.")
    assert message_page.compose_problems(anna, subject="Möte", body="Hej", to=[team["maria"]],
                                         to_units=[], case_number="") == {}


def test_the_case_of_a_new_message_is_one_the_writer_may_see(team: dict) -> None:
    case: Case = team["case"]
    per: User = team["per"]
    assert message_page.message_case(team["anna"], "  ") is None
    assert message_page.message_case(team["anna"], case.number.lower()).id == case.id
    with pytest.raises(ValidationError) as refused:
        message_page.message_case(per, case.number)
    assert refused.value.field == "case"
