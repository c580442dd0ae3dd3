"""The server agrees with the core (issue 12): on PostgreSQL each demo user, logged in as their own
login role with raw SQL (psycopg, not the app), reads exactly the rows the core's rule
(`sipdesk.accounts.access`) lets them see, in every table with case or person data — and can
change nothing the core would refuse. The app itself still works as such a user.

One small demo database for the module, with a neighbouring municipality's case beside it; the
demo users' login roles get a name unique to this run (roles are per server) and are dropped at
the end."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import peewee
import psycopg
import pytest

from sipdesk import clock, demo
from sipdesk.accounts import auth, login_roles, user_admin
from sipdesk.accounts.access import changeable_cases, visible_case_ids
from sipdesk.casework import guardian_removal, guardians, lifecycle, people
from sipdesk.casework.people import PersonInput
from sipdesk.desk import cases
from sipdesk.errors import ValidationError
from sipdesk.meetings import convene
from sipdesk.messages import messaging
from sipdesk.paths import resource_dir
from sipdesk.plans import plan
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, connect, database
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    ContactKind,
    Law,
    Person,
    PersonContact,
    Principal,
    PrincipalKind,
    Role,
    Unit,
    User,
)
from sipdesk.storage.plan_records import PlanVersion, PrincipalPart
from tests.factories import make_user
from tests.pg_databases import new_pg_databases

pytestmark = pytest.mark.skipif(
    not (resource_dir() / "testpersonnummer.txt").exists(),
    reason="resources/testpersonnummer.txt (demo data) is not in the repo",
)

# Each row's case, read as the owner: what the core's rule is asked about.
BY_CASE_ID = ("need_record", "consent", "harm_assessment", "case_status_change", "closure",
              "meeting", "plan_version", "guardian_answer")
BY_MEETING = ("participant", "deviation", "mobile_team_check", "staff_meeting_record",
              "status_survey", "meeting_evaluation")
BY_PLAN = ("plan_participant", "sub_goal", "other_action", "intervention", "principal_part",
           "child_feedback")
CASE_OF: dict[str, str] = {
    "sip_case": "SELECT id, id FROM sip_case",
    "person": "SELECT p.id, c.id FROM person p JOIN sip_case c ON c.person_id = p.id",
    "person_contact": "SELECT k.id, c.id FROM person_contact k "
                      "JOIN sip_case c ON c.person_id = k.person_id",
    **{t: f"SELECT id, case_id FROM {t}" for t in BY_CASE_ID},
    **{t: f"SELECT x.id, m.case_id FROM {t} x JOIN meeting m ON m.id = x.meeting_id"
       for t in BY_MEETING},
    **{t: f"SELECT x.id, v.case_id FROM {t} x JOIN plan_version v ON v.id = x.plan_id"
       for t in BY_PLAN},
    **{t: f"SELECT x.id, k.case_id FROM {t} x JOIN consent k ON k.id = x.consent_id"
       for t in ("consent_principal", "guardian_consent")},
}


@dataclass
class Server:
    url: DatabaseUrl
    logins: list[str]  # the demo users' logins, unique to this run, = their role names
    other_case: int  # the neighbouring municipality's case

    def as_user(self, login: str) -> psycopg.Connection:
        """A raw connection as `login` (the test server trusts 127.0.0.1)."""
        return psycopg.connect(host=self.url.host, port=self.url.port, dbname=self.url.name,
                               user=login, connect_timeout=5)


def _neighbour() -> int:
    """Grannby kommun, with its own unit, case officer and one case."""
    principal = Principal.create(name="Grannby kommun", kind=PrincipalKind.MUNICIPALITY.value)
    unit = Unit.create(principal=principal, name="Biståndsenheten Grannby", law=Law.SOL.value)
    officer = auth.create_user(login="gun.grann", full_name="Gun Grann", initials="GG",
                               unit=unit, role=Role.CASE_OFFICER)
    case = cases.create_case_for_new_person(officer, person=PersonInput(
        personal_number="19121212-1212", first_name="Tolvan", last_name="Tolvansson"))
    return case.id


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with new_pg_databases("sipdesk_rls") as make:
        url = make()
        db = connect(url)
        schema.migrate(db, url)
        demo.fill_demo(cases=40, seed=3)
        other_case = _neighbour()
        run = f"rls{uuid.uuid4().hex[:8]}."
        database.execute_sql("UPDATE app_user SET login = %s || login", (run,))
        logins = [user.login for user in User.select().order_by(User.id)]
        made: list[str] = []
        try:
            with database.atomic():
                for login in logins:
                    assert login_roles.create_login_role(login, None)
                    made.append(login)
            yield Server(url, logins, other_case)
        finally:
            if database.obj is not None:
                database.close()
                database.initialize(None)
            with psycopg.connect(host=url.host, port=url.port, dbname=url.name,
                                 user="root", autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE usename = ANY(%s)", (made,))
                for login in made:
                    admin.execute(f'DROP ROLE IF EXISTS "{login}"')


@pytest.fixture
def owner(server: Server) -> Iterator[peewee.Database]:
    """The models bound to the database as its owner (RLS does not apply)."""
    db = connect(server.url)
    yield db
    db.close()
    database.initialize(None)


def _ids(connection: psycopg.Connection, sql: str) -> set[int]:
    return {row[0] for row in connection.execute(sql)}


def _expected(user: User, visible: set[int]) -> dict[str, set[int]]:
    """For each table, the ids the core lets `user` see."""
    me = user.id
    rows: dict[str, set[int]] = {}
    for table, sql in CASE_OF.items():
        rows[table] = {row for row, case in database.execute_sql(sql) if case in visible}
    # A person registered without a case (yet): anyone may find them to open one (the core's
    # person search, casework.people.search_persons).
    if user.active:
        rows["person"] |= {r[0] for r in database.execute_sql(
            "SELECT id FROM person WHERE id NOT IN (SELECT person_id FROM sip_case)")}
        rows["person_contact"] |= {r[0] for r in database.execute_sql(
            "SELECT id FROM person_contact WHERE person_id NOT IN "
            "(SELECT person_id FROM sip_case)")}
    # Messages: the sender and the recipients (the mailbox's rule, messaging.open_message).
    rows["message"] = {r[0] for r in database.execute_sql(
        "SELECT id FROM message WHERE sender_id = %s OR id IN "
        "(SELECT message_id FROM receipt WHERE recipient_id = %s)", (me, me))}
    rows["receipt"] = {r[0] for r in database.execute_sql(
        "SELECT r.id FROM receipt r JOIN message m ON m.id = r.message_id "
        "WHERE r.recipient_id = %s OR m.sender_id = %s", (me, me))}
    rows["draft"] = {r[0] for r in database.execute_sql(
        "SELECT id, case_id FROM draft WHERE user_id = %s", (me,)) if r[1] in visible}
    rows["convene_request"] = {r[0] for r in database.execute_sql(
        "SELECT id, case_id, requested_by_id, requested_to_id FROM convene_request")
        if r[1] in visible or me in (r[2], r[3])}
    admin = user.role == Role.ADMINISTRATOR.value and user.active
    rows["audit_entry"] = {r[0] for r in database.execute_sql(
        "SELECT id, case_id, user_id FROM audit_entry")
        if admin or r[2] == me or r[1] in visible}
    return rows


def test_every_demo_user_reads_exactly_what_the_core_lets_them_see(
    server: Server, owner: peewee.Database,
) -> None:
    all_cases = {case.id for case in Case.select(Case.id)}
    seen: dict[str, int] = {}
    for login in server.logins:
        user = User.get(User.login == login)
        visible = visible_case_ids(user, all_cases)
        expected = _expected(user, visible)
        with server.as_user(login) as connection:
            for table, ids in expected.items():
                got = _ids(connection, f"SELECT id FROM {table}")
                assert got == ids, (login, table, len(got), len(ids))
        seen[login.split(".", 1)[1]] = len(visible)
    # The rule tells users apart: the neighbouring municipality's case only for its own staff
    # and the administrator; the region's nurse only the cases she is invited to.
    total = len(all_cases)
    assert seen["admin"] == total
    assert seen["gun.grann"] == 1
    assert seen["maria.holm"] == total - 1
    assert 0 < seen["per.nord"] < total - 1


def test_every_demo_user_changes_exactly_what_the_core_lets_them_change(
    server: Server, owner: peewee.Database,
) -> None:
    """"Another unit cannot change a case it may only read" (issue 12, migration 22): as each
    demo user's login, an UPDATE touches exactly the cases — and their meetings and plan
    versions — that the core's `access.changeable_cases` allows; a row below a case the user
    may only read cannot be added."""
    all_cases = {case.id for case in Case.select(Case.id)}
    only_read: dict[str, set[int]] = {}
    for login in server.logins:
        user = User.get(User.login == login)
        mine = {c.id for c in Case.select(Case.id).where(changeable_cases(user))}
        meetings = {r[0] for r in database.execute_sql("SELECT id, case_id FROM meeting")
                    if r[1] in mine}
        versions = {r[0] for r in database.execute_sql("SELECT id, case_id FROM plan_version")
                    if r[1] in mine}
        with server.as_user(login) as connection:
            assert _ids(connection, "UPDATE sip_case SET version = version RETURNING id") \
                == mine, login
            assert _ids(connection, "UPDATE meeting SET id = id RETURNING id") == meetings
            assert _ids(connection, "UPDATE plan_version SET id = id RETURNING id") == versions
            connection.rollback()
            readable = visible_case_ids(user, all_cases) - mine
            only_read[login.split(".", 1)[1]] = readable
            if readable:
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(
                        "INSERT INTO case_status_change (case_id, from_status, to_status, at, "
                        "by_id, reason) VALUES (%s, 'x', 'y', now(), %s, '')",
                        (min(readable), user.id))
                connection.rollback()
    # The municipality's staff of another unit read cases they may not change; the
    # administrator and the region's invited nurse change all they read.
    assert only_read["lena.strand"] and only_read["maria.holm"]
    assert not only_read["admin"] and not only_read["per.nord"]


def test_a_deactivated_user_reads_nothing_even_with_a_login(
    server: Server, owner: peewee.Database,
) -> None:
    login = next(name for name in server.logins if name.endswith(".karl.lind"))
    User.update(active=False).where(User.login == login).execute()
    try:
        with server.as_user(login) as connection:
            for table in ("sip_case", "person", "meeting", "plan_version", "message",
                          "audit_entry"):
                assert _ids(connection, f"SELECT id FROM {table}") == set(), table
    finally:
        User.update(active=True).where(User.login == login).execute()


def _region_user(server: Server) -> str:
    return next(name for name in server.logins if name.endswith(".per.nord"))


def test_what_a_user_may_not_see_they_cannot_change(
    server: Server, owner: peewee.Database,
) -> None:
    login = _region_user(server)
    user = User.get(User.login == login)
    all_cases = {case.id for case in Case.select(Case.id)}
    hidden = sorted(all_cases - visible_case_ids(user, all_cases))
    assert server.other_case in hidden
    before = {case.id: case.status for case in Case.select().where(Case.id.in_(hidden))}
    other = Case.get_by_id(server.other_case)
    with server.as_user(login) as connection:
        changed = connection.execute("UPDATE sip_case SET status = 'closed' WHERE id = ANY(%s)",
                                     (hidden,))
        assert changed.rowcount == 0
        assert connection.execute("DELETE FROM meeting WHERE case_id = ANY(%s)",
                                  (hidden,)).rowcount == 0
        assert connection.execute("UPDATE person SET first_name = 'X' WHERE id IN "
                                  "(SELECT person_id FROM sip_case)").rowcount == len(
            {c.person_id for c in Case.select().where(Case.id.not_in(hidden))})
        connection.rollback()
        # Nor make themselves an administrator, or move their unit to another principal.
        assert connection.execute("UPDATE app_user SET role = 'administrator' "
                                  "WHERE login = current_user").rowcount == 0
        assert connection.execute("UPDATE unit SET principal_id = principal_id").rowcount == 0
        # A case of someone else's is not created either.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(
                "INSERT INTO sip_case (version, number, year, sequence, person_id, unit_id, "
                "coordinator_id, status, created_at, updated_at) VALUES (1, 'SIP-2026-9999', "
                "2026, 9999, %s, %s, %s, 'need_registered', now(), now())",
                (other.person_id, other.unit_id, other.coordinator_id))
        connection.rollback()
    assert {case.id: case.status for case in Case.select().where(Case.id.in_(hidden))} == before


def test_the_audit_log_and_the_tables_themselves_are_out_of_reach(
    server: Server, owner: peewee.Database,
) -> None:
    for login in server.logins:
        with server.as_user(login) as connection:
            for sql in ("UPDATE audit_entry SET summary = ''", "DELETE FROM audit_entry",
                        "TRUNCATE sip_case", "DROP TABLE draft",
                        "ALTER TABLE sip_case DISABLE ROW LEVEL SECURITY",
                        "CREATE TABLE stolen AS SELECT 1"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    connection.execute(sql)
                connection.rollback()


def test_a_user_writes_only_their_own_principals_part_of_a_plan(
    server: Server, owner: peewee.Database,
) -> None:
    login = _region_user(server)
    user = User.get(User.login == login)
    region = user.unit.principal_id
    # A plan the region's nurse takes part in, with the municipality's part beside hers.
    part = (PrincipalPart.select().join(PlanVersion)
            .where(PlanVersion.id.in_(PrincipalPart.select(PrincipalPart.plan)
                                      .where(PrincipalPart.principal == region))
                   & (PrincipalPart.principal != region)
                   & PlanVersion.case.in_(list(visible_case_ids(
                       user, {c.id for c in Case.select(Case.id)})))).first())
    assert part is not None
    assert not plan.may_write_for(user, PlanVersion.get_by_id(part.plan_id), part.principal_id)
    insert = ("INSERT INTO intervention (plan_id, principal_id, unit, what, goal, responsible, "
              "how_often, status, no_action, written_by_id, position, version) VALUES (%s, %s, "
              "'', 'Något', '', '', '', 'planned', false, %s, 99, 1)")
    with server.as_user(login) as connection:
        connection.execute(insert, (part.plan_id, region, user.id))  # her own: allowed
        connection.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute(insert, (part.plan_id, part.principal_id, user.id))
        connection.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("UPDATE principal_part SET approved_at = now(), "
                               "approved_by_id = %s WHERE id = %s", (user.id, part.id))
        connection.rollback()


def test_the_app_works_as_a_user_under_row_level_security(server: Server) -> None:
    # As the owner: a plan still being written, and its coordinator.
    db = connect(server.url)
    version = (PlanVersion.select().join(Case)
               .where(PlanVersion.locked_at.is_null()
                      & (Case.status == CaseStatus.DOCUMENTATION.value)).first())
    assert version is not None
    coordinator_login = User.get_by_id(Case.get_by_id(version.case_id).coordinator_id).login
    taken = {person.personal_number for person in Person.select(Person.personal_number)}
    fresh_number = next(n for n in demo.skatteverket_test_numbers() if n not in taken)
    db.close()
    database.initialize(None)

    as_user = DatabaseUrl(server.url.engine, host=server.url.host, port=server.url.port,
                          name=server.url.name, user=coordinator_login)
    db = connect(as_user)
    try:
        assert schema.status(db).is_current
        user = auth.user_for_database_login(coordinator_login)
        everything = cases.CaseFilter()
        count = cases.count_cases(everything, user)
        rows = cases.fetch_cases(everything, user, limit=20)
        assert count > 0 and rows
        opened = cases.open_case(user, rows[0].id)
        created = cases.create_case_for_new_person(user, person=PersonInput(
            personal_number=fresh_number, first_name="Ny", last_name="Person"))
        assert cases.count_cases(everything, user) == count + 1
        colleague = User.get((User.unit == user.unit_id) & (User.id != user.id))
        sent = messaging.send(user, to=[colleague], case=created, subject="Ny SIP",
                              body="Hej! Ett nytt ärende.")
        assert sent.id is not None
        version = PlanVersion.get_by_id(version.id)
        conflicts = plan.update_fields(user, version, {
            "main_goal": (version.main_goal, "Att kunna bo kvar hemma.")})
        assert conflicts == []
        assert PlanVersion.get_by_id(version.id).main_goal == "Att kunna bo kvar hemma."
        assert opened.id == rows[0].id
    finally:
        db.close()
        database.initialize(None)


def _case_list(user: User) -> list[tuple[str, int, list[int]]]:
    """What the case list shows `user` (count and first page) for a few filters."""
    answers = []
    for name, flt in (("Alla", cases.CaseFilter()),
                      ("Mina, Pågående", cases.CaseFilter(scope=cases.Scope.MINE,
                                                          open_only=True)),
                      ("Enhetens", cases.CaseFilter(scope=cases.Scope.UNIT)),
                      ("a", cases.CaseFilter(text="a")), ("19", cases.CaseFilter(text="19")),
                      ("SIP-", cases.CaseFilter(text="SIP-"))):
        answers.append((name, cases.count_cases(flt, user),
                        [row.id for row in cases.fetch_cases(flt, user, limit=50)]))
    return answers


def test_the_case_list_as_a_users_own_login_is_the_cores_answer(server: Server) -> None:
    """On a user's own login the core leaves the case rule to the server's policy (the same
    rule, access._server_keeps_the_rule) instead of testing every case twice: the list must be
    exactly what the core's own rule gives when connected as the owner."""
    for login in server.logins:
        with _bound(server.url):
            user = User.get(User.login == login)
            expected = _case_list(user)
        with _bound(_as_login(server, login)):
            assert _case_list(user) == expected, login


