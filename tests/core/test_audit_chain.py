"""An audit log no one can rewrite (issue 12): every entry is linked into a hash chain, and
`sipdesk audit verify` names the first link that does not hold; on PostgreSQL the server links
the entries (two clients at once do not fork the chain) and refuses UPDATE, DELETE and TRUNCATE
to the user roles and to the owner — only the retention role may delete."""

from __future__ import annotations

import itertools
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import peewee
import psycopg
import pytest

from sipdesk.accounts import audit
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.accounts.audit_verify import verify
from sipdesk.storage import schema
from sipdesk.storage.audit_chain import GENESIS
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database, engine_of
from sipdesk.storage.models import User
from tests.factories import make_case, make_unit, make_user
from ui.main import main


def _write(actor: User | None, count: int, *, what: str = "Ärendet öppnat") -> None:
    for n in range(count):
        with database.atomic():
            audit.record(actor, action=AuditAction.OPEN, entity="sip_case",
                         summary=f"{what} {n}", changes={"status": ["a", "b"]})


def _tamper(sql: str) -> None:
    """Change the log around the guards, as a database superuser (or the SQLite file's
    owner) could: PostgreSQL with the trigger disabled, SQLite without it."""
    if engine_of() is Engine.POSTGRESQL:
        database.execute_sql("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
        database.execute_sql(sql)
        database.execute_sql("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
    else:
        database.execute_sql("DROP TRIGGER IF EXISTS audit_entry_no_update")
        database.execute_sql("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        database.execute_sql(sql)


def test_every_entry_is_linked_to_the_one_before(db: peewee.Database) -> None:
    officer = make_user()
    make_case(officer)  # the use cases' own entries
    _write(officer, 3)
    entries = list(AuditEntry.select().order_by(AuditEntry.chain_seq))
    assert [e.chain_seq for e in entries] == list(range(1, len(entries) + 1))
    assert entries[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    report = verify()
    assert report.whole and report.entries == len(entries) >= 5
    assert report.text().startswith(f"Loggen är hel: {len(entries)} poster")
    assert entries[-1].hash in report.text()  # the newest link, to note down


def test_an_entry_changed_around_the_guard_is_named_by_id_and_time(db: peewee.Database) -> None:
    officer = make_user()
    _write(officer, 5)
    third = AuditEntry.get(AuditEntry.chain_seq == 3)
    _tamper(f"UPDATE audit_entry SET summary = 'Ingenting hände' WHERE id = {third.id}")
    report = verify()
    assert not report.whole and report.broken is not None
    assert report.broken.entry_id == third.id
    assert "innehåll har ändrats" in report.text()
    assert f"post {third.id} ({third.at:%Y-%m-%d %H:%M:%S})" in report.text()
    assert "Ingenting hände" not in report.text() and "Ärendet" not in report.text()


def test_an_entry_removed_from_the_middle_or_the_end_shows(db: peewee.Database) -> None:
    officer = make_user()
    _write(officer, 6)
    second, sixth = (AuditEntry.get(AuditEntry.chain_seq == n) for n in (2, 6))
    _tamper(f"DELETE FROM audit_entry WHERE id = {sixth.id}")
    report = verify()
    assert report.broken is not None and "tagits bort i slutet" in report.broken.reason
    _tamper(f"DELETE FROM audit_entry WHERE id = {second.id}")
    report = verify()
    assert report.broken is not None
    assert report.broken.entry_id == AuditEntry.get(AuditEntry.chain_seq == 3).id
    assert "saknas" in report.broken.reason


def test_a_link_rewritten_to_hide_a_change_still_breaks_at_the_next(
        db: peewee.Database) -> None:
    """Recomputing one entry's own hashes after changing it does not help: the next entry
    still points at the old link."""
    from sipdesk.storage.audit_chain import body_hash, link_hash

    _write(make_user(), 4)
    second = AuditEntry.get(AuditEntry.chain_seq == 2)
    body = body_hash(at=second.at, user_id=second.user_id, case_id=None, action="open",
                     entity="sip_case", entity_id=None, summary="Ingenting",
                     changes=second.changes)
    own = link_hash(2, second.prev_hash, body)
    _tamper(f"UPDATE audit_entry SET summary = 'Ingenting', body_hash = '{body}', "
            f"hash = '{own}' WHERE id = {second.id}")
    report = verify()
    assert report.broken is not None
    assert report.broken.entry_id == AuditEntry.get(AuditEntry.chain_seq == 3).id


def test_the_log_refuses_update_and_delete_on_sqlite(sqlite_db: peewee.Database) -> None:
    _write(make_user(), 1)
    for sql in ("UPDATE audit_entry SET summary = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(peewee.IntegrityError, match="append-only"), database.atomic():
            database.execute_sql(sql)
    assert verify().whole


# ---- PostgreSQL: the server links and guards ------------------------------------------------


def test_two_clients_writing_at_once_keep_one_straight_chain(pg_db: peewee.Database) -> None:
    """Two threads (two connections) × 50 entries, each in its own transaction: the server
    queues them at the head, so the chain has 100 links with no fork and no gap."""
    officer = make_user()
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            start.wait(timeout=10)
            _write(officer, 50, what=name)
        except BaseException as exc:  # reported by the test below
            failures.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    seqs = [e.chain_seq for e in AuditEntry.select().order_by(AuditEntry.chain_seq)]
    assert seqs == list(range(1, 101))
    writers = {e.summary.split()[-2] for e in AuditEntry.select()}
    assert writers == {"a", "b"}  # "Ärendet öppnat a 7"
    report = verify()
    assert report.whole and report.entries == 100


def test_a_client_cannot_choose_its_own_link(pg_db: peewee.Database) -> None:
    _write(make_user(), 1)
    database.execute_sql(
        "INSERT INTO audit_entry (at, action, entity, summary, changes, body_hash, chain_seq, "
        "prev_hash, hash) VALUES (now(), 'open', 'x', 'y', '', %s, 99, %s, %s)",
        ("0" * 64, "1" * 64, "2" * 64))
    forged = AuditEntry.get(AuditEntry.entity == "x")
    assert forged.chain_seq == 2 and forged.prev_hash == AuditEntry.get_by_id(1).hash
    report = verify()  # the body hash it sent is wrong, and verify says so
    assert report.broken is not None and report.broken.entry_id == forged.id


def test_the_owner_cannot_update_delete_or_truncate_the_log(pg_db: peewee.Database) -> None:
    """The test's database user owns the tables (and is even a superuser): refused all the
    same, and the head moves only with a new entry."""
    _write(make_user(), 2)
    for sql in ("UPDATE audit_entry SET summary = 'x'", "DELETE FROM audit_entry",
                "TRUNCATE audit_entry CASCADE", "TRUNCATE sip_case CASCADE",
                "UPDATE audit_chain_head SET seq = 1", "DELETE FROM audit_chain_head"):
        with pytest.raises(peewee.DatabaseError), database.atomic():
            database.execute_sql(sql)
    assert AuditEntry.select().count() == 2 and verify().whole


@pytest.fixture
def ordinary_role(pg_url: DatabaseUrl, pg_db: peewee.Database) -> Iterator[str]:
    """A unique login role with what `sipdesk_user` holds on the log: read and append."""
    role = f"sipdesk_test_{uuid.uuid4().hex[:10]}"
    # A sipdesk user's login role: a member of the group (row-level security, version 16, lets
    # it append entries in its own name).
    database.execute_sql(f'CREATE ROLE "{role}" LOGIN IN ROLE sipdesk_user')
    make_user(role, unit=make_unit("Testenheten"), full_name="Test Roll")
    yield role
    database.execute_sql(f'DROP OWNED BY "{role}"')
    database.execute_sql(f'DROP ROLE "{role}"')


def _as_role(url: DatabaseUrl, role: str) -> psycopg.Connection:
    return psycopg.connect(host=url.host, port=url.port, dbname=url.name, user=role,
                           autocommit=True)


def test_a_user_role_may_append_but_not_update_delete_or_truncate(
        pg_url: DatabaseUrl, ordinary_role: str) -> None:
    _write(make_user(), 1)
    me = User.get(User.login == ordinary_role).id
    with _as_role(pg_url, ordinary_role) as conn:
        conn.execute("INSERT INTO audit_entry (at, user_id, action, entity, summary, changes, "
                     "body_hash) VALUES (now(), %s, 'open', 'sip_case', 'Öppnat', '', %s)",
                     (me, "0" * 64))
        for sql in ("UPDATE audit_entry SET summary = 'x'", "DELETE FROM audit_entry",
                    "TRUNCATE audit_entry", "UPDATE audit_chain_head SET seq = 0"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
    # Even given the rights outright, the trigger still refuses.
    # (Row-level security, version 16, gives a user no row to update or delete: nothing
    # changes; TRUNCATE, which knows no rows, meets the trigger.)
    database.execute_sql(f'GRANT UPDATE, DELETE, TRUNCATE ON audit_entry TO "{ordinary_role}"')
    with _as_role(pg_url, ordinary_role) as conn:
        for sql in ("UPDATE audit_entry SET summary = 'x'", "DELETE FROM audit_entry"):
            try:
                assert conn.execute(sql).rowcount == 0
            except psycopg.errors.InsufficientPrivilege as refused:
                assert "append-only" in str(refused)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            conn.execute("TRUNCATE audit_entry")
    assert [e.chain_seq for e in AuditEntry.select().order_by(AuditEntry.id)] == [1, 2]


def test_only_the_retention_role_may_delete_and_the_rest_still_verifies(
        pg_db: peewee.Database) -> None:
    """A retention job removes the oldest entries as `sipdesk_retention`; the chain then
    starts at the oldest one left, and the report says how many went before."""
    _write(make_user(), 5)
    oldest = [e.id for e in AuditEntry.select().order_by(AuditEntry.chain_seq).limit(2)]
    with database.atomic():
        database.execute_sql("SET LOCAL ROLE sipdesk_retention")
        with (pytest.raises(peewee.DatabaseError, match=r"permission denied|append-only"),
              database.atomic()):
            database.execute_sql("UPDATE audit_entry SET summary = 'x'")
        database.execute_sql(f"DELETE FROM audit_entry WHERE id IN ({oldest[0]}, {oldest[1]})")
    report = verify()
    assert report.whole and report.entries == 3 and report.removed_before == 2
    assert "2 äldre poster har gallrats bort" in report.text()


# ---- old databases and the command line ------------------------------------------------------


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_entries_written_before_the_chain_are_linked_by_the_upgrade(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    from playhouse.migrations import Runner

    url = (DatabaseUrl(Engine.SQLITE, path=tmp_path / "gammal.sqlite3") if engine == "sqlite"
           else request.getfixturevalue("blank_pg_url"))
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    for path in schema.MIGRATIONS_DIR.glob("[0-9]*.py"):
        if path.name < "0014":
            (scripts / path.name).write_bytes(path.read_bytes())
    db = connect(url)
    try:
        Runner(db, str(scripts), table_name=schema.HISTORY_TABLE).up()
        for n in range(7):  # as the app wrote them then (with and without microseconds)
            db.execute_sql(
                "INSERT INTO audit_entry (at, action, entity, entity_id, summary, changes) "
                f"VALUES ({db.param}, 'update', 'person', {n}, {db.param}, '{{}}')",
                (f"2026-01-0{n + 1} 10:00:00{'.123456' if n % 2 else ''}", f"Ändrad {n} å"))
        schema.migrate(db, url)
        report = verify()
        assert report.whole and report.entries == 7
        _write(None, 2)  # and the app goes on from there
        assert verify().entries == 9
    finally:
        db.close()
        database.initialize(None)


def test_sipdesk_audit_verify_says_whole_or_names_the_broken_entry(
        sqlite_db: peewee.Database, capsys: pytest.CaptureFixture[str]) -> None:
    _write(make_user(), 3)
    url = f"sqlite:///{database.obj.database}"
    assert main(["audit", "verify", "--database", url]) == 0
    assert capsys.readouterr().out.startswith("Loggen är hel: 3 poster")
    connect(DatabaseUrl(Engine.SQLITE, path=Path(database.obj.database)))
    second = AuditEntry.get(AuditEntry.chain_seq == 2)
    _tamper(f"UPDATE audit_entry SET user_id = NULL WHERE id = {second.id}")
    assert main(["--database", url, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"Loggen är bruten vid post {second.id}" in err
