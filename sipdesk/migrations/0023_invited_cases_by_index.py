"""Version 23, issue 12: "indexes so RLS does not slow the case list" — with real meeting
volumes. The rule does not change (migration 16: who may see a case, and what hangs on it);
only how the server asks it. PostgreSQL only, but for one index on both engines (5).

With a meeting for nearly every case (the demo's bulk data since this version: ~82,000 meetings
and ~323,000 participants for 100,000 cases, a region nurse invited to 27,000 of them) migration
16's way cost minutes: `sipdesk_visible_case`, which the policies of the tables below a case ask
per row, built the user's whole array of invited cases in every call; the case policy walked
that array for every case row (`id = ANY(array)`); and the case list's "invited to" part read
meeting and participant under their per-row policies.

1. participant.case_id: the case of the participant's meeting, set by the server in a trigger
   on every insert and on any change of the meeting (or of the column itself: a user cannot set
   it), and followed should a meeting ever move to another case. Not in the models (the app never
   writes it; a restore that loads participants before meetings keeps the value it loads). With
   the index participant (user_id, case_id), whether a user is invited to a case is one index
   look-up, and all their invitations one index range (~3 ms for 27,000).
2. The case policy asks that look-up as plain SQL — `EXISTS (SELECT 1 FROM participant p WHERE
   p.user_id = me AND p.case_id = sip_case.id)` — so the planner picks: a few cases tested one
   by one (a search, a page, one case opened), or the user's invitations hashed once for a
   whole list. The core asks the same (`access.invited_to`) instead of reading meeting.
   Participant reads let a user's own rows through first (they are invited, so the case is
   theirs to see anyway: the same rows, without a call per row — also for Att göra).
3. The helpers each policy asks once per statement (`sipdesk_current_app_user`,
   `sipdesk_is_administrator`, `sipdesk_own_units`) are PL/pgSQL: planned once per session, not
   again in every statement (~0.5 ms each, for every sip_case in a statement).
4. The per-row helpers (`sipdesk_visible_case`, `_meeting`, `_plan`, `_consent`) ask the rule
   of their one case directly — the coordinator, the unit's principal, the user's participant
   row for that case — instead of calling each other and the per-statement helpers (an SQL
   function called from another is planned again in every call: 0.2–0.6 ms a row, now ~0.03).
5. An index of the protected persons (person (id) WHERE protection <> 'none', both engines): a
   search asks whether a matching person is protected (`protected.found_by_name_only_if_visible`);
   the index answers it from the one or two protected persons, and under row-level security
   the person policy is then asked of those alone — the planner, which priced that policy for
   every matching person, read all 100,000 cases instead of looking the matches' cases up.
6. JIT compilation off for the database (when the owner owns it; the app also asks for it in
   every session, `storage.db`): a statement under these policies is estimated dear — the
   planner prices each case's look-up as if from disk — and PostgreSQL then compiled it for
   0.3–1.5 s, while it runs in milliseconds. sipdesk's statements are short; JIT is for long
   reports.
"""

import importlib.util
from pathlib import Path

from peewee import PostgresqlDatabase

# Migration 16's definitions of these come back in `down`.
REPLACED_16 = ("sipdesk_current_app_user()", "sipdesk_is_administrator()", "sipdesk_own_units()",
               "sipdesk_visible_case(", "sipdesk_visible_meeting(", "sipdesk_visible_plan(",
               "sipdesk_visible_consent(")

# access.visible_cases on sip_case rows (migration 16's CASE_RULE), an invitation looked up by
# the case on the user's participant rows.
CASE_RULE = """(
    (SELECT sipdesk_is_administrator())
    OR coordinator_id = (SELECT sipdesk_current_app_user())
    OR unit_id = ANY ((SELECT sipdesk_own_units())::integer[])
    OR EXISTS (SELECT 1 FROM participant p
               WHERE p.user_id = (SELECT sipdesk_current_app_user()) AND p.case_id = sip_case.id)
)"""