def test_a_participants_case_is_kept_by_the_server(server: Server, owner: peewee.Database) -> None:
    """participant.case_id (migration 23) is the case of the participant's meeting, whatever a
    user writes into it: an invitation cannot be moved to a case one may not see."""
    login = _region_user(server)
    user = User.get(User.login == login)
    all_cases = {case.id for case in Case.select(Case.id)}
    hidden = sorted(all_cases - visible_case_ids(user, all_cases))
    with server.as_user(login) as connection:
        mine = connection.execute("SELECT id, case_id FROM participant WHERE user_id = %s "
                                  "ORDER BY id",
                                  (user.id,)).fetchall()
        assert mine
        connection.execute("UPDATE participant SET case_id = %s WHERE user_id = %s",
                           (hidden[0], user.id))
        assert connection.execute("SELECT id, case_id FROM participant WHERE user_id = %s "
                                  "ORDER BY id", (user.id,)).fetchall() == mine
        assert connection.execute("SELECT count(*) FROM sip_case WHERE id = %s",
                                  (hidden[0],)).fetchone()[0] == 0
        connection.rollback()
    # A meeting moved to another case (sipdesk never does it) takes its participants along.
    participant_id, case_id = mine[0]
    meeting = database.execute_sql("SELECT meeting_id FROM participant WHERE id = %s",
                                   (participant_id,)).fetchone()[0]
    with database.atomic() as transaction:
        database.execute_sql("UPDATE meeting SET case_id = %s WHERE id = %s",
                             (hidden[0], meeting))
        moved = {row[0] for row in database.execute_sql(
            "SELECT case_id FROM participant WHERE meeting_id = %s", (meeting,))}
        assert moved == {hidden[0]} != {case_id}
        transaction.rollback()


