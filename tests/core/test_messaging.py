"""Messages with kvittens on both engines: send, read, acknowledge, withdraw, forward, reply,
the badge and the folders, and every bad input refused in Swedish."""

from __future__ import annotations

import threading

import peewee
import pytest

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.casework import lifecycle
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder, MessageKind
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, Law, PrincipalKind, User
from tests.factories import make_case, make_unit, make_user


@pytest.fixture
def team(db: peewee.Database) -> dict[str, object]:
    north = make_unit("Hemtjänst Norr")
    region = make_unit("Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    anna = make_user("anna.berg", unit=north)
    maria = make_user("maria.holm", unit=north, full_name="Maria Holm")
    lena = make_user("lena.strand", unit=north, full_name="Lena Strand")
    per = make_user("per.nord", unit=region, full_name="Per Nord")
    case = make_case(anna)
    return {"anna": anna, "maria": maria, "lena": lena, "per": per, "case": case,
            "north": north}


def send_ack(team: dict, to: list[User]) -> messaging.Message:
    return messaging.send(team["anna"], subject="Kallelse till SIP-möte", body="Välkomna!",
                          to=to, case=team["case"], kind=MessageKind.INVITATION,
                          requires_ack=True)


def test_send_read_and_acknowledge(team: dict) -> None:
    anna, maria, per = team["anna"], team["maria"], team["per"]
    message = send_ack(team, [maria, per])
    assert messaging.badge(maria) == messaging.Badge(unread=1, unacknowledged=1)
    assert messaging.ack_summary(message.id) == "0 av 2 har kvitterat"

    messaging.open_message(maria, message.id)
    assert messaging.badge(maria) == messaging.Badge(unread=0, unacknowledged=1)
    assert messaging.receipts_of(anna, message.id)[0].state.startswith("Läst")

    receipt = messaging.acknowledge(maria, message.id)
    assert receipt.acknowledged_at is not None
    assert messaging.badge(maria) == messaging.Badge(unread=0, unacknowledged=0)
    assert messaging.ack_summary(message.id) == "1 av 2 har kvitterat"
    lines = {line.recipient: line.state for line in messaging.receipts_of(anna, message.id)}
    assert lines["Maria Holm"].startswith("Kvitterat")
    assert lines["Per Nord"] == "Inte läst än"


def test_messages_and_receipts_appear_in_the_case_log(team: dict) -> None:
    message = send_ack(team, [team["maria"]])
    messaging.acknowledge(team["maria"], message.id)
    summaries = [line.summary for line in audit.case_log(team["case"].id)]
    assert summaries[0] == "Kvitterade: Kallelse till SIP-möte"
    assert summaries[1] == ("Kallelse skickat med kvittens till 1 mottagare: "
                            "Kallelse till SIP-möte")


def test_a_unit_as_recipient_means_its_active_users(team: dict) -> None:
    User.update(active=False).where(User.id == team["lena"].id).execute()
    message = messaging.send(team["per"], subject="Till hemtjänsten", body="Hej",
                             to_units=[team["north"]], requires_ack=True)
    got = {line.recipient for line in messaging.receipts_of(team["per"], message.id)}
    assert got == {"Anna Berg", "Maria Holm"}
    assert message.to_units == "Hemtjänst Norr"


@pytest.mark.parametrize(("changes", "field", "text"), [
    ({"subject": "  "}, "subject", "Skriv en rubrik."),
    ({"body": ""}, "body", "Skriv ett meddelande."),
    ({"to": []}, "recipients", "Välj minst en mottagare."),
    ({"subject": "x" * 201}, "subject", "högst 200 tecken"),
])
def test_bad_messages_are_refused(team: dict, changes: dict, field: str, text: str) -> None:
    values = {"subject": "Rubrik", "body": "Text", "to": [team["maria"]]}
    values.update(changes)
    with pytest.raises(ValidationError) as info:
        messaging.send(team["anna"], **values)
    assert info.value.field == field and text in info.value.message


def test_inactive_recipient_is_refused(team: dict) -> None:
    User.update(active=False).where(User.id == team["maria"].id).execute()
    with pytest.raises(ValidationError) as info:
        messaging.send(team["anna"], subject="R", body="T",
                       to=[User.get_by_id(team["maria"].id)])
    assert "Maria Holm är inte längre aktiv" in info.value.message


def test_a_recipient_deactivated_after_being_chosen_is_refused(team: dict) -> None:
    """The object a window holds may be older than the deactivation: the database decides."""
    chosen = team["maria"]
    User.update(active=False).where(User.id == chosen.id).execute()
    assert chosen.active  # stale
    with pytest.raises(ValidationError) as info:
        messaging.send(team["anna"], subject="R", body="T", to=[chosen])
    assert info.value.field == "recipients"
    assert "Maria Holm är inte längre aktiv" in info.value.message


def test_message_to_a_case_the_sender_cannot_see_is_refused(team: dict) -> None:
    with pytest.raises(PermissionDenied) as info:
        messaging.send(team["per"], subject="R", body="T", to=[team["anna"]], case=team["case"])
    assert info.value.message == "Du har inte behörighet till det ärendet."
    assert info.value.field == "case"


def test_acknowledging_twice_or_someone_elses_is_refused(team: dict) -> None:
    message = send_ack(team, [team["maria"]])
    messaging.acknowledge(team["maria"], message.id)
    with pytest.raises(ValidationError) as info:
        messaging.acknowledge(team["maria"], message.id)
    assert info.value.message == "Du har redan kvitterat meddelandet."
    with pytest.raises(PermissionDenied) as denied:
        messaging.acknowledge(team["lena"], message.id)
    assert denied.value.message == "Du kan bara kvittera dina egna meddelanden."
    with pytest.raises(NotFoundError):
        messaging.acknowledge(team["maria"], 999_999)


def test_withdrawing_keeps_the_message_visible_and_ends_the_need_to_acknowledge(
    team: dict,
) -> None:
    message = send_ack(team, [team["maria"]])
    with pytest.raises(PermissionDenied) as denied:
        messaging.withdraw(team["maria"], message.id, reason="fel")
    assert "bara makulera meddelanden som du själv har skickat" in denied.value.message
    with pytest.raises(ValidationError):
        messaging.withdraw(team["anna"], message.id, reason=" ")
    messaging.withdraw(team["anna"], message.id, reason="Fel datum i kallelsen")
    rows = messaging.folder_rows(team["maria"], Folder.INBOX)
    assert [(r.subject, r.withdrawn) for r in rows] == [("Kallelse till SIP-möte", True)]
    assert messaging.badge(team["maria"]).unacknowledged == 0
    with pytest.raises(ValidationError) as info:
        messaging.acknowledge(team["maria"], message.id)
    assert "makulerat" in info.value.message
    with pytest.raises(ValidationError):
        messaging.withdraw(team["anna"], message.id, reason="igen")


def test_forward_within_own_organisation_keeps_the_case(team: dict) -> None:
    message = send_ack(team, [team["maria"]])
    forwarded = messaging.forward(team["maria"], message, to=[team["lena"]], note="Kan du gå?")
    assert forwarded.case_id == team["case"].id
    assert forwarded.subject == "Vb: Kallelse till SIP-möte"
    assert "Kan du gå?" in forwarded.body and "Välkomna!" in forwarded.body
    with pytest.raises(ValidationError) as info:
        messaging.forward(team["maria"], message, to=[team["per"]])
    assert "annan organisation" in info.value.message
    with pytest.raises(PermissionDenied):
        messaging.forward(team["per"], message, to=[team["per"]])


def test_replies_form_a_thread(team: dict) -> None:
    first = send_ack(team, [team["maria"]])
    answer = messaging.reply(team["maria"], first, body="Jag kommer.")
    again = messaging.reply(team["anna"], answer, body="Tack!")
    assert answer.subject == "Sv: Kallelse till SIP-möte" and again.subject == answer.subject
    assert [m.id for m in messaging.thread_of(again)] == [first.id, answer.id, again.id]
    assert messaging.folder_rows(team["anna"], Folder.INBOX)[0].message_id == answer.id


def test_folders_search_and_case_filter(team: dict) -> None:
    anna, maria = team["anna"], team["maria"]
    other_case = make_case(anna, team["case"].person)
    waiting = send_ack(team, [maria])
    messaging.send(anna, subject="Fika på fredag", body="Välkommen", to=[maria])
    messaging.send(anna, subject="Om ärendet", body="Anteckning", to=[maria], case=other_case)

    def subjects(user: User, folder: Folder, **kw: object) -> list[str]:
        return [r.subject for r in messaging.folder_rows(user, folder, **kw)]

    assert subjects(maria, Folder.INBOX) == ["Om ärendet", "Fika på fredag",
                                             "Kallelse till SIP-möte"]
    assert subjects(maria, Folder.AWAITING_MY_ACK) == ["Kallelse till SIP-möte"]
    assert subjects(anna, Folder.AWAITING_OTHERS) == ["Kallelse till SIP-möte"]
    assert len(subjects(anna, Folder.SENT)) == 3
    assert subjects(maria, Folder.INBOX, text="fika") == ["Fika på fredag"]
    assert subjects(maria, Folder.INBOX, text=other_case.number) == ["Om ärendet"]
    assert subjects(maria, Folder.INBOX, text="anna b") == subjects(maria, Folder.INBOX)
    assert subjects(maria, Folder.INBOX, case_id=team["case"].id) == ["Kallelse till SIP-möte"]
    assert messaging.folder_count(maria, Folder.INBOX) == 3
    messaging.acknowledge(maria, waiting.id)
    assert subjects(anna, Folder.AWAITING_OTHERS) == []


def test_closing_a_case_tells_its_users_with_kvittens(team: dict) -> None:
    """DOMAIN step 11: everyone is told via a message requiring acknowledgement."""
    case: Case = team["case"]
    send_ack(team, [team["maria"], team["per"]])
    lifecycle.close_case(team["anna"], Case.get_by_id(case.id), closed_on=clock.today(),
                         reason=lifecycle.ClosureReason.GOALS_MET)
    rows = messaging.folder_rows(team["per"], Folder.AWAITING_MY_ACK)
    assert rows[0].subject == f"Ärendet avslutas: {case.number}"
    assert rows[0].kind is MessageKind.CLOSURE and rows[0].requires_ack


def test_two_clients_acknowledging_at_the_same_moment(team: dict) -> None:
    """Both succeed and nothing is counted twice (each on its own connection)."""
    message = send_ack(team, [team["maria"], team["lena"]])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def client(user_id: int) -> None:
        try:
            barrier.wait(timeout=5)
            messaging.acknowledge(User.get_by_id(user_id), message.id)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=client, args=(u.id,))
               for u in (team["maria"], team["lena"])]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert errors == []
    assert messaging.ack_summary(message.id) == "2 av 2 har kvitterat"
    assert messaging.receipts_of(team["anna"], message.id)[0].acknowledged_at is not None


