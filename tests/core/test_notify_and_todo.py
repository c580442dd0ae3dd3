"""Live notification between two clients (PostgreSQL LISTEN/NOTIFY, SQLite data_version) and
the computed "Att göra" list."""

from __future__ import annotations

import datetime as dt
import queue
import time
from pathlib import Path

import peewee
import pytest

from sipdesk import settings
from sipdesk.casework import consent, drafts
from sipdesk.desk import todo
from sipdesk.messages import messaging
from sipdesk.messages.messaging import MessageKind
from sipdesk.messages.notify import APPLICATION_NAME, DataVersionWatcher, Listener
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from sipdesk.storage.models import Case, Principal, PrincipalKind, User
from tests.factories import make_case, make_unit, make_user
from tests.waiting import pause


def make_pair() -> tuple[User, User, Case]:
    unit = make_unit()
    anna = make_user("anna.berg", unit=unit)
    maria = make_user("maria.holm", unit=unit, full_name="Maria Holm")
    return anna, maria, make_case(anna)


@pytest.fixture
def pair(db: peewee.Database) -> tuple[User, User, Case]:
    return make_pair()


@pytest.fixture
def pg_pair(pg_db: peewee.Database) -> tuple[User, User, Case]:
    return make_pair()


def wait_for(events: queue.Queue[dict], predicate, timeout: float) -> tuple[dict, float]:
    started = time.perf_counter()
    while True:
        left = timeout - (time.perf_counter() - started)
        if left <= 0:
            raise AssertionError("no matching notification in time")
        event = events.get(timeout=left)
        if predicate(event):
            return event, time.perf_counter() - started


def test_two_clients_on_postgresql_hear_each_other_within_a_second(
    pg_url: DatabaseUrl, pg_pair: tuple[User, User, Case]
) -> None:
    """Client A sends; B's listener hears it within 1 s. B acknowledges; A hears that."""
    anna, maria, case = pg_pair
    heard_by_b: queue.Queue[dict] = queue.Queue()
    heard_by_a: queue.Queue[dict] = queue.Queue()
    b = Listener(pg_url, password=None, on_event=heard_by_b.put)
    a = Listener(pg_url, password=None, on_event=heard_by_a.put)
    b.start()
    a.start()
    try:
        assert b.wait_until_listening() and a.wait_until_listening()
        message = messaging.send(anna, subject="Kallelse", body="Hej", to=[maria], case=case,
                                 kind=MessageKind.INVITATION, requires_ack=True)
        event, seconds = wait_for(heard_by_b, lambda e: e["event"] == "message", 1.0)
        assert event == {"event": "message", "message": message.id, "users": [maria.id]}
        assert seconds < 1.0

        messaging.acknowledge(maria, message.id)
        event, seconds = wait_for(heard_by_a, lambda e: e["event"] == "acknowledged", 1.0)
        assert anna.id in event["users"] and seconds < 1.0
        assert messaging.ack_summary(event["message"]) == "1 av 1 har kvitterat"
    finally:
        a.stop()
        b.stop()


def test_listener_comes_back_after_a_dropped_connection(
    pg_url: DatabaseUrl, pg_pair: tuple[User, User, Case]
) -> None:
    anna, maria, _case = pg_pair
    heard: queue.Queue[dict] = queue.Queue()
    states: list[bool] = []
    listener = Listener(pg_url, password=None, on_event=heard.put, on_state=states.append)
    listener.start()
    try:
        assert listener.wait_until_listening()
        database.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = %s AND datname = %s", (APPLICATION_NAME, pg_url.name))
        deadline = time.monotonic() + 5
        while states.count(True) < 2 and time.monotonic() < deadline:
            pause(0.05)
        assert states[:3] == [True, False, True]
        assert listener.wait_until_listening()
        messaging.send(anna, subject="Efter avbrottet", body="Hej", to=[maria])
        event, _ = wait_for(heard, lambda e: e["event"] == "message", 1.0)
        assert event["users"] == [maria.id]
    finally:
        listener.stop()


def test_nothing_is_announced_for_a_rolled_back_send(
    pg_url: DatabaseUrl, pg_pair: tuple[User, User, Case]
) -> None:
    anna, maria, _case = pg_pair
    heard: queue.Queue[dict] = queue.Queue()
    listener = Listener(pg_url, password=None, on_event=heard.put)
    listener.start()
    try:
        assert listener.wait_until_listening()
        with pytest.raises(RuntimeError), database.atomic():
            messaging.send(anna, subject="Ångras", body="Hej", to=[maria])
            raise RuntimeError("the surrounding write failed")
        with pytest.raises(queue.Empty):
            heard.get(timeout=0.5)
    finally:
        listener.stop()