def test_user_administration_makes_and_disables_login_roles(
    server: Server, owner: peewee.Database,
) -> None:
    login = f"{server.logins[0].split('.', 1)[0]}.ny.anvandare"
    unit = user_admin.unit_by_name("Hemtjänst Norr")
    try:
        user = user_admin.add_user(None, user_admin.NewUser(
            login=login, full_name="Ny Användare", unit_id=unit.id, role=Role.STAFF,
            password="hemligt-123"))
        assert user.initials == "NA" and user.password_hash is None  # the server keeps it
        with psycopg.connect(host=server.url.host, port=server.url.port,
                             dbname=server.url.name, user=login) as connection:
            assert connection.execute("SELECT count(*) FROM sip_case").fetchone()[0] > 0
        user_admin.deactivate_user(None, login)
        assert not User.get(User.login == login).active
        with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
            psycopg.connect(host=server.url.host, port=server.url.port,
                            dbname=server.url.name, user=login, connect_timeout=5)
    finally:
        database.execute_sql(f'DROP ROLE IF EXISTS "{login}"')


def test_every_table_with_case_data_has_row_level_security(owner: peewee.Database) -> None:
    """A later migration that adds a table of case data must give it policies too."""
    columns = {"case_id", "person_id", "meeting_id", "plan_id", "consent_id", "message_id"}
    rows = database.execute_sql(
        "SELECT c.relname, c.relrowsecurity, array_agg(a.attname::text) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema() "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 "
        "WHERE c.relkind = 'r' GROUP BY c.relname, c.relrowsecurity").fetchall()
    unguarded = sorted(name for name, secured, names in rows
                       if (columns & set(names) or name == "sip_case") and not secured)
    assert unguarded == []
    ungranted = [name for (name,) in database.execute_sql(
        "SELECT c.relname FROM pg_class c WHERE c.relkind = 'r' "
        "AND c.relnamespace = current_schema()::regnamespace "
        "AND NOT has_table_privilege('sipdesk_user', c.oid, 'SELECT')")]
    assert ungranted == ["audit_chain_head"]  # only the server's linking trigger touches it