def test_mail_row_shows_a_message_without_marking_it_read(team: dict) -> None:
    anna, maria, per = team["anna"], team["maria"], team["per"]
    message = send_ack(team, [maria])
    row = messaging.mail_row(maria, message.id)
    assert row is not None and row.subject == "Kallelse till SIP-möte" and row.sender == "Anna Berg"
    assert not row.read and row.requires_ack and row.case_number == team["case"].number
    assert messaging.badge(maria).unread == 1  # looking at the row is not reading
    sent = messaging.mail_row(anna, message.id)
    assert sent is not None and sent.read  # as sent
    assert messaging.mail_row(per, message.id) is None


def test_recipients_of_several_messages_in_one_go(team: dict) -> None:
    anna, maria, per = team["anna"], team["maria"], team["per"]
    first = send_ack(team, [per, maria])
    second = messaging.send(anna, subject="Info", body="Hej", to=[maria])
    messaging.acknowledge(per, first.id)
    got = messaging.recipients_of([first.id, second.id])
    assert got[first.id] == messaging.Recipients(("Maria Holm", "Per Nord"), acknowledged=1)
    assert got[first.id].total == 2
    assert got[second.id].names == ("Maria Holm",) and got[second.id].acknowledged == 0
    assert messaging.recipients_of([]) == {}


