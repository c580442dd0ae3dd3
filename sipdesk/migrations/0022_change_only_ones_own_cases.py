"""Version 22: on PostgreSQL the server also keeps to the core's rule of who may *change* a case
(issue 12: "another unit cannot change a case it may only read"; sipdesk.accounts.access,
`changeable_cases`). On SQLite nothing happens: the core's rule is the only gate.

Reading stays as version 16 made it (the principal's staff read its cases). Changing a case, and
what hangs on it, is for those who work with the case or its unit:
- an administrator;
- the case's coordinator;
- the staff of the case's own unit (not every unit of the principal);
- a user invited to one of the case's meetings.
A deactivated user, or a login that is no sipdesk user: nothing.

So on sip_case an UPDATE or DELETE touches only a case the user may change (the changed row must
still be one they may see, as before: a coordinator may hand the case to someone else); and on
the tables below a case — the need, consents and their parts, menprövning, status history,
closure, meetings and what hangs on them, plan versions and their parts — an INSERT, UPDATE or
DELETE must be on a case the user may change. The plan's rule of version 16 (one's own
principal's interventions and part; clearing a part is open to every writer) stays, inside the
same condition.

What a reader of a case may still do is unchanged: write a message about it, ask its coordinator
to convene, keep their own drafts, and add to the audit log (an opening is logged). The person's
record and their relatives stay with version 16's rule: a person may have several cases, and no
use case of the core edits the person except marking a protected identity, which has its own
rule (the coordinator or an administrator).

Helpers (SECURITY DEFINER, STABLE, keyed on `session_user` like version 16's):
`sipdesk_own_unit()`, `sipdesk_changeable_case(case_id)` and the same for a meeting, a plan
version and a consent. They ask `sipdesk_invited_cases()` (version 16, made faster by a later
version) for the invited part.
"""

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"

# access.changeable_cases, on sip_case rows (`t` names the row: "" in the sip_case policy).
CHANGE_RULE = """(
    (SELECT sipdesk_is_administrator())
    OR {t}coordinator_id = (SELECT sipdesk_current_app_user())
    OR {t}unit_id = (SELECT sipdesk_own_unit())
    OR {t}id = ANY ((SELECT sipdesk_invited_cases())::integer[])
)"""

# Version 16's reading rule on sip_case, for the row an UPDATE leaves.
CASE_RULE = """(
    (SELECT sipdesk_is_administrator())
    OR coordinator_id = (SELECT sipdesk_current_app_user())
    OR unit_id = ANY ((SELECT sipdesk_own_units())::integer[])
    OR id = ANY ((SELECT sipdesk_invited_cases())::integer[])
)"""

# (guardian_answer, meeting_evaluation and child_feedback: the tables of versions 21, 18, 19)
BY_CASE = ("need_record", "consent", "harm_assessment", "case_status_change", "closure",
           "meeting", "plan_version", "guardian_answer")
BY_MEETING = ("participant", "deviation", "mobile_team_check", "staff_meeting_record",
              "status_survey", "meeting_evaluation")
BY_PLAN = ("plan_participant", "sub_goal", "other_action", "child_feedback")
BY_CONSENT = ("consent_principal", "guardian_consent")


def _functions(schema):
    definer = f"STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return [
        f"""CREATE OR REPLACE FUNCTION sipdesk_own_unit() RETURNS integer
            LANGUAGE sql {definer} AS $$
            SELECT unit_id FROM app_user WHERE login = session_user AND active $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_changeable_case(case_id integer) RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM sip_case c WHERE c.id = $1
                           AND {CHANGE_RULE.format(t="c.")}) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_changeable_meeting(meeting_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM meeting m WHERE m.id = $1
                           AND sipdesk_changeable_case(m.case_id)) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_changeable_plan(plan_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM plan_version v WHERE v.id = $1
                           AND sipdesk_changeable_case(v.case_id)) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_changeable_consent(consent_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM consent k WHERE k.id = $1
                           AND sipdesk_changeable_case(k.case_id)) $$""",
    ]


FUNCTIONS = ("sipdesk_own_unit()", "sipdesk_changeable_case(integer)",
             "sipdesk_changeable_meeting(integer)", "sipdesk_changeable_plan(integer)",
             "sipdesk_changeable_consent(integer)")


def _writes(table, write, *, touch=None):
    """The INSERT, UPDATE and DELETE policies of `table`: the new row by `write`, the rows
    UPDATE and DELETE may touch by `touch` (default `write`)."""
    touch = touch or write
    return [
        (table, "sipdesk_insert", "INSERT", None, write),
        (table, "sipdesk_update", "UPDATE", touch, write),
        (table, "sipdesk_delete", "DELETE", touch, None),
    ]


def _policies(changeable):
    """(table, policy, command, USING, WITH CHECK). `changeable` False gives version 16's
    policies back (for `down`)."""
    kind = "changeable" if changeable else "visible"
    rows = []
    if changeable:
        rows += _writes("sip_case", CASE_RULE, touch=CHANGE_RULE.format(t=""))
        rows[0] = ("sip_case", "sipdesk_insert", "INSERT", None, CASE_RULE)
    else:
        rows += _writes("sip_case", CASE_RULE)
    for tables, column, what in ((BY_CASE, "case_id", "case"), (BY_MEETING, "meeting_id",
                                                                "meeting"),
                                 (BY_PLAN, "plan_id", "plan"), (BY_CONSENT, "consent_id",
                                                                "consent")):
        for table in tables:
            rows += _writes(table, f"sipdesk_{kind}_{what}({column})")
    guard = "sipdesk_changeable_plan(plan_id) AND " if changeable else ""
    rows += _writes(
        "intervention",
        f"(sipdesk_visible_plan(plan_id) AND {guard}(sipdesk_may_write_for(plan_id, "
        "principal_id) OR sipdesk_carried_forward(plan_id, principal_id)))",
        touch=f"({guard}sipdesk_may_write_for(plan_id, principal_id))")
    rows += _writes(
        "principal_part",
        f"(sipdesk_visible_plan(plan_id) AND {guard}(sipdesk_may_write_for(plan_id, "
        "principal_id) OR (approved_at IS NULL AND (finished_at IS NULL"
        " OR sipdesk_coordinates_plan(plan_id)))))",
        touch=f"sipdesk_{kind}_plan(plan_id)")
    return rows


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def _replace(db, policies):
    for table, name, command, using, check in policies:
        db.execute_sql(f'DROP POLICY IF EXISTS {name} ON "{table}"')
        sql = f'CREATE POLICY {name} ON "{table}" FOR {command} TO {GROUP}'
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        db.execute_sql(sql)


def up(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for sql in _functions(schema):
        db.execute_sql(sql)
    for function in FUNCTIONS:
        db.execute_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {GROUP}")
    _replace(db, _policies(changeable=True))


def down(migrator, db):
    if not _is_postgresql(db):
        return
    _replace(db, _policies(changeable=False))
    for function in reversed(FUNCTIONS):
        db.execute_sql(f"DROP FUNCTION IF EXISTS {function}")