def test_nothing_happens_on_sqlite(sqlite_db: peewee.Database) -> None:
    unit = Unit.create(principal=Principal.create(name="Exempelby kommun", kind="kommun"),
                       name="Hemtjänst Norr", law="SoL")
    user = user_admin.add_user(None, user_admin.NewUser(
        login="lena.strand", full_name="Lena Strand", unit_id=unit.id, role=Role.STAFF,
        password="hemligt-123"))
    assert auth.authenticate("lena.strand", "hemligt-123").id == user.id
    assert not user_admin.deactivate_user(None, "lena.strand").active


# ---- steps of the app that reach past what the user may read (migration 16's helpers) --------

@contextmanager
def _bound(url: DatabaseUrl) -> Iterator[None]:
    """The models bound to the database as `url`'s login (the owner, or a user's own role)."""
    db = connect(url)
    try:
        yield
    finally:
        db.close()
        database.initialize(None)


def _as_login(server: Server, login: str) -> DatabaseUrl:
    return DatabaseUrl(server.url.engine, host=server.url.host, port=server.url.port,
                       name=server.url.name, user=login)


def _fresh_number() -> str:
    """A Skatteverket test number no person has yet (read as the owner)."""
    taken = {person.personal_number for person in Person.select(Person.personal_number)}
    return next(n for n in demo.skatteverket_test_numbers() if n not in taken)