def test_thread_for_shows_only_what_the_user_sent_or_received(team: dict) -> None:
    anna, maria, per = team["anna"], team["maria"], team["per"]
    first = messaging.send(anna, subject="Fråga", body="Kan ni komma?", to=[maria, per])
    answer = messaging.reply(maria, first, body="Ja")  # to Anna only
    assert [m.id for m in messaging.thread_for(anna, answer)] == [first.id, answer.id]
    assert [m.id for m in messaging.thread_for(per, first)] == [first.id]
    assert messaging.thread_for(maria, first)[1].sender.full_name == "Maria Holm"


def test_recipient_units_are_those_with_active_users(team: dict) -> None:
    make_unit("Tom enhet")
    per = team["per"]
    per.active = False
    per.save()
    choices = messaging.recipient_units()
    assert [(c.unit.name, c.principal, c.active_users) for c in choices] == [
        ("Hemtjänst Norr", "Exempelby kommun", 3)]


def test_message_problems_lists_every_field_at_once(team: dict) -> None:
    assert messaging.message_problems(subject=" ", body="", to=[]) == {
        "subject": "Skriv en rubrik.", "body": "Skriv ett meddelande.",
        "recipients": "Välj minst en mottagare."}
    assert messaging.message_problems(subject="x" * 201, body="Hej", to=[team["maria"]]) == {
        "subject": "Rubriken får vara högst 200 tecken."}
    assert messaging.message_problems(subject="Hej", body="Hej", to_units=[team["north"]]) == {}