# The same rule for one case `c`, read in a helper that runs as the owner: `me` the session's
# active user, `own` their unit.
ONE_CASE = """EXISTS (
    SELECT 1 FROM app_user me LEFT JOIN unit own ON own.id = me.unit_id
    WHERE me.login = session_user AND me.active
    AND (me.role = 'administrator' OR c.coordinator_id = me.id
         OR EXISTS (SELECT 1 FROM unit u WHERE u.id = c.unit_id
                    AND u.principal_id = own.principal_id)
         OR EXISTS (SELECT 1 FROM participant p WHERE p.user_id = me.id AND p.case_id = c.id)))"""

PARTICIPANT_READ = ("(user_id = (SELECT sipdesk_current_app_user())"
                    " OR sipdesk_visible_case(case_id))")

# What hangs on a case is read through the case (the tables of migrations 16, 18, 19): plain
# SQL the planner can join, where migration 16 called a helper per row. (table, column, the
# table it belongs to, migration 16's read rule.)
BELOW_A_CASE = (
    *((table, "case_id", "sip_case", "sipdesk_visible_case(case_id)")
      for table in ("need_record", "consent", "harm_assessment", "case_status_change",
                    "closure", "meeting", "plan_version")),
    *((table, "meeting_id", "meeting", "sipdesk_visible_meeting(meeting_id)")
      for table in ("deviation", "mobile_team_check", "staff_meeting_record",
                    "status_survey", "meeting_evaluation")),
    *((table, "plan_id", "plan_version", "sipdesk_visible_plan(plan_id)")
      for table in ("plan_participant", "sub_goal", "other_action", "intervention",
                    "principal_part", "child_feedback")),
    *((table, "consent_id", "consent", "sipdesk_visible_consent(consent_id)")
      for table in ("consent_principal", "guardian_consent")),
)


def _reads_below_a_case(*, as_of_16=False):
    """The read policies of the tables below a case: through their case (or, as of migration
    16, a helper per row). Writes keep the helpers: they touch a row at a time."""
    def through(table, column, parent):
        return f"EXISTS (SELECT 1 FROM {parent} x WHERE x.id = {table}.{column})"

    return [f'ALTER POLICY sipdesk_read ON "{table}" USING '
            f"({rule if as_of_16 else through(table, column, parent)})"
            for table, column, parent, rule in BELOW_A_CASE]


def _case_column(schema):
    """participant.case_id: its meeting's case, kept by the server (a user cannot set it)."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return [
        "ALTER TABLE participant ADD COLUMN IF NOT EXISTS case_id integer",
        "UPDATE participant p SET case_id = m.case_id FROM meeting m WHERE m.id = p.meeting_id",
        "ALTER TABLE participant ALTER COLUMN case_id SET NOT NULL",
        f"""CREATE OR REPLACE FUNCTION sipdesk_participant_case() RETURNS trigger
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                NEW.case_id := coalesce(
                    (SELECT m.case_id FROM meeting m WHERE m.id = NEW.meeting_id), NEW.case_id);
                RETURN NEW;
            END $$""",
        "CREATE TRIGGER participant_case BEFORE INSERT OR UPDATE OF meeting_id, case_id "
        "ON participant FOR EACH ROW EXECUTE FUNCTION sipdesk_participant_case()",
        f"""CREATE OR REPLACE FUNCTION sipdesk_meeting_case_moved() RETURNS trigger
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                UPDATE participant SET case_id = NEW.case_id WHERE meeting_id = NEW.id;
                RETURN NULL;
            END $$""",
        "CREATE TRIGGER meeting_case_moved AFTER UPDATE OF case_id ON meeting FOR EACH ROW "
        "WHEN (OLD.case_id IS DISTINCT FROM NEW.case_id) "
        "EXECUTE FUNCTION sipdesk_meeting_case_moved()",
        "REVOKE ALL ON FUNCTION sipdesk_participant_case() FROM PUBLIC",
        "REVOKE ALL ON FUNCTION sipdesk_meeting_case_moved() FROM PUBLIC",
        "CREATE INDEX IF NOT EXISTS participant_user_id_case_id ON participant (user_id, case_id)",
    ]


def _functions(schema):
    definer = f"STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp"

    def one_case(name, argument, table, alias):
        """A per-row helper: the rule of the case of one row of `table` (or of the case).
        Its argument keeps migration 16's name (a replaced function cannot rename it)."""
        if table == "sip_case":
            source = "sip_case c WHERE c.id = $1"
        else:
            source = (f"{table} {alias} JOIN sip_case c ON c.id = {alias}.case_id"
                      f" WHERE {alias}.id = $1")
        return f"""CREATE OR REPLACE FUNCTION {name}({argument} integer) RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM {source} AND {ONE_CASE}) $$"""

    return [
        f"""CREATE OR REPLACE FUNCTION sipdesk_current_app_user() RETURNS integer
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                RETURN (SELECT id FROM app_user WHERE login = session_user AND active);
            END $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_is_administrator() RETURNS boolean
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                RETURN EXISTS (SELECT 1 FROM app_user WHERE login = session_user AND active
                               AND role = 'administrator');
            END $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_own_units() RETURNS integer[]
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                RETURN (SELECT coalesce(array_agg(other.id), '{{}}') FROM app_user me
                        JOIN unit own ON own.id = me.unit_id
                        JOIN unit other ON other.principal_id = own.principal_id
                        WHERE me.login = session_user AND me.active);
            END $$""",
        one_case("sipdesk_visible_case", "case_id", "sip_case", "c"),
        one_case("sipdesk_visible_meeting", "meeting_id", "meeting", "m"),
        one_case("sipdesk_visible_plan", "plan_id", "plan_version", "v"),
        one_case("sipdesk_visible_consent", "consent_id", "consent", "k"),
    ]