def _colleagues() -> tuple[User, User, User]:
    """Three active users of one principal who are no administrators: each sees its cases."""
    for principal in Principal.select().order_by(Principal.id):
        users = list(User.select().join(Unit).where(
            (Unit.principal == principal) & User.active
            & (User.role != Role.ADMINISTRATOR.value)).order_by(User.id))
        if len(users) >= 3:
            return users[0], users[1], users[2]
    raise AssertionError("the demo has no principal with three users")


def _outsider(server: Server) -> User:
    """The neighbouring municipality's officer: sees only Grannby's case."""
    return User.get(User.login == next(n for n in server.logins if n.endswith(".gun.grann")))


def test_closing_a_case_ends_everyones_kvittens_but_shows_no_one_elses_message(
    server: Server,
) -> None:
    with _bound(server.url):
        coordinator, sender, recipient = _colleagues()
        case = cases.create_case_for_new_person(coordinator, person=PersonInput(
            personal_number=_fresh_number(), first_name="Kvitt", last_name="Ensson"))
        message = messaging.send(sender, to=[recipient], case=case, requires_ack=True,
                                 subject="Om ärendet", body="Kvittera när du har läst.")
    with _bound(_as_login(server, coordinator.login)):
        user = auth.user_for_database_login(coordinator.login)
        lifecycle.close_case(user, Case.get_by_id(case.id), closed_on=clock.today(),
                             reason=lifecycle.ClosureReason.NO_MORE_NEED)
        # Still not the coordinator's to read: neither the message nor its receipt.
        assert not messaging.Message.select().where(messaging.Message.id == message.id).exists()
        assert not messaging.Receipt.select().where(
            messaging.Receipt.message == message.id).exists()
    with _bound(server.url):
        ended = messaging.Message.get_by_id(message.id)
        assert ended.ack_ended_why == messaging.AckEnded.CASE_CLOSED.value
        assert ended.ack_ended_at is not None and ended.withdrawn_at is None
        assert not messaging.Receipt.get(messaging.Receipt.message == message.id).needs_ack
        assert messaging.badge(recipient).unacknowledged == 0


