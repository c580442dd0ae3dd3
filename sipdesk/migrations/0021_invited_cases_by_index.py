"""Version 21 (PostgreSQL only; nothing happens on SQLite), issue 12: "indexes so RLS does not
slow the case list" — with real meeting volumes. The rule does not change (migration 16: who
may see a case, and what hangs on it); only how the server asks it.

With a meeting for nearly every case (the demo's bulk data since this version: ~82,000 meetings
and ~323,000 participants for 100,000 cases, a region nurse invited to 27,000 of them) migration
16's way cost minutes: `sipdesk_visible_case`, which the policies of the tables below a case ask
per row, built the user's whole array of invited cases in every call; the case policy walked
that array for every case row (`id = ANY(array)`); and the case list's "invited to" part read
meeting and participant under their per-row policies.

1. participant.case_id: the case of the participant's meeting, set by the server in a trigger
   on every insert and on any change of the meeting (or of the column itself: a user cannot set
   it), and followed should a meeting ever move to another case. Not in the models (the app never
   reads it; a restore that loads participants before meetings keeps the value it loads).
   With the index participant (user_id, case_id) a user's invited cases are one index range:
   ~3 ms for 27,000 invitations (through meeting: 20–60 ms).
2. `sipdesk_invited_case_ids()`: the session user's invited cases as a set; the case policy asks
   `id IN (SELECT …)`, which the server hashes once per statement and looks each case up in.
   `sipdesk_invited_case_ids(for_user)`: the same for the user the core acts for
   (`access.invited_case_ids`); it reads past the policies of meeting and participant — a user's
   invitations are cases the rule lets them see anyway — for the session's own user or a session
   that row-level security leaves alone (the owner, a superuser); for anyone else only among the
   cases the session user may see, as reading the tables would.
3. The helpers each policy asks once per statement (`sipdesk_current_app_user`,
   `sipdesk_is_administrator`, `sipdesk_own_units`) are PL/pgSQL: planned once per session, not
   again in every statement (~0.5 ms each, for every sip_case in a statement).
4. The per-row helpers (`sipdesk_visible_case`, `_meeting`, `_plan`, `_consent`) ask the rule
   of their one case directly — the coordinator, the unit's principal, the user's participant
   row for that case (index) — instead of calling each other and the per-statement helpers
   (an SQL function called from another is planned again in every call: 0.2–0.6 ms a row).
5. Policies: participant reads also let a user's own participant rows through first (they are
   invited, so the case is theirs to see anyway: the same rows, without a call per row — Att
   göra reads them); the person policy's look-up of a person's cases carries a cost the planner
   reads (`sipdesk_by_index`), so that for a search's matching persons it looks their cases up
   by index rather than reading all 100,000 cases to hash them (a search by name: ~30 ms less).
"""

import importlib.util
from pathlib import Path

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"
FUNCTIONS = ("sipdesk_invited_case_ids()", "sipdesk_invited_case_ids(integer)",
             "sipdesk_by_index(integer)")
# Migration 16's definitions of these come back in `down`.
REPLACED_16 = ("sipdesk_current_app_user()", "sipdesk_is_administrator()", "sipdesk_own_units()",
               "sipdesk_visible_case(", "sipdesk_visible_meeting(", "sipdesk_visible_plan(",
               "sipdesk_visible_consent(")