def _policies(case_rule, participant_read):
    """Reading a case and making one. Changing and deleting one keep version 22's rule (who may
    change a case, `sipdesk_changeable_case`: a narrower rule than reading, asked of the one row
    a statement changes)."""
    return [
        f"ALTER POLICY sipdesk_read ON sip_case USING ({case_rule})",
        f"ALTER POLICY sipdesk_insert ON sip_case WITH CHECK ({case_rule})",
        f"ALTER POLICY sipdesk_read ON participant USING ({participant_read})",
    ]


def _migration_16():
    """Migration 16's module, read from its file as the migration runner reads it (the frozen
    app has the migrations as files, not as importable modules)."""
    path = Path(__file__).with_name("0016_row_level_security.py")
    spec = importlib.util.spec_from_file_location("sipdesk_migration_16", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


PROTECTED_INDEX = ("CREATE INDEX IF NOT EXISTS person_protected ON person (id) "
                   "WHERE protection <> 'none'")


def up(migrator, db):
    db.execute_sql(PROTECTED_INDEX)
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for sql in [*_case_column(schema), *_functions(schema)]:
        db.execute_sql(sql)
    for sql in [*_policies(CASE_RULE, PARTICIPANT_READ), *_reads_below_a_case()]:
        db.execute_sql(sql)
    # For every session on this database, the owner's too (only its owner may set this).
    # Every % is doubled: the driver reads a statement's % as its placeholders.
    db.execute_sql("""DO $$ BEGIN
        EXECUTE format('ALTER DATABASE %%I SET jit = off', current_database());
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END $$""")


def down(migrator, db):
    db.execute_sql("DROP INDEX IF EXISTS person_protected")
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    v16 = _migration_16()
    rule = {(table, name): using for table, name, _command, using, _check in v16._policies()}
    for sql in [*_policies(v16.CASE_RULE.format(t=""), rule[("participant", "sipdesk_read")]),
                *_reads_below_a_case(as_of_16=True)]:
        db.execute_sql(sql)
    for sql in v16._functions(schema):
        if any(f"FUNCTION {name}" in sql for name in REPLACED_16):
            db.execute_sql(sql)
    db.execute_sql("""DO $$ BEGIN
        EXECUTE format('ALTER DATABASE %%I RESET jit', current_database());
    EXCEPTION WHEN insufficient_privilege THEN NULL;
    END $$""")
    db.execute_sql("DROP TRIGGER IF EXISTS meeting_case_moved ON meeting")
    db.execute_sql("DROP TRIGGER IF EXISTS participant_case ON participant")
    db.execute_sql("DROP FUNCTION IF EXISTS sipdesk_meeting_case_moved()")
    db.execute_sql("DROP FUNCTION IF EXISTS sipdesk_participant_case()")
    db.execute_sql("ALTER TABLE participant DROP COLUMN IF EXISTS case_id")  # and its index