def test_a_user_cannot_end_kvittens_in_a_case_they_may_not_see(server: Server) -> None:
    with _bound(server.url):
        outsider = _outsider(server)
        coordinator, sender, recipient = _colleagues()
        case = cases.create_case_for_new_person(coordinator, person=PersonInput(
            personal_number=_fresh_number(), first_name="Inte", last_name="Din"))
        message = messaging.send(sender, to=[recipient], case=case, requires_ack=True,
                                 subject="Om ärendet", body="Kvittera när du har läst.")
    with _bound(_as_login(server, outsider.login)):
        assert messaging.end_kvittens([message.id], why=messaging.AckEnded.SUPERSEDED) == []
        assert messaging.end_kvittens_in_case(case.id, why=messaging.AckEnded.CASE_CLOSED) == []
    with _bound(server.url):
        assert messaging.Message.get_by_id(message.id).ack_ended_at is None
        assert messaging.Receipt.get(messaging.Receipt.message == message.id).needs_ack


def test_the_recipient_of_a_request_to_convene_takes_on_a_case_they_could_not_see(
    server: Server,
) -> None:
    with _bound(server.url):
        outsider = _outsider(server)
        coordinator, _sender, _recipient = _colleagues()
        case = cases.create_case_for_new_person(coordinator, person=PersonInput(
            personal_number=_fresh_number(), first_name="Sam", last_name="Kallad"))
        request = convene.request_to_convene(coordinator, case, outsider, convene.ConveneInput(
            need="Klarar inte medicinerna själv", coordinate="Hemtjänst och hemsjukvård",
            actors="Vårdcentralen, hemtjänsten"))
    with _bound(_as_login(server, outsider.login)):
        user = auth.user_for_database_login(outsider.login)
        assert Case.get_or_none(Case.id == case.id) is None  # not theirs until they accept
        taken = convene.accept(user, convene.ConveneRequest.get_by_id(request.id))
        assert taken.id == case.id and taken.coordinator_id == user.id
        assert cases.open_case(user, case.id).coordinator_id == user.id
        with pytest.raises(ValidationError, match="redan besvarad"):
            convene.accept(user, convene.ConveneRequest.get_by_id(request.id))
    with _bound(server.url):
        assert Case.get_by_id(case.id).coordinator_id == outsider.id
        assert convene.ConveneRequest.get_by_id(request.id).status == "accepted"


def test_a_new_case_for_a_person_registered_in_someone_elses_case_names_that_person(
    server: Server,
) -> None:
    with _bound(server.url):
        outsider = _outsider(server)
        coordinator, _sender, _recipient = _colleagues()
        number = _fresh_number()
        theirs = cases.create_case_for_new_person(coordinator, person=PersonInput(
            personal_number=number, first_name="Redan", last_name="Registrerad"))
    with _bound(_as_login(server, outsider.login)):
        user = auth.user_for_database_login(outsider.login)
        assert people.find_by_number(number) is None  # the search cannot find them
        mine = cases.create_case_for_new_person(user, person=PersonInput(
            personal_number=number, first_name="Skrivet", last_name="Annorlunda"))
        person = Person.get_by_id(mine.person_id)  # now in a case of theirs: readable
        assert person.id == theirs.person_id
        assert (person.first_name, person.last_name) == ("Redan", "Registrerad")
        assert Case.get_or_none(Case.id == theirs.id) is None  # the other case stays hidden
    with _bound(server.url):
        assert Person.select().where(Person.personal_number == number).count() == 1