# access.visible_cases on sip_case rows (migration 16's CASE_RULE), the invited cases a set.
CASE_RULE = """(
    (SELECT sipdesk_is_administrator())
    OR coordinator_id = (SELECT sipdesk_current_app_user())
    OR unit_id = ANY ((SELECT sipdesk_own_units())::integer[])
    OR id IN (SELECT sipdesk_invited_case_ids())
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

# A person's cases, looked up for the person policy (migration 16's, with the cost hint).
PERSON_RULE = ("(EXISTS (SELECT 1 FROM sip_case c WHERE c.person_id = person.id"
               " AND (c.id > 0 OR sipdesk_by_index(c.id)))"
               " OR sipdesk_caseless_person(id))")
PARTICIPANT_READ = ("(user_id = (SELECT sipdesk_current_app_user())"
                    " OR sipdesk_visible_case(case_id))")


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
        f"""CREATE OR REPLACE FUNCTION sipdesk_invited_case_ids() RETURNS SETOF integer
            LANGUAGE plpgsql {definer} ROWS 1000 AS $$
            DECLARE
                me integer;
            BEGIN
                SELECT u.id INTO me FROM app_user u WHERE u.login = session_user AND u.active;
                IF me IS NOT NULL THEN
                    RETURN QUERY SELECT p.case_id FROM participant p WHERE p.user_id = me;
                END IF;
            END $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_invited_case_ids(for_user integer)
            RETURNS SETOF integer LANGUAGE plpgsql {definer} ROWS 1000 AS $$
            DECLARE
                me integer;
            BEGIN
                SELECT u.id INTO me FROM app_user u WHERE u.login = session_user AND u.active;
                IF for_user IS NOT DISTINCT FROM me OR sipdesk_unrestricted() THEN
                    RETURN QUERY SELECT p.case_id FROM participant p
                        WHERE p.user_id = for_user;
                ELSIF me IS NOT NULL THEN
                    RETURN QUERY SELECT p.case_id FROM participant p
                        WHERE p.user_id = for_user AND sipdesk_visible_case(p.case_id);
                END IF;
            END $$""",
        one_case("sipdesk_visible_case", "case_id", "sip_case", "c"),
        one_case("sipdesk_visible_meeting", "meeting_id", "meeting", "m"),
        one_case("sipdesk_visible_plan", "plan_id", "plan_version", "v"),
        one_case("sipdesk_visible_consent", "consent_id", "consent", "k"),
        # Always true. Its cost (PL/pgSQL's default, 100 operators) tells the planner that
        # testing every case is dear, so the person policy looks a person's cases up by index
        # for up to ~1,500 persons instead of reading all cases; it is never called: `c.id > 0`
        # before it in the OR is true for every case.
        """CREATE OR REPLACE FUNCTION sipdesk_by_index(case_id integer) RETURNS boolean
            LANGUAGE plpgsql IMMUTABLE COST 100 AS $$ BEGIN RETURN true; END $$""",
    ]


def _policies(case_rule, person_rule, participant_read):
    return [
        f"ALTER POLICY sipdesk_read ON sip_case USING ({case_rule})",
        f"ALTER POLICY sipdesk_insert ON sip_case WITH CHECK ({case_rule})",
        f"ALTER POLICY sipdesk_update ON sip_case USING ({case_rule}) WITH CHECK ({case_rule})",
        f"ALTER POLICY sipdesk_delete ON sip_case USING ({case_rule})",
        f"ALTER POLICY sipdesk_read ON person USING ({person_rule})",
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


def up(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for sql in [*_case_column(schema), *_functions(schema)]:
        db.execute_sql(sql)
    for function in FUNCTIONS:
        db.execute_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {GROUP}")
    for sql in _policies(CASE_RULE, PERSON_RULE, PARTICIPANT_READ):
        db.execute_sql(sql)


def down(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    v16 = _migration_16()
    rule = {(table, name): using for table, name, _command, using, _check in v16._policies()}
    for sql in _policies(v16.CASE_RULE.format(t=""), rule[("person", "sipdesk_read")],
                         rule[("participant", "sipdesk_read")]):
        db.execute_sql(sql)
    for sql in v16._functions(schema):
        if any(f"FUNCTION {name}" in sql for name in REPLACED_16):
            db.execute_sql(sql)
    for function in FUNCTIONS:
        db.execute_sql(f"DROP FUNCTION IF EXISTS {function}")
    db.execute_sql("DROP TRIGGER IF EXISTS meeting_case_moved ON meeting")
    db.execute_sql("DROP TRIGGER IF EXISTS participant_case ON participant")
    db.execute_sql("DROP FUNCTION IF EXISTS sipdesk_meeting_case_moved()")
    db.execute_sql("DROP FUNCTION IF EXISTS sipdesk_participant_case()")
    db.execute_sql("ALTER TABLE participant DROP COLUMN IF EXISTS case_id")  # and its index