def test_sqlite_clients_notice_each_others_commits(tmp_path: Path, sqlite_template: Path) -> None:
    import shutil

    path = tmp_path / "shared.sqlite3"
    shutil.copyfile(sqlite_template, path)
    url = DatabaseUrl(Engine.SQLITE, path=path)
    mine = connect(url)
    try:
        watcher = DataVersionWatcher(path)
        assert not watcher.changed()
        other = peewee.SqliteDatabase(str(path))
        other.execute_sql("INSERT INTO principal (name, kind, version) VALUES ('X', 'other', 1)")
        other.close()
        assert watcher.changed()
        assert not watcher.changed()
        # The app's own connection (a worker's) commits: another connection, so it counts too.
        mine.execute_sql("INSERT INTO principal (name, kind, version) VALUES ('Y', 'other', 1)")
        assert watcher.changed()
        watcher.close()
    finally:
        mine.close()
        database.initialize(None)


# ---- Att göra ----------------------------------------------------------------------------------

def test_todo_lists_what_waits_for_me(pair: tuple[User, User, Case]) -> None:
    anna, maria, case = pair
    message = messaging.send(anna, subject="Kallelse till SIP-möte", body="Välkomna",
                             to=[maria], case=case, requires_ack=True)
    rows = todo.todo_for(maria)
    assert [(r.what, r.case_number, r.target, r.target_id) for r in rows] == [
        ("Kvittera: Kallelse till SIP-möte", case.number, todo.Target.MESSAGE, message.id)]
    messaging.acknowledge(maria, message.id)
    assert todo.todo_for(maria) == []


def test_a_draft_left_behind_is_offered_in_att_gora_at_the_next_start(
    pair: tuple[User, User, Case],
) -> None:
    """Issue 13: a kallelse or an intervention left unfinished — the app closed, crashed or was
    killed — is offered back: Att göra leads to the tab whose wizard or dialog takes it up."""
    anna, maria, case = pair
    drafts.save_draft(anna, case, "kallelse", {"page": 2, "place": "Storgatan 1"})
    drafts.save_draft(anna, case, "plan_intervention", {"what": "Hjälp med dusch"})
    rows = todo.todo_for(anna)
    assert [(r.what, r.case_number, r.target, r.target_id) for r in rows] == [
        ("Påbörjad kallelse — fortsätt där du slutade", case.number,
         todo.Target.CASE_MEETING, case.id),
        ("Påbörjad insats i planen — fortsätt där du slutade", case.number,
         todo.Target.CASE_PLAN, case.id)]
    assert rows[0].detail.startswith("Sparat 2026-11-22")
    assert todo.todo_for(maria) == []  # a draft is its writer's own
    drafts.delete_draft(anna, case, "kallelse")  # the wizard finished
    assert [r.target for r in todo.todo_for(anna)] == [todo.Target.CASE_PLAN]


def test_unacknowledged_after_n_working_days_reminds_the_sender(
    pair: tuple[User, User, Case],
) -> None:
    anna, maria, case = pair
    message = messaging.send(anna, subject="Kallelse", body="Hej", to=[maria], case=case,
                             requires_ack=True)
    # Sent on Thursday 2026-12-23 (julafton and juldagen follow): two working days later is
    # Tuesday 2026-12-29.
    messaging.Message.update(sent_at=dt.datetime(2026, 12, 23, 10, 0)).where(
        messaging.Message.id == message.id).execute()
    assert todo.todo_for(anna, today=dt.date(2026, 12, 28)) == []
    rows = todo.todo_for(anna, today=dt.date(2026, 12, 29))
    assert [r.what for r in rows] == ["1 mottagare har inte kvitterat: Kallelse"]
    settings.set_value("reminder_workdays", 3)
    assert todo.todo_for(anna, today=dt.date(2026, 12, 29)) == []


def test_lapsing_consent_shows_thirty_days_ahead(pair: tuple[User, User, Case]) -> None:
    anna, _maria, case = pair
    region = Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    consent.register_consent(anna, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=dt.date(2026, 1, 15), covers="Fråga",
        principals=[region]), today=dt.date(2026, 1, 15))
    assert todo.todo_for(anna, today=dt.date(2026, 12, 15)) == []
    rows = todo.todo_for(anna, today=dt.date(2026, 12, 16))
    assert [(r.what, r.target) for r in rows] == [
        ("Samtycket går ut 2027-01-15", todo.Target.CASE_CONSENT)]
    rows = todo.todo_for(anna, today=dt.date(2027, 1, 16))
    assert rows[0].what == "Samtycket gick ut 2027-01-15 — förnya det" and rows[0].overdue
