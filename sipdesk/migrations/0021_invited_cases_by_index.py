"""Version 21 (issue 12: "indexes so RLS does not slow the case list"): who is invited where,
asked once per statement or once per case, never once per meeting row. The rule does not change
(migration 16: a user sees a case with a meeting they are invited to); only how the server asks
it.

With real meeting volumes (one meeting for nearly every case, a region nurse invited to a third
of 100,000 cases) migration 16's way cost minutes:
- `sipdesk_visible_case(case_id)`, which the policies of every table below a case call per row,
  built the whole array of the user's invited cases in every call (10–60 ms for 27,000 cases),
  and the case list's "invited to" part (`access.visible_cases`) read participant and meeting
  under those policies: a call per participant row and per meeting row — ~30 s to minutes for
  the region nurse's first page;
- the case policy tested `id = ANY(array)` against that array: a walk of the whole array for
  every case row.

Now:
1. `sipdesk_invited_case_ids()`: the session user's invited cases as a set (SECURITY DEFINER,
   STABLE, PL/pgSQL: planned for that user). The case policy asks `id IN (SELECT …)`, which the
   server hashes once per statement.
2. `sipdesk_invited_case_ids(for_user)`: the same for the user the core acts for, which
   `access.visible_cases` asks on PostgreSQL instead of reading meeting and participant (their
   policies would ask about every row). It reads past those policies — a user's invitations are
   cases the rule lets them see anyway — but only for the session's own user (or a session
   row-level security leaves alone: the owner, a superuser); asked for anyone else it answers
   only among the cases the session user may see, as reading the tables would.
3. `sipdesk_visible_case(case_id)`: the rule for that one case — the coordinator, the unit's
   principal, an invitation found by the case's meetings (index) — not the whole invited array.
4. Indexes: participant (user_id, meeting_id) instead of (user_id), and meeting (id) INCLUDE
   (case_id) on PostgreSQL, so a user's invited cases come from two indexes alone (a merge of
   the user's participant rows with the meetings' case ids: ~20 ms for 27,000 invitations, was
   ~60 ms through the tables).

The core's SQLite path is unchanged (one office PC: no row-level security).
"""

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"
SET_FUNCTIONS = ("sipdesk_invited_case_ids()", "sipdesk_invited_case_ids(integer)")
CASE_POLICIES = ("sipdesk_read", "sipdesk_insert", "sipdesk_update", "sipdesk_delete")

# access.visible_cases on sip_case rows, as migration 16's CASE_RULE, with the invited cases as
# a set the server hashes once per statement.
CASE_RULE = """(
    (SELECT sipdesk_is_administrator())
    OR coordinator_id = (SELECT sipdesk_current_app_user())
    OR unit_id = ANY ((SELECT sipdesk_own_units())::integer[])
    OR id IN (SELECT sipdesk_invited_case_ids())
)"""
# Migration 16's (`t` names the row: "" in the sip_case policy itself), for `down`.
CASE_RULE_16 = """(
    (SELECT sipdesk_is_administrator())
    OR {t}coordinator_id = (SELECT sipdesk_current_app_user())
    OR {t}unit_id = ANY ((SELECT sipdesk_own_units())::integer[])
    OR {t}id = ANY ((SELECT sipdesk_invited_cases())::integer[])
)"""


def _functions(schema):
    definer = f"STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return [
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
        # One case: the same rule as CASE_RULE, each part looked up for this case by index.
        f"""CREATE OR REPLACE FUNCTION sipdesk_visible_case(case_id integer) RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT EXISTS (
                SELECT 1 FROM sip_case c CROSS JOIN app_user me
                LEFT JOIN unit own ON own.id = me.unit_id
                WHERE c.id = $1 AND me.login = session_user AND me.active
                AND (me.role = 'administrator' OR c.coordinator_id = me.id
                     OR EXISTS (SELECT 1 FROM unit u WHERE u.id = c.unit_id
                                AND u.principal_id = own.principal_id)
                     OR EXISTS (SELECT 1 FROM participant p
                                WHERE p.user_id = me.id AND p.case_id = c.id))) $$""",
    ]


# Migration 16's sipdesk_visible_case, for `down`.
def _visible_case_16(schema):
    definer = f"STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp"
    rule = CASE_RULE_16.format(t="c.")
    return f"""CREATE OR REPLACE FUNCTION sipdesk_visible_case(case_id integer) RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM sip_case c WHERE c.id = $1
                           AND {rule}) $$"""


def _case_policies(rule):
    return [
        f"ALTER POLICY sipdesk_read ON sip_case USING ({rule})",
        f"ALTER POLICY sipdesk_insert ON sip_case WITH CHECK ({rule})",
        f"ALTER POLICY sipdesk_update ON sip_case USING ({rule}) WITH CHECK ({rule})",
        f"ALTER POLICY sipdesk_delete ON sip_case USING ({rule})",
    ]


def _case_column(schema):
    """participant.case_id: its meeting's case, kept by the server (a user cannot set it)."""
    definer = f"SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return [
        "ALTER TABLE participant ADD COLUMN IF NOT EXISTS case_id integer",
        "UPDATE participant p SET case_id = m.case_id FROM meeting m WHERE m.id = p.meeting_id",
        "ALTER TABLE participant ALTER COLUMN case_id SET NOT NULL",
        # The meeting's case, whatever a statement writes (a restore that loads participants
        # before meetings keeps the value it loads).
        f"""CREATE OR REPLACE FUNCTION sipdesk_participant_case() RETURNS trigger
            LANGUAGE plpgsql {definer} AS $$
            BEGIN
                NEW.case_id := coalesce(
                    (SELECT m.case_id FROM meeting m WHERE m.id = NEW.meeting_id), NEW.case_id);
                RETURN NEW;
            END $$""",
        "CREATE TRIGGER participant_case BEFORE INSERT OR UPDATE OF meeting_id, case_id "
        "ON participant FOR EACH ROW EXECUTE FUNCTION sipdesk_participant_case()",
        # A meeting never moves to another case in sipdesk; should one, its participants follow.
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
        "CREATE INDEX participant_user_id_case_id ON participant (user_id, case_id)",
    ]


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for sql in [*_case_column(schema), *_functions(schema)]:
        db.execute_sql(sql)
    for function in SET_FUNCTIONS:
        db.execute_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {GROUP}")
    for sql in _case_policies(CASE_RULE):
        db.execute_sql(sql)


def down(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for sql in _case_policies(CASE_RULE_16.format(t="")):
        db.execute_sql(sql)
    db.execute_sql(_visible_case_16(schema))
    for function in SET_FUNCTIONS:
        db.execute_sql(f"DROP FUNCTION IF EXISTS {function}")
    db.execute_sql("DROP TRIGGER IF EXISTS meeting_case_moved ON meeting")
    db.execute_sql("DROP TRIGGER IF EXISTS participant_case ON participant")
    db.execute_sql("DROP FUNCTION IF EXISTS sipdesk_meeting_case_moved()")
    db.execute_sql("DROP FUNCTION IF EXISTS sipdesk_participant_case()")
    db.execute_sql("ALTER TABLE participant DROP COLUMN IF EXISTS case_id")  # and its index