def test_on_sqlite_a_registered_number_is_refused_and_the_person_found_instead(
    sqlite_db: peewee.Database,
) -> None:
    officer = make_user()
    first = cases.create_case_for_new_person(officer, person=PersonInput(
        personal_number="19121212-1212", first_name="Tolvan", last_name="Tolvansson"))
    with pytest.raises(ValidationError, match="finns redan") as refused:
        cases.create_case_for_new_person(officer, person=PersonInput(
            personal_number="19121212-1212", first_name="Annan", last_name="Person"))
    assert refused.value.field == "personal_number"
    assert people.find_by_number("191212121212").id == first.person_id


def test_no_statement_is_compiled_just_in_time(server: Server, owner: peewee.Database) -> None:
    """Under the policies the planner prices a short statement high, and JIT compilation would
    cost 0.3–1.5 s more (migration 23): off for the app's sessions and for the database."""
    assert database.execute_sql("SHOW jit").fetchone()[0] == "off"
    with server.as_user(server.logins[0]) as connection:  # raw SQL, the database's setting
        assert connection.execute("SHOW jit").fetchone()[0] == "off"


# ---- statistics (issue 15) ---------------------------------------------------------------------

def _statistics(user: User) -> list[object]:
    """The figures `user` gets for 2026 and for 2025, the whole and per unit and month."""
    from sipdesk.statistics.compute import statistics_for
    from sipdesk.statistics.period import Period, Scope

    found: list[object] = []
    for year in (2025, 2026):
        s = statistics_for(user, period=Period(dt.date(year, 1, 1), dt.date(year, 12, 31)),
                           scope=Scope.whole())
        found.append((dataclasses.asdict(s.total),
                      [(u.unit, dataclasses.asdict(u.figures)) for u in s.units],
                      [(m, dataclasses.asdict(f)) for m, f in s.months]))
    return found


def test_statistics_as_a_users_own_login_are_the_cores_answer(server: Server) -> None:
    """Statistics on a user's own login (row-level security) are the figures the core gives
    the same user as the owner — also the kvittens figures, where the server lets a user read
    only the receipts they got and those of the messages they sent: the core counts just
    those (the mailbox's rule), so the figures do not depend on the engine or the login."""
    from sipdesk.messages import message_receipts

    with _bound(server.url):
        coordinator, sender, recipient = _colleagues()
        case = cases.create_case_for_new_person(coordinator, person=PersonInput(
            personal_number=_fresh_number(), first_name="Stat", last_name="Istiksson"))
        asked = messaging.send(sender, to=[coordinator, recipient], case=case, requires_ack=True,
                               subject="Kallelse", body="Kvittera, tack.")
        message_receipts.acknowledge(coordinator, asked.id)
        messaging.send(coordinator, to=[sender], case=case, requires_ack=True,
                       subject="Planen", body="Kvittera när du har läst.")
        assert messaging.Receipt.select().where(
            messaging.Receipt.acknowledged_at.is_null(False)).count() >= 1
    for login in server.logins:
        with _bound(server.url):
            user = User.get(User.login == login)
            expected = _statistics(user)
        with _bound(_as_login(server, login)):
            assert _statistics(user) == expected, login


def test_only_one_who_may_change_a_case_of_the_child_removes_a_guardian(
    server: Server, owner: peewee.Database,
) -> None:
    """Removing a guardian (sipdesk.casework.guardian_removal; migration 24): the server keeps
    the core's change rule — as a login that only reads the child's case, making the row a
    former guardian is refused, while other changes to the person's contacts stay as version 16
    made them (a guardian's row is out of such a login's reach altogether since version 25); as
    the case's coordinator the app removes the guardian."""
    reader = User.get(User.login == next(n for n in server.logins if n.endswith(".lena.strand")))
    all_cases = {case.id for case in Case.select(Case.id)}
    mine = {c.id for c in Case.select(Case.id).where(changeable_cases(reader))}
    readable = visible_case_ids(reader, all_cases) - mine
    open_states = [s.value for s in CaseStatus if s.is_open]
    case = next(c for c in Case.select().where(Case.id.in_(sorted(readable))
                                               & Case.status.in_(open_states)).order_by(Case.id)
                if not {x.id for x in Case.select(Case.id).where(
                    Case.person == c.person_id)} & mine)
    guardian = PersonContact.create(person=case.person_id, kind=ContactKind.GUARDIAN.value,
                                    name="Eva Vårdnadshavare", custody="sole")
    relative = PersonContact.create(person=case.person_id, kind=ContactKind.RELATIVE.value,
                                    name="Moster Ann")
    try:
        with server.as_user(reader.login) as connection:
            assert connection.execute("UPDATE person_contact SET kind = 'former_guardian' "
                                      "WHERE id = %s", (guardian.id,)).rowcount == 0
            connection.rollback()
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # version 24's check
                connection.execute("UPDATE person_contact SET kind = 'former_guardian' "
                                   "WHERE id = %s", (relative.id,))
            connection.rollback()
            assert connection.execute("UPDATE person_contact SET phone = '070-000 00 00' "
                                      "WHERE id = %s", (relative.id,)).rowcount == 1
            connection.rollback()
        coordinator = User.get_by_id(case.coordinator_id).login
        with _bound(_as_login(server, coordinator)):
            user = auth.user_for_database_login(coordinator)
            removed = guardian_removal.remove_guardian(
                user, Case.get_by_id(case.id), PersonContact.get_by_id(guardian.id),
                reason="Ny dom om vårdnad")
            assert removed.kind == ContactKind.FORMER_GUARDIAN.value
    finally:
        again = connect(server.url)  # as the owner again
        try:
            assert PersonContact.get_by_id(guardian.id).kind == ContactKind.FORMER_GUARDIAN.value
        finally:
            PersonContact.delete().where(PersonContact.id.in_([guardian.id, relative.id])
                                         ).execute()
            again.close()


def test_only_one_who_may_change_a_case_of_the_child_adds_or_changes_a_guardian(
    server: Server, owner: peewee.Database,
) -> None:
    """Adding and changing a guardian (sipdesk.casework.guardians; migration 25): the server
    keeps the core's change rule (access.require_can_change) — as a login that only reads the
    child's case, inserting a guardian row or changing one is refused, while a relative's row
    stays as version 16 made it; as the case's coordinator the app adds and changes a
    guardian."""
    reader = User.get(User.login == next(n for n in server.logins if n.endswith(".lena.strand")))
    all_cases = {case.id for case in Case.select(Case.id)}
    mine = {c.id for c in Case.select(Case.id).where(changeable_cases(reader))}
    readable = visible_case_ids(reader, all_cases) - mine
    open_states = [s.value for s in CaseStatus if s.is_open]
    case = next(c for c in Case.select().where(Case.id.in_(sorted(readable))
                                               & Case.status.in_(open_states)).order_by(Case.id)
                if not {x.id for x in Case.select(Case.id).where(
                    Case.person == c.person_id)} & mine)
    before = {c.id for c in PersonContact.select(PersonContact.id)
              .where(PersonContact.person == case.person_id)}
    guardian = PersonContact.create(person=case.person_id, kind=ContactKind.GUARDIAN.value,
                                    name="Eva Vårdnadshavare", custody="joint")
    relative = PersonContact.create(person=case.person_id, kind=ContactKind.RELATIVE.value,
                                    name="Moster Ann")
    try:
        with server.as_user(reader.login) as connection:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(
                    "INSERT INTO person_contact (person_id, kind, name, relation, phone, email,"
                    " address, custody, language, needs_interpreter, information_block,"
                    " information_block_note, version) VALUES (%s, 'guardian', 'Karl',"
                    " '', '', '', '', 'joint', 'svenska', false, '', '', 1)",
                    (case.person_id,))
            connection.rollback()
            # The guardian's row is out of the UPDATE's reach: nothing is changed.
            assert connection.execute("UPDATE person_contact SET phone = '070-000 00 00' "
                                      "WHERE id = %s", (guardian.id,)).rowcount == 0
            connection.rollback()
            with pytest.raises(psycopg.errors.InsufficientPrivilege):  # into a guardian
                connection.execute("UPDATE person_contact SET kind = 'guardian' "
                                   "WHERE id = %s", (relative.id,))
            connection.rollback()
            assert connection.execute("UPDATE person_contact SET phone = '070-000 00 00' "
                                      "WHERE id = %s", (relative.id,)).rowcount == 1
            connection.rollback()
        coordinator = User.get_by_id(case.coordinator_id).login
        with _bound(_as_login(server, coordinator)):
            user = auth.user_for_database_login(coordinator)
            person = Case.get_by_id(case.id).person
            karl = guardians.add_guardian(user, person, guardians.GuardianInput(
                "Karl Vårdnadshavare", relation="pappa"))
            changed = guardians.update_guardian(
                user, PersonContact.get_by_id(guardian.id), guardians.GuardianInput(
                    "Eva Vårdnadshavare", phone="070-111 11 11"))
            assert (karl.kind, changed.phone) == (ContactKind.GUARDIAN.value, "070-111 11 11")
    finally:
        again = connect(server.url)  # as the owner again
        try:
            assert PersonContact.get_by_id(guardian.id).phone == "070-111 11 11"
            PersonContact.delete().where(
                (PersonContact.person == case.person_id)
                & PersonContact.id.not_in(sorted(before) or [0])).execute()
        finally:
            again.close()

